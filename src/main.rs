//! Wiring: parse the command line, open the store, run the chosen command.

use clap::Parser;
use std::process::ExitCode;
use tasktui::app::App;
use tasktui::cli::Cli;
use tasktui::store::{DbLocation, OpenError, Opened, Store};
use tasktui::{paths, term};

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(&cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("tasktui: {}", failure.message);
            ExitCode::from(failure.code)
        }
    }
}

/// One line for stderr and the exit code that goes with it.
struct Failure {
    message: String,
    code: u8,
}

impl From<OpenError> for Failure {
    fn from(error: OpenError) -> Failure {
        Failure {
            code: error.exit_code(),
            message: error.to_string(),
        }
    }
}

impl From<tasktui::store::StoreError> for Failure {
    fn from(error: tasktui::store::StoreError) -> Failure {
        Failure {
            code: 1,
            message: error.to_string(),
        }
    }
}

fn location(cli: &Cli) -> Result<DbLocation, Failure> {
    match &cli.db {
        Some(path) => Ok(DbLocation::Explicit(path.clone())),
        None => paths::default_database()
            .map(DbLocation::Default)
            .ok_or_else(|| Failure {
                message:
                    "cannot find a home folder for the default database; give one with --db PATH"
                        .into(),
                code: 2,
            }),
    }
}

fn run(cli: &Cli) -> Result<(), Failure> {
    let location = location(cli)?;
    // Refuse before opening, so that a misdirected start leaves the database untouched.
    if !cli.migrate_only && !term::is_interactive() {
        return Err(Failure {
            message: "the interface needs a terminal on stdin and stdout; for scripts use tasktui --migrate-only".into(),
            code: 2,
        });
    }
    let Opened { store, applied } = Store::open(&location)?;
    let path = location.path().display();
    let version = store.schema_version()?;
    if cli.migrate_only {
        for migration in &applied {
            println!("applied V{}__{}", migration.version, migration.name);
        }
        if applied.is_empty() {
            println!("{path}: already up to date at version {version}");
        } else {
            println!("{path}: now at version {version}");
        }
        return Ok(());
    }
    let mut app = App::new(store, term::size())?;
    term::run(&mut app).map_err(|e| Failure {
        message: format!("terminal error: {e}"),
        code: 1,
    })
}
