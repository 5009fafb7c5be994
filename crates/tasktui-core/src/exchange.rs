//! tasktui's own JSON shape for export and import: users, then tasks with their tags, the
//! same from every backend.

use serde::{Deserialize, Serialize};

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
