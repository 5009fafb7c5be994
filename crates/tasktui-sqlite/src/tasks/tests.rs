//! Tests of the task queries.
use super::*;
use crate::filter::FilterSql;
use crate::order::OrderSql;
use crate::order::{Sort, SortKey};
use crate::test_store as store;
use crate::{Assignee, State, TaskFilter};
use tasktui_core::model::validate_user;
use tasktui_core::seam::Counts;

fn fields(title: &str, due: Option<&str>, priority: Priority) -> TaskFields {
    TaskFields {
        due: due.map(|d| d.parse().unwrap()),
        priority,
        ..TaskFields::titled(title)
    }
}

fn titles(tasks: &[Task]) -> Vec<&str> {
    tasks.iter().map(|t| t.title.as_str()).collect()
}

#[test]
fn create_and_get_a_task_with_every_field() {
    let store = store();
    let alice = store
        .create_user(&validate_user("alice", "", "").unwrap())
        .unwrap();
    let mut f = fields("Write docs", Some("2026-12-01"), Priority::High);
    f.description = "line one\nline two".into();
    f.assignee = Some(alice);
    let id = store.create_task(&f).unwrap();
    let task = store.get_task(id).unwrap();
    assert_eq!(task.title, "Write docs");
    assert_eq!(task.description, "line one\nline two");
    assert_eq!(task.status, Status::Todo);
    assert_eq!(task.priority, Priority::High);
    assert_eq!(task.due, Some("2026-12-01".parse().unwrap()));
    assert_eq!(task.assignee, Some(alice));
    assert_eq!(task.assignee_name.as_deref(), Some("alice"));
    assert_eq!(task.created_at, "2026-11-23T10:00:00Z");
    assert_eq!(task.updated_at, task.created_at);
    assert_eq!(task.completed_at, None);
    assert_eq!(task.version, 1);
}

#[test]
fn list_orders_by_due_date_then_priority_with_undated_last() {
    let store = store();
    store
        .create_task(&fields("undated", None, Priority::High))
        .unwrap();
    store
        .create_task(&fields("dec low", Some("2026-12-01"), Priority::Low))
        .unwrap();
    store
        .create_task(&fields("dec high", Some("2026-12-01"), Priority::High))
        .unwrap();
    store
        .create_task(&fields("nov", Some("2026-11-30"), Priority::None))
        .unwrap();
    let all = store.list_tasks(&TaskFilter::default(), 0, 10).unwrap();
    assert_eq!(titles(&all), ["nov", "dec high", "dec low", "undated"]);
    let page = store.list_tasks(&TaskFilter::default(), 1, 2).unwrap();
    assert_eq!(titles(&page), ["dec high", "dec low"]);
    assert_eq!(store.count_tasks(&TaskFilter::default()).unwrap(), 4);
}

#[test]
fn done_tasks_come_after_open_ones() {
    let store = store();
    let done = store
        .create_task(&fields("shipped", Some("2026-01-01"), Priority::High))
        .unwrap();
    store.set_status(done, 1, Status::Done).unwrap();
    store
        .create_task(&fields("open, undated", None, Priority::None))
        .unwrap();
    let all = store.list_tasks(&TaskFilter::default(), 0, 10).unwrap();
    assert_eq!(titles(&all), ["open, undated", "shipped"]);
    assert_eq!(
        store.task_position(&TaskFilter::default(), done).unwrap(),
        Some(1)
    );
}

#[test]
fn list_filters_by_assignee_and_status() {
    let store = store();
    let alice = store
        .create_user(&validate_user("alice", "", "").unwrap())
        .unwrap();
    let bob = store
        .create_user(&validate_user("bob", "", "").unwrap())
        .unwrap();
    for (title, who, status) in [
        ("a1", Some(alice), Status::Todo),
        ("a2", Some(alice), Status::Done),
        ("b1", Some(bob), Status::Doing),
        ("n1", None, Status::Todo),
    ] {
        store
            .create_task(&TaskFields {
                assignee: who,
                status,
                ..TaskFields::titled(title)
            })
            .unwrap();
    }
    let list = |assignee, state| {
        let filter = TaskFilter {
            assignee,
            state,
            ..TaskFilter::default()
        };
        let tasks = store.list_tasks(&filter, 0, 10).unwrap();
        assert_eq!(store.count_tasks(&filter).unwrap(), tasks.len() as u64);
        tasks.iter().map(|t| t.title.clone()).collect::<Vec<_>>()
    };
    assert_eq!(list(Assignee::All, None), ["a1", "b1", "n1", "a2"]);
    assert_eq!(list(Assignee::Unassigned, None), ["n1"]);
    assert_eq!(list(Assignee::User(alice), None), ["a1", "a2"]);
    assert_eq!(list(Assignee::User(alice), Some(State::Done)), ["a2"]);
    assert_eq!(list(Assignee::All, Some(State::Open)), ["a1", "b1", "n1"]);
    assert_eq!(
        list(Assignee::User(bob), Some(State::Done)),
        Vec::<String>::new()
    );
}

