//! Before a change of schema of a server's database that holds data: a backup in tasktui's own
//! export format, in the person's state folder.

use super::Server;
use super::exchange::export;
use super::schema::server_error;
use postgres::{GenericClient, Transaction};
use std::path::PathBuf;
use tasktui_core::schema::AdminError;

/// Whether users or tasks hold a row (a database before V1 holds nothing).
pub fn has_data(client: &mut impl GenericClient) -> Result<bool, AdminError> {
    let row = client
        .query_one(
            "SELECT to_regclass('users') IS NOT NULL AND to_regclass('tasks') IS NOT NULL",
            &[],
        )
        .map_err(server_error)?;
    if !row.get::<_, bool>(0) {
        return Ok(false);
    }
    Ok(client
        .query_one(
            "SELECT EXISTS (SELECT 1 FROM users) OR EXISTS (SELECT 1 FROM tasks)",
            &[],
        )
        .map_err(server_error)?
        .get(0))
}

/// Before a change of schema of a database that holds data: an export in tasktui's own format
/// into the state folder's `backups/`, named for the database, the version and the time, the
/// last five of that database kept. Returns where, `None` when there is nothing to lose.
pub(super) fn backup_first(
    tx: &mut Transaction<'_>,
    server: &Server,
    version: u32,
) -> Result<Option<PathBuf>, AdminError> {
    if !has_data(tx)? {
        return Ok(None);
    }
    let data = export(tx).map_err(|e| AdminError::Backup(e.to_string()))?;
    let folder = tasktui_core::paths::state_dir()
        .ok_or_else(|| AdminError::Backup("no state folder for this user".into()))?
        .join("backups");
    std::fs::create_dir_all(&folder)
        .map_err(|e| AdminError::Backup(format!("{}: {e}", folder.display())))?;
    let stem = server.file_stem();
    let stamp = tasktui_core::clock::utc_now().format("%Y%m%dT%H%M%S%.3fZ");
    let path = folder.join(format!("{stem}.v{version}-{stamp}.json"));
    let text =
        serde_json::to_string_pretty(&data).map_err(|e| AdminError::Backup(e.to_string()))?;
    let partial = path.with_extension("json.partial");
    std::fs::write(&partial, text + "\n")
        .and_then(|()| std::fs::rename(&partial, &path))
        .map_err(|e| {
            let _ = std::fs::remove_file(&partial);
            AdminError::Backup(format!("{}: {e}", path.display()))
        })?;
    let mut kept: Vec<PathBuf> = std::fs::read_dir(&folder)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| {
                    p.file_name().and_then(|n| n.to_str()).is_some_and(|n| {
                        n.starts_with(&format!("{stem}.v")) && n.ends_with(".json")
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    // Named by time after the version: sorted by the time part, newest last.
    kept.sort_by_key(|p| {
        p.file_name()
            .and_then(|n| n.to_str())
            .and_then(|n| n.rsplit_once('-').map(|(_, time)| time.to_string()))
            .unwrap_or_default()
    });
    while kept.len() > tasktui_core::schema::BACKUPS_KEPT {
        let _ = std::fs::remove_file(kept.remove(0));
    }
    Ok(Some(path))
}
