//! The CSV form of an export: one table whose first column says what a row is (`user` or
//! `task`), the other columns those of the JSON shape (tags space-separated). It converts to and
//! from `store::Export`, so an import of CSV has the same rules as one of JSON.
//!
//! A spreadsheet runs a cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage return
//! as a formula (`=HYPERLINK(…)`, `+cmd|…`): such a text is written with a `'` in front, as
//! OWASP's advice on CSV injection says, and an import takes the `'` off again.

use crate::exchange::Export;
use crate::exchange::Rejected;
use crate::exchange::TaskOut;
use crate::exchange::UserOut;
use serde::{Deserialize, Serialize};

#[derive(Debug, Default, Serialize, Deserialize)]
struct Row {
    record: String,
    #[serde(default)]
    username: String,
    #[serde(default)]
    full_name: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    id: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    priority: String,
    #[serde(default)]
    due: String,
    #[serde(default)]
    assignee: String,
    #[serde(default)]
    tags: String,
    #[serde(default)]
    created_at: String,
    #[serde(default)]
    updated_at: String,
    #[serde(default)]
    completed_at: String,
}

fn some(text: &str) -> Option<String> {
    (!text.is_empty()).then(|| text.to_string())
}

/// The export as CSV text.
/// Whether a spreadsheet would read a cell beginning so as a formula.
fn formula_like(text: &str) -> bool {
    text.starts_with(['=', '+', '-', '@', '\t', '\r'])
}

/// A text as a cell no spreadsheet runs.
fn neutral(text: &str) -> String {
    if formula_like(text) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

/// A cell's text as it was before `neutral`.
fn restored(text: String) -> String {
    match text.strip_prefix('\'') {
        Some(rest) if formula_like(rest) => rest.to_string(),
        _ => text,
    }
}

pub fn write(data: &Export) -> Result<Vec<u8>, csv::Error> {
    let mut out = csv::Writer::from_writer(Vec::new());
    for u in &data.users {
        out.serialize(Row {
            record: "user".into(),
            username: u.username.clone(),
            full_name: neutral(&u.full_name),
            email: u.email.clone().unwrap_or_default(),
            created_at: u.created_at.clone(),
            ..Row::default()
        })?;
    }
    for t in &data.tasks {
        out.serialize(Row {
            record: "task".into(),
            id: t.id.to_string(),
            title: neutral(&t.title),
            description: neutral(&t.description),
            status: t.status.clone(),
            priority: t.priority.clone(),
            due: t.due.clone().unwrap_or_default(),
            assignee: t.assignee.clone().unwrap_or_default(),
            tags: neutral(&t.tags.join(" ")),
            created_at: t.created_at.clone(),
            updated_at: t.updated_at.clone(),
            completed_at: t.completed_at.clone().unwrap_or_default(),
            ..Row::default()
        })?;
    }
    out.into_inner().map_err(|e| e.into_error().into())
}

/// Where each user and task of the converted export came from: its line in the file.
#[derive(Debug, Default)]
pub struct Lines {
    users: Vec<u64>,
    tasks: Vec<u64>,
}

impl Lines {
    /// A rejection of the converted export, placed at its line: `line 4 (due)`.
    pub fn place(&self, rejected: &Rejected) -> String {
        let place = |list: &[u64], rest: &str| -> Option<String> {
            let (index, field) = rest.split_once("].")?;
            let line = list.get(index.parse::<usize>().ok()?)?;
            Some(format!("line {line} ({field})"))
        };
        rejected
            .at
            .strip_prefix("users[")
            .and_then(|rest| place(&self.users, rest))
            .or_else(|| {
                rejected
                    .at
                    .strip_prefix("tasks[")
                    .and_then(|rest| place(&self.tasks, rest))
            })
            .unwrap_or_else(|| rejected.at.clone())
    }
}

/// Reads CSV text into an export; a row that cannot be read is named by its line.
pub fn read(text: &str) -> Result<(Export, Lines), String> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let mut data = Export {
        tasktui_export: crate::exchange::FORMAT,
        users: Vec::new(),
        tasks: Vec::new(),
    };
    let mut lines = Lines::default();
    let at = |e: csv::Error| match e.position() {
        Some(p) => format!("line {}: {e}", p.line()),
        None => e.to_string(),
    };
    let headers = reader.headers().map_err(at)?.clone();
    let mut record = csv::StringRecord::new();
    while reader.read_record(&mut record).map_err(at)? {
        let line = record.position().map_or(0, csv::Position::line);
        let row: Row = record.deserialize(Some(&headers)).map_err(at)?;
        match row.record.as_str() {
            "user" => {
                lines.users.push(line);
                data.users.push(UserOut {
                    username: row.username,
                    full_name: restored(row.full_name),
                    email: some(&row.email),
                    created_at: row.created_at,
                });
            }
            "task" => {
                lines.tasks.push(line);
                data.tasks.push(TaskOut {
                    id: row
                        .id
                        .parse()
                        .map_err(|_| format!("line {line} (id): {:?} is not a number", row.id))?,
                    title: restored(row.title),
                    description: restored(row.description),
                    status: row.status,
                    priority: row.priority,
                    due: some(&row.due),
                    assignee: some(&row.assignee),
                    tags: restored(row.tags)
                        .split_whitespace()
                        .map(str::to_string)
                        .collect(),
                    created_at: row.created_at,
                    updated_at: row.updated_at,
                    completed_at: some(&row.completed_at),
                });
            }
            other => {
                return Err(format!(
                    "line {line} (record): {other:?} is neither user nor task"
                ));
            }
        }
    }
    Ok((data, lines))
}
