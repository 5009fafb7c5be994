//! Edits in the interface, end to end: every write is checked against the version the person
//! saw (users and deletes too), writes only the fields the person changed, shows what it saves,
//! and is never claimed into a file that was removed or replaced.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

use crate::support;

use rusqlite::Connection;
use support::Terminal;
use tempfile::TempDir;

const ENTER: &[u8] = b"\r";
const TAB: &[u8] = b"\t";
const RIGHT: &[u8] = b"\x1b[C";

fn query<T: rusqlite::types::FromSql>(db: &std::path::Path, sql: &str) -> T {
    Connection::open(db)
        .unwrap()
        .query_row(sql, [], |r| r.get(0))
        .unwrap()
}

/// Opens the selected task's form, changes only its priority (none → low) and saves.
fn raise_priority_of_selected_task(term: &Terminal) {
    term.type_keys("e");
    term.wait_for("Edit task");
    for _ in 0..3 {
        term.send(TAB);
    }
    term.send(RIGHT);
    term.send(ENTER);
}

#[test]
fn a_user_edited_elsewhere_is_not_overwritten_and_the_typed_text_stays() {
    let dir = TempDir::new().unwrap();
    let db = dir.path().join("t.db");
    support::database_with(
        &db,
        "head",
        "INSERT INTO users (username) VALUES ('alice');",
    );
    let mut first = Terminal::start(&db, 100, 30);
    let mut second = Terminal::start(&db, 100, 30);
    first.wait_for("alice");
    second.wait_for("alice");
    // Both open alice's form (Users pane, third entry).
    for term in [&first, &second] {
        term.type_keys("1jje");
        term.wait_for("Edit user");
        term.send(TAB);
    }
    second.type_keys("Alice from the second");
    second.send(ENTER);
    second.wait_for("saved user alice");
    first.type_keys("Alice from the first");
    first.send(ENTER);
    let screen = first.wait_for("this user was changed elsewhere meanwhile, so nothing was saved");
    assert!(
        screen.contains("Alice from the first"),
        "the typed text is gone:\n{screen}"
    );
    let full_name: String = query(&db, "SELECT full_name FROM users");
    assert_eq!(full_name, "Alice from the second");
    first.send(b"\x1b");
    first.wait_for("discards what you typed");
    first.send(b"\x1b");
    first.type_keys("q");
    second.type_keys("q");
    assert_eq!(first.wait_exit(), 0);
    assert_eq!(second.wait_exit(), 0);
}

#[test]
fn deleting_a_task_edited_elsewhere_meanwhile_is_refused() {
    let dir = TempDir::new().unwrap();
    let db = dir.path().join("t.db");
    support::database_with(
        &db,
        "head",
        "INSERT INTO tasks (title) VALUES ('shared task');",
    );
    let mut first = Terminal::start(&db, 100, 30);
    first.wait_for("shared task");
    first.type_keys("d");
    first.wait_for("Delete the task");
    Connection::open(&db)
        .unwrap()
        .execute(
            "UPDATE tasks SET title = 'edited elsewhere', row_version = row_version + 1",
            [],
        )
        .unwrap();
    first.type_keys("y");
    first.wait_for("this task was changed elsewhere meanwhile");
    let left: i64 = query(&db, "SELECT count(*) FROM tasks");
    assert_eq!(left, 1);
    first.type_keys("q");
    assert_eq!(first.wait_exit(), 0);
}

#[test]
fn changing_only_the_priority_keeps_a_title_that_is_not_utf8_byte_for_byte() {
    let dir = TempDir::new().unwrap();
    let db = dir.path().join("t.db");
    support::database_with(
        &db,
        "head",
        "INSERT INTO tasks (title, description) VALUES (CAST(X'636166E9' AS TEXT), 'written by another tool');",
    );
    let mut term = Terminal::start(&db, 100, 30);
    term.wait_for("caf");
    raise_priority_of_selected_task(&term);
    term.wait_for("saved");
    let (title, priority): (Vec<u8>, i64) = Connection::open(&db)
        .unwrap()
        .query_row("SELECT CAST(title AS BLOB), priority FROM tasks", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert_eq!((title.as_slice(), priority), (&b"caf\xe9"[..], 1));
    term.type_keys("q");
    assert_eq!(term.wait_exit(), 0);
}

#[test]
fn a_task_whose_assignee_is_missing_shows_it_and_saves_the_same() {
    let dir = TempDir::new().unwrap();
    let db = dir.path().join("t.db");
    support::database_with(
        &db,
        "head",
        "PRAGMA foreign_keys = OFF; INSERT INTO tasks (title, assignee_id) VALUES ('orphan', 7);",
    );
    let mut term = Terminal::start(&db, 120, 30);
    let screen = term.wait_for("missing user #7");
    assert!(!screen.contains("unassigned"), "{screen}");
    raise_priority_of_selected_task(&term);
    term.wait_for("saved “orphan”");
    let (assignee, priority): (i64, i64) = Connection::open(&db)
        .unwrap()
        .query_row("SELECT assignee_id, priority FROM tasks", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert_eq!((assignee, priority), (7, 1));
    term.type_keys("q");
    assert_eq!(term.wait_exit(), 0);
}

#[test]
fn a_database_file_removed_or_replaced_under_the_interface_is_noticed_and_nothing_is_claimed() {
    for replace in [false, true] {
        let dir = TempDir::new().unwrap();
        let db = dir.path().join("t.db");
        support::database_with(&db, "head", "INSERT INTO tasks (title) VALUES ('first');");
        let mut term = Terminal::start(&db, 120, 30);
        term.wait_for("first");
        let moved = dir.path().join("moved.db");
        std::fs::rename(&db, &moved).unwrap();
        if replace {
            support::database_with(&db, "head", "");
        }
        term.wait_for("the database file was removed or replaced while tasktui ran");
        term.type_keys("x");
        term.type_keys("a");
        let screen = term.wait_for("nothing was saved: restart tasktui");
        assert!(!screen.contains("New task"), "a form opened:\n{screen}");
        assert!(!screen.contains("is done"), "{screen}");
        let status: String = query(&moved, "SELECT status FROM tasks");
        assert_eq!(status, "todo", "a change went into the unlinked file");
        term.type_keys("q");
        assert_eq!(term.wait_exit(), 0);
    }
}

#[test]
fn nobody_waits_on_a_downgrade_question_and_a_plan_changed_meanwhile_is_not_carried_out() {
    let dir = TempDir::new().unwrap();
    let db = dir.path().join("t.db");
    support::database_with(&db, "head", "INSERT INTO users (username) VALUES ('alice')");
    let path = db.to_str().unwrap();
    let mut asking = Terminal::start_with(&["--db", path, "db", "downgrade", "base"], 100, 30);
    asking.wait_for("Type y or yes to go on");
    // While the person thinks, other tasktui processes go on: no lock is held.
    let other = std::process::Command::new(env!("CARGO_BIN_EXE_tasktui"))
        .args(["--db", path, "db", "downgrade", "-1", "--yes"])
        .env("TASKTUI_LOCK_WAIT", "1")
        .output()
        .unwrap();
    assert!(
        other.status.success(),
        "{}",
        String::from_utf8_lossy(&other.stderr)
    );
    // The answer was given to a plan that is no longer the plan.
    asking.type_keys("yes\r");
    assert_eq!(asking.wait_exit(), 1);
    asking.wait_for("the database changed while you were asked; nothing was changed");
    let users: i64 = query(&db, "SELECT count(*) FROM users");
    assert_eq!(users, 1);
}
