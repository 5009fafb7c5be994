//! Search against a reading of every task: whatever the words (one letter, two, three or more,
//! other alphabets, several at once, names of tags), the indexes find exactly the tasks a test
//! of each task's text and tags finds, walked in list order or read through the indexes; and
//! the index of short words (V11) holds what its view says, whoever wrote the tasks.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

use proptest::prelude::*;
use rusqlite::Connection;
use tasktui::model::TaskFields;
use tasktui_core::seam::Counts;
use tasktui_core::seam::Tasks;
use tasktui_sqlite::{FileLocation, State, Store, TaskFilter, check, grams};
use tempfile::TempDir;

/// Letters whose case LIKE and the indexes fold alike (ASCII), and letters without case.
const LETTERS: &[char] = &['a', 'b', 'A', 'B', 'é', '日', 'x'];

fn text(max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            4 => prop::sample::select(LETTERS.to_vec()),
            1 => prop::sample::select(vec![' ', '\n']),
        ],
        0..max,
    )
    .prop_map(|chars| chars.into_iter().collect())
}

fn word() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(LETTERS.to_vec()), 1..5)
        .prop_map(|chars| chars.into_iter().collect())
}

/// What a reading of every task finds (of the open ones, or those tagged `ab`, when the filter
/// says so): every word in the title, the description or a tag's
/// name, ASCII letters in either case.
fn holds(task: &(String, String, Vec<String>), words: &[String]) -> bool {
    let has = |hay: &str, word: &str| {
        hay.to_ascii_lowercase()
            .contains(&word.to_ascii_lowercase())
    };
    words
        .iter()
        .all(|w| has(&task.0, w) || has(&task.1, w) || task.2.iter().any(|tag| has(tag, w)))
}

fn open(dir: &TempDir) -> Store {
    Store::open(&FileLocation::Explicit(dir.path().join("t.db")))
        .unwrap()
        .store
}

fn ids_of(store: &Store, filter: &TaskFilter) -> Vec<i64> {
    let mut ids: Vec<i64> = store
        .list_tasks(filter, 0, 1_000)
        .unwrap()
        .iter()
        .map(|t| t.id.0)
        .collect();
    ids.sort_unstable();
    ids
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn a_search_finds_what_reading_every_task_finds(
        tasks in prop::collection::vec(
            (text(8).prop_filter("a title", |t| !t.trim().is_empty()), text(12),
             prop::sample::subsequence(vec!["ab".to_string(), "b-é".to_string()], 0..=2)),
            1..40),
        queries in prop::collection::vec(prop::collection::vec(word(), 1..3), 1..6),
        done in prop::collection::vec(any::<bool>(), 40),
        open_only in any::<bool>(),
        tagged_only in any::<bool>(),
    ) {
        let dir = TempDir::new().unwrap();
        let store = open(&dir);
        let mut ids = Vec::new();
        for (title, description, tags) in &tasks {
            let fields = TaskFields {
                description: description.clone(),
                tags: tags.clone(),
                ..TaskFields::titled(title.trim())
            };
            ids.push(store.create_task(&fields).unwrap().0);
        }
        for (id, done) in ids.iter().zip(&done) {
            if *done {
                store
                    .connection()
                    .execute("UPDATE tasks SET status = 'done' WHERE id = ?1", [id])
                    .unwrap();
            }
        }
        let tasks: Vec<_> = tasks
            .into_iter()
            .map(|(t, d, g)| (t.trim().to_string(), d, g))
            .collect();
        for words in queries {
            let mut expected: Vec<i64> = tasks
                .iter()
                .zip(&ids)
                .zip(&done)
                .filter(|((task, _), done)| {
                    holds(task, &words)
                        && !(open_only && **done)
                        && (!tagged_only || task.2.iter().any(|t| t == "ab"))
                })
                .map(|(pair, _)| pair)
                .map(|(_, id)| *id)
                .collect();
            expected.sort_unstable();
            let filter = TaskFilter {
                search: Some(words.join(" ")),
                state: open_only.then_some(State::Open),
                tag: tagged_only.then(|| "ab".to_string()),
                ..TaskFilter::default()
            };
            // Counted first, as the interface does: few matches are read through the indexes…
            let (n, exact) = store.count_tasks_up_to(&filter, 10_000).unwrap();
            prop_assert_eq!((n, exact), (expected.len() as u64, true), "{:?}", words);
            prop_assert_eq!(&ids_of(&store, &filter), &expected, "{:?}", words);
            // …and many walk the list, each task tested: the same tasks either way.
            let (n, exact) = store.count_tasks_up_to(&filter, 0).unwrap();
            prop_assert_eq!(exact, expected.is_empty(), "{:?} counted {}", words, n);
            prop_assert_eq!(&ids_of(&store, &filter), &expected, "{:?}", words);
        }
    }

    #[test]
    fn the_view_gives_the_words_tasktui_computes(
        title in "\\PC{1,12}".prop_filter("a title", |t| !t.trim_matches(' ').is_empty()),
        description in prop_oneof![
            "(?s).{0,40}",
            Just("aB".repeat(grams::READ / 2) + "Zq"),
        ],
    ) {
        let dir = TempDir::new().unwrap();
        drop(open(&dir));
        // Written by another tool: the trigger fills the index through the view.
        let conn = Connection::open(dir.path().join("t.db")).unwrap();
        conn
            .execute(
                "INSERT INTO tasks (title, description) VALUES (?1, ?2)",
                [&title, &description],
            )
            .unwrap();
        let from_view: Option<String> = conn
            .query_row("SELECT grams FROM task_grams", [], |r| r.get(0))
            .unwrap();
        let sorted = |words: Option<String>| {
            let mut words: Vec<String> = words
                .unwrap_or_default()
                .split(' ')
                .filter(|w| !w.is_empty())
                .map(str::to_string)
                .collect();
            words.sort();
            words
        };
        let computed = grams::of_task([Some(title.as_bytes()), Some(description.as_bytes())]);
        prop_assert_eq!(sorted(from_view), sorted(computed));
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, failure_persistence: None, ..ProptestConfig::default() })]

    /// Any typed text is a search: never an error of the index's query syntax, never a panic.
    #[test]
    fn any_typed_text_searches(typed in "\\PC{0,6}") {
        let dir = TempDir::new().unwrap();
        let store = open(&dir);
        store.create_task(&TaskFields::titled("a \"quoted\" (one) * ^ - OR AND NOT")).unwrap();
        let filter = TaskFilter { search: Some(typed.clone()), ..TaskFilter::default() };
        let counted = store.count_tasks_up_to(&filter, 10_000);
        prop_assert!(counted.is_ok(), "{:?}: {:?}", typed, counted);
        prop_assert!(store.list_tasks(&filter, 0, 10).is_ok(), "{:?}", typed);
    }
}

