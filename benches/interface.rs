//! The performance budget (DESIGN §7) as benchmarks: start-up to the first frame, a navigation
//! keystroke to its frame, and a filter keystroke to its frame, at 1k, 10k and 100k tasks (1M
//! with TASKTUI_BENCH_MILLION=1). Databases are made once with the demo generator and kept in
//! target/bench-data.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)] // a benchmark fails loudly

mod data;

use criterion::{Criterion, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::time::{Duration, Instant};
use tasktui::app::App;
use tasktui_sqlite::{FileLocation, Store};

const SIZE: (u16, u16) = (200, 50);

fn frame(terminal: &mut Terminal<TestBackend>, app: &App) {
    terminal.draw(|f| tasktui::ui::draw(f, app)).unwrap();
}

fn key(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)
}

fn budget(c: &mut Criterion) {
    for tasks in data::sizes() {
        let path = data::database(tasks);
        let location = FileLocation::Explicit(path.clone());

        c.bench_function(&format!("startup to first frame/{tasks}"), |b| {
            b.iter(|| {
                let store = Store::open(&location).unwrap().store;
                let app = App::new(store, SIZE).unwrap();
                let mut terminal = Terminal::new(TestBackend::new(SIZE.0, SIZE.1)).unwrap();
                frame(&mut terminal, &app);
            });
        });

        let store = Store::open(&location).unwrap().store;
        let mut app = App::new(store, SIZE).unwrap();
        let mut terminal = Terminal::new(TestBackend::new(SIZE.0, SIZE.1)).unwrap();
        // Down a page and back keeps every step a real move, some across a page boundary.
        let mut down = true;
        let mut steps = 0;
        c.bench_function(&format!("navigation keystroke/{tasks}"), |b| {
            b.iter(|| {
                app.press(key(if down { 'j' } else { 'k' }));
                frame(&mut terminal, &app);
                steps += 1;
                if steps % 60 == 0 {
                    down = !down;
                }
            });
        });
        app.press(key('G'));
        c.bench_function(&format!("jump to the last task/{tasks}"), |b| {
            b.iter(|| {
                app.press(key(if down { 'G' } else { 'g' }));
                down = !down;
                frame(&mut terminal, &app);
            });
        });

        // Selecting another user in the Users pane: the Tasks pane is filtered again.
        app.press(key('1'));
        app.press(key('j'));
        app.press(key('j'));
        let mut forward = true;
        c.bench_function(&format!("user selection keystroke/{tasks}"), |b| {
            b.iter(|| {
                app.press(key(if forward { 'j' } else { 'k' }));
                forward = !forward;
                frame(&mut terminal, &app);
            });
        });
        app.press(key('g'));
        app.press(key('2'));
        app.press(key('g'));
        app.press(key('/'));
        for c in "cer".chars() {
            app.press(key(c));
        }
        let mut typed = false;
        c.bench_function(&format!("filter keystroke/{tasks}"), |b| {
            b.iter(|| {
                // "cer" ⇄ "cert": every keystroke changes the filter.
                if typed {
                    app.press(KeyEvent::new(KeyCode::Backspace, KeyModifiers::NONE));
                } else {
                    app.press(key('t'));
                }
                typed = !typed;
                frame(&mut terminal, &app);
            });
        });

        // Completing the selected task, then undoing it: two changes, each to its frame.
        app.press(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE));
        app.press(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE));
        c.bench_function(&format!("done then undo/{tasks}"), |b| {
            b.iter(|| {
                app.press(key('x'));
                frame(&mut terminal, &app);
                app.press(key('u'));
                frame(&mut terminal, &app);
            });
        });

        // An undo alone, to its frame: the change it undoes is made outside the timing.
        c.bench_function(&format!("undo/{tasks}"), |b| {
            b.iter_custom(|iterations| {
                let mut spent = Duration::ZERO;
                for _ in 0..iterations {
                    app.press(key('x'));
                    let _ = app.update(tasktui::keymap::Action::Tick);
                    let start = Instant::now();
                    app.press(key('u'));
                    frame(&mut terminal, &app);
                    spent += start.elapsed();
                }
                spent
            });
        });

        // A quick filter on and off (`f o`, `f a`), each to its frame.
        let mut open = true;
        c.bench_function(&format!("quick filter toggle/{tasks}"), |b| {
            b.iter(|| {
                app.press(key('f'));
                app.press(key(if open { 'o' } else { 'a' }));
                open = !open;
                frame(&mut terminal, &app);
            });
        });

        // `o`: the next of the six orders, to its frame (each order walked from its index).
        c.bench_function(&format!("sort change/{tasks}"), |b| {
            b.iter(|| {
                app.press(key('o'));
                frame(&mut terminal, &app);
            });
        });
        while app.sort != tasktui_sqlite::Sort::default() {
            app.press(key('o'));
        }

        // The tag menu with the counts of every tag in use, to its frame, then closed.
        c.bench_function(&format!("tag menu/{tasks}"), |b| {
            b.iter(|| {
                app.press(key('f'));
                app.press(key('#'));
                frame(&mut terminal, &app);
                app.press(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE));
            });
        });

        // Filtering by a tag (the second most used, `f #`, ↓, Enter) and dropping it (`f #`),
        // each to its frame.
        let mut on = true;
        c.bench_function(&format!("tag filter toggle/{tasks}"), |b| {
            b.iter(|| {
                app.press(key('f'));
                app.press(key('#'));
                if on {
                    app.press(KeyEvent::new(KeyCode::Down, KeyModifiers::NONE));
                    app.press(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE));
                }
                on = !on;
                frame(&mut terminal, &app);
            });
        });
        if app.quick.tag.is_some() {
            app.press(key('f'));
            app.press(key('#'));
        }

        // Marking the 1,000 tasks of one user (`V` on their list) and completing them with `x`
        // as one change, to its frame; undone outside the timing. The user `bench` gets every
        // hundredth task once, in this run's copy of the database.
        let store = Store::open(&location).unwrap().store;
        let bench = store
            .create_user(&tasktui::model::validate_user("bench", "", "").unwrap())
            .ok();
        if bench.is_some() {
            store
                .connection()
                .execute(
                    "UPDATE tasks SET assignee_id = (SELECT id FROM users WHERE username = 'bench')
                     WHERE id IN (SELECT id FROM tasks ORDER BY id LIMIT 1000 OFFSET 0)",
                    [],
                )
                .unwrap();
        }
        let mut app = App::new(store, SIZE).unwrap();
        app.press(key('1'));
        while app
            .selected_user()
            .is_none_or(|u| u.user.username != "bench")
        {
            app.press(key('j'));
        }
        app.press(key('2'));
        assert_eq!(app.tasks.total, 1000);
        c.bench_function(&format!("mark 1000 and complete/{tasks}"), |b| {
            b.iter_custom(|iterations| {
                let mut spent = Duration::ZERO;
                for _ in 0..iterations {
                    let start = Instant::now();
                    app.press(key('V'));
                    app.press(key('x'));
                    frame(&mut terminal, &app);
                    spent += start.elapsed();
                    assert!(app.marks.is_empty(), "{:?}", app.message);
                    app.press(key('u'));
                    // The idle tick in between, as in the interface: the WAL goes back into
                    // the file there, not inside a change.
                    let _ = app.update(tasktui::keymap::Action::Tick);
                }
                spent
            });
        });
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20).measurement_time(std::time::Duration::from_secs(2)).warm_up_time(std::time::Duration::from_millis(500));
    targets = budget
}
criterion_main!(benches);
