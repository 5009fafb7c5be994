//! The database: opening it safely, its migrations, and typed reads and writes of users and tasks.

pub mod admin;
mod apply;
mod backup;
mod bulk;
pub mod check;
mod counting;
pub mod demo;
mod exchange;
mod filter;
pub mod grams;
pub mod lock;
pub mod migrate;
mod open;
mod open_error;
mod order;
mod probe;
mod rules;
pub mod schema;
mod tasks;
mod users;
mod words;
mod writes;

pub use apply::{Applied, HISTORY_KEPT, HistoryEntry};
pub use backup::{KEEP as BACKUPS_KEPT, has_data, list as backups};
pub use exchange::{Export, FORMAT as EXPORT_FORMAT, Imported, Rejected, TaskOut, UserOut};
pub use filter::{Assignee, State, TaskFilter};
pub use open::{Connected, FileLocation, Inspected, Opened, connect, inspect};
pub use open_error::OpenError;
pub use order::{Sort, SortKey};
pub use probe::Found;
// The seam, implemented part by part where each part's code is.
pub use tasktui_core::error::{Result, StoreError};
pub use tasktui_core::migration_files;
pub use tasktui_core::seam::{
    Changes, Counts, Database, Exchange, Interrupt, Session, Tasks, Users,
};
pub use users::Handoff;

use rusqlite::types::ValueRef;
use rusqlite::{Connection, ErrorCode, Row};
use std::path::{Path, PathBuf};
use std::time::Duration;
use tasktui_core::clock::Clock;
use tasktui_core::model::{Field, ValidationError};

/// `execute` and `query_row` through the connection's statement cache: a change of many rows
/// (a batch, an undo of one) runs the same few statements for each, prepared once.
pub(crate) trait Cached {
    fn run<P: rusqlite::Params>(&self, sql: &str, params: P) -> rusqlite::Result<usize>;
    fn one<T, P, F>(&self, sql: &str, params: P, read: F) -> rusqlite::Result<T>
    where
        P: rusqlite::Params,
        F: FnOnce(&Row<'_>) -> rusqlite::Result<T>;
}

impl Cached for Connection {
    fn run<P: rusqlite::Params>(&self, sql: &str, params: P) -> rusqlite::Result<usize> {
        self.prepare_cached(sql)?.execute(params)
    }

    fn one<T, P, F>(&self, sql: &str, params: P, read: F) -> rusqlite::Result<T>
    where
        P: rusqlite::Params,
        F: FnOnce(&Row<'_>) -> rusqlite::Result<T>,
    {
        self.prepare_cached(sql)?.query_row(params, read)
    }
}

/// Marks a SQLite file as tasktui's ("TSKT"), so another program's database is refused.
pub const APPLICATION_ID: i32 = 0x5453_4B54;

/// How long a write waits for another process's lock before it reports the database busy.
pub const BUSY_TIMEOUT: Duration = Duration::from_millis(300);

/// An open tasktui database.
#[derive(Debug)]
pub struct Store {
    conn: Connection,
    path: Option<PathBuf>,
    clock: Clock,
    /// Opened for reading only, and why: this process cannot write the file or its lock.
    read_only: Option<String>,
    /// The file that was opened, to notice when the path comes to name another one.
    identity: Option<FileIdentity>,
    /// Whose changes these are, for undo and redo; `None` for changes made without a name.
    author: Option<String>,
    /// The last filter counted, its count and which of its words name tags: how a page of a
    /// search or a tag is read depends
    /// on how many tasks match (`tasks::query_page`).
    counted: std::cell::RefCell<Option<(TaskFilter, counting::Counted, words::Naming)>>,
}

/// Which file a path names: its device and inode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileIdentity {
    device: u64,
    inode: u64,
}

impl FileIdentity {
    #[cfg(unix)]
    pub fn of(path: &Path) -> Option<FileIdentity> {
        use std::os::unix::fs::MetadataExt;
        let meta = std::fs::metadata(path).ok()?;
        Some(FileIdentity {
            device: meta.dev(),
            inode: meta.ino(),
        })
    }

