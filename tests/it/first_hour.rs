//! What a new user meets first, drawn at the sizes people have: the status bar's hints chosen
//! for the width (the way to the help never cut), hints that say what a key does where it is
//! pressed, the columns a lead looks for, and an empty list that says what hides the tasks.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

use super::snapshots::{draw, press, sample_app};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use tasktui::app::App;

/// The screen's rows as text.
fn rows(app: &App) -> Vec<String> {
    let terminal = draw(app);
    let buffer = terminal.backend().buffer().clone();
    (0..buffer.area.height)
        .map(|y| {
            (0..buffer.area.width)
                .map(|x| buffer[(x, y)].symbol().to_string())
                .collect::<String>()
        })
        .collect()
}

fn status_line(app: &App) -> String {
    rows(app).last().unwrap().trim_end().to_string()
}

#[test]
fn the_way_to_the_help_is_never_cut_at_any_width_or_after_any_message() {
    for width in (40..=200).step_by(7) {
        let mut app = sample_app(width, 24);
        let line = status_line(&app);
        assert!(line.ends_with("? help"), "{width}: {line:?}");
        app.inform("a message far longer than any terminal is wide, ".repeat(6));
        let line = status_line(&app);
        assert!(
            line.ends_with("? help"),
            "{width} after a message: {line:?}"
        );
        assert!(
            line.starts_with("a message far longer"),
            "{width}: {line:?}"
        );
    }
}

#[test]
fn at_80_columns_the_hints_that_fit_are_the_first_ones_and_none_is_cut() {
    let app = sample_app(80, 24);
    assert_eq!(
        status_line(&app),
        "x done  s status  v mark  f filter  a add  e edit  d delete  u undo  ? help"
    );
}

#[test]
fn a_key_that_closes_an_overlay_is_not_offered_as_quit() {
    let mut app = sample_app(120, 30);
    press(&mut app, "?");
    let help = status_line(&app);
    assert!(!help.contains("q quit"), "{help}");
    assert!(help.contains("close"), "{help}");
    app.press(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE));
    press(&mut app, "f");
    let menu = status_line(&app);
    assert!(!menu.contains("q quit"), "{menu}");
    app.press(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE));
    press(&mut app, "2d");
    let question = status_line(&app);
    assert!(!question.contains("q quit"), "{question}");
    app.press(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE));
    // Where q does quit, it says so.
    assert!(
        status_line(&app).contains("q quit"),
        "{}",
        status_line(&app)
    );
}

#[test]
fn the_assignee_and_due_columns_stay_at_80_and_60_columns() {
    for (width, height) in [(80, 24), (60, 16)] {
        let app = sample_app(width, height);
        let screen = rows(&app).join("\n");
        assert!(screen.contains("assignee"), "{width}x{height}:\n{screen}");
        assert!(screen.contains("due"), "{width}x{height}:\n{screen}");
        assert!(screen.contains("alice"), "{width}x{height}:\n{screen}");
    }
}

#[test]
fn a_big_terminal_puts_the_assignee_beside_the_titles_and_gives_the_detail_the_rest() {
    let app = sample_app(200, 60);
    let screen = rows(&app);
    let header = screen.iter().find(|r| r.contains("assignee")).unwrap();
    let title = header.find("title").unwrap();
    let assignee = header.find("assignee").unwrap();
    // The longest row is `#1 Renew the TLS certificate #ops #security` (43 columns).
    assert!(assignee - title < 50, "{header}");
    // Five tasks: the list keeps a few rows, the detail takes the rest.
    let detail = screen.iter().position(|r| r.contains("Detail")).unwrap();
    assert!(detail < 12, "the detail starts at row {detail}");
}

#[test]
fn an_empty_list_under_a_search_or_a_filter_names_it_and_how_to_clear_it() {
    let mut app = sample_app(120, 30);
    press(&mut app, "/zzz");
    app.press(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE));
    let screen = rows(&app).join("\n");
    assert!(
        screen.contains("No task matches the search /zzz. Esc clears the search."),
        "{screen}"
    );
    app.press(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE));
    // The certificate is not done yet: the done filter and the search hide it together.
    press(&mut app, "fd/Renew");
    app.press(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE));
    let screen = rows(&app).join("\n");
    assert!(
        screen.contains("No task matches the search /Renew and the filter done."),
        "{screen}"
    );
    assert!(
        screen.contains("Esc clears the search; f then c"),
        "{screen}"
    );
    assert!(screen.contains("clears the filters."), "{screen}");
}

