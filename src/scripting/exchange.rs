//! `tasktui export` and `tasktui import`: the data in and out, as JSON or CSV, and a
//! taskwarrior export moving in.

use super::{failed, open, say};
use crate::commands::Failure;
use crate::output;
use crate::store::DbLocation;

/// `tasktui export`: the JSON of `Store::export`, to standard output or a file (written whole
/// or not at all).
pub fn export(
    location: &DbLocation,
    output: Option<&std::path::Path>,
    csv: bool,
) -> Result<(), Failure> {
    let store = open(location)?;
    let data = store.export().map_err(failed)?;
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
    let Some(path) = output else {
        // CSV has no escapes: at a terminal it is shown made safe, piped it goes as it is.
        if csv && std::io::IsTerminal::is_terminal(&std::io::stdout()) {
            return say(String::from_utf8_lossy(&text).trim_end());
        }
        return output::raw(&text).map_err(|output::Closed| Failure::pipe_closed());
    };
    let mut partial = path.as_os_str().to_owned();
    partial.push(".partial");
    let written = std::fs::write(&partial, &text).and_then(|()| std::fs::rename(&partial, path));
    written.map_err(|e| {
        let _ = std::fs::remove_file(&partial);
        Failure {
            message: format!("cannot write {}: {e}", path.display()),
            code: 1,
        }
    })?;
    say(format!(
        "exported {} users and {} tasks to {}",
        data.users.len(),
        data.tasks.len(),
        path.display()
    ))
}

/// `tasktui import FILE [--dry-run]`.
pub fn import(
    location: &DbLocation,
    file: &std::path::Path,
    dry: bool,
    format: &str,
) -> Result<(), Failure> {
    let csv = format == "csv";
    let text = std::fs::read_to_string(file)
        .map_err(|e| Failure::usage(format!("cannot read {}: {e}", file.display())))?;
    let (data, lines) = if format == "taskwarrior" {
        let data = crate::taskwarrior::read(&text)
            .map_err(|e| Failure::usage(format!("{}: {e}", file.display())))?;
        (data, crate::exchange_csv::Lines::default())
    } else if csv {
        crate::exchange_csv::read(&text).map_err(|e| {
            Failure::usage(format!(
                "{}: {e}; `tasktui export --format csv` shows the shape",
                file.display()
            ))
        })?
    } else {
        let data: crate::store::Export = serde_json::from_str(&text).map_err(|e| {
            Failure::usage(format!(
                "{}: line {} column {}: {e}; `tasktui export` shows the shape",
                file.display(),
                e.line(),
                e.column()
            ))
        })?;
        (data, crate::exchange_csv::Lines::default())
    };
    let store = open(location)?;
    match store.import(&data, dry).map_err(failed)? {
        crate::store::Imported::Done { users, tasks } => say(format!(
            "{} {users} users and {tasks} tasks from {}",
            if dry { "would import" } else { "imported" },
            file.display()
        )),
        crate::store::Imported::Rejected(rows) => {
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
