//! The non-interactive commands: `--migrate-only` and `tasktui db …`, and their output.

use crate::cli::DbCommand;
use crate::store::admin::{self, AdminError, Changed};
use crate::store::migrate::{EmbeddedRevert, MigrateError};
use crate::store::{DbLocation, Found, Inspected, OpenError, StoreError, connect, inspect};
use std::io::{BufRead, IsTerminal, Write};

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
fn admin_failure(path: &std::path::Path, error: AdminError) -> Failure {
    let code = match &error {
        AdminError::Backup(_)
        | AdminError::Revert { .. }
        | AdminError::Sqlite(_)
        | AdminError::Migrate(
            MigrateError::Refinery(_)
            | MigrateError::Sqlite(_)
            | MigrateError::ForeignKeys(_)
            | MigrateError::Integrity(_),
        ) => 1,
        _ => 2,
    };
    Failure {
        code,
        message: format!("{}: {error}", path.display()),
    }
}

fn print_changed(path: &std::path::Path, changed: &Changed, verb: &str, unchanged: &str) {
    if let Some(backup) = &changed.backup {
        println!(
            "backed up to {} (the last {} backups are kept)",
            backup.display(),
            crate::store::BACKUPS_KEPT
        );
    }
    for m in &changed.migrations {
        println!("{verb} V{}__{}", m.version, m.name);
    }
    if changed.migrations.is_empty() {
        println!(
            "{}: {unchanged} at version {}",
            path.display(),
            changed.version
        );
    } else {
        println!("{}: now at version {}", path.display(), changed.version);
    }
}

/// `--migrate-only`, the same as `db upgrade head`.
pub fn migrate_only(location: &DbLocation) -> Result<(), Failure> {
    upgrade(location, "head")
}

fn upgrade(location: &DbLocation, target: &str) -> Result<(), Failure> {
    // Held whole: the lock inside stays taken until the upgrade is done.
    let mut db = connect(location, true, false)?;
    let path = db.path.clone();
    let target = admin::upgrade_target(target).map_err(|e| admin_failure(&path, e))?;
    let changed =
        admin::upgrade(&mut db.conn, &path, target).map_err(|e| admin_failure(&path, e))?;
    print_changed(&path, &changed, "applied", "already up to date");
    Ok(())
}

pub fn db(location: &DbLocation, command: &DbCommand) -> Result<(), Failure> {
    match command {
        DbCommand::Show { version, down } => {
            let sql = admin::show(*version, *down).map_err(|e| Failure::usage(e.to_string()))?;
            print!("{sql}");
            if !sql.ends_with('\n') {
                println!();
            }
            Ok(())
        }
        DbCommand::Upgrade { target } => upgrade(location, target),
        DbCommand::Current => current(location),
        DbCommand::History => history(location),
        DbCommand::Downgrade { target, yes } => downgrade(location, target, *yes),
        DbCommand::Stamp { target } => {
            let mut db = connect(location, false, true)?;
            let path = db.path.clone();
            let version = admin::upgrade_target(target).map_err(|e| admin_failure(&path, e))?;
            admin::stamp(&mut db.conn, version).map_err(|e| admin_failure(&path, e))?;
            println!(
                "{}: stamped at version {version}; `tasktui db upgrade` applies what follows",
                path.display()
            );
            Ok(())
        }
        DbCommand::Check => check(location),
    }
}

fn current(location: &DbLocation) -> Result<(), Failure> {
    let Inspected { conn, path, found } = inspect(location)?;
    let now = admin::current(&conn).map_err(|e| admin_failure(&path, e))?;
    let path = path.display();
    if found == Found::Unversioned {
        println!(
            "{path}: no migration history (tasktui's tables exist); `tasktui db check` says which version they match"
        );
        return Ok(());
    }
    let name = now.name.map(|n| format!(" ({n})")).unwrap_or_default();
    if now.version > now.known {
        println!(
            "{path}: version {}{name}; this tasktui knows up to {}: upgrade tasktui",
            now.version, now.known
        );
    } else if now.pending.is_empty() {
        println!("{path}: version {}{name}, up to date", now.version);
    } else {
        let list: Vec<String> = now
            .pending
            .iter()
            .map(|m| format!("V{}__{}", m.version, m.name))
            .collect();
        println!(
            "{path}: version {}{name}, {} pending: {}",
            now.version,
            list.len(),
            list.join(", ")
        );
    }
    Ok(())
}

fn history(location: &DbLocation) -> Result<(), Failure> {
    let Inspected { conn, path, .. } = inspect(location)?;
    let entries = admin::history(&conn).map_err(|e| admin_failure(&path, e))?;
    println!(
        "{:<8} {:<26} {:<10} {:<24} revert",
        "version", "name", "state", "applied"
    );
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
        println!(
            "{:<8} {:<26} {:<10} {:<24} {revert}",
            format!("V{}", e.version),
            e.name,
            e.state.as_str(),
            applied
        );
    }
    Ok(())
}

fn downgrade(location: &DbLocation, target: &str, yes: bool) -> Result<(), Failure> {
    let mut db = connect(location, false, false)?;
    let (conn, path) = (&mut db.conn, db.path.clone());
    let fail = |e| admin_failure(&path, e);
    let target = admin::downgrade_target(conn, target).map_err(fail)?;
    let plan = admin::downgrade_plan(conn, target).map_err(fail)?;
    let dropped = admin::data_dropped_by(&plan);
    let has_data = crate::store::has_data(conn).map_err(|e| admin_failure(&path, e.into()))?;
    if !dropped.is_empty() && has_data && !yes {
        let what = dropped.join("; ");
        if !std::io::stdin().is_terminal() {
            return Err(Failure::usage(format!(
                "{}: downgrading to version {target} drops data ({what}); run again with --yes to go on (a backup is taken first)",
                path.display()
            )));
        }
        eprint!(
            "Downgrading {} to version {target} drops data: {what}.\nA backup is taken first. Type yes to go on: ",
            path.display()
        );
        let _ = std::io::stderr().flush();
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
    let changed = admin::downgrade(conn, &path, target).map_err(fail)?;
    print_changed(&path, &changed, "reverted", "already");
    Ok(())
}

fn check(location: &DbLocation) -> Result<(), Failure> {
    let Inspected { conn, path, .. } = inspect(location)?;
    let problems = admin::check(&conn).map_err(|e| admin_failure(&path, e))?;
    let version = admin::current(&conn)
        .map_err(|e| admin_failure(&path, e))?
        .version;
    if problems.is_empty() {
        println!(
            "{}: ok at version {version}: migrations, schema, integrity and foreign keys",
            path.display()
        );
        return Ok(());
    }
    for problem in &problems {
        println!("problem: {problem}");
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
    let opened = crate::store::Store::open(location)?;
    let store = opened.store;
    let path = location.path().display();
    if !force
        && crate::store::has_data(store.connection()).map_err(|e| Failure {
            code: 1,
            message: e.to_string(),
        })?
    {
        return Err(Failure::usage(format!(
            "{path}: already holds data; run with --force to add the sample data to it, or give another --db"
        )));
    }
    let started = std::time::Instant::now();
    let (users, tasks) = crate::demo::fill(&store, spec)?;
    println!(
        "{path}: added {users} users and {tasks} tasks (seed {}) in {:.1} s; run `tasktui --db {path}` to look",
        spec.seed,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
