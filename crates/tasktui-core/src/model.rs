//! Users, tasks and their fields, and the changes an edit makes to them.

mod change;
mod validate;

pub use change::{Change, Expect, Footprint, RowRef, TaskRow, UserRow};
pub use validate::*;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct UserId(pub i64);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct TaskId(pub i64);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    #[default]
    Todo,
    Doing,
    Done,
}

impl Status {
    pub const ALL: [Status; 3] = [Status::Todo, Status::Doing, Status::Done];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Todo => "todo",
            Status::Doing => "doing",
            Status::Done => "done",
        }
    }

    /// Reads the stored value; anything unknown (written by another tool) counts as todo.
    pub fn from_db(text: &str) -> Status {
        match text {
            "doing" => Status::Doing,
            "done" => Status::Done,
            _ => Status::Todo,
        }
    }

    /// todo → doing → done → todo
    pub fn next(self) -> Status {
        match self {
            Status::Todo => Status::Doing,
            Status::Doing => Status::Done,
            Status::Done => Status::Todo,
        }
    }

    pub fn is_open(self) -> bool {
        self != Status::Done
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Priority {
    #[default]
    None = 0,
    Low = 1,
    Medium = 2,
    High = 3,
}

impl Priority {
    pub const ALL: [Priority; 4] = [
        Priority::None,
        Priority::Low,
        Priority::Medium,
        Priority::High,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Priority::None => "none",
            Priority::Low => "low",
            Priority::Medium => "medium",
            Priority::High => "high",
        }
    }

    pub fn as_db(self) -> i64 {
        self as i64
    }

    /// One step up (`up`) or down, staying within none…high.
    pub fn step(self, up: bool) -> Priority {
        let at = Priority::ALL.iter().position(|p| *p == self).unwrap_or(0);
        let to = if up {
            (at + 1).min(3)
        } else {
            at.saturating_sub(1)
        };
        Priority::ALL.get(to).copied().unwrap_or(self)
    }

    /// Reads the stored number, clamping anything out of range written by another tool.
    pub fn from_db(value: i64) -> Priority {
        match value {
            i64::MIN..=0 => Priority::None,
            1 => Priority::Low,
            2 => Priority::Medium,
            _ => Priority::High,
        }
    }
}

impl fmt::Display for Priority {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: UserId,
    pub username: String,
    pub full_name: String,
    pub email: Option<String>,
    pub created_at: String,
    /// The row version this copy was read at; an update or a delete must name it.
    pub version: i64,
}

/// A user with the counts the Users pane shows beside the name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserSummary {
    pub user: User,
    pub open_tasks: u64,
    pub overdue_tasks: u64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Task {
    pub id: TaskId,
    pub title: String,
    pub description: String,
    pub status: Status,
    pub priority: Priority,
    /// `None` when not set, or when another tool stored something that is not a date.
    pub due: Option<NaiveDate>,
    pub assignee: Option<UserId>,
    pub assignee_name: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    pub completed_at: Option<String>,
    /// The row version this copy was read at; an update must name it.
    pub version: i64,
    /// Tag names, in order of name.
    pub tags: Vec<String>,
}

impl Task {
    /// The fields a person edits, as this copy holds them.
    pub fn fields(&self) -> TaskFields {
        TaskFields {
            title: self.title.clone(),
            description: self.description.clone(),
            status: self.status,
            priority: self.priority,
            due: self.due,
            assignee: self.assignee,
            tags: self.tags.clone(),
        }
    }

    /// Who the task is assigned to, as shown: the username, or the missing user's id when the
    /// row points at a user that no longer exists (written with foreign keys off), so that what
    /// is shown is what a save keeps.
    pub fn assignee_label(&self) -> Option<String> {
        match (self.assignee, &self.assignee_name) {
            (_, Some(name)) => Some(name.clone()),
            (Some(id), None) => Some(missing_user(id)),
            (None, None) => None,
        }
    }
}

/// How a user id that points at no user is shown.
pub fn missing_user(id: UserId) -> String {
    format!("missing user #{}", id.0)
}

/// What happens to a deleted user's tasks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Handoff {
    Unassign,
    ReassignTo(UserId),
}

