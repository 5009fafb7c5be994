//! One-key edits on marked tasks, the assign picker, quick filters, the orders, the task's
//! history, the editor and the mouse: driven through `App` against a real database file.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

use crate::support;

use ratatui::crossterm::event::KeyCode;
use support::harness::{Harness, task, user};
use tasktui::app::{Effect, Mode};
use tasktui::keymap::Action;
use tasktui::model::{Priority, Status, TaskFields};
use tasktui_sqlite::{Sort, SortKey};

/// Five tasks a1…a5 (due one day apart from 2026-11-21), the first two alice's.
fn five(author: Option<&str>) -> Harness {
    Harness::as_person(author, |store| {
        let alice = user(store, "alice");
        user(store, "bob");
        for i in 1..=5u32 {
            store
                .create_task(&TaskFields {
                    due: Some(format!("2026-11-{}", 20 + i).parse().unwrap()),
                    assignee: (i <= 2).then_some(alice),
                    ..TaskFields::titled(&format!("a{i}"))
                })
                .unwrap();
        }
    })
}

fn history_rows(h: &Harness) -> i64 {
    h.count("SELECT count(*) FROM changes")
}

#[test]
fn v_marks_and_moves_down_and_x_completes_every_marked_task_as_one_undo_step() {
    let mut h = five(Some("alice"));
    h.keys("vvv");
    assert_eq!(h.app.marks.len(), 3);
    assert_eq!(h.app.tasks.cursor, 3, "each v moves to the next task");
    // The status bar counts the marks; the list shows a marker on each marked row.
    let screen = support::harness::screen(&h);
    assert!(screen.contains(" 3 marked "), "{screen}");
    assert_eq!(screen.matches('▌').count(), 3, "{screen}");
    let before = history_rows(&h);
    h.keys("x");
    assert_eq!(h.message(), "3 tasks are done");
    assert_eq!(
        h.count("SELECT count(*) FROM tasks WHERE status = 'done'"),
        3
    );
    assert_eq!(history_rows(&h), before + 1, "one change for three tasks");
    assert!(h.app.marks.is_empty(), "acting on the marks clears them");
    h.keys("u");
    assert_eq!(h.message(), "undid: mark 3 tasks done");
    assert_eq!(
        h.count("SELECT count(*) FROM tasks WHERE status = 'done'"),
        0
    );
    h.ctrl('r');
    assert_eq!(
        h.count("SELECT count(*) FROM tasks WHERE status = 'done'"),
        3
    );
}

#[test]
fn every_edit_key_acts_on_the_marks_as_one_change() {
    let mut h = five(Some("alice"));
    let marked = "SELECT count(*) FROM tasks WHERE title IN ('a1', 'a2')";
    for (keys, check) in [
        ("s", "status = 'doing'"),
        ("+", "priority = 1"),
        ("-", "priority = 0"),
        ("D2026-11-01\n", "due_date = '2026-11-01'"),
        (
            "Abob\n",
            "assignee_id = (SELECT id FROM users WHERE username = 'bob')",
        ),
    ] {
        h.keys("gvv");
        let before = history_rows(&h);
        for c in keys.chars() {
            match c {
                '\n' => h.key(KeyCode::Enter),
                c => h.key(KeyCode::Char(c)),
            };
        }
        assert_eq!(
            h.count(&format!("{marked} AND {check}")),
            2,
            "{keys}: {}",
            h.message()
        );
        assert_eq!(history_rows(&h), before + 1, "{keys} is one change");
        assert!(h.app.marks.is_empty(), "{keys} cleared the marks");
        // Sorted by due, a1 and a2 stay first, so `g v v` marks them again.
    }
    // `d` deletes every marked task after asking; one undo brings both back.
    h.keys("gvvd");
    assert!(
        matches!(&h.app.mode, Mode::Confirm { prompt, .. } if prompt == "Delete the 2 marked tasks?")
    );
    h.keys("y");
    assert_eq!(h.count("SELECT count(*) FROM tasks"), 3);
    h.keys("u");
    assert_eq!(h.count(marked), 2);
    assert_eq!(
        h.count(&format!(
            "{marked} AND due_date = '2026-11-01' AND assignee_id = (SELECT id FROM users WHERE username = 'bob')"
        )),
        2,
        "restored as they were"
    );
}

