//! Driving the interface with keys over a real database file, checking state and rows.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

use ratatui::crossterm::event::KeyCode;
use tasktui::app::{Mode, Pane};
use tasktui::model::{Field, Status, TaskFields};
use tasktui_sqlite::Assignee;

use crate::support;

use support::harness::{Harness, task, user};

#[test]
fn add_a_user_then_a_task_assigned_to_them() {
    let mut h = Harness::new();
    h.keys("1a")
        .keys("alice")
        .key(KeyCode::Tab)
        .keys("Alice Liddell")
        .key(KeyCode::Tab)
        .keys("alice@example.com");
    h.key(KeyCode::Enter);
    assert!(matches!(h.app.mode, Mode::Browse), "{:?}", h.app.mode);
    assert_eq!(
        h.text("SELECT full_name FROM users WHERE username = 'alice'"),
        "Alice Liddell"
    );
    // The new user is selected, so the new task goes to her.
    assert_eq!(h.app.selected_user().unwrap().user.username, "alice");
    h.keys("2a").keys("Write the docs").key(KeyCode::Enter);
    assert_eq!(
        h.text("SELECT u.username FROM tasks t JOIN users u ON u.id = t.assignee_id"),
        "alice"
    );
    assert_eq!(h.titles(), ["Write the docs"]);
    assert_eq!(h.app.selected_task().unwrap().title, "Write the docs");
    assert_eq!(h.message(), "saved “Write the docs”");
}

#[test]
fn every_task_field_is_saved_from_the_form() {
    let mut h = Harness::with(|s| {
        user(s, "alice");
        user(s, "bob");
    });
    h.keys("a").keys("Plan").key(KeyCode::Tab);
    h.keys("line one").key(KeyCode::Enter).keys("line two");
    h.key(KeyCode::Tab).key(KeyCode::Right); // status doing
    h.key(KeyCode::Tab).key(KeyCode::Left); // priority high (wraps)
    h.key(KeyCode::Tab).keys("tomorrow");
    h.key(KeyCode::Tab).keys("bo");
    h.ctrl('s');
    assert!(matches!(h.app.mode, Mode::Browse), "{:?}", h.form_error());
    let row: (String, String, String, i64, String, String) = h
        .db()
        .query_row(
            "SELECT t.title, t.description, t.status, t.priority, t.due_date, u.username
             FROM tasks t JOIN users u ON u.id = t.assignee_id",
            [],
            |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                ))
            },
        )
        .unwrap();
    assert_eq!(
        row,
        (
            "Plan".into(),
            "line one\nline two".into(),
            "doing".into(),
            3,
            "2026-11-24".into(),
            "bob".into()
        )
    );
}

#[test]
fn arrows_move_between_fields_and_lines_of_the_description() {
    let mut h = Harness::new();
    h.keys("a")
        .keys("T")
        .key(KeyCode::Down)
        .keys("one")
        .key(KeyCode::Enter)
        .keys("two");
    h.key(KeyCode::Up).keys("!");
    assert_eq!(h.form_text(1), "one!\ntwo", "↑ moved to the first line");
    h.key(KeyCode::Up).keys("itle");
    assert_eq!(
        h.form_text(0),
        "Title",
        "↑ on the first line left the description"
    );
    h.key(KeyCode::Down)
        .key(KeyCode::Down)
        .key(KeyCode::Down)
        .key(KeyCode::Right);
    assert_eq!(h.form_text(2), "doing", "→ chose the next status");
    h.key(KeyCode::Left).key(KeyCode::Left);
    assert_eq!(h.form_text(2), "done");
    h.key(KeyCode::Down).key(KeyCode::Left);
    assert_eq!(h.form_text(3), "high");
    h.ctrl('s');
    assert_eq!(
        h.text("SELECT status || ' ' || priority || ' ' || description FROM tasks"),
        "done 3 one!\ntwo"
    );
}

