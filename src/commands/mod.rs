//! The non-interactive commands: `--migrate-only` and `tasktui db …`, and their output. Every
//! argument is checked before the database is opened for writing, so a refused command leaves
//! the file as it was.

pub(crate) mod failure;
pub(crate) mod report;
pub(crate) mod schema;

pub(crate) use failure::say;
pub use failure::{Failure, runnable};
pub use report::opened_message;

use crate::output;

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
            // The folder is made first where it is missing (a fresh machine has no
            // ~/.config/tasktui), so the command works as pasted.
            let folder = path
                .parent()
                .filter(|folder| !folder.as_os_str().is_empty() && !folder.is_dir())
                .map(|folder| format!("mkdir -p {} && ", crate::text::shell_quote(folder)))
                .unwrap_or_default();
            format!(
                "{} (not there: every default applies; {folder}tasktui config --print-default > {} starts one)",
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
