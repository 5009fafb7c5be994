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
            message: error.to_string(),
        }
    }
}

impl From<StoreError> for Failure {
    fn from(error: StoreError) -> Failure {
        Failure {
            code: 1,
            message: error.to_string(),
        }
    }
}

/// A store error in a scripting command: what the person typed (exit 2) or what the database
/// said (exit 1).
pub(crate) fn store_failure(error: StoreError) -> Failure {
    match error {
        StoreError::Invalid(_) | StoreError::NotFound(_) | StoreError::Refused(_) => {
            Failure::usage(error.to_string())
        }
        other => Failure {
            message: other.to_string(),
            code: 1,
        },
    }
}

/// Names the database in front of a migration error.
pub(crate) fn admin_failure(path: &std::path::Path, error: AdminError) -> Failure {
    Failure {
        code: error.exit_code(),
        message: format!("{}: {error}", path.display()),
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
