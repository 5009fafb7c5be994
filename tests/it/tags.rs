//! Tags: the migration that adds them to a database holding data, the store's rules, and every
//! place the interface shows or changes them.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

use crate::support;

use ratatui::crossterm::event::KeyCode;
use rusqlite::Connection;
use support::harness::{Harness, screen};
use tasktui::app::{Mode, TagEdit};
use tasktui::model::{TaskFields, parse_tags};
use tasktui_core::seam::Changes;
use tasktui_core::seam::Counts;
use tasktui_core::seam::Tasks;
use tasktui_sqlite::{FileLocation, Store, TaskFilter};
use tempfile::TempDir;

fn tagged(title: &str, tags: &[&str]) -> TaskFields {
    TaskFields {
        tags: tags.iter().map(|t| t.to_string()).collect(),
        ..TaskFields::titled(title)
    }
}

/// Three tasks: t1 #backend #bug, t2 #area/api, t3 untagged.
fn three(author: Option<&str>) -> Harness {
    Harness::as_person(author, |store| {
        store
            .create_task(&tagged("t1", &["backend", "bug"]))
            .unwrap();
        store.create_task(&tagged("t2", &["area/api"])).unwrap();
        store.create_task(&TaskFields::titled("t3")).unwrap();
    })
}

fn tags_of(h: &Harness, title: &str) -> String {
    h.text(&format!(
        "SELECT ifnull((SELECT group_concat(g.name, ' ' ORDER BY g.name) FROM task_tags tt
                 JOIN tags g ON g.id = tt.tag_id WHERE tt.task_id = t.id), '')
         FROM tasks t WHERE title = '{title}'"
    ))
}

#[test]
fn tag_names_are_short_words_and_unique_without_regard_to_case() {
    assert_eq!(
        parse_tags("#Backend bug backend area/api").unwrap(),
        ["Backend", "bug", "area/api"]
    );
    for bad in [
        "a,b",
        "/x",
        "x/",
        "a//b",
        "tab\tx#",
        "ünï-ok🙂",
        &"x".repeat(41),
    ] {
        assert!(parse_tags(bad).is_err(), "{bad:?} was taken");
    }
    assert_eq!(parse_tags("ünï-ok_2").unwrap(), ["ünï-ok_2"]);
    // The table keeps the first spelling: a second one is the same tag.
    let store = Store::open_in_memory().unwrap();
    store.create_task(&tagged("a", &["Backend"])).unwrap();
    store.create_task(&tagged("b", &["backend"])).unwrap();
    let tags = store.list_tags().unwrap();
    assert_eq!(tags.len(), 1);
    assert_eq!((tags[0].name.as_str(), tags[0].tasks), ("Backend", 2));
    // The table refuses what would break a list or a search, whoever writes it.
    for bad in ["with space", "a#b", "a,b", ""] {
        assert!(
            store
                .connection()
                .execute("INSERT INTO tags (name) VALUES (?1)", [bad])
                .is_err(),
            "{bad:?}"
        );
    }
}

#[test]
fn deleting_a_task_removes_its_tags_with_or_without_foreign_keys() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("t.db");
    let store = Store::open(&FileLocation::Explicit(path.clone()))
        .unwrap()
        .store;
    store.create_task(&tagged("a", &["x", "y"])).unwrap();
    store.create_task(&tagged("b", &["x"])).unwrap();
    // Another tool, foreign keys off (SQLite's default).
    let other = Connection::open(&path).unwrap();
    other
        .execute("DELETE FROM tasks WHERE title = 'a'", [])
        .unwrap();
    let count = |sql: &str| -> i64 { other.query_row(sql, [], |r| r.get(0)).unwrap() };
    assert_eq!(count("SELECT count(*) FROM task_tags"), 1);
    assert_eq!(count("SELECT tasks FROM tags WHERE name = 'x'"), 1);
    assert_eq!(count("SELECT tasks FROM tags WHERE name = 'y'"), 0);
    // tasktui, foreign keys on, through a change (and its undo brings the tags back).
    let mut store = store;
    store.set_author(Some("me".into()));
    let b = store.list_tasks(&TaskFilter::default(), 0, 10).unwrap()[0].clone();
    store
        .apply(&tasktui::model::Change::DeleteTask {
            id: b.id,
            expect: tasktui::model::Expect::Version(b.version),
        })
        .unwrap();
    assert_eq!(count("SELECT count(*) FROM task_tags"), 0);
    store.undo().unwrap();
    assert_eq!(
        store.get_task(b.id).unwrap().tags,
        ["x"],
        "the undo of a deletion gives the tags back"
    );
    assert_eq!(count("SELECT tasks FROM tags WHERE name = 'x'"), 1);
}

