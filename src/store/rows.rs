//! Checks of the rows themselves, for `db check` and for explaining a failed migration: rows
//! that break tasktui's rules, and a search index that no longer matches the tasks.

use super::schema;
use rusqlite::Connection;

/// A rule every row of tasktui's tables keeps since version 1, how to find the rows that break
/// it, and the statement that mends one.
struct Rule {
    table: &'static str,
    /// The column shown, the condition that finds a broken row, and what the value must be.
    column: &'static str,
    broken: &'static str,
    expected: &'static str,
    /// An expression giving the mended value from the broken one.
    mend: &'static str,
}

const RULES: &[Rule] = &[
    Rule {
        table: "tasks",
        column: "title",
        broken: "title IS NULL OR length(trim(title)) = 0",
        expected: "must not be empty",
        mend: "'(untitled)'",
    },
    Rule {
        table: "tasks",
        column: "status",
        broken: "status IS NULL OR status NOT IN ('todo', 'doing', 'done')",
        expected: "must be todo, doing or done",
        mend: "CASE WHEN lower(trim(status)) IN ('todo', 'doing', 'done') THEN lower(trim(status)) ELSE 'todo' END",
    },
    Rule {
        table: "tasks",
        column: "priority",
        broken: "priority IS NULL OR typeof(priority) <> 'integer' OR priority NOT BETWEEN 0 AND 3",
        expected: "must be 0 (none) to 3 (high)",
        mend: "CASE WHEN CAST(priority AS INTEGER) BETWEEN 0 AND 3 THEN CAST(priority AS INTEGER) WHEN CAST(priority AS INTEGER) > 3 THEN 3 ELSE 0 END",
    },
    Rule {
        table: "tasks",
        column: "due_date",
        broken: "due_date IS NOT NULL AND date(due_date) IS NOT due_date",
        expected: "must be a date like 2026-12-01",
        mend: "date(replace(due_date, '/', '-'))",
    },
    Rule {
        table: "users",
        column: "username",
        broken: "username IS NULL OR length(trim(username)) = 0",
        expected: "must not be empty",
        mend: "'user' || id",
    },
    Rule {
        table: "users",
        column: "email",
        broken: "email IS NOT NULL AND email NOT LIKE '%_@_%'",
        expected: "must look like name@example.com",
        mend: "NULL",
    },
];

/// Every row of tasktui's tables that breaks a rule the schema checks (rows another tool wrote
/// with checks off), each as `tasks row 3: status 'DONE' must be …; mend: UPDATE …`. At most
/// 20 rows are named; a last line counts the rest.
pub fn invalid_rows(conn: &Connection) -> rusqlite::Result<Vec<String>> {
    const SHOWN: usize = 20;
    let tables = schema::read(conn)?;
    let mut found = Vec::new();
    let mut more = 0usize;
    for rule in RULES {
        if !tables.contains_key(&format!("table {}", rule.table)) {
            continue;
        }
        let mut statement = conn.prepare(&format!(
            "SELECT rowid, quote({column}), quote({mend}) FROM {table} WHERE {broken} ORDER BY rowid",
            column = rule.column,
            mend = rule.mend,
            table = rule.table,
            broken = rule.broken,
        ))?;
        let mut rows = statement.query([])?;
        while let Some(row) = rows.next()? {
            if found.len() == SHOWN {
                more += 1;
                continue;
            }
            let id: i64 = row.get(0)?;
            let value: String = row.get(1)?;
            let mended: String = row.get(2)?;
            let mended = if mended == "NULL" && rule.column == "due_date" {
                "NULL".into()
            } else {
                mended
            };
            found.push(format!(
                "{table} row {id}: {column} {value} {expected} (mend: UPDATE {table} SET {column} = {mended} WHERE rowid = {id};)",
                table = rule.table,
                column = rule.column,
                expected = rule.expected,
            ));
        }
    }
    if more > 0 {
        found.push(format!("and {more} more"));
    }
    Ok(found)
}

/// Compares the search index with the tasks: every task indexed once, nothing else indexed, and
/// every word where the task's text has it (the index is rebuilt in memory and compared entry by
/// entry). Only V5's index, which follows every write, is compared; `None` when it matches.
pub fn search_index_problem(conn: &Connection) -> rusqlite::Result<Option<String>> {
    let sql: Option<String> = conn
        .query_row(
            "SELECT sql FROM sqlite_master WHERE name = 'tasks_search'",
            [],
            |row| row.get(0),
        )
        .ok();
    if !sql.is_some_and(|s| s.contains("contentless_delete")) {
        return Ok(None);
    }
    conn.execute_batch(
        "DROP TABLE IF EXISTS temp.tasktui_expected;
         DROP TABLE IF EXISTS temp.tasktui_expected_words;
         DROP TABLE IF EXISTS temp.tasktui_indexed_words;
         CREATE VIRTUAL TABLE temp.tasktui_expected USING fts5(
             title, description, content = '', tokenize = 'trigram');
         INSERT INTO temp.tasktui_expected (rowid, title, description)
             SELECT id, title, description FROM main.tasks;
         CREATE VIRTUAL TABLE temp.tasktui_expected_words
             USING fts5vocab(temp, tasktui_expected, instance);
         CREATE VIRTUAL TABLE temp.tasktui_indexed_words
             USING fts5vocab(main, tasks_search, instance);",
    )?;
    let stale: i64 = conn.query_row(
        "SELECT count(DISTINCT doc) FROM (
             SELECT doc FROM (SELECT term, doc, col, offset FROM temp.tasktui_indexed_words
                              EXCEPT SELECT term, doc, col, offset FROM temp.tasktui_expected_words)
             UNION ALL
             SELECT doc FROM (SELECT term, doc, col, offset FROM temp.tasktui_expected_words
                              EXCEPT SELECT term, doc, col, offset FROM temp.tasktui_indexed_words))",
        [],
        |row| row.get(0),
    )?;
    let orphans: i64 = conn.query_row(
        "SELECT count(*) FROM (SELECT rowid FROM main.tasks_search EXCEPT SELECT id FROM main.tasks)",
        [],
        |row| row.get(0),
    )?;
    conn.execute_batch(
        "DROP TABLE temp.tasktui_indexed_words;
         DROP TABLE temp.tasktui_expected_words;
         DROP TABLE temp.tasktui_expected;",
    )?;
    if stale == 0 && orphans == 0 {
        return Ok(None);
    }
    Ok(Some(format!(
        "the search index disagrees with the tasks ({stale} tasks indexed with other text, {orphans} entries for no task): rebuild it with sqlite3: INSERT INTO tasks_search (tasks_search) VALUES ('delete-all'); INSERT INTO tasks_search (rowid, title, description) SELECT id, title, description FROM tasks;"
    )))
}
