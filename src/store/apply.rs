//! Carrying out a `Change`: one transaction that checks the row versions the person saw, reads
//! the rows as they were, writes, and records the change with its inverse in the history, so
//! that undo applies the inverse and redo the change again.

use super::summary::{batch_summary, describe_edit};
use super::writes::{
    insert_task, insert_user, restore_task, task_columns, task_row, undo_task_changes, update_task,
    update_user, user_row,
};
use super::{Cached, Result, Store, StoreError};
use crate::model::{Change, Expect, Handoff, TaskChanges, TaskId, UserChanges, UserId};
use rusqlite::{Connection, OptionalExtension, Transaction, TransactionBehavior, params};

/// How many changes the history keeps; older ones are pruned as new ones are recorded.
pub const HISTORY_KEPT: i64 = 10_000;

/// What carrying out a change did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    /// The id of the row a creation made.
    pub created: Option<i64>,
    /// How many tasks a user's deletion handed on.
    pub moved: usize,
    /// The change in words, for the status bar and the history.
    pub summary: String,
}

/// One entry of a task's history, as the detail shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryEntry {
    /// Who made the change; `None` for changes made without a name.
    pub author: Option<String>,
    /// When, as stored (`2026-11-24T09:30:00Z`).
    pub at: String,
    pub summary: String,
    /// Undone since (and not redone).
    pub undone: bool,
}

/// One change carried out: its inverse, and what it did.
struct Done {
    inverse: Change,
    applied: Applied,
}

