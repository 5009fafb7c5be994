//! The schema migrations embedded in the binary, and bringing a database up to date with them.
//!
//! refinery applies the up migrations, grouped (SQL and history rows commit together). The down
//! migrations sit beside them in `migrations/` under names refinery does not pick up.

use crate::in_words;
use refinery::{Migration, Target};
use rusqlite::{Connection, OptionalExtension};
pub use tasktui_core::schema::{
    Applied, EmbeddedMigration, EmbeddedRevert, HISTORY_TABLE, HistoryRow, MigrateError, latest,
    pending, verify,
};

/// Every migration in `migrations/`, in version order (checked by the build script).
pub const MIGRATIONS: &[EmbeddedMigration] = include!(concat!(env!("OUT_DIR"), "/migrations.rs"));

/// The migrations this binary applies. Debug builds append the SQL in the environment variable
/// `TASKTUI_TEST_EXTRA_MIGRATION` as one more version, so that end-to-end tests can make a
/// migration fail midway or run slowly.
pub fn migrations() -> &'static [EmbeddedMigration] {
    #[cfg(debug_assertions)]
    {
        static SET: std::sync::OnceLock<Vec<EmbeddedMigration>> = std::sync::OnceLock::new();
        SET.get_or_init(|| {
            let mut set = MIGRATIONS.to_vec();
            if let Ok(sql) = std::env::var("TASKTUI_TEST_EXTRA_MIGRATION") {
                set.push(EmbeddedMigration {
                    version: latest(MIGRATIONS) + 1,
                    name: "test_extra",
                    up: Box::leak(sql.into_boxed_str()),
                    revert: EmbeddedRevert::Down("SELECT 1;"),
                });
            }
            set
        })
    }
    #[cfg(not(debug_assertions))]
    MIGRATIONS
}

/// refinery's own form of a migration.
trait ToRefinery {
    fn to_refinery(self) -> Result<Migration, refinery::Error>;
}

impl ToRefinery for EmbeddedMigration {
    fn to_refinery(self) -> Result<Migration, refinery::Error> {
        Migration::unapplied(&format!("V{}__{}", self.version, self.name), self.up)
    }
}

/// The history table's rows by version, empty when the database has none.
pub fn history(conn: &Connection) -> rusqlite::Result<Vec<HistoryRow>> {
    let exists: Option<i64> = conn
        .query_row(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1",
            [HISTORY_TABLE],
            |row| row.get(0),
        )
        .optional()?;
    if exists.is_none() {
        return Ok(Vec::new());
    }
    let mut statement = conn.prepare(&format!(
        "SELECT version, name, CAST(applied_on AS TEXT), CAST(checksum AS TEXT) FROM {HISTORY_TABLE} ORDER BY version"
    ))?;
    let rows = statement.query_map([], |row| {
        Ok(HistoryRow {
            version: row.get::<_, i64>(0)?.clamp(0, i64::from(u32::MAX)) as u32,
            name: row.get::<_, Option<String>>(1)?.unwrap_or_default(),
            applied_on: row.get::<_, Option<String>>(2)?.unwrap_or_default(),
            checksum: row.get::<_, Option<String>>(3)?.unwrap_or_default(),
        })
    })?;
    rows.collect()
}

/// refinery's migration engine, running its statements inside a transaction that tasktui holds
/// and commits itself: refinery's own connection driver commits before anything can be checked.
struct Uncommitted<'a>(&'a Connection);

impl refinery_core::traits::sync::Transaction for Uncommitted<'_> {
    type Error = rusqlite::Error;

    fn execute<'q, T: Iterator<Item = &'q str>>(
        &mut self,
        queries: T,
    ) -> Result<usize, rusqlite::Error> {
        let mut count = 0;
        for query in queries {
            self.0.execute_batch(query)?;
            count += 1;
        }
        Ok(count)
    }
}

/// refinery's history table, as refinery creates it.
const CREATE_HISTORY: &str = "CREATE TABLE IF NOT EXISTS refinery_schema_history(
             version int4 PRIMARY KEY,
             name VARCHAR(255),
             applied_on VARCHAR(255),
             checksum VARCHAR(255));";

/// Records `migrations` in the history with refinery, running their SQL unless `target` is a
/// fake one, inside the caller's transaction.
pub fn record(
    tx: &Connection,
    migrations: &[&EmbeddedMigration],
    target: Target,
) -> Result<(), MigrateError> {
    tx.execute_batch(CREATE_HISTORY).map_err(in_words)?;
    let migrations = migrations
        .iter()
        .map(|m| m.to_refinery())
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

/// Applies the pending migrations of `set` up to `target` inside the caller's transaction, then
/// checks foreign keys and integrity before the caller commits: a failed check leaves nothing
/// behind. The connection must have foreign keys off (a table rebuild of a parent table fails
/// otherwise, and the pragma is ignored inside a transaction).
pub fn apply(
    tx: &Connection,
    set: &[EmbeddedMigration],
    target: Option<u32>,
) -> Result<Vec<Applied>, MigrateError> {
    let before = history(tx).map_err(in_words)?;
    verify(&before, set)?;
    let to_apply = pending(&before, set, target);
    if to_apply.is_empty() {
        return Ok(Vec::new());
    }
    let target = target.map_or(Target::Latest, |t| {
        Target::Version(i32::try_from(t).unwrap_or(i32::MAX))
    });
    record(tx, &to_apply, target)?;
    check_foreign_keys(tx).map_err(MigrateError::ForeignKeys)?;
    check_integrity(tx).map_err(MigrateError::Integrity)?;
    Ok(to_apply
        .into_iter()
        .map(|m| Applied {
            version: m.version,
            name: m.name.to_string(),
        })
        .collect())
}

/// `apply` in a transaction of its own, committed when every check passed.
pub fn upgrade(
    conn: &mut Connection,
    set: &[EmbeddedMigration],
    target: Option<u32>,
) -> Result<Vec<Applied>, MigrateError> {
    let tx = conn
        .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
        .map_err(in_words)?;
    let applied = apply(&tx, set, target)?;
    tx.commit().map_err(in_words)?;
    Ok(applied)
}

/// `PRAGMA foreign_key_check`, as one line per problem; `Err` when there is any.
pub fn check_foreign_keys(conn: &Connection) -> Result<(), String> {
    let mut statement = conn
        .prepare("PRAGMA foreign_key_check")
        .map_err(|e| e.to_string())?;
    let problems = statement
        .query_map([], |row| {
            Ok(format!(
                "{} row {} points at a missing {}",
                row.get::<_, String>(0)?,
                row.get::<_, Option<i64>>(1)?.unwrap_or_default(),
                row.get::<_, String>(2)?
            ))
        })
        .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
        .map_err(|e| e.to_string())?;
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("; "))
    }
}

