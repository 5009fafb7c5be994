//! Where a command's outcome becomes words and an exit code: a failure's one line for stderr,
//! the hints that suggest commands (made runnable for the database at hand), and what is said
//! on standard output.

use crate::error::StoreError;
use crate::open::{DbLocation, LockError, OpenError, ServerError};
use crate::output;
use crate::schema::{AdminError, MigrateError};

/// One line for stderr and the exit code that goes with it.
#[derive(Debug)]
pub struct Failure {
    pub message: String,
    pub code: u8,
}

impl Failure {
    pub fn usage(message: impl Into<String>) -> Failure {
        Failure {
            message: message.into(),
            code: 2,
        }
    }
}

impl From<output::Unwritten> for Failure {
    /// The reader of standard output went away: the command ends quietly, with success, since
    /// whatever it did is done and nobody is left to read more. Any other failed write leaves
    /// the output incomplete: a failure that says so.
    fn from(unwritten: output::Unwritten) -> Failure {
        match unwritten {
            output::Unwritten::Closed => Failure {
                message: String::new(),
                code: 0,
            },
            output::Unwritten::Failed(error) => Failure {
                message: format!("cannot write to standard output: {error}"),
                code: 1,
            },
        }
    }
}

impl Failure {
    /// The message with every command it suggests made runnable as printed: each `tasktui …`
    /// in backquotes names the same database the failing command was given.
    pub fn for_location(mut self, location: &DbLocation) -> Failure {
        self.message = runnable(&self.message, location);
        self
    }
}

/// Adds `--db PATH` to every backquoted `tasktui …` command in `text` when the database was
/// named explicitly, so that a hint works when followed. A server's password is never printed:
/// the hint then says where the pasted command finds it (`PGPASSWORD`, as libpq reads it).
pub fn runnable(text: &str, location: &DbLocation) -> String {
    let out = with_db(text, location);
    match location {
        DbLocation::Server(server, _) if out != text && server.has_password() => {
            format!("{out} (the password is left out: set PGPASSWORD to it first)")
        }
        _ => out,
    }
}

fn with_db(text: &str, location: &DbLocation) -> String {
    let db = match location {
        DbLocation::Explicit(path) => format!(" --db {}", crate::text::shell_quote(path)),
        // A server named by TASKTUI_DB is named by it again when the command is pasted; one
        // given with --db is named without its password, which is never printed.
        DbLocation::Server(server, _) => {
            let from_environment = std::env::var_os("TASKTUI_DB")
                .is_some_and(|value| DbLocation::given(&value) == *location);
            if from_environment {
                return text.to_string();
            }
            format!(
                " --db {}",
                crate::text::shell_word(&server.without_password())
            )
        }
        DbLocation::Default(_) => return text.to_string(),
    };
    let mut out = String::with_capacity(text.len() + 32);
    let mut parts = text.split('`');
    if let Some(first) = parts.next() {
        out.push_str(first);
    }
    for (i, part) in parts.enumerate() {
        out.push('`');
        let quoted = i % 2 == 0;
        if quoted && part.starts_with("tasktui") && !part.contains("--db") {
            out.push_str(part);
            out.push_str(&db);
        } else {
            out.push_str(part);
        }
    }
    out
}

/// Prints a line that suggests commands, made runnable for this database (see `runnable`).
pub(crate) fn say_hint(location: &DbLocation, text: impl AsRef<str>) -> Result<(), Failure> {
    say(runnable(text.as_ref(), location))
}

/// Prints on standard output; a closed pipe ends the command quietly.
pub(crate) fn say(text: impl AsRef<str>) -> Result<(), Failure> {
    Ok(output::line(text.as_ref())?)
}

impl From<OpenError> for Failure {
    fn from(error: OpenError) -> Failure {
        Failure {
            code: error.exit_code(),
            message: said(&error),
        }
    }
}

impl From<StoreError> for Failure {
    fn from(error: StoreError) -> Failure {
        Failure {
            code: 1,
            message: said(&error),
        }
    }
}

/// A store error in a scripting command: what the person typed (exit 2) or what the database
/// said (exit 1).
pub(crate) fn store_failure(error: StoreError) -> Failure {
    match error {
        StoreError::Invalid(_) | StoreError::NotFound(_) | StoreError::Refused(_) => {
            Failure::usage(said(&error))
        }
        other => Failure {
            message: said(&other),
            code: 1,
        },
    }
}

/// Names the database in front of a migration error.
pub(crate) fn admin_failure(path: &std::path::Path, error: AdminError) -> Failure {
    Failure {
        code: error.exit_code(),
        message: format!("{}: {}", path.display(), said(&error)),
    }
}

/// What went wrong, as its kind says it, and what the person can do about it.
pub fn said<E: std::fmt::Display + WayOut>(error: &E) -> String {
    match error.way_out() {
        Some(way) => format!("{error}{way}"),
        None => error.to_string(),
    }
}

