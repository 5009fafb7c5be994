//! Writes on the server: the row steps of a change (`carry::Rows`), the change recorded with
//! its inverse for undo and redo, and export and import in tasktui's own format.

use super::{PgStore, Server, errors};
use crate::model::{
    Change, Priority, TaskChanges, TaskFields, TaskId, TaskRow, UserChanges, UserFields, UserId,
    UserRow,
};
use crate::store::apply::{Applied, HISTORY_KEPT, json};
use crate::store::carry::{Rows, Table, apply_in};
use crate::store::exchange::{
    Export, FORMAT, Imported, Rejected, TaskOut, UserOut, field_name, task_row as checked_row,
};
use crate::store::writes::{due_text, split_tags};
use crate::store::{Result, StoreError};
use postgres::types::ToSql;
use postgres::{GenericClient, Transaction};
use std::collections::HashMap;

/// A task's tags (over alias `t`), as one space-separated string in order of name.
pub(super) const TAGS_OF_T: &str = "(SELECT string_agg(g.name, ' ' ORDER BY lower(g.name) COLLATE \"C\", g.name) \
     FROM task_tags tt JOIN tags g ON g.id = tt.tag_id WHERE tt.task_id = t.id)";

/// The columns a person edits, as one string: what `Expect::Content` compares. The row is
/// locked, so no other client changes it between this check and the write.
const TASK_CONTENT: &str = "SELECT quote_nullable(t.title) || ',' || quote_nullable(t.description) || ',' || \
     quote_nullable(t.status) || ',' || quote_nullable(t.priority) || ',' || \
     quote_nullable(t.due_date) || ',' || quote_nullable(t.assignee_id) || \
     coalesce(',' || (SELECT string_agg(g.name, ' ' ORDER BY lower(g.name) COLLATE \"C\", g.name) \
     FROM task_tags tt JOIN tags g ON g.id = tt.tag_id WHERE tt.task_id = t.id), '') \
     FROM tasks t WHERE t.id = $1 FOR UPDATE";
const USER_CONTENT: &str = "SELECT quote_nullable(username) || ',' || quote_nullable(full_name) || ',' || \
     quote_nullable(email) FROM users WHERE id = $1 FOR UPDATE";

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
        let completed = (fields.status == crate::model::Status::Done).then_some(now);
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
            Table::Tasks => TASK_CONTENT,
            Table::Users => USER_CONTENT,
        };
        Ok(self.opt(sql, &[&id])?.map(|r| r.get(0)))
    }
}

impl PgStore {
    /// Carries out `change` in one transaction and records it, with its inverse, in the
    /// history of this store's author.
    pub fn apply(&self, change: &Change) -> Result<Applied> {
        let now = self.clock.stamp();
        let mut client = self.client()?;
        let mut tx = client.transaction().map_err(|e| self.error(&e))?;
        let done = apply_in(
            &mut PgRows {
                tx: &mut tx,
                server: &self.server,
            },
            change,
            &now,
        )?;
        let run = |tx: &mut Transaction<'_>, sql: &str, params: &[&(dyn ToSql + Sync)]| {
            tx.execute(sql, params).map_err(|e| self.error(&e))
        };
        // A new change ends what could be redone.
        run(
            &mut tx,
            "DELETE FROM changes WHERE author IS NOT DISTINCT FROM $1 AND undone",
            &[&self.author],
        )?;
        let recorded: i64 = tx
            .query_one(
                "INSERT INTO changes (author, at, summary, change, inverse)
                 VALUES ($1, $2, $3, $4, $5) RETURNING id",
                &[
                    &self.author,
                    &now,
                    &done.applied.summary,
                    &json(change)?,
                    &json(&done.inverse)?,
                ],
            )
            .map_err(|e| self.error(&e))?
            .get(0);
        let mut touched = change.tasks();
        touched.extend(done.inverse.tasks());
        touched.sort_unstable();
        touched.dedup();
        let ids: Vec<i64> = touched.iter().map(|t| t.0).collect();
        run(
            &mut tx,
            "INSERT INTO change_tasks (task_id, change_id) SELECT unnest($1::bigint[]), $2
             ON CONFLICT DO NOTHING",
            &[&ids, &recorded],
        )?;
        run(
            &mut tx,
            "DELETE FROM changes WHERE id <= $1",
            &[&(recorded - HISTORY_KEPT)],
        )?;
        tx.commit().map_err(|e| self.error(&e))?;
        Ok(done.applied)
    }

    pub fn undo(&self) -> Result<Option<String>> {
        self.step("NOT undone ORDER BY id DESC", "inverse", true, "change")
    }

    pub fn redo(&self) -> Result<Option<String>> {
        self.step("undone ORDER BY id ASC", "change", false, "inverse")
    }

    fn step(&self, pick: &str, apply: &str, undone: bool, other: &str) -> Result<Option<String>> {
        let now = self.clock.stamp();
        let mut client = self.client()?;
        let mut tx = client.transaction().map_err(|e| self.error(&e))?;
        let row = tx
            .query_opt(
                &format!(
                    "SELECT id, summary, {apply} FROM changes
                     WHERE author IS NOT DISTINCT FROM $1 AND {pick} LIMIT 1 FOR UPDATE"
                ),
                &[&self.author],
            )
            .map_err(|e| self.error(&e))?;
        let Some(row) = row else {
            return Ok(None);
        };
        let (id, summary, stored): (i64, String, String) = (row.get(0), row.get(1), row.get(2));
        let change: Change = serde_json::from_str(&stored)
            .map_err(|e| StoreError::Corrupt(format!("history entry {id}: {e}")))?;
        let done = apply_in(
            &mut PgRows {
                tx: &mut tx,
                server: &self.server,
            },
            &change,
            &now,
        )?;
        tx.execute(
            &format!("UPDATE changes SET undone = $1, {other} = $2 WHERE id = $3"),
            &[&undone, &json(&done.inverse)?, &id],
        )
        .map_err(|e| self.error(&e))?;
        tx.commit().map_err(|e| self.error(&e))?;
        Ok(Some(summary))
    }

    pub fn export(&self) -> Result<Export> {
        let mut client = self.client()?;
        export(
            &mut *client,
            crate::store::migrate::latest(super::migrate::MIGRATIONS),
        )
        .map_err(|e| self.error(&e))
    }

    /// Imports `data` in one transaction, all or nothing, as the SQLite backend does.
    pub fn import(&self, data: &Export, dry: bool) -> Result<Imported> {
        let mut client = self.client()?;
        let mut tx = client.transaction().map_err(|e| self.error(&e))?;
        let outcome = import_in(&mut tx, &self.server, data)?;
        if matches!(outcome, Imported::Done { .. }) && !dry {
            tx.commit().map_err(|e| self.error(&e))?;
        }
        Ok(outcome)
    }
}

