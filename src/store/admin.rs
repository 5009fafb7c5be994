//! The migration workflow beyond refinery: current version, history, upgrade to a version,
//! downgrade, stamp and check. Every change is backed up first and made under the lock file.

use super::backup;
use super::migrate::{
    self, Applied, EmbeddedMigration, EmbeddedRevert, HISTORY_TABLE, HistoryRow, MigrateError,
};
use super::schema;
use refinery::Target;
use rusqlite::{Connection, ErrorCode, Transaction, TransactionBehavior};
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum AdminError {
    #[error(
        "cannot upgrade to version {target}: the database is already at version {current}; to go back use `tasktui db downgrade {target}`"
    )]
    UpgradeBelow { target: u32, current: u32 },
    #[error("cannot upgrade to version {target}: this tasktui knows up to version {known}")]
    UpgradeBeyond { target: u32, known: u32 },
    #[error("cannot downgrade to version {target}: the database is at version {current}")]
    DowngradeAbove { target: u32, current: u32 },
    #[error("V{version}__{name} cannot be reverted: {reason}")]
    Irreversible {
        version: u32,
        name: String,
        reason: String,
    },
    #[error("`{0}` is not a version: use a number, head{1}")]
    BadTarget(String, &'static str),
    #[error("there is no migration V{0} in this tasktui; `tasktui db history` lists them")]
    NoSuchMigration(u32),
    #[error(
        "stamp is for a database with tasktui's tables and no migration history; this one is at version {0}"
    )]
    AlreadyVersioned(u32),
    #[error("the schema does not match version {target}: {}; `tasktui db check` says which version it matches", .differences.join("; "))]
    SchemaMismatch {
        target: u32,
        differences: Vec<String>,
    },
    #[error("could not back up the database before changing it ({0}); nothing was changed")]
    Backup(String),
    #[error("reverting V{version}__{name} failed, and that step changed nothing: {detail}")]
    Revert {
        version: u32,
        name: String,
        detail: String,
    },
    #[error("another process kept the database busy for {:.0} s; try again when it is done", .0.as_secs_f64())]
    Busy(std::time::Duration),
    /// A server's schema lock held past the wait, by the session named.
    #[error("another session held the schema lock for {:.0} s ({holder}); try again when it is done", .waited.as_secs_f64())]
    Held {
        waited: std::time::Duration,
        holder: String,
    },
    #[error("migration V{version}__{name} cannot carry over rows that break tasktui's rules, and was rolled back (nothing was changed): {}; mend them, for example with sqlite3, then run `tasktui db upgrade`", .rows.join("; "))]
    InvalidRows {
        version: u32,
        name: String,
        rows: Vec<String>,
    },
    #[error(transparent)]
    Migrate(#[from] MigrateError),
    /// A database server's error, in its words (never with the URL's password).
    #[error("the server refused: {0}")]
    Server(String),
    #[error(transparent)]
    Sqlite(#[from] rusqlite::Error),
}

impl AdminError {
    /// 1 when working on a good file failed, 2 for a request or a file tasktui refuses.
    pub fn exit_code(&self) -> u8 {
        match self {
            AdminError::Backup(_)
            | AdminError::Busy(_)
            | AdminError::Held { .. }
            | AdminError::Revert { .. }
            | AdminError::Sqlite(_)
            | AdminError::Server(_)
            | AdminError::Migrate(
                MigrateError::Refinery(_)
                | MigrateError::Sqlite(_)
                | MigrateError::ForeignKeys(_)
                | MigrateError::Integrity(_),
            ) => 1,
            _ => 2,
        }
    }
}

/// Starts the IMMEDIATE transaction a change of schema runs in. SQLite's lock belongs to the file
/// itself, whatever path reached it, so the decision (what is pending, whether to back up) and
/// the change are made by one process at a time. Another writer is waited for a bounded time,
/// saying so.
fn begin_change(conn: &mut Connection) -> Result<Transaction<'_>, AdminError> {
    conn.busy_timeout(std::time::Duration::ZERO)?;
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
        Err(e) => return Err(e.into()),
    };
    let limit = super::lock::wait_limit();
    if !free {
        crate::output::error(&format!(
            "tasktui: waiting for another process to finish writing the database (giving up after {:.0} s)",
            limit.as_secs_f64()
        ));
    }
    conn.busy_timeout(limit)?;
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
        Err(e) => return Err(e.into()),
    };
    tx.busy_timeout(super::BUSY_TIMEOUT)?;
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

