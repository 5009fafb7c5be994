//! The PostgreSQL twins of the migrations (`migrations/postgres/`) and the whole `db` workflow
//! on a server: current, history, upgrade, downgrade, stamp, check and show. refinery applies
//! the ups, grouped, inside a transaction tasktui holds under an advisory lock, so processes
//! starting together migrate once; DDL is transactional, so a failed migration leaves nothing.

use super::backup::backup_first;
pub use super::backup::has_data;
use super::check::drift;
pub use super::check::{check, mend};
pub use super::schema::{MIGRATIONS, begin_change};
use super::schema::{history, server_error};
use super::{Server, ServerError};
use postgres::{Client, Transaction};
use refinery::Target;
use tasktui_core::schema::{
    AdminError, Applied, Changed, Current, DowngradePlan, EmbeddedMigration, EmbeddedRevert, Entry,
    HISTORY_TABLE, MigrateError, current_of, current_version, drops_data, latest, parse_downgrade,
    pending, plan, verify,
};

/// refinery's history table, as refinery creates it.
const CREATE_HISTORY: &str = "CREATE TABLE IF NOT EXISTS refinery_schema_history(
             version int4 PRIMARY KEY,
             name VARCHAR(255),
             applied_on VARCHAR(255),
             checksum VARCHAR(255));";

/// refinery's engine, running its statements inside the transaction tasktui holds.
struct Uncommitted<'t, 'c>(&'t mut Transaction<'c>);

impl refinery_core::traits::sync::Transaction for Uncommitted<'_, '_> {
    type Error = postgres::Error;

    fn execute<'q, T: Iterator<Item = &'q str>>(
        &mut self,
        queries: T,
    ) -> Result<usize, postgres::Error> {
        let mut count = 0;
        for query in queries {
            self.0.batch_execute(query)?;
            count += 1;
        }
        Ok(count)
    }
}

/// Records `migrations` with refinery, running their SQL unless `target` is a fake one.
fn record(
    tx: &mut Transaction<'_>,
    migrations: &[&EmbeddedMigration],
    target: Target,
) -> Result<(), AdminError> {
    tx.batch_execute(CREATE_HISTORY).map_err(server_error)?;
    let migrations = migrations
        .iter()
        .map(|m| refinery::Migration::unapplied(&format!("V{}__{}", m.version, m.name), m.up))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| MigrateError::Refinery(e.to_string()))?;
    refinery_core::traits::sync::migrate(
        &mut Uncommitted(tx),
        migrations,
        target,
        HISTORY_TABLE,
        true,
    )
    .map_err(|e| MigrateError::Refinery(e.to_string()))?;
    Ok(())
}

pub fn current(client: &mut Client) -> Result<Current, AdminError> {
    Ok(current_of(&history(client)?, MIGRATIONS))
}

/// Every migration this binary knows and every one the database records, by version.
pub fn entries(client: &mut Client) -> Result<Vec<Entry>, AdminError> {
    Ok(tasktui_core::schema::entries(&history(client)?, MIGRATIONS))
}

/// Applies the pending migrations up to `target` (the newest when `None`) in one transaction
/// under the schema lock, after writing a backup when the database holds data.
pub fn upgrade(
    client: &mut Client,
    server: &Server,
    target: Option<u32>,
) -> Result<Changed, AdminError> {
    let known = latest(MIGRATIONS);
    let target = target.unwrap_or(known);
    let mut tx = begin_change(client)?;
    let history = history(&mut tx)?;
    verify(&history, MIGRATIONS)?;
    let current = current_version(&history);
    if target > known {
        return Err(AdminError::UpgradeBeyond { target, known });
    }
    if target < current {
        return Err(AdminError::UpgradeBelow { target, current });
    }
    let pending = pending(&history, MIGRATIONS, Some(target));
    if pending.is_empty() {
        return Ok(Changed {
            version: current,
            ..Changed::default()
        });
    }
    let backup = backup_first(&mut tx, server, current)?;
    record(
        &mut tx,
        &pending,
        Target::Version(i32::try_from(target).unwrap_or(i32::MAX)),
    )?;
    tx.commit().map_err(server_error)?;
    Ok(Changed {
        migrations: pending
            .iter()
            .map(|m| Applied {
                version: m.version,
                name: m.name.to_string(),
            })
            .collect(),
        backup,
        version: target,
    })
}

