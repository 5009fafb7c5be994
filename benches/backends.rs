//! Both backends in one run, side by side: the whole process in a 120×36 pseudo-terminal on the
//! same demo data, a SQLite file and a PostgreSQL database on the server
//! `TASKTUI_BENCH_POSTGRES` (else `TASKTUI_TEST_POSTGRES`) names, medians in ms at 10k and 100k
//! tasks, and at 1,000,000 with `TASKTUI_BENCH_MILLION=1`. The server's databases are made once
//! (`tasktui_bench_<n>`, an import of the file's export) and kept, as the files are. The last
//! columns divide the largest size by the smallest on each backend, and the server by the file.
//! The budget for a server on the same machine at 1,000,000 tasks: first frame ≤ 30 ms, a search
//! letter ≤ 30 ms, a quick filter, sort or user ≤ 8 ms, done/undo/redo ≤ 10 ms, each within 1.5×
//! of its 10,000-task figure.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)] // a benchmark fails loudly

mod data;
mod pty;

use pty::{COLS, ROWS, Session, median, title};
use std::path::Path;
use std::time::Duration;
use tasktui_core::seam::Counts;
use tasktui_core::seam::Exchange;
use tasktui_postgres::{Server, migrate};
use tasktui_sqlite::{FileLocation, Store};

const RUNS: usize = 21;

fn server_url() -> Option<String> {
    ["TASKTUI_BENCH_POSTGRES", "TASKTUI_TEST_POSTGRES"]
        .iter()
        .find_map(|name| std::env::var(name).ok().filter(|v| !v.is_empty()))
}

/// The URL of `admin` with another database.
fn with_database(admin: &str, name: &str) -> String {
    let (scheme, rest) = admin.split_once("://").unwrap();
    let (before_query, query) = match rest.split_once('?') {
        Some((b, q)) => (b, format!("?{q}")),
        None => (rest, String::new()),
    };
    let authority = before_query.split('/').next().unwrap_or_default();
    format!("{scheme}://{authority}/{name}{query}")
}

/// The server's copy of the demo file of `tasks` tasks, made when missing or incomplete.
fn server_database(admin: &str, file: &Path, tasks: u64) -> String {
    let name = format!("tasktui_bench_{tasks}");
    let url = with_database(admin, &name);
    let server = Server::from_arg(&url).unwrap();
    let complete = migrate::open(&server)
        .ok()
        .and_then(|opened| opened.store.count_tasks(&Default::default()).ok())
        == Some(tasks);
    if !complete {
        let mut client = postgres::Client::connect(admin, postgres::NoTls).unwrap();
        client
            .batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            .unwrap();
        client
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .unwrap();
        let data = Store::open(&FileLocation::Explicit(file.to_path_buf()))
            .unwrap()
            .store
            .export()
            .unwrap();
        let store = migrate::open(&server).unwrap().store;
        store.import(&data, false, false).unwrap();
        // Fresh statistics, as autovacuum would gather soon after a load.
        let mut client = postgres::Client::connect(&url, postgres::NoTls).unwrap();
        client.batch_execute("VACUUM ANALYZE").unwrap();
    }
    url
}

/// Types `query` into a fresh search after `before` (keys that set a user, a quick filter…),
/// letter by letter, each to the frame that shows its matches; the time of the last letter.
fn search(s: &mut Session, query: &str) -> Duration {
    s.key("/", |screen| screen.contains("/▏"));
    let mut last = Duration::ZERO;
    for (at, letter) in query.char_indices() {
        let typed = format!("/{}▏", &query[..at + letter.len_utf8()]);
        last = s.key(&letter.to_string(), move |screen| {
            screen.contains(&typed) && !screen.contains("searching…")
        });
    }
    // Esc clears the search, a second one closes the prompt.
    s.key("\x1b", |screen| {
        !screen.contains("▏") || screen.contains("/▏")
    });
    if s.contents().contains("▏") {
        s.key("\x1b", |screen| !screen.contains("▏"));
    }
    last
}

/// The search words measured, each alone and then as the last letters of a search with a user,
/// a quick filter or a tag set: a rare letter (in no demo task), a word in no task, words in a
/// few and in most tasks, a prefix of a tag's name, and two words.
const WORDS: [(&str, &str); 8] = [
    ("q", "search \"q\" (rare letter)"),
    ("qz", "search \"qz\" (in no task)"),
    ("cer", "search \"cer\""),
    ("ce", "search \"ce\""),
    ("c", "search \"c\" (most tasks)"),
    ("e", "search \"e\" (every task)"),
    ("backe", "search \"backe\" (a tag)"),
    ("api rate", "search \"api rate\""),
];

