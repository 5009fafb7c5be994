//! The whole process, a key at a time, as a person meets it: the release binary in a 120×36
//! pseudo-terminal, a key written to it, and the time until a complete frame (ratatui ends each
//! one by hiding the cursor) shows what the key asked for. Medians at 1k, 10k and 100k tasks
//! (1M with TASKTUI_BENCH_MILLION=1), the ratio of the largest size to 10k, and peak memory.
//!
//! A search letter is timed twice: to the frame that shows the letter, and to the frame that
//! shows its matches.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)] // a benchmark fails loudly

mod data;
mod pty;

use pty::{COLS, ROWS, Session, median, title};

/// Samples per figure.
const RUNS: usize = 21;

/// The figures of one size, by name, in the order measured.
fn measure(db: &std::path::Path, tasks: u64) -> Vec<(String, f64)> {
    let mut figures = Vec::new();
    let mut starts = Vec::new();
    let mut at_start: f64 = 0.0;
    for _ in 0..RUNS {
        let (session, elapsed) = Session::tasktui(db);
        starts.push(elapsed);
        at_start = at_start.max(session.quit());
    }
    figures.push(("first frame".to_string(), median(starts)));
    figures.push(("peak memory at the first frame (MB)".into(), at_start));
    let (mut s, _) = Session::tasktui(db);
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
    // Back to every task: the searches below look through all of them.
    if title(&s.contents()).contains("· open") {
        s.key("f", |screen| screen.contains("o open"));
        s.key("a", |screen| !title(screen).contains("· open"));
    }

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
    // A search among open tasks: the condition is tested on the text's matches.
    s.key("f", |screen| screen.contains("o open"));
    s.key("o", |screen| title(screen).contains("· open ("));
    let mut times = Vec::new();
    for _ in 0..=RUNS / 2 {
        s.key("/", |screen| screen.contains("/▏"));
        for (typed, letter) in [("/c▏", "c"), ("/ce▏", "e"), ("/cer▏", "r")] {
            let time = s.key(letter, move |screen| {
                screen.contains(typed) && !screen.contains("searching…")
            });
            if letter == "r" {
                times.push(time);
            }
        }
        s.key("\x1b", |screen| !screen.contains("▏"));
    }
    figures.push((
        "search \"cer\" among open tasks: its matches".into(),
        median(times),
    ));
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
