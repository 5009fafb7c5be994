//! Faults met while the interface runs: a busy database, a full disk, a damaged file, and hostile
//! or odd data. The interface keeps running, says what happened, and keeps what was typed.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use rusqlite::Connection;
use tasktui::app::{App, Mode};
use tasktui::model::TaskFields;
use tasktui_sqlite::{FileLocation, Store};
use tempfile::TempDir;

fn open(dir: &TempDir) -> Store {
    Store::open(&FileLocation::Explicit(dir.path().join("t.db")))
        .unwrap()
        .store
}

fn keys(app: &mut App, text: &str) {
    for c in text.chars() {
        app.press(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
    }
}

fn press(app: &mut App, code: KeyCode) {
    app.press(KeyEvent::new(code, KeyModifiers::NONE));
}

fn message(app: &App) -> String {
    app.message
        .as_ref()
        .map(|m| m.text.clone())
        .unwrap_or_default()
}

fn form_error(app: &App) -> String {
    match &app.mode {
        Mode::Form(form) => form.errors.first().map(|e| e.1.clone()).unwrap_or_default(),
        other => panic!("the form closed: {other:?}"),
    }
}

fn screen(app: &App) -> String {
    let mut terminal = Terminal::new(TestBackend::new(app.size.0, app.size.1)).unwrap();
    terminal
        .draw(|frame| tasktui::ui::draw(frame, app))
        .unwrap();
    terminal.backend().to_string()
}

#[test]
fn a_write_that_meets_a_lock_says_busy_and_works_once_it_is_free() {
    let dir = TempDir::new().unwrap();
    let store = open(&dir);
    store.create_task(&TaskFields::titled("shared")).unwrap();
    let mut app = App::new(store, (100, 30)).unwrap();
    let other = Connection::open(dir.path().join("t.db")).unwrap();
    other.execute_batch("BEGIN IMMEDIATE").unwrap();
    let started = std::time::Instant::now();
    keys(&mut app, "x");
    assert_eq!(
        message(&app),
        "the database is busy (another program is writing to it); try again"
    );
    assert!(
        started.elapsed() < std::time::Duration::from_secs(3),
        "froze for {:?}",
        started.elapsed()
    );
    other.execute_batch("COMMIT").unwrap();
    keys(&mut app, "x");
    assert_eq!(message(&app), "“shared” is done");
}

#[test]
fn a_full_disk_keeps_the_form_open_with_the_input() {
    let dir = TempDir::new().unwrap();
    let store = open(&dir);
    let pages: i64 = store
        .connection()
        .query_row("PRAGMA page_count", [], |r| r.get(0))
        .unwrap();
    store
        .connection()
        .pragma_update(None, "max_page_count", pages)
        .unwrap();
    let mut app = App::new(store, (100, 30)).unwrap();
    keys(&mut app, "aBig task");
    press(&mut app, KeyCode::Tab);
    let long = "lorem ipsum ".repeat(800);
    keys(&mut app, &long);
    app.press(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL));
    assert_eq!(
        form_error(&app),
        "the disk or the database is full; nothing was saved"
    );
    match &app.mode {
        Mode::Form(form) => {
            assert_eq!(form.text(0), "Big task");
            assert_eq!(form.text(1), long);
        }
        other => panic!("{other:?}"),
    }
    keys(&mut app, "?");
    assert!(!app.quit);
}

#[test]
fn damage_found_mid_session_is_reported_without_a_panic() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("t.db");
    let store = open(&dir);
    for i in 0..400 {
        store
            .create_task(&TaskFields {
                description: "x".repeat(200),
                ..TaskFields::titled(&format!("task {i}"))
            })
            .unwrap();
    }
    // Every page read from the file when it is needed, as after memory pressure or another
    // process's commit.
    store
        .connection()
        .execute_batch("PRAGMA wal_checkpoint(TRUNCATE); PRAGMA cache_size = 1;")
        .unwrap();
    let mut app = App::new(store, (100, 30)).unwrap();
    // Overwrite the tasks' pages on disk behind the interface's back.
    let mut bytes = std::fs::read(&path).unwrap();
    let page = 4096;
    for byte in &mut bytes[page * 4..page * 30] {
        *byte = 0x5A;
    }
    std::fs::write(&path, &bytes).unwrap();
    keys(&mut app, "G");
    keys(&mut app, "x");
    let text = message(&app);
    assert!(
        text.contains("damaged") || text.contains("malformed"),
        "{text}"
    );
    screen(&app);
}

#[test]
fn wide_characters_and_emoji_keep_the_layout() {
    let dir = TempDir::new().unwrap();
    let store = open(&dir);
    store
        .create_task(&TaskFields::titled(
            "日本語のタスク名がとても長い場合でも表は崩れない 🎉🎉🎉 and more text after it",
        ))
        .unwrap();
    store.create_task(&TaskFields::titled("plain")).unwrap();
    let app = App::new(store, (80, 20)).unwrap();
    let mut terminal = Terminal::new(TestBackend::new(80, 20)).unwrap();
    terminal
        .draw(|frame| tasktui::ui::draw(frame, &app))
        .unwrap();
    let buffer = terminal.backend().buffer();
    let row: String = (0..80)
        .map(|x| buffer[(x, 2)].symbol().to_string())
        .collect();
    assert!(row.replace(' ', "").contains("日本語のタスク"), "{row}");
    for y in 0..19 {
        // The right border of the Tasks pane and the border between the panes stay in place.
        assert!(
            matches!(buffer[(79, y)].symbol(), "┃" | "┓" | "┛" | "│" | "┐" | "┘"),
            "row {y}: {:?}",
            buffer[(79, y)].symbol()
        );
        assert!(
            matches!(buffer[(19, y)].symbol(), "│" | "┐" | "┘"),
            "row {y}: {:?}",
            buffer[(19, y)].symbol()
        );
    }
    // The due column still starts where it does for a plain title.
    let plain: String = (0..80)
        .map(|x| buffer[(x, 3)].symbol().to_string())
        .collect();
    assert!(plain.contains("plain"));
}

#[test]
fn a_ten_thousand_character_title_is_refused_with_the_limit_and_kept() {
    let dir = TempDir::new().unwrap();
    let mut app = App::new(open(&dir), (100, 30)).unwrap();
    keys(&mut app, "a");
    let title = "t".repeat(10_000);
    keys(&mut app, &title);
    press(&mut app, KeyCode::Enter);
    assert_eq!(
        form_error(&app),
        "title is 10000 characters long; the limit is 200"
    );
    match &app.mode {
        Mode::Form(form) => assert_eq!(form.text(0), title),
        other => panic!("{other:?}"),
    }
    screen(&app);
}
