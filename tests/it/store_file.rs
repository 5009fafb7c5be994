//! The store on a real file: every function, and that what it wrote is there after reopening.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

use tasktui::model::{Priority, Status, TaskFields, validate_user};
use tasktui_core::seam::Counts;
use tasktui_core::seam::Tasks;
use tasktui_core::seam::Users;
use tasktui_sqlite::{Assignee, FileLocation, Handoff, Store, StoreError, TaskFilter};
use tempfile::TempDir;

fn open(dir: &TempDir) -> Store {
    Store::open(&FileLocation::Explicit(dir.path().join("t.db")))
        .unwrap()
        .store
}

#[test]
fn every_store_function_on_a_file_survives_reopening() {
    let dir = TempDir::new().unwrap();
    let (alice, bob, task, gone) = {
        let store = open(&dir);
        let alice = store
            .create_user(&validate_user("alice", "Alice", "a@example.com").unwrap())
            .unwrap();
        let bob = store
            .create_user(&validate_user("bob", "", "").unwrap())
            .unwrap();
        let carol = store
            .create_user(&validate_user("carol", "", "").unwrap())
            .unwrap();
        store
            .update_user(bob, 1, &validate_user("bobby", "Bob", "").unwrap().into())
            .unwrap();
        let task = store
            .create_task(&TaskFields {
                assignee: Some(carol),
                priority: Priority::Medium,
                due: Some("2026-12-24".parse().unwrap()),
                ..TaskFields::titled("wrap presents")
            })
            .unwrap();
        let gone = store.create_task(&TaskFields::titled("to delete")).unwrap();
        store.delete_task(gone, 1).unwrap();
        store.set_status(task, 1, Status::Doing).unwrap();
        let mut edited = TaskFields::titled("wrap all presents");
        edited.assignee = Some(carol);
        edited.status = Status::Doing;
        store.update_task(task, 2, &edited.into()).unwrap();
        assert_eq!(
            store
                .delete_user(carol, 1, Handoff::ReassignTo(alice))
                .unwrap(),
            1
        );
        (alice, bob, task, gone)
    };

    let store = open(&dir);
    let users = store.list_users().unwrap();
    let names: Vec<_> = users.iter().map(|u| u.user.username.as_str()).collect();
    assert_eq!(names, ["alice", "bobby"]);
    assert_eq!(store.get_user(bob).unwrap().full_name, "Bob");
    assert_eq!(users[0].open_tasks, 1);
    let saved = store.get_task(task).unwrap();
    assert_eq!(saved.title, "wrap all presents");
    assert_eq!(saved.status, Status::Doing);
    assert_eq!(saved.assignee, Some(alice));
    assert_eq!(saved.version, 4);
    assert!(matches!(store.get_task(gone), Err(StoreError::NotFound(_))));
    let alices = TaskFilter::assigned_to(Assignee::User(alice));
    assert_eq!(store.count_tasks(&alices).unwrap(), 1);
    assert_eq!(store.list_tasks(&alices, 0, 10).unwrap()[0].id, task);
    assert_eq!(store.count_user_tasks(alice).unwrap(), 1);
    assert_eq!(
        store.schema_version().unwrap(),
        tasktui_sqlite::migrate::latest(tasktui_sqlite::migrate::MIGRATIONS)
    );
}

#[test]
fn foreign_keys_are_on_after_opening() {
    let dir = TempDir::new().unwrap();
    let store = open(&dir);
    let on: bool = store
        .connection()
        .pragma_query_value(None, "foreign_keys", |r| r.get(0))
        .unwrap();
    assert!(on);
    let mut fields = TaskFields::titled("orphan");
    fields.assignee = Some(tasktui::model::UserId(12));
    assert!(store.create_task(&fields).is_err());
}

#[test]
fn a_second_connection_waits_briefly_then_reports_busy() {
    let dir = TempDir::new().unwrap();
    let store = open(&dir);
    let other = open(&dir);
    other.connection().execute_batch("BEGIN IMMEDIATE").unwrap();
    let started = std::time::Instant::now();
    let err = store
        .create_task(&TaskFields::titled("blocked"))
        .unwrap_err();
    assert!(matches!(err, StoreError::Busy), "{err}");
    assert!(
        started.elapsed() < std::time::Duration::from_secs(3),
        "waited {:?}",
        started.elapsed()
    );
    other.connection().execute_batch("ROLLBACK").unwrap();
    store
        .create_task(&TaskFields::titled("now it goes"))
        .unwrap();
}
