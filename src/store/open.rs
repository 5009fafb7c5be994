//! Opening a database file: refuse what is not ours before writing a byte, then set the
//! pragmas and migrate under a lock file so that processes starting together migrate once.

use super::admin::{self, AdminError};
use super::lock::{self, LockError};
use super::migrate::{self, Applied, MigrateError};
use super::{APPLICATION_ID, BUSY_TIMEOUT, Store};
use crate::clock::Clock;
use rusqlite::{Connection, ErrorCode, OpenFlags};
use std::fs::{File, OpenOptions};
use std::io::Read;
use std::path::{Path, PathBuf};

/// Where the database is, and whether tasktui may create its folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DbLocation {
    /// The platform data folder, created on first use.
    Default(PathBuf),
    /// A path the user gave; its folder must exist.
    Explicit(PathBuf),
}

impl DbLocation {
    pub fn path(&self) -> &Path {
        match self {
            DbLocation::Default(path) | DbLocation::Explicit(path) => path,
        }
    }
}

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

impl OpenError {
    /// 2 for a file the user should not have given us, 1 when opening a good file failed.
    pub fn exit_code(&self) -> u8 {
        match self {
            OpenError::Admin { source, .. } => source.exit_code(),
            OpenError::Io { .. }
            | OpenError::CreateFolder { .. }
            | OpenError::Backup { .. }
            | OpenError::Lock(
                LockError::FolderReadOnly { .. }
                | LockError::Unreadable { .. }
                | LockError::TimedOut { .. }
                | LockError::Io { .. },
            )
            | OpenError::Migrate {
                source:
                    MigrateError::Refinery(_)
                    | MigrateError::Sqlite(_)
                    | MigrateError::ForeignKeys(_)
                    | MigrateError::Integrity(_),
                ..
            } => 1,
            _ => 2,
        }
    }
}

/// An open store, the migrations that opening it applied, and the backup taken first.
#[derive(Debug)]
pub struct Opened {
    pub store: Store,
    pub applied: Vec<Applied>,
    pub backup: Option<PathBuf>,
}

/// What a file held when it was probed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Found {
    /// No file, an empty file, or an empty SQLite database.
    New,
    /// A tasktui database (perhaps of another version: check the history).
    Ours,
    /// tasktui's tables without any migration history.
    Unversioned,
}

/// A connection for migrating: pragmas set, foreign keys off, and the lock file held so that no
/// other tasktui migrates at the same time.
#[derive(Debug)]
pub struct Connected {
    pub conn: Connection,
    pub found: Found,
    pub path: PathBuf,
    _lock: lock::Held,
}

const SQLITE_MAGIC: &[u8; 16] = b"SQLite format 3\0";

impl Store {
    /// Opens (creating when new) the database at `location` and brings its schema up to date,
    /// backing it up first when it holds data.
    pub fn open(location: &DbLocation) -> Result<Opened, OpenError> {
        let path = location.path();
        // A file or folder this process cannot write opens read-only, saying why; a read-only
        // file is seen here, a read-only folder when the lock file cannot be made.
        if path.is_file() && OpenOptions::new().write(true).open(path).is_err() {
            return open_read_only(location, "the file is read-only for you".into());
        }
        match connect(location, true, false) {
            Ok(connected) => migrate_and_open(connected),
            Err(OpenError::Lock(error @ LockError::FolderReadOnly { .. })) if path.is_file() => {
                open_read_only(location, error.to_string())
            }
            Err(e) => Err(e),
        }
    }
}

/// Brings a connected database to the newest version (backed up first, the one way `db upgrade`
/// does it), puts it in WAL mode for the interface and turns foreign keys on.
fn migrate_and_open(connected: Connected) -> Result<Opened, OpenError> {
    let Connected {
        mut conn,
        path,
        _lock,
        ..
    } = connected;
    let head = migrate::latest(migrate::migrations());
    let changed = admin::upgrade(&mut conn, &path, head).map_err(|error| match error {
        AdminError::Migrate(source) => OpenError::Migrate {
            path: path.clone(),
            source,
        },
        AdminError::Backup(detail) => OpenError::Backup {
            path: path.clone(),
            detail,
        },
        other => OpenError::Admin {
            path: path.clone(),
            source: Box::new(other),
        },
    })?;
    let io = |e: rusqlite::Error| OpenError::Io {
        path: path.clone(),
        detail: e.to_string(),
    };
    conn.pragma_update(None, "journal_mode", "wal")
        .map_err(io)?;
    conn.pragma_update(None, "foreign_keys", true).map_err(io)?;
    let identity = super::FileIdentity::of(&path);
    Ok(Opened {
        store: Store {
            conn,
            path: Some(path),
            clock: Clock::system(),
            read_only: None,
            identity,
        },
        applied: changed.migrations,
        backup: changed.backup,
    })
}

