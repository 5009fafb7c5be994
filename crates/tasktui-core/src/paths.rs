//! Where tasktui keeps what is each person's, apart from any database.

use directories::ProjectDirs;
use std::path::PathBuf;

/// The platform state folder (`$XDG_STATE_HOME/tasktui`, else `~/.local/state/tasktui` on
/// Linux), the local data folder where a platform has none.
pub fn state_dir() -> Option<PathBuf> {
    ProjectDirs::from("", "", "tasktui").map(|dirs| {
        dirs.state_dir()
            .unwrap_or_else(|| dirs.data_local_dir())
            .to_path_buf()
    })
}
