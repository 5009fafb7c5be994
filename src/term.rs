//! The terminal: raw mode and the alternate screen while the interface runs, restored on quit,
//! error, panic (ratatui's hook) and every terminating signal; `Ctrl-z` and an outside SIGTSTP
//! suspend, SIGCONT takes the terminal back.
//!
//! crossterm is read on a thread of its own: on a terminal that went away its reader loops on
//! end-of-file without returning (crossterm issue 793), so the loop here never waits on it. It
//! waits on a channel fed by that reader and by a signal thread, and checks that the terminal
//! is still there on every turn.

use crate::app::App;
use crate::keymap::{self, Action, Context};
use crate::ui;
use ratatui::DefaultTerminal;
use ratatui::crossterm::event::{
    self, DisableBracketedPaste, EnableBracketedPaste, Event, KeyEventKind,
};
use ratatui::crossterm::execute;
use ratatui::crossterm::terminal::{EnterAlternateScreen, enable_raw_mode};
use signal_hook::consts::signal::{
    SIGABRT, SIGALRM, SIGCONT, SIGHUP, SIGINT, SIGPROF, SIGQUIT, SIGSYS, SIGTERM, SIGTSTP, SIGUSR1,
    SIGUSR2, SIGVTALRM, SIGXCPU, SIGXFSZ,
};
use signal_hook::iterator::Signals;
use std::io::{self, IsTerminal, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

/// How often the interface looks for changes made by other processes.
const TICK: Duration = Duration::from_millis(500);

/// How often the loop makes sure the terminal is still there.
const LIVENESS: Duration = Duration::from_millis(200);

/// How long a terminating signal waits for the loop to end by itself before the terminal is
/// restored and the process ended from the signal thread.
const GRACE: Duration = Duration::from_millis(800);

/// The signals whose default would end the process (SIGPIPE stays ignored, as Rust sets it),
/// plus the two of job control.
const TERMINATING: &[i32] = &[
    SIGTERM, SIGHUP, SIGINT, SIGQUIT, SIGUSR1, SIGUSR2, SIGALRM, SIGVTALRM, SIGPROF, SIGXCPU,
    SIGXFSZ, SIGSYS, SIGABRT,
];

/// What the loop waits for.
enum Input {
    Terminal(Event),
    /// Reading the terminal failed: it is gone.
    Lost,
    Signal(i32),
}

/// Whether both ends of the interface are terminals.
pub fn is_interactive() -> bool {
    io::stdin().is_terminal() && io::stdout().is_terminal()
}

/// The terminal size, for building the `App` before the first frame.
pub fn size() -> (u16, u16) {
    ratatui::crossterm::terminal::size().unwrap_or((80, 24))
}

/// Runs the interface until the person quits, a signal asks us to stop, or the terminal goes.
pub fn run(app: &mut App) -> io::Result<()> {
    let (sender, inputs) = mpsc::channel();
    let finished = Arc::new(AtomicBool::new(false));
    let mut caught = TERMINATING.to_vec();
    caught.extend([SIGTSTP, SIGCONT]);
    let signals = Signals::new(&caught)?;
    let handle = signals.handle();
    watch_signals(signals, sender.clone(), Arc::clone(&finished));
    // ratatui's panic hook restores raw mode and the screen, then calls this one: bracketed
    // paste is ours to turn off.
    let report = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let _ = execute!(io::stdout(), DisableBracketedPaste);
        report(info);
    }));
    let mut terminal = ratatui::try_init()?;
    execute!(io::stdout(), EnableBracketedPaste)?;
    read_terminal(sender);
    let result = event_loop(&mut terminal, app, &inputs);
    restore();
    finished.store(true, Ordering::SeqCst);
    handle.close();
    result
}

/// Forwards terminal events; a failed read means the terminal is gone.
fn read_terminal(sender: Sender<Input>) {
    std::thread::spawn(move || {
        loop {
            let input = match event::read() {
                Ok(event) => Input::Terminal(event),
                Err(_) => Input::Lost,
            };
            let lost = matches!(input, Input::Lost);
            if sender.send(input).is_err() || lost {
                return;
            }
        }
    });
}

/// Forwards signals. A terminating one that the loop has not answered within `GRACE` (it may be
/// blocked writing to a stalled terminal) restores the terminal and ends the process from here.
fn watch_signals(mut signals: Signals, sender: Sender<Input>, finished: Arc<AtomicBool>) {
    std::thread::spawn(move || {
        for signal in signals.forever() {
            let _ = sender.send(Input::Signal(signal));
            if TERMINATING.contains(&signal) {
                std::thread::sleep(GRACE);
                if !finished.load(Ordering::SeqCst) {
                    restore_from_outside();
                    std::process::exit(128 + signal);
                }
            }
        }
    });
}

