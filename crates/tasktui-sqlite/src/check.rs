//! `tasktui db check`: every problem with a database — its migrations, its schema, rows that
//! break tasktui's rules, a search index that no longer matches the tasks, integrity and foreign
//! keys — each with the way to fix it.

use super::admin::{AdminError, State, history};
use super::rules::invalid_rows;
use super::{migrate, schema};
use crate::in_words;
use rusqlite::Connection;

/// The version whose migrations give exactly this schema, if any.
pub fn matching_version(conn: &Connection) -> Result<Option<u32>, AdminError> {
    let actual = schema::read(conn).map_err(in_words)?;
    let set = migrate::migrations();
    for version in (1..=migrate::latest(set)).rev() {
        let upto: Vec<_> = set.iter().filter(|m| m.version <= version).collect();
        if schema::differences(&actual, &schema::replay(&upto).map_err(in_words)?).is_empty() {
            return Ok(Some(version));
        }
    }
    Ok(None)
}

/// Every problem `db check` finds, each with the command that fixes it; empty when all is well.
pub fn check(conn: &Connection) -> Result<Vec<String>, AdminError> {
    let set = migrate::migrations();
    let mut problems = Vec::new();
    let entries = history(conn)?;
    let rows = migrate::history(conn).map_err(in_words)?;
    let known = migrate::latest(set);
    if rows.is_empty() && !schema::read(conn).map_err(in_words)?.is_empty() {
        problems.push(match matching_version(conn)? {
            Some(version) => format!(
                "tasktui's tables exist but there is no migration history; their schema matches version {version}: run `tasktui db stamp {version}`"
            ),
            None => "tables exist but there is no migration history, and their schema matches no version of tasktui: restore a backup, or move the data into a new database".into(),
        });
    }
    for entry in &entries {
        let id = format!("V{}__{}", entry.version, entry.name);
        match entry.state {
            State::Unknown => problems.push(format!(
                "{id} is applied but unknown to this tasktui (it knows up to version {known}): upgrade tasktui"
            )),
            State::Divergent => problems.push(format!(
                "{id} was changed after it was applied (its checksum differs): use the tasktui that applied it, or restore migrations/{id}.sql as it was"
            )),
            State::Pending if !rows.is_empty() => {
                problems.push(format!("{id} is pending: run `tasktui db upgrade`"));
            }
            _ => {}
        }
    }
    if !rows.is_empty() && entries.iter().all(|e| e.state != State::Unknown) {
        let applied: Vec<_> = set
            .iter()
            .filter(|m| rows.iter().any(|r| r.version == m.version))
            .collect();
        for difference in schema::differences(
            &schema::read(conn).map_err(in_words)?,
            &schema::replay(&applied).map_err(in_words)?,
        ) {
            problems.push(format!(
                "schema drift: {difference} (changed outside the migrations): restore a backup, or write a migration that makes the change"
            ));
        }
    }
    for row in invalid_rows(conn).map_err(in_words)? {
        problems.push(format!("row rules: {row}"));
    }
    if let Some(problem) = search_index_problem(conn).map_err(in_words)? {
        problems.push(format!("search index: {problem}"));
    }
    if let Some(problem) = grams_index_problem(conn).map_err(in_words)? {
        problems.push(format!("search index: {problem}"));
    }
    for (_, problem) in kept_counts_problems(conn).map_err(in_words)? {
        problems.push(format!("kept counts: {problem}"));
    }
    if let Err(found) = migrate::check_integrity(conn) {
        problems.push(format!("integrity check: {found}: restore a backup"));
    }
    if let Err(found) = migrate::check_foreign_keys(conn) {
        problems.push(format!("foreign keys: {found}"));
    }
    Ok(problems)
}

/// Compares the search index with the tasks: every task indexed once, nothing else indexed, and
/// every word where the task's text has it. Only the index that keeps no text (V5's and V12's),
/// which follows every write, is compared; `None` when it matches.
pub fn search_index_problem(conn: &Connection) -> rusqlite::Result<Option<String>> {
    let sql: Option<String> = conn
        .query_row(
            "SELECT sql FROM sqlite_master WHERE name = 'tasks_search'",
            [],
            |row| row.get(0),
        )
        .ok();
    if !sql.is_some_and(|s| s.contains("content = ''")) {
        return Ok(None);
    }
    let (stale, orphans) = index_differences(
        conn,
        "tasks_search",
        "title, description, content = '', tokenize = 'trigram'",
        "(rowid, title, description) SELECT id, title, description FROM main.tasks",
        "term, doc, col, offset",
    )?;
    Ok((stale > 0 || orphans > 0).then(|| format!(
        "the search index disagrees with the tasks ({} indexed with other text, {} for no task): `tasktui db check --fix` rebuilds it (or with sqlite3: {SEARCH_MEND})",
        tasktui_core::text::count(stale, "task", "tasks"),
        tasktui_core::text::count(orphans, "entry", "entries")
    )))
}

