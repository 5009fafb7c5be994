//! The row steps of a change on the server (`carry::Rows`), each inside the change's
//! transaction, the rows they write locked until it commits.

use super::{Server, errors};
use postgres::Transaction;
use postgres::types::ToSql;
use std::collections::HashMap;
use tasktui_core::carry::{Rows, Table};
use tasktui_core::error::{Result, StoreError};
use tasktui_core::model::{
    TaskChanges, TaskFields, TaskId, TaskRow, UserChanges, UserFields, UserId, UserRow,
};
use tasktui_core::stored::{due_text, split_tags};

/// A task's tags (over alias `t`), as one space-separated string in order of name.
pub(super) const TAGS_OF_T: &str = "(SELECT string_agg(g.name, ' ' ORDER BY lower(g.name) COLLATE \"C\", g.name) \
     FROM task_tags tt JOIN tags g ON g.id = tt.tag_id WHERE tt.task_id = t.id)";

/// The columns a person edits, as one string: what `Expect::Content` compares, of the rows whose
/// ids are the array `$1` (`LOCKED` appended locks them, so no other client changes one between
/// a check and the write).
const TASK_CONTENT: &str = "SELECT t.id, quote_nullable(t.title) || ',' || quote_nullable(t.description) || ',' || \
     quote_nullable(t.status) || ',' || quote_nullable(t.priority) || ',' || \
     quote_nullable(t.due_date) || ',' || quote_nullable(t.assignee_id) || \
     coalesce(',' || (SELECT string_agg(g.name, ' ' ORDER BY lower(g.name) COLLATE \"C\", g.name) \
     FROM task_tags tt JOIN tags g ON g.id = tt.tag_id WHERE tt.task_id = t.id), '') \
     FROM unnest($1::bigint[]) AS x(id) JOIN tasks t ON t.id = x.id";
const USER_CONTENT: &str = "SELECT u.id, quote_nullable(username) || ',' || quote_nullable(full_name) || ',' || \
     quote_nullable(email) FROM unnest($1::bigint[]) AS x(id) JOIN users u ON u.id = x.id";
const LOCKED: &str = " FOR UPDATE";

/// The PostgreSQL side of a change's steps, inside its transaction.
pub(super) struct PgRows<'a, 'c> {
    pub tx: &'a mut Transaction<'c>,
    pub server: &'a Server,
}

impl PgRows<'_, '_> {
    fn err(&self, e: postgres::Error) -> StoreError {
        errors::store_error(&e, self.server)
    }

    fn run(&mut self, sql: &str, params: &[&(dyn ToSql + Sync)]) -> Result<u64> {
        self.tx
            .execute(sql, params)
            .map_err(|e| errors::store_error(&e, self.server))
    }

    fn opt(&mut self, sql: &str, params: &[&(dyn ToSql + Sync)]) -> Result<Option<postgres::Row>> {
        self.tx
            .query_opt(sql, params)
            .map_err(|e| errors::store_error(&e, self.server))
    }

    fn set_tags(&mut self, id: TaskId, tags: &[String]) -> Result<()> {
        self.run("DELETE FROM task_tags WHERE task_id = $1", &[&id.0])?;
        for name in tags {
            self.run(
                "INSERT INTO tags (name) VALUES ($1) ON CONFLICT DO NOTHING",
                &[name],
            )?;
            self.run(
                "INSERT INTO task_tags (task_id, tag_id)
                 SELECT $1, id FROM tags WHERE lower(name) = lower($2) ON CONFLICT DO NOTHING",
                &[&id.0, name],
            )?;
        }
        Ok(())
    }

    /// Whether a write changed the row: one row, or else the row is gone or newer.
    fn changed(&mut self, table: Table, id: i64, changed: u64) -> Result<()> {
        if changed == 1 {
            return Ok(());
        }
        let exists = self.opt(
            &format!("SELECT 1 FROM {} WHERE id = $1", table.name()),
            &[&id],
        )?;
        Err(match exists {
            Some(_) => StoreError::Changed(table.what()),
            None => StoreError::NotFound(table.what()),
        })
    }

    fn insert_task_columns(&mut self, row: &TaskRow) -> Result<()> {
        self.run(
            "INSERT INTO tasks (id, title, description, status, priority, due_date, assignee_id,
                                created_at, updated_at, completed_at, row_version)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
            &[
                &row.id.0,
                &row.title,
                &row.description,
                &row.status,
                &row.priority,
                &row.due_date,
                &row.assignee.map(|a| a.0),
                &row.created_at,
                &row.updated_at,
                &row.completed_at,
                &(row.version + 1),
            ],
        )?;
        Ok(())
    }
}

