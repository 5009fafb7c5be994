//! A program in a 120×36 pseudo-terminal, timed as a person meets it: keys written to it, and
//! the time until the screen shows what they asked for.
#![allow(clippy::unwrap_used, dead_code, missing_debug_implementations)] // a benchmark fails loudly; shared by several benches

use portable_pty::{CommandBuilder, PtySize, native_pty_system};
use std::io::{Read, Write};
use std::sync::mpsc::{self, Sender};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub const COLS: u16 = 120;
pub const ROWS: u16 = 36;
/// Every frame ratatui writes ends with this (hide the cursor).
const FRAME_END: &[u8] = b"\x1b[?25l";

pub type Want = Box<dyn Fn(&str) -> bool + Send>;

/// What the reader thread looks for: screens that satisfy each of `wants` in turn (one screen
/// may satisfy several).
struct Watch {
    wants: std::collections::VecDeque<Want>,
    started: Instant,
    seen: Sender<Duration>,
}

struct Screen {
    parser: vt100::Parser,
    watch: Option<Watch>,
}

pub struct Session {
    child: Box<dyn portable_pty::Child + Send + Sync>,
    writer: Arc<Mutex<Box<dyn Write + Send>>>,
    screen: Arc<Mutex<Screen>>,
    _state: tempfile::TempDir,
}

/// How a screen is judged.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Frames {
    /// Only once a frame is complete (ratatui hid the cursor): tasktui.
    Complete,
    /// After every write the program makes: a program whose frames end otherwise.
    Any,
}

impl Session {
    /// Starts tasktui on `db` with its own state folder and no config file; returns once a frame
    /// shows a task, with the time that took.
    pub fn tasktui(db: &std::path::Path) -> (Session, Duration) {
        let state = tempfile::TempDir::new().unwrap();
        let state_dir = state.path().to_str().unwrap().to_string();
        Session::spawn(
            env!("CARGO_BIN_EXE_tasktui"),
            &["--db", db.to_str().unwrap()],
            &[
                ("TASKTUI_CONFIG", "/dev/null"),
                ("XDG_STATE_HOME", &state_dir),
            ],
            Frames::Complete,
            // The pane's title counts from 1 once the rows are read: a task row is on screen.
            Box::new(|s: &str| s.contains("(1/")),
            state,
        )
    }

