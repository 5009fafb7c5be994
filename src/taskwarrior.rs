//! Moving in from taskwarrior: its JSON export (`task export`) as tasktui's own, so that the
//! import has the same rules. Project and tags become tags (a project's dots become `/`),
//! priority H/M/L maps to high/medium/low, annotations go into the description, and deleted
//! tasks stay behind.

use crate::store::{EXPORT_FORMAT, Export, TaskOut};
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

/// Converts a taskwarrior export; `Err` says why the text is not one.
pub fn read(text: &str) -> Result<Export, String> {
    let tasks: Vec<Task> = serde_json::from_str(text).map_err(|e| {
        format!(
            "line {} column {}: {e}: not a taskwarrior export (`task export` makes one)",
            e.line(),
            e.column()
        )
    })?;
    let now = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string();
    let mut out = Vec::new();
    for task in tasks.into_iter().filter(|t| t.status != "deleted") {
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
            due: task
                .due
                .as_deref()
                .and_then(time)
                .map(|t| t[..10].to_string()),
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
    Ok(Export {
        tasktui_export: EXPORT_FORMAT,
        users: Vec::new(),
        tasks: out,
    })
}
