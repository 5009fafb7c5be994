//! Key fuzzing: long random key sequences through every mode over a real database. Nothing
//! panics, the selection stays in bounds, and the panes always show what the database holds.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

use proptest::prelude::*;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use tasktui::app::{App, FIXED_ENTRIES};
use tasktui::keymap::Action;
use tasktui::layout::Areas;
use tasktui::model::{TaskFields, validate_user};
use tasktui_sqlite::{FileLocation, Store};
use tempfile::TempDir;

/// Keys that reach every mode: bindings, text, and the odd ones.
fn key() -> impl Strategy<Value = KeyEvent> {
    let plain = prop_oneof![
        Just(KeyCode::Tab),
        Just(KeyCode::BackTab),
        Just(KeyCode::Enter),
        Just(KeyCode::Esc),
        Just(KeyCode::Down),
        Just(KeyCode::Up),
        Just(KeyCode::Left),
        Just(KeyCode::Right),
        Just(KeyCode::PageDown),
        Just(KeyCode::PageUp),
        Just(KeyCode::Home),
        Just(KeyCode::End),
        Just(KeyCode::Backspace),
        Just(KeyCode::Delete),
        prop::sample::select(vec![
            'q', '?', '1', '2', 'j', 'k', 'g', 'G', 'a', 'e', 'd', 'x', ' ', 's', 'y', 'n', 'u',
            'r', 'b', 'o', '7', '-', '+', 'é', '日', '\u{202E}', 'v', 'V', 'f', 'O', 'A', 'E', 'D',
            'l', 't', 'w', 'm', 'c', '/', 'J', 'K'
        ])
        .prop_map(KeyCode::Char),
    ];
    let control = prop::sample::select(vec!['c', 'd', 'u', 's', 'n', 'p', 'a', 'e', 'k'])
        .prop_map(|c| KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL));
    prop_oneof![8 => plain.prop_map(|code| KeyEvent::new(code, KeyModifiers::NONE)), 1 => control]
}

fn setup(dir: &TempDir) -> App {
    let store = Store::open(&FileLocation::Explicit(dir.path().join("t.db")))
        .unwrap()
        .store;
    let alice = store
        .create_user(&validate_user("alice", "", "").unwrap())
        .unwrap();
    store
        .create_user(&validate_user("bob", "", "").unwrap())
        .unwrap();
    for i in 0..30 {
        let assignee = (i % 3 == 0).then_some(alice);
        store
            .create_task(&TaskFields {
                assignee,
                ..TaskFields::titled(&format!("task {i}"))
            })
            .unwrap();
    }
    App::new(store, (80, 24)).unwrap()
}

/// What the panes show is what the database holds.
fn check(app: &App) {
    let store = app.store();
    let users = store.list_users().unwrap();
    assert_eq!(app.users, users, "Users pane");
    assert!(
        app.user_cursor < users.len() + FIXED_ENTRIES,
        "user cursor out of bounds"
    );
    let list = &app.tasks;
    assert_eq!(
        list.total,
        store.count_tasks(&list.filter).unwrap(),
        "task count"
    );
    if list.total > 0 {
        assert!(
            list.cursor < list.total,
            "task cursor {} of {}",
            list.cursor,
            list.total
        );
        assert!(list.top <= list.cursor, "cursor above the screen");
    }
    let rows = u64::from(Areas::for_size(app.size.0, app.size.1).task_rows()).max(1);
    assert!(
        list.cursor < list.top + rows || list.total == 0,
        "cursor below the screen"
    );
    let shown = store.list_tasks(&list.filter, list.top, rows).unwrap();
    assert_eq!(list.rows, shown, "Tasks pane rows");
}

proptest! {
    // CI runs 48 cases of 300 keys each (14,400 keys); PROPTEST_CASES raises it locally.
    #![proptest_config(ProptestConfig { cases: 48, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn random_keys_never_panic_and_the_panes_match_the_database(
        keys in prop::collection::vec(key(), 1..300),
        sizes in prop::collection::vec((1u16..140, 1u16..50), 1..4),
    ) {
        let dir = TempDir::new().unwrap();
        let mut app = setup(&dir);
        let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
        for (i, key) in keys.iter().enumerate() {
            if i % 97 == 0 {
                let (w, h) = sizes[(i / 97) % sizes.len()];
                let _ = app.update(Action::Resize(w, h));
                terminal.backend_mut().resize(w, h);
            }
            app.press(*key);
            if i % 13 == 0 {
                // The mouse too: a click or a turn of the wheel somewhere on the screen.
                let (x, y) = ((i * 7 % 140) as u16, (i * 3 % 50) as u16);
                let _ = app.update(if i % 2 == 0 { Action::Click(x, y) } else { Action::Wheel(x, y, i % 3 == 0) });
            }
            if app.quit {
                app.quit = false;
            }
            terminal.draw(|frame| tasktui::ui::draw(frame, &app)).unwrap();
            check(&app);
        }
    }
}
