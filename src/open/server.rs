//! A database on a PostgreSQL server (`--db postgres://…`): opened for the interface and the
//! scripting commands, its `db` workflow, its sample. The output is the file's (`commands`),
//! with the server named by its URL, password hidden.

use super::{DbLocation, DemoSpec};
use crate::commands::failure::{ExitCode, Failure, admin_failure, said};
use crate::commands::schema::Schema;
use crate::exchange::{Export, Imported};
use crate::schema::{self as admin, AdminError, Changed, Current, DowngradePlan, Entry};
use crate::seam::{Database, Exchange};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use tasktui_postgres::{PgOpened, PgStore, Server, ServerError, connect, migrate};

fn server_failure(server: &Server, error: &ServerError) -> Failure {
    Failure {
        code: error.exit_code(),
        message: format!("{server}: {}", said(error)),
    }
}

/// Connects, migrates what is pending, and opens the store.
fn open(server: &Server) -> Result<PgOpened, Failure> {
    migrate::open(server).map_err(|e| server_failure(server, &e))
}

pub(super) fn for_interface(
    server: &Server,
    location: &DbLocation,
    give_up: Arc<AtomicBool>,
) -> Result<(Box<dyn Database>, Option<String>), Failure> {
    let opened = open(server)?;
    let message =
        crate::commands::opened_message(location, &opened.applied, opened.backup.as_deref());
    let mut store = opened.store;
    store.set_author(crate::paths::person());
    store.give_up_when(give_up);
    Ok((Box::new(store), message))
}

pub(super) fn for_command(
    server: &Server,
    person: Option<String>,
) -> Result<Box<dyn Database>, Failure> {
    let mut store = open(server)?.store;
    store.set_author(person);
    Ok(Box::new(store))
}

/// A dry run of an import: the store as the database is, migrating nothing, its import rolled
/// back.
pub(super) fn dry_import(
    server: &Server,
    data: &Export,
    again: bool,
) -> Result<crate::error::Result<Imported>, Failure> {
    let mut store: PgStore =
        migrate::open_as_it_is(server).map_err(|e| server_failure(server, &e))?;
    store.set_author(crate::paths::person());
    Ok(store.import(data, true, again))
}

fn client(server: &Server) -> Result<postgres::Client, Failure> {
    connect(server).map_err(|e| server_failure(server, &e))
}

/// A database on a server: each call on a connection of its own, a change under the schema
/// lock the server holds for it.
pub(super) struct OnServer<'a> {
    pub server: &'a Server,
    pub location: &'a DbLocation,
}

impl OnServer<'_> {
    fn fail(&self) -> impl Fn(AdminError) -> Failure + '_ {
        |e| admin_failure(self.location.path(), e)
    }
}

impl Schema for OnServer<'_> {
    fn path(&self) -> &Path {
        self.location.path()
    }

    fn show(&self, version: u32, down: bool) -> Result<String, AdminError> {
        admin::show_in(migrate::MIGRATIONS, version, down)
    }

    fn upgrade_target(&self, text: &str) -> Result<u32, AdminError> {
        admin::upgrade_target_in(migrate::MIGRATIONS, text)
    }

    fn current(&mut self) -> Result<Option<Current>, Failure> {
        migrate::current(&mut client(self.server)?)
            .map(Some)
            .map_err(self.fail())
    }

    fn history(&mut self) -> Result<Vec<Entry>, Failure> {
        migrate::entries(&mut client(self.server)?).map_err(self.fail())
    }

    fn upgrade(&mut self, target: u32) -> Result<Changed, Failure> {
        migrate::upgrade(&mut client(self.server)?, self.server, Some(target)).map_err(self.fail())
    }

    fn read_downgrade(&mut self, target: &str) -> Result<DowngradePlan, Failure> {
        migrate::downgrade_read(&mut client(self.server)?, target).map_err(self.fail())
    }

    fn downgrade(
        &mut self,
        target: &str,
        seen: &DowngradePlan,
    ) -> Result<Option<Changed>, Failure> {
        migrate::downgrade(&mut client(self.server)?, self.server, target, seen)
            .map_err(self.fail())
    }

    fn stamp(&mut self, version: u32) -> Result<(), Failure> {
        migrate::stamp(&mut client(self.server)?, version).map_err(self.fail())
    }

    fn mend(&mut self) -> Result<Vec<&'static str>, Failure> {
        migrate::mend(&mut client(self.server)?).map_err(self.fail())
    }

    fn check(&mut self) -> Result<(Vec<String>, u32), Failure> {
        let mut client = client(self.server)?;
        let problems = migrate::check(&mut client).map_err(self.fail())?;
        let version = migrate::current(&mut client).map_err(self.fail())?.version;
        Ok((problems, version))
    }

    fn checked(&self) -> &'static str {
        "migrations, schema (replayed into a scratch schema and compared) and kept counts"
    }
}

/// `tasktui demo` on a server: the sample made in memory, then imported (users matched by
/// name, tasks keeping their ids where free), refused on a database with data unless `force`.
pub(super) fn demo(
    server: &Server,
    location: &DbLocation,
    spec: DemoSpec,
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
    let sample = tasktui_sqlite::Store::open_in_memory()?;
    let progress = crate::progress::Progress::start("demo");
    let (users, tasks) =
        tasktui_sqlite::demo::fill_with(&sample, spec, &mut |step, done, total| {
            progress.set(step, done, total);
        })?;
    progress.set("writing to the server", 0, 0);
    let data = sample.export()?;
    drop(sample);
    let store = open(server)?.store;
    match store.import(&data, false, true)? {
        Imported::Done { .. } => {}
        Imported::Rejected(rows) => {
            return Err(Failure {
                code: 1,
                message: format!("{path}: the sample was refused: {}", rows[0].reason),
            });
        }
    }
    drop(progress);
    super::said_demo(location, users, tasks, spec, started)
}
