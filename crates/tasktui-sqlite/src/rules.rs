//! The rules every row of tasktui's tables keeps, and the rows another tool wrote that break
//! them: `db check` names them, and a migration that fails on them says how to mend each.

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
