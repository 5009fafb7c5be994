//! What the screen shows, drawn into a fixed-size test terminal with a fixed clock.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

use chrono::DateTime;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::style::Color;
use tasktui::app::App;
use tasktui::clock::Clock;
use tasktui::model::{Priority, Status, TaskFields, validate_user};
use tasktui_sqlite::Store;

/// Monday 2026-11-23, 09:00 UTC.
fn clock() -> Clock {
    Clock::fixed(DateTime::parse_from_rfc3339("2026-11-23T09:00:00+00:00").unwrap())
}

pub(crate) fn sample_app(width: u16, height: u16) -> App {
    let mut store = Store::open_in_memory().unwrap();
    store.set_clock(clock());
    let alice = store
        .create_user(&validate_user("alice", "Alice Liddell", "alice@example.com").unwrap())
        .unwrap();
    let bob = store
        .create_user(&validate_user("bob", "Bob", "").unwrap())
        .unwrap();
    let tasks = [
        (
            "Renew the TLS certificate",
            Some(alice),
            Status::Doing,
            Priority::High,
            Some("2026-11-20"),
        ),
        (
            "Write release notes",
            Some(alice),
            Status::Todo,
            Priority::Medium,
            Some("2026-11-23"),
        ),
        (
            "Review the schema change",
            Some(bob),
            Status::Todo,
            Priority::Low,
            Some("2026-11-30"),
        ),
        (
            "Order a new keyboard",
            None,
            Status::Todo,
            Priority::None,
            None,
        ),
        (
            "Ship 0.1",
            Some(bob),
            Status::Done,
            Priority::High,
            Some("2026-11-10"),
        ),
    ];
    for (title, assignee, status, priority, due) in tasks {
        store
            .create_task(&TaskFields {
                title: title.into(),
                description: "Check the expiry date.\nThen tell the team.".into(),
                status,
                priority,
                due: due.map(|d| d.parse().unwrap()),
                assignee,
                tags: if title.starts_with("Renew") {
                    vec!["ops".into(), "security".into()]
                } else {
                    Vec::new()
                },
            })
            .unwrap();
    }
    App::new(store, (width, height)).unwrap()
}

pub(crate) fn draw(app: &App) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(app.size.0, app.size.1)).unwrap();
    terminal
        .draw(|frame| tasktui::ui::draw(frame, app))
        .unwrap();
    terminal
}

pub(crate) fn press(app: &mut App, keys: &str) {
    for c in keys.chars() {
        app.press(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
    }
}

#[test]
fn main_screen() {
    let app = sample_app(100, 30);
    insta::assert_snapshot!(draw(&app).backend());
}

#[test]
fn main_screen_at_80_by_24() {
    let app = sample_app(80, 24);
    insta::assert_snapshot!(draw(&app).backend());
}

#[test]
fn main_screen_at_200_by_60() {
    let app = sample_app(200, 60);
    insta::assert_snapshot!(draw(&app).backend());
}

#[test]
fn main_screen_filtered_to_a_user() {
    let mut app = sample_app(100, 30);
    press(&mut app, "1jj");
    insta::assert_snapshot!(draw(&app).backend());
}

#[test]
fn narrow_screen_keeps_the_assignee_column_and_drops_the_status_first() {
    let app = sample_app(60, 16);
    insta::assert_snapshot!(draw(&app).backend());
}

#[test]
fn task_form_with_a_validation_error() {
    let mut app = sample_app(100, 30);
    press(&mut app, "a");
    app.press(KeyEvent::new(KeyCode::Tab, KeyModifiers::NONE));
    press(&mut app, "kept text");
    app.press(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL));
    insta::assert_snapshot!(draw(&app).backend());
}

#[test]
fn delete_confirmation() {
    let mut app = sample_app(100, 30);
    press(&mut app, "d");
    insta::assert_snapshot!(draw(&app).backend());
}

#[test]
fn user_deletion_choice() {
    let mut app = sample_app(100, 30);
    press(&mut app, "1jjd");
    insta::assert_snapshot!(draw(&app).backend());
}