/// The way out of a failure, decided here and nowhere else: the words after what happened,
/// with the separator that joins them (`; …` or `: …`). The backends say what happened.
pub trait WayOut {
    fn way_out(&self) -> Option<String>;
}

impl WayOut for StoreError {
    fn way_out(&self) -> Option<String> {
        Some(match self {
            StoreError::Changed(_) => "; cancel and reopen it to see the new version".into(),
            StoreError::Busy => "; try again".into(),
            StoreError::Locked { .. } => "; try again when it is done".into(),
            StoreError::Corrupt(_) => "; restore it from a backup".into(),
            StoreError::FileReplaced(path) => format!(": restart tasktui ({path})"),
            StoreError::Lost { .. } => ": try again, tasktui reconnects".into(),
            StoreError::Unknown { .. } => "; look before trying again (tasktui reconnects)".into(),
            StoreError::Denied(_) => {
                ": grant it the rights the README's \"For a team\" lists".into()
            }
            StoreError::Invalid(_)
            | StoreError::NotFound(_)
            | StoreError::Refused(_)
            | StoreError::BuiltOn { .. }
            | StoreError::GaveUp
            | StoreError::Stopped
            | StoreError::Full
            | StoreError::ReadOnly
            | StoreError::Failed { .. } => return None,
        })
    }
}

impl WayOut for OpenError {
    fn way_out(&self) -> Option<String> {
        const ANOTHER_FILE: &str = "; give the path of a tasktui database or of a new file";
        Some(match self {
            OpenError::MissingFolder { folder } => format!(
                "; create it (mkdir -p {}) or give another --db path",
                folder.display()
            ),
            OpenError::CreateFolder { .. } => "; give a --db path elsewhere".into(),
            OpenError::IsFolder { path } => format!(
                "; give a file path such as {}",
                path.join("tasktui.db").display()
            ),
            OpenError::NotADatabase { .. } | OpenError::NotAFile { .. } => ANOTHER_FILE.into(),
            OpenError::Corrupt { .. } => "; restore it from a backup".into(),
            OpenError::Foreign { .. } => "; give another --db path".into(),
            OpenError::Unversioned { .. } => "; `tasktui db check` says which version they match, then adopt them with `tasktui db stamp N`".into(),
            OpenError::Missing { .. } => "; `tasktui --migrate-only` creates it".into(),
            OpenError::HardLinked { .. } => {
                "; keep one name (remove the other links, or make them symlinks: ln -sf)".into()
            }
            OpenError::ReadOnlyNeedsMigration { .. } => {
                "; run `tasktui --migrate-only` as a user who can write it".into()
            }
            OpenError::Lock(error) => return error.way_out(),
            OpenError::Admin { source, .. } => return source.way_out(),
            OpenError::Migrate { source, .. } => return source.way_out(),
            OpenError::Backup { .. } | OpenError::Io { .. } => return None,
        })
    }
}

impl WayOut for LockError {
    fn way_out(&self) -> Option<String> {
        Some(match self {
            LockError::Unreadable { path, .. } => format!(
                "; if no tasktui is using the database, remove it (rm {})",
                crate::text::shell_quote(path)
            ),
            LockError::NotAFile { .. } => ": move it away".into(),
            LockError::TimedOut { .. } => "; finish or end that process, then try again".into(),
            LockError::FolderReadOnly { .. } | LockError::Io { .. } => return None,
        })
    }
}

impl WayOut for AdminError {
    fn way_out(&self) -> Option<String> {
        Some(match self {
            AdminError::UpgradeBelow { target, .. } => {
                format!("; to go back use `tasktui db downgrade {target}`")
            }
            AdminError::BadTarget(_, more) => format!(": use a number, head{more}"),
            AdminError::NoSuchMigration(_) => "; `tasktui db history` lists them".into(),
            AdminError::SchemaMismatch { .. } => {
                "; `tasktui db check` says which version it matches".into()
            }
            AdminError::Busy(_) | AdminError::Held { .. } => "; try again when it is done".into(),
            AdminError::InvalidRows { .. } => {
                "; mend them, for example with sqlite3, then run `tasktui db upgrade`".into()
            }
            AdminError::Migrate(error) => return error.way_out(),
            _ => return None,
        })
    }
}

impl WayOut for MigrateError {
    fn way_out(&self) -> Option<String> {
        Some(match self {
            MigrateError::Newer { .. } => ": upgrade tasktui".into(),
            MigrateError::Divergent { .. } => "; run `tasktui db check` for details".into(),
            _ => return None,
        })
    }
}

