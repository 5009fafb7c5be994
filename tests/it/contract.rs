//! One contract of store behaviour, run against both backends through the seam (`Database`):
//! SQLite on a file and PostgreSQL on the server `TASKTUI_TEST_POSTGRES` names. Each test is
//! written once and runs as `<name>::sqlite` and `<name>::postgres`; a differential test then
//! checks that the two give the same lists, counts and positions for every order and filter.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

use crate::support;

use chrono::NaiveDate;
use support::server::TestDb;
use tasktui::clock::Clock;
use tasktui::model::{
    Change, Expect, Field, Handoff, Priority, Status, TaskChanges, TaskFields, TaskId, UserFields,
    UserId,
};
use tasktui_postgres::{Server, migrate};
use tasktui_sqlite::{
    Assignee, Database, FileLocation, Imported, Sort, SortKey, State, Store, StoreError, TaskFilter,
};
use tempfile::TempDir;

/// A store of either backend, with what keeps its database alive.
struct Backend {
    store: Box<dyn Database>,
    /// A second client of the same database, as another person would be.
    other: Box<dyn Fn() -> Box<dyn Database>>,
    _keep: Box<dyn std::any::Any>,
}

fn clock() -> Clock {
    Clock::fixed(chrono::DateTime::parse_from_rfc3339("2026-11-23T10:00:00+00:00").unwrap())
}

fn sqlite(author: &str) -> Backend {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("contract.db");
    let open = move |path: &std::path::Path, author: &str| -> Box<dyn Database> {
        let mut store = Store::open(&FileLocation::Explicit(path.to_path_buf()))
            .unwrap()
            .store;
        store.set_author(Some(author.into()));
        store.set_clock(clock());
        Box::new(store)
    };
    let store = open(&path, author);
    let other_path = path.clone();
    Backend {
        store,
        other: Box::new(move || open(&other_path, "other")),
        _keep: Box::new(dir),
    }
}

fn postgres(author: &str) -> Backend {
    let db = TestDb::new();
    let server = Server::from_arg(&db.url).unwrap();
    let open = move |server: &Server, author: &str| -> Box<dyn Database> {
        let mut store = migrate::open(server).unwrap().store;
        store.set_author(Some(author.into()));
        store.set_clock(clock());
        Box::new(store)
    };
    let store = open(&server, author);
    Backend {
        store,
        other: Box::new(move || open(&server, "other")),
        _keep: Box::new(db),
    }
}

/// `contract!(name)` runs `fn name(b: &Backend)` on each backend.
macro_rules! contract {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            #[test]
            fn sqlite() {
                super::$name(&super::sqlite("me"));
            }
            #[test]
            #[cfg_attr(not(postgres_tests), ignore = "needs a PostgreSQL server: set TASKTUI_TEST_POSTGRES")]
            fn postgres() {
                super::$name(&super::postgres("me"));
            }
        }
    )*};
}

contract!(
    tasks_and_users_read_back_as_written,
    a_stale_edit_is_refused_and_a_deleted_row_is_named,
    names_are_unique_without_regard_to_case,
    every_change_undoes_and_redoes,
    deleting_a_user_hands_their_tasks_on_and_undo_gives_them_back,
    another_clients_commit_changes_the_counter,
    export_then_import_gives_the_same_data,
    a_refused_import_writes_nothing,
    edits_of_different_fields_are_merged_and_of_the_same_field_refused,
    an_import_is_one_undo_step_refused_when_someone_built_on_it,
);

fn user(store: &dyn Database, name: &str) -> UserId {
    UserId(
        store
            .apply(&Change::CreateUser(UserFields {
                username: name.into(),
                full_name: format!("{name} full"),
                email: Some(format!("{name}@example.org")),
            }))
            .unwrap()
            .created
            .unwrap(),
    )
}

fn task(store: &dyn Database, fields: TaskFields) -> TaskId {
    TaskId(
        store
            .apply(&Change::CreateTask(fields))
            .unwrap()
            .created
            .unwrap(),
    )
}

fn date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