#[test]
fn help_overlay() {
    let mut app = sample_app(100, 50);
    press(&mut app, "?");
    insta::assert_snapshot!(draw(&app).backend());
}

#[test]
fn tiny_terminal() {
    let app = sample_app(30, 6);
    insta::assert_snapshot!(draw(&app).backend());
}

#[test]
fn every_size_from_one_by_one_draws_without_panicking() {
    let mut app = sample_app(1, 1);
    for mode_keys in ["", "?", "a", "d", "1jjd"] {
        press(&mut app, mode_keys);
        for width in (1..=130).step_by(7) {
            for height in 1..=40 {
                let _ = app.update(tasktui::keymap::Action::Resize(width, height));
                draw(&app);
            }
        }
        app.press(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE));
        app.press(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE));
    }
}

/// The cell where `text` starts on screen.
fn find(terminal: &Terminal<TestBackend>, text: &str) -> (u16, u16) {
    let buffer = terminal.backend().buffer();
    for y in 0..buffer.area.height {
        let line: String = (0..buffer.area.width)
            .map(|x| buffer[(x, y)].symbol().to_string())
            .collect();
        if let Some(at) = line.find(text) {
            let x = line[..at].chars().count();
            return (u16::try_from(x).unwrap(), y);
        }
    }
    panic!("{text} is not on screen");
}

#[test]
fn overdue_dates_are_red_and_dates_due_today_yellow() {
    let mut app = sample_app(100, 30);
    // The selected row has its own colours; select one whose date is not checked.
    press(&mut app, "jjj");
    let terminal = draw(&app);
    let buffer = terminal.backend().buffer();
    let (x, y) = find(&terminal, "3d late");
    assert_eq!(buffer[(x, y)].fg, Color::Red);
    let (x, y) = find(&terminal, "today");
    assert_eq!(buffer[(x, y)].fg, Color::Yellow);
    let (x, y) = find(&terminal, "in 7d");
    assert_eq!(buffer[(x, y)].fg, Color::Reset);
}

#[test]
fn control_and_bidi_characters_in_stored_text_are_drawn_as_placeholders() {
    let mut store = Store::open_in_memory().unwrap();
    store.set_clock(clock());
    store
        .connection()
        .execute_batch(
            "INSERT INTO users (username) VALUES ('ev' || char(27) || '[2Jil');
             INSERT INTO tasks (title, assignee_id) VALUES ('pay ' || char(8238) || 'gpj.exe' || char(27) || ']0;pwn' || char(7), 1);",
        )
        .unwrap();
    let app = App::new(store, (100, 30)).unwrap();
    let terminal = draw(&app);
    let screen = terminal.backend().to_string();
    assert!(screen.contains("ev␛[2Jil"), "{screen}");
    assert!(screen.contains("pay ⟨U+202E⟩gpj.exe␛]0;pwn␇"), "{screen}");
    assert!(!screen.contains('\u{1b}') && !screen.contains('\u{202E}'));
}

#[test]
fn live_search_with_its_match_count() {
    let mut app = sample_app(100, 30);
    press(&mut app, "/the");
    insta::assert_snapshot!(draw(&app).backend());
}

#[test]
fn narrow_users_pane_keeps_its_counts_whole() {
    let mut app = sample_app(50, 15);
    press(&mut app, "1");
    insta::assert_snapshot!(draw(&app).backend());
}

#[test]
fn smallest_screen_with_a_form_open_keeps_the_focused_field_in_view() {
    let mut app = sample_app(40, 10);
    press(&mut app, "a");
    for _ in 0..5 {
        app.press(KeyEvent::new(KeyCode::Tab, KeyModifiers::NONE));
    }
    insta::assert_snapshot!(draw(&app).backend());
}

#[test]
fn a_due_date_error_wraps_with_its_way_out_at_80_columns() {
    let mut app = sample_app(80, 24);
    press(&mut app, "a");
    press(&mut app, "Title");
    for _ in 0..4 {
        app.press(KeyEvent::new(KeyCode::Tab, KeyModifiers::NONE));
    }
    press(&mut app, "someday");
    app.press(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE));
    insta::assert_snapshot!(draw(&app).backend());
}