#[test]
fn task_position_follows_list_order_within_the_filter() {
    let store = store();
    let alice = store
        .create_user(&validate_user("alice", "", "").unwrap())
        .unwrap();
    let late = store
        .create_task(&fields("late", None, Priority::None))
        .unwrap();
    let first = store
        .create_task(&fields("first", Some("2026-11-01"), Priority::Low))
        .unwrap();
    let urgent = store
        .create_task(&fields("urgent", Some("2026-11-01"), Priority::High))
        .unwrap();
    let theirs = store
        .create_task(&TaskFields {
            assignee: Some(alice),
            ..fields("theirs", Some("2026-12-01"), Priority::None)
        })
        .unwrap();
    let all = TaskFilter::default();
    let positions: Vec<_> = [urgent, first, theirs, late]
        .iter()
        .map(|id| store.task_position(&all, *id).unwrap())
        .collect();
    assert_eq!(positions, [Some(0), Some(1), Some(2), Some(3)]);
    let unassigned = TaskFilter::assigned_to(Assignee::Unassigned);
    assert_eq!(store.task_position(&unassigned, late).unwrap(), Some(2));
    assert_eq!(store.task_position(&unassigned, theirs).unwrap(), None);
    assert_eq!(store.task_position(&all, TaskId(999)).unwrap(), None);
}

#[test]
fn pages_read_from_the_end_match_pages_read_from_the_start() {
    let store = store();
    let alice = store
        .create_user(&validate_user("alice", "", "").unwrap())
        .unwrap();
    for i in 0..40u32 {
        let due = [None, Some("2026-12-01"), Some("2026-11-01")][(i % 3) as usize];
        let mut f = fields(&format!("t{i}"), due, Priority::ALL[(i % 4) as usize]);
        f.status = if i % 5 == 0 {
            Status::Done
        } else {
            Status::Todo
        };
        f.assignee = (i % 2 == 0).then_some(alice);
        store.create_task(&f).unwrap();
    }
    let mut filters = vec![
        TaskFilter::assigned_to(Assignee::User(alice)),
        TaskFilter {
            state: Some(State::Open),
            ..TaskFilter::default()
        },
    ];
    for key in SortKey::ALL {
        for reverse in [false, true] {
            filters.push(TaskFilter {
                sort: Sort { key, reverse },
                ..TaskFilter::default()
            });
        }
    }
    for filter in filters {
        let total = store.count_tasks(&filter).unwrap();
        for (top, limit) in [(0, 7), (total - 7, 7), (total - 3, 3), (5, total - 5)] {
            let forward = store.list_tasks(&filter, top, limit).unwrap();
            let backward = store
                .list_tasks_from_end(&filter, total - top - limit, limit)
                .unwrap();
            assert_eq!(
                titles(&forward),
                titles(&backward),
                "{filter:?} {top}+{limit}"
            );
        }
    }
}

#[test]
fn update_needs_the_version_it_was_read_at() {
    let store = store();
    let id = store.create_task(&TaskFields::titled("first")).unwrap();
    store
        .update_task(id, 1, &TaskFields::titled("second").into())
        .unwrap();
    let task = store.get_task(id).unwrap();
    assert_eq!((task.title.as_str(), task.version), ("second", 2));
    // Someone else saved version 2 meanwhile: an edit of version 1 is refused.
    let err = store
        .update_task(id, 1, &TaskFields::titled("stale").into())
        .unwrap_err();
    assert!(matches!(err, StoreError::Changed(_)), "{err}");
    assert_eq!(store.get_task(id).unwrap().title, "second");
    // A delete of the version someone else replaced is refused too.
    assert!(matches!(
        store.delete_task(id, 1),
        Err(StoreError::Changed(_))
    ));
    store.delete_task(id, 2).unwrap();
    let err = store
        .update_task(id, 2, &TaskFields::titled("gone").into())
        .unwrap_err();
    assert!(matches!(err, StoreError::NotFound(_)), "{err}");
}