    /// Starts `program` and returns once a screen satisfies `first`, with the time that took.
    pub fn spawn(
        program: &str,
        args: &[&str],
        env: &[(&str, &str)],
        frames: Frames,
        first: Want,
        state: tempfile::TempDir,
    ) -> (Session, Duration) {
        let pty = native_pty_system()
            .openpty(PtySize {
                rows: ROWS,
                cols: COLS,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        let mut command = CommandBuilder::new(program);
        command.args(args);
        command.env("TERM", "xterm-256color");
        command.env_remove("NO_COLOR");
        for (name, value) in env {
            command.env(name, value);
        }
        let screen = Arc::new(Mutex::new(Screen {
            parser: vt100::Parser::new(ROWS.try_into().unwrap(), COLS.try_into().unwrap(), 0),
            watch: None,
        }));
        let (seen, shown) = mpsc::channel();
        screen.lock().unwrap().watch = Some(Watch {
            wants: [first].into(),
            started: Instant::now(),
            seen,
        });
        let child = pty.slave.spawn_command(command).unwrap();
        drop(pty.slave);
        let mut reader = pty.master.try_clone_reader().unwrap();
        let writer = Arc::new(Mutex::new(pty.master.take_writer().unwrap()));
        let shared = Arc::clone(&screen);
        let answer = Arc::clone(&writer);
        std::thread::spawn(move || {
            let _master = pty.master;
            let mut buffer = [0u8; 65536];
            while let Ok(n) = reader.read(&mut buffer) {
                if n == 0 {
                    break;
                }
                let bytes = &buffer[..n];
                let mut screen = shared.lock().unwrap();
                screen.parser.process(bytes);
                // A program may ask where the cursor is; a real terminal answers.
                if bytes.windows(4).any(|w| w == b"\x1b[6n") {
                    let (row, col) = screen.parser.screen().cursor_position();
                    let _ = write!(answer.lock().unwrap(), "\x1b[{};{}R", row + 1, col + 1);
                }
                // …and what kind of terminal it is (crossterm asks before it reads keys).
                if bytes.windows(3).any(|w| w == b"\x1b[c") {
                    let _ = write!(answer.lock().unwrap(), "\x1b[?62;22c");
                }
                if frames == Frames::Complete
                    && !bytes.windows(FRAME_END.len()).any(|w| w == FRAME_END)
                {
                    continue;
                }
                let contents = screen.parser.screen().contents();
                let Some(watch) = screen.watch.as_mut() else {
                    continue;
                };
                while watch.wants.front().is_some_and(|want| want(&contents)) {
                    watch.wants.pop_front();
                    let _ = watch.seen.send(watch.started.elapsed());
                }
                if watch.wants.is_empty() {
                    screen.watch = None;
                }
            }
        });
        let elapsed = match shown.recv_timeout(Duration::from_secs(120)) {
            Ok(elapsed) => elapsed,
            Err(_) => panic!(
                "{program}: no first screen:\n{}",
                screen.lock().unwrap().parser.screen().contents()
            ),
        };
        let session = Session {
            child,
            writer,
            screen,
            _state: state,
        };
        (session, elapsed)
    }

    pub fn contents(&self) -> String {
        self.screen.lock().unwrap().parser.screen().contents()
    }

    /// Writes `keys` and returns the time to the first screen that satisfies `want`.
    pub fn key(&mut self, keys: &str, want: impl Fn(&str) -> bool + Send + 'static) -> Duration {
        self.key_to(keys, vec![Box::new(want)])[0]
    }

    /// Writes `keys` and returns the time to the first screen that differs from the one before.
    pub fn key_to_change(&mut self, keys: &str) -> Duration {
        let before = self.contents();
        self.key(keys, move |screen| screen != before)
    }

    /// Writes `keys` and returns the times to the screens that satisfy each of `wants` in turn.
    pub fn key_to(&mut self, keys: &str, wants: Vec<Want>) -> Vec<Duration> {
        let (seen, found) = mpsc::channel();
        let n = wants.len();
        self.screen.lock().unwrap().watch = Some(Watch {
            wants: wants.into(),
            started: Instant::now(),
            seen,
        });
        let mut writer = self.writer.lock().unwrap();
        writer.write_all(keys.as_bytes()).unwrap();
        writer.flush().unwrap();
        drop(writer);
        (0..n)
            .map(|_| match found.recv_timeout(Duration::from_secs(120)) {
                Ok(elapsed) => elapsed,
                Err(_) => panic!("after {keys:?}, no such screen:\n{}", self.contents()),
            })
            .collect()
    }

    /// The most memory the process has held so far (VmHWM), in MB.
    pub fn peak_mb(&self) -> f64 {
        let pid = self.child.process_id().unwrap();
        let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
        let kb: f64 = status
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))
            .and_then(|v| v.split_whitespace().next())
            .and_then(|v| v.parse().ok())
            .unwrap();
        kb / 1024.0
    }

    /// Quits with `q`, returning the most memory the process held, in MB.
    pub fn quit(mut self) -> f64 {
        let peak = self.peak_mb();
        let mut writer = self.writer.lock().unwrap();
        writer.write_all(b"q").unwrap();
        writer.flush().unwrap();
        drop(writer);
        // A program that does not quit on `q` within five seconds is ended.
        let asked = Instant::now();
        while self.child.try_wait().unwrap().is_none() {
            if asked.elapsed() > Duration::from_secs(5) {
                self.child.kill().unwrap();
                self.child.wait().unwrap();
                break;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        peak
    }
}

/// The first line of the screen: the panes' titles.
pub fn title(screen: &str) -> String {
    screen.lines().next().unwrap_or_default().to_string()
}

/// The median, in milliseconds.
pub fn median(mut times: Vec<Duration>) -> f64 {
    times.sort();
    times[times.len() / 2].as_secs_f64() * 1000.0
}
