//! Opening a database file: refuse what is not ours before writing a byte, then set the
//! pragmas and migrate under a lock file so that processes starting together migrate once.

use super::admin::{self, AdminError};
use super::lock::{self, LockError};
use super::migrate::{self, Applied};
use super::open_error::OpenError;
use super::probe::{
    Found, classify, classify_with_history, looks_like_a_database, open_untouched, probe,
    refuse_non_file,
};
use super::{APPLICATION_ID, BUSY_TIMEOUT, Store};
use crate::from_sqlite;
use rusqlite::{Connection, OpenFlags};
use std::fs::OpenOptions;
use std::path::{Path, PathBuf};
use tasktui_core::clock::Clock;

/// The page cache of a connection, in KiB as SQLite's `cache_size` takes it (negative).
pub(super) const CACHE_KIB: i64 = -16_384;

/// Where the database file is, and whether tasktui may create its folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileLocation {
    /// The platform data folder, created on first use.
    Default(PathBuf),
    /// A path the user gave; its folder must exist.
    Explicit(PathBuf),
}

impl FileLocation {
    /// The file, as messages name it.
    pub fn path(&self) -> &Path {
        match self {
            FileLocation::Default(path) | FileLocation::Explicit(path) => path,
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

/// A connection for migrating: pragmas set, foreign keys off, and the lock file held so that no
/// other tasktui migrates at the same time.
#[derive(Debug)]
pub struct Connected {
    pub conn: Connection,
    pub found: Found,
    pub path: PathBuf,
    _lock: lock::Held,
}

impl Store {
    /// Opens (creating when new) the database at `location` and brings its schema up to date,
    /// backing it up first when it holds data.
    pub fn open(location: &FileLocation) -> Result<Opened, OpenError> {
        let path = location.path();
        refuse_non_file(path)?;
        // A file or folder this process cannot write opens read-only, saying why; a read-only
        // file is seen here, a read-only folder when the lock file cannot be made.
        if path.is_file() && OpenOptions::new().write(true).open(path).is_err() {
            return open_read_only(location, "the file is read-only for you".into());
        }
        if let Some(opened) = open_current(path) {
            return Ok(opened);
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

impl Store {
    /// A private copy in memory of the database at `path` (an empty one when there is none),
    /// brought to this binary's newest version: what a dry run writes into, leaving the file, its
    /// folder and its lock untouched.
    pub fn open_copy(path: &Path) -> Result<Store, OpenError> {
        let failed = |e: rusqlite::Error| OpenError::Io {
            path: path.to_path_buf(),
            detail: e.to_string(),
        };
        let copied = match probe(path, true)? {
            Found::New => Connection::open_in_memory().map_err(failed)?,
            Found::Unversioned => {
                return Err(OpenError::Unversioned {
                    path: path.to_path_buf(),
                });
            }
            Found::Ours => {
                let source = open_untouched(path).map_err(failed)?;
                let mut copy = Connection::open_in_memory().map_err(failed)?;
                rusqlite::backup::Backup::new(&source, &mut copy)
                    .and_then(|b| b.run_to_completion(4096, std::time::Duration::ZERO, None))
                    .map_err(failed)?;
                copy
            }
        };
        Store::migrated_in_memory(copied).map_err(|e| OpenError::Io {
            path: path.to_path_buf(),
            detail: e.to_string(),
        })
    }
}

/// The quick way in, for a tasktui database already at this binary's newest version (nearly
/// every start): nothing to migrate, so the lock file is only held shared while the version is
/// read, and the file is read through the connection itself rather than probed first. `None`
/// when anything differs, for the careful way to decide, wait and explain.
fn open_current(path: &Path) -> Option<Opened> {
    // The header names the file tasktui's: connecting to it cannot touch another program's.
    if looks_like_a_database(path).ok()? != Some(APPLICATION_ID) {
        return None;
    }
    // No migration under way, and none starting until the version is read.
    let _quiet = lock::quiet(path)?;
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .ok()?;
    conn.busy_timeout(BUSY_TIMEOUT).ok()?;
    conn.pragma_update(None, "synchronous", "full").ok()?;
    let (found, history) = classify_with_history(&conn, path, true).ok()?;
    if found != Found::Ours || !migrate::pending(&history, migrate::migrations(), None).is_empty() {
        return None;
    }
    ready(conn, path.to_path_buf(), admin::Changed::default()).ok()
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
    ready(conn, path, changed)
}

/// A migrated connection made ready for the interface: WAL, foreign keys, caches.
fn ready(conn: Connection, path: PathBuf, changed: admin::Changed) -> Result<Opened, OpenError> {
    let io = |e: rusqlite::Error| OpenError::Io {
        path: path.clone(),
        detail: e.to_string(),
    };
    conn.pragma_update(None, "journal_mode", "wal")
        .map_err(io)?;
    conn.pragma_update(None, "foreign_keys", true).map_err(io)?;
    // A change of many tasks (a batch of marks, its undo) dirties pages of every index: room
    // for them in memory (up to 16 MiB, taken only as used, inside the 30 MB the process may
    // use) keeps SQLite from spilling them to the WAL mid-transaction; statement journals stay
    // in memory too.
    conn.pragma_update(None, "cache_size", CACHE_KIB)
        .map_err(io)?;
    conn.pragma_update(None, "temp_store", "memory")
        .map_err(io)?;
    // The WAL is copied back into the file when the interface is idle (`Store::tidy`, on its
    // tick) and when the last connection closes, never inside a person's change.
    conn.pragma_update(None, "wal_autocheckpoint", 0)
        .map_err(io)?;
    let identity = super::FileIdentity::of(&path);
    Ok(Opened {
        store: Store {
            conn,
            path: Some(path),
            clock: Clock::system(),
            read_only: None,
            identity,
            author: None,
            counted: Default::default(),
        },
        applied: changed.migrations,
        backup: changed.backup,
    })
}

/// Opens an existing database that this process cannot write, for reading only. One that still
/// needs migrating is refused, since that would be a write.
fn open_read_only(location: &FileLocation, why: String) -> Result<Opened, OpenError> {
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
            author: None,
            counted: Default::default(),
        },
        applied: Vec::new(),
        backup: None,
    })
}

/// Whether another process may be writing `path` now: its lock file or a rollback journal is
/// beside it.
fn being_written(path: &Path) -> bool {
    let beside = |suffix: &str| {
        let mut name = path.as_os_str().to_owned();
        name.push(suffix);
        Path::new(&name).exists()
    };
    path.is_file() && (beside(".lock") || beside("-journal"))
}

/// Probes the file, takes the lock, probes again (another process may have created or migrated
/// it meanwhile) and connects. A missing file is created only when `create` is set; a database
/// without history is refused unless `allow_unversioned` (for `db stamp`).
pub fn connect(
    location: &FileLocation,
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
    let seen = match probe(path, true) {
        // Another process may be writing the file this moment (its lock file or its rollback
        // journal is there): what the file holds is decided below, under the lock.
        Err(OpenError::Corrupt { .. } | OpenError::Io { .. }) if being_written(path) => false,
        found => {
            refuse(found?)?;
            true
        }
    };
    let lock = lock::acquire(path, &mut |name, holder| {
        tasktui_core::text::notice(&format!(
            "tasktui: waiting for {}: locked by {holder} (giving up after {:.0} s)",
            name.display(),
            lock::wait_limit().as_secs_f64()
        ));
    })?;
    // Unseen, the file is looked at without touching it before anything connects to it.
    let unseen = if seen {
        None
    } else {
        Some(refuse(probe(path, true)?)?)
    };
    let io = |e: rusqlite::Error| OpenError::Io {
        path: path.to_path_buf(),
        detail: e.to_string(),
    };
    // Nothing here writes to the file: a command that refuses leaves it byte-for-byte as it was.
    let conn = Connection::open(path).map_err(io)?;
    conn.busy_timeout(BUSY_TIMEOUT).map_err(io)?;
    // Another process may have created or migrated the file before the lock was ours: look
    // again, through this connection (a tasktui or new file by the look above, so reading it
    // creates nothing that stays), rather than parse its schema once more in a probe.
    let found = match unseen {
        Some(found) => found,
        None if looks_like_a_database(path)?.is_some() => refuse(classify(&conn, path, true)?)?,
        None => refuse(Found::New)?,
    };
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

impl Inspected {
    /// Whether the database holds any user or task.
    pub fn has_data(&self) -> Result<bool, super::StoreError> {
        super::backup::has_data(&self.conn).map_err(from_sqlite)
    }
}

pub fn inspect(location: &FileLocation) -> Result<Inspected, OpenError> {
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

fn prepare_folder(location: &FileLocation) -> Result<(), OpenError> {
    let path = location.path();
    let folder = super::folder_of(path);
    match location {
        FileLocation::Default(_) => {
            std::fs::create_dir_all(&folder).map_err(|e| OpenError::CreateFolder {
                folder: folder.clone(),
                detail: e.to_string(),
            })?;
        }
        FileLocation::Explicit(_) if !folder.is_dir() => {
            return Err(OpenError::MissingFolder { folder });
        }
        FileLocation::Explicit(_) => {}
    }
    refuse_non_file(path)?;
    if path.is_dir() {
        return Err(OpenError::IsFolder {
            path: path.to_path_buf(),
        });
    }
    Ok(())
}
