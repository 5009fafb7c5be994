//! Every migration reverses exactly: down after up gives the schema before, keeps the rows of
//! the tables it does not touch, and up again gives the same schema as the first time.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

use rusqlite::Connection;
use std::path::Path;
use tasktui_sqlite::migrate::{self, MIGRATIONS};
use tasktui_sqlite::{FileLocation, admin, connect, schema};
use tempfile::TempDir;

fn connected(path: &Path) -> Connection {
    connect(&FileLocation::Explicit(path.to_path_buf()), true, false)
        .unwrap()
        .conn
}

/// Rows every version since V1 can hold, written with the columns V1 has.
fn add_sample_rows(conn: &Connection) {
    conn.execute_batch(
        "INSERT INTO users (username, full_name, email) VALUES ('alice', 'Alice', 'a@example.com'), ('bob', '', NULL);
         INSERT INTO tasks (title, description, status, priority, due_date, assignee_id)
             VALUES ('one', 'first', 'todo', 1, '2026-12-01', 1), ('two', '', 'done', 3, NULL, 2), ('three', 'x', 'doing', 0, NULL, NULL);",
    )
    .unwrap();
}

/// Every row of every table but the history, as text.
fn rows_of(conn: &Connection, table: &str) -> Vec<String> {
    let mut statement = conn
        .prepare(&format!("SELECT * FROM {table} ORDER BY 1"))
        .unwrap();
    let columns = statement.column_count();
    statement
        .query_map([], |row| {
            Ok((0..columns)
                .map(|i| format!("{:?}", row.get_ref(i).unwrap()))
                .collect::<Vec<_>>()
                .join("|"))
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

fn tables(conn: &Connection) -> Vec<String> {
    conn.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'refinery_schema_history' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

#[test]
fn every_migration_reverses_exactly_and_reapplies_the_same() {
    for migration in MIGRATIONS {
        let k = migration.version;
        let dir = TempDir::new().unwrap();
        let path = dir.path().join("t.db");
        let mut conn = connected(&path);
        migrate::upgrade(&mut conn, MIGRATIONS, Some(k - 1)).unwrap();
        if k > 1 {
            add_sample_rows(&conn);
        }
        let before = schema::read(&conn).unwrap();
        let touched: Vec<String> = tables(&conn)
            .into_iter()
            .filter(|t| {
                migration.up.contains(&format!(" {t} "))
                    || migration.up.contains(&format!(" {t}\n"))
            })
            .collect();
        let untouched: Vec<(String, Vec<String>)> = tables(&conn)
            .into_iter()
            .filter(|t| !touched.contains(t))
            .map(|t| (t.clone(), rows_of(&conn, &t)))
            .collect();
        let all_rows: Vec<(String, Vec<String>)> = tables(&conn)
            .into_iter()
            .map(|t| (t.clone(), rows_of(&conn, &t)))
            .collect();

        admin::upgrade(&mut conn, &path, k).unwrap();
        let after_up = schema::read(&conn).unwrap();
        assert_ne!(before, after_up, "V{k} changed nothing");
        admin::downgrade(&mut conn, &path, k - 1).unwrap();
        assert_eq!(
            schema::differences(&schema::read(&conn).unwrap(), &before),
            Vec::<String>::new(),
            "V{k} down"
        );
        for (table, rows) in &untouched {
            assert_eq!(&rows_of(&conn, table), rows, "V{k} changed rows of {table}");
        }
        if admin::drops_data(migration.revert).is_none() {
            // The migrations so far keep every row through up and down.
            for (table, rows) in &all_rows {
                assert_eq!(
                    &rows_of(&conn, table),
                    rows,
                    "V{k} up+down lost rows of {table}"
                );
            }
        }
        assert_eq!(
            migrate::history(&conn)
                .unwrap()
                .iter()
                .map(|h| h.version)
                .max()
                .unwrap_or(0),
            k - 1
        );
        admin::upgrade(&mut conn, &path, k).unwrap();
        assert_eq!(
            schema::differences(&schema::read(&conn).unwrap(), &after_up),
            Vec::<String>::new(),
            "V{k} again"
        );
        assert_eq!(migrate::check_foreign_keys(&conn), Ok(()));
    }
}

#[test]
fn head_to_base_to_head_gives_the_same_schema() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("t.db");
    let mut conn = connected(&path);
    let head = migrate::latest(MIGRATIONS);
    admin::upgrade(&mut conn, &path, head).unwrap();
    add_sample_rows(&conn);
    let at_head = schema::read(&conn).unwrap();
    let reverted = admin::downgrade(&mut conn, &path, 0).unwrap();
    assert_eq!(reverted.migrations.len(), MIGRATIONS.len());
    assert!(
        schema::read(&conn).unwrap().is_empty(),
        "base is an empty schema"
    );
    assert!(
        reverted.backup.is_some(),
        "a database with data is backed up first"
    );
    admin::upgrade(&mut conn, &path, head).unwrap();
    assert_eq!(schema::read(&conn).unwrap(), at_head);
}

#[test]
fn v2_keeps_long_titles_whole_in_the_description_and_the_assignee_link() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("t.db");
    let mut conn = connected(&path);
    admin::upgrade(&mut conn, &path, 1).unwrap();
    let long = "word ".repeat(60);
    conn.execute("INSERT INTO users (username) VALUES ('alice')", [])
        .unwrap();
    conn.execute(
        "INSERT INTO tasks (title, description, assignee_id) VALUES (?1, 'notes', 1)",
        [&long],
    )
    .unwrap();
    admin::upgrade(&mut conn, &path, 2).unwrap();
    let (title, description, assignee): (String, String, i64) = conn
        .query_row(
            "SELECT title, description, assignee_id FROM tasks",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!(title.chars().count(), 199, "cut at 200 and trimmed");
    assert_eq!(description, format!("{long}\n\nnotes"));
    assert_eq!(assignee, 1);
    let too_long = "x".repeat(201);
    assert!(
        conn.execute("INSERT INTO tasks (title) VALUES (?1)", [&too_long])
            .is_err()
    );
    // Deleting the user still unassigns the task: the foreign key survived the rebuild.
    conn.pragma_update(None, "foreign_keys", true).unwrap();
    conn.execute("DELETE FROM users", []).unwrap();
    let unassigned: bool = conn
        .query_row("SELECT assignee_id IS NULL FROM tasks", [], |r| r.get(0))
        .unwrap();
    assert!(unassigned);
}
