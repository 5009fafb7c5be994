//! Undo and redo: one mechanism for every kind of change, kept in the database so that they
//! survive a restart, and refused when someone else changed the row since.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

use rusqlite::Connection;
use tasktui::model::{
    Change, Expect, Handoff, Priority, Status, TaskChanges, TaskFields, TaskId, UserChanges,
    validate_user,
};
use tasktui_sqlite::{FileLocation, Store, StoreError};
use tempfile::TempDir;

fn open(dir: &TempDir, author: &str) -> Store {
    let mut store = Store::open(&FileLocation::Explicit(dir.path().join("t.db")))
        .unwrap()
        .store;
    store.set_author(Some(author.into()));
    store
}

/// Everything a person could see, to compare before and after.
fn snapshot(dir: &TempDir) -> String {
    let conn = Connection::open(dir.path().join("t.db")).unwrap();
    let mut out = String::new();
    for sql in [
        "SELECT id, title, description, status, priority, ifnull(due_date, ''), ifnull(assignee_id, 0) FROM tasks ORDER BY id",
        "SELECT id, username, full_name, ifnull(email, '') FROM users ORDER BY id",
    ] {
        let mut statement = conn.prepare(sql).unwrap();
        let count = statement.column_count();
        let rows = statement
            .query_map([], |row| {
                Ok((0..count)
                    .map(|i| format!("{:?}", row.get_ref(i).unwrap()))
                    .collect::<Vec<_>>()
                    .join("|"))
            })
            .unwrap();
        for row in rows {
            out.push_str(&row.unwrap());
            out.push('\n');
        }
    }
    out
}

/// Applies `change`, then undoes and redoes it twice, checking the data each time.
fn round_trip(dir: &TempDir, store: &Store, change: Change) {
    let before = snapshot(dir);
    store.apply(&change).unwrap();
    let after = snapshot(dir);
    assert_ne!(before, after, "{change:?} changed nothing");
    for _ in 0..2 {
        assert!(store.undo().unwrap().is_some());
        assert_eq!(snapshot(dir), before, "undo of {change:?}");
        assert!(store.redo().unwrap().is_some());
        assert_eq!(snapshot(dir), after, "redo of {change:?}");
    }
}

fn task(store: &Store, id: i64) -> tasktui::model::Task {
    store.get_task(TaskId(id)).unwrap()
}