fn tasks_and_users_read_back_as_written(b: &Backend) {
    let s = b.store.as_ref();
    let alice = user(s, "alice");
    let id = task(
        s,
        TaskFields {
            title: "Fix the login page".into(),
            description: "line one\nline two «ü»".into(),
            status: Status::Doing,
            priority: Priority::High,
            due: Some(date("2026-11-20")),
            assignee: Some(alice),
            tags: vec!["backend".into(), "Web".into()],
        },
    );
    task(s, TaskFields::titled("Second"));
    let t = s.get_task(id).unwrap();
    assert_eq!(t.title, "Fix the login page");
    assert_eq!(t.description, "line one\nline two «ü»");
    assert_eq!((t.status, t.priority), (Status::Doing, Priority::High));
    assert_eq!(t.due, Some(date("2026-11-20")));
    assert_eq!(t.assignee_name.as_deref(), Some("alice"));
    assert_eq!(t.tags, vec!["backend".to_string(), "Web".to_string()]);
    assert_eq!(t.created_at, "2026-11-23T10:00:00Z");
    assert_eq!(t.version, 1);
    let users = s.list_users().unwrap();
    assert_eq!(users.len(), 1);
    assert_eq!((users[0].open_tasks, users[0].overdue_tasks), (1, 1));
    assert_eq!(
        s.get_user(alice).unwrap().email.as_deref(),
        Some("alice@example.org")
    );
    assert_eq!(s.count_user_tasks(alice).unwrap(), 1);
    let tags: Vec<(String, u64)> = s
        .list_tags()
        .unwrap()
        .into_iter()
        .map(|t| (t.name, t.tasks))
        .collect();
    assert_eq!(tags, vec![("backend".into(), 1), ("Web".into(), 1)]);
    let history = s.task_history(id, 10).unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].summary, "add #1 “Fix the login page”");
    assert_eq!(history[0].author.as_deref(), Some("me"));
    assert!(matches!(
        s.get_task(TaskId(99)),
        Err(StoreError::NotFound(_))
    ));
}

fn a_stale_edit_is_refused_and_a_deleted_row_is_named(b: &Backend) {
    let s = b.store.as_ref();
    let id = task(s, TaskFields::titled("Shared"));
    let seen = s.get_task(id).unwrap();
    let other = (b.other)();
    other
        .apply(&Change::UpdateTask {
            id,
            expect: Expect::Version(seen.version),
            changes: TaskChanges {
                title: Some("Changed elsewhere".into()),
                ..TaskChanges::default()
            },
        })
        .unwrap();
    let stale = s.apply(&Change::UpdateTask {
        id,
        expect: Expect::Version(seen.version),
        changes: TaskChanges {
            title: Some("Mine".into()),
            ..TaskChanges::default()
        },
    });
    assert!(
        matches!(stale, Err(StoreError::Changed("this task"))),
        "{stale:?}"
    );
    assert_eq!(s.get_task(id).unwrap().title, "Changed elsewhere");
    let now = s.get_task(id).unwrap();
    other
        .apply(&Change::DeleteTask {
            id,
            expect: Expect::Version(now.version),
        })
        .unwrap();
    let gone = s.apply(&Change::DeleteTask {
        id,
        expect: Expect::Version(now.version),
    });
    assert!(
        matches!(gone, Err(StoreError::NotFound("this task"))),
        "{gone:?}"
    );
}

fn names_are_unique_without_regard_to_case(b: &Backend) {
    let s = b.store.as_ref();
    user(s, "alice");
    let taken = s.apply(&Change::CreateUser(UserFields {
        username: "ALICE".into(),
        full_name: String::new(),
        email: None,
    }));
    match taken {
        Err(StoreError::Invalid(e)) => assert_eq!(e.field, Field::Username),
        other => panic!("{other:?}"),
    }
    let email = s.apply(&Change::CreateUser(UserFields {
        username: "bob".into(),
        full_name: String::new(),
        email: Some("Alice@Example.org".into()),
    }));
    match email {
        Err(StoreError::Invalid(e)) => assert_eq!(e.field, Field::Email),
        other => panic!("{other:?}"),
    }
    // A tag keeps its first spelling.
    task(
        s,
        TaskFields {
            tags: vec!["Docs".into()],
            ..TaskFields::titled("one")
        },
    );
    task(
        s,
        TaskFields {
            tags: vec!["docs".into()],
            ..TaskFields::titled("two")
        },
    );
    let tags = s.list_tags().unwrap();
    assert_eq!(tags.len(), 1);
    assert_eq!((tags[0].name.as_str(), tags[0].tasks), ("Docs", 2));
}

