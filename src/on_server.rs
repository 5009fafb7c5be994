//! The commands on a PostgreSQL server (`--db postgres://…`): opening it for the interface and
//! the scripting commands, `--migrate-only` and the `db` workflow. The output is the file's
//! (`commands`), with the server named by its URL, password hidden.

use crate::cli::DbCommand;
use crate::commands::failure::{Failure, admin_failure, say, say_hint};
use crate::commands::report::{
    confirm_drops, print_changed, print_check, print_current, print_history,
};
use crate::store::DbLocation;
use crate::store::postgres::{PgOpened, Server, ServerError, connect, migrate};

fn server_failure(server: &Server, error: &ServerError) -> Failure {
    Failure {
        code: error.exit_code(),
        message: format!("{server}: {error}"),
    }
}

/// Connects, migrates what is pending, and opens the store.
pub fn open(server: &Server) -> Result<PgOpened, Failure> {
    migrate::open(server).map_err(|e| server_failure(server, &e))
}

/// Opens the store as the database is, migrating nothing (for a dry run).
pub fn open_as_it_is(server: &Server) -> Result<crate::store::postgres::PgStore, Failure> {
    migrate::open_as_it_is(server).map_err(|e| server_failure(server, &e))
}

fn client(server: &Server) -> Result<postgres::Client, Failure> {
    connect(server).map_err(|e| server_failure(server, &e))
}

pub fn upgrade(server: &Server, location: &DbLocation, target: &str) -> Result<(), Failure> {
    let path = location.path();
    let target = crate::store::admin::upgrade_target_in(migrate::MIGRATIONS, target)
        .map_err(|e| admin_failure(path, e))?;
    let mut client = client(server)?;
    let changed =
        migrate::upgrade(&mut client, server, Some(target)).map_err(|e| admin_failure(path, e))?;
    print_changed(path, &changed, "applied", "already up to date")
}

pub fn db(server: &Server, location: &DbLocation, command: &DbCommand) -> Result<(), Failure> {
    let path = location.path();
    let fail = |e| admin_failure(path, e);
    match command {
        DbCommand::Show { version, down } => {
            let sql = crate::store::admin::show_in(migrate::MIGRATIONS, *version, *down)
                .map_err(|e| Failure::usage(e.to_string()))?;
            say(sql.strip_suffix('\n').unwrap_or(&sql))
        }
        DbCommand::Upgrade { target } => upgrade(server, location, target),
        DbCommand::Current => {
            let now = migrate::current(&mut client(server)?).map_err(fail)?;
            print_current(location, &now)
        }
        DbCommand::History => print_history(migrate::entries(&mut client(server)?).map_err(fail)?),
        DbCommand::Downgrade { target, yes } => {
            // Decided and asked on a read, holding no lock while a person thinks.
            let seen = migrate::downgrade_read(&mut client(server)?, target).map_err(fail)?;
            confirm_drops(location, &seen, *yes)?;
            let changed = migrate::downgrade(&mut client(server)?, server, target, &seen)
                .map_err(fail)?
                .ok_or_else(|| Failure {
                    code: 1,
                    message: format!(
                        "{}: the database changed while you were asked; nothing was changed: run the command again",
                        path.display()
                    ),
                })?;
            print_changed(path, &changed, "reverted", "already")
        }
        DbCommand::Stamp { target } => {
            let version = crate::store::admin::upgrade_target_in(migrate::MIGRATIONS, target)
                .map_err(fail)?;
            migrate::stamp(&mut client(server)?, version).map_err(fail)?;
            say_hint(
                location,
                format!(
                    "{}: stamped at version {version}; `tasktui db upgrade` applies what follows",
                    path.display()
                ),
            )
        }
        DbCommand::Check { fix } => {
            let mut client = client(server)?;
            if *fix {
                for what in migrate::mend(&mut client).map_err(fail)? {
                    say(format!("{}: rebuilt {what} from the tasks", path.display()))?;
                }
            }
            let problems = migrate::check(&mut client).map_err(fail)?;
            let version = migrate::current(&mut client).map_err(fail)?.version;
            print_check(
                location,
                &problems,
                version,
                "migrations, schema (replayed into a scratch schema and compared) and kept counts",
            )
        }
    }
}

/// `tasktui demo` on a server: the sample made in memory, then imported (users matched by
/// name, tasks keeping their ids where free), refused on a database with data unless `force`.
pub fn demo(
    server: &Server,
    location: &DbLocation,
    spec: crate::demo::Spec,
    force: bool,
) -> Result<(), Failure> {
    let path = location.path().display();
    let holds_data =
        migrate::has_data(&mut client(server)?).map_err(|e| admin_failure(location.path(), e))?;
    if !force && holds_data {
        return Err(Failure::usage(format!(
            "{path}: already holds data; run with --force to add the sample data to it, or give another --db"
        )));
    }
    let started = std::time::Instant::now();
    let sample = crate::store::Store::open_in_memory()?;
    let (users, tasks) = crate::demo::fill(&sample, spec)?;
    let data = sample.export()?;
    drop(sample);
    let store = open(server)?.store;
    match store.import(&data, false, true)? {
        crate::store::Imported::Done { .. } => {}
        crate::store::Imported::Rejected(rows) => {
            return Err(Failure {
                code: 1,
                message: format!("{path}: the sample was refused: {}", rows[0].reason),
            });
        }
    }
    say(format!(
        "{path}: added {users} users and {tasks} tasks (seed {}) in {:.1} s; run `tasktui --db {}` to look",
        spec.seed,
        started.elapsed().as_secs_f64(),
        crate::text::shell_quote(location.path()),
    ))
}