#[test]
fn every_kind_of_change_is_undone_and_redone() {
    let dir = TempDir::new().unwrap();
    let store = open(&dir, "alice");
    let alice = store
        .create_user(&validate_user("alice", "Alice", "a@x.io").unwrap())
        .unwrap();
    let bob = store
        .create_user(&validate_user("bob", "", "").unwrap())
        .unwrap();
    round_trip(
        &dir,
        &store,
        Change::CreateTask(TaskFields::titled("write the report")),
    );
    let first = task(&store, 1);
    let mut changes = TaskChanges {
        title: Some("write the whole report".into()),
        status: Some(Status::Done),
        priority: Some(Priority::High),
        due: Some(Some("2026-12-01".parse().unwrap())),
        assignee: Some(Some(alice)),
        ..TaskChanges::default()
    };
    round_trip(
        &dir,
        &store,
        Change::UpdateTask {
            id: first.id,
            expect: Expect::Version(first.version),
            changes: changes.clone(),
        },
    );
    // Clearing a date and an assignee is a change of its own, not "leave alone".
    let now = task(&store, 1);
    changes = TaskChanges {
        due: Some(None),
        assignee: Some(None),
        ..TaskChanges::default()
    };
    round_trip(
        &dir,
        &store,
        Change::UpdateTask {
            id: now.id,
            expect: Expect::Version(now.version),
            changes,
        },
    );
    let now = task(&store, 1);
    round_trip(
        &dir,
        &store,
        Change::DeleteTask {
            id: now.id,
            expect: Expect::Version(now.version),
        },
    );
    // Undo once more: the task is back for what follows.
    assert_eq!(
        store.undo().unwrap().as_deref(),
        Some("delete #1 “write the whole report”")
    );
    round_trip(
        &dir,
        &store,
        Change::CreateUser(validate_user("carol", "", "").unwrap()),
    );
    let bob_now = store.get_user(bob).unwrap();
    round_trip(
        &dir,
        &store,
        Change::UpdateUser {
            id: bob,
            expect: Expect::Version(bob_now.version),
            changes: UserChanges {
                full_name: Some("Bob B.".into()),
                email: Some(Some("b@x.io".into())),
                ..UserChanges::default()
            },
        },
    );
    // A user with tasks, handed on: undo gives the user and each task back.
    let t = task(&store, 1);
    store
        .update_task(
            t.id,
            t.version,
            &TaskChanges {
                assignee: Some(Some(alice)),
                ..TaskChanges::default()
            },
        )
        .unwrap();
    let alice_now = store.get_user(alice).unwrap();
    round_trip(
        &dir,
        &store,
        Change::DeleteUser {
            id: alice,
            expect: Expect::Version(alice_now.version),
            handoff: Handoff::ReassignTo(bob),
        },
    );
    let t = task(&store, 1);
    let t2 = store.create_task(&TaskFields::titled("second")).unwrap();
    let t2 = store.get_task(t2).unwrap();
    round_trip(
        &dir,
        &store,
        Change::Batch(vec![
            Change::UpdateTask {
                id: t.id,
                expect: Expect::Version(t.version),
                changes: TaskChanges {
                    status: Some(Status::Doing),
                    ..TaskChanges::default()
                },
            },
            Change::DeleteTask {
                id: t2.id,
                expect: Expect::Version(t2.version),
            },
        ]),
    );
}

#[test]
fn undo_and_redo_survive_a_restart_and_belong_to_their_author() {
    let dir = TempDir::new().unwrap();
    {
        let store = open(&dir, "alice");
        store.create_task(&TaskFields::titled("hers")).unwrap();
    }
    {
        let store = open(&dir, "bob");
        store.create_task(&TaskFields::titled("his")).unwrap();
    }
    let store = open(&dir, "alice");
    assert_eq!(store.undo().unwrap().as_deref(), Some("add #1 “hers”"));
    assert_eq!(store.undo().unwrap(), None, "bob's change is bob's to undo");
    drop(store);
    let store = open(&dir, "alice");
    assert_eq!(store.redo().unwrap().as_deref(), Some("add #1 “hers”"));
    assert_eq!(store.get_task(TaskId(1)).unwrap().title, "hers");
    assert_eq!(store.get_task(TaskId(2)).unwrap().title, "his");
}

#[test]
fn an_undo_whose_row_changed_elsewhere_is_refused_and_changes_nothing() {
    let dir = TempDir::new().unwrap();
    let store = open(&dir, "alice");
    let id = store.create_task(&TaskFields::titled("shared")).unwrap();
    store.set_status(id, 1, Status::Done).unwrap();
    // Another instance edits the task meanwhile.
    let other = open(&dir, "bob");
    other
        .update_task(
            id,
            2,
            &TaskChanges {
                title: Some("bob's title".into()),
                ..TaskChanges::default()
            },
        )
        .unwrap();
    let before = snapshot(&dir);
    let refused = store.undo().unwrap_err();
    assert!(
        matches!(&refused, StoreError::BuiltOn { who, summary }
            if who == "bob" && summary == "edit #1 “shared”: title"),
        "{refused}"
    );
    assert_eq!(snapshot(&dir), before);
    // Bob's own undo is his to make.
    assert!(other.undo().unwrap().is_some());
    assert_eq!(store.get_task(id).unwrap().title, "shared");
}

