//! The migration workflow beyond refinery: current version, history, upgrade to a version,
//! downgrade, stamp and check. Every change is backed up first and made under the lock file.

use super::backup;
use super::migrate::{
    self, Applied, EmbeddedMigration, EmbeddedRevert, HISTORY_TABLE, HistoryRow, MigrateError,
};
use super::schema;
use crate::in_words;
use refinery::Target;
use rusqlite::{Connection, ErrorCode, Transaction, TransactionBehavior};
use std::path::{Path, PathBuf};
pub use tasktui_core::schema::{
    AdminError, Changed, Current, DowngradePlan, Entry, State, current_of, current_version,
    drops_data, entries, parse_downgrade, plan, show_in, upgrade_target_in,
};

/// Starts the IMMEDIATE transaction a change of schema runs in. SQLite's lock belongs to the file
/// itself, whatever path reached it, so the decision (what is pending, whether to back up) and
/// the change are made by one process at a time. Another writer is waited for a bounded time,
/// saying so.
fn begin_change(conn: &mut Connection) -> Result<Transaction<'_>, AdminError> {
    conn.busy_timeout(std::time::Duration::ZERO)
        .map_err(in_words)?;
    let free = match conn.execute_batch("BEGIN IMMEDIATE; ROLLBACK;") {
        Ok(()) => true,
        Err(e)
            if matches!(
                e.sqlite_error_code(),
                Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked)
            ) =>
        {
            false
        }
        Err(e) => return Err(in_words(e).into()),
    };
    let limit = super::lock::wait_limit();
    if !free {
        tasktui_core::text::notice(&format!(
            "tasktui: waiting for another process to finish writing the database (giving up after {:.0} s)",
            limit.as_secs_f64()
        ));
    }
    conn.busy_timeout(limit).map_err(in_words)?;
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate);
    let tx = match tx {
        Ok(tx) => tx,
        Err(e)
            if matches!(
                e.sqlite_error_code(),
                Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked)
            ) =>
        {
            return Err(AdminError::Busy(limit));
        }
        Err(e) => return Err(in_words(e).into()),
    };
    tx.busy_timeout(super::BUSY_TIMEOUT).map_err(in_words)?;
    Ok(tx)
}

/// Explains a failed migration: rows that break the rules a rebuilt table checks are named,
/// with the way to mend each; anything else is reported as it is.
fn explain(conn: &Connection, migration: &EmbeddedMigration, error: MigrateError) -> AdminError {
    let constraint =
        matches!(&error, MigrateError::Refinery(text) if text.contains("constraint failed"));
    match super::rules::invalid_rows(conn) {
        Ok(rows) if constraint && !rows.is_empty() => AdminError::InvalidRows {
            version: migration.version,
            name: migration.name.to_string(),
            rows,
        },
        _ => AdminError::Migrate(error),
    }
}

pub fn current(conn: &Connection) -> Result<Current, AdminError> {
    Ok(current_of(
        &migrate::history(conn).map_err(in_words)?,
        migrate::migrations(),
    ))
}

/// Every migration this binary knows and every one the database records, by version.
pub fn history(conn: &Connection) -> Result<Vec<Entry>, AdminError> {
    Ok(entries(
        &migrate::history(conn).map_err(in_words)?,
        migrate::migrations(),
    ))
}

/// Parses `head` or a version number.
pub fn upgrade_target(text: &str) -> Result<u32, AdminError> {
    upgrade_target_in(migrate::migrations(), text)
}

fn backup_first(conn: &Connection, path: &Path) -> Result<Option<PathBuf>, AdminError> {
    backup::before_migrating(conn, path).map_err(AdminError::Backup)
}

/// Refuses a target below the current version or beyond the newest; returns the current one.
fn check_upgrade(history: &[HistoryRow], target: u32) -> Result<u32, AdminError> {
    let set = migrate::migrations();
    migrate::verify(history, set)?;
    let current = current_version(history);
    let known = migrate::latest(set);
    if target > known {
        return Err(AdminError::UpgradeBeyond { target, known });
    }
    if target < current {
        return Err(AdminError::UpgradeBelow { target, current });
    }
    Ok(current)
}

