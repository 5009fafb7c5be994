//! Why a database file could not be opened, naming the file (the way out is the application's
//! to say); shared by the probe that classifies a file and the opening that follows it.

use super::admin::AdminError;
use super::migrate::MigrateError;
use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error("{}: the folder does not exist", .folder.display())]
    MissingFolder { folder: PathBuf },
    #[error("{}: cannot create the data folder ({detail})", .folder.display())]
    CreateFolder { folder: PathBuf, detail: String },
    #[error("{}: is a folder, not a database file", .path.display())]
    IsFolder { path: PathBuf },
    #[error("{}: not a SQLite database", .path.display())]
    NotADatabase { path: PathBuf },
    #[error("{}: the database is damaged ({detail})", .path.display())]
    Corrupt { path: PathBuf, detail: String },
    #[error("{}: a SQLite database of another program, not of tasktui", .path.display())]
    Foreign { path: PathBuf },
    #[error("{}: has tasktui's tables but no migration history", .path.display())]
    Unversioned { path: PathBuf },
    #[error("{}: no such database", .path.display())]
    Missing { path: PathBuf },
    #[error("{}: is {kind}, not a database file", .path.display())]
    NotAFile { path: PathBuf, kind: &'static str },
    #[error("{}: the file has {links} hard links, and SQLite keeps its journal and locks per name, so writes through the other names would be lost", .path.display())]
    HardLinked { path: PathBuf, links: u64 },
    #[error(transparent)]
    Lock(#[from] super::lock::LockError),
    #[error("{}: {source}", .path.display())]
    Admin {
        path: PathBuf,
        source: Box<AdminError>,
    },
    #[error("{}: {source}", .path.display())]
    Migrate { path: PathBuf, source: MigrateError },
    #[error("{}: could not back it up before migrating ({detail}); nothing was changed", .path.display())]
    Backup { path: PathBuf, detail: String },
    #[error("{}: is read-only and needs migration V{version} first", .path.display())]
    ReadOnlyNeedsMigration { path: PathBuf, version: u32 },
    #[error("{}: cannot open ({detail})", .path.display())]
    Io { path: PathBuf, detail: String },
}
