//! Signals: every one whose default action ends the process restores the terminal first, and
//! Ctrl-z's SIGTSTP and SIGCONT reach the loop.
//!
//! Most are caught with signal-hook and forwarded to the loop. SIGILL, SIGFPE and SIGSEGV it
//! will not take (a handler could only return to the faulting instruction): those are blocked
//! instead, in every thread the interface starts, and a thread of their own waits for them
//! (`sigwait`), so a `kill -ILL` from outside arrives like any other signal. A real fault in
//! tasktui's own code cannot be blocked: the kernel ends the process then, as it always did.

use super::{Input, Reader};
use nix::sys::signal::{SigSet, SigmaskHow, Signal, pthread_sigmask};
use signal_hook::consts::signal::{SIGCONT, SIGTSTP};
use signal_hook::iterator::{Handle, Signals};
use std::io::{self, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::Sender;
use std::time::{Duration, Instant};

/// How long a terminating signal waits for the loop to end by itself before the terminal is
/// restored and the process ended from the signal thread.
const GRACE: Duration = Duration::from_millis(800);

/// The highest signal number looked at (Linux's SIGRTMAX); a number the system does not have
/// is refused when caught, and skipped.
const HIGHEST_SIGNAL: i32 = 64;

/// Whether a signal's default action ends the process: every one but those that stop, continue
/// or are ignored by default. Worked out by what the default does, not from a list of names, so
/// SIGPWR, SIGIO, SIGTRAP and the real-time signals restore the terminal too. SIGPIPE stays
/// ignored, as Rust sets it (a closed pipe is an error to handle, not an end).
pub(super) fn ends_the_process(signal: i32) -> bool {
    use nix::sys::signal::Signal;
    let keeps_running = [
        Signal::SIGCHLD,
        Signal::SIGCONT,
        Signal::SIGSTOP,
        Signal::SIGTSTP,
        Signal::SIGTTIN,
        Signal::SIGTTOU,
        Signal::SIGURG,
        Signal::SIGWINCH,
        Signal::SIGPIPE,
        Signal::SIGKILL,
    ];
    !keeps_running.iter().any(|s| *s as i32 == signal)
}

/// The faults signal-hook refuses, waited for by `sigwait` instead.
const FAULTS: [Signal; 3] = [Signal::SIGILL, Signal::SIGFPE, Signal::SIGSEGV];

/// Starts forwarding signals to the loop; the handle closes signal-hook's part when the
/// interface ends. Call before starting any other thread: they inherit the blocked faults.
pub(super) fn watch(
    sender: &Sender<Input>,
    finished: &Arc<AtomicBool>,
    reader: &Arc<Reader>,
) -> io::Result<Handle> {
    let signals = Signals::new([SIGTSTP, SIGCONT])?;
    // Every terminating signal the system lets a process catch, but those signal-hook must not
    // take (SIGKILL, SIGSTOP and the faults); the numbers the C library keeps for itself are
    // refused when added, and skipped.
    let catchable = |s: &i32| ends_the_process(*s) && !signal_hook::consts::FORBIDDEN.contains(s);
    for signal in (1..=HIGHEST_SIGNAL).filter(catchable) {
        if let Err(e) = signals.add_signal(signal) {
            tracing::debug!("signal {signal} not caught: {e}");
        }
    }
    let handle = signals.handle();
    let faults: SigSet = FAULTS.into_iter().collect();
    pthread_sigmask(SigmaskHow::SIG_BLOCK, Some(&faults), None).map_err(io::Error::from)?;
    let (to_loop, done, reading) = (sender.clone(), Arc::clone(finished), Arc::clone(reader));
    let mut signals = signals;
    std::thread::spawn(move || {
        for signal in signals.forever() {
            arrived(signal, &to_loop, &done, &reading);
        }
    });
    let (to_loop, done, reading) = (sender.clone(), Arc::clone(finished), Arc::clone(reader));
    std::thread::spawn(move || {
        loop {
            match faults.wait() {
                Ok(signal) => arrived(signal as i32, &to_loop, &done, &reading),
                Err(e) => {
                    tracing::warn!("cannot wait for SIGILL, SIGFPE, SIGSEGV: {e}");
                    return;
                }
            }
        }
    });
    Ok(handle)
}

/// Forwards a signal to the loop. A terminating one that the loop has not answered within
/// `GRACE` (it may be blocked writing to a stalled terminal) restores the terminal and ends the
/// process from here; so does one arriving after the interface ended.
fn arrived(signal: i32, sender: &Sender<Input>, finished: &AtomicBool, reader: &Reader) {
    let _ = sender.send(Input::Signal(signal));
    reader.arrived();
    if ends_the_process(signal) {
        std::thread::sleep(GRACE);
        if !finished.load(Ordering::SeqCst) {
            restore_from_outside();
        }
        std::process::exit(128 + signal);
    }
}

/// Restores the terminal from another thread while the loop may hold standard output: the
/// modes directly, the screen through a handle of its own, without waiting on a stalled write.
fn restore_from_outside() {
    let _ = ratatui::crossterm::terminal::disable_raw_mode();
    let writer = std::thread::spawn(|| {
        if let Ok(mut tty) = std::fs::OpenOptions::new().write(true).open("/dev/tty") {
            // Bracketed paste, the mouse reports crossterm turns on, the alternate screen.
            let _ = tty.write_all(
                b"\x1b[?2004l\x1b[?1000l\x1b[?1002l\x1b[?1003l\x1b[?1015l\x1b[?1006l\x1b[?1049l\x1b[?25h",
            );
            let _ = tty.flush();
        }
    });
    let started = Instant::now();
    while !writer.is_finished() && started.elapsed() < Duration::from_millis(200) {
        std::thread::sleep(Duration::from_millis(10));
    }
}