fn read_task_row(row: &postgres::Row) -> TaskRow {
    TaskRow {
        id: TaskId(row.get(0)),
        title: row.get(1),
        description: row.get(2),
        status: row.get(3),
        priority: row.get(4),
        due_date: row.get(5),
        assignee: row.get::<_, Option<i64>>(6).map(UserId),
        created_at: row.get(7),
        updated_at: row.get(8),
        completed_at: row.get(9),
        version: row.get(10),
        tags: split_tags(row.get(11)),
    }
}

impl Rows for PgRows<'_, '_> {
    fn insert_task(&mut self, fields: &TaskFields, now: &str) -> Result<TaskId> {
        let completed = (fields.status == tasktui_core::model::Status::Done).then_some(now);
        let row = self
            .tx
            .query_one(
                "INSERT INTO tasks (title, description, status, priority, due_date, assignee_id,
                                    created_at, updated_at, completed_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $8) RETURNING id",
                &[
                    &fields.title,
                    &fields.description,
                    &fields.status.as_str(),
                    &fields.priority.as_db(),
                    &due_text(fields.due),
                    &fields.assignee.map(|a| a.0),
                    &now,
                    &completed,
                ],
            )
            .map_err(|e| self.err(e))?;
        let id = TaskId(row.get(0));
        self.set_tags(id, &fields.tags)?;
        Ok(id)
    }

    fn task_row(&mut self, id: TaskId, tags: bool) -> Result<TaskRow> {
        let tags = if tags { TAGS_OF_T } else { "NULL::text" };
        let row = self
            .opt(
                &format!(
                    "SELECT id, title, description, status, priority, due_date, assignee_id,
                            created_at, updated_at, completed_at, row_version, {tags}
                     FROM tasks t WHERE id = $1"
                ),
                &[&id.0],
            )?
            .ok_or(StoreError::NotFound("this task"))?;
        Ok(read_task_row(&row))
    }

    fn update_task(&mut self, id: TaskId, changes: &TaskChanges, now: &str) -> Result<()> {
        let mut sets: Vec<String> = Vec::new();
        let mut values: Vec<Box<dyn ToSql + Sync>> = Vec::new();
        let mut set = |column: &str, value: Box<dyn ToSql + Sync>| {
            values.push(value);
            sets.push(format!("{column} = ${}", values.len()));
        };
        if let Some(title) = &changes.title {
            set("title", Box::new(title.clone()));
        }
        if let Some(description) = &changes.description {
            set("description", Box::new(description.clone()));
        }
        if let Some(priority) = changes.priority {
            set("priority", Box::new(priority.as_db()));
        }
        if let Some(due) = changes.due {
            set("due_date", Box::new(due_text(due)));
        }
        if let Some(assignee) = changes.assignee {
            set("assignee_id", Box::new(assignee.map(|a| a.0)));
        }
        if let Some(status) = changes.status {
            set("status", Box::new(status.as_str().to_string()));
            // Done keeps its first completion time; any other status clears it.
            let at = values.len();
            values.push(Box::new(now.to_string()));
            sets.push(format!(
                "completed_at = CASE WHEN ${at}::text = 'done' THEN coalesce(completed_at, ${}::text) END",
                at + 1
            ));
        }
        values.push(Box::new(now.to_string()));
        sets.push(format!("updated_at = ${}", values.len()));
        values.push(Box::new(id.0));
        let params: Vec<&(dyn ToSql + Sync)> = values.iter().map(|v| v.as_ref()).collect();
        let changed = self.run(
            &format!(
                "UPDATE tasks SET {}, row_version = row_version + 1 WHERE id = ${}",
                sets.join(", "),
                values.len()
            ),
            &params,
        )?;
        self.changed(Table::Tasks, id.0, changed)?;
        match &changes.tags {
            Some(tags) => self.set_tags(id, tags),
            None => Ok(()),
        }
    }

    fn delete_task(&mut self, id: TaskId) -> Result<()> {
        self.run("DELETE FROM tasks WHERE id = $1", &[&id.0])?;
        Ok(())
    }

    fn restore_task(&mut self, row: &TaskRow) -> Result<()> {
        self.insert_task_columns(row)?;
        self.set_tags(row.id, &row.tags)
    }

    fn insert_user(&mut self, fields: &UserFields, now: &str) -> Result<UserId> {
        let row = self
            .tx
            .query_one(
                "INSERT INTO users (username, full_name, email, created_at)
                 VALUES ($1, $2, $3, $4) RETURNING id",
                &[&fields.username, &fields.full_name, &fields.email, &now],
            )
            .map_err(|e| self.err(e))?;
        Ok(UserId(row.get(0)))
    }

    fn user_row(&mut self, id: UserId) -> Result<UserRow> {
        let row = self
            .opt(
                "SELECT id, username, full_name, email, created_at, row_version
                 FROM users WHERE id = $1",
                &[&id.0],
            )?
            .ok_or(StoreError::NotFound("this user"))?;
        Ok(UserRow {
            id: UserId(row.get(0)),
            username: row.get(1),
            full_name: row.get(2),
            email: row.get(3),
            created_at: row.get(4),
            version: row.get(5),
        })
    }

    fn update_user(&mut self, id: UserId, changes: &UserChanges) -> Result<()> {
        let mut sets = Vec::new();
        let mut values: Vec<Box<dyn ToSql + Sync>> = Vec::new();
        if let Some(username) = &changes.username {
            values.push(Box::new(username.clone()));
            sets.push(format!("username = ${}", values.len()));
        }
        if let Some(full_name) = &changes.full_name {
            values.push(Box::new(full_name.clone()));
            sets.push(format!("full_name = ${}", values.len()));
        }
        if let Some(email) = &changes.email {
            values.push(Box::new(email.clone()));
            sets.push(format!("email = ${}", values.len()));
        }
        sets.push("row_version = row_version + 1".into());
        values.push(Box::new(id.0));
        let params: Vec<&(dyn ToSql + Sync)> = values.iter().map(|v| v.as_ref()).collect();
        let changed = self.run(
            &format!(
                "UPDATE users SET {} WHERE id = ${}",
                sets.join(", "),
                values.len()
            ),
            &params,
        )?;
        self.changed(Table::Users, id.0, changed)
    }

    fn restore_user(&mut self, row: &UserRow) -> Result<()> {
        self.run(
            "INSERT INTO users (id, username, full_name, email, created_at, row_version)
             VALUES ($1, $2, $3, $4, $5, $6)",
            &[
                &row.id.0,
                &row.username,
                &row.full_name,
                &row.email,
                &row.created_at,
                &(row.version + 1),
            ],
        )?;
        Ok(())
    }

    fn delete_user(&mut self, id: UserId) -> Result<()> {
        self.run("DELETE FROM users WHERE id = $1", &[&id.0])?;
        Ok(())
    }

    fn assigned_to(&mut self, id: UserId) -> Result<Vec<TaskId>> {
        let rows = self
            .tx
            .query(
                "SELECT id FROM tasks WHERE assignee_id = $1 ORDER BY id FOR UPDATE",
                &[&id.0],
            )
            .map_err(|e| self.err(e))?;
        Ok(rows.iter().map(|r| TaskId(r.get(0))).collect())
    }

    fn username(&mut self, id: UserId) -> Result<Option<String>> {
        Ok(self
            .opt("SELECT username FROM users WHERE id = $1", &[&id.0])?
            .map(|r| r.get(0)))
    }

    fn version_is(&mut self, table: Table, id: i64, version: i64) -> Result<Option<bool>> {
        // Locked until the change commits: a second client's edit of the same row waits here,
        // then finds the new version and is refused.
        Ok(self
            .opt(
                &format!(
                    "SELECT row_version = $2 FROM {} WHERE id = $1 FOR UPDATE",
                    table.name()
                ),
                &[&id, &version],
            )?
            .map(|r| r.get(0)))
    }

    fn fingerprint(&mut self, table: Table, id: i64) -> Result<Option<String>> {
        let sql = match table {
            Table::Tasks => format!("{TASK_CONTENT}{LOCKED}"),
            Table::Users => format!("{USER_CONTENT}{LOCKED}"),
        };
        Ok(self.opt(&sql, &[&vec![id]])?.map(|r| r.get(1)))
    }

    /// Not locked: these are the rows an import wrote in this transaction, which no other
    /// client sees yet (locking a million of them wrote each again).
    fn fingerprints(&mut self, table: Table, ids: &[i64]) -> Result<Vec<Option<String>>> {
        let sql = match table {
            Table::Tasks => TASK_CONTENT,
            Table::Users => USER_CONTENT,
        };
        let mut found = HashMap::with_capacity(ids.len());
        // Ten thousand rows a statement: an import's million in a hundred round trips.
        for chunk in ids.chunks(10_000) {
            let rows = self
                .tx
                .query(sql, &[&chunk])
                .map_err(|e| errors::store_error(&e, self.server))?;
            found.extend(
                rows.iter()
                    .map(|r| (r.get::<_, i64>(0), r.get::<_, String>(1))),
            );
        }
        Ok(ids.iter().map(|id| found.remove(id)).collect())
    }
}