#[test]
fn a_validation_failure_keeps_everything_typed() {
    let mut h = Harness::new();
    h.keys("a").key(KeyCode::Tab).keys("notes that matter");
    h.key(KeyCode::Tab)
        .key(KeyCode::Tab)
        .key(KeyCode::Tab)
        .keys("someday");
    h.ctrl('s');
    assert_eq!(
        h.form_error(),
        Some((Some(Field::Title), "title is required".into()))
    );
    assert_eq!(h.form_text(1), "notes that matter");
    assert_eq!(h.form_text(4), "someday");
    assert_eq!(h.count("SELECT count(*) FROM tasks"), 0);
    // The focus moved to the title; typing it shows the next problem, the date.
    h.keys("Real title").ctrl('s');
    let (field, message) = h.form_error().unwrap();
    assert_eq!(field, Some(Field::Due));
    assert!(message.starts_with("'someday' is not a date"), "{message}");
    assert_eq!(h.form_text(0), "Real title");
    for _ in 0.."someday".len() {
        h.key(KeyCode::Backspace);
    }
    h.keys("2026-12-01").key(KeyCode::Enter);
    assert!(matches!(h.app.mode, Mode::Browse));
    assert_eq!(h.text("SELECT due_date FROM tasks"), "2026-12-01");
}

#[test]
fn a_taken_username_is_shown_on_the_username_field() {
    let mut h = Harness::with(|s| {
        user(s, "alice");
    });
    h.keys("1a")
        .keys("Alice")
        .key(KeyCode::Tab)
        .keys("Second Alice")
        .key(KeyCode::Enter);
    assert_eq!(
        h.form_error(),
        Some((Some(Field::Username), "that username is taken".into()))
    );
    assert_eq!(h.form_text(1), "Second Alice");
    assert_eq!(h.count("SELECT count(*) FROM users"), 1);
}

#[test]
fn esc_cancels_a_form_and_saves_nothing() {
    let mut h = Harness::new();
    // Nothing typed: one Esc closes it.
    h.keys("a").key(KeyCode::Esc);
    assert!(matches!(h.app.mode, Mode::Browse));
    // Something typed: the first Esc asks, and any other key keeps the form as it was.
    h.keys("a").keys("never mind").key(KeyCode::Esc);
    assert!(matches!(h.app.mode, Mode::Form(_)));
    assert_eq!(
        h.form_error(),
        Some((
            None,
            "Esc again discards what you typed; Ctrl-s saves it".into()
        ))
    );
    h.keys("!");
    assert_eq!(h.form_text(0), "never mind!");
    assert_eq!(h.form_error(), None);
    h.key(KeyCode::Esc).key(KeyCode::Esc);
    assert!(matches!(h.app.mode, Mode::Browse));
    assert_eq!(h.count("SELECT count(*) FROM tasks"), 0);
}

#[test]
fn keys_that_quit_elsewhere_are_text_in_a_form() {
    let mut h = Harness::new();
    h.keys("a").keys("q? xsd").ctrl('c');
    assert!(!h.app.quit);
    assert_eq!(h.form_text(0), "q? xsd");
    assert_eq!(
        h.form_error().unwrap().1,
        "Esc cancels the form, Ctrl-s saves it"
    );
    h.key(KeyCode::Enter);
    assert_eq!(h.text("SELECT title FROM tasks"), "q? xsd");
}

#[test]
fn edit_a_task_with_e_or_enter() {
    let mut h = Harness::with(|s| task(s, "old title", None));
    h.keys("e");
    assert_eq!(h.form_text(0), "old title");
    for _ in 0.."title".len() {
        h.key(KeyCode::Backspace);
    }
    h.keys("name").key(KeyCode::Enter);
    assert_eq!(h.text("SELECT title FROM tasks"), "old name");
    assert_eq!(h.count("SELECT row_version FROM tasks"), 2);
    h.key(KeyCode::Enter);
    assert_eq!(h.form_text(0), "old name", "Enter opens the editor too");
}

#[test]
fn edit_and_delete_a_user() {
    let mut h = Harness::with(|s| {
        user(s, "alice");
    });
    h.keys("1jj");
    assert_eq!(h.app.selected_user().unwrap().user.username, "alice");
    h.keys("e")
        .key(KeyCode::Tab)
        .keys("Alice L.")
        .key(KeyCode::Enter);
    assert_eq!(h.text("SELECT full_name FROM users"), "Alice L.");
    h.keys("d");
    assert!(matches!(h.app.mode, Mode::Confirm { .. }));
    h.keys("y");
    assert_eq!(h.count("SELECT count(*) FROM users"), 0);
}