/// Opens an existing database that this process cannot write, for reading only. One that still
/// needs migrating is refused, since that would be a write.
fn open_read_only(location: &DbLocation, why: String) -> Result<Opened, OpenError> {
    let path = location.path();
    let found = probe(path, true)?;
    let owned = || path.to_path_buf();
    if found == Found::Unversioned {
        return Err(OpenError::Unversioned { path: owned() });
    }
    let io = |e: rusqlite::Error| OpenError::Io {
        path: owned(),
        detail: e.to_string(),
    };
    // A WAL database needs its -shm; in a read-only folder without one, read it as immutable.
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .and_then(|c| {
            c.query_row("SELECT count(*) FROM sqlite_master", [], |_| Ok(()))
                .map(|()| c)
        })
        .or_else(|_| open_untouched(path))
        .map_err(io)?;
    conn.busy_timeout(BUSY_TIMEOUT).map_err(io)?;
    let history = migrate::history(&conn).map_err(io)?;
    let pending = migrate::pending(&history, migrate::migrations(), None);
    if let Some(next) = pending.first() {
        return Err(OpenError::ReadOnlyNeedsMigration {
            path: owned(),
            version: next.version,
        });
    }
    Ok(Opened {
        store: Store {
            conn,
            path: Some(owned()),
            clock: Clock::system(),
            read_only: Some(why),
            identity: super::FileIdentity::of(path),
        },
        applied: Vec::new(),
        backup: None,
    })
}

/// Probes the file, takes the lock, probes again (another process may have created or migrated
/// it meanwhile) and connects. A missing file is created only when `create` is set; a database
/// without history is refused unless `allow_unversioned` (for `db stamp`).
pub fn connect(
    location: &DbLocation,
    create: bool,
    allow_unversioned: bool,
) -> Result<Connected, OpenError> {
    let path = location.path();
    prepare_folder(location)?;
    // Refuse a file that is not ours before a lock file or a -wal appears beside it.
    let refuse = |found: Found| match found {
        Found::New if !create && !path.exists() => Err(OpenError::Missing {
            path: path.to_path_buf(),
        }),
        Found::Unversioned if !allow_unversioned => Err(OpenError::Unversioned {
            path: path.to_path_buf(),
        }),
        _ => Ok(found),
    };
    refuse(probe(path, true)?)?;
    let lock = lock::acquire(path, &mut |name, holder| {
        crate::output::error(&format!(
            "tasktui: waiting for {}: locked by {holder} (giving up after {:.0} s)",
            name.display(),
            lock::wait_limit().as_secs_f64()
        ));
    })?;
    let found = refuse(probe(path, true)?)?;
    let io = |e: rusqlite::Error| OpenError::Io {
        path: path.to_path_buf(),
        detail: e.to_string(),
    };
    // Nothing here writes to the file: a command that refuses leaves it byte-for-byte as it was.
    let conn = Connection::open(path).map_err(io)?;
    conn.busy_timeout(BUSY_TIMEOUT).map_err(io)?;
    conn.pragma_update(None, "synchronous", "full")
        .map_err(io)?;
    // Off while migrating: a table rebuild of a parent table needs it.
    conn.pragma_update(None, "foreign_keys", false)
        .map_err(io)?;
    Ok(Connected {
        conn,
        found,
        path: path.to_path_buf(),
        _lock: lock,
    })
}

/// A read-only look at a database for the reporting commands: nothing is created or changed.
#[derive(Debug)]
pub struct Inspected {
    pub conn: Connection,
    pub found: Found,
    pub path: PathBuf,
}

pub fn inspect(location: &DbLocation) -> Result<Inspected, OpenError> {
    let path = location.path();
    if !path.exists() {
        return Err(OpenError::Missing {
            path: path.to_path_buf(),
        });
    }
    prepare_folder(location)?;
    let found = probe(path, false)?;
    let conn = open_untouched(path).map_err(|e| OpenError::Io {
        path: path.to_path_buf(),
        detail: e.to_string(),
    })?;
    Ok(Inspected {
        conn,
        found,
        path: path.to_path_buf(),
    })
}

fn prepare_folder(location: &DbLocation) -> Result<(), OpenError> {
    let path = location.path();
    let folder = super::folder_of(path);
    match location {
        DbLocation::Default(_) => {
            std::fs::create_dir_all(&folder).map_err(|e| OpenError::CreateFolder {
                folder: folder.clone(),
                detail: e.to_string(),
            })?;
        }
        DbLocation::Explicit(_) if !folder.is_dir() => {
            return Err(OpenError::MissingFolder { folder });
        }
        DbLocation::Explicit(_) => {}
    }
    refuse_non_file(path)?;
    if path.is_dir() {
        return Err(OpenError::IsFolder {
            path: path.to_path_buf(),
        });
    }
    Ok(())
}

/// Refuses a path that exists but is not a regular file (a FIFO would block the first read, a
/// device would grow files beside it), before anything is opened or created.
fn refuse_non_file(path: &Path) -> Result<(), OpenError> {
    use std::os::unix::fs::FileTypeExt;
    let Ok(meta) = std::fs::metadata(path) else {
        return Ok(());
    };
    let kind = meta.file_type();
    let kind = if kind.is_file() || kind.is_dir() {
        return Ok(());
    } else if kind.is_fifo() {
        "a named pipe (FIFO)"
    } else if kind.is_char_device() {
        "a character device"
    } else if kind.is_block_device() {
        "a block device"
    } else if kind.is_socket() {
        "a socket"
    } else {
        "not a regular file"
    };
    Err(OpenError::NotAFile {
        path: path.to_path_buf(),
        kind,
    })
}

