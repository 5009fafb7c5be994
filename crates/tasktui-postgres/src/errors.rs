//! A server's errors in tasktui's words: what happened, named without the password (the way out
//! is the application's to say). Nothing of the client library's types leaves the backend.

use super::Server;
use postgres::error::SqlState;
use tasktui_core::error::StoreError;
use tasktui_core::model::{Field, ValidationError};
use tasktui_core::schema::AdminError;

/// Why connecting to a server failed.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    #[error("not a PostgreSQL URL ({0})")]
    BadUrl(String),
    #[error("cannot reach the server ({0})")]
    Unreachable(String),
    #[error("the server refused the login ({0})")]
    Login(String),
    #[error("the server has no database {name:?}")]
    NoDatabase { name: String, createdb: String },
    #[error("the role may not do this ({0})")]
    Denied(String),
    #[error("the server runs PostgreSQL {}; tasktui needs 13 or newer", .0 / 10_000)]
    TooOld(i32),
    #[error("TLS could not be set up ({0})")]
    Tls(String),
    #[error("the server's certificate was refused ({0})")]
    Certificate(String),
    #[error("the server refused a query ({0})")]
    Query(String),
    #[error(transparent)]
    Migrate(Box<AdminError>),
    /// A dry run on a database an older tasktui left: it would have to migrate first.
    #[error(
        "the database is at version {at}, this tasktui's is {known}; a dry run changes nothing, so it does not migrate it"
    )]
    DryRunNeedsMigration { at: u32, known: u32 },
    /// This machine, not the server, stands in the way (too few open files allowed).
    #[error("{0}")]
    Local(String),
}

/// The server's own message: the primary text of its error, or the client's.
pub(super) fn detail(error: &postgres::Error) -> String {
    match error.as_db_error() {
        Some(db) => db.message().to_string(),
        None => {
            let mut text = error.to_string();
            let mut source = std::error::Error::source(error);
            while let Some(inner) = source {
                text = inner.to_string();
                source = inner.source();
            }
            text
        }
    }
}

/// A failed connection attempt, by what the server (or the network) said.
pub(super) fn connect_error(config: &postgres::Config, error: &postgres::Error) -> ServerError {
    let Some(code) = error.code() else {
        let detail = detail(error);
        if detail.contains("certificate") {
            return ServerError::Certificate(detail);
        }
        return ServerError::Unreachable(detail);
    };
    if *code == SqlState::INVALID_PASSWORD || *code == SqlState::INVALID_AUTHORIZATION_SPECIFICATION
    {
        ServerError::Login(detail(error))
    } else if *code == SqlState::INVALID_CATALOG_NAME {
        no_database(config)
    } else if *code == SqlState::INSUFFICIENT_PRIVILEGE {
        ServerError::Denied(detail(error))
    } else {
        ServerError::Query(detail(error))
    }
}

/// The missing database, with the `createdb` that makes it on the same server, as the same
/// user: each part quoted, so that it works when pasted.
fn no_database(config: &postgres::Config) -> ServerError {
    use tasktui_core::text::shell_word;
    let name = config.get_dbname().unwrap_or_default().to_string();
    let mut createdb = String::from("createdb");
    match config.get_hosts().first() {
        Some(postgres::config::Host::Tcp(host)) => {
            createdb.push_str(&format!(" -h {}", shell_word(host)));
        }
        Some(postgres::config::Host::Unix(folder)) => {
            createdb.push_str(&format!(" -h {}", tasktui_core::text::shell_quote(folder)));
        }
        None => {}
    }
    if let Some(port) = config.get_ports().first() {
        createdb.push_str(&format!(" -p {port}"));
    }
    if let Some(user) = config.get_user() {
        createdb.push_str(&format!(" -U {}", shell_word(user)));
    }
    createdb.push_str(&format!(" -- {}", shell_word(&name)));
    ServerError::NoDatabase { name, createdb }
}