#[test]
fn the_help_names_the_keys_as_bound_now_and_what_search_and_mine_read() {
    use tasktui::keymap::{Action, Context, Key};
    let mut app = sample_app(120, 40);
    let bind = |app: &mut App, context, action, key: &str| {
        app.keys
            .bind(context, action, vec![Key::parse(key).unwrap()])
            .unwrap();
    };
    bind(&mut app, Context::Tasks, Action::Filter, "F");
    bind(&mut app, Context::Tasks, Action::SetDue, "w");
    bind(&mut app, Context::Tasks, Action::SetTags, "y");
    bind(&mut app, Context::Tasks, Action::Assign, "z");
    bind(&mut app, Context::Filter, Action::FilterTag, "t");
    let help = app.keys.help();
    let titles: Vec<&str> = help.iter().map(|(title, _)| title.as_str()).collect();
    for title in [
        "The quick filter menu (F)",
        "Choosing a tag to show (F t)",
        "The due date prompt (w)",
        "The tags prompt (y)",
        "Assigning tasks (z)",
    ] {
        assert!(titles.contains(&title), "{title} not in {titles:?}");
    }
    let words: Vec<&str> = help
        .iter()
        .flat_map(|(_, rows)| rows.iter().map(|(_, what)| *what))
        .collect();
    assert!(
        words
            .iter()
            .any(|w| w.contains("title, description and tag names"))
    );
    assert!(words.iter().any(|w| w.contains("the config file's me")));
}

#[test]
fn the_help_pages_like_the_lists_and_finds_a_key_by_a_word() {
    use tasktui::app::Mode;
    let mut app = sample_app(80, 24);
    press(&mut app, "?");
    let key = |app: &mut App, code: KeyCode| app.press(KeyEvent::new(code, KeyModifiers::NONE));
    key(&mut app, KeyCode::PageDown);
    let Mode::Help(paged) = app.mode else {
        panic!("not in the help")
    };
    assert!(paged > 10, "a page is more than a line: {paged}");
    press(&mut app, " ");
    let Mode::Help(twice) = app.mode else {
        panic!()
    };
    assert!(twice > paged, "{twice} after {paged}");
    press(&mut app, "G");
    let Mode::Help(end) = app.mode else { panic!() };
    let (limit, _) = tasktui::layout::help::scroll_limit(&app.keys, 80, 24, "");
    assert_eq!(end, limit);
    press(&mut app, "g");
    assert!(matches!(app.mode, Mode::Help(0)));
    app.press(KeyEvent::new(KeyCode::Char('d'), KeyModifiers::CONTROL));
    let Mode::Help(half) = app.mode else { panic!() };
    assert!(half > 1 && half < paged, "{half}");
    // `/` narrows the help to the keys whose words hold what is typed.
    press(&mut app, "/due");
    let screen = rows(&app).join("\n");
    assert!(screen.contains("find: due"), "{screen}");
    assert!(screen.contains("set the due date"), "{screen}");
    assert!(!screen.contains("toggle done"), "{screen}");
    // Enter keeps it and gives the keys back; Esc then closes the help.
    key(&mut app, KeyCode::Enter);
    press(&mut app, "j");
    assert!(matches!(app.mode, Mode::Help(_)));
    key(&mut app, KeyCode::Esc);
    assert!(matches!(app.mode, Mode::Browse));
    press(&mut app, "?");
    let screen = rows(&app).join("\n");
    assert!(
        !screen.contains("find:"),
        "a closed help forgets its word:\n{screen}"
    );
}

#[test]
fn the_form_says_the_date_a_typed_due_date_means() {
    let mut app = sample_app(100, 30);
    press(&mut app, "a");
    for _ in 0..8 {
        if rows(&app).iter().any(|r| r.contains("› Due")) {
            break;
        }
        app.press(KeyEvent::new(KeyCode::Tab, KeyModifiers::NONE));
    }
    let before = rows(&app).join("\n");
    assert!(before.contains("› Due"), "{before}");
    press(&mut app, "next fri");
    let screen = rows(&app).join("\n");
    // Monday 2026-11-23: the coming Friday.
    let due = screen.lines().find(|l| l.contains("› Due")).unwrap();
    assert!(
        due.contains("next fri") && due.contains("→ Fri 27 Nov 2026"),
        "{due}"
    );
}

#[test]
fn a_quick_filter_says_what_it_shows_in_words() {
    let mut app = sample_app(120, 30);
    press(&mut app, "fo");
    assert!(
        status_line(&app).starts_with("showing only: open"),
        "{}",
        status_line(&app)
    );
}

