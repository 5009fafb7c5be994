//! The schema's migrations as every backend embeds and records them — each migration with how
//! it is reverted, refinery's history rows and the checksum refinery keeps of each — and the
//! workflow's decisions that need no database: what is current, what is pending, which
//! versions a target names, what a downgrade reverts and drops, and what can go wrong.

use std::path::PathBuf;

/// How a migration is reverted.
#[derive(Debug, Clone, Copy)]
pub enum EmbeddedRevert {
    /// The SQL that undoes it.
    Down(&'static str),
    /// Why it cannot be undone.
    Irreversible(&'static str),
}

/// One migration compiled into the binary.
#[derive(Debug, Clone, Copy)]
pub struct EmbeddedMigration {
    pub version: u32,
    pub name: &'static str,
    pub up: &'static str,
    pub revert: EmbeddedRevert,
}

/// refinery's history table.
pub const HISTORY_TABLE: &str = "refinery_schema_history";

impl EmbeddedMigration {
    /// The checksum refinery records for this migration when it applies it: SipHash-1-3 of the
    /// name, the version (refinery's `i32`) and the SQL, as refinery computes it, without
    /// building refinery's `Migration` (which compiles a regular expression per process, a
    /// third of a millisecond on every start).
    pub fn checksum(self) -> String {
        use std::hash::{Hash, Hasher};
        let mut hasher = siphasher::sip::SipHasher13::new();
        self.name.hash(&mut hasher);
        (self.version as i32).hash(&mut hasher);
        self.up.hash(&mut hasher);
        hasher.finish().to_string()
    }
}

/// The newest version in a set of migrations.
pub fn latest(set: &[EmbeddedMigration]) -> u32 {
    set.iter().map(|m| m.version).max().unwrap_or(0)
}

/// One row of the history table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryRow {
    pub version: u32,
    pub name: String,
    pub applied_on: String,
    pub checksum: String,
}

/// A migration that was applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    pub version: u32,
    pub name: String,
}

/// A database's own error, in its words (a server's never holds the URL's password).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct DatabaseError(pub String);

#[derive(Debug, thiserror::Error)]
pub enum MigrateError {
    #[error("this database is at version {database}; this tasktui knows up to {known}")]
    Newer { database: u32, known: u32 },
    #[error("migration V{version}__{name} was changed after it was applied to this database")]
    Divergent { version: u32, name: String },
    #[error("migration failed, nothing was changed: {0}")]
    Refinery(String),
    #[error(
        "the migration was rolled back, nothing was changed: afterwards the foreign-key check found {0}"
    )]
    ForeignKeys(String),
    #[error(
        "the migration was rolled back, nothing was changed: afterwards the integrity check found {0}"
    )]
    Integrity(String),
    #[error(transparent)]
    Database(#[from] DatabaseError),
}

/// Refuses a database that a newer tasktui migrated, or whose applied migrations differ from
/// the ones in this binary.
pub fn verify(history: &[HistoryRow], set: &[EmbeddedMigration]) -> Result<(), MigrateError> {
    let known = latest(set);
    if let Some(newest) = history
        .iter()
        .map(|h| h.version)
        .max()
        .filter(|v| *v > known)
    {
        return Err(MigrateError::Newer {
            database: newest,
            known,
        });
    }
    for row in history {
        if let Some(m) = set.iter().find(|m| m.version == row.version)
            && m.checksum() != row.checksum
        {
            return Err(MigrateError::Divergent {
                version: m.version,
                name: m.name.to_string(),
            });
        }
    }
    Ok(())
}

/// The migrations of `set` not yet applied, up to `target` (the newest when `None`).
pub fn pending<'a>(
    history: &[HistoryRow],
    set: &'a [EmbeddedMigration],
    target: Option<u32>,
) -> Vec<&'a EmbeddedMigration> {
    set.iter()
        .filter(|m| target.is_none_or(|t| m.version <= t))
        .filter(|m| !history.iter().any(|h| h.version == m.version))
        .collect()
}

#[derive(Debug, thiserror::Error)]
pub enum AdminError {
    #[error("cannot upgrade to version {target}: the database is already at version {current}")]
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
    #[error("`{0}` is not a version")]
    BadTarget(String, &'static str),
    #[error("there is no migration V{0} in this tasktui")]
    NoSuchMigration(u32),
    #[error(
        "stamp is for a database with tasktui's tables and no migration history; this one is at version {0}"
    )]
    AlreadyVersioned(u32),
    #[error("the schema does not match version {target}: {}", .differences.join("; "))]
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
    #[error("another process kept the database busy for {:.0} s", .0.as_secs_f64())]
    Busy(std::time::Duration),
    /// A server's schema lock held past the wait, by the session named.
    #[error("another session held the schema lock for {:.0} s ({holder})", .waited.as_secs_f64())]
    Held {
        waited: std::time::Duration,
        holder: String,
    },
    #[error("migration V{version}__{name} cannot carry over rows that break tasktui's rules, and was rolled back (nothing was changed): {}", .rows.join("; "))]
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
    Database(#[from] DatabaseError),
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

/// `current` on a history already read, for a set of migrations: the same on every backend.
pub fn current_of(history: &[HistoryRow], set: &'static [EmbeddedMigration]) -> Current {
    let version = current_version(history);
    Current {
        version,
        name: history
            .iter()
            .find(|h| h.version == version)
            .map(|h| h.name.clone()),
        pending: pending(history, set, None),
        known: latest(set),
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

/// `upgrade_target` for a set of migrations (the PostgreSQL twins).
pub fn upgrade_target_in(set: &[EmbeddedMigration], text: &str) -> Result<u32, AdminError> {
    match text {
        "head" => Ok(latest(set)),
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

/// `downgrade_plan` on a history already read, for a set of migrations: the same on every
/// backend.
pub fn plan<'a>(
    history: &[HistoryRow],
    set: &'a [EmbeddedMigration],
    target: u32,
) -> Result<Vec<&'a EmbeddedMigration>, AdminError> {
    verify(history, set)?;
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

/// Which counts a problem is about: what `db check --fix` rebuilds for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kept {
    /// V8's tasks per assignee, state and due date.
    Tasks,
    /// V9's tasks per tag.
    Tags,
}

impl Kept {
    pub fn name(self) -> &'static str {
        match self {
            Kept::Tasks => "the task counts",
            Kept::Tags => "the tag counts",
        }
    }
}

/// How many backups of one database are kept; older ones are removed.
pub const BACKUPS_KEPT: usize = 5;
