//! Loading many tasks at once (an import, the demo): what the load lifts for speed and puts
//! back exactly, inside the load's own transaction, so that a load that fails or is rolled back
//! leaves the schema as it was.

use rusqlite::Connection;

/// The triggers that follow each inserted row, and what a load does at its end instead, for
/// all the loaded rows at once (`{loaded}`: a condition over `tasks` selecting them).
const TRIGGERS: [(&str, &str); 6] = [
    // Each search index gathers 64 MiB of words in memory before it writes them, and merges none
    // of the few segments that makes while loading (1 MiB and merging by fours, its defaults,
    // after the load): a third of the time at a million, and fewer segments to read than merging
    // as it goes leaves.
    (
        "tasks_search_insert",
        "INSERT INTO tasks_search (tasks_search, rank) VALUES ('hashsize', 67108864);
         INSERT INTO tasks_search (tasks_search, rank) VALUES ('automerge', 0);
         INSERT INTO tasks_search (rowid, title, description)
         SELECT id, title, description FROM tasks WHERE {loaded};
         INSERT INTO tasks_search (tasks_search, rank) VALUES ('hashsize', 1048576);
         INSERT INTO tasks_search (tasks_search, rank) VALUES ('automerge', 4);",
    ),
    // The words the `task_grams` view gives, computed in Rust (`grams::of_task`): the view's
    // SQL reads each byte through the virtual machine, a minute for a million tasks.
    (
        "tasks_grams_insert",
        "INSERT INTO tasks_grams (tasks_grams, rank) VALUES ('hashsize', 67108864);
         INSERT INTO tasks_grams (tasks_grams, rank) VALUES ('automerge', 0);
         INSERT INTO tasks_grams (rowid, grams)
         SELECT id, tasktui_grams(CAST(title AS TEXT), CAST(description AS TEXT)) FROM tasks WHERE {loaded};
         INSERT INTO tasks_grams (tasks_grams, rank) VALUES ('hashsize', 1048576);
         INSERT INTO tasks_grams (tasks_grams, rank) VALUES ('automerge', 4);",
    ),
    (
        "task_counts_insert",
        "INSERT INTO task_counts (assignee, done, due, n)
         SELECT ifnull(assignee_id, 0), status = 'done', ifnull(due_date, ''), count(*)
         FROM tasks WHERE {loaded} GROUP BY 1, 2, 3
         ON CONFLICT (assignee, done, due) DO UPDATE SET n = n + excluded.n;",
    ),
    (
        "task_tags_count_insert",
        "UPDATE tags SET tasks = (SELECT count(*) FROM task_tags WHERE tag_id = tags.id);",
    ),
    // A load writes new ids and new tag rows only: the guards against replacing rows have
    // nothing to guard.
    ("tasks_refuse_insert_over", ""),
    ("task_tags_ignore_insert_again", ""),
];

/// The triggers and (into an empty list) the order indexes lifted for a load.
#[derive(Debug)]
pub(super) struct Lifted {
    triggers: Vec<(&'static str, String)>,
    indexes: Vec<(String, String)>,
}

/// Lifts, for a load into `conn`'s open transaction: the row-by-row triggers cost more than the
/// rest of the load, and into an empty list each order index built once from the loaded rows
/// (a sort) is quicker than kept in order row by row.
pub(super) fn lift(conn: &Connection) -> rusqlite::Result<Lifted> {
    super::grams::register(conn)?;
    let mut triggers = Vec::new();
    for (name, _) in TRIGGERS {
        let sql: Option<String> = conn
            .query_row(
                "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?1",
                [name],
                |r| r.get(0),
            )
            .ok();
        if let Some(sql) = sql {
            conn.execute_batch(&format!("DROP TRIGGER \"{name}\""))?;
            triggers.push((name, sql));
        }
    }
    let empty: bool =
        conn.query_row("SELECT NOT EXISTS (SELECT 1 FROM tasks)", [], |r| r.get(0))?;
    let indexes: Vec<(String, String)> = if empty {
        conn.prepare(
            "SELECT name, sql FROM sqlite_master
             WHERE type = 'index' AND tbl_name = 'tasks' AND sql IS NOT NULL",
        )?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?
    } else {
        Vec::new()
    };
    for (name, _) in &indexes {
        conn.execute_batch(&format!("DROP INDEX \"{name}\""))?;
    }
    Ok(Lifted { triggers, indexes })
}

impl Lifted {
    /// Does for the loaded tasks (`loaded`: a condition over `tasks` that selects them) at once
    /// what the lifted triggers would have done row by row, and puts back the triggers and the
    /// indexes as their own SQL made them.
    pub(super) fn restore(self, conn: &Connection, loaded: &str) -> rusqlite::Result<()> {
        for (name, sql) in &self.triggers {
            let instead = TRIGGERS
                .iter()
                .find(|(n, _)| n == name)
                .map_or("", |(_, instead)| instead);
            conn.execute_batch(&instead.replace("{loaded}", loaded))?;
            conn.execute_batch(sql)?;
        }
        // Building an index sorts every row: let SQLite sort on more than one core.
        conn.pragma_update(None, "threads", 4)?;
        for (_, sql) in &self.indexes {
            conn.execute_batch(sql)?;
        }
        conn.pragma_update(None, "threads", 0)?;
        Ok(())
    }
}
