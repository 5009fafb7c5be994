//! Wiring: parse the command line, open the store, run the chosen command.

use clap::parser::ValueSource;
use clap::{CommandFactory, FromArgMatches};
use std::process::ExitCode;
use tasktui::app::App;
use tasktui::cli::{Cli, Command};
use tasktui::commands::{self, Failure};
use tasktui::open::{self, DbLocation};
use tasktui::{paths, scripting, term};

fn main() -> ExitCode {
    let cli = match parse() {
        Ok(cli) => cli,
        Err(error) => return usage_error(&error),
    };
    tasktui::log::start();
    tasktui::progress::set_quiet(cli.quiet);
    tracing::info!(
        "tasktui {} started: {:?}",
        env!("CARGO_PKG_VERSION"),
        // A server's URL may carry its password: the log gets it hidden, as every message does.
        // Read as the OS gives them: an argument need not be UTF-8 (a Latin-1 file name).
        std::env::args_os()
            .skip(1)
            .map(|arg| open::hide_password(&arg.to_string_lossy()))
            .collect::<Vec<_>>()
    );
    let result = location(&cli).and_then(|location| {
        run(&cli, &location).map_err(|failure| failure.for_location(&location))
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            tracing::error!(code = failure.code, "{}", failure.message);
            if !failure.message.is_empty() {
                tasktui::output::error(&format!("tasktui: {}", failure.message));
            }
            ExitCode::from(failure.code)
        }
    }
}

/// A command line clap refused, as one line naming what is wrong and where the help is (help
/// and version requests print as clap prints them).
fn usage_error(error: &clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    if matches!(
        error.kind(),
        ErrorKind::DisplayHelp
            | ErrorKind::DisplayVersion
            | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    ) {
        let _ = error.print();
        return ExitCode::from(if error.use_stderr() { 2 } else { 0 });
    }
    tasktui::output::error(&format!(
        "tasktui: {}",
        commands::one_line_usage(
            &error.render().to_string(),
            &std::env::args_os()
                .skip(1)
                .map(|arg| arg.to_string_lossy().into_owned())
                .collect::<Vec<_>>(),
        )
    ));
    ExitCode::from(2)
}

/// The command line, with `--db` and `--config` refused where they mean nothing (`man`,
/// `completions`: the same text for every database); set in the environment they are fine.
fn parse() -> Result<Cli, clap::Error> {
    let mut command = Cli::command();
    let matches = command.try_get_matches_from_mut(std::env::args_os())?;
    if let Some((name @ ("man" | "completions"), sub)) = matches.subcommand() {
        for arg in ["db", "config"] {
            if sub.value_source(arg) == Some(ValueSource::CommandLine) {
                return Err(command.error(
                    clap::error::ErrorKind::ArgumentConflict,
                    format!("--{arg} has no meaning for `tasktui {name}`: what it prints is the same for every database; leave it out"),
                ));
            }
        }
    }
    Cli::from_arg_matches(&matches)
}

fn location(cli: &Cli) -> Result<DbLocation, Failure> {
    match &cli.db {
        Some(value) => Ok(DbLocation::given(value.as_os_str())),
        None => paths::default_database()
            .map(DbLocation::Default)
            .ok_or_else(|| {
                Failure::usage(
                    "cannot find a home folder for the default database; give one with --db PATH",
                )
            }),
    }
}

fn run(cli: &Cli, location: &DbLocation) -> Result<(), Failure> {
    let loaded = tasktui::config::load(cli.config.as_deref());
    for problem in &loaded.problems {
        tracing::warn!(file = ?loaded.path, "config: {problem}");
    }
    if let Some(me) = &loaded.config.me {
        paths::set_me(me.clone());
    }
    match &cli.command {
        Some(Command::Db(command)) => return open::db(location, command),
        Some(Command::Demo {
            tasks,
            users,
            seed,
            force,
        }) => {
            let spec = open::DemoSpec {
                tasks: *tasks,
                users: *users,
                seed: *seed,
            };
            return open::demo(location, spec, *force);
        }
        Some(Command::Completions { shell }) => {
            return commands::print_generated(&tasktui::cli::completions(*shell));
        }
        Some(Command::Man) => return commands::print_generated(&tasktui::man::page()),
        Some(Command::List(args)) => return scripting::list(location, args),
        Some(Command::Add {
            title,
            user,
            due,
            priority,
            tags,
            description,
        }) => {
            return scripting::add(
                location,
                title,
                user.as_deref(),
                due.as_deref(),
                priority.as_deref(),
                tags,
                description.as_deref(),
            );
        }
        Some(Command::Edit(args)) => return scripting::edit(location, args),
        Some(Command::Done { ids }) => return scripting::done(location, ids),
        Some(Command::Rm { ids, yes }) => return scripting::rm(location, ids, *yes),
        Some(Command::Users { json }) => return scripting::users(location, *json),
        Some(Command::User(command)) => return scripting::user(location, command),
        Some(Command::Export { output, format }) => {
            return scripting::export(location, output.as_deref(), format == "csv");
        }
        Some(Command::Import {
            file,
            dry_run,
            again,
            format,
        }) => {
            return scripting::import(location, file, *dry_run, *again, format.as_deref());
        }
        Some(Command::Config {
            print_default,
            command,
        }) => return commands::config(&loaded, *print_default, command.is_some()),
        Some(Command::Undo) => return scripting::step(location, true),
        Some(Command::Redo) => return scripting::step(location, false),
        None => {}
    }
    if cli.migrate_only {
        // The same as `db upgrade head`.
        let head = tasktui::cli::DbCommand::Upgrade {
            target: "head".into(),
        };
        return open::db(location, &head);
    }
    // Refuse before opening, so that a misdirected start leaves the database untouched.
    if !term::is_interactive() {
        return Err(Failure::usage(
            "the interface needs a terminal on stdin and stdout; for scripts use tasktui --migrate-only",
        ));
    }
    let give_up = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let (store, opened) = open::for_interface(location, std::sync::Arc::clone(&give_up))?;
    let mut app = App::with_store(store, term::size())?;
    app.no_color = tasktui::output::no_color();
    app.configure(&loaded.config);
    if let Some(file) = tasktui::paths::state_file() {
        app.remember_sort_in(file);
    }
    if let Some(summary) = loaded.summary() {
        app.warn(summary);
    }
    if paths::person().is_none() {
        app.warn(paths::NO_NAME.to_string());
    }
    if let Some(message) = opened {
        app.inform(message);
    }
    match term::run(&mut app, give_up) {
        Ok(None) => Ok(()),
        // Ended by a signal: the exit status a shell shows for one, 128 + its number.
        Ok(Some(signal)) => Err(Failure {
            message: String::new(),
            code: u8::try_from(128 + signal).unwrap_or(1),
        }),
        Err(e) => Err(Failure {
            message: format!("terminal error: {e}"),
            code: 1,
        }),
    }
}
