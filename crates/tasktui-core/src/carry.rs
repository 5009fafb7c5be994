//! Carrying out a `Change`, the same on every backend: check the row the person saw, read it as
//! it was, write, and compute the inverse that undo applies. A backend provides the row-level
//! steps (`Rows`) inside its own transaction and records the result in its history.

use crate::error::{Result, StoreError};
use crate::model::{
    Change, Expect, Handoff, Priority, Status, TaskChanges, TaskFields, TaskId, TaskRow,
    UserChanges, UserFields, UserId, UserRow,
};
use crate::seam::Applied;
use crate::summary::{batch_summary, describe_edit};

/// A table a change touches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Table {
    Tasks,
    Users,
}

impl Table {
    pub fn name(self) -> &'static str {
        match self {
            Table::Tasks => "tasks",
            Table::Users => "users",
        }
    }

    /// What a person calls one of its rows.
    pub fn what(self) -> &'static str {
        match self {
            Table::Tasks => "this task",
            Table::Users => "this user",
        }
    }
}

/// The row-level reads and writes a change is made of, each inside the backend's transaction.
pub trait Rows {
    fn insert_task(&mut self, fields: &TaskFields, now: &str) -> Result<TaskId>;
    /// A task as stored, with its tags when `tags` (else they are left empty); `NotFound` when
    /// it is gone.
    fn task_row(&mut self, id: TaskId, tags: bool) -> Result<TaskRow>;
    /// Writes the fields an edit changed (the caller checked the row), one version on.
    fn update_task(&mut self, id: TaskId, changes: &TaskChanges, now: &str) -> Result<()>;
    fn delete_task(&mut self, id: TaskId) -> Result<()>;
    /// Puts a deleted task back with its tags, one version on from the copy that was deleted.
    fn restore_task(&mut self, row: &TaskRow) -> Result<()>;
    fn insert_user(&mut self, fields: &UserFields, now: &str) -> Result<UserId>;
    fn user_row(&mut self, id: UserId) -> Result<UserRow>;
    fn update_user(&mut self, id: UserId, changes: &UserChanges) -> Result<()>;
    /// Puts a deleted user back, one version on.
    fn restore_user(&mut self, row: &UserRow) -> Result<()>;
    fn delete_user(&mut self, id: UserId) -> Result<()>;
    /// The tasks assigned to the user, by id.
    fn assigned_to(&mut self, id: UserId) -> Result<Vec<TaskId>>;
    fn username(&mut self, id: UserId) -> Result<Option<String>>;
    /// Whether the row is at `version`; `None` when it is gone.
    fn version_is(&mut self, table: Table, id: i64, version: i64) -> Result<Option<bool>>;
    /// The columns a person edits, as one string: what `Expect::Content` compares. `None`
    /// when the row is gone.
    fn fingerprint(&mut self, table: Table, id: i64) -> Result<Option<String>>;
    /// The fingerprints of rows this change wrote itself (an import's), in the order of `ids`:
    /// a backend that pays a round trip a row reads them in a few statements instead.
    fn fingerprints(&mut self, table: Table, ids: &[i64]) -> Result<Vec<Option<String>>> {
        ids.iter().map(|&id| self.fingerprint(table, id)).collect()
    }
}

/// One change carried out: its inverse, and what it did.
#[derive(Debug)]
pub struct Done {
    pub inverse: Change,
    pub applied: Applied,
}

/// Refuses a change whose row is gone, or is not what the change expects.
fn check(rows: &mut impl Rows, table: Table, id: i64, expect: &Expect) -> Result<()> {
    let holds = match expect {
        Expect::Version(version) | Expect::Seen { version, .. } => {
            rows.version_is(table, id, *version)?
        }
        Expect::Content(expected) => rows.fingerprint(table, id)?.map(|now| &now == expected),
    };
    match holds {
        None => Err(StoreError::NotFound(table.what())),
        Some(false) => Err(StoreError::Changed(table.what())),
        Some(true) => Ok(()),
    }
}

/// What undoing a change to row `id` must find: the row as the change left it.
fn left(rows: &mut impl Rows, table: Table, id: i64) -> Result<Expect> {
    Ok(Expect::Content(
        rows.fingerprint(table, id)?.unwrap_or_default(),
    ))
}

/// The changes that put back what `changes` overwrote.
pub fn undo_task_changes(before: &TaskRow, changes: &TaskChanges) -> TaskChanges {
    let due = before
        .due_date
        .as_deref()
        .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
    changes.held_in(&TaskFields {
        title: before.title.clone(),
        description: before.description.clone(),
        status: Status::from_db(&before.status),
        priority: Priority::from_db(before.priority),
        due,
        assignee: before.assignee,
        tags: before.tags.clone(),
    })
}

