//! Online backups beside the database, taken before its schema changes.

use super::migrate::{self, HISTORY_TABLE};
use chrono::Utc;
use rusqlite::Connection;
use rusqlite::backup::Progress;
use std::path::{Path, PathBuf};

/// How many backups of one database are kept; older ones are removed.
pub const KEEP: usize = 5;

/// Whether any table holds a row, leaving out the history, virtual tables and their shadow
/// tables (a search index has rows of its own even when empty).
pub fn has_data(conn: &Connection) -> rusqlite::Result<bool> {
    let tables: Vec<String> = conn
        .prepare(
            "SELECT name FROM sqlite_master AS t WHERE type = 'table'
             AND name NOT LIKE 'sqlite_%' AND name <> ?1
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
/// beside it. Returns where, or `None` for a database with nothing to lose.
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
    let file = path
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_default();
    let stamp = Utc::now().format("%Y%m%dT%H%M%SZ");
    let mut target = path.with_file_name(format!("{file}.v{version}-{stamp}.bak"));
    let mut n = 2;
    while target.exists() {
        target = path.with_file_name(format!("{file}.v{version}-{stamp}-{n}.bak"));
        n += 1;
    }
    conn.backup(rusqlite::MAIN_DB, &target, None::<fn(Progress)>)
        .map_err(|e| format!("{}: {e}", target.display()))?;
    prune(path);
    Ok(Some(target))
}

/// The backups of the database at `path`, oldest first.
pub fn list(path: &Path) -> Vec<PathBuf> {
    let file = path
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_default();
    let folder = super::folder_of(path);
    let prefix = format!("{file}.v");
    let mut found: Vec<(std::time::SystemTime, PathBuf)> = std::fs::read_dir(folder)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            name.starts_with(&prefix) && name.ends_with(".bak")
        })
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

/// Keeps the newest `KEEP` backups.
fn prune(path: &Path) {
    let backups = list(path);
    let excess = backups.len().saturating_sub(KEEP);
    for old in &backups[..excess] {
        let _ = std::fs::remove_file(old);
    }
}
