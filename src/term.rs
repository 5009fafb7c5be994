//! The terminal: raw mode and the alternate screen while the interface runs, restored on quit,
//! error, panic (ratatui's hook), SIGTERM, SIGHUP and SIGINT; `Ctrl-z` suspends.

use crate::app::App;
use crate::keymap::Action;
use crate::ui;
use ratatui::DefaultTerminal;
use ratatui::crossterm::event::{
    self, DisableBracketedPaste, EnableBracketedPaste, Event, KeyCode, KeyEventKind, KeyModifiers,
};
use ratatui::crossterm::execute;
use ratatui::crossterm::terminal::{EnterAlternateScreen, enable_raw_mode};
use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM, SIGTSTP};
use std::io::{self, IsTerminal};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// How often the interface looks for changes made by other processes.
const TICK: Duration = Duration::from_millis(500);

/// Whether both ends of the interface are terminals.
pub fn is_interactive() -> bool {
    io::stdin().is_terminal() && io::stdout().is_terminal()
}

/// The terminal size, for building the `App` before the first frame.
pub fn size() -> (u16, u16) {
    ratatui::crossterm::terminal::size().unwrap_or((80, 24))
}

/// Runs the interface until the person quits or a signal asks us to stop.
pub fn run(app: &mut App) -> io::Result<()> {
    let stop = Arc::new(AtomicBool::new(false));
    for signal in [SIGTERM, SIGHUP, SIGINT] {
        signal_hook::flag::register(signal, Arc::clone(&stop))?;
    }
    // ratatui's panic hook restores raw mode and the screen, then calls this one: bracketed
    // paste is ours to turn off.
    let report = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let _ = execute!(io::stdout(), DisableBracketedPaste);
        report(info);
    }));
    let mut terminal = ratatui::try_init()?;
    execute!(io::stdout(), EnableBracketedPaste)?;
    let result = event_loop(&mut terminal, app, &stop);
    restore();
    result
}

fn event_loop(terminal: &mut DefaultTerminal, app: &mut App, stop: &AtomicBool) -> io::Result<()> {
    let size = terminal.size()?;
    app.update(Action::Resize(size.width, size.height));
    let mut last_tick = Instant::now();
    // Debug builds only: lets the end-to-end tests prove a panic restores the terminal.
    #[cfg(debug_assertions)]
    let panic_requested = std::env::var_os("TASKTUI_TEST_PANIC").is_some();
    while !app.quit && !stop.load(Ordering::Relaxed) {
        terminal.draw(|frame| ui::draw(frame, app))?;
        #[cfg(debug_assertions)]
        if panic_requested {
            panic!("panic requested by TASKTUI_TEST_PANIC");
        }
        let wait = TICK.saturating_sub(last_tick.elapsed());
        if event::poll(wait)? {
            match event::read()? {
                Event::Key(key) if key.kind != KeyEventKind::Release => {
                    if key.code == KeyCode::Char('z')
                        && key.modifiers.contains(KeyModifiers::CONTROL)
                    {
                        suspend(terminal)?;
                    } else {
                        app.handle_key(key);
                    }
                }
                Event::Resize(width, height) => app.update(Action::Resize(width, height)),
                // A paste arrives whole, so a line break in it cannot press Enter.
                Event::Paste(text) => app.paste(&text),
                _ => {}
            }
        }
        if last_tick.elapsed() >= TICK {
            app.update(Action::Tick);
            last_tick = Instant::now();
        }
    }
    Ok(())
}

/// Gives the shell its terminal back, stops until `fg`, then takes it again and redraws all.
fn suspend(terminal: &mut DefaultTerminal) -> io::Result<()> {
    restore();
    signal_hook::low_level::raise(SIGTSTP)?;
    enable_raw_mode()?;
    execute!(io::stdout(), EnterAlternateScreen, EnableBracketedPaste)?;
    terminal.clear()
}

/// The terminal as the shell had it: what ratatui restores, and bracketed paste off.
fn restore() {
    let _ = execute!(io::stdout(), DisableBracketedPaste);
    ratatui::restore();
}
