//! What a new user hit: keys behind a screen too small to show, overlays that `q` should close,
//! pane keys from lazygit and less, lists that stay scrolled, stale messages and odd wording.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

use crate::support;

use ratatui::crossterm::event::KeyCode;
use support::harness::{Harness, task, user};
use tasktui::app::{Mode, Pane};
use tasktui::keymap::Action;

/// The screen as text, drawn at the app's size.
use support::harness::screen;

#[test]
fn behind_the_too_small_screen_only_quitting_does_anything() {
    let mut h = Harness::with(|store| {
        task(store, "first", None);
        task(store, "second", None);
    });
    let _ = h.app.update(Action::Resize(30, 8));
    assert!(screen(&h).contains("Terminal too small"));
    h.keys("x").keys("d").keys("y").keys("a").keys("/");
    assert_eq!(
        h.count("SELECT count(*) FROM tasks WHERE status = 'done'"),
        0
    );
    assert_eq!(h.count("SELECT count(*) FROM tasks"), 2);
    assert!(matches!(h.app.mode, Mode::Browse), "{:?}", h.app.mode);
    h.keys("q");
    assert!(h.app.quit);
}

#[test]
fn q_closes_the_help_and_a_confirmation_instead_of_quitting() {
    let mut h = Harness::with(|store| task(store, "keep me", None));
    h.keys("?");
    assert!(matches!(h.app.mode, Mode::Help(_)));
    h.keys("q");
    assert!(matches!(h.app.mode, Mode::Browse) && !h.app.quit);
    h.keys("d");
    assert!(matches!(h.app.mode, Mode::Confirm { .. }));
    h.keys("q");
    assert!(matches!(h.app.mode, Mode::Browse) && !h.app.quit);
    assert_eq!(h.count("SELECT count(*) FROM tasks"), 1);
}

#[test]
fn the_help_lists_ctrl_z_and_stops_scrolling_at_its_end() {
    let mut h = Harness::new();
    let _ = h.app.update(Action::Resize(80, 24));
    h.keys("?");
    for _ in 0..500 {
        h.keys("j");
    }
    let Mode::Help(scroll) = h.app.mode else {
        panic!("help closed")
    };
    assert_eq!(
        scroll,
        tasktui::layout::help::scroll_limit(&Default::default(), 80, 24, "").0
    );
    let shown = screen(&h);
    // The last line of the help is on screen, and the box is not scrolled into blank rows.
    assert!(shown.contains("scroll up"), "{shown}");
    h.keys("q");
    h.keys("?");
    for _ in 0..500 {
        h.keys("j");
    }
    let mut seen = String::new();
    let _ = h.app.update(Action::Resize(200, 60));
    h.keys("q").keys("?");
    seen.push_str(&screen(&h));
    assert!(seen.contains("Ctrl-z"), "{seen}");
}

#[test]
fn h_l_and_arrows_move_between_panes_and_enter_on_a_user_shows_their_tasks() {
    let mut h = Harness::with(|store| {
        let alice = user(store, "alice");
        task(store, "hers", Some(alice));
        task(store, "nobody's", None);
    });
    h.keys("h");
    assert_eq!(h.app.focus, Pane::Users);
    h.keys("l");
    assert_eq!(h.app.focus, Pane::Tasks);
    h.key(KeyCode::Left);
    assert_eq!(h.app.focus, Pane::Users);
    h.keys("jj");
    h.key(KeyCode::Enter);
    assert_eq!(h.app.focus, Pane::Tasks);
    assert_eq!(h.titles(), ["hers"]);
    assert!(
        matches!(h.app.mode, Mode::Browse),
        "Enter on a user opened {:?}",
        h.app.mode
    );
    h.key(KeyCode::Right);
    assert_eq!(h.app.focus, Pane::Tasks);
}

#[test]
fn an_empty_tasks_pane_tells_the_users_pane_how_to_add_a_task() {
    let mut h = Harness::with(|store| {
        user(store, "alice");
    });
    assert!(screen(&h).contains("No tasks here. Press a to add a task."));
    h.keys("1");
    let shown = screen(&h);
    assert!(
        shown.contains("No tasks here. Press 2, then a to add a task."),
        "{shown}"
    );
}

#[test]
fn lists_scroll_back_when_the_terminal_grows() {
    let mut h = Harness::with(|store| {
        for i in 0..11 {
            user(store, &format!("user{i:02}"));
        }
        let last = user(store, "user11");
        for i in 0..8 {
            task(store, &format!("task {i}"), Some(last));
        }
    });
    h.keys("1G").keys("2G");
    let _ = h.app.update(Action::Resize(100, 10));
    let _ = h.app.update(Action::Resize(100, 40));
    let shown = screen(&h);
    assert!(
        shown.contains("All") && shown.contains("Unassigned"),
        "{shown}"
    );
    assert!(shown.contains("task 0"), "{shown}");
    assert_eq!(h.app.user_top, 0);
    assert_eq!(h.app.tasks.top, 0);
}