/// The fields a form edits, validated and ready to store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserFields {
    pub username: String,
    pub full_name: String,
    pub email: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskFields {
    pub title: String,
    pub description: String,
    pub status: Status,
    pub priority: Priority,
    pub due: Option<NaiveDate>,
    pub assignee: Option<UserId>,
    /// Tag names, each once (without regard to case), as `parse_tags` gives them.
    #[serde(default)]
    pub tags: Vec<String>,
}

impl TaskFields {
    /// A todo task with only a title, for code and tests that need one quickly.
    pub fn titled(title: &str) -> TaskFields {
        TaskFields {
            title: title.to_string(),
            description: String::new(),
            status: Status::Todo,
            priority: Priority::None,
            due: None,
            assignee: None,
            tags: Vec::new(),
        }
    }
}

/// The fields of an edit that the person changed: `None` leaves the stored value exactly as it
/// is (a title another tool wrote in invalid UTF-8 stays byte for byte when only the priority
/// changes).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct TaskChanges {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<Status>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub priority: Option<Priority>,
    /// `Some(None)` clears the date; `None` leaves it.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "set_or_clear"
    )]
    pub due: Option<Option<NaiveDate>>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "set_or_clear"
    )]
    pub assignee: Option<Option<UserId>>,
    /// The whole new list of tags.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<String>>,
}

impl TaskChanges {
    /// The edit less what would leave `task` as it is: a field set to the value it holds
    /// changes nothing, so it is no change (and no undo step) at all.
    pub fn differing_from(self, task: &Task) -> TaskChanges {
        TaskChanges {
            title: self.title.filter(|t| *t != task.title),
            description: self.description.filter(|d| *d != task.description),
            status: self.status.filter(|s| *s != task.status),
            priority: self.priority.filter(|p| *p != task.priority),
            due: self.due.filter(|d| *d != task.due),
            assignee: self.assignee.filter(|a| *a != task.assignee),
            tags: self.tags.filter(|t| *t != task.tags),
        }
    }

    /// What the fields this edit changes hold in `fields`: the other side of the edit (what its
    /// undo puts back, or what the person saw before it).
    pub fn held_in(&self, fields: &TaskFields) -> TaskChanges {
        TaskChanges {
            title: self.title.as_ref().map(|_| fields.title.clone()),
            description: self
                .description
                .as_ref()
                .map(|_| fields.description.clone()),
            status: self.status.map(|_| fields.status),
            priority: self.priority.map(|_| fields.priority),
            due: self.due.map(|_| fields.due),
            assignee: self.assignee.map(|_| fields.assignee),
            tags: self.tags.as_ref().map(|_| fields.tags.clone()),
        }
    }
}

/// A field an edit may set to a value, clear (JSON `null`), or leave alone (absent): serde's
/// plain `Option<Option<T>>` would read a clearing back as leaving alone.
mod set_or_clear {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer, T: Serialize>(
        value: &Option<Option<T>>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match value {
            Some(inner) => inner.serialize(serializer),
            None => serializer.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
        deserializer: D,
    ) -> Result<Option<Option<T>>, D::Error> {
        Option::<T>::deserialize(deserializer).map(Some)
    }
}

impl From<TaskFields> for TaskChanges {
    /// Every field set: an edit that replaces all of them.
    fn from(fields: TaskFields) -> TaskChanges {
        TaskChanges {
            title: Some(fields.title),
            description: Some(fields.description),
            status: Some(fields.status),
            priority: Some(fields.priority),
            due: Some(fields.due),
            assignee: Some(fields.assignee),
            tags: Some(fields.tags),
        }
    }
}

/// The user fields an edit changed; `None` leaves the stored value as it is.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct UserChanges {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub full_name: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "set_or_clear"
    )]
    pub email: Option<Option<String>>,
}

impl From<UserFields> for UserChanges {
    fn from(fields: UserFields) -> UserChanges {
        UserChanges {
            username: Some(fields.username),
            full_name: Some(fields.full_name),
            email: Some(fields.email),
        }
    }
}

#[cfg(test)]
mod tests;

/// A tag in use, with how many tasks carry it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagCount {
    pub name: String,
    pub tasks: u64,
}
