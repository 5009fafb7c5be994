//! tasktui beside taskwarrior-tui on the same tasks, in the same 120×36 pseudo-terminal: the
//! time to the first screen with tasks, a navigation key (j, k) to the screen it changes, and
//! the peak memory of the interface's own process. `bash benches/compare.sh` makes taskwarrior's
//! copies of the benchmark databases (with assignees, descriptions and tags) and runs this.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)] // a benchmark fails loudly

mod data;
mod pty;

use pty::{Frames, Session, median};
use std::path::Path;

/// Starts taskwarrior-tui on the taskwarrior copy in `dir`.
fn taskwarrior_tui(dir: &Path) -> (Session, std::time::Duration) {
    let rc = dir.join("taskrc");
    Session::spawn(
        "taskwarrior-tui",
        &[],
        &[
            ("TASKRC", rc.to_str().unwrap()),
            ("TASKDATA", dir.to_str().unwrap()),
        ],
        // Its frames may end otherwise than ratatui's: every write is looked at, which can only
        // make its figures smaller.
        Frames::Any,
        // Every sample title starts with one of these words: a task row is on screen.
        Box::new(|s: &str| {
            tasktui_sqlite::demo::VERBS
                .iter()
                .any(|verb| s.contains(&format!("{verb} ")))
        }),
        tempfile::TempDir::new().unwrap(),
    )
}

/// First screen (median of `starts` runs), navigation key (median of 11), peak memory.
fn measure(start: &dyn Fn() -> (Session, std::time::Duration), starts: usize) -> [f64; 3] {
    let mut firsts = Vec::new();
    let mut peak: f64 = 0.0;
    for _ in 0..starts {
        let (session, elapsed) = start();
        firsts.push(elapsed);
        peak = peak.max(session.quit());
    }
    let (mut session, _) = start();
    // Let anything the program does after its first screen settle.
    std::thread::sleep(std::time::Duration::from_millis(500));
    let keys: Vec<_> = (0..11)
        .map(|i| session.key_to_change(if i % 2 == 0 { "j" } else { "k" }))
        .collect();
    peak = peak.max(session.quit());
    [median(firsts), median(keys), peak]
}

fn main() {
    let Some(copies) = std::env::var_os("TASKTUI_COMPARE") else {
        println!("run it through `bash benches/compare.sh`, which makes taskwarrior's copies");
        return;
    };
    let sizes: Vec<u64> = match std::env::var("TASKTUI_COMPARE_SIZES") {
        Ok(sizes) => sizes
            .split_whitespace()
            .map(|n| n.parse().unwrap())
            .collect(),
        Err(_) => data::sizes(),
    };
    println!(
        "{:>8}  {:>28}  {:>28}",
        "tasks", "tasktui (first, key, memory)", "taskwarrior-tui"
    );
    for tasks in sizes {
        let db = data::database(tasks);
        let ours = measure(&|| Session::tasktui(&db), 11);
        let dir = Path::new(&copies).join(format!("taskwarrior-{tasks}"));
        // taskwarrior-tui takes seconds per start past 10,000 tasks.
        let theirs = measure(
            &|| taskwarrior_tui(&dir),
            if tasks > 10_000 { 3 } else { 5 },
        );
        println!(
            "{tasks:>8}  {:>9.1} ms {:>6.2} ms {:>5.1} MB  {:>9.1} ms {:>6.2} ms {:>5.1} MB",
            ours[0], ours[1], ours[2], theirs[0], theirs[1], theirs[2]
        );
    }
}
