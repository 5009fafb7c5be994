//! What the migration commands print, the same for a file and a server: what an upgrade or a
//! downgrade did, the current version, the history table, the check's report, the question
//! before dropping data, and the interface's first status message.

use super::failure::{Failure, say, say_hint};
use crate::open::DbLocation;
use crate::output;
use crate::schema::EmbeddedRevert;
use crate::schema::{self as admin, Changed};
use std::io::{BufRead, IsTerminal};

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
            crate::schema::BACKUPS_KEPT
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
    applied: &[crate::schema::Applied],
    backup: Option<&std::path::Path>,
) -> Option<String> {
    let last = applied.last()?;
    // Version 1 applied now means the database was new: say which one was made.
    Some(if applied.first().is_some_and(|m| m.version == 1) {
        if location.server().is_some() {
            format!("created tasktui's tables in {}", location.path().display())
        } else {
            format!("created a new task database: {}", location.path().display())
        }
    } else {
        let saved = backup
            .map(|b| format!("; backup at {}", b.display()))
            .unwrap_or_default();
        format!("migrated the database to version {}{saved}", last.version)
    })
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

/// Asks before a downgrade that drops data (refused without a terminal unless `yes`); whether
/// the person said yes. A no is an answer, not a failure.
pub(crate) fn confirm_drops(
    location: &DbLocation,
    seen: &admin::DowngradePlan,
    yes: bool,
) -> Result<bool, Failure> {
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
            "Downgrading {} to version {version} drops data: {what}.\nA backup is taken first. Type y or yes to go on, anything else to stop: ",
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
        if !matches!(answer.trim().to_lowercase().as_str(), "yes" | "y") {
            say("nothing was changed")?;
            return Ok(false);
        }
    }
    Ok(true)
}
