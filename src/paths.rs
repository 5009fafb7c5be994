//! Where tasktui keeps its database by default.

use directories::ProjectDirs;
use std::path::PathBuf;

/// `$XDG_DATA_HOME/tasktui/tasktui.db` on Linux (else `~/.local/share/…`), the platform's data
/// folder elsewhere; `None` when the system reports no home folder.
pub fn default_database() -> Option<PathBuf> {
    ProjectDirs::from("", "", "tasktui").map(|dirs| dirs.data_dir().join("tasktui.db"))
}

/// Where each person's interface state (the order of the Tasks pane) is kept, apart from the
/// shared database: `$XDG_STATE_HOME/tasktui/state.json` on Linux (else
/// `~/.local/state/…`), the local data folder where a platform has no state folder.
pub fn state_file() -> Option<PathBuf> {
    state_dir().map(|dir| dir.join("state.json"))
}

pub use tasktui_core::paths::state_dir;

/// The name the config file gives the person (`me`), set once at start.
static ME: std::sync::OnceLock<String> = std::sync::OnceLock::new();

/// Takes the config file's `me` as the person's name, below `TASKTUI_USER`.
pub fn set_me(name: String) {
    let _ = ME.set(name);
}

/// Who the person is, for undo and "mine": `TASKTUI_USER`, else the config file's `me`, else
/// the login name (`USER`, `LOGNAME`), else the account's name (a container, cron and `env -i`
/// set no variable). `None` only when the system knows no name for the account either.
pub fn person() -> Option<String> {
    let variable = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
    variable("TASKTUI_USER")
        .or_else(|| ME.get().cloned())
        .or_else(|| variable("USER"))
        .or_else(|| variable("LOGNAME"))
        .or_else(account_name)
}

/// The name of the account this process runs as, from the system's user database.
fn account_name() -> Option<String> {
    nix::unistd::User::from_uid(nix::unistd::getuid())
        .ok()
        .flatten()
        .map(|user| user.name)
        .filter(|name| !name.trim().is_empty())
}

/// What to say when no name is known: changes are then made by nobody in particular.
pub const NO_NAME: &str = "no name is known for you (no TASKTUI_USER, USER or account name): \
     your changes are made without a name; set TASKTUI_USER to your username";
