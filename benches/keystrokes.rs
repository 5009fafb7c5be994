//! The whole process, a key at a time, as a person meets it: the release binary in a 120×36
//! pseudo-terminal, a key written to it, and the time until a complete frame (ratatui ends each
//! one by hiding the cursor) shows what the key asked for. Medians at 1k, 10k and 100k tasks
//! (1M with TASKTUI_BENCH_MILLION=1), the ratio of the largest size to 10k, and peak memory.
//!
//! A search letter is timed twice: to the frame that shows the letter, and to the frame that
//! shows its matches.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)] // a benchmark fails loudly

mod data;

use portable_pty::{CommandBuilder, PtySize, native_pty_system};
use std::io::{Read, Write};
use std::sync::mpsc::{self, Sender};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const COLS: u16 = 120;
const ROWS: u16 = 36;
/// Samples per figure.
const RUNS: usize = 21;
/// Every frame ratatui writes ends with this (hide the cursor).
const FRAME_END: &[u8] = b"\x1b[?25l";

type Want = Box<dyn Fn(&str) -> bool + Send>;

/// What the reader thread looks for: frames whose screens satisfy each of `wants` in turn
/// (one frame may satisfy several).
struct Watch {
    wants: std::collections::VecDeque<Want>,
    started: Instant,
    seen: Sender<Duration>,
}

struct Screen {
    parser: vt100::Parser,
    watch: Option<Watch>,
}

struct Session {
    child: Box<dyn portable_pty::Child + Send + Sync>,
    writer: Box<dyn Write + Send>,
    screen: Arc<Mutex<Screen>>,
    _state: tempfile::TempDir,
}

impl Session {
    /// Starts tasktui on `db` with its own state folder and no config file; returns once a frame
    /// shows a task, with the time that took.
    fn start(db: &std::path::Path) -> (Session, Duration) {
        let pty = native_pty_system()
            .openpty(PtySize {
                rows: ROWS,
                cols: COLS,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        let state = tempfile::TempDir::new().unwrap();
        let mut command = CommandBuilder::new(env!("CARGO_BIN_EXE_tasktui"));
        command.args(["--db", db.to_str().unwrap()]);
        command.env("TERM", "xterm-256color");
        command.env("TASKTUI_CONFIG", "/dev/null");
        command.env("XDG_STATE_HOME", state.path());
        command.env_remove("NO_COLOR");
        let screen = Arc::new(Mutex::new(Screen {
            parser: vt100::Parser::new(ROWS.try_into().unwrap(), COLS.try_into().unwrap(), 0),
            watch: None,
        }));
        let (seen, first) = mpsc::channel();
        screen.lock().unwrap().watch = Some(Watch {
            // Demo titles end with "(#n)": a task row is on screen.
            wants: [Box::new(|s: &str| s.contains("(#")) as Want].into(),
            started: Instant::now(),
            seen,
        });
        let child = pty.slave.spawn_command(command).unwrap();
        drop(pty.slave);
        let mut reader = pty.master.try_clone_reader().unwrap();
        let writer = pty.master.take_writer().unwrap();
        let shared = Arc::clone(&screen);
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
                if !bytes.windows(FRAME_END.len()).any(|w| w == FRAME_END) {
                    continue;
                }
                let shown = screen.parser.screen().contents();
                let Some(watch) = screen.watch.as_mut() else {
                    continue;
                };
                while watch.wants.front().is_some_and(|want| want(&shown)) {
                    watch.wants.pop_front();
                    let _ = watch.seen.send(watch.started.elapsed());
                }
                if watch.wants.is_empty() {
                    screen.watch = None;
                }
            }
        });
        let elapsed = first
            .recv_timeout(Duration::from_secs(60))
            .expect("no frame with tasks");
        let session = Session {
            child,
            writer,
            screen,
            _state: state,
        };
        (session, elapsed)
    }

    fn contents(&self) -> String {
        self.screen.lock().unwrap().parser.screen().contents()
    }

    /// Writes `keys` and returns the time to the first complete frame that satisfies `want`.
    fn key(&mut self, keys: &str, want: impl Fn(&str) -> bool + Send + 'static) -> Duration {
        self.key_to(keys, vec![Box::new(want)])[0]
    }

    /// Writes `keys` and returns the times to the frames that satisfy each of `wants` in turn.
    fn key_to(&mut self, keys: &str, wants: Vec<Want>) -> Vec<Duration> {
        let (seen, found) = mpsc::channel();
        let n = wants.len();
        self.screen.lock().unwrap().watch = Some(Watch {
            wants: wants.into(),
            started: Instant::now(),
            seen,
        });
        self.writer.write_all(keys.as_bytes()).unwrap();
        self.writer.flush().unwrap();
        (0..n)
            .map(|_| match found.recv_timeout(Duration::from_secs(60)) {
                Ok(elapsed) => elapsed,
                Err(_) => panic!("after {keys:?}, no such frame:\n{}", self.contents()),
            })
            .collect()
    }

    /// Quits, returning the most memory the process held (VmHWM, in MB).
    fn quit(mut self) -> f64 {
        let pid = self.child.process_id().unwrap();
        let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
        let peak_kb: f64 = status
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))
            .and_then(|v| v.split_whitespace().next())
            .and_then(|v| v.parse().ok())
            .unwrap();
        self.writer.write_all(b"q").unwrap();
        self.writer.flush().unwrap();
        self.child.wait().unwrap();
        peak_kb / 1024.0
    }
}