fn event_loop(
    terminal: &mut DefaultTerminal,
    app: &mut App,
    inputs: &Receiver<Input>,
) -> io::Result<()> {
    let size = terminal.size()?;
    app.update(Action::Resize(size.width, size.height));
    let mut last_tick = Instant::now();
    // Debug builds only: lets the end-to-end tests prove a panic restores the terminal.
    #[cfg(debug_assertions)]
    let panic_requested = std::env::var_os("TASKTUI_TEST_PANIC").is_some();
    while !app.quit {
        terminal.draw(|frame| ui::draw(frame, app))?;
        #[cfg(debug_assertions)]
        if panic_requested {
            panic!("panic requested by TASKTUI_TEST_PANIC");
        }
        let wait = TICK.saturating_sub(last_tick.elapsed()).min(LIVENESS);
        match inputs.recv_timeout(wait) {
            Ok(Input::Terminal(Event::Key(key))) if key.kind != KeyEventKind::Release => {
                // Suspending works in every mode, forms included: it is looked up on its own.
                if keymap::lookup(&[Context::Global], &key) == Some(Action::Suspend) {
                    suspend(terminal)?;
                } else {
                    app.handle_key(key);
                }
            }
            Ok(Input::Terminal(Event::Resize(width, height))) => {
                app.update(Action::Resize(width, height));
            }
            // A paste arrives whole, so a line break in it cannot press Enter.
            Ok(Input::Terminal(Event::Paste(text))) => app.paste(&text),
            Ok(Input::Terminal(_)) | Err(RecvTimeoutError::Timeout) => {}
            Ok(Input::Signal(SIGTSTP)) => suspend(terminal)?,
            Ok(Input::Signal(SIGCONT)) => take_terminal(terminal)?,
            Ok(Input::Signal(_) | Input::Lost) | Err(RecvTimeoutError::Disconnected) => break,
        }
        if !is_interactive() {
            // The terminal went away (closed window, killed tmux session): nobody is left.
            break;
        }
        if last_tick.elapsed() >= TICK {
            app.update(Action::Tick);
            last_tick = Instant::now();
        }
    }
    Ok(())
}

/// Gives the shell its terminal back and stops until `fg` (SIGCONT), then takes it again.
fn suspend(terminal: &mut DefaultTerminal) -> io::Result<()> {
    restore();
    // Our handler is installed for SIGTSTP, so raising it would only call us again: stop the
    // way its default action would, but only where a shell can resume us (the kernel drops
    // SIGTSTP for an orphaned process group for the same reason).
    if crate::process::has_job_control() {
        signal_hook::low_level::emulate_default_handler(SIGTSTP)?;
    }
    take_terminal(terminal)
}

/// Raw mode, the alternate screen and bracketed paste again, and a full redraw: after a stop
/// the shell has put the terminal back in its own modes.
fn take_terminal(terminal: &mut DefaultTerminal) -> io::Result<()> {
    enable_raw_mode()?;
    execute!(io::stdout(), EnterAlternateScreen, EnableBracketedPaste)?;
    // `Terminal::clear` would ask the terminal where its cursor is, an answer the reader thread
    // would take; a resize to the same area clears and redraws everything without asking.
    let size = terminal.size()?;
    terminal.resize(ratatui::layout::Rect::new(0, 0, size.width, size.height))
}

/// The terminal as the shell had it: what ratatui restores, and bracketed paste off.
fn restore() {
    let _ = execute!(io::stdout(), DisableBracketedPaste);
    ratatui::restore();
}

/// Restores the terminal from another thread while the loop may hold standard output: the
/// modes directly, the screen through a handle of its own, without waiting on a stalled write.
fn restore_from_outside() {
    let _ = ratatui::crossterm::terminal::disable_raw_mode();
    let writer = std::thread::spawn(|| {
        if let Ok(mut tty) = std::fs::OpenOptions::new().write(true).open("/dev/tty") {
            let _ = tty.write_all(b"\x1b[?2004l\x1b[?1049l\x1b[?25h");
            let _ = tty.flush();
        }
    });
    let started = Instant::now();
    while !writer.is_finished() && started.elapsed() < Duration::from_millis(200) {
        std::thread::sleep(Duration::from_millis(10));
    }
}
