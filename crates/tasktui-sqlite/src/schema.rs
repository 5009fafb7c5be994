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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::migrate::MIGRATIONS;

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