/// Every user (by username) and task (by id) with its tags; a database before tags (V9) has none.
pub(super) fn export(
    client: &mut impl GenericClient,
    _version: u32,
) -> Result<Export, postgres::Error> {
    let users = client
        .query(
            "SELECT username, full_name, email, created_at FROM users ORDER BY username",
            &[],
        )?
        .iter()
        .map(|r| UserOut {
            username: r.get(0),
            full_name: r.get(1),
            email: r.get(2),
            created_at: r.get(3),
        })
        .collect();
    let tagged: bool = client
        .query_one("SELECT to_regclass('task_tags') IS NOT NULL", &[])?
        .get(0);
    let tags = if tagged { TAGS_OF_T } else { "NULL::text" };
    let tasks = client
        .query(
            &format!(
                "SELECT t.id, t.title, t.description, t.status, t.priority, t.due_date,
                        u.username, t.created_at, t.updated_at, t.completed_at, {tags}
                 FROM tasks t LEFT JOIN users u ON u.id = t.assignee_id ORDER BY t.id"
            ),
            &[],
        )?
        .iter()
        .map(|r| TaskOut {
            id: r.get(0),
            title: r.get(1),
            description: r.get(2),
            status: r.get(3),
            priority: Priority::from_db(r.get(4)).as_str().to_string(),
            due: r.get(5),
            assignee: r.get(6),
            created_at: r.get(7),
            updated_at: r.get(8),
            completed_at: r.get(9),
            tags: split_tags(r.get(10)),
        })
        .collect();
    Ok(Export {
        tasktui_export: FORMAT,
        users,
        tasks,
    })
}

