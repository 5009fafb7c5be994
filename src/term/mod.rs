//! The terminal: raw mode and the alternate screen while the interface runs, restored on quit,
//! error, panic (ratatui's hook) and every terminating signal; `Ctrl-z` and an outside SIGTSTP
//! suspend, SIGCONT takes the terminal back.
//!
//! crossterm is read on a thread of its own: on a terminal that went away its reader loops on
//! end-of-file without returning (crossterm issue 793), so the loop here never waits on it. It
//! waits on a channel fed by that reader and by a signal thread, and checks that the terminal
//! is still there on every turn.

mod signals;
mod waiting;

use crate::app::{App, Editing, Effect};
use crate::keymap::{Action, Context};
use crate::ui;
use ratatui::DefaultTerminal;
use ratatui::crossterm::event::{
    self, DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
    Event, KeyEventKind, MouseButton, MouseEventKind,
};
use ratatui::crossterm::execute;
use ratatui::crossterm::terminal::{EnterAlternateScreen, enable_raw_mode};
use signal_hook::consts::signal::{SIGCONT, SIGTSTP};
use std::io::{self, IsTerminal};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};
use waiting::{Doing, Inputs};

/// How often the interface looks for changes made by other processes.
const TICK: Duration = Duration::from_millis(500);

/// How often the loop makes sure the terminal is still there.
const LIVENESS: Duration = Duration::from_millis(200);

/// What the loop waits for.
#[derive(Debug)]
enum Input {
    Terminal(Event),
    /// Reading the terminal failed: it is gone.
    Lost,
    Signal(i32),
    /// The work a watcher waited beside is done (`waiting`): it stops at once. Nothing else
    /// sees it.
    Done,
}

/// Whether both ends of the interface are terminals.
pub fn is_interactive() -> bool {
    io::stdin().is_terminal() && io::stdout().is_terminal()
}

/// The terminal size, for building the `App` before the first frame.
pub fn size() -> (u16, u16) {
    ratatui::crossterm::terminal::size().unwrap_or((80, 24))
}

/// Runs the interface until the person quits, a signal asks us to stop (that signal is
/// returned), or the terminal goes.
/// `give_up` is the flag the store was told to watch (`Store::give_up_when`): set while a search
/// runs and a key arrives, so the search is left for the newer one.
pub fn run(app: &mut App, give_up: Arc<AtomicBool>) -> io::Result<Option<i32>> {
    let (sender, inputs) = mpsc::channel();
    let finished = Arc::new(AtomicBool::new(false));
    let reader = Arc::new(Reader::new(give_up));
    let handle = signals::watch(&sender, &finished, &reader)?;
    // ratatui's panic hook restores raw mode and the screen, then calls this one: bracketed
    // paste is ours to turn off.
    let report = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let _ = execute!(io::stdout(), DisableBracketedPaste, DisableMouseCapture);
        report(info);
    }));
    let mut terminal = ratatui::try_init()?;
    execute!(io::stdout(), EnableBracketedPaste)?;
    if app.mouse {
        execute!(io::stdout(), EnableMouseCapture)?;
    }
    let mut inputs = Inputs::new(inputs, sender.clone());
    read_terminal(sender, Arc::clone(&reader));
    let result = event_loop(&mut terminal, app, &mut inputs, &reader);
    restore();
    finished.store(true, Ordering::SeqCst);
    handle.close();
    result
}

/// Lets the loop stop the reader while another program (the editor) has the terminal, and
/// lets an arriving input stop a search it makes stale.
#[derive(Debug)]
struct Reader {
    /// The loop asks the reader to leave the terminal alone…
    pause: AtomicBool,
    /// …and the reader says it does.
    idle: AtomicBool,
    /// A search is running: an input arriving now sets `give_up`. Held while setting it, so
    /// that once the search is over no later input can stop a write.
    searching: Mutex<bool>,
    give_up: Arc<AtomicBool>,
}

impl Reader {
    fn new(give_up: Arc<AtomicBool>) -> Reader {
        Reader {
            pause: AtomicBool::new(false),
            idle: AtomicBool::new(false),
            searching: Mutex::new(false),
            give_up,
        }
    }

    /// An input was sent to the loop: a search running now is stale.
    fn arrived(&self) {
        let searching = self
            .searching
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if *searching {
            self.give_up.store(true, Ordering::SeqCst);
        }
    }

    fn set_searching(&self, on: bool) {
        let mut searching = self
            .searching
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        *searching = on;
        if !on {
            self.give_up.store(false, Ordering::SeqCst);
        }
    }

