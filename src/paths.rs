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
    ProjectDirs::from("", "", "tasktui").map(|dirs| {
        dirs.state_dir()
            .unwrap_or_else(|| dirs.data_local_dir())
            .join("state.json")
    })
}

/// Who the person is, for undo and "mine": `TASKTUI_USER`, else the login name.
pub fn person() -> Option<String> {
    ["TASKTUI_USER", "USER", "LOGNAME"]
        .iter()
        .find_map(|name| std::env::var(name).ok().filter(|v| !v.trim().is_empty()))
}