#[test]
fn versions_only_grow_so_a_copy_from_before_an_undo_is_stale() {
    let dir = TempDir::new().unwrap();
    let store = open(&dir, "alice");
    let id = store.create_task(&TaskFields::titled("shared")).unwrap();
    store.set_status(id, 1, Status::Done).unwrap();
    let seen_by_bob = store.get_task(id).unwrap();
    store.undo().unwrap();
    let refused = open(&dir, "bob")
        .update_task(
            id,
            seen_by_bob.version,
            &TaskChanges {
                title: Some("bob's".into()),
                ..TaskChanges::default()
            },
        )
        .unwrap_err();
    assert!(matches!(refused, StoreError::Changed(_)), "{refused}");
    assert!(store.get_task(id).unwrap().version > seen_by_bob.version);
}

#[test]
fn a_new_change_ends_what_could_be_redone_and_history_is_bounded() {
    let dir = TempDir::new().unwrap();
    let store = open(&dir, "alice");
    store.create_task(&TaskFields::titled("one")).unwrap();
    store.undo().unwrap();
    store.create_task(&TaskFields::titled("two")).unwrap();
    assert_eq!(store.redo().unwrap(), None);
    // A full history: the next change prunes the oldest, in the same transaction.
    store
        .connection()
        .execute_batch(&format!(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {})
             INSERT INTO changes (author, summary, change, inverse)
             SELECT 'bob', 'old', '{{}}', '{{}}' FROM n;",
            tasktui_sqlite::HISTORY_KEPT
        ))
        .unwrap();
    store.create_task(&TaskFields::titled("three")).unwrap();
    let kept: i64 = store
        .connection()
        .query_row("SELECT count(*) FROM changes", [], |r| r.get(0))
        .unwrap();
    assert_eq!(kept, tasktui_sqlite::HISTORY_KEPT);
    let alice_rows: i64 = store
        .connection()
        .query_row(
            "SELECT count(*) FROM changes WHERE author = 'alice'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(alice_rows, 1, "only the newest of alice's changes fits");
}

use crate::support;

use ratatui::crossterm::event::KeyCode;
use support::harness::Harness;
use tasktui_core::seam::Changes;
use tasktui_core::seam::Tasks;
use tasktui_core::seam::Users;

#[test]
fn u_undoes_and_ctrl_r_redoes_in_the_interface_saying_what() {
    let mut h = Harness::new();
    h.keys("a").keys("buy milk").key(KeyCode::Enter);
    h.keys("x");
    assert_eq!(
        h.count("SELECT count(*) FROM tasks WHERE status = 'done'"),
        1
    );
    h.keys("u");
    assert_eq!(h.message(), "undid: mark #1 “buy milk” done");
    assert_eq!(
        h.count("SELECT count(*) FROM tasks WHERE status = 'done'"),
        0
    );
    h.keys("u");
    assert_eq!(h.message(), "undid: add #1 “buy milk”");
    assert_eq!(h.count("SELECT count(*) FROM tasks"), 0);
    h.keys("u");
    assert_eq!(h.message(), "nothing to undo");
    h.ctrl('r');
    assert_eq!(h.message(), "redid: add #1 “buy milk”");
    assert_eq!(h.titles(), ["buy milk"]);
    h.ctrl('r');
    assert_eq!(
        h.count("SELECT count(*) FROM tasks WHERE status = 'done'"),
        1
    );
}

