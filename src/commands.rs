//! The non-interactive commands: `--migrate-only` and `tasktui db …`, and their output. Every
//! argument is checked before the database is opened for writing, so a refused command leaves
//! the file as it was.

use crate::cli::DbCommand;
use crate::output;
use crate::store::admin::{self, AdminError, Changed};
use crate::store::migrate::EmbeddedRevert;
use crate::store::{DbLocation, Found, Inspected, OpenError, StoreError, connect, inspect};
use std::io::{BufRead, IsTerminal};

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

    /// The reader of standard output went away: the command ends quietly, with success, since
    /// whatever it did is done and nobody is left to read more.
    pub fn pipe_closed() -> Failure {
        Failure {
            message: String::new(),
            code: 0,
        }
    }

    /// The message with every command it suggests made runnable as printed: each `tasktui …`
    /// in backquotes names the same database the failing command was given.
    pub fn for_location(mut self, location: &DbLocation) -> Failure {
        self.message = runnable(&self.message, location);
        self
    }
}

/// Adds `--db PATH` to every backquoted `tasktui …` command in `text` when the database was
/// named explicitly, so that a hint works when followed.
pub fn runnable(text: &str, location: &DbLocation) -> String {
    let path = match location {
        DbLocation::Explicit(path) | DbLocation::Server(_, path) => path,
        DbLocation::Default(_) => return text.to_string(),
    };
    let db = format!(" --db {}", crate::text::shell_quote(path));
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

/// Prints what tasktui generated (a completion script, the man page) as it is.
pub fn print_generated(bytes: &[u8]) -> Result<(), Failure> {
    output::raw(bytes).map_err(|output::Closed| Failure::pipe_closed())
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

/// Prints on standard output; a closed pipe ends the command quietly.
pub(crate) fn say(text: impl AsRef<str>) -> Result<(), Failure> {
    output::line(text.as_ref()).map_err(|output::Closed| Failure::pipe_closed())
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

/// Names the database in front of a migration error.
pub(crate) fn admin_failure(path: &std::path::Path, error: AdminError) -> Failure {
    Failure {
        code: error.exit_code(),
        message: format!("{}: {error}", path.display()),
    }
}

pub(crate) fn print_changed(
    path: &std::path::Path,
    changed: &Changed,
    verb: &str,
    unchanged: &str,
) -> Result<(), Failure> {
    if let Some(backup) = &changed.backup {
        say(format!(
            "backed up to {} (the last {} backups are kept)",
            backup.display(),
            crate::store::BACKUPS_KEPT
        ))?;
    }
    for m in &changed.migrations {
        say(format!("{verb} V{}__{}", m.version, m.name))?;
    }
    if changed.migrations.is_empty() {
        say(format!(
            "{}: {unchanged} at version {}",
            path.display(),
            changed.version
        ))
    } else {
        say(format!(
            "{}: now at version {}",
            path.display(),
            changed.version
        ))
    }
}

/// What opening a database for the interface did, for its status bar: the file or tables it
/// made, or the version it migrated to and where the backup went.
pub fn opened_message(
    location: &DbLocation,
    applied: &[crate::store::migrate::Applied],
    backup: Option<&std::path::Path>,
) -> Option<String> {
    let last = applied.last()?;
    // Version 1 applied now means the database was new: say which one was made.
    Some(if applied.first().is_some_and(|m| m.version == 1) {
        let what = if location.server().is_some() {
            "tasktui's tables in "
        } else {
            ""
        };
        format!(
            "created {what}{} (schema version {})",
            location.path().display(),
            last.version
        )
    } else {
        let saved = backup
            .map(|b| format!("; backup at {}", b.display()))
            .unwrap_or_default();
        format!("migrated the database to version {}{saved}", last.version)
    })
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
        DbCommand::Check => check(location),
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

/// `db current`'s line: the version, and what is pending.
pub(crate) fn print_current(location: &DbLocation, now: &admin::Current) -> Result<(), Failure> {
    let path = location.path().display();
    let name = now
        .name
        .as_ref()
        .map(|n| format!(" ({n})"))
        .unwrap_or_default();
    if now.version > now.known {
        say(format!(
            "{path}: version {}{name}; this tasktui knows up to {}: upgrade tasktui",
            now.version, now.known
        ))
    } else if now.pending.is_empty() {
        say(format!("{path}: version {}{name}, up to date", now.version))
    } else {
        let list: Vec<String> = now
            .pending
            .iter()
            .map(|m| format!("V{}__{}", m.version, m.name))
            .collect();
        say_hint(
            location,
            format!(
                "{path}: version {}{name}, {} pending: {}; `tasktui db upgrade` applies them",
                now.version,
                list.len(),
                list.join(", ")
            ),
        )
    }
}

fn history(location: &DbLocation) -> Result<(), Failure> {
    let Inspected { conn, path, .. } = inspect(location)?;
    let entries = admin::history(&conn).map_err(|e| admin_failure(&path, e))?;
    print_history(entries)
}

/// `db history`'s table.
pub(crate) fn print_history(entries: Vec<admin::Entry>) -> Result<(), Failure> {
    let width = entries
        .iter()
        .map(|e| crate::text::clean(&e.name).chars().count())
        .max()
        .unwrap_or(0)
        .max(4);
    say(format!(
        "{:<8} {:<width$} {:<10} {:<24} revert",
        "version", "name", "state", "applied"
    ))?;
    for e in entries {
        let applied = e.applied_on.as_deref().map_or("-".to_string(), |t| {
            chrono::DateTime::parse_from_rfc3339(t).map_or(t.to_string(), |t| {
                t.format("%Y-%m-%d %H:%M:%S UTC").to_string()
            })
        });
        let revert = match e.revert {
            None => "unknown to this tasktui".to_string(),
            Some(EmbeddedRevert::Irreversible(reason)) => {
                format!("irreversible: {}", reason.trim())
            }
            Some(revert) => match admin::drops_data(revert) {
                Some(what) => format!("down (drops data: {what})"),
                None => "down".to_string(),
            },
        };
        say(format!(
            "{:<8} {:<width$} {:<10} {:<24} {revert}",
            format!("V{}", e.version),
            crate::text::clean(&e.name),
            e.state.as_str(),
            applied
        ))?;
    }
    Ok(())
}

fn downgrade(location: &DbLocation, target: &str, yes: bool) -> Result<(), Failure> {
    let path = location.path();
    let fail = |e| admin_failure(path, e);
    // Decide and ask on a read-only look, holding no lock while a person thinks.
    let seen = {
        let Inspected { conn, .. } = inspect(location)?;
        admin::DowngradePlan::read(&conn, target).map_err(fail)?
    };
    let version = seen.version;
    confirm_drops(location, &seen, yes)?;
    let mut db = connect(location, false, false)?;
    // The plan agreed to must still be the plan: another process may have changed the schema.
    if admin::DowngradePlan::read(&db.conn, target).map_err(fail)? != seen {
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

fn check(location: &DbLocation) -> Result<(), Failure> {
    let Inspected { conn, path, .. } = inspect(location)?;
    let problems = admin::check(&conn).map_err(|e| admin_failure(&path, e))?;
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

/// `db check`'s report: ok with what was checked, or each problem and a failure.
pub(crate) fn print_check(
    location: &DbLocation,
    problems: &[String],
    version: u32,
    checked: &str,
) -> Result<(), Failure> {
    let path = location.path();
    if problems.is_empty() {
        return say(format!(
            "{}: ok at version {version}: {checked}",
            path.display()
        ));
    }
    for problem in problems {
        // A reader gone early does not turn the problems found into success.
        if say_hint(location, format!("problem: {problem}")).is_err() {
            break;
        }
    }
    Err(Failure {
        code: 1,
        message: format!(
            "{}: {} problem{} found",
            path.display(),
            problems.len(),
            if problems.len() == 1 { "" } else { "s" }
        ),
    })
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

/// Asks before a downgrade that drops data (refused without a terminal unless `yes`).
pub(crate) fn confirm_drops(
    location: &DbLocation,
    seen: &admin::DowngradePlan,
    yes: bool,
) -> Result<(), Failure> {
    let path = location.path();
    let version = seen.version;
    if !seen.drops.is_empty() && !yes {
        let what = seen.drops.join("; ");
        if !std::io::stdin().is_terminal() {
            return Err(Failure::usage(format!(
                "{}: downgrading to version {version} drops data ({what}); run again with --yes to go on (a backup is taken first)",
                path.display()
            )));
        }
        output::ask(&format!(
            "Downgrading {} to version {version} drops data: {what}.\nA backup is taken first. Type yes to go on: ",
            path.display()
        ));
        let mut answer = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut answer)
            .map_err(|e| Failure {
                code: 1,
                message: e.to_string(),
            })?;
        if !matches!(answer.trim(), "yes" | "y") {
            return Err(Failure {
                code: 1,
                message: "nothing was changed".into(),
            });
        }
    }
    Ok(())
}