/// Compares the index of short words (V11) with the tasks: every task's words as the
/// `task_grams` view gives them (computed here as `grams::of_task` does, far faster), and no
/// entry for a task that is gone. `None` when it matches or is not there yet.
pub fn grams_index_problem(conn: &Connection) -> rusqlite::Result<Option<String>> {
    let there: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE name = 'tasks_grams')",
        [],
        |row| row.get(0),
    )?;
    if !there {
        return Ok(None);
    }
    super::grams::register(conn)?;
    let (stale, orphans) = index_differences(
        conn,
        "tasks_grams",
        "grams, content = '', detail = 'none', tokenize = 'ascii'",
        "(rowid, grams) SELECT id, tasktui_grams(CAST(title AS TEXT), CAST(description AS TEXT)) FROM main.tasks",
        "term, doc",
    )?;
    Ok((stale > 0 || orphans > 0).then(|| format!(
        "the index of short words disagrees with the tasks ({} indexed with other text, {} for no task): `tasktui db check --fix` rebuilds it (or with sqlite3: {GRAMS_MEND})",
        tasktui_core::text::count(stale, "task", "tasks"),
        tasktui_core::text::count(orphans, "entry", "entries")
    )))
}

/// An FTS5 index of the tasks against a copy rebuilt in memory (`definition`, filled by
/// `INSERT INTO copy {fill}`), entry by entry (`columns` of their fts5vocab instance tables):
/// how many tasks are indexed with other words, and how many entries are for no task.
fn index_differences(
    conn: &Connection,
    index: &str,
    definition: &str,
    fill: &str,
    columns: &str,
) -> rusqlite::Result<(i64, i64)> {
    conn.execute_batch(&format!(
        "DROP TABLE IF EXISTS temp.tasktui_expected;
         DROP TABLE IF EXISTS temp.tasktui_expected_words;
         DROP TABLE IF EXISTS temp.tasktui_indexed_words;
         CREATE VIRTUAL TABLE temp.tasktui_expected USING fts5({definition});
         INSERT INTO temp.tasktui_expected {fill};
         CREATE VIRTUAL TABLE temp.tasktui_expected_words
             USING fts5vocab(temp, tasktui_expected, instance);
         CREATE VIRTUAL TABLE temp.tasktui_indexed_words
             USING fts5vocab(main, {index}, instance);"
    ))?;
    let differences = conn.query_row(
        &format!(
            "SELECT (SELECT count(DISTINCT doc) FROM (
                         SELECT doc FROM (SELECT {columns} FROM temp.tasktui_indexed_words
                                          EXCEPT SELECT {columns} FROM temp.tasktui_expected_words)
                         UNION ALL
                         SELECT doc FROM (SELECT {columns} FROM temp.tasktui_expected_words
                                          EXCEPT SELECT {columns} FROM temp.tasktui_indexed_words))
                      WHERE doc IN (SELECT id FROM main.tasks)),
                    (SELECT count(*) FROM (SELECT DISTINCT doc FROM temp.tasktui_indexed_words
                                           EXCEPT SELECT id FROM main.tasks))"
        ),
        [],
        |row| Ok((row.get(0)?, row.get(1)?)),
    );
    conn.execute_batch(
        "DROP TABLE temp.tasktui_indexed_words;
         DROP TABLE temp.tasktui_expected_words;
         DROP TABLE temp.tasktui_expected;",
    )?;
    differences
}

/// The statements that rebuild what is kept from the tasks, for `db check --fix` and for a
/// person with sqlite3.
const SEARCH_MEND: &str = "INSERT INTO tasks_search (tasks_search) VALUES ('delete-all'); INSERT INTO tasks_search (rowid, title, description) SELECT id, title, description FROM tasks;";
const GRAMS_MEND: &str = "INSERT INTO tasks_grams (tasks_grams) VALUES ('delete-all'); INSERT INTO tasks_grams (rowid, grams) SELECT id, grams FROM task_grams WHERE grams IS NOT NULL;";
const TASK_COUNTS_MEND: &str = "DELETE FROM task_counts; INSERT INTO task_counts (assignee, done, due, n) SELECT ifnull(assignee_id, 0), status = 'done', ifnull(due_date, ''), count(*) FROM tasks GROUP BY 1, 2, 3;";
const TAG_COUNTS_MEND: &str =
    "UPDATE tags SET tasks = (SELECT count(*) FROM task_tags WHERE tag_id = tags.id);";

