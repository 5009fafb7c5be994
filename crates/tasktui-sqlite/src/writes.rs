//! The row-level reads and writes a change is made of, each inside the caller's transaction.

use super::{Cached, Result, StoreError, check_changed, integer, optional_text, text};
use crate::from_sqlite;
use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, params};
use tasktui_core::carry::{Rows, Table};
use tasktui_core::model::{
    Status, TaskChanges, TaskFields, TaskId, TaskRow, UserChanges, UserFields, UserId, UserRow,
};
use tasktui_core::stored::{due_text, split_tags};

pub(super) fn insert_task(conn: &Connection, fields: &TaskFields, now: &str) -> Result<TaskId> {
    let completed = (fields.status == Status::Done).then_some(now);
    conn.run(
        "INSERT INTO tasks (title, description, status, priority, due_date, assignee_id,
                            created_at, updated_at, completed_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7, ?8)",
        params![
            fields.title,
            fields.description,
            fields.status.as_str(),
            fields.priority.as_db(),
            due_text(fields.due),
            fields.assignee.map(|a| a.0),
            now,
            completed,
        ],
    )
    .map_err(from_sqlite)?;
    let id = TaskId(conn.last_insert_rowid());
    set_tags(conn, id, &fields.tags)?;
    Ok(id)
}

/// The expression that reads a task's tags (over alias `t`) as one space-separated string, in
/// order of name: a macro, so that queries can `concat!` it.
macro_rules! tags_of_t {
    () => {
        "(SELECT group_concat(g.name, ' ' ORDER BY g.name COLLATE NOCASE) \
         FROM task_tags tt JOIN tags g ON g.id = tt.tag_id WHERE tt.task_id = t.id)"
    };
}
pub(super) use tags_of_t;

/// Gives the task exactly these tags, making the tags that do not exist yet (a name matches
/// without regard to case, and keeps its first spelling).
pub(super) fn set_tags(conn: &Connection, id: TaskId, tags: &[String]) -> Result<()> {
    conn.run("DELETE FROM task_tags WHERE task_id = ?1", [id.0])
        .map_err(from_sqlite)?;
    for name in tags {
        conn.run(
            "INSERT INTO tags (name) VALUES (?1) ON CONFLICT (name) DO NOTHING",
            [name],
        )
        .map_err(from_sqlite)?;
        conn.run(
            "INSERT OR IGNORE INTO task_tags (task_id, tag_id)
             SELECT ?1, id FROM tags WHERE name = ?2",
            params![id.0, name],
        )
        .map_err(from_sqlite)?;
    }
    Ok(())
}

/// A task as stored, every column and its tags; `NotFound` when it is gone.
pub(super) fn task_row(conn: &Connection, id: TaskId) -> Result<TaskRow> {
    let mut row = task_columns(conn, id)?;
    row.tags = split_tags(
        conn.one(
            concat!("SELECT ", tags_of_t!(), " FROM tasks t WHERE id = ?1"),
            [id.0],
            |r| r.get(0),
        )
        .map_err(from_sqlite)?,
    );
    Ok(row)
}

/// A task's columns, without its tags (`tags` left empty): the before-image of an edit that
/// leaves the tags alone.
pub(super) fn task_columns(conn: &Connection, id: TaskId) -> Result<TaskRow> {
    conn.one(
        "SELECT id, title, description, status, priority, due_date, assignee_id, created_at,
                updated_at, completed_at, row_version
         FROM tasks WHERE id = ?1",
        [id.0],
        |row| {
            Ok(TaskRow {
                id: TaskId(row.get(0)?),
                title: text(row, 1)?,
                description: text(row, 2)?,
                status: text(row, 3)?,
                priority: integer(row, 4, 0)?,
                due_date: optional_text(row, 5)?,
                assignee: row.get::<_, Option<i64>>(6).ok().flatten().map(UserId),
                created_at: text(row, 7)?,
                updated_at: text(row, 8)?,
                completed_at: optional_text(row, 9)?,
                version: integer(row, 10, 1)?,
                tags: Vec::new(),
            })
        },
    )
    .optional()
    .map_err(from_sqlite)?
    .ok_or(StoreError::NotFound("this task"))
}

