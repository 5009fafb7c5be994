//! The schema's state on a server: the migrations this binary carries, their history table,
//! and the lock every change of schema takes. Below the workflow (`migrate`), the backup and
//! `db check`, which all read it.

use super::errors;
use postgres::{Client, GenericClient, Transaction};
use tasktui_core::schema::AdminError;
use tasktui_core::schema::{EmbeddedMigration, EmbeddedRevert, HISTORY_TABLE, HistoryRow};

/// Every migration in `migrations/postgres/`, in version order (the build checks that they
/// pair with SQLite's by version and name).
pub const MIGRATIONS: &[EmbeddedMigration] =
    include!(concat!(env!("OUT_DIR"), "/migrations_postgres.rs"));

/// The advisory lock every schema change of a tasktui database takes ("TSKT").
const LOCK: i64 = 0x5453_4B54;

pub fn server_error(error: postgres::Error) -> AdminError {
    let detail = errors::detail(&error);
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

/// A transaction holding the schema lock: another tasktui changing the schema is waited for, as
/// long as a lock file is on SQLite (`TASKTUI_LOCK_WAIT`), then named. A migration's own
/// statements are not bounded in time (an index of a million tasks takes its time).
pub fn begin_change(client: &mut Client) -> Result<Transaction<'_>, AdminError> {
    let mut tx = client.transaction().map_err(server_error)?;
    tx.batch_execute("SET LOCAL statement_timeout = 0")
        .map_err(server_error)?;
    let limit = tasktui_core::seam::wait_limit();
    let started = std::time::Instant::now();
    loop {
        let taken: bool = tx
            .query_one("SELECT pg_try_advisory_xact_lock($1)", &[&LOCK])
            .map_err(server_error)?
            .get(0);
        if taken {
            return Ok(tx);
        }
        if started.elapsed() >= limit {
            let holder = errors::lock_holders(
                &mut tx,
                "l.locktype = 'advisory' AND l.classid::bigint = ($1::bigint >> 32)
                 AND l.objid::bigint = ($1::bigint & 4294967295) AND l.objsubid = 1",
                &[&LOCK],
            );
            return Err(AdminError::Held {
                waited: limit,
                holder,
            });
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
}
