//! Why a database file could not be opened, in words that name the file and the way out;
//! shared by the probe that classifies a file and the opening that follows it.

use super::admin::AdminError;
use super::migrate::MigrateError;
use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error("{}: the folder does not exist; create it (mkdir -p {}) or give another --db path", .folder.display(), .folder.display())]
    MissingFolder { folder: PathBuf },
    #[error("{}: cannot create the data folder ({detail}); give a --db path elsewhere", .folder.display())]
    CreateFolder { folder: PathBuf, detail: String },
    #[error("{}: is a folder, not a database file; give a file path such as {}", .path.display(), .path.join("tasktui.db").display())]
    IsFolder { path: PathBuf },
    #[error("{}: not a SQLite database; give the path of a tasktui database or of a new file", .path.display())]
    NotADatabase { path: PathBuf },
    #[error("{}: the database is damaged ({detail}); restore it from a backup", .path.display())]
    Corrupt { path: PathBuf, detail: String },
    #[error("{}: a SQLite database of another program, not of tasktui; give another --db path", .path.display())]
    Foreign { path: PathBuf },
    #[error("{}: has tasktui's tables but no migration history; `tasktui db check` says which version they match, then adopt them with `tasktui db stamp N`", .path.display())]
    Unversioned { path: PathBuf },
    #[error("{}: no such database; `tasktui --migrate-only` creates it", .path.display())]
    Missing { path: PathBuf },
    #[error("{}: is {kind}, not a database file; give the path of a tasktui database or of a new file", .path.display())]
    NotAFile { path: PathBuf, kind: &'static str },
    #[error("{}: the file has {links} hard links, and SQLite keeps its journal and locks per name, so writes through the other names would be lost; keep one name (remove the other links, or make them symlinks: ln -sf)", .path.display())]
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
    #[error("{}: is read-only and needs migration V{version} first; run `tasktui --migrate-only` as a user who can write it", .path.display())]
    ReadOnlyNeedsMigration { path: PathBuf, version: u32 },
    #[error("{}: cannot open ({detail})", .path.display())]
    Io { path: PathBuf, detail: String },
}