/// The sessions holding the locks `condition` selects (over `pg_locks l`, with `params`),
/// in words: `pid 4242 (alice, psql, from 10.0.0.5, idle in transaction for 42 s)`. What the
/// server can tell; "another session" when it tells nothing.
pub(super) fn lock_holders(
    client: &mut impl postgres::GenericClient,
    condition: &str,
    params: &[&(dyn postgres::types::ToSql + Sync)],
) -> String {
    let sql = format!(
        "SELECT DISTINCT a.pid, coalesce(a.usename, ''), coalesce(a.application_name, ''),
                coalesce(host(a.client_addr), 'this machine'), coalesce(a.state, ''),
                coalesce(extract(epoch FROM now() - a.xact_start)::bigint, 0)
         FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
         WHERE l.granted AND a.pid <> pg_backend_pid() AND ({condition})
         ORDER BY a.pid LIMIT 3"
    );
    let rows = match client.query(&sql, params) {
        Ok(rows) if !rows.is_empty() => rows,
        _ => return "another session".into(),
    };
    rows.iter()
        .map(|r| {
            let (pid, user, app, from, state, seconds): (i32, String, String, String, String, i64) =
                (r.get(0), r.get(1), r.get(2), r.get(3), r.get(4), r.get(5));
            let app = if app.is_empty() {
                String::new()
            } else {
                format!(", {app}")
            };
            format!("pid {pid} ({user}{app}, from {from}, {state} for {seconds} s)")
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// Who holds tasktui's tables, asked on a connection of its own (the one that waited is inside
/// a failed transaction).
fn table_lock_holders(server: &Server) -> String {
    super::connect(server).map_or_else(
        |_| "another session".into(),
        |mut fresh| {
            lock_holders(
                &mut fresh,
                "l.relation IN (SELECT c.oid FROM pg_class c
                    WHERE c.relname IN ('tasks', 'users', 'tags', 'task_tags', 'changes')
                    AND c.relnamespace = current_schema()::regnamespace)
                 AND l.mode <> 'AccessShareLock'",
                &[],
            )
        },
    )
}

/// A failed statement, in the store's neutral errors.
pub(super) fn store_error(error: &postgres::Error, server: &Server) -> StoreError {
    if error.is_closed() || (error.code().is_none() && error.as_db_error().is_none()) {
        return StoreError::Lost {
            server: server.shown().to_string(),
            detail: detail(error),
        };
    }
    let Some(code) = error.code() else {
        return failed("an unexpected answer from the server", error);
    };
    let constraint = error
        .as_db_error()
        .and_then(|db| db.constraint())
        .unwrap_or_default();
    match code {
        c if *c == SqlState::UNIQUE_VIOLATION => match constraint {
            "users_username_unique" => ValidationError {
                field: Field::Username,
                message: "that username is taken".into(),
            }
            .into(),
            "users_email_unique" => ValidationError {
                field: Field::Email,
                message: "another user has that email".into(),
            }
            .into(),
            _ => failed("a rule of the schema refused it", error),
        },
        c if *c == SqlState::FOREIGN_KEY_VIOLATION => StoreError::NotFound("the assignee"),
        c if *c == SqlState::T_R_SERIALIZATION_FAILURE || *c == SqlState::T_R_DEADLOCK_DETECTED => {
            StoreError::Busy
        }
        c if *c == SqlState::LOCK_NOT_AVAILABLE => StoreError::Locked {
            holder: table_lock_holders(server),
        },
        c if *c == SqlState::QUERY_CANCELED && detail(error).contains("statement timeout") => {
            failed(
                "the server took longer than tasktui waits for one statement",
                error,
            )
        }
        // Esc while the interface waited (`Database::interrupter`), or an administrator's
        // `pg_cancel_backend`: either way the statement, and its transaction, ended.
        c if *c == SqlState::QUERY_CANCELED => StoreError::Stopped,
        c if *c == SqlState::DISK_FULL || *c == SqlState::OUT_OF_MEMORY => StoreError::Full,
        c if *c == SqlState::READ_ONLY_SQL_TRANSACTION => StoreError::ReadOnly,
        c if *c == SqlState::INSUFFICIENT_PRIVILEGE => StoreError::Denied(detail(error)),
        c if *c == SqlState::ADMIN_SHUTDOWN
            || *c == SqlState::CRASH_SHUTDOWN
            || *c == SqlState::CANNOT_CONNECT_NOW =>
        {
            StoreError::Lost {
                server: server.shown().to_string(),
                detail: detail(error),
            }
        }
        c if *c == SqlState::CHECK_VIOLATION || *c == SqlState::NOT_NULL_VIOLATION => {
            failed("a rule of the schema refused it", error)
        }
        _ => failed("the server reported an error", error),
    }
}

fn failed(what: &'static str, error: &postgres::Error) -> StoreError {
    StoreError::Failed {
        what,
        detail: detail(error),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_server_problem_is_a_kind_carrying_what_its_way_out_needs() {
        assert_eq!(
            ServerError::TooOld(120_005).to_string(),
            "the server runs PostgreSQL 12; tasktui needs 13 or newer"
        );
        let config: postgres::Config = "postgres://bob@db.example.org:5433/$(touch x)"
            .parse()
            .unwrap();
        let ServerError::NoDatabase { name, createdb } = no_database(&config) else {
            panic!("{}", no_database(&config));
        };
        assert_eq!(name, "$(touch x)");
        assert_eq!(
            createdb,
            "createdb -h db.example.org -p 5433 -U bob -- '$(touch x)'"
        );
    }
}