/// `db check --fix`: rebuilds, in one transaction, each of the search indexes and the kept
/// counts that disagrees with the tasks; returns what was rebuilt. Migrations, the schema and
/// rows that break the rules are the person's to mend (`db check` says how).
pub fn mend(conn: &Connection) -> Result<Vec<&'static str>, AdminError> {
    let tx = rusqlite::Transaction::new_unchecked(conn, rusqlite::TransactionBehavior::Immediate)
        .map_err(in_words)?;
    let mut mended = Vec::new();
    if search_index_problem(&tx).map_err(in_words)?.is_some() {
        tx.execute_batch(SEARCH_MEND).map_err(in_words)?;
        mended.push("the search index");
    }
    if grams_index_problem(&tx).map_err(in_words)?.is_some() {
        tx.execute_batch(GRAMS_MEND).map_err(in_words)?;
        mended.push("the index of short words");
    }
    for (kept, _) in kept_counts_problems(&tx).map_err(in_words)? {
        tx.execute_batch(match kept {
            Kept::Tasks => TASK_COUNTS_MEND,
            Kept::Tags => TAG_COUNTS_MEND,
        })
        .map_err(in_words)?;
        mended.push(kept.name());
    }
    tx.commit().map_err(in_words)?;
    Ok(mended)
}

pub(crate) use tasktui_core::schema::Kept;

/// How many kept counts a report names one by one before it only says how many more differ.
const COUNTS_NAMED: usize = 5;

/// Compares the counts the database keeps (V8's tasks per assignee, state and due date; V9's
/// tasks per tag) with a full recount; one line per count that differs (the first few named),
/// each with the statement that rebuilds them. Empty when they agree or the tables are not
/// there yet.
pub(crate) fn kept_counts_problems(conn: &Connection) -> rusqlite::Result<Vec<(Kept, String)>> {
    let has = |table: &str| -> rusqlite::Result<bool> {
        conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1)",
            [table],
            |row| row.get(0),
        )
    };
    let mut problems = Vec::new();
    if has("task_counts")? {
        let differ: Vec<String> = conn
            .prepare(
                "WITH counted AS (
                     SELECT ifnull(assignee_id, 0) AS assignee, status = 'done' AS done,
                            ifnull(due_date, '') AS due, count(*) AS n
                     FROM tasks GROUP BY 1, 2, 3),
                 both_ AS (
                     SELECT k.assignee, k.done, k.due, k.n AS kept, ifnull(c.n, 0) AS counted
                     FROM task_counts k LEFT JOIN counted c
                       ON c.assignee = k.assignee AND c.done = k.done AND c.due = k.due
                     UNION ALL
                     SELECT c.assignee, c.done, c.due, 0, c.n
                     FROM counted c LEFT JOIN task_counts k
                       ON c.assignee = k.assignee AND c.done = k.done AND c.due = k.due
                     WHERE k.n IS NULL)
                 SELECT CASE b.assignee WHEN 0 THEN 'unassigned' ELSE ifnull(u.username, 'user ' || b.assignee) END
                        || ' ' || CASE b.done WHEN 1 THEN 'done' ELSE 'open' END
                        || ' due ' || CASE b.due WHEN '' THEN 'never' ELSE b.due END
                        || ': kept ' || b.kept || ', counted ' || b.counted
                 FROM both_ b LEFT JOIN users u ON u.id = b.assignee
                 WHERE b.kept <> b.counted ORDER BY b.assignee, b.done, b.due",
            )?
            .query_map([], |row| row.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        if !differ.is_empty() {
            problems.push((Kept::Tasks, format!(
                "{} from a recount ({}): `tasktui db check --fix` rebuilds them (or with sqlite3: {TASK_COUNTS_MEND})",
                tasktui_core::text::count(differ.len(), "task count differs", "task counts differ"),
                named(&differ)
            )));
        }
    }
    if has("tags")? {
        let differ: Vec<String> = conn
            .prepare(
                "SELECT '#' || g.name || ': kept ' || g.tasks || ', counted ' || count(t.task_id)
                 FROM tags g LEFT JOIN task_tags t ON t.tag_id = g.id
                 GROUP BY g.id HAVING g.tasks <> count(t.task_id) ORDER BY g.name",
            )?
            .query_map([], |row| row.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        if !differ.is_empty() {
            problems.push((Kept::Tags, format!(
                "{} from a recount ({}): `tasktui db check --fix` rebuilds them (or with sqlite3: {TAG_COUNTS_MEND})",
                tasktui_core::text::count(differ.len(), "tag count differs", "tag counts differ"),
                named(&differ)
            )));
        }
    }
    Ok(problems)
}

/// The first few of `items`, and how many more.
fn named(items: &[String]) -> String {
    let mut text = items
        .iter()
        .take(COUNTS_NAMED)
        .cloned()
        .collect::<Vec<_>>()
        .join("; ");
    if items.len() > COUNTS_NAMED {
        text.push_str(&format!("; and {} more", items.len() - COUNTS_NAMED));
    }
    text
}