/// Writes the fields an edit changed (the caller checked the row), one version on.
pub(super) fn update_task(
    conn: &Connection,
    id: TaskId,
    changes: &TaskChanges,
    now: &str,
) -> Result<()> {
    let mut sets = Vec::new();
    let mut values: Vec<Value> = Vec::new();
    let mut set = |column: &str, value: Value| {
        values.push(value);
        sets.push(format!("{column} = ?{}", values.len()));
    };
    if let Some(title) = &changes.title {
        set("title", Value::Text(title.clone()));
    }
    if let Some(description) = &changes.description {
        set("description", Value::Text(description.clone()));
    }
    if let Some(priority) = changes.priority {
        set("priority", Value::Integer(priority.as_db()));
    }
    if let Some(due) = changes.due {
        set("due_date", due_text(due).map_or(Value::Null, Value::Text));
    }
    if let Some(assignee) = changes.assignee {
        set(
            "assignee_id",
            assignee.map_or(Value::Null, |a| Value::Integer(a.0)),
        );
    }
    if let Some(status) = changes.status {
        set("status", Value::Text(status.as_str().into()));
        // Done keeps its first completion time; any other status clears it.
        let at = values.len();
        values.push(Value::Text(now.to_string()));
        sets.push(format!(
            "completed_at = CASE WHEN ?{at} = 'done' THEN ifnull(completed_at, ?{}) END",
            at + 1
        ));
    }
    values.push(Value::Text(now.to_string()));
    sets.push(format!("updated_at = ?{}", values.len()));
    values.push(Value::Integer(id.0));
    let changed = conn
        .run(
            &format!(
                "UPDATE tasks SET {}, row_version = row_version + 1 WHERE id = ?{}",
                sets.join(", "),
                values.len()
            ),
            rusqlite::params_from_iter(values),
        )
        .map_err(from_sqlite)?;
    check_changed(conn, "tasks", "this task", id.0, changed)?;
    match &changes.tags {
        Some(tags) => set_tags(conn, id, tags),
        None => Ok(()),
    }
}

/// Puts a deleted task back, one version on from the copy that was deleted.
pub(super) fn restore_task(conn: &Connection, row: &TaskRow) -> Result<()> {
    insert_task_columns(conn, row)?;
    set_tags(conn, row.id, &row.tags)
}

/// Inserts a task's row as it is given (the version after `row.version`), without its tags.
pub(super) fn insert_task_columns(conn: &Connection, row: &TaskRow) -> Result<()> {
    conn.run(
        "INSERT INTO tasks (id, title, description, status, priority, due_date, assignee_id,
                            created_at, updated_at, completed_at, row_version)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        params![
            row.id.0,
            row.title,
            row.description,
            row.status,
            row.priority,
            row.due_date,
            row.assignee.map(|a| a.0),
            row.created_at,
            row.updated_at,
            row.completed_at,
            row.version + 1,
        ],
    )
    .map_err(from_sqlite)?;
    Ok(())
}

pub(super) fn insert_user(conn: &Connection, fields: &UserFields, now: &str) -> Result<UserId> {
    super::users::check_email_free(conn, fields.email.as_deref(), None)?;
    conn.run(
        "INSERT INTO users (username, full_name, email, created_at) VALUES (?1, ?2, ?3, ?4)",
        params![fields.username, fields.full_name, fields.email, now],
    )
    .map_err(from_sqlite)?;
    Ok(UserId(conn.last_insert_rowid()))
}

pub(super) fn user_row(conn: &Connection, id: UserId) -> Result<UserRow> {
    conn.one(
        "SELECT id, username, full_name, email, created_at, row_version FROM users WHERE id = ?1",
        [id.0],
        |row| {
            Ok(UserRow {
                id: UserId(row.get(0)?),
                username: text(row, 1)?,
                full_name: text(row, 2)?,
                email: optional_text(row, 3)?,
                created_at: text(row, 4)?,
                version: integer(row, 5, 1)?,
            })
        },
    )
    .optional()
    .map_err(from_sqlite)?
    .ok_or(StoreError::NotFound("this user"))
}