pub fn current_version(history: &[HistoryRow]) -> u32 {
    history.iter().map(|h| h.version).max().unwrap_or(0)
}

/// The schema version and what is pending.
#[derive(Debug)]
pub struct Current {
    pub version: u32,
    pub name: Option<String>,
    pub pending: Vec<&'static EmbeddedMigration>,
    pub known: u32,
}

pub fn current(conn: &Connection) -> Result<Current, AdminError> {
    Ok(current_of(&migrate::history(conn)?, migrate::migrations()))
}

/// `current` on a history already read, for a set of migrations: the same on every backend.
pub fn current_of(history: &[HistoryRow], set: &'static [EmbeddedMigration]) -> Current {
    let version = current_version(history);
    Current {
        version,
        name: history
            .iter()
            .find(|h| h.version == version)
            .map(|h| h.name.clone()),
        pending: migrate::pending(history, set, None),
        known: migrate::latest(set),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    Applied,
    Pending,
    /// Applied, but the migration in this binary is not the one that was applied.
    Divergent,
    /// Applied by a newer tasktui.
    Unknown,
}

impl State {
    pub fn as_str(self) -> &'static str {
        match self {
            State::Applied => "applied",
            State::Pending => "pending",
            State::Divergent => "divergent",
            State::Unknown => "unknown",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Entry {
    pub version: u32,
    pub name: String,
    pub state: State,
    pub applied_on: Option<String>,
    /// How it is reverted; `None` when this binary does not know it.
    pub revert: Option<EmbeddedRevert>,
}

/// Every migration this binary knows and every one the database records, by version.
pub fn history(conn: &Connection) -> Result<Vec<Entry>, AdminError> {
    Ok(entries(&migrate::history(conn)?, migrate::migrations()))
}

/// The migrations of `set` and the history's rows, by version, each with its state: the same
/// on every backend.
pub fn entries(rows: &[HistoryRow], set: &[EmbeddedMigration]) -> Vec<Entry> {
    let mut entries: Vec<Entry> = set
        .iter()
        .map(|m| {
            let row = rows.iter().find(|r| r.version == m.version);
            let state = match row {
                None => State::Pending,
                Some(r) if r.checksum != m.checksum() => State::Divergent,
                Some(_) => State::Applied,
            };
            Entry {
                version: m.version,
                name: m.name.to_string(),
                state,
                applied_on: row.map(|r| r.applied_on.clone()),
                revert: Some(m.revert),
            }
        })
        .collect();
    for row in rows
        .iter()
        .filter(|r| !set.iter().any(|m| m.version == r.version))
    {
        entries.push(Entry {
            version: row.version,
            name: row.name.clone(),
            state: State::Unknown,
            applied_on: Some(row.applied_on.clone()),
            revert: None,
        });
    }
    entries.sort_by_key(|e| e.version);
    entries
}

/// Parses `head` or a version number.
pub fn upgrade_target(text: &str) -> Result<u32, AdminError> {
    upgrade_target_in(migrate::migrations(), text)
}

/// `upgrade_target` for a set of migrations (the PostgreSQL twins).
pub fn upgrade_target_in(set: &[EmbeddedMigration], text: &str) -> Result<u32, AdminError> {
    match text {
        "head" => Ok(migrate::latest(set)),
        _ => text
            .parse()
            .map_err(|_| AdminError::BadTarget(text.into(), " (db upgrade head|N)")),
    }
}

/// The result of an upgrade or a downgrade.
#[derive(Debug, Default)]
pub struct Changed {
    pub migrations: Vec<Applied>,
    pub backup: Option<PathBuf>,
    pub version: u32,
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
    let seen = migrate::history(conn)?;
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
    let history = migrate::history(&tx)?;
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
    let id: i32 = tx.pragma_query_value(None, "application_id", |row| row.get(0))?;
    if id == 0 {
        tx.pragma_update(None, "application_id", super::APPLICATION_ID)?;
    }
    tx.commit()?;
    Ok(Changed {
        migrations,
        backup,
        version: target.max(current),
    })
}

/// Parses `-1` (one step, or `-k`), `base` or a version number into the version to go down to.
pub fn downgrade_target(conn: &Connection, text: &str) -> Result<u32, AdminError> {
    parse_downgrade(&migrate::history(conn)?, text)
}

/// `downgrade_target` on a history already read: the same on every backend.
pub fn parse_downgrade(history: &[HistoryRow], text: &str) -> Result<u32, AdminError> {
    let current = current_version(history);
    let bad = || AdminError::BadTarget(text.into(), ", -1 or base (db downgrade -1|N|base)");
    match text {
        "base" => Ok(0),
        _ if text.starts_with('-') => {
            let steps: usize = text[1..].parse().map_err(|_| bad())?;
            let applied: Vec<u32> = history.iter().map(|h| h.version).rev().collect();
            Ok(applied.get(steps).copied().unwrap_or(0).min(current))
        }
        _ => text.parse().map_err(|_| bad()),
    }
}

/// The migrations a downgrade to `target` reverts, newest first; refuses when one is
/// irreversible or unknown to this binary.
pub fn downgrade_plan(
    conn: &Connection,
    target: u32,
) -> Result<Vec<&'static EmbeddedMigration>, AdminError> {
    plan(&migrate::history(conn)?, migrate::migrations(), target)
}

/// `downgrade_plan` on a history already read, for a set of migrations: the same on every
/// backend.
pub fn plan<'a>(
    history: &[HistoryRow],
    set: &'a [EmbeddedMigration],
    target: u32,
) -> Result<Vec<&'a EmbeddedMigration>, AdminError> {
    migrate::verify(history, set)?;
    let current = current_version(history);
    if target >= current {
        return Err(AdminError::DowngradeAbove { target, current });
    }
    let mut plan = Vec::new();
    for row in history.iter().rev().filter(|h| h.version > target) {
        let migration = set
            .iter()
            .find(|m| m.version == row.version)
            .ok_or(AdminError::NoSuchMigration(row.version))?;
        if let EmbeddedRevert::Irreversible(reason) = migration.revert {
            return Err(AdminError::Irreversible {
                version: migration.version,
                name: migration.name.into(),
                reason: reason.trim().to_string(),
            });
        }
        plan.push(migration);
    }
    Ok(plan)
}

