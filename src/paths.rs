//! Where tasktui keeps its database by default.

use directories::ProjectDirs;
use std::path::PathBuf;

/// `$XDG_DATA_HOME/tasktui/tasktui.db` on Linux (else `~/.local/share/…`), the platform's data
/// folder elsewhere; `None` when the system reports no home folder.
pub fn default_database() -> Option<PathBuf> {
    ProjectDirs::from("", "", "tasktui").map(|dirs| dirs.data_dir().join("tasktui.db"))
}
