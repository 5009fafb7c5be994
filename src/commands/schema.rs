//! The migration workflow of `tasktui db …` and `--migrate-only`, once for both backends: the
//! `Schema` trait says what a database must do, the file and the server each do it their way,
//! and `db` decides, asks and reports the same for both.

use super::failure::{Failure, admin_failure, said, say, say_hint};
use super::report::{confirm_drops, print_changed, print_check, print_current, print_history};
use crate::cli::DbCommand;
use crate::open::DbLocation;
use crate::schema::{AdminError, Changed, Current, DowngradePlan, Entry};
use std::path::Path;

/// One database's schema, as the workflow asks it. Each call opens what it needs: a look that
/// takes no lock for reading and for deciding what to ask, the lock (or the schema lock of a
/// server) for a change. Failures come back in words.
pub(crate) trait Schema {
    /// Where the database is, as messages name it.
    fn path(&self) -> &Path;
    /// The SQL of migration `version`, or of its down migration.
    fn show(&self, version: u32, down: bool) -> Result<String, AdminError>;
    /// `head` or a version number.
    fn upgrade_target(&self, text: &str) -> Result<u32, AdminError>;
    /// The version and what is pending; `None` for tasktui's tables without a history.
    fn current(&mut self) -> Result<Option<Current>, Failure>;
    fn history(&mut self) -> Result<Vec<Entry>, Failure>;
    fn upgrade(&mut self, target: u32) -> Result<Changed, Failure>;
    /// What a downgrade to `target` would do, read without a lock.
    fn read_downgrade(&mut self, target: &str) -> Result<DowngradePlan, Failure>;
    /// The downgrade agreed to as `seen`; `None` when the database changed meanwhile, so that
    /// the plan is no longer the one agreed to (nothing is changed then).
    fn downgrade(&mut self, target: &str, seen: &DowngradePlan)
    -> Result<Option<Changed>, Failure>;
    fn stamp(&mut self, version: u32) -> Result<(), Failure>;
    /// Rebuilds the kept counts and indexes that differ; what was rebuilt.
    fn mend(&mut self) -> Result<Vec<&'static str>, Failure>;
    /// Every problem `db check` finds, and the version the database is at.
    fn check(&mut self) -> Result<(Vec<String>, u32), Failure>;
    /// What `db check` compares, in words.
    fn checked(&self) -> &'static str;
}

/// `tasktui db …` on either backend.
pub(crate) fn db(
    schema: &mut impl Schema,
    location: &DbLocation,
    command: &DbCommand,
) -> Result<(), Failure> {
    let path = schema.path().to_path_buf();
    let fail = |e| admin_failure(&path, e);
    match command {
        DbCommand::Show { version, down } => {
            let sql = schema
                .show(*version, *down)
                .map_err(|e| Failure::usage(said(&e)))?;
            say(sql.strip_suffix('\n').unwrap_or(&sql))
        }
        DbCommand::Upgrade { target } => upgrade(schema, target),
        DbCommand::Current => match schema.current()? {
            Some(now) => print_current(location, &now),
            None => say_hint(
                location,
                format!(
                    "{}: no migration history (tasktui's tables exist); `tasktui db check` says which version they match",
                    path.display()
                ),
            ),
        },
        DbCommand::History => print_history(schema.history()?),
        DbCommand::Downgrade { target, yes } => {
            // Decided and asked on a read, holding no lock while a person thinks.
            let seen = schema.read_downgrade(target)?;
            if !confirm_drops(location, &seen, *yes)? {
                return Ok(());
            }
            let changed = schema.downgrade(target, &seen)?.ok_or_else(|| Failure {
                code: 1,
                message: format!(
                    "{}: the database changed while you were asked; nothing was changed: run the command again",
                    path.display()
                ),
            })?;
            print_changed(&path, &changed, "reverted", "already")
        }
        DbCommand::Stamp { target } => {
            let version = schema.upgrade_target(target).map_err(fail)?;
            schema.stamp(version)?;
            say_hint(
                location,
                format!(
                    "{}: stamped at version {version}; `tasktui db upgrade` applies what follows",
                    path.display()
                ),
            )
        }
        DbCommand::Check { fix } => {
            if *fix {
                let progress = crate::progress::Progress::start("db check --fix");
                let mended = schema.mend()?;
                drop(progress);
                for what in mended {
                    say(format!("{}: rebuilt {what} from the tasks", path.display()))?;
                }
            }
            let progress = crate::progress::Progress::start("db check");
            let (problems, version) = schema.check()?;
            drop(progress);
            print_check(location, &problems, version, schema.checked())
        }
    }
}

/// `db upgrade TARGET` and `--migrate-only` (`head`).
pub(crate) fn upgrade(schema: &mut impl Schema, target: &str) -> Result<(), Failure> {
    let path = schema.path().to_path_buf();
    let target = schema
        .upgrade_target(target)
        .map_err(|e| admin_failure(&path, e))?;
    let progress = crate::progress::Progress::start("upgrade");
    let changed = schema.upgrade(target)?;
    drop(progress);
    print_changed(&path, &changed, "applied", "already up to date")
}
