//! Import files are typed text too: the JSON, CSV and taskwarrior readers take any text without
//! panicking, and an import of any rows they accept (any ids, dates, names and tags) either
//! takes them all, so that they export again, or names what it refused and leaves the database
//! as it was.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

use proptest::prelude::*;
use tasktui_core::seam::Counts;
use tasktui_core::seam::Exchange;
use tasktui_sqlite::{Export, Imported, Store, TaskOut, UserOut};

/// Text of the pieces import formats are made of, mixed with anything.
fn text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        prop::sample::select(vec![
            "{",
            "}",
            "[",
            "]",
            ",",
            ":",
            "\"",
            "\n",
            "\r\n",
            "record",
            "user",
            "task",
            "id",
            "title",
            "status",
            "tags",
            "\"tasks\"",
            "\"users\"",
            "tasktui_export",
            "1",
            "-1",
            "9223372036854775807",
            "2026-12-01",
            "todo",
            "done",
            "pending",
            "H",
            "é",
            "\u{202E}",
            "\u{1b}",
            "\0",
            "null",
            "true",
        ])
        .prop_map(str::to_string),
        any::<char>().prop_map(String::from),
    ];
    prop::collection::vec(piece, 0..40).prop_map(|pieces| pieces.concat())
}

/// A value that is sometimes right and often not.
fn field(right: &'static [&'static str]) -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(right).prop_map(str::to_string),
        "[a-z]{1,8}",
        any::<String>(),
    ]
}

fn user() -> impl Strategy<Value = UserOut> {
    (
        field(&["alice", "bob", "ALICE"]),
        any::<String>(),
        prop::option::of(field(&["a@example.com", "nope"])),
    )
        .prop_map(|(username, full_name, email)| UserOut {
            username,
            full_name,
            email,
            created_at: "2026-11-25T00:00:00Z".into(),
        })
}

fn task() -> impl Strategy<Value = TaskOut> {
    (
        prop_oneof![1..5i64, any::<i64>()],
        field(&["Fix login", "Write notes"]),
        field(&["todo", "doing", "done"]),
        field(&["none", "low", "medium", "high"]),
        prop::option::of(field(&["2026-12-01", "2026-02-30"])),
        prop::option::of(field(&["alice", "bob", "carol"])),
        prop::collection::vec(field(&["backend", "area/api", "a b"]), 0..3),
    )
        .prop_map(
            |(id, title, status, priority, due, assignee, tags)| TaskOut {
                id,
                title,
                description: String::new(),
                status,
                priority,
                due,
                assignee,
                tags,
                created_at: "2026-11-25T00:00:00Z".into(),
                updated_at: "2026-11-25T00:00:00Z".into(),
                completed_at: None,
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn the_readers_take_any_text_without_panicking(text in text()) {
        let _ = serde_json::from_str::<Export>(&text);
        let _ = tasktui::exchange_csv::read(&text);
        let _ = tasktui::taskwarrior::read(&text);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn an_import_takes_every_row_or_none(
        users in prop::collection::vec(user(), 0..3),
        tasks in prop::collection::vec(task(), 0..4),
        into_a_list in any::<bool>(),
    ) {
        let store = Store::open_in_memory().unwrap();
        if into_a_list {
            store.create_task(&tasktui::model::TaskFields::titled("already here")).unwrap();
        }
        let before = store.export().unwrap();
        let data = Export { tasktui_export: 1, users, tasks };
        match store.import(&data, false, false) {
            Ok(Imported::Done { tasks, .. }) => {
                let after = store.export().unwrap();
                prop_assert_eq!(after.tasks.len(), before.tasks.len() + tasks);
                prop_assert_eq!(tasks, data.tasks.len());
            }
            Ok(Imported::Rejected(rejected)) => {
                prop_assert!(!rejected.is_empty());
                prop_assert_eq!(store.export().unwrap(), before);
            }
            Err(error) => {
                // A refusal of the database (an id past the last one SQLite can give) is an
                // error with a message, and the database is as it was.
                prop_assert!(!error.to_string().is_empty());
                prop_assert_eq!(store.export().unwrap(), before);
            }
        }
        // Whatever happened, the search still finds what is there and the schema is whole.
        let filter = tasktui_sqlite::TaskFilter { search: Some("here".into()), ..Default::default() };
        prop_assert_eq!(store.count_tasks(&filter).unwrap(), u64::from(into_a_list));
    }
}