#[test]
fn delete_asks_first_and_n_or_esc_keeps_the_task() {
    let mut h = Harness::with(|s| task(s, "keep me", None));
    h.keys("d");
    match &h.app.mode {
        Mode::Confirm { prompt, .. } => assert_eq!(prompt, "Delete the task “keep me”?"),
        other => panic!("{other:?}"),
    }
    h.keys("n");
    assert_eq!(h.count("SELECT count(*) FROM tasks"), 1);
    h.keys("d").key(KeyCode::Esc);
    assert_eq!(h.count("SELECT count(*) FROM tasks"), 1);
    h.keys("d").keys("y");
    assert_eq!(h.count("SELECT count(*) FROM tasks"), 0);
    assert!(h.titles().is_empty());
}

#[test]
fn deleting_a_user_with_tasks_can_unassign_them() {
    let mut h = Harness::with(|s| {
        let alice = user(s, "alice");
        task(s, "hers", Some(alice));
    });
    h.keys("1jjd");
    assert!(
        matches!(h.app.mode, Mode::Handoff { tasks: 1, .. }),
        "{:?}",
        h.app.mode
    );
    h.keys("u");
    assert_eq!(h.count("SELECT count(*) FROM users"), 0);
    assert_eq!(
        h.count("SELECT count(*) FROM tasks WHERE assignee_id IS NULL"),
        1
    );
    assert_eq!(
        h.message(),
        "deleted user alice; their task is now unassigned"
    );
}

#[test]
fn deleting_a_user_with_tasks_can_reassign_them_to_a_chosen_user() {
    let mut h = Harness::with(|s| {
        let alice = user(s, "alice");
        user(s, "bob");
        user(s, "carol");
        task(s, "one", Some(alice));
        task(s, "two", Some(alice));
    });
    h.keys("1jjd").keys("r");
    assert!(matches!(&h.app.mode, Mode::Handoff { picker: Some(p), .. } if p.matches().len() == 2));
    h.keys("car").key(KeyCode::Enter);
    assert_eq!(h.count("SELECT count(*) FROM tasks t JOIN users u ON u.id = t.assignee_id WHERE u.username = 'carol'"), 2);
    assert_eq!(
        h.count("SELECT count(*) FROM users WHERE username = 'alice'"),
        0
    );
}

#[test]
fn cancelling_a_user_deletion_keeps_everything() {
    let mut h = Harness::with(|s| {
        let alice = user(s, "alice");
        task(s, "hers", Some(alice));
    });
    h.keys("1jjd").key(KeyCode::Esc);
    h.keys("d").keys("r").key(KeyCode::Esc);
    assert!(matches!(h.app.mode, Mode::Browse));
    assert_eq!(h.count("SELECT count(*) FROM users"), 1);
    assert_eq!(
        h.count("SELECT count(*) FROM tasks WHERE assignee_id IS NOT NULL"),
        1
    );
}

#[test]
fn x_and_space_toggle_done_and_s_cycles_status() {
    let mut h = Harness::with(|s| task(s, "t", None));
    let status = |h: &Harness| h.text("SELECT status FROM tasks");
    h.keys("x");
    assert_eq!(status(&h), "done");
    assert!(
        h.db()
            .query_row("SELECT completed_at IS NOT NULL FROM tasks", [], |r| r
                .get::<_, bool>(0))
            .unwrap()
    );
    h.keys(" ");
    assert_eq!(status(&h), "todo");
    h.keys("s");
    assert_eq!(status(&h), "doing");
    h.keys("s");
    assert_eq!(status(&h), "done");
    h.keys("s");
    assert_eq!(status(&h), "todo");
    assert_eq!(h.app.selected_task().unwrap().status, Status::Todo);
    // x and x again on a task in progress: done, then in progress again, not todo.
    h.keys("s");
    assert_eq!(status(&h), "doing");
    h.keys("x");
    assert_eq!(status(&h), "done");
    h.keys("x");
    assert_eq!(status(&h), "doing");
}

