//! A database's schema in a comparable form, and the schema a set of migrations produces.
//!
//! `sqlite_master.sql` changes its quoting when a table is rebuilt and renamed, so tables are
//! compared by their columns, foreign keys and normalised SQL (which holds the CHECKs), indexes
//! by their definition, triggers and views by their normalised SQL.

use super::migrate::{EmbeddedMigration, HISTORY_TABLE};
use rusqlite::Connection;
use std::collections::BTreeMap;

/// Object name → its normalised description.
pub type Schema = BTreeMap<String, String>;

/// Collapses whitespace, drops identifier quotes and lowercases, so that the same definition
/// written twice compares equal.
fn normalise(sql: &str) -> String {
    sql.replace(['"', '`', '[', ']'], "")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace("( ", "(")
        .replace(" )", ")")
        .to_lowercase()
}

fn rows(conn: &Connection, sql: &str, name: &str) -> rusqlite::Result<Vec<String>> {
    let mut statement = conn.prepare(sql)?;
    let count = statement.column_count();
    let rows = statement.query_map([name], |row| {
        let mut cells = Vec::with_capacity(count);
        for i in 0..count {
            cells.push(match row.get_ref(i)? {
                rusqlite::types::ValueRef::Null => "null".to_string(),
                rusqlite::types::ValueRef::Integer(v) => v.to_string(),
                rusqlite::types::ValueRef::Real(v) => v.to_string(),
                rusqlite::types::ValueRef::Text(t) | rusqlite::types::ValueRef::Blob(t) => {
                    normalise(&String::from_utf8_lossy(t))
                }
            });
        }
        Ok(cells.join("|"))
    })?;
    rows.collect()
}

/// The schema of `conn`, leaving out SQLite's own objects and the migration history.
pub fn read(conn: &Connection) -> rusqlite::Result<Schema> {
    let mut objects = Vec::new();
    {
        let mut statement = conn.prepare(
            "SELECT type, name, ifnull(sql, '') FROM sqlite_master
             WHERE name NOT LIKE 'sqlite_%' AND name <> ?1 ORDER BY type, name",
        )?;
        let found = statement.query_map([HISTORY_TABLE], |row| {
            Ok((
                row.get::<_, String>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, String>(2)?,
            ))
        })?;
        for object in found {
            objects.push(object?);
        }
    }
    let mut schema = Schema::new();
    for (kind, name, sql) in objects {
        let description = match kind.as_str() {
            "table" => {
                let columns = rows(conn, "SELECT * FROM pragma_table_xinfo(?1)", &name)?;
                let keys = rows(conn, "SELECT * FROM pragma_foreign_key_list(?1)", &name)?;
                // The rebuilt table is created under another name and renamed: compare the
                // definition after its name.
                let body = normalise(&sql);
                let body = body
                    .find('(')
                    .map_or(body.clone(), |at| body[at..].to_string());
                format!(
                    "columns: {}\nforeign keys: {}\ndefinition: {body}",
                    columns.join("; "),
                    keys.join("; ")
                )
            }
            "index" => {
                let columns = rows(conn, "SELECT * FROM pragma_index_xinfo(?1)", &name)?;
                format!("{}\ncolumns: {}", normalise(&sql), columns.join("; "))
            }
            _ => normalise(&sql),
        };
        schema.insert(format!("{kind} {name}"), description);
    }
    Ok(schema)
}

/// The schema that applying `migrations` to an empty database gives.
pub fn replay(migrations: &[&EmbeddedMigration]) -> rusqlite::Result<Schema> {
    let conn = Connection::open_in_memory()?;
    conn.pragma_update(None, "foreign_keys", false)?;
    for migration in migrations {
        conn.execute_batch(migration.up)?;
    }
    read(&conn)
}

/// What differs between the schema a database has and the one expected, one line each.
pub fn differences(actual: &Schema, expected: &Schema) -> Vec<String> {
    let mut found = Vec::new();
    for (object, description) in expected {
        match actual.get(object) {
            None => found.push(format!("{object} is missing")),
            Some(other) if other != description => {
                found.push(format!("{object} differs from its migrations"))
            }
            Some(_) => {}
        }
    }
    for object in actual.keys().filter(|o| !expected.contains_key(*o)) {
        found.push(format!("{object} is not made by any migration"));
    }
    found
}

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
    let tables = read(conn)?;
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::migrate::MIGRATIONS;

    #[test]
    fn normalising_ignores_quotes_case_and_spacing() {
        assert_eq!(
            normalise("CREATE TABLE \"t\" (\n  a  INT )"),
            normalise("create table t (a int)")
        );
    }

    #[test]
    fn a_replay_matches_a_migrated_database_and_sees_a_changed_check() {
        let all: Vec<_> = MIGRATIONS.iter().collect();
        let expected = replay(&all).unwrap();
        let conn = Connection::open_in_memory().unwrap();
        for m in &all {
            conn.execute_batch(m.up).unwrap();
        }
        assert_eq!(
            differences(&read(&conn).unwrap(), &expected),
            Vec::<String>::new()
        );
        conn.execute_batch(
            "PRAGMA writable_schema = ON;
             UPDATE sqlite_master SET sql = replace(sql, '''todo'', ''doing''', '''todo'', ''later'', ''doing''') WHERE name = 'tasks';
             PRAGMA writable_schema = OFF;
             CREATE TABLE scratch (x);",
        )
        .unwrap();
        let conn = {
            // A new connection reads the edited schema.
            let path = tempfile::NamedTempFile::new().unwrap();
            conn.backup(
                rusqlite::MAIN_DB,
                path.path(),
                None::<fn(rusqlite::backup::Progress)>,
            )
            .unwrap();
            Connection::open(path.path()).unwrap()
        };
        let found = differences(&read(&conn).unwrap(), &expected);
        assert_eq!(
            found,
            [
                "table tasks differs from its migrations",
                "table scratch is not made by any migration"
            ]
        );
    }
}
