//! Looking at a file without changing it: what it is (a tasktui database, another program's, not
//! a database at all), read through connections that create nothing beside it.

use super::APPLICATION_ID;
use super::migrate;
use super::open_error::OpenError;
use rusqlite::{Connection, ErrorCode, OpenFlags};
use std::fs::File;
use std::io::Read;
use std::path::Path;

const SQLITE_MAGIC: &[u8; 16] = b"SQLite format 3\0";

/// How often a file shorter than its header says is read again before it is called truncated.
const SETTLE_TRIES: usize = 10;

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

/// Refuses a path that exists but is not a regular file (a FIFO would block the first read, a
/// device would grow files beside it), or a file with a second hard link, before anything is
/// opened or created.
pub(super) fn refuse_non_file(path: &Path) -> Result<(), OpenError> {
    let Ok(meta) = std::fs::metadata(path) else {
        return Ok(());
    };
    let kind = meta.file_type();
    if kind.is_file() {
        return refuse_hard_links(path, &meta);
    }
    if kind.is_dir() {
        return Ok(());
    }
    Err(OpenError::NotAFile {
        path: path.to_path_buf(),
        kind: kind_of(kind),
    })
}

/// SQLite keeps a database's `-wal` and `-shm` files and its locks by the name it was opened
/// with: through two hard-link names it is two databases, and commits through one are lost to
/// the other (sqlite.org/howtocorrupt.html §2.4). A symlink resolves to one name and is fine.
#[cfg(unix)]
fn refuse_hard_links(path: &Path, meta: &std::fs::Metadata) -> Result<(), OpenError> {
    use std::os::unix::fs::MetadataExt;
    match meta.nlink() {
        0 | 1 => Ok(()),
        links => Err(OpenError::HardLinked {
            path: path.to_path_buf(),
            links,
        }),
    }
}

#[cfg(not(unix))]
fn refuse_hard_links(_path: &Path, _meta: &std::fs::Metadata) -> Result<(), OpenError> {
    Ok(())
}

#[cfg(unix)]
fn kind_of(kind: std::fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if kind.is_fifo() {
        "a named pipe (FIFO)"
    } else if kind.is_char_device() {
        "a character device"
    } else if kind.is_block_device() {
        "a block device"
    } else if kind.is_socket() {
        "a socket"
    } else {
        "not a regular file"
    }
}

#[cfg(not(unix))]
fn kind_of(_kind: std::fs::FileType) -> &'static str {
    "not a regular file"
}

/// Reads a file without changing it and says what it holds; refuses anything that is not a
/// SQLite database or is another program's, and, `for_writing`, a database this binary must not
/// migrate (newer, or with changed migrations).
pub(super) fn probe(path: &Path, for_writing: bool) -> Result<Found, OpenError> {
    if looks_like_a_database(path)?.is_none() {
        return Ok(Found::New);
    }
    let conn = open_untouched(path).map_err(|e| corrupt(path, e))?;
    classify(&conn, path, for_writing)
}

/// Reads the file's header: `None` when there is no file or an empty one (a new database), the
/// application id in the header for a SQLite file whole as far as its header says; refuses
/// anything else.
pub(super) fn looks_like_a_database(path: &Path) -> Result<Option<i32>, OpenError> {
    let owned = || path.to_path_buf();
    refuse_non_file(path)?;
    let mut file = match File::open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => {
            return Err(OpenError::Io {
                path: owned(),
                detail: e.to_string(),
            });
        }
    };
    let mut length = file.metadata().map(|m| m.len()).unwrap_or(0);
    if length == 0 {
        // SQLite treats an empty file as an empty database: it becomes a new tasktui database.
        return Ok(None);
    }
    let mut header = [0u8; 100];
    if file.read_exact(&mut header).is_err() || &header[..16] != SQLITE_MAGIC {
        return Err(OpenError::NotADatabase { path: owned() });
    }
    // Read without a lock: another process checkpointing this moment writes the header's new
    // size before the pages that grow the file. Only a file that stays shorter than its header
    // says was truncated.
    for _ in 0..SETTLE_TRIES {
        match size_from_header(&header) {
            Some(expected) if length < expected => {
                std::thread::sleep(std::time::Duration::from_millis(20));
                length = std::fs::metadata(path).map_or(0, |m| m.len());
                let mut again = File::open(path).map_err(|e| OpenError::Io {
                    path: owned(),
                    detail: e.to_string(),
                })?;
                if again.read_exact(&mut header).is_err() {
                    break;
                }
            }
            _ => break,
        }
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
    Ok(Some(i32::from_be_bytes([
        header[68], header[69], header[70], header[71],
    ])))
}

/// What SQLite said while reading the file, as a damaged file or a failed read.
fn corrupt(path: &Path, e: rusqlite::Error) -> OpenError {
    match e.sqlite_error_code() {
        Some(ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase) => OpenError::Corrupt {
            path: path.to_path_buf(),
            detail: e.to_string(),
        },
        _ => OpenError::Io {
            path: path.to_path_buf(),
            detail: e.to_string(),
        },
    }
}

/// What a database read through `conn` holds (see `probe`); writes nothing.
pub(super) fn classify(
    conn: &Connection,
    path: &Path,
    for_writing: bool,
) -> Result<Found, OpenError> {
    classify_with_history(conn, path, for_writing).map(|(found, _)| found)
}

/// `classify`, and the migration history it read on the way (empty when there is none).
pub(super) fn classify_with_history(
    conn: &Connection,
    path: &Path,
    for_writing: bool,
) -> Result<(Found, Vec<migrate::HistoryRow>), OpenError> {
    let owned = || path.to_path_buf();
    let corrupt = |e| corrupt(path, e);
    let id: i32 = conn
        .pragma_query_value(None, "application_id", |row| row.get(0))
        .map_err(corrupt)?;
    let names: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        .and_then(|mut s| s.query_map([], |row| row.get(0))?.collect())
        .map_err(corrupt)?;
    let ours = |name: &str| names.iter().any(|n| n == name);
    let history = if ours(migrate::HISTORY_TABLE) {
        migrate::history(conn).map_err(corrupt)?
    } else {
        Vec::new()
    };
    let has_history = !history.is_empty();
    let our_tables = ours("users") && ours("tasks");
    let found = match (id, names.is_empty()) {
        (0, true) => Found::New,
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
            Found::Ours
        }
        (0 | APPLICATION_ID, false) if our_tables && !has_history => Found::Unversioned,
        _ => return Err(OpenError::Foreign { path: owned() }),
    };
    Ok((found, history))
}

/// A read-only connection that creates no file beside the database. Without a `-wal` or a
/// `-journal` the main file holds everything, so it is opened as immutable (no locks, no
/// `-shm`).
pub(super) fn open_untouched(path: &Path) -> rusqlite::Result<Connection> {
    let beside = |suffix: &str| {
        let mut name = path.as_os_str().to_owned();
        name.push(suffix);
        Path::new(&name).exists()
    };
    // A -wal holds commits; a -journal means a writer is mid-transaction (or crashed in one):
    // read through SQLite's locks then, waiting briefly for the writer, never around them.
    if beside("-wal") || beside("-journal") {
        let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
        conn.busy_timeout(super::BUSY_TIMEOUT)?;
        return Ok(conn);
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