#[test]
fn focus_moves_with_tab_shift_tab_and_digits() {
    let mut h = Harness::new();
    assert_eq!(h.app.focus, Pane::Tasks);
    h.key(KeyCode::Tab);
    assert_eq!(h.app.focus, Pane::Users);
    h.key(KeyCode::BackTab);
    assert_eq!(h.app.focus, Pane::Tasks);
    h.keys("1");
    assert_eq!(h.app.focus, Pane::Users);
    h.keys("2");
    assert_eq!(h.app.focus, Pane::Tasks);
}

#[test]
fn movement_keys_reach_every_row_and_stay_in_bounds() {
    let mut h = Harness::with(|s| {
        for i in 0..100 {
            task(s, &format!("task {i:03}"), None);
        }
    });
    let cursor = |h: &Harness| h.app.tasks.cursor;
    let rows = u64::from(tasktui::layout::Areas::for_size(100, 30).task_rows());
    h.keys("j");
    assert_eq!(cursor(&h), 1);
    h.key(KeyCode::Down).key(KeyCode::Down);
    assert_eq!(cursor(&h), 3);
    h.keys("k").key(KeyCode::Up);
    assert_eq!(cursor(&h), 1);
    h.keys("k").keys("k");
    assert_eq!(cursor(&h), 0, "k stops at the first row");
    h.ctrl('d');
    assert_eq!(cursor(&h), rows / 2);
    h.ctrl('u');
    assert_eq!(cursor(&h), 0);
    h.key(KeyCode::PageDown);
    assert_eq!(cursor(&h), rows);
    assert_eq!(
        h.app.selected_task().unwrap().title,
        format!("task {rows:03}")
    );
    h.key(KeyCode::PageUp);
    assert_eq!(cursor(&h), 0);
    h.keys("G");
    assert_eq!(cursor(&h), 99);
    assert_eq!(h.app.selected_task().unwrap().title, "task 099");
    assert_eq!(
        h.app.tasks.rows.len() as u64,
        rows,
        "only the visible rows are loaded"
    );
    h.keys("j");
    assert_eq!(cursor(&h), 99, "j stops at the last row");
    h.keys("g");
    assert_eq!(cursor(&h), 0);
    assert_eq!(h.app.selected_task().unwrap().title, "task 000");
}

#[test]
fn selecting_a_user_filters_the_tasks() {
    let mut h = Harness::with(|s| {
        let alice = user(s, "alice");
        let bob = user(s, "bob");
        task(s, "a", Some(alice));
        task(s, "b", Some(bob));
        task(s, "n", None);
    });
    assert_eq!(h.titles(), ["a", "b", "n"]);
    h.keys("1j");
    assert_eq!(h.app.selected_assignee(), Assignee::Unassigned);
    assert_eq!(h.titles(), ["n"]);
    h.keys("j");
    assert_eq!(h.titles(), ["a"]);
    h.keys("j");
    assert_eq!(h.titles(), ["b"]);
    assert_eq!(h.app.tasks.total, 1);
    h.keys("g");
    assert_eq!(h.titles(), ["a", "b", "n"]);
}

#[test]
fn help_opens_and_closes_and_q_or_ctrl_c_quit() {
    let mut h = Harness::new();
    h.keys("?");
    assert!(matches!(h.app.mode, Mode::Help(0)));
    h.keys("j");
    assert!(matches!(h.app.mode, Mode::Help(1)));
    h.keys("?");
    assert!(matches!(h.app.mode, Mode::Browse));
    h.keys("?").key(KeyCode::Esc);
    assert!(matches!(h.app.mode, Mode::Browse));
    h.keys("q");
    assert!(h.app.quit);
    let mut h = Harness::new();
    h.ctrl('c');
    assert!(h.app.quit);
}

#[test]
fn esc_clears_the_message() {
    let mut h = Harness::with(|s| task(s, "t", None));
    h.keys("x");
    assert!(!h.message().is_empty());
    h.key(KeyCode::Esc);
    assert_eq!(h.message(), "");
}