#[test]
fn set_status_records_completion_and_clears_it_on_reopen() {
    let store = store();
    let id = store.create_task(&TaskFields::titled("t")).unwrap();
    store.set_status(id, 1, Status::Done).unwrap();
    let done = store.get_task(id).unwrap();
    assert_eq!(done.status, Status::Done);
    assert_eq!(done.completed_at.as_deref(), Some("2026-11-23T10:00:00Z"));
    store.set_status(id, 2, Status::Todo).unwrap();
    let reopened = store.get_task(id).unwrap();
    assert_eq!(
        (reopened.status, reopened.completed_at, reopened.version),
        (Status::Todo, None, 3)
    );
    assert!(matches!(
        store.set_status(id, 1, Status::Doing),
        Err(StoreError::Changed(_))
    ));
}

#[test]
fn delete_removes_the_task_once() {
    let store = store();
    let id = store.create_task(&TaskFields::titled("t")).unwrap();
    store.delete_task(id, 1).unwrap();
    assert!(matches!(store.get_task(id), Err(StoreError::NotFound(_))));
    assert!(matches!(
        store.delete_task(id, 1),
        Err(StoreError::NotFound(_))
    ));
}

#[test]
fn the_database_refuses_an_empty_title_or_a_missing_assignee() {
    let store = store();
    assert!(store.create_task(&TaskFields::titled("   ")).is_err());
    let mut f = TaskFields::titled("x");
    f.assignee = Some(UserId(404));
    let err = store.create_task(&f).unwrap_err();
    assert!(matches!(err, StoreError::NotFound("the assignee")), "{err}");
}

#[test]
fn rows_written_by_other_tools_still_read() {
    let store = store();
    store
        .connection()
        .execute_batch(
            "INSERT INTO tasks (title) VALUES ('bare');
             PRAGMA ignore_check_constraints = ON;
             INSERT INTO tasks (title, status, priority, due_date)
                 VALUES (CAST(X'6869FF' AS TEXT), 'weird', 9, 'someday');
             PRAGMA ignore_check_constraints = OFF;",
        )
        .unwrap();
    let tasks = store.list_tasks(&TaskFilter::default(), 0, 10).unwrap();
    assert_eq!(tasks.len(), 2);
    let bare = tasks.iter().find(|t| t.title == "bare").unwrap();
    assert_eq!(
        (bare.status, bare.priority, bare.version),
        (Status::Todo, Priority::None, 1)
    );
    let odd = tasks.iter().find(|t| t.title != "bare").unwrap();
    assert_eq!(odd.title, "hi\u{FFFD}");
    assert_eq!(
        (odd.status, odd.priority, odd.due),
        (Status::Todo, Priority::High, None)
    );
}

#[test]
fn the_list_walks_an_index_instead_of_sorting() {
    let store = store();
    let mut filters = vec![
        TaskFilter::assigned_to(Assignee::Unassigned),
        TaskFilter::assigned_to(Assignee::User(UserId(1))),
        TaskFilter {
            state: Some(State::Open),
            ..TaskFilter::default()
        },
        TaskFilter {
            state: Some(State::Done),
            sort: Sort {
                key: SortKey::Title,
                reverse: true,
            },
            ..TaskFilter::default()
        },
    ];
    for key in SortKey::ALL {
        for reverse in [false, true] {
            for state in [None, Some(State::Open), Some(State::Done)] {
                filters.push(TaskFilter {
                    state,
                    sort: Sort { key, reverse },
                    ..TaskFilter::default()
                });
            }
        }
    }
    for filter in filters {
        let naming = crate::words::Naming {
            words: filter.words(),
            test_each: false,
        };
        let (clause, values) = filter.sql(&naming);
        let plan: Vec<String> = store
            .connection()
            .prepare(&format!(
                "EXPLAIN QUERY PLAN SELECT t.id FROM tasks t {clause} {} LIMIT 50",
                filter.sort.order_by(false, filter.state.is_some())
            ))
            .unwrap()
            .query_map(params_from_iter(values), |row| row.get::<_, String>(3))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        let plan = plan.join("; ");
        assert!(!plan.contains("TEMP B-TREE"), "{filter:?} sorts: {plan}");
        assert!(plan.contains(" INDEX tasks_by_"), "{filter:?}: {plan}");
    }
}

#[test]
fn an_edit_writes_only_the_fields_it_changed() {
    let store = store();
    store
        .connection()
        .execute(
            "INSERT INTO tasks (id, title, description) VALUES (7, CAST(X'636166E9' AS TEXT), 'kept')",
            [],
        )
        .unwrap();
    let changes = tasktui_core::model::TaskChanges {
        priority: Some(tasktui_core::model::Priority::High),
        ..Default::default()
    };
    store.update_task(TaskId(7), 1, &changes).unwrap();
    let (title, priority): (Vec<u8>, i64) = store
        .connection()
        .query_row(
            "SELECT CAST(title AS BLOB), priority FROM tasks WHERE id = 7",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((title.as_slice(), priority), (&b"caf\xe9"[..], 3));
}