/// The first line of the screen: the panes' titles.
fn title(screen: &str) -> String {
    screen.lines().next().unwrap_or_default().to_string()
}

fn median(mut times: Vec<Duration>) -> f64 {
    times.sort();
    times[times.len() / 2].as_secs_f64() * 1000.0
}

/// The figures of one size, by name, in the order measured.
fn measure(db: &std::path::Path, tasks: u64) -> Vec<(String, f64)> {
    let mut figures = Vec::new();
    let mut starts = Vec::new();
    let mut at_start: f64 = 0.0;
    for _ in 0..RUNS {
        let (session, elapsed) = Session::start(db);
        starts.push(elapsed);
        at_start = at_start.max(session.quit());
    }
    figures.push(("first frame".to_string(), median(starts)));
    figures.push(("peak memory at the first frame (MB)".into(), at_start));
    let (mut s, _) = Session::start(db);
    s.key("2", |_| true);
    let total = format!("/{tasks})");

    let mut times = Vec::new();
    for i in 0..RUNS {
        let (keys, want) = if i % 2 == 0 {
            ("j", "(2/")
        } else {
            ("k", "(1/")
        };
        times.push(s.key(keys, move |screen| title(screen).contains(want)));
    }
    figures.push(("navigation (j, k)".into(), median(times)));

    let mut times = Vec::new();
    for i in 0..RUNS {
        let (keys, want) = if i % 2 == 0 {
            ("G", format!("({tasks}{total}"))
        } else {
            ("g", format!("(1{total}"))
        };
        times.push(s.key(keys, move |screen| title(screen).contains(&want)));
    }
    figures.push(("jump to the end and back (G, g)".into(), median(times)));

    let mut times = Vec::new();
    for i in 0..RUNS {
        if i % 2 == 0 {
            s.key("f", |screen| screen.contains("o open"));
            times.push(s.key("o", |screen| title(screen).contains("· open (")));
        } else {
            s.key("f", |screen| screen.contains("o open"));
            times.push(s.key("a", |screen| !title(screen).contains("· open")));
        }
    }
    figures.push(("quick filter toggle (f o, f a)".into(), median(times)));

    let mut times = Vec::new();
    for _ in 0..RUNS {
        let before = title(&s.contents());
        let order = move |t: &str| t.split(" by ").nth(1).map(str::to_string);
        let was = order(&before);
        times.push(s.key("o", move |screen| {
            let now = order(&title(screen));
            now.is_some() && now != was
        }));
    }
    figures.push(("sort change (o)".into(), median(times)));
    // Back to the first order: the orders cycle.
    while !title(&s.contents()).contains(" by due") {
        s.key("o", |_| true);
    }

    let (mut done, mut undone) = (Vec::new(), Vec::new());
    for _ in 0..RUNS {
        done.push(s.key("x", |screen| screen.contains(" is done")));
        undone.push(s.key("u", |screen| screen.contains("undid:")));
    }
    figures.push(("done (x)".into(), median(done)));
    figures.push(("undo (u)".into(), median(undone)));

    // Each prefix of each query apart: words under three letters have no index (see README).
    for query in ["cert", "ex", "qu"] {
        let mut letter = Vec::new();
        let mut matches = vec![Vec::new(); query.len()];
        let reps = if query == "qu" { 5 } else { RUNS / 2 + 1 };
        for _ in 0..reps {
            s.key("/", |screen| screen.contains("/▏"));
            for end in 1..=query.len() {
                let typed = format!("/{}▏", &query[..end]);
                let shown = typed.clone();
                let times = s.key_to(
                    &query[end - 1..end],
                    vec![
                        Box::new(move |screen: &str| screen.contains(&shown)),
                        // The count of this query's matches: a later frame, or the same one.
                        Box::new(move |screen: &str| {
                            screen.contains(&typed) && !screen.contains("searching…")
                        }),
                    ],
                );
                letter.push(times[0]);
                matches[end - 1].push(times[1]);
            }
            s.key("\x1b", |screen| !screen.contains("▏"));
        }
        figures.push((
            format!("search \"{query}\": each letter shown"),
            median(letter),
        ));
        for (end, times) in matches.into_iter().enumerate() {
            figures.push((
                format!("search \"{}\": its matches", &query[..=end]),
                median(times),
            ));
        }
    }
    let peak = s.quit();
    figures.push(("peak memory after all these keys (MB)".into(), peak));
    figures
}

fn main() {
    let sizes = data::sizes();
    println!(
        "whole process, key to its frame ({COLS}x{ROWS} pty), median ms, {} cores",
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    let mut columns = Vec::new();
    for &tasks in &sizes {
        let db = data::database(tasks);
        columns.push(measure(&db, tasks));
    }
    let ratio_of = sizes.iter().position(|&n| n == 10_000);
    let last = sizes.len() - 1;
    print!("{:<38}", "");
    for tasks in &sizes {
        print!("{tasks:>10}");
    }
    let largest = match sizes[last] {
        n if n >= 1_000_000 => format!("{}M", n / 1_000_000),
        n => format!("{}k", n / 1000),
    };
    println!("{:>12}", format!("{largest}/10k"));
    for (row, (name, _)) in columns[0].iter().enumerate() {
        print!("{name:<38}");
        for column in &columns {
            print!("{:>10.2}", column[row].1);
        }
        if let Some(base) = ratio_of {
            print!("{:>12.2}", columns[last][row].1 / columns[base][row].1);
        }
        println!();
    }
}
