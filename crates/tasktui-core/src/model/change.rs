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
    /// The task's version the person saw, and what the fields an edit changes held then: when
    /// the task has moved on, the edit still goes ahead if nobody changed those fields (tags:
    /// the ones it adds and removes are merged with anyone else's).
    Seen {
        version: i64,
        before: Box<TaskChanges>,
    },
}

impl Expect {
    /// What an edit of `task`, as the person saw it, expects.
    pub fn seen(task: &super::Task, changes: &TaskChanges) -> Expect {
        Expect::Seen {
            version: task.version,
            before: Box::new(changes.held_in(&task.fields())),
        }
    }
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

/// A row of the data, as changes write it or refer to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RowRef {
    Task(i64),
    User(i64),
}

/// What a change in the history wrote (created, edited, deleted, restored) and what it refers
/// to without writing it (the user a task is assigned to), read from the change and its inverse
/// together (a creation's row is named only in its inverse).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Footprint {
    pub written: std::collections::HashSet<RowRef>,
    pub referenced: std::collections::HashSet<RowRef>,
}

impl Footprint {
    pub fn of(change: &Change, inverse: &Change) -> Footprint {
        let mut footprint = Footprint::default();
        footprint.add(change);
        footprint.add(inverse);
        footprint
    }

    /// Whether `later`, a change made after this one, stands on what undoing or redoing this
    /// one would take away or revert: it wrote a row this one wrote, or refers to one (a task
    /// assigned to the user this one created).
    pub fn built_on_by(&self, later: &Footprint) -> bool {
        later
            .written
            .iter()
            .chain(&later.referenced)
            .any(|row| self.written.contains(row))
    }

    fn add(&mut self, change: &Change) {
        let mut refer = |user: Option<UserId>| {
            if let Some(user) = user {
                self.referenced.insert(RowRef::User(user.0));
            }
        };
        match change {
            Change::CreateTask(fields) => refer(fields.assignee),
            Change::UpdateTask { id, changes, .. } => {
                refer(changes.assignee.flatten());
                self.written.insert(RowRef::Task(id.0));
            }
            Change::DeleteTask { id, .. } => {
                self.written.insert(RowRef::Task(id.0));
            }
            Change::RestoreTask(row) => {
                refer(row.assignee);
                self.written.insert(RowRef::Task(row.id.0));
            }
            Change::CreateUser(_) => {}
            Change::UpdateUser { id, .. } => {
                self.written.insert(RowRef::User(id.0));
            }
            Change::DeleteUser { id, handoff, .. } => {
                if let Handoff::ReassignTo(heir) = handoff {
                    refer(Some(*heir));
                }
                self.written.insert(RowRef::User(id.0));
            }
            Change::RestoreUser(row) => {
                self.written.insert(RowRef::User(row.id.0));
            }
            Change::Batch(changes) => changes.iter().for_each(|c| self.add(c)),
        }
    }
}
