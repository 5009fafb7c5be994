//! A database file: opened for the interface and the commands, its `db` workflow, its sample.

use super::{Create, DbLocation, DemoSpec, missing};
use crate::commands::failure::{Failure, admin_failure, store_failure};
use crate::commands::schema::Schema;
use crate::exchange::{Export, Imported};
use crate::schema::{AdminError, Changed, Current, DowngradePlan, Entry};
use crate::seam::Session;
use crate::seam::{Database, Exchange};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use tasktui_sqlite::admin;
use tasktui_sqlite::{FileLocation, Found, Inspected, OpenError, Opened, Store, connect, inspect};

/// The file of a location the caller knows is one.
fn file_location(location: &DbLocation) -> FileLocation {
    match location {
        DbLocation::Default(path) => FileLocation::Default(path.clone()),
        DbLocation::Explicit(path) | DbLocation::Server(_, path) => {
            FileLocation::Explicit(path.clone())
        }
    }
}

pub(super) fn for_interface(
    location: &DbLocation,
    give_up: Arc<AtomicBool>,
) -> Result<(Box<dyn Database>, Option<String>), Failure> {
    let Opened {
        mut store,
        applied,
        backup,
    } = Store::open(&file_location(location))?;
    store.set_author(crate::paths::person());
    store.give_up_when(give_up);
    let message = match store.read_only_reason() {
        Some(why) => Some(format!("opened read-only: {why}")),
        None => crate::commands::opened_message(location, &applied, backup.as_deref()),
    };
    Ok((Box::new(store), message))
}

pub(super) fn for_command(
    location: &DbLocation,
    create: Create,
    person: Option<String>,
) -> Result<Box<dyn Database>, Failure> {
    if create == Create::No && missing(location.path()) {
        return Err(OpenError::Missing {
            path: location.path().to_path_buf(),
        }
        .into());
    }
    let mut store = Store::open(&file_location(location))?.store;
    store.set_author(person);
    store.wait_for_writers().map_err(store_failure)?;
    Ok(Box::new(store))
}

/// An import into a file. A dry run checks a copy in memory, so it writes nothing at all: no
/// file, no lock, no migration. Into a missing file, the rows are checked the same way first,
/// so that a refused import creates nothing.
pub(super) fn import(
    location: &DbLocation,
    data: &Export,
    dry: bool,
    again: bool,
) -> Result<crate::error::Result<Imported>, Failure> {
    if dry || missing(location.path()) {
        let checked = Store::open_copy(location.path())?.import(data, true, again);
        if dry || !matches!(checked, Ok(Imported::Done { .. })) {
            return Ok(checked);
        }
    }
    Ok(super::for_command(location, Create::Yes)?.import(data, false, again))
}

/// `tasktui demo` into a file: refused on a read-only look when it holds data (unless `force`),
/// before opening migrates anything; then filled in one transaction.
pub(super) fn demo(location: &DbLocation, spec: DemoSpec, force: bool) -> Result<(), Failure> {
    let path = location.path().display();
    let has_data = |inspected: Inspected| {
        inspected.has_data().map_err(|e| Failure {
            code: 1,
            message: e.to_string(),
        })
    };
    let file = file_location(location);
    if !force && location.path().exists() && has_data(inspect(&file)?)? {
        return Err(Failure::usage(format!(
            "{path}: already holds data; run with --force to add the sample data to it, or give another --db"
        )));
    }
    let store = Store::open(&file)?.store;
    let started = std::time::Instant::now();
    let progress = crate::progress::Progress::start("demo");
    let (users, tasks) =
        tasktui_sqlite::demo::fill_with(&store, spec, &mut |step, done, total| {
            progress.set(step, done, total);
        })?;
    drop(progress);
    super::said_demo(location, users, tasks, spec, started)
}

/// A database file: read through a look that changes nothing, changed under the lock file.
pub(super) struct File {
    location: FileLocation,
}

impl File {
    /// The file a location names (never a server's: `open` sends those to the server).
    pub(super) fn at(location: &DbLocation) -> File {
        File {
            location: file_location(location),
        }
    }

    fn fail(&self) -> impl Fn(AdminError) -> Failure + '_ {
        |e| admin_failure(self.location.path(), e)
    }
}

impl Schema for File {
    fn path(&self) -> &Path {
        self.location.path()
    }

    fn show(&self, version: u32, down: bool) -> Result<String, AdminError> {
        admin::show(version, down)
    }

    fn upgrade_target(&self, text: &str) -> Result<u32, AdminError> {
        admin::upgrade_target(text)
    }

    fn current(&mut self) -> Result<Option<Current>, Failure> {
        let Inspected { conn, found, .. } = inspect(&self.location)?;
        let now = admin::current(&conn).map_err(self.fail())?;
        Ok((found != Found::Unversioned).then_some(now))
    }

    fn history(&mut self) -> Result<Vec<Entry>, Failure> {
        let Inspected { conn, .. } = inspect(&self.location)?;
        admin::history(&conn).map_err(self.fail())
    }

    fn upgrade(&mut self, target: u32) -> Result<Changed, Failure> {
        // Held whole: the lock inside stays taken until the upgrade is done.
        let mut db = connect(&self.location, true, false)?;
        let changed = admin::upgrade(&mut db.conn, &db.path, target).map_err(self.fail())?;
        if !changed.migrations.is_empty() {
            // WAL, as the interface keeps it; after the change, so a failed one leaves every byte.
            admin::keep_wal(&db.conn);
        }
        Ok(changed)
    }

    fn read_downgrade(&mut self, target: &str) -> Result<DowngradePlan, Failure> {
        let Inspected { conn, .. } = inspect(&self.location)?;
        admin::read_downgrade(&conn, target).map_err(self.fail())
    }

    fn downgrade(
        &mut self,
        target: &str,
        seen: &DowngradePlan,
    ) -> Result<Option<Changed>, Failure> {
        let mut db = connect(&self.location, false, false)?;
        // The plan agreed to must still be the plan: another process may have changed the schema.
        if admin::read_downgrade(&db.conn, target).map_err(self.fail())? != *seen {
            return Ok(None);
        }
        admin::downgrade(&mut db.conn, &db.path, seen.version)
            .map(Some)
            .map_err(self.fail())
    }

    fn stamp(&mut self, version: u32) -> Result<(), Failure> {
        let mut db = connect(&self.location, false, true)?;
        admin::stamp(&mut db.conn, version).map_err(self.fail())
    }

    fn mend(&mut self) -> Result<Vec<&'static str>, Failure> {
        // Under the lock, as a migration: nothing else rebuilds or migrates meanwhile.
        let connected = connect(&self.location, false, false)?;
        tasktui_sqlite::check::mend(&connected.conn).map_err(self.fail())
    }

    fn check(&mut self) -> Result<(Vec<String>, u32), Failure> {
        let Inspected { conn, .. } = inspect(&self.location)?;
        let problems = tasktui_sqlite::check::check(&conn).map_err(self.fail())?;
        let version = admin::current(&conn).map_err(self.fail())?.version;
        Ok((problems, version))
    }

    fn checked(&self) -> &'static str {
        "migrations, schema, search index, kept counts, row rules, integrity and foreign keys"
    }
}
