//! Every change to the data as a value: what the interface (and later the scripting commands)
//! asks the store to do. The store carries one out in a transaction and returns its inverse,
//! computed from what the rows held before, so undo applies the inverse and redo the change
//! again: one mechanism for every kind of edit.

use super::{Handoff, TaskChanges, TaskFields, TaskId, UserChanges, UserFields, UserId};
use serde::{Deserialize, Serialize};

/// What a row must still be for a change to go ahead; anything else means someone changed it
/// since, and the change is refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Expect {
    /// The row version the person saw.
    Version(i64),
    /// The content a change left behind (a fingerprint of the columns a person edits), for its
    /// undo or redo: versions only grow, so after an undo they cannot tell whether anyone else
    /// changed the row since.
    Content(String),
}

/// A change, named by what the person did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Change {
    CreateTask(TaskFields),
    UpdateTask {
        id: TaskId,
        expect: Expect,
        changes: TaskChanges,
    },
    DeleteTask {
        id: TaskId,
        expect: Expect,
    },
    /// A deleted task put back as it was (the inverse of a deletion), one version on.
    RestoreTask(TaskRow),
    CreateUser(UserFields),
    UpdateUser {
        id: UserId,
        expect: Expect,
        changes: UserChanges,
    },
    /// Deletes a user after handing their tasks on.
    DeleteUser {
        id: UserId,
        expect: Expect,
        handoff: Handoff,
    },
    RestoreUser(UserRow),
    /// Several changes as one step of undo.
    Batch(Vec<Change>),
}

/// A task row as stored, every column, to put it back after a deletion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskRow {
    pub id: TaskId,
    pub title: String,
    pub description: String,
    pub status: String,
    pub priority: i64,
    pub due_date: Option<String>,
    pub assignee: Option<UserId>,
    pub created_at: String,
    pub updated_at: String,
    pub completed_at: Option<String>,
    pub version: i64,
    /// Its tags; absent in changes recorded before tags existed.
    #[serde(default)]
    pub tags: Vec<String>,
}

/// A user row as stored, to put it back after a deletion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserRow {
    pub id: UserId,
    pub username: String,
    pub full_name: String,
    pub email: Option<String>,
    pub created_at: String,
    pub version: i64,
}

impl Change {
    /// The tasks this change touches, each once, in the order met.
    pub fn tasks(&self) -> Vec<TaskId> {
        let mut found = Vec::new();
        self.collect_tasks(&mut found);
        let mut seen = std::collections::HashSet::new();
        found.retain(|id| seen.insert(*id));
        found
    }

    fn collect_tasks(&self, found: &mut Vec<TaskId>) {
        match self {
            Change::UpdateTask { id, .. } | Change::DeleteTask { id, .. } => found.push(*id),
            Change::RestoreTask(row) => found.push(row.id),
            Change::Batch(changes) => changes.iter().for_each(|c| c.collect_tasks(found)),
            Change::CreateTask(_)
            | Change::CreateUser(_)
            | Change::UpdateUser { .. }
            | Change::DeleteUser { .. }
            | Change::RestoreUser(_) => {}
        }
    }
}