#[test]
fn a_message_belongs_to_its_moment() {
    let mut h = Harness::new();
    h.keys("a").keys("first").key(KeyCode::Enter);
    assert!(h.message().starts_with("saved"));
    // A new form: the last save is not news inside it.
    h.keys("a");
    assert_eq!(h.message(), "");
    h.key(KeyCode::Enter);
    assert!(h.form_error().is_some());
    assert_eq!(h.message(), "", "a stale message beside a validation error");
    h.key(KeyCode::Esc);
    assert_eq!(h.message(), "cancelled; nothing was saved");
    h.keys("e");
    assert_eq!(
        h.message(),
        "",
        "the cancel message followed into the next form"
    );
}

#[test]
fn deletions_say_what_they_deleted_in_plain_words() {
    let mut h = Harness::with(|store| {
        let zoe = user(store, "zoe");
        user(store, "niaj");
        task(store, "the only one", Some(zoe));
        task(store, "loose", None);
    });
    h.keys("1").keys("jjjd");
    assert!(screen(&h).contains("zoe has 1 task. What happens to it?"));
    h.keys("r").key(KeyCode::Enter);
    assert_eq!(h.message(), "deleted user zoe; their task went to niaj");
    h.keys("1g2G").keys("d").keys("y");
    assert_eq!(h.message(), "deleted “loose” (u undoes)");
}

#[test]
fn without_colour_the_selection_still_shows_in_both_panes() {
    let dir = tempfile::TempDir::new().unwrap();
    let db = dir.path().join("t.db");
    support::database_with(
        &db,
        "head",
        "INSERT INTO users (username) VALUES ('alice');
         INSERT INTO tasks (title, assignee_id) VALUES ('first', 1), ('second', NULL);",
    );
    let mut term = support::Terminal::start_with_env(
        &["--db", db.to_str().unwrap()],
        &[("NO_COLOR", "1")],
        100,
        30,
    );
    let screen = term.wait_for("first");
    // Tasks pane focused: its first row; Users pane: All, first row inside its frame.
    let row_of = |text: &str| screen.lines().position(|l| l.contains(text)).unwrap() as u16;
    let task_col = screen
        .lines()
        .nth(row_of("first") as usize)
        .unwrap()
        .find("first")
        .unwrap();
    let task_col = screen.lines().nth(row_of("first") as usize).unwrap()[..task_col]
        .chars()
        .count() as u16;
    assert!(
        term.inverse(row_of("first"), task_col),
        "the focused selection is not visible"
    );
    assert!(
        term.inverse(row_of("All"), 1),
        "the other pane's selection is not visible"
    );
    assert!(!term.inverse(row_of("second"), task_col));
    assert!(!term.any_colour(), "a colour was drawn under NO_COLOR");
    term.type_keys("j");
    term.wait_for("second");
    std::thread::sleep(std::time::Duration::from_millis(200));
    assert!(term.inverse(row_of("second"), task_col));
    term.type_keys("q");
    assert_eq!(term.wait_exit(), 0);
}

fn tab(h: &mut Harness, times: usize) {
    for _ in 0..times {
        h.key(KeyCode::Tab);
    }
}

#[test]
fn the_assignee_search_never_unassigns_silently() {
    let mut h = Harness::with(|store| {
        user(store, "alice");
        user(store, "bob");
    });
    // A search that matches nobody is refused on save, with the way out.
    h.keys("a").keys("title");
    tab(&mut h, 5);
    h.keys("zzz").key(KeyCode::Enter);
    let (field, message) = h
        .form_error()
        .expect("saved with a search that matched nobody");
    assert_eq!(field, Some(tasktui::model::Field::Assignee));
    assert!(message.contains("no user matches 'zzz'"), "{message}");
    assert_eq!(h.count("SELECT count(*) FROM tasks"), 0);
    // Clearing the search gives back the choice from before it; → stays among the matches.
    h.ctrl('u');
    h.key(KeyCode::Right);
    let chosen = |h: &Harness| match &h.app.mode {
        Mode::Form(form) => match &form.fields[5].input {
            tasktui::app::form::Input::Assignee { selected, .. } => *selected,
            _ => unreachable!(),
        },
        _ => panic!("form closed"),
    };
    let alice = chosen(&h);
    assert!(alice.is_some());
    h.keys("b");
    let bob = chosen(&h);
    assert_ne!(bob, alice);
    for _ in 0..3 {
        h.key(KeyCode::Right);
        assert_eq!(chosen(&h), bob, "→ left the matches shown");
    }
    h.ctrl('u');
    assert_eq!(
        chosen(&h),
        alice,
        "clearing the search lost the earlier choice"
    );
    h.key(KeyCode::Enter);
    assert_eq!(
        h.count("SELECT count(*) FROM tasks WHERE assignee_id IS NOT NULL"),
        1
    );
}

