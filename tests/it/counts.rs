//! The counts the database keeps (V8) stay exact whatever writes the tasks: tasktui's own
//! changes and undo, and another program's inserts, updates and deletes.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

use proptest::prelude::*;
use rusqlite::Connection;
use tasktui_core::seam::Changes;
use tasktui_sqlite::Store;

/// Rows of counts: assignee (0: none), done, due date ('': none), tasks.
type Counts = Vec<(i64, i64, String, i64)>;

/// The kept counts and a recount from the tasks, each as sorted rows.
fn both(conn: &Connection) -> (Counts, Counts) {
    let read = |sql: &str| {
        conn.prepare(sql)
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .unwrap()
            .collect::<rusqlite::Result<Vec<_>>>()
            .unwrap()
    };
    (
        read("SELECT assignee, done, due, n FROM task_counts ORDER BY 1, 2, 3"),
        read(
            "SELECT ifnull(assignee_id, 0), status = 'done', ifnull(due_date, ''), count(*)
             FROM tasks GROUP BY 1, 2, 3 ORDER BY 1, 2, 3",
        ),
    )
}

#[derive(Debug, Clone)]
enum Write {
    Insert {
        who: i64,
        status: &'static str,
        due: Option<u32>,
    },
    Update {
        pick: usize,
        who: i64,
        status: &'static str,
        due: Option<u32>,
    },
    Delete {
        pick: usize,
    },
    /// `INSERT OR REPLACE` over a task that exists, as a sync script might write.
    Replace {
        pick: usize,
        who: i64,
        status: &'static str,
    },
}

