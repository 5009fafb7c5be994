//! The non-interactive commands: `--migrate-only` and `tasktui db …`, and their output. Every
//! argument is checked before the database is opened for writing, so a refused command leaves
//! the file as it was.

pub(crate) mod failure;
pub(crate) mod report;

pub use failure::{Failure, runnable};
pub(crate) use failure::{admin_failure, say, say_hint};
pub use report::opened_message;
use report::{confirm_drops, print_changed, print_check, print_current, print_history};

use crate::cli::DbCommand;
use crate::output;
use crate::store::admin;
use crate::store::{DbLocation, Found, Inspected, connect, inspect};

/// Prints what tasktui generated (a completion script, the man page) as it is.
pub fn print_generated(bytes: &[u8]) -> Result<(), Failure> {
    Ok(output::raw(bytes)?)
}

/// `tasktui config`: where the file is; `--print-default` the default one; `check` every
/// problem in it by line (exit 2 when there is one).
pub fn config(
    loaded: &crate::config::Loaded,
    print_default: bool,
    check: bool,
) -> Result<(), Failure> {
    if print_default {
        return print_generated(crate::config::default_text().as_bytes());
    }
    let Some(path) = &loaded.path else {
        return Err(Failure::usage(
            "cannot find a config folder; give a file with --config PATH",
        ));
    };
    let exists = path.is_file();
    if !check {
        return say(if exists {
            format!("{}", path.display())
        } else {
            format!(
                "{} (not there: every default applies; tasktui config --print-default > {} starts one)",
                path.display(),
                crate::text::shell_quote(path)
            )
        });
    }
    if loaded.problems.is_empty() {
        return say(if exists {
            format!("{}: ok", path.display())
        } else {
            format!("{}: not there, every default applies", path.display())
        });
    }
    let lines: Vec<String> = loaded
        .problems
        .iter()
        .map(|p| format!("{}: {p}", path.display()))
        .collect();
    crate::output::error(&lines.join("\n"));
    Err(Failure {
        message: format!(
            "{} problem{} in the config file; tasktui starts with the defaults for them",
            lines.len(),
            if lines.len() == 1 { "" } else { "s" }
        ),
        code: 2,
    })
}

/// clap's message for a command line it refused, as one line: what is wrong, then the help of
/// the (sub)command it was for: the words of `args` that name one, in turn.
pub fn one_line_usage(rendered: &str, args: &[String]) -> String {
    use clap::CommandFactory;
    // The first paragraph: what is wrong, perhaps over lines (the missing arguments).
    let what: Vec<&str> = rendered
        .trim_start_matches("error: ")
        .lines()
        .take_while(|l| !l.trim().is_empty())
        .map(str::trim)
        .collect();
    let what = what.join(" ");
    let mut command = crate::cli::Cli::command();
    let mut path = vec!["tasktui".to_string()];
    for arg in args {
        let Some(sub) = command.find_subcommand(arg).cloned() else {
            continue;
        };
        path.push(arg.clone());
        command = sub;
    }
    format!("{what} (see `{} --help`)", path.join(" "))
}

/// `--migrate-only`, the same as `db upgrade head`.
pub fn migrate_only(location: &DbLocation) -> Result<(), Failure> {
    if let Some(server) = location.server() {
        return crate::on_server::upgrade(server, location, "head");
    }
    upgrade(location, "head")
}

fn upgrade(location: &DbLocation, target: &str) -> Result<(), Failure> {
    let path = location.path();
    let target = admin::upgrade_target(target).map_err(|e| admin_failure(path, e))?;
    // Held whole: the lock inside stays taken until the upgrade is done.
    let mut db = connect(location, true, false)?;
    let changed =
        admin::upgrade(&mut db.conn, &db.path, target).map_err(|e| admin_failure(path, e))?;
    if !changed.migrations.is_empty() {
        // WAL, as the interface keeps it; after the change, so a failed one leaves every byte.
        admin::keep_wal(&db.conn);
    }
    drop(db);
    print_changed(path, &changed, "applied", "already up to date")
}

