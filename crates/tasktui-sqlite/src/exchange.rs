//! Export and import in tasktui's own JSON shape: users, then tasks with their tags. An export
//! imported into an empty database gives back the same data (ids and times too), so exporting
//! again is byte-identical. An import is all or nothing, in one transaction, and every rejected
//! row is named by its JSON path with the reason.
use tasktui_core::seam::Session;

use super::writes::{insert_task_columns, tags_of_t};
use super::{Cached, Result, Store};
use crate::from_sqlite;
use rusqlite::params;
use std::collections::HashMap;
use tasktui_core::model::{Change, Priority, TaskId, TaskRow, UserId};
use tasktui_core::stored::split_tags;

pub use tasktui_core::exchange::{Export, FORMAT, Imported, Rejected, TaskOut, UserOut};
use tasktui_core::exchange::{new_users, task_row};
use tasktui_core::seam::Exchange;

impl Store {}

/// How an import goes, and whose change it is.
struct Import<'a> {
    dry: bool,
    again: bool,
    author: Option<&'a str>,
    now: &'a str,
}

/// The import's one transaction; rolled back (by being dropped) unless every row was taken and
/// the import is not dry.
fn import_in(
    conn: &rusqlite::Connection,
    data: &Export,
    how: Import<'_>,
    mut rejected: Vec<Rejected>,
) -> Result<Imported> {
    let tx = rusqlite::Transaction::new_unchecked(conn, rusqlite::TransactionBehavior::Immediate)
        .map_err(from_sqlite)?;
    let mut usernames: HashMap<String, i64> = tx
        .prepare("SELECT username, id FROM users")
        .map_err(from_sqlite)?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .map_err(from_sqlite)?
        .collect::<rusqlite::Result<_>>()
        .map_err(from_sqlite)?;
    let mut users = 0;
    let mut added_users = Vec::new();
    for (i, fields, created_at) in new_users(data, &usernames, &mut rejected) {
        let at = |field: &str| format!("users[{i}].{field}");
        if let Err(e) = tx.execute(
            "INSERT INTO users (username, full_name, email, created_at) VALUES (?1, ?2, ?3, ?4)",
            params![fields.username, fields.full_name, fields.email, created_at],
        ) {
            rejected.push(Rejected {
                at: at("username"),
                reason: from_sqlite(e).to_string(),
            });
            continue;
        }
        usernames.insert(fields.username, tx.last_insert_rowid());
        added_users.push(UserId(tx.last_insert_rowid()));
        users += 1;
    }

    // The search trigger (and into an empty list the order indexes) lifted for the load, inside
    // the transaction: a refused or dry import rolls their absence back.
    // Into an empty list nothing can have come before: the check below is skipped (over a
    // file whose tasks share one creation time, each check read every task written so far).
    let was_empty: bool = tx
        .one("SELECT NOT EXISTS (SELECT 1 FROM tasks)", [], |r| r.get(0))
        .map_err(from_sqlite)?;
    let lifted = super::bulk::lift(&tx).map_err(from_sqlite)?;
    tx.execute_batch("CREATE TEMP TABLE imported_tasks (id INTEGER PRIMARY KEY)")
        .map_err(from_sqlite)?;
    let mut tag_ids: HashMap<String, i64> = tx
        .prepare("SELECT name, id FROM tags")
        .map_err(from_sqlite)?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .map_err(from_sqlite)?
        .collect::<rusqlite::Result<_>>()
        .map_err(from_sqlite)?;
    let mut tasks = 0;
    let mut already = Vec::new();
    for (i, task) in data.tasks.iter().enumerate() {
        tasktui_core::progress::every_thousand("tasks", i, data.tasks.len());
        let at = |field: &str| format!("tasks[{i}].{field}");
        let row = match task_row(&usernames, task) {
            Ok(row) => row,
            Err((field, reason)) => {
                rejected.push(Rejected {
                    at: at(field),
                    reason,
                });
                continue;
            }
        };
        if !rejected.is_empty() {
            // Checking the rest is all that is left to do.
            continue;
        }
        // A task with this title and creation time came with this file (or a copy of it)
        // before; read through the order by creation (open and done alike). Not one this import
        // wrote: a file may hold the same title twice at the same second (the demo's does).
        if !how.again
            && !was_empty
            && tx
                .one(
                    "SELECT EXISTS (SELECT 1 FROM tasks WHERE (status = 'done') IN (0, 1)
                        AND created_at = ?1 AND title = ?2
                        AND id NOT IN (SELECT id FROM temp.imported_tasks))",
                    [&row.created_at, &row.title],
                    |r| r.get::<_, bool>(0),
                )
                .map_err(from_sqlite)?
        {
            already.push((i, row.title.clone()));
        }
        let free: bool = tx
            .one(
                "SELECT NOT EXISTS (SELECT 1 FROM tasks WHERE id = ?1)",
                [row.id.0],
                |r| r.get(0),
            )
            .map_err(from_sqlite)?;
        let row = if free {
            row
        } else {
            let next: i64 = tx
                .one("SELECT ifnull(max(id), 0) + 1 FROM tasks", [], |r| r.get(0))
                .map_err(from_sqlite)?;
            TaskRow {
                id: TaskId(next),
                ..row
            }
        };
        if let Err(e) = insert_task_columns(&tx, &row) {
            rejected.push(Rejected {
                at: at("id"),
                reason: e.to_string(),
            });
            continue;
        }
        tx.run(
            "INSERT INTO temp.imported_tasks (id) VALUES (?1)",
            [row.id.0],
        )
        .map_err(from_sqlite)?;
        for name in &row.tags {
            let tag = match tag_ids.get(name) {
                Some(&id) => id,
                None => {
                    tx.run("INSERT INTO tags (name) VALUES (?1)", [name])
                        .map_err(from_sqlite)?;
                    let id = tx.last_insert_rowid();
                    tag_ids.insert(name.clone(), id);
                    id
                }
            };
            tx.run(
                "INSERT OR IGNORE INTO task_tags (task_id, tag_id) VALUES (?1, ?2)",
                [row.id.0, tag],
            )
            .map_err(from_sqlite)?;
        }
        tasks += 1;
    }
    rejected.extend(tasktui_core::carry::already_imported(&already));
    if !rejected.is_empty() {
        return Ok(Imported::Rejected(rejected));
    }
    lifted
        .restore(&tx, "id IN (SELECT id FROM temp.imported_tasks)")
        .map_err(from_sqlite)?;
    let added_tasks: Vec<TaskId> = tx
        .prepare("SELECT id FROM temp.imported_tasks ORDER BY id")
        .map_err(from_sqlite)?
        .query_map([], |r| Ok(TaskId(r.get(0)?)))
        .map_err(from_sqlite)?
        .collect::<rusqlite::Result<_>>()
        .map_err(from_sqlite)?;
    tx.execute_batch("DROP TABLE temp.imported_tasks")
        .map_err(from_sqlite)?;
    if !how.dry {
        let inverse = tasktui_core::carry::import_inverse(
            &mut super::writes::Lite(&tx),
            &added_tasks,
            &added_users,
        )?;
        super::apply::record(
            &tx,
            how.author,
            how.now,
            &tasktui_core::carry::import_summary(users, tasks),
            &Change::Batch(Vec::new()),
            &inverse,
        )?;
        tx.commit().map_err(from_sqlite)?;
    }
    Ok(Imported::Done { users, tasks })
}