/// What a downgrade will do, from a read of the database.
pub fn downgrade_read(client: &mut Client, target: &str) -> Result<DowngradePlan, AdminError> {
    let history = history(client)?;
    let version = parse_downgrade(&history, target)?;
    let plan = plan(&history, MIGRATIONS, version)?;
    let reverts = plan
        .iter()
        .map(|m| format!("V{}__{}", m.version, m.name))
        .collect();
    let mut drops = Vec::new();
    let holds_data = has_data(client)?;
    for m in &plan {
        if let Some(what) = drops_data(m.revert)
            && holds_data
        {
            drops.push(format!("V{}__{}: {what}", m.version, m.name));
        }
    }
    Ok(DowngradePlan {
        version,
        reverts,
        drops,
    })
}

/// Reverts down to `target` in one transaction under the schema lock, after a backup; the plan
/// must still be `seen` (another client may have changed the schema while the person was asked).
pub fn downgrade(
    client: &mut Client,
    server: &Server,
    target: &str,
    seen: &DowngradePlan,
) -> Result<Option<Changed>, AdminError> {
    let mut tx = begin_change(client)?;
    let history = history(&mut tx)?;
    let version = parse_downgrade(&history, target)?;
    let plan = plan(&history, MIGRATIONS, version)?;
    let reverts: Vec<String> = plan
        .iter()
        .map(|m| format!("V{}__{}", m.version, m.name))
        .collect();
    if version != seen.version || reverts != seen.reverts {
        return Ok(None);
    }
    let backup = backup_first(&mut tx, server, current_version(&history))?;
    let mut reverted = Vec::new();
    for migration in plan {
        let fail = |detail: String| AdminError::Revert {
            version: migration.version,
            name: migration.name.to_string(),
            detail,
        };
        let EmbeddedRevert::Down(sql) = migration.revert else {
            return Err(fail("it is irreversible".into()));
        };
        tx.batch_execute(sql)
            .map_err(|e| fail(super::errors::detail(&e)))?;
        let version = i32::try_from(migration.version).unwrap_or(i32::MAX);
        tx.execute(
            &format!("DELETE FROM {HISTORY_TABLE} WHERE version = $1"),
            &[&version],
        )
        .map_err(|e| fail(super::errors::detail(&e)))?;
        reverted.push(Applied {
            version: migration.version,
            name: migration.name.to_string(),
        });
    }
    tx.commit().map_err(server_error)?;
    Ok(Some(Changed {
        migrations: reverted,
        backup,
        version,
    }))
}

/// Adopts a database with tasktui's tables and no history, after checking that its schema is
/// exactly version `target`'s.
pub fn stamp(client: &mut Client, target: u32) -> Result<(), AdminError> {
    if !MIGRATIONS.iter().any(|m| m.version == target) {
        return Err(AdminError::NoSuchMigration(target));
    }
    let mut tx = begin_change(client)?;
    let history = history(&mut tx)?;
    if !history.is_empty() {
        return Err(AdminError::AlreadyVersioned(current_version(&history)));
    }
    let upto: Vec<_> = MIGRATIONS.iter().filter(|m| m.version <= target).collect();
    let differences = drift(&mut tx, &upto)?;
    if !differences.is_empty() {
        return Err(AdminError::SchemaMismatch {
            target,
            differences,
        });
    }
    record(
        &mut tx,
        &upto,
        Target::FakeVersion(i32::try_from(target).unwrap_or(i32::MAX)),
    )?;
    tx.commit().map_err(server_error)
}

/// Opens the server's database for the interface or a command: connects, migrates what is
/// pending, and returns the store with what was applied and the backup taken.
/// Connects and opens the store only when nothing is pending: what a dry run uses, which must
/// change nothing, not even the schema.
pub fn open_as_it_is(server: &Server) -> Result<super::PgStore, ServerError> {
    let mut client = super::connect(server)?;
    let now = current(&mut client).map_err(|e| ServerError::Migrate(Box::new(e)))?;
    let known = latest(MIGRATIONS);
    if now.version != known {
        return Err(ServerError::DryRunNeedsMigration {
            at: now.version,
            known,
        });
    }
    super::PgStore::new(server.clone(), client)
}

pub fn open(server: &Server) -> Result<super::PgOpened, ServerError> {
    let mut client = super::connect(server)?;
    let changed = upgrade(&mut client, server, None).map_err(|e| match e {
        AdminError::Server(detail) if detail.contains("permission denied") => {
            ServerError::Denied(detail)
        }
        other => ServerError::Migrate(Box::new(other)),
    })?;
    Ok(super::PgOpened {
        store: super::PgStore::new(server.clone(), client)?,
        applied: changed.migrations,
        backup: changed.backup,
    })
}