#[test]
fn esc_clears_the_marks_and_marked_tasks_changed_elsewhere_refuse_the_whole_batch_only_when_it_conflicts()
 {
    let mut h = five(Some("alice"));
    h.keys("vv");
    h.key(KeyCode::Esc);
    assert!(h.app.marks.is_empty());
    assert_eq!(h.message(), "cleared 2 marks");
    h.keys("gvvv");
    // Another program changes a2's status after it was marked, the field `x` changes too:
    // nothing of the batch is written.
    h.db()
        .execute(
            "UPDATE tasks SET status = 'doing', row_version = row_version + 1 WHERE title = 'a2'",
            [],
        )
        .unwrap();
    h.keys("x");
    assert!(h.message().contains("changed elsewhere"), "{}", h.message());
    assert_eq!(
        h.count("SELECT count(*) FROM tasks WHERE status = 'done'"),
        0
    );
    // An edit of another field (the title) is merged with the batch instead.
    h.restart();
    h.keys("gvvv");
    h.db()
        .execute(
            "UPDATE tasks SET title = 'a2 renamed', row_version = row_version + 1 WHERE title = 'a2'",
            [],
        )
        .unwrap();
    h.keys("x");
    assert_eq!(
        h.count("SELECT count(*) FROM tasks WHERE status = 'done'"),
        3,
        "{}",
        h.message()
    );
    assert_eq!(
        h.count("SELECT count(*) FROM tasks WHERE title = 'a2 renamed' AND status = 'done'"),
        1
    );
}

#[test]
fn a_assigns_through_the_picker_and_nobody_unassigns() {
    let mut h = five(None);
    h.keys("G"); // a5, unassigned
    h.keys("A");
    assert!(matches!(h.app.mode, Mode::Assign(_)));
    // Enter at once takes the first user, never "nobody", which is offered last.
    h.keys("bo");
    h.key(KeyCode::Enter);
    assert_eq!(h.message(), "“a5” is assigned to bob");
    assert_eq!(
        h.text("SELECT title FROM tasks JOIN users u ON u.id = assignee_id WHERE username = 'bob'"),
        "a5"
    );
    h.keys("A").keys("nob");
    h.key(KeyCode::Enter);
    assert_eq!(h.message(), "“a5” is unassigned");
    assert_eq!(
        h.count("SELECT count(*) FROM tasks WHERE title = 'a5' AND assignee_id IS NULL"),
        1
    );
    h.keys("A").keys("zzz");
    h.key(KeyCode::Enter);
    assert!(
        matches!(h.app.mode, Mode::Assign(_)),
        "no match, nothing chosen"
    );
    h.key(KeyCode::Esc);
    assert_eq!(h.message(), "nothing was changed");
}

#[test]
fn quick_filters_combine_with_each_other_the_user_and_the_search_and_show_in_the_title() {
    // The clock says 2026-11-23 (a Monday): a1 and a2 are overdue, a3 due today, a4 and a5
    // this week.
    let mut h = five(Some("alice"));
    h.db()
        .execute("UPDATE tasks SET status = 'done' WHERE title = 'a1'", [])
        .unwrap();
    h.restart();
    let shown = |h: &mut Harness, keys: &str| {
        h.keys(keys);
        let mut titles = h.titles();
        titles.sort();
        titles
    };
    assert_eq!(shown(&mut h, "fl"), ["a2"], "overdue is open and late");
    assert!(support::harness::screen(&h).contains("Tasks: all · open · overdue"));
    assert_eq!(
        shown(&mut h, "fl"),
        ["a2", "a3", "a4", "a5"],
        "l again drops overdue, leaving open"
    );
    assert_eq!(shown(&mut h, "ft"), ["a3"]);
    assert_eq!(shown(&mut h, "fw"), ["a3", "a4", "a5"]);
    assert_eq!(shown(&mut h, "fc"), ["a1", "a2", "a3", "a4", "a5"]);
    assert_eq!(shown(&mut h, "fd"), ["a1"]);
    assert_eq!(shown(&mut h, "fa"), ["a1", "a2", "a3", "a4", "a5"]);
    assert_eq!(shown(&mut h, "fm"), ["a1", "a2"], "mine: alice's");
    assert_eq!(shown(&mut h, "fo"), ["a2"], "mine and open");
    h.key(KeyCode::Char('/')).keys("zz");
    h.key(KeyCode::Enter);
    assert!(h.titles().is_empty(), "and the search");
    h.key(KeyCode::Esc);
    assert_eq!(h.titles(), ["a2"]);
    // With bob selected in the Users pane, "mine" leaves nothing.
    h.keys("1jjj");
    assert_eq!(h.app.selected_user().unwrap().user.username, "bob");
    assert!(h.titles().is_empty());
    assert!(support::harness::screen(&h).contains("Tasks: bob · open · mine"));
}