pub(super) fn update_user(conn: &Connection, id: UserId, changes: &UserChanges) -> Result<()> {
    let mut sets = Vec::new();
    let mut values: Vec<Value> = Vec::new();
    if let Some(username) = &changes.username {
        values.push(username.clone().into());
        sets.push(format!("username = ?{}", values.len()));
    }
    if let Some(full_name) = &changes.full_name {
        values.push(full_name.clone().into());
        sets.push(format!("full_name = ?{}", values.len()));
    }
    if let Some(email) = &changes.email {
        super::users::check_email_free(conn, email.as_deref(), Some(id))?;
        values.push(email.clone().into());
        sets.push(format!("email = ?{}", values.len()));
    }
    sets.push("row_version = row_version + 1".into());
    values.push(id.0.into());
    let changed = conn
        .run(
            &format!(
                "UPDATE users SET {} WHERE id = ?{}",
                sets.join(", "),
                values.len()
            ),
            rusqlite::params_from_iter(values),
        )
        .map_err(from_sqlite)?;
    check_changed(conn, "users", "this user", id.0, changed)
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

/// The SQLite side of a change's steps, on the connection (or transaction) it runs in.
pub(super) struct Lite<'c>(pub &'c Connection);

impl Rows for Lite<'_> {
    fn insert_task(&mut self, fields: &TaskFields, now: &str) -> Result<TaskId> {
        insert_task(self.0, fields, now)
    }
    fn task_row(&mut self, id: TaskId, tags: bool) -> Result<TaskRow> {
        if tags {
            task_row(self.0, id)
        } else {
            task_columns(self.0, id)
        }
    }
    fn update_task(&mut self, id: TaskId, changes: &TaskChanges, now: &str) -> Result<()> {
        update_task(self.0, id, changes, now)
    }
    fn delete_task(&mut self, id: TaskId) -> Result<()> {
        self.0
            .run("DELETE FROM tasks WHERE id = ?1", [id.0])
            .map_err(from_sqlite)?;
        Ok(())
    }
    fn restore_task(&mut self, row: &TaskRow) -> Result<()> {
        restore_task(self.0, row)
    }
    fn insert_user(&mut self, fields: &UserFields, now: &str) -> Result<UserId> {
        insert_user(self.0, fields, now)
    }
    fn user_row(&mut self, id: UserId) -> Result<UserRow> {
        user_row(self.0, id)
    }
    fn update_user(&mut self, id: UserId, changes: &UserChanges) -> Result<()> {
        update_user(self.0, id, changes)
    }
    fn restore_user(&mut self, row: &UserRow) -> Result<()> {
        super::users::check_email_free(self.0, row.email.as_deref(), Some(row.id))?;
        self.0
            .run(
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
            )
            .map_err(from_sqlite)?;
        Ok(())
    }
    fn delete_user(&mut self, id: UserId) -> Result<()> {
        self.0
            .run("DELETE FROM users WHERE id = ?1", [id.0])
            .map_err(from_sqlite)?;
        Ok(())
    }
    fn assigned_to(&mut self, id: UserId) -> Result<Vec<TaskId>> {
        self.0
            .prepare_cached("SELECT id FROM tasks WHERE assignee_id = ?1 ORDER BY id")
            .map_err(from_sqlite)?
            .query_map([id.0], |row| row.get(0).map(TaskId))
            .map_err(from_sqlite)?
            .collect::<rusqlite::Result<_>>()
            .map_err(from_sqlite)
    }
    fn username(&mut self, id: UserId) -> Result<Option<String>> {
        self.0
            .one("SELECT username FROM users WHERE id = ?1", [id.0], |row| {
                row.get(0)
            })
            .optional()
            .map_err(from_sqlite)
    }
    fn version_is(&mut self, table: Table, id: i64, version: i64) -> Result<Option<bool>> {
        self.0
            .one(
                &format!(
                    "SELECT row_version = ?2 FROM {} WHERE id = ?1",
                    table.name()
                ),
                params![id, version],
                |row| row.get::<_, bool>(0),
            )
            .optional()
            .map_err(from_sqlite)
    }
    fn fingerprint(&mut self, table: Table, id: i64) -> Result<Option<String>> {
        let content = match table {
            Table::Tasks => TASK_CONTENT,
            Table::Users => USER_CONTENT,
        };
        self.0
            .one(
                &format!("SELECT {content} FROM {} WHERE id = ?1", table.name()),
                [id],
                |row| row.get(0),
            )
            .optional()
            .map_err(from_sqlite)
    }
}
