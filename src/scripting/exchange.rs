//! `tasktui export` and `tasktui import`: the data in and out, as JSON or CSV, and a
//! taskwarrior export moving in.

use super::{Create, failed, open, say};
use crate::commands::Failure;
use crate::open::DbLocation;
use crate::output;

/// `tasktui export`: the JSON of `Store::export`, to standard output or a file (written whole
/// or not at all).
pub fn export(
    location: &DbLocation,
    output: Option<&std::path::Path>,
    csv: bool,
) -> Result<(), Failure> {
    // Refused before the database is opened: a bad target leaves everything as it was.
    let target = match output {
        Some(path) if path.as_os_str() != "-" => Some((path, regular_target(path)?)),
        _ => None,
    };
    let store = open(location, Create::No)?;
    let progress = crate::progress::Progress::start("export");
    progress.set("reading", 0, 0);
    let data = store.export().map_err(failed)?;
    drop(progress);
    let broken = |message: String| Failure { message, code: 1 };
    let text = if csv {
        crate::exchange_csv::write(&data).map_err(|e| broken(e.to_string()))?
    } else {
        // Characters that could reorder or hide text on a terminal as \u escapes: the same
        // JSON to a parser.
        (crate::text::json_safe(
            &serde_json::to_string_pretty(&data).map_err(|e| broken(e.to_string()))?,
        ) + "\n")
            .into_bytes()
    };
    let Some((named, path)) = &target else {
        // CSV has no escapes: at a terminal it is shown made safe, piped it goes as it is.
        if csv && std::io::IsTerminal::is_terminal(&std::io::stdout()) {
            return say(String::from_utf8_lossy(&text).trim_end());
        }
        return Ok(output::raw(&text)?);
    };
    let mut partial = path.as_os_str().to_owned();
    partial.push(".partial");
    let written = std::fs::write(&partial, &text).and_then(|()| std::fs::rename(&partial, path));
    written.map_err(|e| {
        let _ = std::fs::remove_file(&partial);
        Failure {
            message: format!("cannot write {}: {e}", named.display()),
            code: 1,
        }
    })?;
    say(format!(
        "exported {} and {} to {}",
        crate::text::count(data.users.len(), "user", "users"),
        crate::text::count(data.tasks.len(), "task", "tasks"),
        named.display()
    ))
}

/// Where an export to `path` goes: a regular file, new or replaced whole. A symlink is followed
/// to the file it names (as the shell's `>` does); a device, a FIFO, a socket or a folder is
/// refused, since replacing it would destroy it.
fn regular_target(path: &std::path::Path) -> Result<std::path::PathBuf, Failure> {
    match std::fs::metadata(path) {
        Ok(meta) if meta.is_file() => std::fs::canonicalize(path).map_err(|e| Failure {
            message: format!("cannot write {}: {e}", path.display()),
            code: 1,
        }),
        Ok(_) => Err(Failure::usage(format!(
            "{} is not a regular file (a folder, device, FIFO or socket): give a file name, or - for standard output",
            path.display()
        ))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            if std::fs::symlink_metadata(path).is_ok() {
                return Err(Failure::usage(format!(
                    "{} is a symlink to nothing: give a file name, or - for standard output",
                    path.display()
                )));
            }
            Ok(path.to_path_buf())
        }
        Err(e) => Err(Failure {
            message: format!("cannot write {}: {e}", path.display()),
            code: 1,
        }),
    }
}

/// `tasktui import FILE [--dry-run]`.
pub fn import(
    location: &DbLocation,
    file: &std::path::Path,
    dry: bool,
    again: bool,
    format: Option<&str>,
) -> Result<(), Failure> {
    let text = if file.as_os_str() == "-" {
        std::io::read_to_string(std::io::stdin())
    } else {
        std::fs::read_to_string(file)
    }
    .map_err(|e| Failure::usage(format!("cannot read {}: {e}", file.display())))?;
    let format = match format {
        Some(format) => format,
        None => told_apart(file, &text).ok_or_else(|| {
            Failure::usage(format!(
                "{}: neither a tasktui export (JSON), a CSV export nor a taskwarrior export (`task export`); name its format with --format json, csv or taskwarrior",
                file.display()
            ))
        })?,
    };
    let csv = format == "csv";
    let mut left = crate::taskwarrior::Left::default();
    let (data, lines) = if format == "taskwarrior" {
        let (data, behind) = crate::taskwarrior::read_counting(&text)
            .map_err(|e| Failure::usage(format!("{}: {e}", file.display())))?;
        left = behind;
        (data, crate::exchange_csv::Lines::default())
    } else if csv {
        crate::exchange_csv::read(&text).map_err(|e| {
            Failure::usage(format!(
                "{}: {e}; `tasktui export --format csv` shows the shape",
                file.display()
            ))
        })?
    } else {
        let data: crate::exchange::Export = serde_json::from_str(&text).map_err(|e| {
            Failure::usage(format!(
                "{}: line {} column {}: {e}; `tasktui export` shows the shape",
                file.display(),
                e.line(),
                e.column()
            ))
        })?;
        (data, crate::exchange_csv::Lines::default())
    };
    // The text is read: a million tasks' file is not held beside its tasks.
    drop(text);
    let progress = crate::progress::Progress::start("import");
    progress.set(
        &format!(
            "checking and writing {}",
            crate::text::count(data.tasks.len(), "task", "tasks")
        ),
        0,
        0,
    );
    let outcome = crate::open::import(location, &data, dry, again)?;
    drop(progress);
    match outcome.map_err(failed)? {
        crate::exchange::Imported::Done { users, tasks } => say(format!(
            "{} {} and {} from {}{}",
            if dry { "would import" } else { "imported" },
            crate::text::count(users, "user", "users"),
            crate::text::count(tasks, "task", "tasks"),
            file.display(),
            left.summary()
                .map(|what| format!("; left behind (tasktui has no place for them yet): {what}"))
                .unwrap_or_default()
        )),
        crate::exchange::Imported::Rejected(rows) => {
            let lines: Vec<String> = rows
                .iter()
                .map(|r| {
                    let at = if csv { lines.place(r) } else { r.at.clone() };
                    format!("{}: {at}: {}", file.display(), r.reason)
                })
                .collect();
            Err(Failure::usage(format!(
                "{}\nnothing was imported: mend the rows above and import again",
                lines.join("\n")
            )))
        }
    }
}

/// An import's format, told by its content first (a JSON object is tasktui's export, a JSON
/// array taskwarrior's, a first line of `record,` tasktui's CSV) and by its extension where the
/// content says nothing; `None` when it is none of them.
fn told_apart(file: &std::path::Path, text: &str) -> Option<&'static str> {
    let start = text.trim_start_matches('\u{feff}').trim_start();
    match start.chars().next() {
        Some('{') => return Some("json"),
        Some('[') => return Some("taskwarrior"),
        _ => {}
    }
    if start.starts_with("record,") {
        return Some("csv");
    }
    match file.extension().and_then(|e| e.to_str()) {
        Some(e) if e.eq_ignore_ascii_case("csv") => Some("csv"),
        Some(e) if e.eq_ignore_ascii_case("json") && start.is_empty() => Some("json"),
        _ => None,
    }
}