fn write() -> impl Strategy<Value = Write> {
    let who = 0..3i64;
    let status = prop::sample::select(vec!["todo", "doing", "done"]);
    let due = prop::option::of(1..4u32);
    prop_oneof![
        (who.clone(), status.clone(), due.clone()).prop_map(|(who, status, due)| Write::Insert {
            who,
            status,
            due
        }),
        (0..20usize, who, status, due).prop_map(|(pick, who, status, due)| Write::Update {
            pick,
            who,
            status,
            due
        }),
        (0..20usize).prop_map(|pick| Write::Delete { pick }),
        (
            0..20usize,
            0..3i64,
            prop::sample::select(vec!["todo", "done"])
        )
            .prop_map(|(pick, who, status)| Write::Replace { pick, who, status }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn kept_counts_equal_a_recount_after_any_writes(writes in prop::collection::vec(write(), 0..40)) {
        let store = Store::open_in_memory().unwrap();
        let conn = store.connection();
        conn.execute_batch("INSERT INTO users (id, username) VALUES (1, 'a'), (2, 'b')").unwrap();
        for w in &writes {
            let ids: Vec<i64> = conn
                .prepare("SELECT id FROM tasks ORDER BY id").unwrap()
                .query_map([], |r| r.get(0)).unwrap()
                .collect::<rusqlite::Result<_>>().unwrap();
            let due = |d: &Option<u32>| d.map(|d| format!("2026-12-0{d}"));
            let who = |w: i64| (w > 0).then_some(w);
            match w {
                Write::Insert { who: w, status, due: d } => {
                    conn.execute(
                        "INSERT INTO tasks (title, status, assignee_id, due_date) VALUES ('t', ?1, ?2, ?3)",
                        rusqlite::params![status, who(*w), due(d)],
                    ).unwrap();
                }
                Write::Update { pick, who: w, status, due: d } if !ids.is_empty() => {
                    conn.execute(
                        "UPDATE tasks SET status = ?1, assignee_id = ?2, due_date = ?3 WHERE id = ?4",
                        rusqlite::params![status, who(*w), due(d), ids[pick % ids.len()]],
                    ).unwrap();
                }
                Write::Delete { pick } if !ids.is_empty() => {
                    conn.execute("DELETE FROM tasks WHERE id = ?1", [ids[pick % ids.len()]]).unwrap();
                }
                Write::Replace { pick, who: w, status } if !ids.is_empty() => {
                    // Refused, saying how to change a task: a replace would skip the triggers.
                    let refused = conn.execute(
                        "INSERT OR REPLACE INTO tasks (id, title, status, assignee_id) VALUES (?1, 'r', ?2, ?3)",
                        rusqlite::params![ids[pick % ids.len()], status, who(*w)],
                    ).unwrap_err();
                    prop_assert!(refused.to_string().contains("change a task with UPDATE"), "{}", refused);
                }
                _ => {}
            }
            let (kept, recounted) = both(conn);
            prop_assert_eq!(kept, recounted, "after {:?}", w);
        }
    }
}

#[test]
fn counts_follow_tasktui_s_changes_undo_and_a_user_s_deletion() {
    use tasktui::model::{Change, Expect, Handoff, Status, TaskChanges, TaskFields, validate_user};
    let mut store = Store::open_in_memory().unwrap();
    store.set_author(Some("a".into()));
    let alice = store
        .create_user(&validate_user("alice", "", "").unwrap())
        .unwrap();
    for i in 0..5 {
        store
            .create_task(&TaskFields {
                assignee: (i % 2 == 0).then_some(alice),
                due: Some("2026-12-01".parse().unwrap()),
                ..TaskFields::titled(&format!("t{i}"))
            })
            .unwrap();
    }
    let check = |store: &Store| {
        let (kept, recounted) = both(store.connection());
        assert_eq!(kept, recounted);
    };
    check(&store);
    store
        .apply(&Change::UpdateTask {
            id: tasktui::model::TaskId(1),
            expect: Expect::Version(1),
            changes: TaskChanges {
                status: Some(Status::Done),
                due: Some(None),
                ..TaskChanges::default()
            },
        })
        .unwrap();
    check(&store);
    store
        .apply(&Change::DeleteUser {
            id: alice,
            expect: Expect::Version(1),
            handoff: Handoff::Unassign,
        })
        .unwrap();
    check(&store);
    while store.undo().unwrap().is_some() {
        check(&store);
    }
    while store.redo().unwrap().is_some() {
        check(&store);
    }
}

/// `tasktui db check` on `db`: its exit code and what it printed.
fn db_check(db: &std::path::Path) -> (i32, String) {
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_tasktui"))
        .args(["db", "check", "--db", db.to_str().unwrap()])
        .env("TASKTUI_CONFIG", "/dev/null")
        .env("TASKTUI_LOG", "off")
        .output()
        .unwrap();
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    (o.status.code().unwrap_or(-1), said)
}

#[test]
fn another_tool_s_writes_keep_the_counts_exact_and_db_check_names_a_count_that_is_not() {
    for foreign_keys in [true, false] {
        let dir = tempfile::TempDir::new().unwrap();
        let db = dir.path().join("t.db");
        drop(Store::open(&tasktui_sqlite::FileLocation::Explicit(db.clone())).unwrap());
        let conn = Connection::open(&db).unwrap();
        conn.pragma_update(None, "foreign_keys", foreign_keys)
            .unwrap();
        conn.execute_batch(
            "INSERT INTO users (id, username) VALUES (1, 'alice'), (2, 'bob');
             INSERT INTO tasks (id, title, assignee_id, due_date) VALUES
                 (1, 'a', 1, '2026-12-01'), (2, 'b', 2, NULL), (3, 'c', NULL, '2026-12-02');
             INSERT INTO tags (id, name) VALUES (1, 'backend'), (2, 'ui');
             INSERT INTO task_tags (task_id, tag_id) VALUES (1, 1), (2, 1), (3, 2);
             UPDATE tasks SET status = 'done', due_date = '2026-12-03' WHERE id = 2;
             UPDATE tasks SET assignee_id = 2 WHERE id = 3;
             -- A tag carried again, by INSERT OR REPLACE and OR IGNORE: nothing changes.
             INSERT OR REPLACE INTO task_tags (task_id, tag_id) VALUES (1, 1);
             INSERT OR IGNORE INTO task_tags (task_id, tag_id) VALUES (2, 1);
             DELETE FROM tasks WHERE id = 1;",
        )
        .unwrap();
        // Replacing a task is refused and changes nothing.
        let refused = conn
            .execute(
                "INSERT OR REPLACE INTO tasks (id, title, status) VALUES (2, 'x', 'todo')",
                [],
            )
            .unwrap_err();
        assert!(
            refused.to_string().contains("change a task with UPDATE"),
            "{refused}"
        );
        if foreign_keys {
            // The cascades: bob's tasks go to nobody, the ui tag leaves its task.
            conn.execute_batch("DELETE FROM users WHERE id = 2; DELETE FROM tags WHERE id = 2;")
                .unwrap();
        }
        let (kept, recounted) = both(&conn);
        assert_eq!(kept, recounted, "foreign keys {foreign_keys}");
        drop(conn);
        let (code, said) = db_check(&db);
        assert_eq!(code, 0, "{said}");

        // A count changed behind the triggers' back is named, with the way to rebuild them.
        let conn = Connection::open(&db).unwrap();
        conn.execute_batch(
            "UPDATE task_counts SET n = n + 2 WHERE done = 1; UPDATE tags SET tasks = 7 WHERE id = 1;",
        )
        .unwrap();
        drop(conn);
        let (code, said) = db_check(&db);
        assert_ne!(code, 0, "{said}");
        let who = if foreign_keys { "unassigned" } else { "bob" };
        assert!(
            said.contains(&format!(
                "kept counts: 1 task count differs from a recount ({who} done due 2026-12-03: kept 3, counted 1)"
            )),
            "{said}"
        );
        assert!(said.contains("#backend: kept 7, counted 1"), "{said}");
        assert!(
            said.contains("DELETE FROM task_counts; INSERT INTO task_counts"),
            "{said}"
        );
    }
}