#[test]
fn an_undo_in_the_interface_after_a_restart_and_after_someone_else_s_edit() {
    let dir = TempDir::new().unwrap();
    let db = dir.path().join("t.db");
    let mut term = support::Terminal::start_with_env(
        &["--db", db.to_str().unwrap()],
        &[("TASKTUI_USER", "alice")],
        100,
        30,
    );
    term.wait_for("No tasks here");
    term.type_keys("a");
    term.wait_for("New task");
    term.type_keys("first");
    term.send(b"\r");
    term.wait_for("saved “first”");
    term.type_keys("q");
    assert_eq!(term.wait_exit(), 0);
    // After a restart, u still knows alice's last change.
    let mut term = support::Terminal::start_with_env(
        &["--db", db.to_str().unwrap()],
        &[("TASKTUI_USER", "alice")],
        100,
        30,
    );
    term.wait_for("first");
    term.type_keys("u");
    term.wait_for("undid: add #1 “first”");
    term.type_keys("\u{12}");
    term.wait_for("redid: add #1 “first”");
    // Someone else edits it meanwhile: the undo is refused and says so.
    Connection::open(&db)
        .unwrap()
        .execute(
            "UPDATE tasks SET title = 'theirs', row_version = row_version + 1",
            [],
        )
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(700));
    term.type_keys("u");
    term.wait_for("cannot undo: this task was changed elsewhere");
    let title: String = Connection::open(&db)
        .unwrap()
        .query_row("SELECT title FROM tasks", [], |r| r.get(0))
        .unwrap();
    assert_eq!(title, "theirs");
    term.type_keys("q");
    assert_eq!(term.wait_exit(), 0);
}

#[test]
fn plus_and_minus_change_the_priority_one_step_each_undone_one_at_a_time() {
    let mut h = Harness::new();
    h.keys("a").keys("ship it").key(KeyCode::Enter);
    h.keys("++");
    assert_eq!(h.count("SELECT priority FROM tasks"), 2);
    assert_eq!(h.message(), "“ship it” is now medium priority");
    h.keys("+++");
    assert_eq!(h.count("SELECT priority FROM tasks"), 3);
    assert_eq!(h.message(), "the priority is already high");
    h.keys("-");
    assert_eq!(h.count("SELECT priority FROM tasks"), 2);
    h.keys("u");
    assert_eq!(h.count("SELECT priority FROM tasks"), 3);
    h.keys("uu");
    assert_eq!(h.count("SELECT priority FROM tasks"), 1);
}

#[test]
fn a_search_matches_every_word() {
    let mut h = Harness::with(|store| {
        store
            .create_task(&TaskFields::titled("billing export"))
            .unwrap();
        store
            .create_task(&TaskFields::titled("export users"))
            .unwrap();
        store
            .create_task(&TaskFields::titled("a billing report"))
            .unwrap();
    });
    h.keys("/").keys("bill exp");
    assert_eq!(h.titles(), ["billing export"]);
    assert_eq!(h.app.tasks.total, 1);
    // Short words too, each a word of its own; quotes and wildcards are only text.
    h.key(KeyCode::Esc).keys("/").keys("a rep");
    assert_eq!(h.titles(), ["a billing report"]);
    h.key(KeyCode::Esc).keys("/").keys("\"exp\" %");
    assert_eq!(h.app.tasks.total, 0);
}

#[test]
fn capital_d_sets_the_due_date_in_a_prompt_that_says_what_the_words_mean() {
    let mut h = Harness::with(|store| {
        store.create_task(&TaskFields::titled("report")).unwrap();
    });
    h.keys("D").keys("fri");
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(100, 30)).unwrap();
    terminal.draw(|f| tasktui::ui::draw(f, &h.app)).unwrap();
    let status: String = (0..100)
        .map(|x| terminal.backend().buffer()[(x, 29)].symbol().to_string())
        .collect();
    assert!(status.contains("due: fri▏ → Fri 27 Nov 2026"), "{status}");
    h.key(KeyCode::Enter);
    assert_eq!(h.text("SELECT due_date FROM tasks"), "2026-11-27");
    assert_eq!(h.message(), "“report” is due Fri 27 Nov 2026");
    // Words that are not a date keep the prompt, with the way out.
    h.keys("D").keys("someday").key(KeyCode::Enter);
    assert!(h.message().contains("is not a date"), "{}", h.message());
    h.key(KeyCode::Esc);
    assert_eq!(h.text("SELECT due_date FROM tasks"), "2026-11-27");
    // One change, one undo step.
    h.keys("u");
    assert_eq!(
        h.count("SELECT count(*) FROM tasks WHERE due_date IS NULL"),
        1
    );
}
