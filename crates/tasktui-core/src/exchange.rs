//! tasktui's own JSON shape for export and import: users, then tasks with their tags, the
//! same from every backend.

use crate::model::{
    Priority, Status, TaskId, TaskRow, UserId, parse_tags, validate_description, validate_title,
    validate_user,
};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// The version of the shape; an import refuses another.
pub const FORMAT: u32 = 1;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Export {
    pub tasktui_export: u32,
    pub users: Vec<UserOut>,
    pub tasks: Vec<TaskOut>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserOut {
    pub username: String,
    #[serde(default)]
    pub full_name: String,
    #[serde(default)]
    pub email: Option<String>,
    pub created_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TaskOut {
    pub id: i64,
    pub title: String,
    #[serde(default)]
    pub description: String,
    pub status: String,
    pub priority: String,
    #[serde(default)]
    pub due: Option<String>,
    /// A username, matched on import.
    #[serde(default)]
    pub assignee: Option<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    pub created_at: String,
    pub updated_at: String,
    #[serde(default)]
    pub completed_at: Option<String>,
}

/// The largest task id an import keeps: 2^53 − 1, the largest whole number every JSON reader
/// keeps exactly, and far from the end of a server's id sequence.
pub const MAX_ID: i64 = (1 << 53) - 1;

/// A row an import refused: where (a JSON path) and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejected {
    pub at: String,
    pub reason: String,
}

/// What an import did (or, dry, would do).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Imported {
    Done { users: usize, tasks: usize },
    Rejected(Vec<Rejected>),
}

/// The users of an export not yet in the database (by `usernames`, or earlier in the file),
/// each checked by tasktui's rules, with its place and its creation time; a refused one is
/// added to `rejected` instead.
pub fn new_users<'a>(
    data: &'a Export,
    usernames: &HashMap<String, i64>,
    rejected: &mut Vec<Rejected>,
) -> Vec<(usize, crate::model::UserFields, &'a str)> {
    let mut seen = std::collections::HashSet::new();
    let mut new = Vec::new();
    for (i, user) in data.users.iter().enumerate() {
        match validate_user(
            &user.username,
            &user.full_name,
            user.email.as_deref().unwrap_or(""),
        ) {
            Ok(fields) => {
                if !usernames.contains_key(&fields.username) && seen.insert(fields.username.clone())
                {
                    new.push((i, fields, user.created_at.as_str()));
                }
            }
            Err(e) => rejected.push(Rejected {
                at: format!("users[{i}].{}", field_name(e.field)),
                reason: e.message,
            }),
        }
    }
    new
}

pub fn field_name(field: crate::model::Field) -> &'static str {
    use crate::model::Field;
    match field {
        Field::Username => "username",
        Field::FullName => "full_name",
        Field::Email => "email",
        Field::Title => "title",
        Field::Description => "description",
        Field::Due => "due",
        Field::Assignee => "assignee",
        Field::Tags => "tags",
    }
}

/// A task of the export as a row to insert, or the field that is wrong and why.
pub fn task_row(
    usernames: &HashMap<String, i64>,
    task: &TaskOut,
) -> std::result::Result<TaskRow, (&'static str, String)> {
    let title = validate_title(&task.title).map_err(|e| ("title", e.message))?;
    let description =
        validate_description(&task.description).map_err(|e| ("description", e.message))?;
    let status = Status::ALL
        .into_iter()
        .find(|s| s.as_str() == task.status)
        .ok_or((
            "status",
            format!("{:?} must be todo, doing or done", task.status),
        ))?;
    let priority = Priority::ALL
        .into_iter()
        .find(|p| p.as_str() == task.priority)
        .ok_or((
            "priority",
            format!("{:?} must be none, low, medium or high", task.priority),
        ))?;
    let due = match &task.due {
        Some(d) => Some(
            chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d")
                .map_err(|_| ("due", format!("{d:?} is not a date like 2026-12-01")))?
                .to_string(),
        ),
        None => None,
    };
    let assignee = match &task.assignee {
        Some(name) => Some(UserId(*usernames.get(name).ok_or_else(|| {
            (
                "assignee",
                format!("{name:?} is no user of the file or the database"),
            )
        })?)),
        None => None,
    };
    let tags = parse_tags(&task.tags.join(" ")).map_err(|e| ("tags", e.message))?;
    if task.id <= 0 {
        return Err(("id", format!("{} must be a positive number", task.id)));
    }
    if task.id > MAX_ID {
        // Past it a server's id sequence runs out (every later add fails) and JSON readers
        // lose the number's last digits.
        return Err((
            "id",
            format!(
                "{} is larger than an id may be ({MAX_ID}); give a smaller one",
                task.id
            ),
        ));
    }
    Ok(TaskRow {
        id: TaskId(task.id),
        title,
        description,
        status: status.as_str().to_string(),
        priority: priority.as_db(),
        due_date: due,
        assignee,
        created_at: task.created_at.clone(),
        updated_at: task.updated_at.clone(),
        completed_at: task.completed_at.clone(),
        // `insert_task_columns` writes the version after this one.
        version: 0,
        tags,
    })
}
