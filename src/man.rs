//! The manual page: one complete page made from the same definitions as `--help` (every
//! command and its options), the keymap (KEYS) and the places and variables tasktui reads.

use crate::cli::Cli;
use crate::keymap::Keymap;
use clap::CommandFactory;

/// The variables tasktui reads, and what each does.
const ENVIRONMENT: &[(&str, &str)] = &[
    ("TASKTUI_DB", "the database, as --db takes it"),
    ("TASKTUI_CONFIG", "the config file, as --config takes it"),
    (
        "TASKTUI_USER",
        "who you are, for undo and \"mine\" (else the config file's me, else your login name)",
    ),
    (
        "TASKTUI_LOG",
        "how much the log file holds: error, warn, info (the default), debug, trace or off",
    ),
    (
        "TASKTUI_LOCK_WAIT",
        "how many seconds to wait for another tasktui's lock or write before giving up (10)",
    ),
    ("NO_COLOR", "set to anything: no colour at all"),
    (
        "VISUAL, EDITOR",
        "the editor E opens for a description (else vi)",
    ),
    (
        "PGPASSWORD",
        "the server's password, where the postgres:// URL leaves it out (as libpq reads it)",
    ),
];

/// The files tasktui keeps, by default (on Linux; the platform's folders elsewhere).
const FILES: &[(&str, &str)] = &[
    (
        "~/.local/share/tasktui/tasktui.db",
        "the database when neither --db nor TASKTUI_DB names one",
    ),
    (
        "~/.config/tasktui/config.toml",
        "the config file: theme, keys, date format, me (tasktui config --print-default shows every entry)",
    ),
    (
        "~/.local/state/tasktui/",
        "each person's state: the order of the Tasks pane (state.json) and the log (tasktui.log)",
    ),
    (
        "DATABASE.lock, DATABASE.backup-…",
        "beside a database file: the lock taken while its schema changes, and the backups taken before",
    ),
];

/// The manual page, as `man` reads it.
pub fn page() -> Vec<u8> {
    let command = Cli::command();
    let man = clap_mangen::Man::new(command.clone());
    let mut out = Vec::new();
    // Writing into memory cannot fail.
    let _ = man.render_title(&mut out);
    let _ = man.render_name_section(&mut out);
    let _ = man.render_synopsis_section(&mut out);
    let _ = man.render_description_section(&mut out);
    let _ = man.render_options_section(&mut out);
    let mut text = String::from_utf8_lossy(&out).into_owned();
    text.push_str(".SH COMMANDS\n");
    for sub in command.get_subcommands() {
        commands(&mut text, "tasktui", sub);
    }
    text.push_str(".SH KEYS\nThe interface's keys, as bound by default; the config file's [keys] tables change them, and ? shows them as bound.\n");
    for (section, rows) in Keymap::default().help() {
        text.push_str(&format!(".SS \"{}\"\n", roff(&section)));
        for (keys, what) in rows {
            text.push_str(&format!(".TP\n\\fB{}\\fR\n{}\n", roff(&keys), roff(what)));
        }
    }
    text.push_str(".SH ENVIRONMENT\n");
    for (name, what) in ENVIRONMENT {
        text.push_str(&format!(".TP\n\\fB{}\\fR\n{}\n", roff(name), roff(what)));
    }
    text.push_str(".SH FILES\n");
    for (name, what) in FILES {
        text.push_str(&format!(".TP\n\\fI{}\\fR\n{}\n", roff(name), roff(what)));
    }
    let mut version = Vec::new();
    let _ = man.render_version_section(&mut version);
    text.push_str(&String::from_utf8_lossy(&version));
    text.into_bytes()
}

/// A command and those under it, each with its arguments.
fn commands(text: &mut String, parent: &str, command: &clap::Command) {
    let name = format!("{parent} {}", command.get_name());
    let mut usage = name.clone();
    for arg in command.get_positionals() {
        let value = arg
            .get_value_names()
            .and_then(|names| names.first())
            .map_or_else(
                || arg.get_id().to_string().to_uppercase(),
                |v| v.to_string(),
            );
        usage.push_str(&format!(" {value}"));
    }
    if command.get_subcommands().next().is_some() {
        usage.push_str(" COMMAND");
    }
    text.push_str(&format!(".SS \"{}\"\n", roff(&usage)));
    if let Some(about) = command.get_about() {
        text.push_str(&format!("{}\n", roff(&about.to_string())));
    }
    for arg in command.get_arguments() {
        if arg.is_global_set()
            || arg.is_hide_set()
            || ["help", "version"].contains(&arg.get_id().as_str())
        {
            continue;
        }
        let Some(help) = arg.get_help() else {
            continue;
        };
        let value = arg
            .get_value_names()
            .and_then(|names| names.first())
            .map(ToString::to_string);
        let shown = match (arg.get_long(), value) {
            (Some(long), Some(value)) if arg.get_action().takes_values() => {
                format!("\\fB--{}\\fR \\fI{}\\fR", roff(long), roff(&value))
            }
            (Some(long), _) => format!("\\fB--{}\\fR", roff(long)),
            (None, Some(value)) => format!("\\fI{}\\fR", roff(&value)),
            (None, None) => format!("\\fI{}\\fR", roff(&arg.get_id().to_string().to_uppercase())),
        };
        text.push_str(&format!(".TP\n{shown}\n{}\n", roff(&help.to_string())));
    }
    for sub in command.get_subcommands() {
        commands(text, &name, sub);
    }
}

/// Text as roff prints it: backslashes and hyphens escaped, no line read as a request.
fn roff(text: &str) -> String {
    let escaped = text
        .replace('\\', "\\e")
        .replace('-', "\\-")
        .replace('\n', " ");
    if escaped.starts_with('.') || escaped.starts_with('\'') {
        format!("\\&{escaped}")
    } else {
        escaped
    }
}