impl Store {
    /// Carries out `change` in one transaction and records it, with its inverse, in the
    /// history of this store's author.
    pub fn apply(&self, change: &Change) -> Result<Applied> {
        self.check_file()?;
        let now = self.clock.stamp();
        let tx = Transaction::new_unchecked(&self.conn, TransactionBehavior::Immediate)?;
        let done = apply_in(&tx, change, &now)?;
        // A new change ends what could be redone.
        tx.run(
            "DELETE FROM change_tasks WHERE change_id IN
                (SELECT id FROM changes WHERE author IS ?1 AND undone = 1)",
            [&self.author],
        )?;
        tx.run(
            "DELETE FROM changes WHERE author IS ?1 AND undone = 1",
            [&self.author],
        )?;
        tx.run(
            "INSERT INTO changes (author, at, summary, change, inverse) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                self.author,
                now,
                done.applied.summary,
                json(change)?,
                json(&done.inverse)?
            ],
        )?;
        let recorded = tx.last_insert_rowid();
        let mut touched = change.tasks();
        touched.extend(done.inverse.tasks());
        touched.sort_unstable();
        touched.dedup();
        let mut record = tx.prepare_cached(
            "INSERT OR IGNORE INTO change_tasks (task_id, change_id) VALUES (?1, ?2)",
        )?;
        for task in touched {
            record.execute(params![task.0, recorded])?;
        }
        drop(record);
        // Pruned by id, so the oldest go first and the walk covers only what is removed.
        let oldest_kept = recorded - HISTORY_KEPT;
        tx.run(
            "DELETE FROM change_tasks WHERE change_id <= ?1",
            [oldest_kept],
        )?;
        tx.run("DELETE FROM changes WHERE id <= ?1", [oldest_kept])?;
        tx.commit()?;
        Ok(done.applied)
    }

    /// The last `limit` changes that touched the task, newest first: read through
    /// `change_tasks`, never by walking the history.
    pub fn task_history(&self, id: TaskId, limit: u32) -> Result<Vec<HistoryEntry>> {
        let mut statement = self.conn.prepare_cached(
            "SELECT c.author, c.at, c.summary, c.undone
             FROM change_tasks ct JOIN changes c ON c.id = ct.change_id
             WHERE ct.task_id = ?1 ORDER BY ct.change_id DESC LIMIT ?2",
        )?;
        let rows = statement.query_map(params![id.0, limit], |row| {
            Ok(HistoryEntry {
                author: row.get(0)?,
                at: row.get(1)?,
                summary: row.get(2)?,
                undone: row.get(3)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Undoes this author's last change that is not undone yet; `None` when there is none. A
    /// row changed since by someone else refuses it, and nothing changes.
    pub fn undo(&self) -> Result<Option<String>> {
        self.step("undone = 0 ORDER BY id DESC", "inverse", 1, "change")
    }

    /// Redoes this author's most recently undone change; `None` when there is none.
    pub fn redo(&self) -> Result<Option<String>> {
        self.step("undone = 1 ORDER BY id ASC", "change", 0, "inverse")
    }

    /// Applies the stored `apply` side of the chosen history row, marks it `undone`, and keeps
    /// the inverse just computed (with the row versions as they now are) as its `other` side.
    fn step(&self, pick: &str, apply: &str, undone: i64, other: &str) -> Result<Option<String>> {
        self.check_file()?;
        let now = self.clock.stamp();
        let tx = Transaction::new_unchecked(&self.conn, TransactionBehavior::Immediate)?;
        let row: Option<(i64, String, String)> = tx
            .query_row(
                &format!(
                    "SELECT id, summary, {apply} FROM changes WHERE author IS ?1 AND {pick} LIMIT 1"
                ),
                [&self.author],
                |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
            )
            .optional()?;
        let Some((id, summary, stored)) = row else {
            return Ok(None);
        };
        let change: Change = serde_json::from_str(&stored)
            .map_err(|e| StoreError::Corrupt(format!("history entry {id}: {e}")))?;
        let done = apply_in(&tx, &change, &now)?;
        tx.run(
            &format!("UPDATE changes SET undone = ?1, {other} = ?2 WHERE id = ?3"),
            params![undone, json(&done.inverse)?, id],
        )?;
        tx.commit()?;
        Ok(Some(summary))
    }
}

fn json(change: &Change) -> Result<String> {
    serde_json::to_string(change).map_err(|e| StoreError::Corrupt(e.to_string()))
}

/// The columns a person edits, as one string: what `Expect::Content` compares.
/// Byte-exact (hex of each value as SQL quotes it), so text that is not UTF-8 compares too.
const TASK_CONTENT: &str = "hex(quote(title)) || ',' || hex(quote(description)) || ',' || \
     hex(quote(status)) || ',' || hex(quote(priority)) || ',' || hex(quote(due_date)) || ',' || \
     hex(quote(assignee_id)) || ifnull(',' || hex((SELECT group_concat(g.name, ' ' ORDER BY \
     g.name COLLATE NOCASE) FROM task_tags tt JOIN tags g ON g.id = tt.tag_id \
     WHERE tt.task_id = tasks.id)), '')";
// (A task without tags has the fingerprint it had before tags existed, so the undo history
// recorded then still matches.)
const USER_CONTENT: &str =
    "hex(quote(username)) || ',' || hex(quote(full_name)) || ',' || hex(quote(email))";

/// A table a change touches: its name, what a person calls one of its rows, and the content
/// `Expect::Content` compares.
struct Table {
    name: &'static str,
    what: &'static str,
    content: &'static str,
}

const TASKS: Table = Table {
    name: "tasks",
    what: "this task",
    content: TASK_CONTENT,
};
const USERS: Table = Table {
    name: "users",
    what: "this user",
    content: USER_CONTENT,
};

fn fingerprint(conn: &Connection, table: &Table, id: i64) -> Result<Option<String>> {
    Ok(conn
        .one(
            &format!("SELECT {} FROM {} WHERE id = ?1", table.content, table.name),
            [id],
            |row| row.get(0),
        )
        .optional()?)
}

/// Refuses a change whose row is gone, or is not what the change expects.
fn check(conn: &Connection, table: &Table, id: i64, expect: &Expect) -> Result<()> {
    let holds = match expect {
        Expect::Version(version) => conn
            .query_row(
                &format!("SELECT row_version = ?2 FROM {} WHERE id = ?1", table.name),
                params![id, version],
                |row| row.get::<_, bool>(0),
            )
            .optional()?,
        Expect::Content(expected) => fingerprint(conn, table, id)?.map(|now| &now == expected),
    };
    match holds {
        None => Err(StoreError::NotFound(table.what)),
        Some(false) => Err(StoreError::Changed(table.what)),
        Some(true) => Ok(()),
    }
}

/// What undoing a change to row `id` must find: the row as the change left it.
fn left(conn: &Connection, table: &Table, id: i64) -> Result<Expect> {
    Ok(Expect::Content(
        fingerprint(conn, table, id)?.unwrap_or_default(),
    ))
}

/// Carries out one change inside the caller's transaction and returns its inverse.
fn apply_in(conn: &Connection, change: &Change, now: &str) -> Result<Done> {
    Ok(match change {
        Change::CreateTask(fields) => {
            let id = insert_task(conn, fields, now)?;
            Done {
                inverse: Change::DeleteTask {
                    id,
                    expect: left(conn, &TASKS, id.0)?,
                },
                applied: applied(Some(id.0), format!("add #{} “{}”", id.0, fields.title)),
            }
        }
        Change::UpdateTask {
            id,
            expect,
            changes,
        } => {
            check(conn, &TASKS, id.0, expect)?;
            let before = if changes.tags.is_some() {
                task_row(conn, *id)?
            } else {
                task_columns(conn, *id)?
            };
            update_task(conn, *id, changes, now)?;
            Done {
                inverse: Change::UpdateTask {
                    id: *id,
                    expect: left(conn, &TASKS, id.0)?,
                    changes: undo_task_changes(&before, changes),
                },
                applied: applied(None, describe_edit(conn, id.0, &before.title, changes)),
            }
        }
        Change::DeleteTask { id, expect } => {
            check(conn, &TASKS, id.0, expect)?;
            let before = task_row(conn, *id)?;
            conn.run("DELETE FROM tasks WHERE id = ?1", [id.0])?;
            let title = before.title.clone();
            Done {
                inverse: Change::RestoreTask(before),
                applied: applied(None, format!("delete #{} “{title}”", id.0)),
            }
        }
        Change::RestoreTask(row) => {
            restore_task(conn, row)?;
            Done {
                inverse: Change::DeleteTask {
                    id: row.id,
                    expect: left(conn, &TASKS, row.id.0)?,
                },
                applied: applied(
                    Some(row.id.0),
                    format!("restore #{} “{}”", row.id.0, row.title),
                ),
            }
        }
        Change::CreateUser(fields) => {
            let id = insert_user(conn, fields, now)?;
            Done {
                inverse: Change::DeleteUser {
                    id,
                    expect: left(conn, &USERS, id.0)?,
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
            check(conn, &USERS, id.0, expect)?;
            let before = user_row(conn, *id)?;
            update_user(conn, *id, changes)?;
            Done {
                inverse: Change::UpdateUser {
                    id: *id,
                    expect: left(conn, &USERS, id.0)?,
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
        } => delete_user(conn, *id, expect, *handoff, now)?,
        Change::RestoreUser(row) => {
            super::users::check_email_free(conn, row.email.as_deref(), Some(row.id))?;
            conn.run(
                "INSERT INTO users (id, username, full_name, email, created_at, row_version)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    row.id.0,
                    row.username,
                    row.full_name,
                    row.email,
                    row.created_at,
                    row.version + 1
                ],
            )?;
            Done {
                inverse: Change::DeleteUser {
                    id: row.id,
                    expect: left(conn, &USERS, row.id.0)?,
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
                let done = apply_in(conn, change, now)?;
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
    conn: &Connection,
    id: UserId,
    expect: &Expect,
    handoff: Handoff,
    now: &str,
) -> Result<Done> {
    check(conn, &USERS, id.0, expect)?;
    let before = user_row(conn, id)?;
    let heir = match handoff {
        Handoff::Unassign => None,
        Handoff::ReassignTo(other) if other == id => {
            return Err(StoreError::Refused(
                "a user's tasks cannot be handed to that same user",
            ));
        }
        Handoff::ReassignTo(other) => {
            user_row(conn, other)
                .map_err(|_| StoreError::NotFound("the user to take over the tasks"))?;
            Some(other)
        }
    };
    let tasks: Vec<i64> = conn
        .prepare("SELECT id FROM tasks WHERE assignee_id = ?1 ORDER BY id")?
        .query_map([id.0], |row| row.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let handed = TaskChanges {
        assignee: Some(heir),
        ..TaskChanges::default()
    };
    // Undo puts the user back first, then gives each task back.
    let mut inverse = vec![Change::RestoreUser(before.clone())];
    for &task in &tasks {
        update_task(conn, TaskId(task), &handed, now)?;
        inverse.push(Change::UpdateTask {
            id: TaskId(task),
            expect: left(conn, &TASKS, task)?,
            changes: TaskChanges {
                assignee: Some(Some(id)),
                ..TaskChanges::default()
            },
        });
    }
    conn.run("DELETE FROM users WHERE id = ?1", [id.0])?;
    Ok(Done {
        inverse: Change::Batch(inverse),
        applied: Applied {
            created: None,
            moved: tasks.len(),
            summary: format!("delete user {}", before.username),
        },
    })
}