#[test]
fn a_database_with_data_upgrades_keeping_every_row_and_count_and_the_downgrade_asks() {
    let dir = TempDir::new().unwrap();
    let db = dir.path().join("t.db");
    support::database_with(
        &db,
        "8",
        "INSERT INTO users (username) VALUES ('alice');
         INSERT INTO tasks (title, status, assignee_id, due_date) VALUES
             ('one', 'todo', 1, '2026-12-01'), ('two', 'done', 1, NULL), ('three', 'doing', NULL, NULL);",
    );
    let conn = Connection::open(&db).unwrap();
    let snapshot = |conn: &Connection| -> Vec<String> {
        ["users", "tasks", "task_counts"]
            .iter()
            .map(|t| {
                conn.prepare(&format!("SELECT * FROM {t} ORDER BY 1, 2"))
                    .unwrap()
                    .query_map([], |row| {
                        Ok((0..row.as_ref().column_count())
                            .map(|i| format!("{:?}", row.get_ref(i).unwrap()))
                            .collect::<Vec<_>>()
                            .join("|"))
                    })
                    .unwrap()
                    .collect::<Result<Vec<_>, _>>()
                    .unwrap()
                    .join("\n")
            })
            .collect()
    };
    let before = snapshot(&conn);
    drop(conn);
    let o = support::command(&db, &["db", "upgrade"]).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let said = String::from_utf8_lossy(&o.stdout);
    assert!(said.contains("backed up to"), "{said}");
    assert!(said.contains("applied V9__tags"), "{said}");
    let conn = Connection::open(&db).unwrap();
    assert_eq!(snapshot(&conn), before, "every row and count kept");
    conn.execute_batch(
        "INSERT INTO tags (name) VALUES ('ops');
         INSERT INTO task_tags (task_id, tag_id) VALUES (1, 1);",
    )
    .unwrap();
    drop(conn);
    // Without a terminal, the downgrade says what it drops and asks for --yes.
    let o = support::command(&db, &["db", "downgrade", "8"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("V9__tags: every tag and which tasks carry it") && err.contains("--yes"),
        "{err}"
    );
    let o = support::command(&db, &["db", "downgrade", "8", "--yes"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let conn = Connection::open(&db).unwrap();
    assert_eq!(snapshot(&conn), before, "the downgrade kept the rest");
}

#[test]
fn tags_show_after_the_title_in_the_list_and_in_the_detail() {
    let h = three(None);
    let shown = screen(&h);
    assert!(shown.contains("#1 t1 #backend #bug"), "{shown}");
    assert!(shown.contains("tags #backend #bug"), "{shown}");
}

#[test]
fn capital_t_adds_and_removes_tags_on_the_selected_or_marked_tasks_as_one_change() {
    let mut h = three(Some("alice"));
    h.keys("T").keys("ops -bug");
    h.key(KeyCode::Enter);
    assert_eq!(tags_of(&h, "t1"), "backend ops");
    assert_eq!(h.message(), "“t1”: +#ops -#bug");
    // On marks: one change, one undo step.
    let changes = h.count("SELECT count(*) FROM changes");
    h.keys("gvvv").keys("T").keys("urgent");
    h.key(KeyCode::Enter);
    assert_eq!(h.message(), "3 tasks: +#urgent");
    assert_eq!(h.count("SELECT count(*) FROM changes"), changes + 1);
    assert_eq!(h.count("SELECT tasks FROM tags WHERE name = 'urgent'"), 3);
    h.keys("u");
    assert_eq!(h.message(), "undid: tag 3 tasks");
    assert_eq!(h.count("SELECT tasks FROM tags WHERE name = 'urgent'"), 0);
    assert_eq!(tags_of(&h, "t1"), "backend ops");
    h.ctrl('r');
    assert_eq!(h.count("SELECT tasks FROM tags WHERE name = 'urgent'"), 3);
    // The history in the detail says what happened.
    h.keys("g");
    assert!(
        h.app
            .history
            .iter()
            .any(|e| e.summary == "tag #1 “t1”: #backend #ops"),
        "{:?}",
        h.app.history
    );
    // A bad name keeps the prompt open with the way out, and changes nothing.
    h.keys("T").keys("a,b");
    h.key(KeyCode::Enter);
    assert!(matches!(h.app.mode, Mode::Tags(_)));
    assert!(
        h.message().contains("use letters, digits"),
        "{}",
        h.message()
    );
    h.key(KeyCode::Esc);
    // → takes the tag offered for the word being typed.
    h.keys("T").keys("ur");
    h.key(KeyCode::Right);
    h.key(KeyCode::Enter);
    assert!(tags_of(&h, "t1").contains("urgent"));
}

#[test]
fn the_form_edits_tags_and_offers_the_tags_in_use() {
    let mut h = three(None);
    h.keys("e");
    for _ in 0..6 {
        h.key(KeyCode::Tab);
    }
    assert_eq!(h.form_text(6), "backend bug");
    h.key(KeyCode::End).keys(" are");
    h.key(KeyCode::Right); // takes "area/api"
    assert_eq!(h.form_text(6), "backend bug area/api ");
    let shown = screen(&h);
    assert!(shown.contains("Tags"), "{shown}");
    h.ctrl('s');
    assert_eq!(tags_of(&h, "t1"), "area/api backend bug");
    // A bad name is shown beside the field, and nothing is saved.
    h.keys("e");
    for _ in 0..6 {
        h.key(KeyCode::Tab);
    }
    h.keys(" no,comma");
    h.ctrl('s');
    let (field, message) = h.form_error().unwrap();
    assert_eq!(field, Some(tasktui::model::Field::Tags));
    assert!(message.contains("“no,comma”"), "{message}");
    h.key(KeyCode::Esc).key(KeyCode::Esc);
    // A new task gets its tags too.
    h.keys("a").keys("t4");
    for _ in 0..6 {
        h.key(KeyCode::Tab);
    }
    h.keys("fresh");
    h.ctrl('s');
    assert_eq!(tags_of(&h, "t4"), "fresh");
}

#[test]
fn the_filter_menu_chooses_a_tag_from_those_in_use_with_counts() {
    let mut h = three(None);
    h.keys("f#");
    let Mode::TagFilter(_) = &h.app.mode else {
        panic!("f # opens the tag picker: {:?}", h.app.mode);
    };
    let shown = screen(&h);
    assert!(shown.contains("#backend"), "{shown}");
    h.keys("api");
    h.key(KeyCode::Enter);
    assert_eq!(h.titles(), ["t2"]);
    assert!(screen(&h).contains("Tasks: all · #area/api (1/1)"));
    h.keys("f#"); // again: drops the tag filter
    assert_eq!(h.titles().len(), 3);
    assert!(screen(&h).contains("Tasks: all (1/3)"));
    // With no tag in use, the menu says how to make one.
    let mut empty = Harness::new();
    empty.keys("f#");
    assert!(empty.message().contains("T tags the selected task"));
}

#[test]
fn search_matches_tag_names_and_a_hash_word_narrows_to_a_tag() {
    let mut h = three(None);
    let search = |h: &mut Harness, text: &str| {
        h.key(KeyCode::Char('/'));
        h.ctrl('u');
        h.keys(text);
        h.key(KeyCode::Enter);
        let mut titles = h.titles();
        titles.sort();
        assert_eq!(h.app.tasks.total, titles.len() as u64, "{text}: the count");
        titles
    };
    assert_eq!(search(&mut h, "backe"), ["t1"], "a tag's name");
    assert_eq!(search(&mut h, "bu"), ["t1"], "short words too");
    assert_eq!(search(&mut h, "#bug"), ["t1"]);
    assert_eq!(
        search(&mut h, "#area"),
        ["t2"],
        "a parent takes its children"
    );
    assert_eq!(search(&mut h, "#are"), Vec::<String>::new(), "a whole name");
    assert_eq!(search(&mut h, "t2 #area/api"), ["t2"]);
    assert_eq!(search(&mut h, "t1 #area/api"), Vec::<String>::new());
    assert_eq!(
        search(&mut h, "#"),
        ["t1", "t2", "t3"],
        "a lone # is no tag yet"
    );
}

#[test]
fn tag_edits_parse_adds_and_removes() {
    let edit = TagEdit::parse("ops +#web -bug -#Backend").unwrap();
    assert_eq!(edit.add, ["ops", "web"]);
    assert_eq!(edit.remove, ["bug", "Backend"]);
    assert_eq!(
        edit.applied_to(&["backend".into(), "bug".into(), "Ops".into()]),
        ["Ops", "web"]
    );
    assert!(TagEdit::parse("-").is_err());
}

#[test]
fn a_page_is_the_same_whether_read_through_the_tag_or_by_walking_the_order() {
    let store = Store::open_in_memory().unwrap();
    for i in 0..300u32 {
        let mut tags = Vec::new();
        if i % 2 == 0 {
            tags.push("common");
        }
        if i % 60 == 0 {
            tags.push("rare");
        }
        let mut fields = tagged(&format!("task {i:03}"), &tags);
        fields.priority = tasktui::model::Priority::ALL[(i % 4) as usize];
        store.create_task(&fields).unwrap();
    }
    for search in ["#common", "#rare", "task 01", "rare", "#common task"] {
        let filter = TaskFilter {
            search: Some(search.into()),
            ..TaskFilter::default()
        };
        // Without a count, the page walks the order; after one, few matches are read through
        // the tag or the search index and sorted.
        let walked = store.list_tasks(&filter, 0, 400).unwrap();
        let total = store.count_tasks(&filter).unwrap();
        let read = store.list_tasks(&filter, 0, 400).unwrap();
        assert_eq!(walked, read, "{search}");
        assert_eq!(walked.len() as u64, total, "{search}");
        let from_end = store.list_tasks_from_end(&filter, 0, 7).unwrap();
        assert_eq!(
            from_end.as_slice(),
            &walked[walked.len().saturating_sub(7)..],
            "{search}"
        );
    }
}

#[test]
fn a_tag_filter_counts_the_tasks_it_lists_from_the_kept_count_when_no_tag_sits_under_it() {
    let store = Store::open_in_memory().unwrap();
    for (title, tags) in [
        ("t1", vec!["backend"]),
        ("t2", vec!["backend", "area"]),
        ("t3", vec!["area", "area/api"]),
        ("t4", vec!["area/api"]),
        ("t5", vec![]),
    ] {
        store
            .create_task(&TaskFields {
                tags: tags.into_iter().map(String::from).collect(),
                ..TaskFields::titled(title)
            })
            .unwrap();
    }
    let count = |tag: &str| {
        let filter = TaskFilter {
            tag: Some(tag.into()),
            ..TaskFilter::default()
        };
        let listed = store.list_tasks(&filter, 0, 100).unwrap().len() as u64;
        (store.count_tasks(&filter).unwrap(), listed)
    };
    // `area` takes `area/api` too, and t3 carries both: counted once.
    assert_eq!(count("area"), (3, 3));
    assert_eq!(count("backend"), (2, 2));
    assert_eq!(count("area/api"), (2, 2));
    assert_eq!(count("nothing"), (0, 0));
    // A tag with none under it is counted from its kept count, not by walking its tasks.
    store
        .connection()
        .execute("UPDATE tags SET tasks = 99 WHERE name = 'backend'", [])
        .unwrap();
    assert_eq!(count("backend").0, 99);
}