/// What a person could see, to compare before and after.
fn everything(s: &dyn Database) -> String {
    let tasks = s
        .list_tasks(&TaskFilter::default(), 0, 1000)
        .unwrap()
        .into_iter()
        .map(|t| {
            format!(
                "{} {} {:?} {} {:?} {:?} {:?} {:?} {:?}",
                t.id.0,
                t.title,
                t.description,
                t.status,
                t.priority,
                t.due,
                t.assignee_name,
                t.tags,
                t.completed_at
            )
        });
    let users = s.list_users().unwrap().into_iter().map(|u| {
        format!(
            "{} {} {:?} {}",
            u.user.username, u.user.full_name, u.user.email, u.open_tasks
        )
    });
    tasks.chain(users).collect::<Vec<_>>().join("\n")
}

fn every_change_undoes_and_redoes(b: &Backend) {
    let s = b.store.as_ref();
    let alice = user(s, "alice");
    let id = task(
        s,
        TaskFields {
            tags: vec!["x".into()],
            ..TaskFields::titled("Undo me")
        },
    );
    let version = s.get_task(id).unwrap().version;
    let changes = vec![
        Change::UpdateTask {
            id,
            expect: Expect::Version(version),
            changes: TaskChanges {
                title: Some("Renamed".into()),
                status: Some(Status::Done),
                priority: Some(Priority::Low),
                due: Some(Some(date("2026-12-01"))),
                assignee: Some(Some(alice)),
                tags: Some(vec!["y".into(), "z".into()]),
                ..TaskChanges::default()
            },
        },
        Change::CreateTask(TaskFields::titled("Fresh")),
    ];
    for change in changes {
        let before = everything(s);
        s.apply(&change).unwrap();
        let after = everything(s);
        assert_ne!(before, after);
        for _ in 0..2 {
            assert!(s.undo().unwrap().is_some());
            assert_eq!(everything(s), before, "undo of {change:?}");
            assert!(s.redo().unwrap().is_some());
            assert_eq!(everything(s), after, "redo of {change:?}");
        }
    }
    // A delete, undone, puts the task back with its id and tags.
    let now = s.get_task(id).unwrap();
    let before = everything(s);
    s.apply(&Change::DeleteTask {
        id,
        expect: Expect::Version(now.version),
    })
    .unwrap();
    assert!(s.undo().unwrap().is_some());
    assert_eq!(everything(s), before);
    // Undo is per author: another person's undo has nothing of mine.
    assert_eq!((b.other)().undo().unwrap(), None);
}

fn deleting_a_user_hands_their_tasks_on_and_undo_gives_them_back(b: &Backend) {
    let s = b.store.as_ref();
    let alice = user(s, "alice");
    let bob = user(s, "bob");
    for title in ["one", "two"] {
        task(
            s,
            TaskFields {
                assignee: Some(alice),
                ..TaskFields::titled(title)
            },
        );
    }
    let before = everything(s);
    let version = s.get_user(alice).unwrap().version;
    let applied = s
        .apply(&Change::DeleteUser {
            id: alice,
            expect: Expect::Version(version),
            handoff: Handoff::ReassignTo(bob),
        })
        .unwrap();
    assert_eq!(applied.moved, 2);
    assert_eq!(s.count_user_tasks(bob).unwrap(), 2);
    assert!(matches!(s.get_user(alice), Err(StoreError::NotFound(_))));
    s.undo().unwrap();
    assert_eq!(everything(s), before);
}

