//! Export and import on the server, in tasktui's own format: the same shape and checks as on
//! SQLite; an import sends thousands of tasks a statement.

use super::rows::{PgRows, TAGS_OF_T};
use super::{PgStore, Server, errors};
use postgres::{GenericClient, Transaction};
use std::collections::HashMap;
use tasktui_core::carry::{already_imported, import_inverse, import_summary};
use tasktui_core::error::Result;
use tasktui_core::exchange::{
    Export, FORMAT, Imported, Rejected, TaskOut, UserOut, new_users, task_row as checked_row,
};
use tasktui_core::model::{Change, Priority, TaskId, TaskRow, UserId};
use tasktui_core::seam::Exchange;
use tasktui_core::stored::split_tags;

impl PgStore {}

/// Every user (by username) and task (by id) with its tags; a database before tags (V9) has none.
pub(super) fn export(client: &mut impl GenericClient) -> Result<Export, postgres::Error> {
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

/// The rows an import added, for its undo.
#[derive(Default)]
struct Added {
    tasks: Vec<TaskId>,
    users: Vec<UserId>,
}

fn import_in(
    tx: &mut Transaction<'_>,
    server: &Server,
    data: &Export,
    again: bool,
) -> Result<(Imported, Added)> {
    let mut added = Added::default();
    let err = |e: postgres::Error| errors::store_error(&e, server);
    let mut rejected = Vec::new();
    if data.tasktui_export != FORMAT {
        rejected.push(Rejected {
            at: "tasktui_export".into(),
            reason: format!("is {}, this tasktui reads {FORMAT}", data.tasktui_export),
        });
    }
    // Other imports and schema changes wait: ids are chosen below from what is there. A load's
    // statements are not bounded in time, as a migration's are not: a million tasks' indexes
    // take their time.
    tx.batch_execute(
        "SET LOCAL statement_timeout = 0;
         LOCK TABLE users, tasks, tags IN SHARE ROW EXCLUSIVE MODE",
    )
    .map_err(err)?;
    let mut usernames: HashMap<String, i64> = tx
        .query("SELECT username, id FROM users", &[])
        .map_err(err)?
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    let mut users = 0;
    for (i, fields, created_at) in new_users(data, &usernames, &mut rejected) {
        tx.batch_execute("SAVEPOINT import_row").map_err(err)?;
        match tx.query_one(
            "INSERT INTO users (username, full_name, email, created_at) VALUES ($1, $2, $3, $4)
             RETURNING id",
            &[
                &fields.username,
                &fields.full_name,
                &fields.email,
                &created_at,
            ],
        ) {
            Ok(row) => {
                usernames.insert(fields.username, row.get(0));
                added.users.push(UserId(row.get(0)));
                users += 1;
            }
            Err(e) => {
                tx.batch_execute("ROLLBACK TO SAVEPOINT import_row")
                    .map_err(err)?;
                rejected.push(Rejected {
                    at: format!("users[{i}].username"),
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
    // The rows are checked here and made again a chunk at a time as they are written: a
    // million tasks are not held twice (the file's and the rows'), only their ids and titles.
    let mut ids = Vec::with_capacity(data.tasks.len());
    let mut titles = Vec::new();
    for (i, task) in data.tasks.iter().enumerate() {
        tasktui_core::progress::every_thousand("checking tasks", i, data.tasks.len());
        match checked_row(&usernames, task) {
            Ok(row) if rejected.is_empty() => {
                ids.push(row.id.0);
                if !again {
                    titles.push(row.title);
                }
            }
            Ok(_) => {}
            Err((field, reason)) => rejected.push(Rejected {
                at: format!("tasks[{i}].{field}"),
                reason,
            }),
        }
    }
    if !again && rejected.is_empty() {
        // A task with this title and creation time came with this file (or a copy of it)
        // before.
        let times: Vec<&str> = data.tasks.iter().map(|t| t.created_at.as_str()).collect();
        let found: Vec<(usize, String)> = tx
            .query(
                "SELECT x.i - 1 FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS x(t, c, i)
                 WHERE EXISTS (SELECT 1 FROM tasks WHERE ((status = 'done')::int) IN (0, 1)
                               AND created_at = x.c AND title = x.t)
                 ORDER BY x.i",
                &[&titles, &times],
            )
            .map_err(err)?
            .iter()
            .map(|r| {
                let i = usize::try_from(r.get::<_, i64>(0)).unwrap_or_default();
                (i, titles[i].clone())
            })
            .collect();
        rejected.extend(already_imported(&found));
    }
    drop(titles);
    if !rejected.is_empty() {
        return Ok((Imported::Rejected(rejected), added));
    }
    let mut given = std::collections::HashSet::new();
    for id in &mut ids {
        // An id taken in the database, or twice in the file, gets the next free one.
        if taken.contains(id) || !given.insert(*id) {
            while taken.contains(&next) || given.contains(&next) {
                next += 1;
            }
            *id = next;
            given.insert(next);
        }
        next = next.max(*id + 1);
    }
    drop(given);
    // Thousands of rows a statement, as arrays: one round trip each, not one a row. They go to
    // a table of this transaction first and into `tasks` in one statement, so the counts kept
    // by statement (V8) are changed once, not once a chunk: a million tasks in 2,000-row
    // statements had rewritten each count hundreds of times, and left the table the first frame
    // reads at 36 MB for 9,000 rows.
    tx.batch_execute(
        "CREATE TEMPORARY TABLE import_tasks (LIKE tasks INCLUDING DEFAULTS) ON COMMIT DROP;
         CREATE TEMPORARY TABLE import_tags (task_id bigint, name text, i bigserial) ON COMMIT DROP;",
    )
    .map_err(err)?;
    for (n, (tasks, given)) in data.tasks.chunks(2_000).zip(ids.chunks(2_000)).enumerate() {
        tasktui_core::progress::report(
            "writing tasks",
            u64::try_from(n * 2_000).unwrap_or(u64::MAX),
            u64::try_from(ids.len()).unwrap_or(u64::MAX),
        );
        let chunk: Vec<TaskRow> = tasks
            .iter()
            .zip(given)
            .filter_map(|(task, &id)| {
                let mut row = checked_row(&usernames, task).ok()?;
                row.id = TaskId(id);
                Some(row)
            })
            .collect();
        let column = |f: &dyn Fn(&TaskRow) -> Option<String>| -> Vec<Option<String>> {
            chunk.iter().map(f).collect()
        };
        let task_ids: Vec<i64> = chunk.iter().map(|r| r.id.0).collect();
        let priorities: Vec<i64> = chunk.iter().map(|r| r.priority).collect();
        let assignees: Vec<Option<i64>> = chunk.iter().map(|r| r.assignee.map(|a| a.0)).collect();
        let versions: Vec<i64> = chunk.iter().map(|r| r.version + 1).collect();
        tx.execute(
            "INSERT INTO import_tasks (id, title, description, status, priority, due_date,
                                       assignee_id, created_at, updated_at, completed_at,
                                       row_version)
             SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::bigint[],
                                  $6::text[], $7::bigint[], $8::text[], $9::text[], $10::text[],
                                  $11::bigint[])",
            &[
                &task_ids,
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
            "INSERT INTO import_tags (task_id, name) SELECT * FROM unnest($1::bigint[], $2::text[])",
            &[&tagged, &names],
        )
        .map_err(err)?;
    }
    tasktui_core::progress::report("indexing tasks", 0, 1);
    // Into an empty list, the list's indexes are made after the load, not kept row by row:
    // each is one sort (the search indexes most of all: a million tasks' letters and pairs
    // gathered row by row took two minutes). Inside this transaction, so they are back, or
    // never gone, whatever happens; meanwhile others' reads of the list wait, as its writes do.
    let lifted: Vec<String> = if taken.is_empty() {
        lift_indexes(tx).map_err(err)?
    } else {
        Vec::new()
    };
    drop(taken);
    tx.batch_execute(
        "INSERT INTO tasks (id, title, description, status, priority, due_date, assignee_id,
                            created_at, updated_at, completed_at, row_version)
         SELECT id, title, description, status, priority, due_date, assignee_id,
                created_at, updated_at, completed_at, row_version FROM import_tasks;
         -- A name met in several spellings keeps its first.
         INSERT INTO tags (name)
         SELECT DISTINCT ON (lower(name)) name FROM import_tags ORDER BY lower(name), i
         ON CONFLICT DO NOTHING;
         INSERT INTO task_tags (task_id, tag_id)
         SELECT x.task_id, g.id FROM import_tags x JOIN tags g ON lower(g.name) = lower(x.name)
         ON CONFLICT DO NOTHING;",
    )
    .map_err(err)?;
    for definition in &lifted {
        tx.batch_execute(definition).map_err(err)?;
    }
    let tasks = ids.len();
    added.tasks = ids.into_iter().map(TaskId).collect();
    // Ids given by the file are past the sequence: the next new task must not collide.
    tx.batch_execute(
        "SELECT setval(pg_get_serial_sequence('tasks', 'id'), greatest(max(id), 1)) FROM tasks;
         SELECT setval(pg_get_serial_sequence('users', 'id'), greatest(max(id), 1)) FROM users;",
    )
    .map_err(err)?;
    Ok((Imported::Done { users, tasks }, added))
}

/// Drops the indexes of `tasks` but its key (which the load's ids are checked against), with
/// more memory for their sorts when they are made again; returns how to make them again.
fn lift_indexes(tx: &mut Transaction<'_>) -> Result<Vec<String>, postgres::Error> {
    let indexes: Vec<(String, String)> = tx
        .query(
            "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
             FROM pg_index i WHERE i.indrelid = 'tasks'::regclass AND NOT i.indisprimary
             ORDER BY 1",
            &[],
        )?
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    tx.batch_execute("SET LOCAL maintenance_work_mem = '256MB'")?;
    for (name, _) in &indexes {
        tx.batch_execute(&format!("DROP INDEX {name}"))?;
    }
    Ok(indexes
        .into_iter()
        .map(|(_, definition)| definition)
        .collect())
}

impl Exchange for PgStore {
    fn export(&self) -> Result<Export> {
        let mut client = self.client()?;
        export(&mut *client).map_err(|e| self.error(&e))
    }

    /// Imports `data` in one transaction, all or nothing, as the SQLite backend does.
    fn import(&self, data: &Export, dry: bool, again: bool) -> Result<Imported> {
        let now = self.clock.stamp();
        let mut client = self.client()?;
        let mut tx = client.transaction().map_err(|e| self.error(&e))?;
        let (outcome, added) = import_in(&mut tx, &self.server, data, again)?;
        if let (Imported::Done { users, tasks }, false) = (&outcome, dry) {
            let inverse = import_inverse(
                &mut PgRows {
                    tx: &mut tx,
                    server: &self.server,
                },
                &added.tasks,
                &added.users,
            )?;
            let token = self.record(
                &mut tx,
                &now,
                &import_summary(*users, *tasks),
                &Change::Batch(Vec::new()),
                &inverse,
            )?;
            let committed = tx.commit();
            drop(client);
            self.outcome(committed, &token)?;
        }
        Ok(outcome)
    }
}
