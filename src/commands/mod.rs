//! The non-interactive commands: `--migrate-only` and `tasktui db …`, and their output. Every
//! argument is checked before the database is opened for writing, so a refused command leaves
//! the file as it was.

pub(crate) mod failure;
pub(crate) mod report;
pub(crate) mod schema;

pub(crate) use failure::say;
pub use failure::{Failure, runnable};
pub use report::opened_message;

use crate::cli::DbCommand;
use crate::output;
use crate::store::{DbLocation, Inspected, inspect};

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
    db(
        location,
        &DbCommand::Upgrade {
            target: "head".into(),
        },
    )
}

/// `tasktui db …`, on the file or on the server the location names.
pub fn db(location: &DbLocation, command: &DbCommand) -> Result<(), Failure> {
    match location.server() {
        Some(server) => schema::db(
            &mut crate::on_server::OnServer { server, location },
            location,
            command,
        ),
        None => schema::db(&mut schema::File { location }, location, command),
    }
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
