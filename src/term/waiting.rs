//! A server may hold a key's work for seconds (a row another session locked, a table being
//! altered, a slow network). Meanwhile the screen says what tasktui waits for and counts the
//! seconds, Esc (or Ctrl-c) stops waiting, and the keys typed are kept, in order, for when the
//! work is done, as a terminal keeps what is typed ahead.
//!
//! The work runs on the loop's thread, which owns the App; a watcher on a scoped thread of its
//! own reads the inputs and writes the bottom line directly. The loop draws the whole screen
//! again afterwards, since ratatui does not know that line changed.

use super::Input;
use crate::app::App;
use crate::seam::Interrupt;
use ratatui::crossterm::cursor::MoveTo;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use ratatui::crossterm::queue;
use ratatui::crossterm::style::{Attribute, Print, SetAttribute};
use std::collections::VecDeque;
use std::io::{self, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

/// How long work may take before the screen says it waits: a server's usual answer is far
/// quicker, and a line that flashes for every key would only distract.
const SAY_AFTER: Duration = Duration::from_millis(300);

/// How often the watcher redraws the seconds while nothing arrives (the end of the work wakes
/// it at once: `Input::Done`).
const LOOK: Duration = Duration::from_millis(50);

/// The loop's inputs, with those that arrived while work ran kept for it in order.
#[derive(Debug)]
pub(super) struct Inputs {
    receiver: Receiver<Input>,
    kept: VecDeque<Input>,
    /// Tells a watcher the work is done.
    wake: Sender<Input>,
}

/// What a watched piece of work is, in the words of the bottom line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Doing {
    Saving,
    Reading,
    /// A search, which any input makes stale: its statement is cancelled when one arrives (the
    /// store then reports it given up, and it runs again after that input).
    Searching,
}

impl Inputs {
    pub fn new(receiver: Receiver<Input>, wake: Sender<Input>) -> Inputs {
        Inputs {
            receiver,
            kept: VecDeque::new(),
            wake,
        }
    }

    /// The next input, kept ones first, if one is there now.
    pub fn try_next(&mut self) -> Option<Input> {
        if let Some(input) = self.kept.pop_front() {
            return Some(input);
        }
        // A `Done` that came after its watcher had stopped is nobody's.
        std::iter::from_fn(|| self.receiver.try_recv().ok()).find(|i| !matches!(i, Input::Done))
    }

    /// The next input, kept ones first, waiting at most `wait`.
    pub fn next(&mut self, wait: Duration) -> Result<Input, RecvTimeoutError> {
        if let Some(input) = self.kept.pop_front() {
            return Ok(input);
        }
        let until = Instant::now() + wait;
        loop {
            let left = until.saturating_duration_since(Instant::now());
            match self.receiver.recv_timeout(left)? {
                Input::Done => {}
                input => return Ok(input),
            }
        }
    }

    /// Runs `work` on the app. On a server the inputs are watched meanwhile (see the module);
    /// the flag says whether the bottom line was written over, so the screen needs drawing
    /// whole.
    pub fn watch<T>(
        &mut self,
        app: &mut App,
        doing: Doing,
        work: impl FnOnce(&mut App) -> T,
    ) -> (T, bool) {
        if !app.on_a_server() {
            return (work(app), false);
        }
        let stop = app.interrupter();
        let done = AtomicBool::new(false);
        let wake = self.wake.clone();
        std::thread::scope(|scope| {
            let watcher = scope.spawn(|| self.watch_until(&done, doing, stop));
            let result = work(app);
            done.store(true, Ordering::SeqCst);
            let _ = wake.send(Input::Done);
            // A watcher that panicked may have written half a line: draw everything again.
            let wrote = watcher.join().unwrap_or(true);
            (result, wrote)
        })
    }