/// `PRAGMA integrity_check`; `Err` with its findings unless it says ok.
pub fn check_integrity(conn: &Connection) -> Result<(), String> {
    let mut statement = conn
        .prepare("PRAGMA integrity_check")
        .map_err(|e| e.to_string())?;
    let lines = statement
        .query_map([], |row| row.get::<_, String>(0))
        .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
        .map_err(|e| e.to_string())?;
    if lines == ["ok"] {
        Ok(())
    } else {
        Err(lines.join("; "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fresh() -> Connection {
        let conn = Connection::open_in_memory().unwrap();
        conn.pragma_update(None, "foreign_keys", false).unwrap();
        conn
    }

    #[test]
    fn checksums_are_the_ones_refinery_records() {
        for m in migrations() {
            let refinery = m.to_refinery().unwrap().checksum().to_string();
            assert_eq!(m.checksum(), refinery, "V{}", m.version);
        }
    }

    #[test]
    fn the_binary_embeds_every_migration_with_its_down() {
        assert!(!MIGRATIONS.is_empty());
        assert_eq!(MIGRATIONS[0].version, 1);
        assert_eq!(MIGRATIONS[0].name, "create_users_and_tasks");
        assert!(MIGRATIONS[0].up.contains("CREATE TABLE tasks"));
        assert!(
            matches!(MIGRATIONS[0].revert, EmbeddedRevert::Down(sql) if sql.contains("DROP TABLE tasks"))
        );
    }

    #[test]
    fn upgrade_applies_everything_once_and_records_history() {
        let mut conn = fresh();
        let applied = upgrade(&mut conn, MIGRATIONS, None).unwrap();
        assert_eq!(applied.len(), MIGRATIONS.len());
        assert_eq!(
            applied[0],
            Applied {
                version: 1,
                name: "create_users_and_tasks".into()
            }
        );
        let rows = history(&conn).unwrap();
        assert_eq!(rows.len(), MIGRATIONS.len());
        assert_eq!(rows[0].checksum, MIGRATIONS[0].checksum());
        assert!(upgrade(&mut conn, MIGRATIONS, None).unwrap().is_empty());
    }

    #[test]
    fn a_database_from_a_newer_tasktui_is_refused() {
        let mut conn = fresh();
        upgrade(&mut conn, MIGRATIONS, None).unwrap();
        let newer = latest(MIGRATIONS) + 2;
        conn.execute(
            &format!(
                "INSERT INTO {HISTORY_TABLE} VALUES (?1, 'later', '2026-01-01T00:00:00Z', '1')"
            ),
            [newer],
        )
        .unwrap();
        let err = upgrade(&mut conn, MIGRATIONS, None).unwrap_err();
        assert!(
            matches!(err, MigrateError::Newer { database, known } if database == newer && known == latest(MIGRATIONS)),
            "{err}"
        );
    }

    #[test]
    fn a_changed_migration_is_reported_as_divergent() {
        let mut conn = fresh();
        upgrade(&mut conn, MIGRATIONS, None).unwrap();
        conn.execute(
            &format!("UPDATE {HISTORY_TABLE} SET checksum = '42' WHERE version = 1"),
            [],
        )
        .unwrap();
        let err = upgrade(&mut conn, MIGRATIONS, None).unwrap_err();
        assert!(
            matches!(err, MigrateError::Divergent { version: 1, .. }),
            "{err}"
        );
    }

    #[test]
    fn a_failing_migration_changes_nothing() {
        let broken = [
            MIGRATIONS[0],
            EmbeddedMigration {
                version: 2,
                name: "half_done",
                up: "CREATE TABLE extra (id INTEGER); INSERT INTO nowhere VALUES (1);",
                revert: EmbeddedRevert::Down("DROP TABLE extra;"),
            },
        ];
        let mut conn = fresh();
        let err = upgrade(&mut conn, &broken, None).unwrap_err();
        assert!(err.to_string().contains("nowhere"), "{err}");
        let tables: i64 = conn
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        // The history table is created before the group starts; no migration's table remains.
        assert!(tables <= 1, "{tables} tables left behind");
        assert!(history(&conn).unwrap().is_empty());
    }
}