fn another_clients_commit_changes_the_counter(b: &Backend) {
    let s = b.store.as_ref();
    let other = (b.other)();
    // Its own commits are no news to a client: the interface read them again already.
    let before = s.change_counter().unwrap();
    task(s, TaskFields::titled("From here"));
    std::thread::sleep(std::time::Duration::from_millis(200));
    assert_eq!(s.change_counter().unwrap(), before);
    let start = s.change_counter().unwrap();
    task(other.as_ref(), TaskFields::titled("From elsewhere"));
    // A notice may take a moment to arrive over the network.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    while s.change_counter().unwrap() == start {
        assert!(std::time::Instant::now() < deadline, "no change seen");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert_eq!(s.count_tasks(&TaskFilter::default()).unwrap(), 2);
}

fn export_then_import_gives_the_same_data(b: &Backend) {
    let s = b.store.as_ref();
    let alice = user(s, "alice");
    for (i, title) in ["alpha", "beta", "gamma"].iter().enumerate() {
        task(
            s,
            TaskFields {
                assignee: (i == 1).then_some(alice),
                tags: vec![format!("t{i}")],
                due: Some(date("2026-12-01")),
                ..TaskFields::titled(title)
            },
        );
    }
    let exported = s.export().unwrap();
    assert_eq!(exported.tasks.len(), 3);
    // Into a fresh database of each backend: the same export back.
    // Into a server only where one is named (the test of each backend is not skipped for it).
    let server = cfg!(postgres_tests).then(|| postgres("me"));
    for fresh in [Some(sqlite("me")), server].into_iter().flatten() {
        match fresh.store.import(&exported, false, false).unwrap() {
            Imported::Done { users, tasks } => assert_eq!((users, tasks), (1, 3)),
            other => panic!("{other:?}"),
        }
        assert_eq!(fresh.store.export().unwrap(), exported);
        // A new task after an import with ids takes the next free one.
        let next = task(fresh.store.as_ref(), TaskFields::titled("after"));
        assert_eq!(next, TaskId(4));
    }
}

fn a_refused_import_writes_nothing(b: &Backend) {
    let s = b.store.as_ref();
    task(s, TaskFields::titled("kept"));
    let mut data = s.export().unwrap();
    data.tasks[0].status = "later".into();
    data.tasks[0].id = 50;
    let before = everything(s);
    match s.import(&data, false, false).unwrap() {
        Imported::Rejected(rows) => assert_eq!(rows[0].at, "tasks[0].status"),
        other => panic!("{other:?}"),
    }
    assert_eq!(everything(s), before);
}