    #[cfg(not(unix))]
    pub fn of(_path: &Path) -> Option<FileIdentity> {
        None
    }
}

/// SQLite's busy handler for commands: sleeps a little more each time, up to the lock wait.
fn wait_for_writer(attempt: i32) -> bool {
    let slept = Duration::from_millis(20).saturating_mul(attempt.unsigned_abs());
    if slept >= lock::wait_limit() {
        return false;
    }
    if attempt == 50 {
        tasktui_core::text::notice(
            "tasktui: waiting for another program that is writing to the database…",
        );
    }
    std::thread::sleep(Duration::from_millis(20));
    true
}

/// A backend failure tasktui has no better name for.
fn failed(error: &rusqlite::Error) -> StoreError {
    let what = match error.sqlite_error_code() {
        Some(ErrorCode::SystemIoFailure) => "a read or write of the file failed",
        Some(ErrorCode::OutOfMemory) => "out of memory",
        Some(ErrorCode::CannotOpen) => "the file cannot be opened",
        Some(ErrorCode::PermissionDenied) => "permission denied",
        Some(ErrorCode::ConstraintViolation) => "a rule of the schema refused it",
        Some(ErrorCode::SchemaChanged) => "the schema changed meanwhile",
        Some(_) => "the database reported an error",
        None => "an unexpected answer from the database",
    };
    StoreError::Failed {
        what,
        detail: error.to_string(),
    }
}

/// What a rusqlite error means to tasktui: busy, full, read-only, damaged, a taken name… (the
/// neutral `StoreError` lives in the core crate, which knows nothing of SQLite).
pub(crate) fn from_sqlite(error: rusqlite::Error) -> StoreError {
    let Some(code) = error.sqlite_error_code() else {
        return failed(&error);
    };
    match code {
        ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked => StoreError::Busy,
        ErrorCode::DiskFull => StoreError::Full,
        ErrorCode::ReadOnly => StoreError::ReadOnly,
        ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase => {
            StoreError::Corrupt(error.to_string())
        }
        ErrorCode::ConstraintViolation => constraint_error(error),
        ErrorCode::OperationInterrupted => StoreError::GaveUp,
        _ => failed(&error),
    }
}

/// A rusqlite error as the schema workflow reports it: in SQLite's own words.
pub(crate) fn in_words(error: rusqlite::Error) -> tasktui_core::schema::DatabaseError {
    tasktui_core::schema::DatabaseError(error.to_string())
}

/// Turns a UNIQUE violation into the message a form shows beside the field.
fn constraint_error(error: rusqlite::Error) -> StoreError {
    let text = error.to_string();
    if text.contains("users.username") {
        ValidationError {
            field: Field::Username,
            message: "that username is taken".into(),
        }
        .into()
    } else if text.contains("users.email") {
        ValidationError {
            field: Field::Email,
            message: "another user has that email".into(),
        }
        .into()
    } else if text.contains("FOREIGN KEY") {
        StoreError::NotFound("the assignee")
    } else {
        failed(&error)
    }
}

/// Whether a write changed the row the person saw: one row, or else the row is gone or newer.
fn check_changed(
    conn: &Connection,
    table: &str,
    what: &'static str,
    id: i64,
    changed: usize,
) -> Result<()> {
    if changed == 1 {
        return Ok(());
    }
    let exists: Option<i64> = rusqlite::OptionalExtension::optional(conn.query_row(
        &format!("SELECT 1 FROM {table} WHERE id = ?1"),
        [id],
        |row| row.get(0),
    ))
    .map_err(from_sqlite)?;
    Err(match exists {
        Some(_) => StoreError::Changed(what),
        None => StoreError::NotFound(what),
    })
}

impl Store {
    /// A private database in memory with the schema applied, for tests.
    pub fn open_in_memory() -> Result<Store> {
        Store::migrated_in_memory(Connection::open_in_memory().map_err(from_sqlite)?)
    }

    /// A store over an in-memory database brought to this binary's newest version.
    pub(crate) fn migrated_in_memory(mut conn: Connection) -> Result<Store> {
        conn.pragma_update(None, "foreign_keys", false)
            .map_err(from_sqlite)?;
        migrate::upgrade(&mut conn, migrate::migrations(), None)
            .map_err(|e| StoreError::Corrupt(e.to_string()))?;
        conn.pragma_update(None, "foreign_keys", true)
            .map_err(from_sqlite)?;
        Ok(Store {
            conn,
            path: None,
            clock: Clock::system(),
            read_only: None,
            identity: None,
            author: None,
            counted: Default::default(),
        })
    }

    /// The file this store reads, `None` in memory.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    pub fn is_read_only(&self) -> bool {
        self.read_only.is_some()
    }

    /// From now on a write that finds another program writing waits for it as long as a lock
    /// is waited for (`TASKTUI_LOCK_WAIT`, 10 s), saying so on standard error after a second:
    /// what a command run from a script wants, where the interface wants its short wait.
    pub fn wait_for_writers(&mut self) -> Result<()> {
        self.conn
            .busy_handler(Some(wait_for_writer))
            .map_err(from_sqlite)
    }