#[test]
fn another_tools_writes_keep_the_short_word_index_and_check_says_when_it_is_wrong() {
    let dir = TempDir::new().unwrap();
    let store = open(&dir);
    store
        .create_task(&TaskFields::titled("Quit early"))
        .unwrap();
    let db = Connection::open(dir.path().join("t.db")).unwrap();
    let long = "z".repeat(grams::READ) + " Ok";
    db.execute_batch(&format!(
        "INSERT INTO tasks (title, description) VALUES ('Jump', 'over the fence');
         INSERT INTO tasks (title, description) VALUES ('Long', '{long}');
         UPDATE tasks SET title = 'Quiet' WHERE title = 'Quit early';
         DELETE FROM tasks WHERE title = 'Jump';
         UPDATE tasks SET id = 10 WHERE title = 'Quiet';"
    ))
    .unwrap();
    let find = |words: &str| {
        let filter = TaskFilter {
            search: Some(words.into()),
            ..TaskFilter::default()
        };
        let mut titles: Vec<String> = store
            .list_tasks(&filter, 0, 10)
            .unwrap()
            .into_iter()
            .map(|t| t.title)
            .collect();
        titles.sort();
        (store.count_tasks(&filter).unwrap(), titles)
    };
    assert_eq!(find("qu"), (1, vec!["Quiet".to_string()]));
    assert_eq!(find("j"), (0, vec![]));
    // Past the bytes the index reads, the text itself is tested.
    assert_eq!(find("ok"), (1, vec!["Long".to_string()]));
    assert_eq!(find("k"), (1, vec!["Long".to_string()]));
    assert!(check::check(&db).unwrap().is_empty());
    // An entry changed behind the triggers' back is named, with the statements that mend it.
    db.execute_batch(
        "INSERT INTO tasks_grams (tasks_grams, rowid, grams)
             SELECT 'delete', id, grams FROM task_grams WHERE id = 10;
         INSERT INTO tasks_grams (rowid, grams) VALUES (10, '71');",
    )
    .unwrap();
    let problems = check::check(&db).unwrap();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(
        problems[0].contains(
            "index of short words disagrees with the tasks (1 task indexed with other text"
        ),
        "{problems:?}"
    );
    let mend = problems[0]
        .split("(or with sqlite3: ")
        .nth(1)
        .unwrap()
        .trim_end_matches(')');
    db.execute_batch(mend).unwrap();
    assert!(check::check(&db).unwrap().is_empty());
}