/// Reads a file without changing it and says what it holds; refuses anything that is not a
/// SQLite database or is another program's, and, `for_writing`, a database this binary must not
/// migrate (newer, or with changed migrations).
fn probe(path: &Path, for_writing: bool) -> Result<Found, OpenError> {
    let owned = || path.to_path_buf();
    refuse_non_file(path)?;
    let mut file = match File::open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Found::New),
        Err(e) => {
            return Err(OpenError::Io {
                path: owned(),
                detail: e.to_string(),
            });
        }
    };
    let length = file.metadata().map(|m| m.len()).unwrap_or(0);
    if length == 0 {
        // SQLite treats an empty file as an empty database: it becomes a new tasktui database.
        return Ok(Found::New);
    }
    let mut header = [0u8; 100];
    if file.read_exact(&mut header).is_err() || &header[..16] != SQLITE_MAGIC {
        return Err(OpenError::NotADatabase { path: owned() });
    }
    if let Some(expected) = size_from_header(&header)
        && length < expected
    {
        return Err(OpenError::Corrupt {
            path: owned(),
            detail: format!(
                "the file has {length} bytes of the {expected} its header promises: it was truncated"
            ),
        });
    }
    drop(file);

    let corrupt = |e: rusqlite::Error| match e.sqlite_error_code() {
        Some(ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase) => OpenError::Corrupt {
            path: owned(),
            detail: e.to_string(),
        },
        _ => OpenError::Io {
            path: owned(),
            detail: e.to_string(),
        },
    };
    let conn = open_untouched(path).map_err(corrupt)?;
    let id: i32 = conn
        .pragma_query_value(None, "application_id", |row| row.get(0))
        .map_err(corrupt)?;
    let names: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        .and_then(|mut s| s.query_map([], |row| row.get(0))?.collect())
        .map_err(corrupt)?;
    let ours = |name: &str| names.iter().any(|n| n == name);
    let history = if ours(migrate::HISTORY_TABLE) {
        migrate::history(&conn).map_err(corrupt)?
    } else {
        Vec::new()
    };
    let has_history = !history.is_empty();
    let our_tables = ours("users") && ours("tasks");
    match (id, names.is_empty()) {
        (0, true) => Ok(Found::New),
        (APPLICATION_ID, _) if has_history || !our_tables => {
            if for_writing {
                // A newer or changed schema is refused before anything is written.
                migrate::verify(&history, migrate::migrations()).map_err(|source| {
                    OpenError::Migrate {
                        path: owned(),
                        source,
                    }
                })?;
            }
            Ok(Found::Ours)
        }
        (0 | APPLICATION_ID, false) if our_tables && !has_history => Ok(Found::Unversioned),
        _ => Err(OpenError::Foreign { path: owned() }),
    }
}

/// A read-only connection that creates no file beside the database. Without a `-wal` the main
/// file holds everything, so it is opened as immutable (no locks, no `-shm`).
fn open_untouched(path: &Path) -> rusqlite::Result<Connection> {
    let mut wal = path.as_os_str().to_owned();
    wal.push("-wal");
    if Path::new(&wal).exists() {
        return Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY);
    }
    let uri = format!("file:{}?mode=ro&immutable=1", uri_escape(path));
    Connection::open_with_flags(
        uri,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_URI,
    )
}

/// Percent-escapes the path's bytes as they are, so that a name that is not UTF-8 reaches the
/// same file.
fn uri_escape(path: &Path) -> String {
    let mut out = String::new();
    for &byte in path.as_os_str().as_encoded_bytes() {
        if byte.is_ascii_alphanumeric() || b"/-_.~".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// The file size the header promises, when its in-header size is valid (file format §1.3.7).
fn size_from_header(header: &[u8; 100]) -> Option<u64> {
    let be32 = |at: usize| {
        u32::from_be_bytes([header[at], header[at + 1], header[at + 2], header[at + 3]])
    };
    let page_size = match u16::from_be_bytes([header[16], header[17]]) {
        1 => 65_536,
        n => u64::from(n),
    };
    let pages = u64::from(be32(28));
    let valid = pages > 0 && be32(24) == be32(92);
    valid.then_some(pages * page_size)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uri_escape_keeps_plain_paths_and_escapes_the_rest() {
        assert_eq!(uri_escape(Path::new("/tmp/a-b_c.db")), "/tmp/a-b_c.db");
        assert_eq!(
            uri_escape(Path::new("/tmp/a b?#%.db")),
            "/tmp/a%20b%3F%23%25.db"
        );
        use std::os::unix::ffi::OsStrExt;
        let latin1 = std::ffi::OsStr::from_bytes(b"/tmp/caf\xe9.db");
        assert_eq!(uri_escape(Path::new(latin1)), "/tmp/caf%E9.db");
    }
}