fn import_in(tx: &mut Transaction<'_>, server: &Server, data: &Export) -> Result<Imported> {
    let err = |e: postgres::Error| errors::store_error(&e, server);
    let mut rejected = Vec::new();
    if data.tasktui_export != FORMAT {
        rejected.push(Rejected {
            at: "tasktui_export".into(),
            reason: format!("is {}, this tasktui reads {FORMAT}", data.tasktui_export),
        });
    }
    // Other imports and schema changes wait: ids are chosen below from what is there.
    tx.batch_execute("LOCK TABLE users, tasks, tags IN SHARE ROW EXCLUSIVE MODE")
        .map_err(err)?;
    let mut usernames: HashMap<String, i64> = tx
        .query("SELECT username, id FROM users", &[])
        .map_err(err)?
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    let mut users = 0;
    for (i, user) in data.users.iter().enumerate() {
        let at = |field: &str| format!("users[{i}].{field}");
        let fields = match crate::model::validate_user(
            &user.username,
            &user.full_name,
            user.email.as_deref().unwrap_or(""),
        ) {
            Ok(fields) => fields,
            Err(e) => {
                rejected.push(Rejected {
                    at: at(field_name(e.field)),
                    reason: e.message,
                });
                continue;
            }
        };
        if usernames.contains_key(&fields.username) {
            continue;
        }
        tx.batch_execute("SAVEPOINT import_row").map_err(err)?;
        match tx.query_one(
            "INSERT INTO users (username, full_name, email, created_at) VALUES ($1, $2, $3, $4)
             RETURNING id",
            &[
                &fields.username,
                &fields.full_name,
                &fields.email,
                &user.created_at,
            ],
        ) {
            Ok(row) => {
                usernames.insert(fields.username, row.get(0));
                users += 1;
            }
            Err(e) => {
                tx.batch_execute("ROLLBACK TO SAVEPOINT import_row")
                    .map_err(err)?;
                rejected.push(Rejected {
                    at: at("username"),
                    reason: errors::store_error(&e, server).to_string(),
                });
            }
        }
    }
    let mut next: i64 = tx
        .query_one("SELECT coalesce(max(id), 0) + 1 FROM tasks", &[])
        .map_err(err)?
        .get(0);
    let taken: std::collections::HashSet<i64> = tx
        .query("SELECT id FROM tasks", &[])
        .map_err(err)?
        .iter()
        .map(|r| r.get(0))
        .collect();
    let mut rows = Vec::with_capacity(data.tasks.len());
    for (i, task) in data.tasks.iter().enumerate() {
        match checked_row(&usernames, task) {
            Ok(row) if rejected.is_empty() => rows.push(row),
            Ok(_) => {}
            Err((field, reason)) => rejected.push(Rejected {
                at: format!("tasks[{i}].{field}"),
                reason,
            }),
        }
    }
    if !rejected.is_empty() {
        return Ok(Imported::Rejected(rejected));
    }
    let mut given = std::collections::HashSet::new();
    for row in &mut rows {
        // An id taken in the database, or twice in the file, gets the next free one.
        if taken.contains(&row.id.0) || !given.insert(row.id.0) {
            while taken.contains(&next) || given.contains(&next) {
                next += 1;
            }
            row.id = TaskId(next);
            given.insert(next);
        }
        next = next.max(row.id.0 + 1);
    }
    // Thousands of rows a statement, as arrays: one round trip each, not one a row.
    for chunk in rows.chunks(2_000) {
        let column = |f: &dyn Fn(&TaskRow) -> Option<String>| -> Vec<Option<String>> {
            chunk.iter().map(f).collect()
        };
        let ids: Vec<i64> = chunk.iter().map(|r| r.id.0).collect();
        let priorities: Vec<i64> = chunk.iter().map(|r| r.priority).collect();
        let assignees: Vec<Option<i64>> = chunk.iter().map(|r| r.assignee.map(|a| a.0)).collect();
        let versions: Vec<i64> = chunk.iter().map(|r| r.version + 1).collect();
        tx.execute(
            "INSERT INTO tasks (id, title, description, status, priority, due_date, assignee_id,
                                created_at, updated_at, completed_at, row_version)
             SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::bigint[],
                                  $6::text[], $7::bigint[], $8::text[], $9::text[], $10::text[],
                                  $11::bigint[])",
            &[
                &ids,
                &column(&|r| Some(r.title.clone())),
                &column(&|r| Some(r.description.clone())),
                &column(&|r| Some(r.status.clone())),
                &priorities,
                &column(&|r| r.due_date.clone()),
                &assignees,
                &column(&|r| Some(r.created_at.clone())),
                &column(&|r| Some(r.updated_at.clone())),
                &column(&|r| r.completed_at.clone()),
                &versions,
            ],
        )
        .map_err(err)?;
        let (tagged, names): (Vec<i64>, Vec<String>) = chunk
            .iter()
            .flat_map(|r| r.tags.iter().map(move |t| (r.id.0, t.clone())))
            .unzip();
        tx.execute(
            // A name met in several spellings keeps its first.
            "INSERT INTO tags (name)
             SELECT DISTINCT ON (lower(n)) n FROM unnest($1::text[]) WITH ORDINALITY AS x(n, i)
             ORDER BY lower(n), i
             ON CONFLICT DO NOTHING",
            &[&names],
        )
        .map_err(err)?;
        tx.execute(
            "INSERT INTO task_tags (task_id, tag_id)
             SELECT x.t, g.id FROM unnest($1::bigint[], $2::text[]) AS x(t, n)
             JOIN tags g ON lower(g.name) = lower(x.n) ON CONFLICT DO NOTHING",
            &[&tagged, &names],
        )
        .map_err(err)?;
    }
    let tasks = rows.len();
    // Ids given by the file are past the sequence: the next new task must not collide.
    tx.batch_execute(
        "SELECT setval(pg_get_serial_sequence('tasks', 'id'), greatest(max(id), 1)) FROM tasks;
         SELECT setval(pg_get_serial_sequence('users', 'id'), greatest(max(id), 1)) FROM users;",
    )
    .map_err(err)?;
    Ok(Imported::Done { users, tasks })
}