#[test]
fn text_fields_follow_readline_and_a_due_date_is_replaced_by_typing() {
    let mut h = Harness::with(|store| {
        let mut fields = tasktui::model::TaskFields::titled("hello world");
        fields.due = Some("2026-10-25".parse().unwrap());
        store.create_task(&fields).unwrap();
    });
    h.keys("e");
    h.ctrl('u');
    assert_eq!(
        h.form_text(0),
        "",
        "Ctrl-u deletes to the start of the line"
    );
    h.keys("new title");
    h.ctrl('a').keys(">");
    h.ctrl('e');
    h.ctrl('w');
    assert_eq!(h.form_text(0), ">new ");
    tab(&mut h, 4);
    h.keys("fri");
    assert_eq!(h.form_text(4), "fri", "typing extended the old date");
    h.key(KeyCode::Esc).key(KeyCode::Esc);
    h.keys("?");
    let _ = h.app.update(Action::Resize(200, 150));
    let shown = screen(&h);
    assert!(shown.contains("delete to the start of the line"), "{shown}");
}

#[test]
fn a_long_description_says_there_is_more_and_scrolls_and_users_show_their_details() {
    let mut h = Harness::with(|store| {
        let description: Vec<String> = (1..=30).map(|i| format!("line {i}")).collect();
        let mut fields = tasktui::model::TaskFields::titled("long one");
        fields.description = description.join("\n");
        store.create_task(&fields).unwrap();
        store
            .create_user(
                &tasktui::model::validate_user("alice", "Alice Liddell", "alice@example.com")
                    .unwrap(),
            )
            .unwrap();
    });
    let shown = screen(&h);
    assert!(
        shown.contains("↓ more: J") && !shown.contains("line 30"),
        "{shown}"
    );
    for _ in 0..40 {
        h.keys("J");
    }
    let shown = screen(&h);
    assert!(
        shown.contains("line 30") && shown.contains("↑ K"),
        "{shown}"
    );
    h.keys("1jj");
    let shown = screen(&h);
    assert!(
        shown.contains("Alice Liddell") && shown.contains("alice@example.com"),
        "{shown}"
    );
}

#[test]
fn the_first_run_says_what_was_created_and_how_to_begin() {
    let dir = tempfile::TempDir::new().unwrap();
    let db = dir.path().join("fresh.db");
    let mut term = support::Terminal::start(&db, 120, 30);
    term.wait_for(&format!("created a new task database: {}", db.display()));
    term.wait_for("No tasks here yet.");
    let screen = term.wait_for("tasktui demo --db");
    assert!(screen.contains("Press a to add a task."), "{screen}");
    assert!(screen.contains("add the people"), "{screen}");
    assert!(screen.contains("first: press 1, then a."), "{screen}");
    term.type_keys("q");
    assert_eq!(term.wait_exit(), 0);
}

#[test]
fn a_search_matching_more_than_ten_thousand_tasks_says_10000_plus_and_still_pages_to_its_end() {
    let mut h = Harness::with(|store| {
        tasktui_sqlite::demo::fill(
            store,
            tasktui_sqlite::demo::Spec {
                tasks: 10_500,
                users: 5,
                seed: 1,
            },
        )
        .unwrap();
        store
            .create_task(&tasktui::model::TaskFields::titled(
                "a needle in the haystack",
            ))
            .unwrap();
    });
    // Without a search the count is the one the database keeps: exact, past 10,000 too, and
    // the list goes to its last task.
    h.keys("2");
    assert!(!h.app.tasks.bounded);
    assert_eq!(h.app.tasks.total, 10_501);
    assert!(
        screen(&h).contains("Tasks: all (1/10,501)"),
        "{}",
        screen(&h)
    );
    h.keys("G");
    assert_eq!(h.app.tasks.cursor, 10_500);
    h.keys("g/e");
    h.key(KeyCode::Enter);
    assert!(h.app.tasks.bounded, "more than 10,000 titles hold an e");
    assert_eq!(h.app.tasks.total, tasktui::app::MATCH_LIMIT);
    let shown = screen(&h);
    assert!(shown.contains("/10,000+)"), "{shown}");
    assert!(shown.contains("10,000+ matches"), "{shown}");
    // The last row of the list is the 10,000th match in order, read by offset (the end of the
    // list is not the end of the matches).
    h.keys("G");
    assert_eq!(h.app.tasks.cursor, tasktui::app::MATCH_LIMIT - 1);
    let expected = h
        .app
        .store()
        .list_tasks(&h.app.tasks.filter, tasktui::app::MATCH_LIMIT - 1, 1)
        .unwrap();
    assert_eq!(
        h.app.selected_task().map(|t| t.id),
        expected.first().map(|t| t.id)
    );
    // A narrower search is counted exactly.
    h.key(KeyCode::Esc).keys("/needle");
    h.key(KeyCode::Enter);
    assert!(!h.app.tasks.bounded);
    assert_eq!(h.app.tasks.total, 1);
    assert!(screen(&h).contains("1 match"), "{}", screen(&h));
}

