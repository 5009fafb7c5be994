//! The whole process, as a person meets it: start the release binary in a pseudo-terminal, wait
//! for the first frame with tasks in it, quit. Prints the median time to that frame and the peak
//! memory, at 1k, 10k and 100k tasks (1M with TASKTUI_BENCH_MILLION=1).
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)] // a benchmark fails loudly

mod data;

use portable_pty::{CommandBuilder, PtySize, native_pty_system};
use std::io::{Read, Write};
use std::sync::mpsc;
use std::time::{Duration, Instant};

const RUNS: usize = 21;

/// One run: the time from spawning to a frame that shows the first task.
fn first_frame(db: &std::path::Path) -> Duration {
    let pty = native_pty_system()
        .openpty(PtySize {
            rows: 50,
            cols: 200,
            pixel_width: 0,
            pixel_height: 0,
        })
        .unwrap();
    let mut command = CommandBuilder::new(env!("CARGO_BIN_EXE_tasktui"));
    command.args(["--db", db.to_str().unwrap()]);
    command.env("TERM", "xterm-256color");
    // No config file, and a state folder of its own: the default order, whatever the person
    // running the benchmark chose in their own tasktui.
    let state = tempfile::TempDir::new().unwrap();
    command.env("TASKTUI_CONFIG", "/dev/null");
    command.env("XDG_STATE_HOME", state.path());
    let started = Instant::now();
    let mut child = pty.slave.spawn_command(command).unwrap();
    drop(pty.slave);
    let mut reader = pty.master.try_clone_reader().unwrap();
    let mut writer = pty.master.take_writer().unwrap();
    let (seen, frame) = mpsc::channel();
    std::thread::spawn(move || {
        let mut all = Vec::new();
        let mut buffer = [0u8; 65536];
        let mut sent = false;
        while let Ok(n) = reader.read(&mut buffer) {
            if n == 0 {
                break;
            }
            all.extend_from_slice(&buffer[..n]);
            // The pane's title counts from 1 once the rows are read: a task row is on screen.
            if !sent && all.windows(3).any(|w| w == b"(1/") {
                let _ = seen.send(started.elapsed());
                sent = true;
            }
        }
    });
    let elapsed = frame
        .recv_timeout(Duration::from_secs(30))
        .expect("no frame with tasks");
    writer.write_all(b"q").unwrap();
    writer.flush().unwrap();
    child.wait().unwrap();
    elapsed
}

/// Peak resident memory of the children waited for so far, in MB (Linux reports kilobytes).
fn peak_memory_mb() -> f64 {
    let usage =
        nix::sys::resource::getrusage(nix::sys::resource::UsageWho::RUSAGE_CHILDREN).unwrap();
    usage.max_rss() as f64 / 1024.0
}

fn main() {
    println!(
        "whole process, start to the first frame with tasks (200x50 pty), median of {RUNS} runs, {} cores",
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    println!(
        "{:>10}  {:>12}  {:>14}",
        "tasks", "first frame", "peak memory"
    );
    for tasks in data::sizes() {
        let db = data::database(tasks);
        first_frame(&db); // warm the page cache
        let mut times: Vec<Duration> = (0..RUNS).map(|_| first_frame(&db)).collect();
        times.sort();
        let median = times[RUNS / 2];
        // The databases are made in this process, so the children are only interface runs; the
        // kernel keeps the largest, so each size's figure is the peak over it and smaller sizes.
        println!(
            "{tasks:>10}  {:>9.2} ms  {:>11.1} MB",
            median.as_secs_f64() * 1000.0,
            peak_memory_mb()
        );
    }
}
