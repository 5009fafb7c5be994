//! Moving in from taskwarrior: its JSON export (`task export`) as tasktui's own, so that the
//! import has the same rules. Project and tags become tags (a project's dots become `/`),
//! priority H/M/L maps to high/medium/low, annotations go into the description, a due time is
//! the day it falls on in the importer's time zone, a recurring task comes in once (its
//! instances, not also its template), and deleted tasks stay behind. What tasktui has no place
//! for yet (dependencies, wait dates, recurrence rules) is counted in `Left`.

use crate::exchange::Export;
use crate::exchange::FORMAT as EXPORT_FORMAT;
use crate::exchange::TaskOut;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
struct Annotation {
    #[serde(default)]
    entry: Option<String>,
    #[serde(default)]
    description: String,
}

#[derive(Debug, Deserialize)]
struct Task {
    #[serde(default)]
    description: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    entry: Option<String>,
    #[serde(default)]
    modified: Option<String>,
    #[serde(default)]
    end: Option<String>,
    #[serde(default)]
    start: Option<String>,
    #[serde(default)]
    due: Option<String>,
    #[serde(default)]
    priority: Option<String>,
    #[serde(default)]
    project: Option<String>,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    annotations: Vec<Annotation>,
    #[serde(default)]
    uuid: Option<String>,
    /// The template a recurring task's instance was made from.
    #[serde(default)]
    parent: Option<String>,
    #[serde(default)]
    recur: Option<String>,
    #[serde(default)]
    wait: Option<String>,
    /// Other tasks' uuids: an array, or (older exports) one string separated by commas.
    #[serde(default)]
    depends: Option<serde_json::Value>,
}

/// What an import of a taskwarrior export left behind, task by task, for its summary.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Left {
    pub depends: usize,
    pub wait: usize,
    pub recur: usize,
}

impl Left {
    /// `dependencies of 2 tasks (depends), …`; `None` when nothing was left behind.
    pub fn summary(&self) -> Option<String> {
        let parts: Vec<String> = [
            (self.depends, "dependencies", "depends"),
            (self.wait, "wait dates", "wait"),
            (self.recur, "recurrence rules", "recur"),
        ]
        .iter()
        .filter(|(n, ..)| *n > 0)
        .map(|(n, what, field)| {
            format!(
                "the {what} of {} ({field})",
                crate::text::count(*n, "task", "tasks")
            )
        })
        .collect();
        (!parts.is_empty()).then(|| parts.join(", "))
    }
}

/// `20261125T012113Z` as tasktui stores times (`2026-11-25T01:21:13Z`); `None` if it is not one.
fn time(text: &str) -> Option<String> {
    chrono::NaiveDateTime::parse_from_str(text, "%Y%m%dT%H%M%SZ")
        .ok()
        .map(|t| t.format("%Y-%m-%dT%H:%M:%SZ").to_string())
}

/// A taskwarrior word as a tag name: characters tags do not hold become `-`.
fn tag(word: &str) -> String {
    let name: String = word
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, '-' | '_' | '/') {
                c
            } else {
                '-'
            }
        })
        .collect();
    name.trim_matches('/').replace("//", "/")
}

/// `20261207T230000Z` as the day it falls on in the importer's time zone (`2026-12-08` in
/// Berlin): a due time is a moment, and the person means their own day.
fn local_day(text: &str) -> Option<String> {
    let utc = chrono::NaiveDateTime::parse_from_str(text, "%Y%m%dT%H%M%SZ").ok()?;
    let local = chrono::DateTime::<chrono::Utc>::from_naive_utc_and_offset(utc, chrono::Utc)
        .with_timezone(&chrono::Local);
    Some(local.format("%Y-%m-%d").to_string())
}

/// Converts a taskwarrior export; `Err` says why the text is not one.
pub fn read(text: &str) -> Result<Export, String> {
    read_counting(text).map(|(export, _)| export)
}

/// Converts a taskwarrior export, and says what of it tasktui has no place for.
pub fn read_counting(text: &str) -> Result<(Export, Left), String> {
    let tasks: Vec<Task> = serde_json::from_str(text).map_err(|e| {
        format!(
            "line {} column {}: {e}: not a taskwarrior export (`task export` makes one)",
            e.line(),
            e.column()
        )
    })?;
    let now = crate::clock::utc_now()
        .format("%Y-%m-%dT%H:%M:%SZ")
        .to_string();
    // A recurring task is its template (status `recurring`) and the instances made from it: the
    // instances come in, and a template only when none of its instances is in the export.
    let parents: std::collections::HashSet<String> =
        tasks.iter().filter_map(|t| t.parent.clone()).collect();
    let template_with_instances =
        |t: &Task| t.status == "recurring" && t.uuid.as_ref().is_some_and(|u| parents.contains(u));
    let mut left = Left::default();
    let mut out = Vec::new();
    for task in tasks
        .into_iter()
        .filter(|t| t.status != "deleted" && !template_with_instances(t))
    {
        let depends = match &task.depends {
            Some(serde_json::Value::Array(list)) => !list.is_empty(),
            Some(serde_json::Value::String(text)) => !text.trim().is_empty(),
            _ => false,
        };
        left.depends += usize::from(depends);
        left.wait += usize::from(task.wait.is_some());
        left.recur += usize::from(task.recur.is_some());
        let mut description = Vec::new();
        for note in &task.annotations {
            let when = note
                .entry
                .as_deref()
                .and_then(time)
                .map(|t| format!("{}: ", &t[..10]))
                .unwrap_or_default();
            description.push(format!("{when}{}", note.description));
        }
        let mut tags: Vec<String> = Vec::new();
        if let Some(project) = &task.project {
            tags.push(format!("project/{}", tag(&project.replace('.', "/"))));
        }
        tags.extend(task.tags.iter().map(|t| tag(t)).filter(|t| !t.is_empty()));
        let created = task
            .entry
            .as_deref()
            .and_then(time)
            .unwrap_or_else(|| now.clone());
        let status = match task.status.as_str() {
            "completed" => "done",
            _ if task.start.is_some() => "doing",
            _ => "todo",
        };
        out.push(TaskOut {
            id: out.len() as i64 + 1,
            title: task.description,
            description: description.join("\n"),
            status: status.into(),
            priority: match task.priority.as_deref() {
                Some("H") => "high",
                Some("M") => "medium",
                Some("L") => "low",
                _ => "none",
            }
            .into(),
            due: task.due.as_deref().and_then(local_day),
            assignee: None,
            tags,
            updated_at: task
                .modified
                .as_deref()
                .and_then(time)
                .unwrap_or_else(|| created.clone()),
            created_at: created,
            completed_at: (status == "done")
                .then(|| task.end.as_deref().and_then(time))
                .flatten(),
        });
    }
    Ok((
        Export {
            tasktui_export: EXPORT_FORMAT,
            users: Vec::new(),
            tasks: out,
        },
        left,
    ))
}