/// Applies the pending migrations up to `target` in one transaction: backup, migrations, checks
/// and history commit together or not at all. A refused target writes nothing.
pub fn upgrade(conn: &mut Connection, path: &Path, target: u32) -> Result<Changed, AdminError> {
    let set = migrate::migrations();
    let seen = migrate::history(conn).map_err(in_words)?;
    let current = check_upgrade(&seen, target)?;
    if migrate::pending(&seen, set, Some(target)).is_empty() {
        // Nothing to do, and nothing to wait for: no other process can un-apply a migration.
        return Ok(Changed {
            version: current,
            ..Changed::default()
        });
    }
    let tx = begin_change(conn)?;
    // Read again under the lock: another process may have migrated meanwhile.
    let history = migrate::history(&tx).map_err(in_words)?;
    let current = check_upgrade(&history, target)?;
    let pending = migrate::pending(&history, set, Some(target));
    let Some(&first) = pending.first() else {
        return Ok(Changed {
            version: current,
            ..Changed::default()
        });
    };
    let backup = backup_first(&tx, path)?;
    let migrations = match migrate::apply(&tx, set, Some(target)) {
        Ok(applied) => applied,
        Err(error) => {
            drop(tx);
            return Err(explain(conn, first, error));
        }
    };
    let id: i32 = tx
        .pragma_query_value(None, "application_id", |row| row.get(0))
        .map_err(in_words)?;
    if id == 0 {
        tx.pragma_update(None, "application_id", super::APPLICATION_ID)
            .map_err(in_words)?;
    }
    tx.commit().map_err(in_words)?;
    Ok(Changed {
        migrations,
        backup,
        version: target.max(current),
    })
}

/// Parses `-1` (one step, or `-k`), `base` or a version number into the version to go down to.
pub fn downgrade_target(conn: &Connection, text: &str) -> Result<u32, AdminError> {
    parse_downgrade(&migrate::history(conn).map_err(in_words)?, text)
}

/// The migrations a downgrade to `target` reverts, newest first; refuses when one is
/// irreversible or unknown to this binary.
pub fn downgrade_plan(
    conn: &Connection,
    target: u32,
) -> Result<Vec<&'static EmbeddedMigration>, AdminError> {
    plan(
        &migrate::history(conn).map_err(in_words)?,
        migrate::migrations(),
        target,
    )
}

/// What the down migrations of a plan would destroy in this database, one line each: a down
/// that declares it drops data counts when a table it drops holds a row (or, when it drops no
/// table by name, when the database holds any data).
pub fn data_dropped_by(
    conn: &Connection,
    plan: &[&EmbeddedMigration],
) -> Result<Vec<String>, AdminError> {
    let mut lost = Vec::new();
    for m in plan {
        let (Some(what), EmbeddedRevert::Down(sql)) = (drops_data(m.revert), m.revert) else {
            continue;
        };
        let tables = dropped_tables(sql);
        let holds_rows = if tables.is_empty() {
            backup::has_data(conn).map_err(in_words)?
        } else {
            tables.iter().any(|table| {
                conn.query_row(
                    &format!(
                        "SELECT EXISTS (SELECT 1 FROM \"{}\")",
                        table.replace('"', "\"\"")
                    ),
                    [],
                    |row| row.get::<_, bool>(0),
                )
                .unwrap_or(false)
            })
        };
        if holds_rows {
            lost.push(format!("V{}__{}: {what}", m.version, m.name));
        }
    }
    Ok(lost)
}

/// The tables a down migration drops by name (`DROP TABLE [IF EXISTS] name`).
fn dropped_tables(sql: &str) -> Vec<String> {
    sql.lines()
        .filter_map(|line| {
            let line = line.trim();
            let rest = line
                .strip_prefix("DROP TABLE IF EXISTS ")
                .or_else(|| line.strip_prefix("DROP TABLE "))?;
            let name = rest.trim_end_matches(';').trim().trim_matches('"');
            (!name.is_empty()).then(|| name.to_string())
        })
        .collect()
}

