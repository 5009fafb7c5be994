//! The PostgreSQL twins of the migrations (`migrations/postgres/`) and the whole `db` workflow
//! on a server: current, history, upgrade, downgrade, stamp, check and show. refinery applies
//! the ups, grouped, inside a transaction tasktui holds under an advisory lock, so processes
//! starting together migrate once; DDL is transactional, so a failed migration leaves nothing.

use super::{Server, ServerError, rows};
use crate::store::admin::{AdminError, Changed, Current, DowngradePlan, Entry, State};
use crate::store::migrate::{
    self, Applied, EmbeddedMigration, EmbeddedRevert, HISTORY_TABLE, HistoryRow, MigrateError,
};
use postgres::{Client, GenericClient, Transaction};
use refinery::Target;
use std::path::PathBuf;

/// Every migration in `migrations/postgres/`, in version order (the build checks that they
/// pair with SQLite's by version and name).
pub const MIGRATIONS: &[EmbeddedMigration] =
    include!(concat!(env!("OUT_DIR"), "/migrations_postgres.rs"));

/// The advisory lock every schema change of a tasktui database takes ("TSKT").
const LOCK: i64 = 0x5453_4B54;

/// refinery's history table, as refinery creates it.
const CREATE_HISTORY: &str = "CREATE TABLE IF NOT EXISTS refinery_schema_history(
             version int4 PRIMARY KEY,
             name VARCHAR(255),
             applied_on VARCHAR(255),
             checksum VARCHAR(255));";

fn server_error(error: postgres::Error) -> AdminError {
    let detail = super::errors::detail(&error);
    if error.code() == Some(&postgres::error::SqlState::INSUFFICIENT_PRIVILEGE) {
        return AdminError::Server(format!(
            "{detail}; changes of schema and `db check` need the role that owns the database"
        ));
    }
    AdminError::Server(detail)
}

/// The history table's rows by version, empty when the database has none.
pub fn history(client: &mut impl GenericClient) -> Result<Vec<HistoryRow>, AdminError> {
    let exists: bool = client
        .query_one(
            "SELECT to_regclass('refinery_schema_history') IS NOT NULL",
            &[],
        )
        .map_err(server_error)?
        .get(0);
    if !exists {
        return Ok(Vec::new());
    }
    let rows = client
        .query(
            &format!(
                "SELECT version, coalesce(name, ''), coalesce(applied_on, ''), coalesce(checksum, '')
                 FROM {HISTORY_TABLE} ORDER BY version"
            ),
            &[],
        )
        .map_err(server_error)?;
    Ok(rows
        .iter()
        .map(|row| HistoryRow {
            version: u32::try_from(row.get::<_, i32>(0)).unwrap_or(0),
            name: row.get(1),
            applied_on: row.get(2),
            checksum: row.get(3),
        })
        .collect())
}

fn current_version(history: &[HistoryRow]) -> u32 {
    history.iter().map(|h| h.version).max().unwrap_or(0)
}

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

/// A transaction holding the schema lock: another tasktui changing the schema is waited for.
fn begin_change(client: &mut Client) -> Result<Transaction<'_>, AdminError> {
    let mut tx = client.transaction().map_err(server_error)?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&LOCK])
        .map_err(server_error)?;
    Ok(tx)
}

pub fn current(client: &mut Client) -> Result<Current, AdminError> {
    let history = history(client)?;
    let version = current_version(&history);
    Ok(Current {
        version,
        name: history
            .iter()
            .find(|h| h.version == version)
            .map(|h| h.name.clone()),
        pending: migrate::pending(&history, MIGRATIONS, None),
        known: migrate::latest(MIGRATIONS),
    })
}