fn measure(db: &str, tasks: u64) -> Vec<(&'static str, f64)> {
    let db = Path::new(db);
    let mut figures = Vec::new();
    let mut starts = Vec::new();
    let mut memory: f64 = 0.0;
    for _ in 0..RUNS {
        let (session, elapsed) = Session::tasktui(db);
        starts.push(elapsed);
        memory = memory.max(session.quit());
    }
    figures.push(("first frame", median(starts)));
    let (mut s, _) = Session::tasktui(db);
    s.key("2", |_| true);
    let mut times = Vec::new();
    for i in 0..RUNS {
        let (key, want) = if i % 2 == 0 {
            ("j", "(2/")
        } else {
            ("k", "(1/")
        };
        times.push(s.key(key, move |screen| title(screen).contains(want)));
    }
    figures.push(("navigation (j, k)", median(times)));
    let n = tasktui_core::text::thousands(tasks);
    let mut times = Vec::new();
    for i in 0..RUNS {
        let want = if i % 2 == 0 {
            format!("({n}/{n})")
        } else {
            format!("(1/{n})")
        };
        let key = if i % 2 == 0 { "G" } else { "g" };
        times.push(s.key(key, move |screen| title(screen).contains(&want)));
    }
    figures.push(("end and back (G, g)", median(times)));
    let mut times = Vec::new();
    for i in 0..RUNS {
        s.key("f", |screen| screen.contains("o open"));
        if i % 2 == 0 {
            times.push(s.key("o", |screen| title(screen).contains("· open (")));
        } else {
            times.push(s.key("a", |screen| !title(screen).contains("· open")));
        }
    }
    figures.push(("quick filter (f o, f a)", median(times)));
    if title(&s.contents()).contains("· open") {
        s.key("f", |screen| screen.contains("o open"));
        s.key("a", |screen| !title(screen).contains("· open"));
    }
    let mut times = Vec::new();
    for _ in 0..RUNS {
        let order = |t: &str| t.split(" by ").nth(1).map(str::to_string);
        let was = order(&title(&s.contents()));
        times.push(s.key("o", move |screen| {
            let now = order(&title(screen));
            now.is_some() && now != was
        }));
    }
    figures.push(("sort (o)", median(times)));
    while !title(&s.contents()).contains(" by due") {
        s.key("o", |_| true);
    }
    // The Users pane: the next user and back, the Tasks pane read for each.
    s.key("1", |_| true);
    s.key("j", |_| true);
    let mut times = Vec::new();
    for i in 0..RUNS {
        times.push(s.key_to_change(if i % 2 == 0 { "j" } else { "k" }));
    }
    figures.push(("user selection (j, k)", median(times)));
    s.key("g", |_| true);
    s.key("2", |_| true);
    let (mut done, mut undone, mut redone) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..RUNS {
        done.push(s.key("x", |screen| screen.contains(" is done")));
        undone.push(s.key("u", |screen| screen.contains("undid:")));
        redone.push(s.key("\x12", |screen| screen.contains("redid:")));
        s.key("u", |screen| screen.contains("undid:"));
    }
    figures.push(("done (x)", median(done)));
    figures.push(("undo (u)", median(undone)));
    figures.push(("redo (Ctrl-r)", median(redone)));
    for (query, name) in WORDS {
        let times = (0..=RUNS / 4).map(|_| search(&mut s, query)).collect();
        figures.push((name, median(times)));
    }
    // The same word with a user selected, a quick filter on, and a tag required.
    s.key("1", |_| true);
    s.key("j", |_| true);
    s.key("2", |_| true);
    let times = (0..=RUNS / 4).map(|_| search(&mut s, "ce")).collect();
    figures.push(("search \"ce\" of a user", median(times)));
    s.key("1", |_| true);
    s.key("g", |_| true);
    s.key("2", |_| true);
    s.key("f", |screen| screen.contains("o open"));
    s.key("o", |screen| title(screen).contains("· open ("));
    let times = (0..=RUNS / 4).map(|_| search(&mut s, "qz")).collect();
    figures.push(("search \"qz\", open only", median(times)));
    s.key("f", |screen| screen.contains("o open"));
    s.key("a", |screen| !title(screen).contains("· open"));
    let times = (0..=RUNS / 4).map(|_| search(&mut s, "#bug ce")).collect();
    figures.push(("search \"#bug ce\"", median(times)));
    let peak = s.quit();
    figures.push(("peak memory (MB)", memory.max(peak)));
    figures
}

fn main() {
    let Some(admin) = server_url() else {
        println!(
            "skipped: set TASKTUI_BENCH_POSTGRES (or TASKTUI_TEST_POSTGRES) to a server URL whose role may create databases"
        );
        return;
    };
    println!(
        "whole process, key to its frame ({COLS}x{ROWS} pty), median ms; PostgreSQL on this machine, {} cores",
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    // The million-task databases take minutes to make (kept once made): asked for by name.
    let mut sizes = vec![10_000u64, 100_000];
    if std::env::var("TASKTUI_BENCH_MILLION").is_ok_and(|v| v == "1") {
        sizes.push(1_000_000);
    }
    let mut columns = Vec::new();
    for &tasks in &sizes {
        let file = data::database(tasks);
        let url = server_database(&admin, &file, tasks);
        columns.push(measure(file.to_str().unwrap(), tasks));
        columns.push(measure(&url, tasks));
    }
    print!("{:<30}", "");
    for &tasks in &sizes {
        let size = if tasks >= 1_000_000 {
            format!("{}M", tasks / 1_000_000)
        } else {
            format!("{}k", tasks / 1000)
        };
        print!(
            "{:>11}{:>11}",
            format!("SQLite {size}"),
            format!("PG {size}")
        );
    }
    // The largest size against the smallest, on each backend, and the server against the file
    // at the largest.
    println!("{:>11}{:>11}{:>11}", "SQLite ×", "PG ×", "PG/SQLite");
    for (row, (name, _)) in columns[0].iter().enumerate() {
        print!("{name:<30}");
        for column in &columns {
            print!("{:>11.2}", column[row].1);
        }
        let last = columns.len() - 1;
        println!(
            "{:>11.2}{:>11.2}{:>11.2}",
            columns[last - 1][row].1 / columns[0][row].1,
            columns[last][row].1 / columns[1][row].1,
            columns[last][row].1 / columns[last - 1][row].1
        );
    }
}