#[test]
fn words_about_what_came_before_do_not_stay_into_what_comes_next() {
    let mut app = sample_app(120, 30);
    let key = |app: &mut App, code: KeyCode, modifiers: KeyModifiers| {
        app.press(KeyEvent::new(code, modifiers));
    };
    press(&mut app, "a");
    key(&mut app, KeyCode::Esc, KeyModifiers::NONE);
    assert!(status_line(&app).contains("cancelled; nothing was saved"));
    press(&mut app, "/");
    assert!(
        !status_line(&app).contains("cancelled"),
        "{}",
        status_line(&app)
    );
    key(&mut app, KeyCode::Esc, KeyModifiers::NONE);
    // The assignee search: a word nobody matches chooses nobody, and its error goes with it.
    press(&mut app, "aA title");
    for _ in 0..8 {
        if rows(&app).iter().any(|r| r.contains("› Assignee")) {
            break;
        }
        key(&mut app, KeyCode::Tab, KeyModifiers::NONE);
    }
    key(&mut app, KeyCode::Right, KeyModifiers::NONE);
    press(&mut app, "zz");
    let line = rows(&app)
        .into_iter()
        .find(|r| r.contains("› Assignee"))
        .unwrap();
    assert!(line.contains("(nobody matches)"), "{line}");
    assert!(!line.contains("alice"), "{line}");
    key(&mut app, KeyCode::Char('s'), KeyModifiers::CONTROL);
    assert!(rows(&app).join("\n").contains("no user matches 'zz'"));
    key(&mut app, KeyCode::Char('u'), KeyModifiers::CONTROL);
    let screen = rows(&app).join("\n");
    assert!(!screen.contains("no user matches 'zz'"), "{screen}");
}

#[test]
fn a_refused_save_shows_every_problem_at_once() {
    let mut app = sample_app(120, 40);
    press(&mut app, "a");
    // No title, a date that is none, a tag that is none.
    for _ in 0..4 {
        app.press(KeyEvent::new(KeyCode::Tab, KeyModifiers::NONE));
    }
    press(&mut app, "someday");
    for _ in 0..2 {
        app.press(KeyEvent::new(KeyCode::Tab, KeyModifiers::NONE));
    }
    press(&mut app, "bad!tag");
    app.press(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL));
    let screen = rows(&app).join("\n");
    assert!(screen.contains("title is required"), "{screen}");
    assert!(screen.contains("'someday' is not a date"), "{screen}");
    assert!(screen.contains("bad!tag"), "{screen}");
    // The focus is on the first problem.
    assert!(screen.contains("› Title"), "{screen}");
}

#[test]
fn all_and_unassigned_count_their_open_and_late_tasks() {
    let app = sample_app(120, 30);
    let screen = rows(&app);
    // alice: 2 open, 1 late; bob: 1 open; nobody: the keyboard, open, no date.
    assert!(screen[1].contains("All 4 open 1 late"), "{}", screen[1]);
    assert!(screen[2].contains("Unassigned 1 open"), "{}", screen[2]);
    // A change is counted at once: the keyboard (the fourth row) done, nobody has open tasks.
    let mut app = app;
    press(&mut app, "jjjx");
    let screen = rows(&app);
    assert!(screen[2].starts_with("│Unassigned  "), "{}", screen[2]);
    assert!(!screen[2].contains("open"), "{}", screen[2]);
    assert!(screen[1].contains("All 3 open 1 late"), "{}", screen[1]);
}

#[test]
fn the_selected_row_is_one_style_over_its_whole_width_in_both_themes() {
    use ratatui::style::{Color, Modifier};
    for theme in [tasktui::config::Theme::DARK, tasktui::config::Theme::LIGHT] {
        let mut app = sample_app(100, 30);
        app.theme = theme;
        let terminal = draw(&app);
        let buffer = terminal.backend().buffer();
        // The first task (red `high`, a dim id, tags) is selected in the focused Tasks pane.
        let row_y = 2;
        let tasks_x = (0..100u16)
            .find(|&x| buffer[(x, 0)].symbol() == "┏")
            .unwrap();
        for x in tasks_x + 1..99 {
            let cell = &buffer[(x, row_y)];
            assert_eq!(
                (cell.fg, cell.bg),
                (theme.selected_text, theme.selected),
                "x {x}: {:?}",
                cell.symbol()
            );
        }
        // The Users pane's selection (All), not focused: plain reverse video, no colour patch.
        for x in 1..tasks_x - 1 {
            let cell = &buffer[(x, 1)];
            assert_eq!((cell.fg, cell.bg), (Color::Reset, Color::Reset), "x {x}");
            assert!(cell.modifier.contains(Modifier::REVERSED), "x {x}");
        }
    }
}

#[test]
fn an_empty_form_field_shows_where_to_type() {
    use ratatui::style::Modifier;
    let mut app = sample_app(100, 30);
    press(&mut app, "a");
    let terminal = draw(&app);
    let buffer = terminal.backend().buffer();
    let screen = rows(&app);
    let (y, line) = screen
        .iter()
        .enumerate()
        .find(|(_, r)| r.contains("Tags"))
        .unwrap();
    let x = u16::try_from(line.chars().position(|c| c == 'T').unwrap() + 14).unwrap();
    let y = u16::try_from(y).unwrap();
    // The empty tags field: underlined spaces from where typing starts.
    for dx in 0..10 {
        assert!(
            buffer[(x + dx, y)].modifier.contains(Modifier::UNDERLINED),
            "{line}"
        );
    }
}

#[test]
fn ctrl_c_quits_from_the_help_s_find_as_from_anywhere() {
    let mut app = sample_app(80, 24);
    press(&mut app, "?/qu");
    app.press(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL));
    assert!(app.quit, "Ctrl-c in the help's find did not quit");
}
