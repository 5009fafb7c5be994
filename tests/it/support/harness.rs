//! Driving the interface in-process: an `App` over a real database file at a fixed date, keys
//! in, state and rows out.
#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)] // shared by several test files

use chrono::DateTime;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use rusqlite::Connection;
use tasktui::app::{App, Mode};
use tasktui::clock::Clock;
use tasktui::model::{Field, TaskFields, validate_user};
use tasktui_sqlite::{FileLocation, Store};
use tempfile::TempDir;

pub struct Harness {
    pub dir: TempDir,
    pub app: App,
}

impl Harness {
    pub fn new() -> Harness {
        Harness::with(|_| {})
    }

    /// A database prepared by `setup`, then the interface on it at 100×30.
    pub fn with(setup: impl FnOnce(&Store)) -> Harness {
        Harness::as_person(None, setup)
    }

    /// The same, with the person's changes made under `author` (as `TASKTUI_USER` would).
    pub fn as_person(author: Option<&str>, setup: impl FnOnce(&Store)) -> Harness {
        let dir = TempDir::new().unwrap();
        let mut store = open(&dir);
        store.set_author(author.map(str::to_string));
        store.set_clock(Clock::fixed(
            DateTime::parse_from_rfc3339("2026-11-23T09:00:00+00:00").unwrap(),
        ));
        setup(&store);
        let app = App::new(store, (100, 30)).unwrap();
        Harness { dir, app }
    }

    /// The interface again on the same file, as after a restart.
    pub fn restart(&mut self) -> &mut Self {
        let mut store = open(&self.dir);
        store.set_author(self.app.store().author().map(str::to_string));
        store.set_clock(self.app.store().clock());
        self.app = App::new(store, (100, 30)).unwrap();
        self
    }

    pub fn key(&mut self, code: KeyCode) -> &mut Self {
        self.app.press(KeyEvent::new(code, KeyModifiers::NONE));
        self
    }

    pub fn ctrl(&mut self, c: char) -> &mut Self {
        self.app
            .press(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL));
        self
    }

    pub fn keys(&mut self, text: &str) -> &mut Self {
        for c in text.chars() {
            self.key(KeyCode::Char(c));
        }
        self
    }

    /// Another connection to the same file, as `sqlite3` or a second tasktui would see it.
    pub fn db(&self) -> Connection {
        Connection::open(self.dir.path().join("t.db")).unwrap()
    }

    pub fn count(&self, sql: &str) -> i64 {
        self.db().query_row(sql, [], |r| r.get(0)).unwrap()
    }

    pub fn text(&self, sql: &str) -> String {
        self.db().query_row(sql, [], |r| r.get(0)).unwrap()
    }

    /// The first problem the form shows (the focused field's after a save).
    pub fn form_error(&self) -> Option<(Option<Field>, String)> {
        self.form_errors().into_iter().next()
    }

    /// Every problem the form shows, each with the field it is beside.
    pub fn form_errors(&self) -> Vec<(Option<Field>, String)> {
        match &self.app.mode {
            Mode::Form(form) => form
                .errors
                .iter()
                .map(|(at, m)| (at.and_then(|i| form.fields[i].field), m.clone()))
                .collect(),
            _ => Vec::new(),
        }
    }

    pub fn form_text(&self, index: usize) -> String {
        match &self.app.mode {
            Mode::Form(form) => form.text(index),
            other => panic!("no form open: {other:?}"),
        }
    }

    pub fn titles(&self) -> Vec<String> {
        self.app
            .tasks
            .rows
            .iter()
            .map(|t| t.title.clone())
            .collect()
    }

    pub fn message(&self) -> String {
        self.app
            .message
            .as_ref()
            .map(|m| m.text.clone())
            .unwrap_or_default()
    }
}

pub fn open(dir: &TempDir) -> Store {
    Store::open(&FileLocation::Explicit(dir.path().join("t.db")))
        .unwrap()
        .store
}

pub fn user(store: &Store, name: &str) -> tasktui::model::UserId {
    store
        .create_user(&validate_user(name, "", "").unwrap())
        .unwrap()
}

pub fn task(store: &Store, title: &str, assignee: Option<tasktui::model::UserId>) {
    store
        .create_task(&TaskFields {
            assignee,
            ..TaskFields::titled(title)
        })
        .unwrap();
}

/// The screen as the interface draws it now, one line per row.
pub fn screen(h: &Harness) -> String {
    use ratatui::{Terminal, backend::TestBackend};
    let (width, height) = h.app.size;
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal
        .draw(|frame| tasktui::ui::draw(frame, &h.app))
        .unwrap();
    let buffer = terminal.backend().buffer().clone();
    (0..height)
        .map(|y| {
            (0..width)
                .map(|x| buffer[(x, y)].symbol().to_string())
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("\n")
}