/// What a down migration says it destroys, from its `-- drops data: …` line.
pub fn drops_data(revert: EmbeddedRevert) -> Option<&'static str> {
    match revert {
        EmbeddedRevert::Down(sql) => sql
            .lines()
            .find_map(|l| l.trim().strip_prefix("-- drops data:"))
            .map(str::trim),
        EmbeddedRevert::Irreversible(_) => None,
    }
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
            backup::has_data(conn)?
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
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
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
    let history = migrate::history(&tx)?;
    if !history.is_empty() {
        return Err(AdminError::AlreadyVersioned(current_version(&history)));
    }
    let upto: Vec<_> = set.iter().filter(|m| m.version <= target).collect();
    let differences = schema::differences(&schema::read(&tx)?, &schema::replay(&upto)?);
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
    tx.pragma_update(None, "application_id", super::APPLICATION_ID)?;
    tx.commit()?;
    Ok(())
}

/// The SQL of migration `version`, or of its down migration.
pub fn show(version: u32, down: bool) -> Result<String, AdminError> {
    show_in(migrate::migrations(), version, down)
}

/// `show` for a set of migrations (the PostgreSQL twins).
pub fn show_in(set: &[EmbeddedMigration], version: u32, down: bool) -> Result<String, AdminError> {
    let migration = set
        .iter()
        .find(|m| m.version == version)
        .ok_or(AdminError::NoSuchMigration(version))?;
    Ok(match (down, migration.revert) {
        (false, _) => migration.up.to_string(),
        (true, EmbeddedRevert::Down(sql)) => sql.to_string(),
        (true, EmbeddedRevert::Irreversible(reason)) => format!(
            "-- V{}__{} is irreversible: {}",
            version,
            migration.name,
            reason.trim()
        ),
    })
}

/// What a downgrade will do, worked out from a read of the database: the version it goes to,
/// the migrations it reverts, and what they drop when the database holds data.
#[derive(Debug, PartialEq, Eq)]
pub struct DowngradePlan {
    pub version: u32,
    pub reverts: Vec<String>,
    pub drops: Vec<String>,
}

impl DowngradePlan {
    pub fn read(conn: &Connection, target: &str) -> Result<DowngradePlan, AdminError> {
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
}

/// Puts the database in WAL mode, as the interface keeps it. Best effort: a database that
/// stays in another mode works the same, only with less concurrency.
pub fn keep_wal(conn: &Connection) {
    let _ = conn.pragma_update(None, "journal_mode", "wal");
}
