//! Where the database is, as the person named it: what every message and hint names.

use std::path::{Path, PathBuf};
use tasktui_postgres::Server;

/// Where the database is: a file (and whether tasktui may create its folder) or a server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DbLocation {
    /// The platform data folder, created on first use.
    Default(PathBuf),
    /// A path the user gave; its folder must exist.
    Explicit(PathBuf),
    /// A PostgreSQL server (`--db postgres://…`), and its URL with the password hidden as a
    /// path, the name messages give it.
    Server(Server, PathBuf),
}

impl DbLocation {
    /// `--db`'s value: a `postgres://` or `postgresql://` URL names a server, anything else a file.
    pub fn given(value: &std::ffi::OsStr) -> DbLocation {
        match value.to_str().and_then(Server::from_arg) {
            Some(server) => {
                let shown = PathBuf::from(server.shown());
                DbLocation::Server(server, shown)
            }
            None => DbLocation::Explicit(PathBuf::from(value)),
        }
    }

    /// The file, or the server's URL with its password hidden: what messages name.
    pub fn path(&self) -> &Path {
        match self {
            DbLocation::Default(path)
            | DbLocation::Explicit(path)
            | DbLocation::Server(_, path) => path,
        }
    }

    pub fn server(&self) -> Option<&Server> {
        match self {
            DbLocation::Server(server, _) => Some(server),
            _ => None,
        }
    }
}
