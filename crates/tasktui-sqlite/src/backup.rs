//! Online backups beside the database, taken before its schema changes.

use super::migrate::{self, HISTORY_TABLE};
use rusqlite::Connection;
use rusqlite::backup::Progress;
use std::path::{Path, PathBuf};

pub use tasktui_core::schema::BACKUPS_KEPT as KEEP;

/// Whether any table holds a row, leaving out the history, virtual tables and their shadow
/// tables (a search index has rows of its own even when empty), and `search_positions`, the
/// numbers V11 fills in every database.
pub fn has_data(conn: &Connection) -> rusqlite::Result<bool> {
    let tables: Vec<String> = conn
        .prepare(
            "SELECT name FROM sqlite_master AS t WHERE type = 'table'
             AND name NOT LIKE 'sqlite_%' AND name <> ?1 AND name <> 'search_positions'
             AND sql NOT LIKE 'CREATE VIRTUAL TABLE%'
             AND NOT EXISTS (SELECT 1 FROM sqlite_master AS v
                             WHERE v.sql LIKE 'CREATE VIRTUAL TABLE%' AND t.name LIKE v.name || '\\_%' ESCAPE '\\')",
        )?
        .query_map([HISTORY_TABLE], |row| row.get(0))?
        .collect::<Result<_, _>>()?;
    for table in tables {
        let sql = format!(
            "SELECT EXISTS (SELECT 1 FROM \"{}\")",
            table.replace('"', "\"\"")
        );
        if conn.query_row(&sql, [], |row| row.get::<_, bool>(0))? {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Backs up a database that holds data, before its schema changes: `<file>.v<version>-<UTC time>.bak`
/// beside it. The copy is written under a temporary name, checked, flushed to disk and only then
/// renamed, so a copy cut short (killed, disk full) never carries a backup's name. Returns where,
/// or `None` for a database with nothing to lose.
pub fn before_migrating(conn: &Connection, path: &Path) -> Result<Option<PathBuf>, String> {
    if !has_data(conn).map_err(|e| e.to_string())? {
        return Ok(None);
    }
    let version = migrate::history(conn)
        .map_err(|e| e.to_string())?
        .iter()
        .map(|h| h.version)
        .max()
        .unwrap_or(0);
    let file = path.file_name().unwrap_or_default().to_os_string();
    let stamp = tasktui_core::clock::utc_now()
        .format("%Y%m%dT%H%M%SZ")
        .to_string();
    let named = |n: u32| {
        let mut name = file.clone();
        name.push(format!(".v{version}-{stamp}"));
        if n > 1 {
            name.push(format!("-{n}"));
        }
        name.push(".bak");
        path.with_file_name(name)
    };
    let mut n = 1;
    while named(n).exists() {
        n += 1;
    }
    let target = named(n);
    remove_partials(path);
    let mut partial = target.clone().into_os_string();
    partial.push(PARTIAL);
    let partial = PathBuf::from(partial);
    let written = write_checked(path, &partial);
    if let Err(e) = written {
        let _ = std::fs::remove_file(&partial);
        return Err(format!("{}: {e}", target.display()));
    }
    std::fs::rename(&partial, &target).map_err(|e| format!("{}: {e}", target.display()))?;
    if let Ok(folder) = std::fs::File::open(super::folder_of(path)) {
        let _ = folder.sync_all();
    }
    prune(path);
    Ok(Some(target))
}

/// The end of a backup's name while it is being written.
const PARTIAL: &str = ".partial";

/// Copies the database to `partial` with SQLite's online backup, checks the copy and flushes it.
/// The copy is read through a connection of its own: the caller's holds the write transaction
/// the migration will run in, and SQLite refuses to back up from a connection that is writing.
fn write_checked(path: &Path, partial: &Path) -> Result<(), String> {
    let source = Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(|e| e.to_string())?;
    source
        .busy_timeout(super::BUSY_TIMEOUT)
        .map_err(|e| e.to_string())?;
    source
        .backup(rusqlite::MAIN_DB, partial, None::<fn(Progress)>)
        .map_err(|e| e.to_string())?;
    drop(source);
    // One self-contained file: the copy takes the source's WAL mode, which would give it -wal
    // and -shm files of its own whenever it is opened.
    let copy = Connection::open(partial).map_err(|e| e.to_string())?;
    copy.pragma_update(None, "journal_mode", "delete")
        .map_err(|e| e.to_string())?;
    // The copy's structure must be sound; rows that break a CHECK are copied as they are.
    let problems: Vec<String> = copy
        .prepare("PRAGMA quick_check")
        .and_then(|mut s| s.query_map([], |row| row.get(0))?.collect())
        .map_err(|e: rusqlite::Error| e.to_string())?;
    let problems: Vec<&String> = problems
        .iter()
        .filter(|p| {
            *p != "ok"
                && !p.starts_with("CHECK constraint failed")
                && !p.starts_with("NULL value in")
        })
        .collect();
    if !problems.is_empty() {
        return Err(format!("the copy does not check out: {problems:?}"));
    }
    drop(copy);
    std::fs::File::open(partial)
        .and_then(|f| f.sync_all())
        .map_err(|e| e.to_string())
}

/// Whether `name` is exactly what `before_migrating` names a backup of the database file named
/// `file` (with `suffix` after `.bak`): `<file>.v<digits>-<8 digits>T<6 digits>Z[-<digits>].bak`.
fn is_backup_name(file: &[u8], name: &[u8], suffix: &[u8]) -> bool {
    let digits = |s: &[u8]| -> usize { s.iter().take_while(|b| b.is_ascii_digit()).count() };
    let Some(rest) = name.strip_prefix(file).and_then(|r| r.strip_prefix(b".v")) else {
        return false;
    };
    let Some(rest) = rest
        .strip_suffix(suffix)
        .and_then(|r| r.strip_suffix(b".bak"))
    else {
        return false;
    };
    let version = digits(rest);
    let Some(rest) = rest.get(version..).filter(|_| version > 0) else {
        return false;
    };
    let Some(rest) = rest.strip_prefix(b"-") else {
        return false;
    };
    let stamp_ok = rest.len() >= 16
        && digits(rest) == 8
        && rest.get(8) == Some(&b'T')
        && rest.get(9..15).is_some_and(|t| digits(t) == 6)
        && rest.get(15) == Some(&b'Z');
    let Some(tail) = rest.get(16..).filter(|_| stamp_ok) else {
        return false;
    };
    tail.is_empty()
        || tail
            .strip_prefix(b"-")
            .is_some_and(|n| !n.is_empty() && digits(n) == n.len())
}

/// The files in the database's folder whose names `is_backup_name` accepts, oldest first.
fn named_like_backups(path: &Path, suffix: &[u8]) -> Vec<PathBuf> {
    let file = path
        .file_name()
        .unwrap_or_default()
        .as_encoded_bytes()
        .to_vec();
    let mut found: Vec<(std::time::SystemTime, PathBuf)> =
        std::fs::read_dir(super::folder_of(path))
            .into_iter()
            .flatten()
            .flatten()
            .filter(|e| is_backup_name(&file, e.file_name().as_encoded_bytes(), suffix))
            .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
            .map(|e| {
                (
                    e.metadata()
                        .and_then(|m| m.modified())
                        .unwrap_or(std::time::UNIX_EPOCH),
                    e.path(),
                )
            })
            .collect();
    found.sort();
    found.into_iter().map(|(_, p)| p).collect()
}

/// The backups of the database at `path`, oldest first: only files named exactly as tasktui
/// names them, so a user's `t.db.vacation-notes.bak` is never one.
pub fn list(path: &Path) -> Vec<PathBuf> {
    named_like_backups(path, b"")
}

/// Removes copies a killed or failed backup left behind under their temporary name. Called
/// with the database's lock held, so no other tasktui is writing one.
fn remove_partials(path: &Path) {
    let sidecars = ["", "-journal", "-wal", "-shm"].map(|end| format!("{PARTIAL}{end}"));
    for suffix in &sidecars {
        for partial in named_like_backups(path, suffix.as_bytes()) {
            let _ = std::fs::remove_file(partial);
        }
    }
}

/// Keeps the newest `KEEP` backups.
fn prune(path: &Path) {
    let backups = list(path);
    let excess = backups.len().saturating_sub(KEEP);
    for old in backups.iter().take(excess) {
        let _ = std::fs::remove_file(old);
    }
}

#[cfg(test)]
mod tests {
    use super::is_backup_name;

    #[test]
    fn only_names_tasktui_writes_are_backups() {
        let yes = |name: &str| is_backup_name(b"t.db", name.as_bytes(), b"");
        assert!(yes("t.db.v1-20261123T101500Z.bak"));
        assert!(yes("t.db.v12-20261123T101500Z-3.bak"));
        for no in [
            "t.db.vacation-notes.bak",
            "t.db.v1.bak",
            "t.db.v-20261123T101500Z.bak",
            "t.db.v1-20261123T101500Z.bak.partial",
            "t.db.v1-20261123T1015Z.bak",
            "t.db.v1-20261123T101500Z-.bak",
            "t.db.v1-20261123T101500Z-x.bak",
            "t.db.old.v1-20261123T101500Z.bak",
            "t.db.v1-2026112XT101500Z.bak",
        ] {
            assert!(!yes(no), "{no}");
        }
        assert!(is_backup_name(
            b"t.db",
            b"t.db.v1-20261123T101500Z.bak.partial",
            b".partial"
        ));
    }
}