    /// Whose changes are recorded, and undone and redone, from now on.
    pub fn set_author(&mut self, author: Option<String>) {
        self.author = author;
    }

    /// From now on, a statement running while `flag` is set stops with `StoreError::GaveUp`.
    /// The interface sets it only around a search, when a key arrives: a search a later key
    /// makes stale is left unfinished, and no write is ever cut short.
    pub fn give_up_when(&mut self, flag: std::sync::Arc<std::sync::atomic::AtomicBool>) {
        let check = move || flag.load(std::sync::atomic::Ordering::SeqCst);
        // Every thousand steps of the virtual machine: far below a millisecond apart.
        let _ = self.conn.progress_handler(1000, Some(check));
    }

    pub fn set_clock(&mut self, clock: Clock) {
        self.clock = clock;
    }

    /// The schema version recorded in the history table.
    pub fn schema_version(&self) -> Result<u32> {
        Ok(migrate::history(&self.conn)
            .map_err(from_sqlite)?
            .iter()
            .map(|h| h.version)
            .max()
            .unwrap_or(0))
    }

    /// The connection, for the migration commands and tests that inspect the file.
    pub fn connection(&self) -> &Connection {
        &self.conn
    }
}

/// A database in memory at a fixed time (2026-11-23 10:00 UTC), for the store's own tests.
#[cfg(test)]
#[allow(clippy::unwrap_used)]
pub(crate) fn test_store() -> Store {
    let mut store = Store::open_in_memory().unwrap();
    store.set_clock(Clock::fixed(
        chrono::DateTime::parse_from_rfc3339("2026-11-23T10:00:00+00:00").unwrap(),
    ));
    store
}

/// The folder a database file lives in (`.` for a bare file name).
fn folder_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Reads a text column as stored, replacing invalid UTF-8 and showing numbers as text: rows
/// written by another tool must still show.
fn text(row: &Row<'_>, index: usize) -> rusqlite::Result<String> {
    Ok(match row.get_ref(index)? {
        ValueRef::Null => String::new(),
        ValueRef::Integer(i) => i.to_string(),
        ValueRef::Real(r) => r.to_string(),
        ValueRef::Text(bytes) | ValueRef::Blob(bytes) => {
            String::from_utf8_lossy(bytes).into_owned()
        }
    })
}

fn optional_text(row: &Row<'_>, index: usize) -> rusqlite::Result<Option<String>> {
    Ok(match row.get_ref(index)? {
        ValueRef::Null => None,
        _ => Some(text(row, index)?),
    })
}

/// Reads an integer column, taking anything else as `fallback`.
fn integer(row: &Row<'_>, index: usize, fallback: i64) -> rusqlite::Result<i64> {
    Ok(match row.get_ref(index)? {
        ValueRef::Integer(i) => i,
        _ => fallback,
    })
}

/// Reads a `count(*)` column.
fn count(row: &Row<'_>, index: usize) -> rusqlite::Result<u64> {
    Ok(u64::try_from(row.get::<_, i64>(index)?).unwrap_or(0))
}

impl Session for Store {
    fn file(&self) -> Option<&Path> {
        self.path()
    }

    /// Refuses a write before it starts: a read-only database, or a file that was replaced.
    fn writable(&self) -> Result<()> {
        if self.read_only.is_some() {
            return Err(StoreError::ReadOnly);
        }
        self.check_alive()
    }

    /// Why the database opened read-only, when it did.
    fn read_only_reason(&self) -> Option<&str> {
        self.read_only.as_deref()
    }

    /// Refuses a write when the path no longer names the file that was opened: a save into a
    /// removed or replaced file would be one nobody sees.
    fn check_alive(&self) -> Result<()> {
        match (&self.path, self.identity) {
            (Some(path), Some(opened)) if FileIdentity::of(path) != Some(opened) => {
                Err(StoreError::FileReplaced(path.display().to_string()))
            }
            _ => Ok(()),
        }
    }

    fn change_counter(&self) -> Result<i64> {
        self.conn
            .pragma_query_value(None, "data_version", |row| row.get(0))
            .map_err(from_sqlite)
    }

    /// Changes whenever another connection commits; reading it costs microseconds.
    /// Copies what the WAL holds back into the database file, as far as no reader needs it:
    /// the work SQLite would otherwise do inside a commit, done while the person is idle.
    fn tidy(&self) -> Result<()> {
        if self.read_only.is_none() && self.path.is_some() {
            self.conn
                .query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()))
                .map_err(from_sqlite)?;
        }
        Ok(())
    }

    fn clock(&self) -> Clock {
        self.clock
    }

    fn author(&self) -> Option<&str> {
        self.author.as_deref()
    }
}
