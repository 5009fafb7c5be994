//! Tests of searches and counts: what the indexes find, walked or read through them, and
//! counts cut short.
use super::*;
use crate::TaskFilter;
use crate::test_store as store;
use tasktui_core::model::{Status, Task, TaskFields, validate_user};
use tasktui_core::seam::Tasks;

fn search(store: &Store, assignee: Assignee, text: &str) -> Vec<String> {
    let filter = TaskFilter {
        assignee,
        search: Some(text.into()),
        ..TaskFilter::default()
    };
    let tasks = store.list_tasks(&filter, 0, 100).unwrap();
    assert_eq!(
        store.count_tasks(&filter).unwrap(),
        tasks.len() as u64,
        "count of {text:?}"
    );
    tasks.iter().map(|t| t.title.clone()).collect()
}

#[test]
fn search_finds_text_in_titles_and_descriptions_ignoring_case() {
    let store = store();
    let alice = store
        .create_user(&validate_user("alice", "", "").unwrap())
        .unwrap();
    store
        .create_task(&TaskFields {
            description: "renew the TLS certificate".into(),
            ..TaskFields::titled("Ops chores")
        })
        .unwrap();
    store
        .create_task(&TaskFields {
            assignee: Some(alice),
            ..TaskFields::titled("Certificate of origin")
        })
        .unwrap();
    store
        .create_task(&TaskFields::titled(
            "Write 100% of the docs, \"quoted\" *stars* a_b",
        ))
        .unwrap();
    assert_eq!(
        search(&store, Assignee::All, "CERTIF"),
        ["Ops chores", "Certificate of origin"]
    );
    assert_eq!(
        search(&store, Assignee::User(alice), "certif"),
        ["Certificate of origin"]
    );
    assert_eq!(
        search(&store, Assignee::Unassigned, "certif"),
        ["Ops chores"]
    );
    assert_eq!(
        search(&store, Assignee::All, "nothing like it"),
        Vec::<String>::new()
    );
    assert_eq!(
        search(&store, Assignee::All, "   "),
        search(&store, Assignee::All, "")
    );
}

#[test]
fn short_queries_still_match_and_user_text_is_never_syntax() {
    let store = store();
    store
        .create_task(&TaskFields::titled("Write 100% of the docs"))
        .unwrap();
    store
        .create_task(&TaskFields::titled("say \"hi\" OR NEAR(x y) *stars* a_b"))
        .unwrap();
    store.create_task(&TaskFields::titled("plain")).unwrap();
    assert_eq!(
        search(&store, Assignee::All, "%"),
        ["Write 100% of the docs"]
    );
    assert_eq!(
        search(&store, Assignee::All, "_"),
        ["say \"hi\" OR NEAR(x y) *stars* a_b"]
    );
    assert_eq!(search(&store, Assignee::All, "PL"), ["plain"]);
    for hostile in [
        "\"hi\"",
        "OR NEAR(",
        "*stars*",
        "\"",
        "\"\"\"",
        "NEAR(x y)",
        "a_b",
        "^sa",
        "col:umn",
        "\\",
    ] {
        let found = search(&store, Assignee::All, hostile);
        assert!(found.len() <= 1, "{hostile}: {found:?}");
    }
    assert_eq!(
        search(&store, Assignee::All, "OR NEAR("),
        ["say \"hi\" OR NEAR(x y) *stars* a_b"]
    );
}

#[test]
fn search_follows_edits_and_deletions() {
    let store = store();
    let id = store.create_task(&TaskFields::titled("before")).unwrap();
    store
        .update_task(
            id,
            1,
            &TaskFields {
                description: "now about kittens".into(),
                ..TaskFields::titled("after")
            }
            .into(),
        )
        .unwrap();
    assert_eq!(search(&store, Assignee::All, "kitten"), ["after"]);
    assert_eq!(
        search(&store, Assignee::All, "before"),
        Vec::<String>::new()
    );
    store.set_status(id, 2, Status::Done).unwrap();
    assert_eq!(search(&store, Assignee::All, "kitten"), ["after"]);
    store.delete_task(id, 3).unwrap();
    assert_eq!(
        search(&store, Assignee::All, "kitten"),
        Vec::<String>::new()
    );
}

#[test]
fn walking_the_list_and_reading_the_index_find_the_same_tasks() {
    let store = store();
    for i in 0..64 {
        let title = match i % 4 {
            0 => format!("Renew CERT {i}"),
            1 => format!("Été {i}"),
            2 => format!("plain {i}"),
            _ => format!("ÉTÉ cert {i}"),
        };
        let mut f = TaskFields::titled(&title);
        if i == 2 {
            f.tags = vec!["certbot".into()];
        }
        if i == 6 {
            f.description = "a Certificate, then été".into();
        }
        store.create_task(&f).unwrap();
    }
    for query in ["cert", "CeRt", "été", "ÉTÉ", "ert 1", "été cert"] {
        let filter = TaskFilter {
            search: Some(query.into()),
            ..TaskFilter::default()
        };
        let ids = |tasks: Vec<Task>| {
            let mut ids: Vec<i64> = tasks.iter().map(|t| t.id.0).collect();
            ids.sort_unstable();
            ids
        };
        // Nothing counted: the order's index is walked and each task tested.
        *store.counted.borrow_mut() = None;
        let walked = ids(store.list_tasks(&filter, 0, 100).unwrap());
        // Counted as few: the matches are read through the indexes and sorted.
        let counted = Counted {
            n: 1,
            exact: true,
            found: false,
        };
        let naming = store.naming(&filter).unwrap();
        *store.counted.borrow_mut() = Some((filter.clone(), counted, naming));
        let indexed = ids(store.list_tasks(&filter, 0, 100).unwrap());
        assert_eq!(walked, indexed, "{query:?}");
        assert_eq!(store.count_tasks(&filter).unwrap(), walked.len() as u64);
        assert!(!walked.is_empty(), "{query:?}");
    }
}

#[test]
fn a_count_cut_short_says_more_and_a_small_one_is_exact() {
    let store = store();
    for i in 0..20 {
        let mut f = TaskFields::titled(&format!("Renew the cert {i}"));
        if i == 0 {
            f.tags = vec!["ops".into()];
        }
        store.create_task(&f).unwrap();
    }
    let filter = |text: &str| TaskFilter {
        search: Some(text.into()),
        ..TaskFilter::default()
    };
    // One indexed word past the bound, another word beside it, a short word: each says more.
    for text in ["cert", "renew cert", "ce"] {
        assert_eq!(
            store.count_tasks_up_to(&filter(text), 5).unwrap(),
            (6, false),
            "{text:?}"
        );
    }
    assert_eq!(
        store.count_tasks_up_to(&filter("cert 1"), 50).unwrap(),
        (11, true)
    );
    assert_eq!(
        store.count_tasks_up_to(&filter("ops"), 5).unwrap(),
        (1, true)
    );
    // The whole list is counted from the kept counts: exact, past any bound.
    assert_eq!(
        store.count_tasks_up_to(&TaskFilter::default(), 5).unwrap(),
        (20, true)
    );
}
