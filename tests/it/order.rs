//! The list orders are defined once (a list of columns), and the ORDER BY, its reverse and the
//! position query are derived from it: for random tasks and every order, direction and state
//! filter, a task's position is its index in the list, and the list read from its end is the
//! same list.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

use proptest::prelude::*;
use tasktui_core::seam::Counts;
use tasktui_core::seam::Tasks;
use tasktui_sqlite::{Sort, SortKey, State, Store, TaskFilter};

#[derive(Debug, Clone)]
struct Row {
    title: String,
    status: &'static str,
    priority: i64,
    due: Option<u32>,
    created: u32,
    updated: u32,
}

fn row() -> impl Strategy<Value = Row> {
    (
        // Few distinct titles, differing in case, so ties and NOCASE both matter.
        prop::sample::select(vec!["a", "A", "b", "B", "ab", "Ab", "é", "z"]),
        prop::sample::select(vec!["todo", "doing", "done"]),
        0..4i64,
        prop::option::of(1..5u32),
        0..3u32,
        0..3u32,
    )
        .prop_map(|(title, status, priority, due, created, updated)| Row {
            title: title.to_string(),
            status,
            priority,
            due,
            created,
            updated,
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

    #[test]
    fn a_task_s_position_is_its_index_in_the_list(rows in prop::collection::vec(row(), 0..20)) {
        let store = Store::open_in_memory().unwrap();
        for r in &rows {
            store.connection().execute(
                "INSERT INTO tasks (title, status, priority, due_date, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                rusqlite::params![
                    r.title,
                    r.status,
                    r.priority,
                    r.due.map(|d| format!("2026-12-0{d}")),
                    format!("2026-11-2{}T00:00:00Z", r.created),
                    format!("2026-11-2{}T00:00:00Z", r.updated),
                ],
            ).unwrap();
        }
        for key in SortKey::ALL {
            for reverse in [false, true] {
                for state in [None, Some(State::Open), Some(State::Done)] {
                    let filter = TaskFilter {
                        state,
                        sort: Sort { key, reverse },
                        ..TaskFilter::default()
                    };
                    let list = store.list_tasks(&filter, 0, 1000).unwrap();
                    let total = store.count_tasks(&filter).unwrap();
                    prop_assert_eq!(list.len() as u64, total);
                    for (index, task) in list.iter().enumerate() {
                        prop_assert_eq!(
                            store.task_position(&filter, task.id).unwrap(),
                            Some(index as u64),
                            "{:?}: {}", filter.sort, task.title
                        );
                    }
                    let ids: Vec<_> = list.iter().map(|t| t.id).collect();
                    let from_end: Vec<_> = store
                        .list_tasks_from_end(&filter, 0, total)
                        .unwrap()
                        .iter()
                        .map(|t| t.id)
                        .collect();
                    prop_assert_eq!(&from_end, &ids);
                    // Reversed is the same list backwards.
                    let mut turned = store
                        .list_tasks(
                            &TaskFilter { sort: Sort { key, reverse: !reverse }, ..filter.clone() },
                            0,
                            1000,
                        )
                        .unwrap()
                        .iter()
                        .map(|t| t.id)
                        .collect::<Vec<_>>();
                    turned.reverse();
                    prop_assert_eq!(&turned, &ids);
                    // A task the filter leaves out has no position.
                    for task in store.list_tasks(&TaskFilter::default(), 0, 1000).unwrap() {
                        if !ids.contains(&task.id) {
                            prop_assert_eq!(store.task_position(&filter, task.id).unwrap(), None);
                        }
                    }
                }
            }
        }
    }
}