/// The same data on both backends gives the same pages, counts and positions, for every order
/// and a range of filters.
#[test]
#[cfg_attr(
    not(postgres_tests),
    ignore = "needs a PostgreSQL server: set TASKTUI_TEST_POSTGRES"
)]
fn both_backends_list_alike() {
    let pg = postgres("me");
    let lite = sqlite("me");
    for b in [&lite, &pg] {
        fill(b.store.as_ref());
    }
    let mut filters = Vec::new();
    for key in SortKey::ALL {
        for reverse in [false, true] {
            let sort = Sort { key, reverse };
            let base = TaskFilter {
                sort,
                ..TaskFilter::default()
            };
            filters.push(base.clone());
            filters.push(TaskFilter {
                state: Some(State::Open),
                ..base.clone()
            });
            filters.push(TaskFilter {
                state: Some(State::Done),
                ..base.clone()
            });
            filters.push(TaskFilter {
                assignee: Assignee::User(UserId(1)),
                ..base.clone()
            });
            filters.push(TaskFilter {
                assignee: Assignee::Unassigned,
                state: Some(State::Open),
                ..base.clone()
            });
            filters.push(TaskFilter {
                tag: Some("area".into()),
                ..base.clone()
            });
            filters.push(TaskFilter {
                search: Some("fix".into()),
                ..base.clone()
            });
            filters.push(TaskFilter {
                search: Some("e #area/web".into()),
                ..base.clone()
            });
            filters.push(TaskFilter {
                due_from: Some(date("2026-11-25")),
                due_until: Some(date("2026-12-05")),
                ..base.clone()
            });
        }
    }
    for filter in &filters {
        let ids = |s: &dyn Database| -> Vec<i64> {
            s.list_tasks(filter, 0, 1000)
                .unwrap()
                .into_iter()
                .map(|t| t.id.0)
                .collect()
        };
        let (a, b) = (ids(lite.store.as_ref()), ids(pg.store.as_ref()));
        assert_eq!(a, b, "{filter:?}");
        for s in [lite.store.as_ref(), pg.store.as_ref()] {
            assert_eq!(s.count_tasks(filter).unwrap(), a.len() as u64, "{filter:?}");
            // Exact, or "more than 3".
            let (n, exact) = s.count_tasks_up_to(filter, 3).unwrap();
            if exact {
                assert_eq!(n, a.len() as u64, "{filter:?}");
            } else {
                assert!(n > 3 && a.len() > 3, "{filter:?}");
            }
            for (at, id) in a.iter().enumerate().step_by(7) {
                assert_eq!(
                    s.task_position(filter, TaskId(*id)).unwrap(),
                    Some(at as u64),
                    "{filter:?} #{id}"
                );
                // The page around it, read from its place: the rows of the page by offset.
                for (before, limit) in [(0, 4), (3, 5), (at.min(9) as u64, 12)] {
                    let from = (at as u64).saturating_sub(before);
                    let around: Vec<i64> = s
                        .list_tasks_around(filter, TaskId(*id), at as u64, before, limit)
                        .unwrap()
                        .into_iter()
                        .map(|t| t.id.0)
                        .collect();
                    let by_offset: Vec<i64> = a
                        .iter()
                        .skip(from as usize)
                        .take(limit as usize)
                        .copied()
                        .collect();
                    assert_eq!(around, by_offset, "{filter:?} #{id} {before} {limit}");
                }
            }
            let tail: Vec<i64> = s
                .list_tasks_from_end(filter, 2, 5)
                .unwrap()
                .into_iter()
                .map(|t| t.id.0)
                .collect();
            let end = a.len().saturating_sub(2);
            assert_eq!(tail, a[end.saturating_sub(5)..end].to_vec(), "{filter:?}");
        }
    }
    let users = |s: &dyn Database| -> Vec<(String, u64, u64)> {
        s.list_users()
            .unwrap()
            .into_iter()
            .map(|u| (u.user.username, u.open_tasks, u.overdue_tasks))
            .collect()
    };
    assert_eq!(users(lite.store.as_ref()), users(pg.store.as_ref()));
    let tags = |s: &dyn Database| -> Vec<(String, u64)> {
        s.list_tags()
            .unwrap()
            .into_iter()
            .map(|t| (t.name, t.tasks))
            .collect()
    };
    assert_eq!(tags(lite.store.as_ref()), tags(pg.store.as_ref()));
}

/// Sixty tasks that tie and differ on every term of every order.
fn fill(s: &dyn Database) {
    let alice = user(s, "alice");
    let bob = user(s, "bob");
    let titles = [
        "Fix login",
        "fix Logout",
        "Écrire",
        "alpha",
        "Beta",
        "zeta fix",
    ];
    let tags = [
        vec![],
        vec!["area".to_string()],
        vec!["area/web".into(), "x".into()],
    ];
    for i in 0..60usize {
        task(
            s,
            TaskFields {
                title: format!("{} {}", titles[i % titles.len()], i % 4),
                description: if i % 5 == 0 {
                    "see the fix".into()
                } else {
                    String::new()
                },
                status: [Status::Todo, Status::Doing, Status::Done][i % 3],
                priority: [
                    Priority::None,
                    Priority::Low,
                    Priority::Medium,
                    Priority::High,
                ][i % 4],
                due: (i % 7 != 0).then(|| date(&format!("2026-11-{:02}", 20 + i % 11))),
                assignee: [None, Some(alice), Some(bob)][(i % 3 + i / 3) % 3],
                tags: tags[i % tags.len()].clone(),
            },
        );
    }
}