#[test]
fn an_edit_of_a_task_changed_elsewhere_is_refused_and_keeps_the_text() {
    let mut h = Harness::with(|s| task(s, "shared", None));
    h.keys("e").keys(" by me");
    h.db()
        .execute(
            "UPDATE tasks SET title = 'theirs', row_version = row_version + 1",
            [],
        )
        .unwrap();
    h.key(KeyCode::Enter);
    let (field, message) = h.form_error().unwrap();
    assert_eq!(field, None);
    assert!(message.contains("changed elsewhere"), "{message}");
    assert_eq!(h.form_text(0), "shared by me");
    assert_eq!(h.text("SELECT title FROM tasks"), "theirs");
}

#[test]
fn changes_from_another_process_appear_on_the_next_tick() {
    let mut h = Harness::new();
    h.db()
        .execute("INSERT INTO tasks (title) VALUES ('from sqlite3')", [])
        .unwrap();
    let _ = h.app.update(tasktui::keymap::Action::Tick);
    assert_eq!(h.titles(), ["from sqlite3"]);
}

#[test]
fn a_smaller_terminal_loads_fewer_rows_and_keeps_the_cursor_visible() {
    let mut h = Harness::with(|s| {
        for i in 0..50 {
            task(s, &format!("t{i:02}"), None);
        }
    });
    h.keys("G");
    let _ = h.app.update(tasktui::keymap::Action::Resize(60, 12));
    let rows = u64::from(tasktui::layout::Areas::for_size(60, 12).task_rows());
    assert_eq!(h.app.tasks.rows.len() as u64, rows);
    assert_eq!(h.app.selected_task().unwrap().title, "t49");
    let _ = h.app.update(tasktui::keymap::Action::Resize(1, 1));
    assert_eq!(h.app.selected_task().unwrap().title, "t49");
}

#[test]
fn slash_filters_as_you_type_enter_keeps_and_esc_clears() {
    let mut h = Harness::with(|s| {
        let alice = user(s, "alice");
        task(s, "Renew certificate", Some(alice));
        task(s, "Buy milk", None);
        s.create_task(&TaskFields {
            description: "the CERTIFICATE expired".into(),
            ..TaskFields::titled("Ops")
        })
        .unwrap();
    });
    h.keys("/");
    assert!(matches!(h.app.mode, Mode::Search(_)));
    h.keys("c");
    assert_eq!(h.titles(), ["Renew certificate", "Ops"], "one letter: c");
    h.keys("ert");
    assert_eq!(h.titles(), ["Renew certificate", "Ops"]);
    assert_eq!(h.app.tasks.total, 2);
    h.key(KeyCode::Backspace)
        .key(KeyCode::Backspace)
        .key(KeyCode::Backspace);
    assert_eq!(h.app.tasks.total, 2, "back to c");
    h.keys("ertif").key(KeyCode::Enter);
    assert!(matches!(h.app.mode, Mode::Browse));
    assert_eq!(h.app.search, "certif");
    assert_eq!(h.titles(), ["Renew certificate", "Ops"]);
    // The filter stays within the user selected in the Users pane.
    h.keys("1jj");
    assert_eq!(h.titles(), ["Renew certificate"]);
    h.keys("g2");
    // Keys act on the filtered list; Esc then clears the filter.
    h.keys("x");
    assert_eq!(
        h.text("SELECT status FROM tasks WHERE title = 'Renew certificate'"),
        "done"
    );
    h.key(KeyCode::Esc);
    assert_eq!(h.app.search, "");
    assert_eq!(h.app.tasks.total, 3);
    h.keys("/zzz").key(KeyCode::Esc);
    assert!(matches!(h.app.mode, Mode::Browse));
    assert_eq!(h.app.tasks.total, 3, "Esc in the filter line clears it");
}

