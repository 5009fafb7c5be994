//! Where tasktui chooses its backend: the one module of the application that names the SQLite
//! and PostgreSQL crates. Above it, the interface and the commands work on the core's
//! `Database` and on `commands::schema::Schema`; the location the person gave decides which
//! backend does the work.

mod file;
mod location;
mod server;

pub use location::DbLocation;

use crate::cli::DbCommand;
use crate::commands::{Failure, schema};
use crate::exchange::{Export, Imported};
use crate::seam::Database;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

// The backends' own failures, as `commands::failure` turns them into words and exit codes.
pub use tasktui_postgres::{Server, ServerError, hide_password};
pub use tasktui_sqlite::OpenError;
pub use tasktui_sqlite::demo::Spec as DemoSpec;
pub use tasktui_sqlite::lock::LockError;

/// Whether a command may create the database file when there is none.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Create {
    /// `add`, `user add`, an accepted `import`: a first write starts a database.
    Yes,
    /// Everything else: a missing file is a mistyped path, refused, and nothing is created.
    No,
}

/// Opens the database for the interface, migrating what is pending: the store, with the person
/// as its author, and what to say first (the migrations applied, or why it is read-only).
/// `give_up` set by a signal ends a wait for another writer; set by a key during a search, it
/// gives the search up (on a server, its statement is cancelled too: `Inputs::watch`).
pub fn for_interface(
    location: &DbLocation,
    give_up: Arc<AtomicBool>,
) -> Result<(Box<dyn Database>, Option<String>), Failure> {
    match location {
        DbLocation::Server(server, _) => server::for_interface(server, location, give_up),
        DbLocation::Default(_) | DbLocation::Explicit(_) => file::for_interface(location, give_up),
    }
}

/// Opens the database, a file or a server (migrating it as the interface does), for a
/// scripting command, as the person.
pub fn for_command(location: &DbLocation, create: Create) -> Result<Box<dyn Database>, Failure> {
    let person = crate::paths::person();
    if person.is_none() {
        crate::output::error(&format!("tasktui: {}", crate::paths::NO_NAME));
    }
    match location {
        DbLocation::Server(server, _) => server::for_command(server, person),
        DbLocation::Default(_) | DbLocation::Explicit(_) => {
            file::for_command(location, create, person)
        }
    }
}

/// `tasktui import`: checked in full before anything is written; a dry run writes nothing at
/// all (on a server it migrates nothing and its import is rolled back).
pub fn import(
    location: &DbLocation,
    data: &Export,
    dry: bool,
    again: bool,
) -> Result<crate::error::Result<Imported>, Failure> {
    match location {
        DbLocation::Server(server, _) if dry => server::dry_import(server, data, again),
        DbLocation::Server(..) => Ok(for_command(location, Create::No)?.import(data, dry, again)),
        DbLocation::Default(_) | DbLocation::Explicit(_) => {
            file::import(location, data, dry, again)
        }
    }
}

/// `tasktui demo`: refuses a database that has data unless `force`.
pub fn demo(location: &DbLocation, spec: DemoSpec, force: bool) -> Result<(), Failure> {
    match location {
        DbLocation::Server(server, _) => server::demo(server, location, spec, force),
        DbLocation::Default(_) | DbLocation::Explicit(_) => file::demo(location, spec, force),
    }
}

/// `tasktui db …` and `--migrate-only`, on the file or on the server the location names.
pub fn db(location: &DbLocation, command: &DbCommand) -> Result<(), Failure> {
    match location {
        DbLocation::Server(server, _) => schema::db(
            &mut server::OnServer { server, location },
            location,
            command,
        ),
        DbLocation::Default(_) | DbLocation::Explicit(_) => {
            schema::db(&mut file::File::at(location), location, command)
        }
    }
}

/// Whether nothing is at `path` (a database file a command would create).
fn missing(path: &Path) -> bool {
    matches!(std::fs::metadata(path), Err(e) if e.kind() == std::io::ErrorKind::NotFound)
}

/// What `demo` says when it is done, on either backend.
fn said_demo(
    location: &DbLocation,
    users: u64,
    tasks: u64,
    spec: DemoSpec,
    started: std::time::Instant,
) -> Result<(), Failure> {
    crate::commands::say(format!(
        "{}: added {} and {} (seed {}) in {:.1} s; run `tasktui --db {}` to look",
        location.path().display(),
        crate::text::count(users, "user", "users"),
        crate::text::count(tasks, "task", "tasks"),
        spec.seed,
        started.elapsed().as_secs_f64(),
        crate::text::shell_quote(location.path()),
    ))
}