/// Two people editing one task at once: different fields (a title and a due date, two new
/// tags) are merged; the same field is refused, naming the task.
fn edits_of_different_fields_are_merged_and_of_the_same_field_refused(b: &Backend) {
    let s = b.store.as_ref();
    let id = task(
        s,
        TaskFields {
            tags: vec!["old".into()],
            ..TaskFields::titled("Shared")
        },
    );
    let seen = s.get_task(id).unwrap();
    let other = (b.other)();
    let theirs = TaskChanges {
        due: Some(Some(date("2026-12-24"))),
        tags: Some(vec!["old".into(), "theirs".into()]),
        ..TaskChanges::default()
    };
    other
        .apply(&Change::UpdateTask {
            id,
            expect: Expect::seen(&seen, &theirs),
            changes: theirs,
        })
        .unwrap();
    let mine = TaskChanges {
        title: Some("Mine".into()),
        tags: Some(vec!["mine".into()]),
        ..TaskChanges::default()
    };
    s.apply(&Change::UpdateTask {
        id,
        expect: Expect::seen(&seen, &mine),
        changes: mine,
    })
    .unwrap();
    let now = s.get_task(id).unwrap();
    assert_eq!(now.title, "Mine");
    assert_eq!(now.due, Some(date("2026-12-24")));
    assert_eq!(
        now.tags,
        ["mine", "theirs"],
        "old removed by me, theirs kept"
    );
    // The same field, changed by both from what they saw: the later one is refused.
    let seen = s.get_task(id).unwrap();
    let title = |t: &str| TaskChanges {
        title: Some(t.into()),
        ..TaskChanges::default()
    };
    other
        .apply(&Change::UpdateTask {
            id,
            expect: Expect::seen(&seen, &title("Theirs")),
            changes: title("Theirs"),
        })
        .unwrap();
    let refused = s.apply(&Change::UpdateTask {
        id,
        expect: Expect::seen(&seen, &title("Mine again")),
        changes: title("Mine again"),
    });
    assert!(
        matches!(refused, Err(StoreError::Changed("this task"))),
        "{refused:?}"
    );
    assert_eq!(s.get_task(id).unwrap().title, "Theirs");
}

/// An import is one change in the history: its undo removes exactly what it added, and is
/// refused, naming them, while someone else's later change stands on it.
fn an_import_is_one_undo_step_refused_when_someone_built_on_it(b: &Backend) {
    let s = b.store.as_ref();
    task(s, TaskFields::titled("older"));
    let mut data = s.export().unwrap();
    data.tasks[0].title = "imported".into();
    data.tasks[0].created_at = "2026-11-01T09:00:00Z".into();
    assert!(matches!(
        s.import(&data, false, false).unwrap(),
        Imported::Done { users: 0, tasks: 1 }
    ));
    // The same file again is noticed.
    assert!(matches!(
        s.import(&data, false, false).unwrap(),
        Imported::Rejected(_)
    ));
    let other = (b.other)();
    let imported = other
        .list_tasks(&TaskFilter::default(), 0, 10)
        .unwrap()
        .into_iter()
        .find(|t| t.title == "imported")
        .unwrap();
    let theirs = TaskChanges {
        priority: Some(Priority::High),
        ..TaskChanges::default()
    };
    other
        .apply(&Change::UpdateTask {
            id: imported.id,
            expect: Expect::seen(&imported, &theirs),
            changes: theirs,
        })
        .unwrap();
    let refused = s.undo();
    assert!(
        matches!(&refused, Err(StoreError::BuiltOn { who, .. }) if who == "other"),
        "{refused:?}"
    );
    assert!(other.undo().unwrap().is_some());
    assert_eq!(
        s.undo().unwrap().as_deref(),
        Some("import 0 users and 1 task")
    );
    let titles: Vec<String> = s
        .list_tasks(&TaskFilter::default(), 0, 10)
        .unwrap()
        .into_iter()
        .map(|t| t.title)
        .collect();
    assert_eq!(titles, ["older"]);
}