#[test]
fn mine_without_a_user_of_that_name_says_how_to_get_one() {
    let mut h = five(Some("zoe"));
    h.keys("fm");
    assert!(h.message().contains("a user named zoe"), "{}", h.message());
    assert!(!h.app.quick.mine);
    let mut h = five(None);
    h.keys("fm");
    assert!(h.message().contains("TASKTUI_USER"), "{}", h.message());
}

#[test]
fn o_cycles_the_orders_and_capital_o_reverses_from_the_first_task() {
    let mut h = Harness::with(|store| {
        for (title, priority) in [
            ("b", Priority::Low),
            ("C", Priority::High),
            ("a", Priority::None),
        ] {
            store
                .create_task(&TaskFields {
                    priority,
                    ..TaskFields::titled(title)
                })
                .unwrap();
        }
    });
    let mut seen = Vec::new();
    for _ in 0..6 {
        seen.push((h.app.sort.key, h.titles()));
        h.keys("o");
    }
    assert_eq!(h.app.sort.key, SortKey::Due, "six orders, then round again");
    let order = |key| seen.iter().find(|(k, _)| *k == key).unwrap().1.clone();
    assert_eq!(order(SortKey::Priority), ["C", "b", "a"]);
    assert_eq!(order(SortKey::Created), ["a", "C", "b"], "newest first");
    assert_eq!(order(SortKey::Title), ["a", "b", "C"], "ignoring case");
    h.keys("ooooj"); // by title, "b" selected
    assert_eq!(h.app.selected_task().unwrap().title, "b");
    h.keys("O");
    assert_eq!(h.titles(), ["C", "b", "a"]);
    assert_eq!(h.app.selected_task().unwrap().title, "C", "the first task");
    assert_eq!(h.message(), "sorted by title (reversed)");
    assert!(support::harness::screen(&h).contains("by title (reversed)"));
}

#[test]
fn the_order_is_remembered_per_person_in_a_state_file() {
    let state = tempfile::TempDir::new().unwrap();
    let file = state.path().join("nested/state.json");
    let mut h = five(Some("alice"));
    h.app.remember_sort_in(file.clone());
    h.keys("ooO");
    h.restart();
    h.app.remember_sort_in(file.clone());
    assert_eq!(
        h.app.sort,
        Sort {
            key: SortKey::Created,
            reverse: true
        }
    );
    // Another person on the same machine keeps their own.
    let mut other = five(Some("bob"));
    other.app.remember_sort_in(file.clone());
    assert_eq!(other.app.sort, Sort::default());
    other.keys("o");
    h.restart();
    h.app.remember_sort_in(file.clone());
    assert_eq!(h.app.sort.key, SortKey::Created);
    // An unwritable state file keeps the order for this run and says so.
    std::fs::write(state.path().join("blocker"), "").unwrap();
    h.app
        .remember_sort_in(state.path().join("blocker/state.json"));
    h.keys("o");
    assert_eq!(h.app.sort.key, SortKey::Updated);
    assert!(h.message().contains("not remembered"), "{}", h.message());
}

#[test]
fn the_detail_shows_who_changed_the_task_what_and_when() {
    let mut h = five(Some("alice"));
    h.keys("+x");
    h.keys("G"); // done, a1 went to the end of the list
    let history = &h.app.history;
    assert_eq!(history.len(), 3, "{history:?}");
    assert_eq!(history[2].summary, "add #1 “a1”");
    assert_eq!(history[0].summary, "mark #1 “a1” done");
    assert_eq!(history[1].summary, "set the priority of #1 “a1” to low");
    assert_eq!(history[0].author.as_deref(), Some("alice"));
    h.keys("ug"); // undone, a1 is first again
    assert!(h.app.history[0].undone);
    let screen = support::harness::screen(&h);
    assert!(
        screen.contains("alice: mark #1 “a1” done (undone)"),
        "{screen}"
    );
    assert!(screen.contains("2026-11-23 09:00"), "{screen}");
}