impl WayOut for ServerError {
    fn way_out(&self) -> Option<String> {
        Some(match self {
            ServerError::BadUrl(_) => "; write it as postgres://user@host/database".into(),
            ServerError::Unreachable(_) => {
                "; check that PostgreSQL runs there and that the host and port are right".into()
            }
            ServerError::Login(_) => {
                "; check the user and password in the URL, or the server's pg_hba.conf".into()
            }
            ServerError::NoDatabase { createdb, .. } => {
                format!("; create it ({createdb}, or CREATE DATABASE) or name another in the URL")
            }
            ServerError::Denied(_) => {
                "; grant it the rights the README's \"For a team\" lists".into()
            }
            ServerError::Certificate(_) => "; name its CA with sslrootcert=PATH in the URL, or use sslmode=require to encrypt without checking it".into(),
            ServerError::DryRunNeedsMigration { .. } => {
                ": run `tasktui --migrate-only` first".into()
            }
            ServerError::Migrate(error) => return error.way_out(),
            ServerError::TooOld(_)
            | ServerError::Tls(_)
            | ServerError::Query(_)
            | ServerError::Local(_) => return None,
        })
    }
}

/// The exit codes, decided here and nowhere else: 2 for what the person can put right (a
/// request, a file or a URL tasktui refuses), 1 when working on a good database failed.
pub(crate) trait ExitCode {
    fn exit_code(&self) -> u8;
}

impl ExitCode for AdminError {
    fn exit_code(&self) -> u8 {
        match self {
            AdminError::Backup(_)
            | AdminError::Busy(_)
            | AdminError::Held { .. }
            | AdminError::Revert { .. }
            | AdminError::Database(_)
            | AdminError::Server(_)
            | AdminError::Migrate(
                MigrateError::Refinery(_)
                | MigrateError::Database(_)
                | MigrateError::ForeignKeys(_)
                | MigrateError::Integrity(_),
            ) => 1,
            _ => 2,
        }
    }
}

impl ExitCode for OpenError {
    fn exit_code(&self) -> u8 {
        match self {
            OpenError::Admin { source, .. } => source.exit_code(),
            OpenError::Io { .. }
            | OpenError::CreateFolder { .. }
            | OpenError::Backup { .. }
            | OpenError::Lock(
                LockError::FolderReadOnly { .. }
                | LockError::Unreadable { .. }
                | LockError::TimedOut { .. }
                | LockError::Io { .. },
            )
            | OpenError::Migrate {
                source:
                    MigrateError::Refinery(_)
                    | MigrateError::Database(_)
                    | MigrateError::ForeignKeys(_)
                    | MigrateError::Integrity(_),
                ..
            } => 1,
            _ => 2,
        }
    }
}

impl ExitCode for ServerError {
    fn exit_code(&self) -> u8 {
        match self {
            ServerError::Migrate(error) => error.exit_code(),
            ServerError::Unreachable(_)
            | ServerError::Query(_)
            | ServerError::Tls(_)
            | ServerError::Local(_) => 1,
            _ => 2,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_failure_says_what_happened_and_the_way_out() {
        assert_eq!(
            said(&ServerError::NoDatabase {
                name: "t".into(),
                createdb: "createdb -U bob -- t".into()
            }),
            "the server has no database \"t\"; create it (createdb -U bob -- t, or CREATE DATABASE) or name another in the URL"
        );
        assert!(said(&ServerError::Certificate("x".into())).contains("sslrootcert=PATH"));
        let path = std::path::PathBuf::from("/tmp/t.db");
        assert_eq!(
            said(&OpenError::Missing { path: path.clone() }),
            "/tmp/t.db: no such database; `tasktui --migrate-only` creates it"
        );
        // A kind inside another says its own way out.
        assert_eq!(
            said(&OpenError::Admin {
                path,
                source: Box::new(AdminError::NoSuchMigration(99))
            }),
            "/tmp/t.db: there is no migration V99 in this tasktui; `tasktui db history` lists them"
        );
        assert_eq!(
            said(&ServerError::Migrate(Box::new(AdminError::Migrate(
                MigrateError::Newer {
                    database: 9,
                    known: 8
                }
            )))),
            "this database is at version 9; this tasktui knows up to 8: upgrade tasktui"
        );
    }

    #[test]
    fn what_the_person_can_put_right_is_2_and_a_failure_on_a_good_database_1() {
        assert_eq!(ServerError::TooOld(120_005).exit_code(), 2);
        assert_eq!(ServerError::Unreachable("x".into()).exit_code(), 1);
        assert_eq!(AdminError::NoSuchMigration(99).exit_code(), 2);
        assert_eq!(AdminError::Server("x".into()).exit_code(), 1);
        let path = std::path::PathBuf::from("t.db");
        assert_eq!(OpenError::Missing { path: path.clone() }.exit_code(), 2);
        assert_eq!(
            OpenError::Io {
                path,
                detail: "x".into()
            }
            .exit_code(),
            1
        );
    }
}