pub fn db(location: &DbLocation, command: &DbCommand) -> Result<(), Failure> {
    if let Some(server) = location.server() {
        return crate::on_server::db(server, location, command);
    }
    match command {
        DbCommand::Show { version, down } => {
            let sql = admin::show(*version, *down).map_err(|e| Failure::usage(e.to_string()))?;
            say(sql.strip_suffix('\n').unwrap_or(&sql))
        }
        DbCommand::Upgrade { target } => upgrade(location, target),
        DbCommand::Current => current(location),
        DbCommand::History => history(location),
        DbCommand::Downgrade { target, yes } => downgrade(location, target, *yes),
        DbCommand::Stamp { target } => {
            let path = location.path();
            let version = admin::upgrade_target(target).map_err(|e| admin_failure(path, e))?;
            let mut db = connect(location, false, true)?;
            admin::stamp(&mut db.conn, version).map_err(|e| admin_failure(path, e))?;
            drop(db);
            say_hint(
                location,
                format!(
                    "{}: stamped at version {version}; `tasktui db upgrade` applies what follows",
                    path.display()
                ),
            )
        }
        DbCommand::Check { fix } => check(location, *fix),
    }
}

fn current(location: &DbLocation) -> Result<(), Failure> {
    let Inspected { conn, path, found } = inspect(location)?;
    let now = admin::current(&conn).map_err(|e| admin_failure(&path, e))?;
    if found == Found::Unversioned {
        return say_hint(
            location,
            format!(
                "{}: no migration history (tasktui's tables exist); `tasktui db check` says which version they match",
                path.display()
            ),
        );
    }
    print_current(location, &now)
}

fn history(location: &DbLocation) -> Result<(), Failure> {
    let Inspected { conn, path, .. } = inspect(location)?;
    let entries = admin::history(&conn).map_err(|e| admin_failure(&path, e))?;
    print_history(entries)
}

fn downgrade(location: &DbLocation, target: &str, yes: bool) -> Result<(), Failure> {
    let path = location.path();
    let fail = |e| admin_failure(path, e);
    // Decide and ask on a read-only look, holding no lock while a person thinks.
    let seen = {
        let Inspected { conn, .. } = inspect(location)?;
        admin::read_downgrade(&conn, target).map_err(fail)?
    };
    let version = seen.version;
    confirm_drops(location, &seen, yes)?;
    let mut db = connect(location, false, false)?;
    // The plan agreed to must still be the plan: another process may have changed the schema.
    if admin::read_downgrade(&db.conn, target).map_err(fail)? != seen {
        return Err(Failure {
            code: 1,
            message: format!(
                "{}: the database changed while you were asked; nothing was changed: run the command again",
                path.display()
            ),
        });
    }
    let changed = admin::downgrade(&mut db.conn, &db.path, version).map_err(fail)?;
    drop(db);
    print_changed(path, &changed, "reverted", "already")
}

fn check(location: &DbLocation, fix: bool) -> Result<(), Failure> {
    if fix {
        // Under the lock, as a migration: nothing else rebuilds or migrates meanwhile.
        let connected = connect(location, false, false)?;
        let mended = crate::store::check::mend(&connected.conn)
            .map_err(|e| admin_failure(&connected.path, e))?;
        for what in mended {
            say(format!(
                "{}: rebuilt {what} from the tasks",
                connected.path.display()
            ))?;
        }
    }
    let Inspected { conn, path, .. } = inspect(location)?;
    let problems = crate::store::check::check(&conn).map_err(|e| admin_failure(&path, e))?;
    let version = admin::current(&conn)
        .map_err(|e| admin_failure(&path, e))?
        .version;
    print_check(
        location,
        &problems,
        version,
        "migrations, schema, search index, kept counts, row rules, integrity and foreign keys",
    )
}

/// `tasktui demo`: refuses a database that has data unless `force`.
pub fn demo(location: &DbLocation, spec: crate::demo::Spec, force: bool) -> Result<(), Failure> {
    if let Some(server) = location.server() {
        return crate::on_server::demo(server, location, spec, force);
    }
    let path = location.path().display();
    // Refused on a read-only look, before opening migrates anything.
    let has_data = |inspected: Inspected| {
        inspected.has_data().map_err(|e| Failure {
            code: 1,
            message: e.to_string(),
        })
    };
    if !force && location.path().exists() && has_data(inspect(location)?)? {
        return Err(Failure::usage(format!(
            "{path}: already holds data; run with --force to add the sample data to it, or give another --db"
        )));
    }
    let store = crate::store::Store::open(location)?.store;
    let started = std::time::Instant::now();
    let (users, tasks) = crate::demo::fill(&store, spec)?;
    say(format!(
        "{path}: added {users} users and {tasks} tasks (seed {}) in {:.1} s; run `tasktui --db {}` to look",
        spec.seed,
        started.elapsed().as_secs_f64(),
        crate::text::shell_quote(location.path()),
    ))
}