impl Exchange for Store {
    /// Every user (by username) and task (by id), with its tags.
    fn export(&self) -> Result<Export> {
        let users = self
            .conn
            .prepare("SELECT username, full_name, email, created_at FROM users ORDER BY username")
            .map_err(from_sqlite)?
            .query_map([], |r| {
                Ok(UserOut {
                    username: r.get(0)?,
                    full_name: r.get(1)?,
                    email: r.get(2)?,
                    created_at: r.get(3)?,
                })
            })
            .map_err(from_sqlite)?
            .collect::<rusqlite::Result<_>>()
            .map_err(from_sqlite)?;
        let tasks = self
            .conn
            .prepare(concat!(
                "SELECT t.id, t.title, t.description, t.status, t.priority, t.due_date,
                        u.username, t.created_at, t.updated_at, t.completed_at, ",
                tags_of_t!(),
                " FROM tasks t LEFT JOIN users u ON u.id = t.assignee_id ORDER BY t.id"
            ))
            .map_err(from_sqlite)?
            .query_map([], |r| {
                Ok(TaskOut {
                    id: r.get(0)?,
                    title: r.get(1)?,
                    description: r.get(2)?,
                    status: r.get(3)?,
                    priority: Priority::from_db(r.get(4)?).as_str().to_string(),
                    due: r.get(5)?,
                    assignee: r.get(6)?,
                    created_at: r.get(7)?,
                    updated_at: r.get(8)?,
                    completed_at: r.get(9)?,
                    tags: split_tags(r.get(10)?),
                })
            })
            .map_err(from_sqlite)?
            .collect::<rusqlite::Result<_>>()
            .map_err(from_sqlite)?;
        Ok(Export {
            tasktui_export: FORMAT,
            users,
            tasks,
        })
    }

    /// Imports `data` in one transaction: every row is checked against tasktui's rules first,
    /// and one refused row refuses all. Users are matched by username (an existing one is kept);
    /// tasks keep their ids when those are free, else get new ones. `dry` checks only. The
    /// import is one change in the person's history (its undo removes exactly what it added);
    /// tasks already here from an earlier import of the same file are refused unless `again`.
    fn import(&self, data: &Export, dry: bool, again: bool) -> Result<Imported> {
        self.writable()?;
        let mut rejected = Vec::new();
        if data.tasktui_export != FORMAT {
            rejected.push(Rejected {
                at: "tasktui_export".into(),
                reason: format!("is {}, this tasktui reads {FORMAT}", data.tasktui_export),
            });
        }
        // A large load keeps its pages in memory rather than spilling them to the WAL one by one.
        self.conn
            .pragma_update(None, "cache_size", -131_072)
            .map_err(from_sqlite)?;
        let outcome = import_in(
            &self.conn,
            data,
            Import {
                dry,
                again,
                author: self.author.as_deref(),
                now: &self.clock.stamp(),
            },
            rejected,
        );
        self.conn
            .pragma_update(None, "cache_size", super::open::CACHE_KIB)
            .map_err(from_sqlite)?;
        outcome
    }
}