/// Reverts the plan from the top, one IMMEDIATE transaction per step: the down SQL, exactly
/// that history row, and a foreign-key check. A failing step leaves its version in place.
pub fn downgrade(conn: &mut Connection, path: &Path, target: u32) -> Result<Changed, AdminError> {
    let plan = downgrade_plan(conn, target)?;
    let backup = backup_first(conn, path)?;
    let mut reverted = Vec::new();
    for migration in plan {
        revert(conn, migration)?;
        reverted.push(Applied {
            version: migration.version,
            name: migration.name.to_string(),
        });
    }
    Ok(Changed {
        migrations: reverted,
        backup,
        version: target,
    })
}

fn revert(conn: &mut Connection, migration: &EmbeddedMigration) -> Result<(), AdminError> {
    let fail = |detail: String| AdminError::Revert {
        version: migration.version,
        name: migration.name.to_string(),
        detail,
    };
    let EmbeddedRevert::Down(sql) = migration.revert else {
        return Err(fail("it is irreversible".into()));
    };
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(in_words)?;
    tx.execute_batch(sql).map_err(|e| fail(e.to_string()))?;
    let removed = tx
        .execute(
            &format!("DELETE FROM {HISTORY_TABLE} WHERE version = ?1"),
            [migration.version],
        )
        .map_err(|e| fail(e.to_string()))?;
    if removed != 1 {
        return Err(fail(format!(
            "expected one history row for it, found {removed}"
        )));
    }
    migrate::check_foreign_keys(&tx).map_err(fail)?;
    tx.commit().map_err(|e| fail(e.to_string()))?;
    Ok(())
}

/// Adopts a database that has tasktui's tables but no history, after checking that its schema
/// is exactly that of version `target`: records the migrations up to it as applied.
pub fn stamp(conn: &mut Connection, target: u32) -> Result<(), AdminError> {
    let set = migrate::migrations();
    if !set.iter().any(|m| m.version == target) {
        return Err(AdminError::NoSuchMigration(target));
    }
    let tx = begin_change(conn)?;
    let history = migrate::history(&tx).map_err(in_words)?;
    if !history.is_empty() {
        return Err(AdminError::AlreadyVersioned(current_version(&history)));
    }
    let upto: Vec<_> = set.iter().filter(|m| m.version <= target).collect();
    let differences = schema::differences(
        &schema::read(&tx).map_err(in_words)?,
        &schema::replay(&upto).map_err(in_words)?,
    );
    if !differences.is_empty() {
        return Err(AdminError::SchemaMismatch {
            target,
            differences,
        });
    }
    // refinery's way to record migrations as applied without running them.
    migrate::record(
        &tx,
        &upto,
        Target::FakeVersion(i32::try_from(target).unwrap_or(i32::MAX)),
    )?;
    tx.pragma_update(None, "application_id", super::APPLICATION_ID)
        .map_err(in_words)?;
    tx.commit().map_err(in_words)?;
    Ok(())
}

/// The SQL of migration `version`, or of its down migration.
pub fn show(version: u32, down: bool) -> Result<String, AdminError> {
    show_in(migrate::migrations(), version, down)
}

/// What a downgrade to `target` will do, read from the database (`DowngradePlan`).
pub fn read_downgrade(conn: &Connection, target: &str) -> Result<DowngradePlan, AdminError> {
    let version = downgrade_target(conn, target)?;
    let plan = downgrade_plan(conn, version)?;
    let reverts = plan
        .iter()
        .map(|m| format!("V{}__{}", m.version, m.name))
        .collect();
    let drops = data_dropped_by(conn, &plan)?;
    Ok(DowngradePlan {
        version,
        reverts,
        drops,
    })
}

/// Puts the database in WAL mode, as the interface keeps it. Best effort: a database that
/// stays in another mode works the same, only with less concurrency.
pub fn keep_wal(conn: &Connection) {
    let _ = conn.pragma_update(None, "journal_mode", "wal");
}