#[test]
fn e_hands_the_description_to_the_editor_and_saves_what_it_left_as_one_change() {
    let mut h = Harness::with(|store| task(store, "write", None));
    let effects = h
        .app
        .press(ratatui::crossterm::event::KeyEvent::from(KeyCode::Char(
            'E',
        )));
    let [Effect::Edit(editing)] = effects.as_slice() else {
        panic!("E asks for the editor: {effects:?}");
    };
    assert_eq!(editing.text, "");
    // An editor's final line break is no change.
    let rest = h.app.edited(editing.clone(), Ok("\n".into()));
    assert!(rest.is_empty());
    assert!(h.message().contains("unchanged"), "{}", h.message());
    let before = history_rows(&h);
    let effects = h
        .app
        .edited(editing.clone(), Ok("first line\nsecond\n".into()));
    let rest = h.app.settle(effects);
    assert!(rest.is_empty());
    assert_eq!(
        h.text("SELECT description FROM tasks"),
        "first line\nsecond"
    );
    assert_eq!(history_rows(&h), before + 1);
    // A failed editor changes nothing and says why.
    let effects = h.app.edited(
        editing.clone(),
        Err("the editor (false) failed with exit status 1".into()),
    );
    assert!(effects.is_empty());
    assert_eq!(
        h.message(),
        "the editor (false) failed with exit status 1; the description of “write” was not changed"
    );
    // The task as it was seen: a stale edit is refused.
    let effects = h.app.edited(editing.clone(), Ok("third".into()));
    h.app.settle(effects);
    assert!(h.message().contains("changed elsewhere"), "{}", h.message());
    assert_eq!(
        h.text("SELECT description FROM tasks"),
        "first line\nsecond"
    );
}

#[test]
fn a_click_selects_a_row_or_a_pane_the_wheel_scrolls_and_a_form_survives_clicks() {
    let mut h = Harness::with(|store| {
        user(store, "alice");
        for i in 0..40 {
            task(store, &format!("t{i:02}"), None);
        }
    });
    let areas = h.app.areas();
    // The fourth task row: under the border and the header.
    let _ = h
        .app
        .update(Action::Click(areas.tasks.x + 10, areas.tasks.y + 2 + 3));
    assert_eq!(h.app.tasks.cursor, 3);
    // The third entry of the Users pane is alice.
    let _ = h
        .app
        .update(Action::Click(areas.users.x + 2, areas.users.y + 1 + 2));
    assert_eq!(h.app.selected_user().unwrap().user.username, "alice");
    assert_eq!(h.app.focus, tasktui::app::Pane::Users);
    let _ = h
        .app
        .update(Action::Click(areas.users.x + 2, areas.users.y + 1));
    assert_eq!(h.app.tasks.total, 40, "All again");
    let _ = h
        .app
        .update(Action::Wheel(areas.tasks.x + 10, areas.tasks.y + 5, true));
    let _ = h
        .app
        .update(Action::Wheel(areas.tasks.x + 10, areas.tasks.y + 5, true));
    assert_eq!(
        h.app.tasks.cursor, 6,
        "three rows a turn, over the Tasks pane"
    );
    let _ = h
        .app
        .update(Action::Wheel(areas.tasks.x + 10, areas.tasks.y + 5, false));
    assert_eq!(h.app.tasks.cursor, 3);
    h.keys("2a").keys("half typed");
    let _ = h.app.update(Action::Click(0, 0));
    let _ = h
        .app
        .update(Action::Click(areas.tasks.x + 10, areas.tasks.y + 3));
    assert_eq!(h.form_text(0), "half typed", "the form is kept");
}

#[test]
fn the_new_keys_are_in_the_help_overlay() {
    let mut h = Harness::new();
    h.keys("?");
    let _ = h.app.update(Action::Resize(160, 200));
    let screen = support::harness::screen(&h);
    for (key, text) in [
        ("v", "mark or unmark"),
        ("A", "assign to a user"),
        ("E", "$VISUAL or $EDITOR"),
        ("f", "quick filters"),
        ("o", "sort by due → priority"),
        ("O", "reverse the order"),
        ("l", "overdue (late)"),
        ("m", "mine: assigned to the user named like you"),
    ] {
        assert!(
            screen
                .lines()
                .any(|line| line.contains(&format!(" {key} ")) && line.contains(text)),
            "{key} {text}: {screen}"
        );
    }
}

#[test]
fn a_status_cycle_on_marks_moves_each_one_step() {
    let mut h = five(None);
    h.db()
        .execute("UPDATE tasks SET status = 'doing' WHERE title = 'a1'", [])
        .unwrap();
    h.restart();
    h.keys("vvs");
    let status = |h: &Harness, t: &str| {
        Status::from_db(&h.text(&format!("SELECT status FROM tasks WHERE title = '{t}'")))
    };
    assert_eq!(status(&h, "a1"), Status::Done);
    assert_eq!(status(&h, "a2"), Status::Doing);
}