/// Every migration this binary knows and every one the database records, by version.
pub fn entries(client: &mut Client) -> Result<Vec<Entry>, AdminError> {
    let rows = history(client)?;
    let mut entries: Vec<Entry> = MIGRATIONS
        .iter()
        .map(|m| {
            let row = rows.iter().find(|r| r.version == m.version);
            Entry {
                version: m.version,
                name: m.name.to_string(),
                state: match row {
                    None => State::Pending,
                    Some(r) if r.checksum != m.checksum() => State::Divergent,
                    Some(_) => State::Applied,
                },
                applied_on: row.map(|r| r.applied_on.clone()),
                revert: Some(m.revert),
            }
        })
        .collect();
    for row in rows
        .iter()
        .filter(|r| !MIGRATIONS.iter().any(|m| m.version == r.version))
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
    Ok(entries)
}

/// Applies the pending migrations up to `target` (the newest when `None`) in one transaction
/// under the schema lock, after writing a backup when the database holds data.
pub fn upgrade(
    client: &mut Client,
    server: &Server,
    target: Option<u32>,
) -> Result<Changed, AdminError> {
    let known = migrate::latest(MIGRATIONS);
    let target = target.unwrap_or(known);
    let mut tx = begin_change(client)?;
    let history = history(&mut tx)?;
    migrate::verify(&history, MIGRATIONS)?;
    let current = current_version(&history);
    if target > known {
        return Err(AdminError::UpgradeBeyond { target, known });
    }
    if target < current {
        return Err(AdminError::UpgradeBelow { target, current });
    }
    let pending = migrate::pending(&history, MIGRATIONS, Some(target));
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

/// Parses `-1` (one step, or `-k`), `base` or a version number into the version to go down to.
fn downgrade_target(history: &[HistoryRow], text: &str) -> Result<u32, AdminError> {
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

/// The migrations a downgrade to `target` reverts, newest first.
fn downgrade_plan(
    history: &[HistoryRow],
    target: u32,
) -> Result<Vec<&'static EmbeddedMigration>, AdminError> {
    migrate::verify(history, MIGRATIONS)?;
    let current = current_version(history);
    if target >= current {
        return Err(AdminError::DowngradeAbove { target, current });
    }
    let mut plan = Vec::new();
    for row in history.iter().rev().filter(|h| h.version > target) {
        let migration = MIGRATIONS
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

/// What a downgrade will do, from a read of the database.
pub fn downgrade_read(client: &mut Client, target: &str) -> Result<DowngradePlan, AdminError> {
    let history = history(client)?;
    let version = downgrade_target(&history, target)?;
    let plan = downgrade_plan(&history, version)?;
    let reverts = plan
        .iter()
        .map(|m| format!("V{}__{}", m.version, m.name))
        .collect();
    let mut drops = Vec::new();
    let holds_data = has_data(client)?;
    for m in &plan {
        if let Some(what) = crate::store::admin::drops_data(m.revert)
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
    let version = downgrade_target(&history, target)?;
    let plan = downgrade_plan(&history, version)?;
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

/// `db check`: the applied migrations are this binary's, and the schema is exactly what they
/// make (replayed into a scratch schema that is rolled back, and the catalogs compared).
pub fn check(client: &mut Client) -> Result<Vec<String>, AdminError> {
    let history = history(client)?;
    let mut problems = Vec::new();
    if let Err(e) = migrate::verify(&history, MIGRATIONS) {
        problems.push(e.to_string());
    }
    let applied: Vec<_> = MIGRATIONS
        .iter()
        .filter(|m| history.iter().any(|h| h.version == m.version))
        .collect();
    let mut tx = client.transaction().map_err(server_error)?;
    problems.extend(drift(&mut tx, &applied)?);
    problems.extend(kept_counts_problems(&mut tx)?);
    Ok(problems)
}

/// The counts the triggers keep (V8's by assignee, state and due date; V9's by tag), compared
/// with a count of the rows, one line for each that differs.
fn kept_counts_problems(tx: &mut Transaction<'_>) -> Result<Vec<String>, AdminError> {
    let mut problems = Vec::new();
    let kept: bool = tx
        .query_one("SELECT to_regclass('task_counts') IS NOT NULL", &[])
        .map_err(server_error)?
        .get(0);
    if kept {
        for row in tx
            .query(
                "SELECT coalesce(k.assignee, r.assignee), coalesce(k.done, r.done),
                        coalesce(k.due, r.due), coalesce(k.n, 0), coalesce(r.n, 0)
                 FROM (SELECT * FROM task_counts WHERE n <> 0) k
                 FULL JOIN (SELECT coalesce(assignee_id, 0) AS assignee,
                                   (status = 'done')::int AS done,
                                   coalesce(due_date, '') AS due, count(*) AS n
                            FROM tasks GROUP BY 1, 2, 3) r
                   ON (k.assignee, k.done, k.due) = (r.assignee, r.done, r.due)
                 WHERE coalesce(k.n, 0) <> coalesce(r.n, 0) LIMIT 20",
                &[],
            )
            .map_err(server_error)?
        {
            problems.push(format!(
                "the kept count of tasks of assignee {}, done {}, due {:?} is {}, the tasks are {}; \
                 recount with: TRUNCATE task_counts; INSERT INTO task_counts SELECT coalesce(assignee_id, 0), \
                 (status = 'done')::int, coalesce(due_date, ''), count(*) FROM tasks GROUP BY 1, 2, 3",
                row.get::<_, i64>(0),
                row.get::<_, i32>(1),
                row.get::<_, String>(2),
                row.get::<_, i64>(3),
                row.get::<_, i64>(4),
            ));
        }
    }
    let tagged: bool = tx
        .query_one("SELECT to_regclass('task_tags') IS NOT NULL", &[])
        .map_err(server_error)?
        .get(0);
    if tagged {
        for row in tx
            .query(
                "SELECT g.name, g.tasks, (SELECT count(*) FROM task_tags tt WHERE tt.tag_id = g.id)
                 FROM tags g
                 WHERE g.tasks <> (SELECT count(*) FROM task_tags tt WHERE tt.tag_id = g.id)
                 LIMIT 20",
                &[],
            )
            .map_err(server_error)?
        {
            problems.push(format!(
                "tag {:?} is counted on {} tasks and carried by {}; recount with: UPDATE tags g SET \
                 tasks = (SELECT count(*) FROM task_tags tt WHERE tt.tag_id = g.id)",
                row.get::<_, String>(0),
                row.get::<_, i64>(1),
                row.get::<_, i64>(2),
            ));
        }
    }
    Ok(problems)
}

/// How the schema the tables live in differs from what `migrations` make, one line each. The
/// replay runs in a savepoint of the caller's transaction that is rolled back: nothing of it
/// stays, whatever the caller does next.
fn drift(
    tx: &mut Transaction<'_>,
    migrations: &[&EmbeddedMigration],
) -> Result<Vec<String>, AdminError> {
    tx.batch_execute("SAVEPOINT tasktui_drift")
        .map_err(server_error)?;
    let found = replay_and_compare(tx, migrations);
    tx.batch_execute("ROLLBACK TO SAVEPOINT tasktui_drift")
        .map_err(server_error)?;
    found
}

fn replay_and_compare(
    tx: &mut Transaction<'_>,
    migrations: &[&EmbeddedMigration],
) -> Result<Vec<String>, AdminError> {
    let schema: String = tx
        .query_one("SELECT current_schema()", &[])
        .map_err(server_error)?
        .get(0);
    let have = catalog(tx, &schema)?;
    let scratch = format!("tasktui_check_{}", std::process::id());
    tx.batch_execute(&format!(
        "CREATE SCHEMA {scratch}; SET LOCAL search_path TO {scratch}, {schema}"
    ))
    .map_err(server_error)?;
    for m in migrations {
        tx.batch_execute(m.up).map_err(|e| {
            AdminError::Server(format!(
                "replaying V{}__{} to compare: {}",
                m.version,
                m.name,
                super::errors::detail(&e)
            ))
        })?;
    }
    let want = catalog(tx, &scratch)?;
    let mut problems: Vec<String> = want
        .iter()
        .filter(|w| !have.contains(w))
        .map(|w| format!("the migrations make {w}, the database lacks it"))
        .collect();
    problems.extend(
        have.iter()
            .filter(|h| !want.contains(h))
            .map(|h| format!("the database has {h}, no migration makes it")),
    );
    Ok(problems)
}

/// The tables, columns, indexes, constraints and triggers of `schema`, one line each, with the
/// schema's name left out (the history table aside).
fn catalog(tx: &mut Transaction<'_>, schema: &str) -> Result<Vec<String>, AdminError> {
    let rows = tx
        .query(
            "SELECT 'column ' || c.table_name || '.' || c.column_name || ' ' || c.data_type
                    || coalesce(' collate ' || c.collation_name, '') || ' nullable ' || c.is_nullable
                    || coalesce(' default ' || c.column_default, '')
                    || coalesce(' identity ' || c.identity_generation, '')
             FROM information_schema.columns c
             WHERE c.table_schema = $1 AND c.table_name <> 'refinery_schema_history'
             UNION ALL
             SELECT 'index ' || indexdef FROM pg_indexes
             WHERE schemaname = $1 AND tablename <> 'refinery_schema_history'
             UNION ALL
             SELECT 'constraint ' || r.relname || '.' || k.conname || ' ' || pg_get_constraintdef(k.oid)
             FROM pg_constraint k JOIN pg_class r ON r.oid = k.conrelid
                  JOIN pg_namespace n ON n.oid = r.relnamespace
             WHERE n.nspname = $1 AND r.relname <> 'refinery_schema_history'
             UNION ALL
             SELECT 'trigger ' || r.relname || '.' || t.tgname
             FROM pg_trigger t JOIN pg_class r ON r.oid = t.tgrelid
                  JOIN pg_namespace n ON n.oid = r.relnamespace
             WHERE n.nspname = $1 AND NOT t.tgisinternal
             UNION ALL
             SELECT 'function ' || p.proname FROM pg_proc p
                  JOIN pg_namespace n ON n.oid = p.pronamespace
             WHERE n.nspname = $1 AND p.proname LIKE 'tasktui%'",
            &[&schema],
        )
        .map_err(server_error)?;
    let prefix = format!("{schema}.");
    let mut lines: Vec<String> = rows
        .iter()
        .map(|row| row.get::<_, String>(0).replace(&prefix, ""))
        .collect();
    lines.sort();
    Ok(lines)
}

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
fn backup_first(
    tx: &mut Transaction<'_>,
    server: &Server,
    version: u32,
) -> Result<Option<PathBuf>, AdminError> {
    if !has_data(tx)? {
        return Ok(None);
    }
    let data = rows::export(tx, version).map_err(|e| AdminError::Backup(e.to_string()))?;
    let folder = crate::paths::state_dir()
        .ok_or_else(|| AdminError::Backup("no state folder for this user".into()))?
        .join("backups");
    std::fs::create_dir_all(&folder)
        .map_err(|e| AdminError::Backup(format!("{}: {e}", folder.display())))?;
    let stem = server.file_stem();
    let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%S%.3fZ");
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
    while kept.len() > crate::store::BACKUPS_KEPT {
        let _ = std::fs::remove_file(kept.remove(0));
    }
    Ok(Some(path))
}

/// Opens the server's database for the interface or a command: connects, migrates what is
/// pending, and returns the store with what was applied and the backup taken.
pub fn open(server: &Server) -> Result<super::PgOpened, ServerError> {
    let mut client = super::connect(server)?;
    let changed = upgrade(&mut client, server, None).map_err(|e| match e {
        AdminError::Server(detail) if detail.contains("permission denied") => {
            ServerError::Denied(detail)
        }
        other => ServerError::Migrate(other.to_string()),
    })?;
    Ok(super::PgOpened {
        store: super::PgStore::new(server.clone(), client)?,
        applied: changed.migrations,
        backup: changed.backup,
    })
}