    fn watch_until(
        &mut self,
        done: &AtomicBool,
        doing: Doing,
        mut stop: Option<Interrupt>,
    ) -> bool {
        let started = Instant::now();
        let mut size = ratatui::crossterm::terminal::size().unwrap_or((80, 24));
        let mut shown: Option<String> = None;
        let mut stopping = false;
        let mut cancelled = None;
        while !done.load(Ordering::SeqCst) {
            match self.receiver.recv_timeout(LOOK) {
                Ok(input) => {
                    let waiting = shown.is_some();
                    let stale = doing == Doing::Searching
                        && matches!(&input, Input::Terminal(_) | Input::Signal(_));
                    if stale && let Some(stop) = stop.take() {
                        // The search gives way to the newer input, which stays for the loop.
                        let (told, heard) = std::sync::mpsc::channel();
                        std::thread::spawn(move || {
                            stop();
                            let _ = told.send(());
                        });
                        cancelled = Some(heard);
                        stopping = true;
                        self.kept.push_back(input);
                        continue;
                    }
                    let ends = match &input {
                        Input::Terminal(Event::Key(key)) => waiting && stops(key),
                        Input::Terminal(Event::Resize(width, height)) => {
                            size = (*width, *height);
                            shown = shown.map(|_| String::new());
                            false
                        }
                        Input::Signal(signal) => super::signals::ends_the_process(*signal),
                        Input::Lost => true,
                        Input::Terminal(_) => false,
                        Input::Done => continue,
                    };
                    let mut used = false;
                    if ends && let Some(stop) = stop.take() {
                        // On a thread of its own: a silent server must not hold this one.
                        std::thread::spawn(stop);
                        stopping = true;
                        // The key that stopped the wait has done its work; a signal or a lost
                        // terminal is still the loop's to act on.
                        used = matches!(&input, Input::Terminal(_));
                    }
                    if !used {
                        self.kept.push_back(input);
                    }
                }
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => break,
            }
            let waited = started.elapsed();
            if waited < SAY_AFTER {
                continue;
            }
            let line = bottom_line(doing, waited, stopping, self.typed_ahead(), stop.is_some());
            if shown.as_deref() != Some(line.as_str()) {
                show(&line, size);
                shown = Some(line);
            }
        }
        // A search's cancel is sent before the next statement starts, so that it cannot stop
        // that one instead (bounded: a silent server must not hold the interface).
        if let Some(heard) = cancelled {
            let _ = heard.recv_timeout(Duration::from_secs(1));
        }
        shown.is_some()
    }

    /// How many keys wait for the work to be done.
    fn typed_ahead(&self) -> usize {
        self.kept
            .iter()
            .filter(|input| matches!(input, Input::Terminal(Event::Key(k)) if k.kind != KeyEventKind::Release))
            .count()
    }
}

/// Esc or Ctrl-c: the keys that stop a wait.
fn stops(key: &KeyEvent) -> bool {
    key.kind != KeyEventKind::Release
        && (key.code == KeyCode::Esc
            || (key.code == KeyCode::Char('c') && key.modifiers.contains(KeyModifiers::CONTROL)))
}

/// What the bottom line says while the work waits.
fn bottom_line(
    doing: Doing,
    waited: Duration,
    stopping: bool,
    typed: usize,
    can_stop: bool,
) -> String {
    let doing = match doing {
        Doing::Saving => "saving",
        Doing::Reading => "reading",
        Doing::Searching => "searching",
    };
    let mut line = if stopping {
        format!("{doing}: stopping the wait…")
    } else {
        format!("{doing}: waiting for the server ({} s)", waited.as_secs())
    };
    if !stopping && can_stop {
        line.push_str(" — Esc stops waiting");
    }
    match typed {
        0 => {}
        1 => line.push_str("; 1 key typed follows"),
        n => line.push_str(&format!("; {n} keys typed follow")),
    }
    line
}

/// Writes `line` over the bottom row, in reverse video, cut or padded to the width.
fn show(line: &str, (width, height): (u16, u16)) {
    let mut text: String = line.chars().take(usize::from(width)).collect();
    let pad = usize::from(width).saturating_sub(text.chars().count());
    text.push_str(&" ".repeat(pad));
    let mut out = io::stdout();
    let _ = queue!(
        out,
        MoveTo(0, height.saturating_sub(1)),
        SetAttribute(Attribute::Reverse),
        Print(text),
        SetAttribute(Attribute::Reset)
    );
    let _ = out.flush();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bottom_line_counts_the_seconds_and_the_keys_typed_ahead() {
        let line = bottom_line(Doing::Saving, Duration::from_millis(2_400), false, 2, true);
        assert_eq!(
            line,
            "saving: waiting for the server (2 s) — Esc stops waiting; 2 keys typed follow"
        );
        let line = bottom_line(Doing::Reading, Duration::from_secs(1), true, 1, false);
        assert_eq!(line, "reading: stopping the wait…; 1 key typed follows");
        let line = bottom_line(Doing::Reading, Duration::from_secs(1), false, 0, false);
        assert_eq!(line, "reading: waiting for the server (1 s)");
    }

    #[test]
    fn esc_and_ctrl_c_stop_a_wait_and_other_keys_do_not() {
        let key = |code, modifiers| KeyEvent::new(code, modifiers);
        assert!(stops(&key(KeyCode::Esc, KeyModifiers::NONE)));
        assert!(stops(&key(KeyCode::Char('c'), KeyModifiers::CONTROL)));
        assert!(!stops(&key(KeyCode::Char('c'), KeyModifiers::NONE)));
        assert!(!stops(&key(KeyCode::Char('j'), KeyModifiers::NONE)));
    }
}