#[test]
fn a_search_a_newer_key_makes_stale_gives_up_and_waits_showing_searching() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};
    let dir = tempfile::TempDir::new().unwrap();
    let mut store = support::harness::open(&dir);
    for title in ["Write the zq docs", "Fix the login"] {
        task(&store, title, None);
    }
    // Enough tasks that counting a letter nearly every task holds takes more than a moment of
    // the database.
    let spec = tasktui_sqlite::demo::Spec {
        tasks: 2_000,
        users: 3,
        seed: 1,
    };
    tasktui_sqlite::demo::fill(&store, spec).unwrap();
    task(&store, "Review the ZQ docs", None);
    let give_up = Arc::new(AtomicBool::new(false));
    store.give_up_when(Arc::clone(&give_up));
    let app = tasktui::app::App::new(store, (100, 30)).unwrap();
    let mut h = Harness { dir, app };
    h.keys("2");
    // A key arrived while the search ran: it stops, the list is left as it was, and the
    // status bar says the search is still to come; nothing is reported as an error.
    give_up.store(true, Ordering::SeqCst);
    let before = h.titles();
    h.keys("/e");
    assert!(h.app.search_waiting);
    assert_eq!(h.titles(), before);
    assert!(screen(&h).contains("/e▏  searching…"), "{}", screen(&h));
    assert_eq!(h.message(), "");
    // Once nothing waits, the search runs to its end.
    give_up.store(false, Ordering::SeqCst);
    assert!(h.app.run_waiting_search());
    assert!(!h.app.search_waiting);
    assert!(screen(&h).contains(" matches"), "{}", screen(&h));
    h.keys(" zq");
    let mut found = h.titles();
    found.sort();
    assert_eq!(found, ["Review the ZQ docs", "Write the zq docs"]);
    assert!(screen(&h).contains("/e zq▏  2 matches"), "{}", screen(&h));
    // The flag stops reads only: with it cleared, a write goes through.
    let done = "SELECT count(*) FROM tasks WHERE status = 'done' AND title LIKE '%zq%'";
    assert_eq!(h.count(done), 0);
    h.key(KeyCode::Enter).keys("x");
    assert_eq!(h.count(done), 1);
}

#[test]
fn the_theme_in_force_colours_the_screen_by_meaning() {
    use ratatui::style::Color;
    use ratatui::{Terminal, backend::TestBackend};
    let mut h = Harness::with(|store| {
        store
            .connection()
            .execute_batch("INSERT INTO tasks (title, due_date) VALUES ('late one', '2020-01-01')")
            .unwrap();
    });
    let (config, problems) = tasktui::config::parse(
        "[theme]\nbase = \"light\"\naccent = \"#ff8800\"\noverdue = \"208\"\n",
    );
    assert_eq!(problems, []);
    h.app.configure(&config);
    let (width, height) = h.app.size;
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal
        .draw(|frame| tasktui::ui::draw(frame, &h.app))
        .unwrap();
    let buffer = terminal.backend().buffer().clone();
    let cells: Vec<_> = (0..height)
        .flat_map(|y| (0..width).map(move |x| (x, y)))
        .map(|at| buffer[at].clone())
        .collect();
    // The focused pane's border is the accent; the late date the overdue colour; the doing
    // colour of the light base (no yellow anywhere).
    assert!(
        cells
            .iter()
            .any(|c| c.symbol() == "━" && c.fg == Color::Rgb(0xff, 0x88, 0))
    );
    assert!(
        cells
            .iter()
            .any(|c| c.symbol() == "l" && c.fg == Color::Indexed(208))
    );
    assert!(
        cells
            .iter()
            .all(|c| c.fg != Color::Yellow && c.fg != Color::Cyan)
    );
}