/// An edit of a task that moved on since the person saw it (`seen`: what the fields it changes
/// held then), as it applies to the task `now`; `None` when someone else changed one of those
/// fields since. Tags are merged: the ones the edit adds and removes, on top of anyone else's.
fn merge(now: &TaskRow, seen: &TaskChanges, changes: &TaskChanges) -> Option<TaskChanges> {
    let current = undo_task_changes(now, changes);
    let untouched = current.title == seen.title
        && current.description == seen.description
        && current.status == seen.status
        && current.priority == seen.priority
        && current.due == seen.due
        && current.assignee == seen.assignee;
    if !untouched {
        return None;
    }
    let tags = match (&changes.tags, &seen.tags, &current.tags) {
        (Some(wanted), Some(seen), Some(now)) => {
            let has = |list: &[String], tag: &str| list.iter().any(|t| t.eq_ignore_ascii_case(tag));
            let mut tags: Vec<String> = now
                .iter()
                .filter(|t| has(wanted, t) || !has(seen, t))
                .cloned()
                .collect();
            for tag in wanted {
                if !has(seen, tag) && !has(&tags, tag) {
                    tags.push(tag.clone());
                }
            }
            tags.sort_by_key(|t| t.to_lowercase());
            Some(tags)
        }
        _ => changes.tags.clone(),
    };
    Some(TaskChanges {
        tags,
        ..changes.clone()
    })
}

/// Carries out one change inside the caller's transaction and returns its inverse.
pub fn apply_in(rows: &mut impl Rows, change: &Change, now: &str) -> Result<Done> {
    Ok(match change {
        Change::CreateTask(fields) => {
            let id = rows.insert_task(fields, now)?;
            Done {
                inverse: Change::DeleteTask {
                    id,
                    expect: left(rows, Table::Tasks, id.0)?,
                },
                applied: applied(Some(id.0), format!("add #{} “{}”", id.0, fields.title)),
            }
        }
        Change::UpdateTask {
            id,
            expect,
            changes,
        } => {
            let merged;
            let changes = match (check(rows, Table::Tasks, id.0, expect), expect) {
                (Ok(()), _) => changes,
                // Changed since it was seen: merged when nobody touched what this edit changes.
                (Err(StoreError::Changed(what)), Expect::Seen { before, .. }) => {
                    let now = rows.task_row(*id, true)?;
                    merged = merge(&now, before, changes).ok_or(StoreError::Changed(what))?;
                    &merged
                }
                (Err(e), _) => return Err(e),
            };
            let before = rows.task_row(*id, changes.tags.is_some())?;
            rows.update_task(*id, changes, now)?;
            let assignee = match changes.assignee {
                Some(Some(user)) => rows.username(user)?,
                _ => None,
            };
            Done {
                inverse: Change::UpdateTask {
                    id: *id,
                    expect: left(rows, Table::Tasks, id.0)?,
                    changes: undo_task_changes(&before, changes),
                },
                applied: applied(
                    None,
                    describe_edit(assignee.as_deref(), id.0, &before.title, changes),
                ),
            }
        }
        Change::DeleteTask { id, expect } => {
            check(rows, Table::Tasks, id.0, expect)?;
            let before = rows.task_row(*id, true)?;
            rows.delete_task(*id)?;
            let title = before.title.clone();
            Done {
                inverse: Change::RestoreTask(before),
                applied: applied(None, format!("delete #{} “{title}”", id.0)),
            }
        }
        Change::RestoreTask(row) => {
            rows.restore_task(row)?;
            Done {
                inverse: Change::DeleteTask {
                    id: row.id,
                    expect: left(rows, Table::Tasks, row.id.0)?,
                },
                applied: applied(
                    Some(row.id.0),
                    format!("restore #{} “{}”", row.id.0, row.title),
                ),
            }
        }
        Change::CreateUser(fields) => {
            let id = rows.insert_user(fields, now)?;
            Done {
                inverse: Change::DeleteUser {
                    id,
                    expect: left(rows, Table::Users, id.0)?,
                    handoff: Handoff::Unassign,
                },
                applied: applied(Some(id.0), format!("add user {}", fields.username)),
            }
        }
        Change::UpdateUser {
            id,
            expect,
            changes,
        } => {
            check(rows, Table::Users, id.0, expect)?;
            let before = rows.user_row(*id)?;
            rows.update_user(*id, changes)?;
            Done {
                inverse: Change::UpdateUser {
                    id: *id,
                    expect: left(rows, Table::Users, id.0)?,
                    changes: UserChanges {
                        username: changes.username.as_ref().map(|_| before.username.clone()),
                        full_name: changes.full_name.as_ref().map(|_| before.full_name.clone()),
                        email: changes.email.as_ref().map(|_| before.email.clone()),
                    },
                },
                applied: applied(None, format!("edit user {}", before.username)),
            }
        }
        Change::DeleteUser {
            id,
            expect,
            handoff,
        } => delete_user(rows, *id, expect, *handoff, now)?,
        Change::RestoreUser(row) => {
            rows.restore_user(row)?;
            Done {
                inverse: Change::DeleteUser {
                    id: row.id,
                    expect: left(rows, Table::Users, row.id.0)?,
                    handoff: Handoff::Unassign,
                },
                applied: applied(Some(row.id.0), format!("restore user {}", row.username)),
            }
        }
        Change::Batch(changes) => {
            let mut inverses = Vec::with_capacity(changes.len());
            let mut moved = 0;
            let mut summaries = Vec::new();
            for change in changes {
                let done = apply_in(rows, change, now)?;
                moved += done.applied.moved;
                summaries.push(done.applied.summary);
                inverses.push(done.inverse);
            }
            inverses.reverse();
            let summary = batch_summary(&summaries);
            Done {
                inverse: Change::Batch(inverses),
                applied: Applied {
                    created: None,
                    moved,
                    summary,
                },
            }
        }
    })
}