    /// Runs the search typed so far, unless an input already waits: that input is returned
    /// instead. An input arriving meanwhile makes the search give up; it stays waiting and
    /// runs again once the loop has handled that input. On a server the search is watched
    /// like any read; the flag says the bottom line was written over.
    fn search_unless_input(&self, app: &mut App, inputs: &mut Inputs) -> (Option<Input>, bool) {
        self.set_searching(true);
        let waiting = inputs.try_next();
        let mut wrote = false;
        if waiting.is_none() {
            (_, wrote) = inputs.watch(app, Doing::Searching, App::run_waiting_search);
        }
        self.set_searching(false);
        (waiting, wrote)
    }

    /// Waits (briefly: the reader looks every `POLL`) until the reader stopped reading.
    fn hold(&self) {
        self.pause.store(true, Ordering::SeqCst);
        let started = Instant::now();
        while !self.idle.load(Ordering::SeqCst) && started.elapsed() < Duration::from_secs(1) {
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    fn release(&self) {
        self.pause.store(false, Ordering::SeqCst);
    }
}

/// How long the reader waits for input before looking whether it should pause.
const POLL: Duration = Duration::from_millis(50);

/// Forwards terminal events; a failed read means the terminal is gone.
fn read_terminal(sender: Sender<Input>, reader: Arc<Reader>) {
    std::thread::spawn(move || {
        loop {
            if reader.pause.load(Ordering::SeqCst) {
                reader.idle.store(true, Ordering::SeqCst);
                std::thread::sleep(Duration::from_millis(5));
                continue;
            }
            reader.idle.store(false, Ordering::SeqCst);
            let input = match event::poll(POLL) {
                Ok(false) => continue,
                Ok(true) => match event::read() {
                    Ok(event) => Input::Terminal(event),
                    Err(_) => Input::Lost,
                },
                Err(_) => Input::Lost,
            };
            let lost = matches!(input, Input::Lost);
            if sender.send(input).is_err() || lost {
                return;
            }
            reader.arrived();
        }
    });
}

fn event_loop(
    terminal: &mut DefaultTerminal,
    app: &mut App,
    inputs: &mut Inputs,
    reader: &Reader,
) -> io::Result<Option<i32>> {
    let size = terminal.size()?;
    let mut effects = app.update(Action::Resize(size.width, size.height));
    let mut last_tick = Instant::now();
    // The bottom line was written over while a server kept the work waiting.
    let mut written_over = false;
    // Debug builds only: lets the end-to-end tests prove a panic restores the terminal.
    #[cfg(debug_assertions)]
    let panic_requested = std::env::var_os("TASKTUI_TEST_PANIC").is_some();
    loop {
        // What the last update asked for, in order; an editor's outcome may ask for more.
        while !effects.is_empty() {
            let mut next = Vec::new();
            for effect in effects {
                match effect {
                    Effect::Write(write) => {
                        let ((), wrote) = inputs.watch(app, Doing::Saving, |app| {
                            app.perform(write);
                        });
                        written_over |= wrote;
                    }
                    Effect::Suspend => suspend(terminal, app.mouse)?,
                    Effect::Edit(editing) => {
                        let outcome = run_editor(terminal, reader, &editing, app.mouse)?;
                        let (asked, wrote) =
                            inputs.watch(app, Doing::Reading, |app| app.edited(editing, outcome));
                        next.extend(asked);
                        written_over |= wrote;
                    }
                    Effect::Quit => return Ok(None),
                }
            }
            effects = next;
        }
        if std::mem::take(&mut written_over) {
            draw_whole(terminal)?;
        }
        terminal.draw(|frame| ui::draw(frame, app))?;
        #[cfg(debug_assertions)]
        if panic_requested {
            panic!("panic requested by TASKTUI_TEST_PANIC");
        }
        // The frame shows a typed search's letter; now its matches, unless a key came first.
        let mut queued = None;
        if app.search_waiting {
            let (waiting, wrote) = reader.search_unless_input(app, inputs);
            written_over |= wrote;
            match waiting {
                Some(input) => queued = Some(input),
                None => continue,
            }
        }
        let wait = TICK.saturating_sub(last_tick.elapsed()).min(LIVENESS);
        let received = match queued {
            Some(input) => Ok(input),
            None => inputs.next(wait),
        };
        match received {
            Ok(Input::Terminal(event)) => {
                let (asked, wrote) = inputs.watch(app, Doing::Reading, |app| on_event(app, event));
                effects = asked;
                written_over |= wrote;
            }
            Ok(Input::Done) | Err(RecvTimeoutError::Timeout) => {}
            Ok(Input::Signal(SIGTSTP)) => suspend(terminal, app.mouse)?,
            Ok(Input::Signal(SIGCONT)) => take_terminal(terminal, app.mouse)?,
            Ok(Input::Signal(signal)) => return Ok(Some(signal)),
            Ok(Input::Lost) | Err(RecvTimeoutError::Disconnected) => break,
        }
        if !is_interactive() {
            // The terminal went away (closed window, killed tmux session): nobody is left.
            break;
        }
        if last_tick.elapsed() >= TICK {
            let (asked, wrote) = inputs.watch(app, Doing::Reading, |app| app.update(Action::Tick));
            effects.extend(asked);
            written_over |= wrote;
            last_tick = Instant::now();
        }
    }
    Ok(None)
}

/// What a key, a resize, a click or a paste asks of the app.
fn on_event(app: &mut App, event: Event) -> Vec<Effect> {
    match event {
        Event::Key(key) if key.kind != KeyEventKind::Release => {
            // Suspending works in every mode, forms included: it is looked up on its own.
            if app.keys.lookup(&[Context::Global], &key) == Some(Action::Suspend) {
                app.update(Action::Suspend)
            } else {
                app.handle_key(key)
            }
        }
        Event::Resize(width, height) => app.update(Action::Resize(width, height)),
        Event::Mouse(mouse) => {
            let (column, row) = (mouse.column, mouse.row);
            match mouse.kind {
                MouseEventKind::Down(MouseButton::Left) => app.update(Action::Click(column, row)),
                MouseEventKind::ScrollDown => app.update(Action::Wheel(column, row, true)),
                MouseEventKind::ScrollUp => app.update(Action::Wheel(column, row, false)),
                _ => Vec::new(),
            }
        }
        // A paste arrives whole, so a line break in it cannot press Enter.
        Event::Paste(text) => {
            app.paste(&text);
            Vec::new()
        }
        _ => Vec::new(),
    }
}

/// Gives the terminal to the person's editor on a copy of the text, then takes it back and
/// reads what the editor left. `Err` says why there is nothing to save.
fn run_editor(
    terminal: &mut DefaultTerminal,
    reader: &Reader,
    editing: &Editing,
    mouse: bool,
) -> io::Result<Result<String, String>> {
    let editor = crate::editor::command();
    let file = match crate::editor::scratch_file(editing) {
        Ok(file) => file,
        Err(e) => return Ok(Err(format!("could not write a file for the editor: {e}"))),
    };
    reader.hold();
    restore();
    let outcome = crate::editor::run(&editor, file.path());
    take_terminal(terminal, mouse)?;
    reader.release();
    Ok(outcome)
}

/// Gives the shell its terminal back and stops until `fg` (SIGCONT), then takes it again.
fn suspend(terminal: &mut DefaultTerminal, mouse: bool) -> io::Result<()> {
    restore();
    // Our handler is installed for SIGTSTP, so raising it would only call us again: stop the
    // way its default action would, but only where a shell can resume us (the kernel drops
    // SIGTSTP for an orphaned process group for the same reason).
    if crate::process::has_job_control() {
        signal_hook::low_level::emulate_default_handler(SIGTSTP)?;
    }
    take_terminal(terminal, mouse)
}

/// Raw mode, the alternate screen, bracketed paste and the mouse again, and a full redraw:
/// after a stop the shell has put the terminal back in its own modes.
fn take_terminal(terminal: &mut DefaultTerminal, mouse: bool) -> io::Result<()> {
    enable_raw_mode()?;
    execute!(io::stdout(), EnterAlternateScreen, EnableBracketedPaste)?;
    if mouse {
        execute!(io::stdout(), EnableMouseCapture)?;
    }
    draw_whole(terminal)
}

/// Makes the next frame draw every cell: the screen was written to behind ratatui's back.
/// `Terminal::clear` would ask the terminal where its cursor is, an answer the reader thread
/// would take; a resize to the same area clears and redraws everything without asking.
fn draw_whole(terminal: &mut DefaultTerminal) -> io::Result<()> {
    let size = terminal.size()?;
    terminal.resize(ratatui::layout::Rect::new(0, 0, size.width, size.height))
}

/// The terminal as the shell had it: what ratatui restores, and bracketed paste and the
/// mouse off.
fn restore() {
    let _ = execute!(io::stdout(), DisableBracketedPaste, DisableMouseCapture);
    ratatui::restore();
}