/// After a key re-sorts the list, the selection stays on the task acted on, so the next key
/// changes that task, not the one that moved into its row.
#[test]
fn the_selection_follows_a_task_the_list_reorders() {
    let mut h = Harness::with(|s| {
        task(s, "a", None);
        task(s, "b", None);
        task(s, "c", None);
    });
    h.keys("2o"); // by priority: all equal, so by id
    assert_eq!(h.titles(), ["a", "b", "c"]);
    h.keys("G");
    assert_eq!(h.app.selected_task().unwrap().title, "c");
    h.keys("+");
    assert_eq!(h.titles(), ["c", "a", "b"], "c moved to the top");
    assert_eq!(h.app.selected_task().unwrap().title, "c");
    h.keys("+");
    assert_eq!(
        h.text(
            "SELECT group_concat(title || priority, ' ') FROM (SELECT * FROM tasks ORDER BY id)"
        ),
        "a0 b0 c2"
    );
}

/// Kept counts wrong for a moment (another tool wrote around their triggers) hide no task and
/// show no empty row: the page read is what the list has.
#[test]
fn kept_counts_that_are_wrong_hide_no_task() {
    let mut h = Harness::with(|s| {
        let alice = user(s, "alice");
        for i in 0..5 {
            task(s, &format!("a{i}"), Some(alice));
        }
    });
    h.db()
        .execute("UPDATE task_counts SET n = 3 WHERE assignee <> 0", [])
        .unwrap();
    h.restart();
    h.keys("1jj2"); // alice's tasks
    assert_eq!(h.titles().len(), 5);
    h.keys("G");
    assert_eq!(h.app.selected_task().unwrap().title, "a4");
    h.db()
        .execute("UPDATE task_counts SET n = 9 WHERE assignee <> 0", [])
        .unwrap();
    h.restart();
    h.keys("1jj2G");
    assert_eq!(h.app.selected_task().unwrap().title, "a4");
}

/// However long the list, a key that moves the selected task off the page takes the
/// selection with it, so the next key acts on the same task.
#[test]
fn the_selection_follows_a_task_moved_off_the_page() {
    let mut h = Harness::with(|s| {
        for i in 0..400 {
            task(s, &format!("t{i:03}"), None);
        }
    });
    h.keys("2o"); // by priority: all equal, so by id
    h.keys("G");
    assert_eq!(h.app.selected_task().unwrap().title, "t399");
    h.keys("+"); // to the top, far off this page
    assert_eq!(h.app.selected_task().unwrap().title, "t399");
    h.keys("+");
    // Both keys went to t399 (none → low → medium), none to another task.
    assert_eq!(
        h.count("SELECT priority FROM tasks WHERE title = 't399'"),
        2
    );
    assert_eq!(h.count("SELECT count(*) FROM tasks WHERE priority <> 0"), 1);
}

/// Kept counts written around (another tool, a restore without triggers) would put tasks out of
/// reach in a long list: an idle moment recounts the list, and it reaches every task again.
#[test]
fn a_wrong_kept_count_is_found_while_idle_and_no_task_is_out_of_reach() {
    let mut h = Harness::with(|s| {
        for i in 0..400 {
            task(s, &format!("t{i:03}"), None);
        }
    });
    h.db()
        .execute("UPDATE task_counts SET n = n - 100", [])
        .unwrap();
    h.restart();
    h.keys("2o"); // by priority: all equal, so by id
    // Walking the whole list a row at a time meets every task only once the count is right.
    let walk = |h: &mut Harness| {
        h.keys("g");
        let mut seen = std::collections::BTreeSet::new();
        for _ in 0..450 {
            seen.insert(h.app.selected_task().unwrap().title.clone());
            h.keys("j");
        }
        seen
    };
    assert!(!walk(&mut h).contains("t200"));
    let _ = h.app.update(tasktui::keymap::Action::Tick);
    assert!(
        h.message().contains("kept count was off by 100")
            && h.message().contains("`tasktui db check --fix`"),
        "{}",
        h.message()
    );
    assert_eq!(walk(&mut h).len(), 400);
    // Too many kept: the list ends at its last task, not at empty rows.
    h.db()
        .execute("UPDATE task_counts SET n = n + 150", [])
        .unwrap();
    h.restart();
    h.keys("2o");
    let _ = h.app.update(tasktui::keymap::Action::Tick);
    assert!(h.message().contains("off by -50"), "{}", h.message());
    assert_eq!(walk(&mut h).len(), 400);
    assert_eq!(h.app.selected_task().unwrap().title, "t399");
}