/// What undoing an import does: delete exactly the tasks and users it added, each only while it
/// is as the import left it; the tasks first, so that its users have none of them left.
pub fn import_inverse(rows: &mut impl Rows, tasks: &[TaskId], users: &[UserId]) -> Result<Change> {
    let mut steps = Vec::with_capacity(tasks.len() + users.len());
    let ids: Vec<i64> = tasks.iter().map(|t| t.0).collect();
    for (&id, content) in tasks.iter().zip(rows.fingerprints(Table::Tasks, &ids)?) {
        steps.push(Change::DeleteTask {
            id,
            expect: Expect::Content(content.unwrap_or_default()),
        });
    }
    let ids: Vec<i64> = users.iter().map(|u| u.0).collect();
    for (&id, content) in users.iter().zip(rows.fingerprints(Table::Users, &ids)?) {
        steps.push(Change::DeleteUser {
            id,
            expect: Expect::Content(content.unwrap_or_default()),
            handoff: Handoff::Unassign,
        });
    }
    Ok(Change::Batch(steps))
}

/// How an import is named in the history.
pub fn import_summary(users: usize, tasks: usize) -> String {
    format!(
        "import {} and {}",
        crate::text::count(users, "user", "users"),
        crate::text::count(tasks, "task", "tasks")
    )
}

/// The refusal of a file whose tasks are already here (each `(place, title)`: a task of that
/// title and creation time), unless the person asked for them again.
pub fn already_imported(found: &[(usize, String)]) -> Option<crate::exchange::Rejected> {
    let (first, title) = found.first()?;
    let more = match found.len() - 1 {
        0 => String::new(),
        n => format!(" (and {n} more)"),
    };
    Some(crate::exchange::Rejected {
        at: format!("tasks[{first}]"),
        reason: format!(
            "“{title}”, created at the same time, is already here{more}: this file, or part of it, was imported before; `--again` imports it anyway, as new tasks"
        ),
    })
}

fn applied(created: Option<i64>, summary: String) -> Applied {
    Applied {
        created,
        moved: 0,
        summary,
    }
}

/// Hands the user's tasks on (each as an edit of its own, so the inverse gives each back) and
/// deletes the user, if they are as `expect` says.
fn delete_user(
    rows: &mut impl Rows,
    id: UserId,
    expect: &Expect,
    handoff: Handoff,
    now: &str,
) -> Result<Done> {
    check(rows, Table::Users, id.0, expect)?;
    let before = rows.user_row(id)?;
    let heir = match handoff {
        Handoff::Unassign => None,
        Handoff::ReassignTo(other) if other == id => {
            return Err(StoreError::Refused(
                "a user's tasks cannot be handed to that same user",
            ));
        }
        Handoff::ReassignTo(other) => {
            rows.user_row(other)
                .map_err(|_| StoreError::NotFound("the user to take over the tasks"))?;
            Some(other)
        }
    };
    let tasks = rows.assigned_to(id)?;
    let handed = TaskChanges {
        assignee: Some(heir),
        ..TaskChanges::default()
    };
    // Undo puts the user back first, then gives each task back.
    let mut inverse = vec![Change::RestoreUser(before.clone())];
    for &task in &tasks {
        rows.update_task(task, &handed, now)?;
        inverse.push(Change::UpdateTask {
            id: task,
            expect: left(rows, Table::Tasks, task.0)?,
            changes: TaskChanges {
                assignee: Some(Some(id)),
                ..TaskChanges::default()
            },
        });
    }
    rows.delete_user(id)?;
    Ok(Done {
        inverse: Change::Batch(inverse),
        applied: Applied {
            created: None,
            moved: tasks.len(),
            summary: format!("delete user {}", before.username),
        },
    })
}
