//! Both backends in one run, side by side: the whole process in a 120×36 pseudo-terminal on the
//! same demo data, a SQLite file and a PostgreSQL database on the server
//! `TASKTUI_BENCH_POSTGRES` (else `TASKTUI_TEST_POSTGRES`) names, medians in ms at 10k and 100k
//! tasks. The server's databases are made once (`tasktui_bench_<n>`, an import of the file's
//! export) and kept. DESIGN's budget for a server on the same machine at 100k: first frame
//! ≤ 30 ms, a navigation key ≤ 3 ms, a filter key ≤ 15 ms.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)] // a benchmark fails loudly

mod data;
mod pty;

use pty::{COLS, ROWS, Session, median, title};
use std::path::Path;
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
    let total = format!("/{tasks})");
    let mut times = Vec::new();
    for i in 0..RUNS {
        let want = if i % 2 == 0 {
            format!("({tasks}{total}")
        } else {
            format!("(1{total}")
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
    figures.push(("filter (f o, f a)", median(times)));
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
    let (mut done, mut undone) = (Vec::new(), Vec::new());
    for _ in 0..RUNS {
        done.push(s.key("x", |screen| screen.contains(" is done")));
        undone.push(s.key("u", |screen| screen.contains("undid:")));
    }
    figures.push(("done (x)", median(done)));
    figures.push(("undo (u)", median(undone)));
    for query in ["e", "cer", "qz"] {
        let mut times = Vec::new();
        for _ in 0..=RUNS / 2 {
            s.key("/", |screen| screen.contains("/▏"));
            for end in 1..=query.len() {
                let typed = format!("/{}▏", &query[..end]);
                let time = s.key(&query[end - 1..end], move |screen| {
                    screen.contains(&typed) && !screen.contains("searching…")
                });
                if end == query.len() {
                    times.push(time);
                }
            }
            s.key("\x1b", |screen| !screen.contains("▏"));
        }
        figures.push((
            match query {
                "e" => "search \"e\": its matches",
                "cer" => "search \"cer\": its matches",
                _ => "search \"qz\" (none): its matches",
            },
            median(times),
        ));
    }
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
    let sizes = [10_000u64, 100_000];
    let mut columns = Vec::new();
    for tasks in sizes {
        let file = data::database(tasks);
        let url = server_database(&admin, &file, tasks);
        columns.push(measure(file.to_str().unwrap(), tasks));
        columns.push(measure(&url, tasks));
    }
    print!("{:<28}", "");
    for tasks in sizes {
        print!(
            "{:>12}{:>12}",
            format!("SQLite {}k", tasks / 1000),
            format!("PG {}k", tasks / 1000)
        );
    }
    println!("{:>12}", "PG/SQLite");
    for (row, (name, _)) in columns[0].iter().enumerate() {
        print!("{name:<28}");
        for column in &columns {
            print!("{:>12.2}", column[row].1);
        }
        let last = columns.len() - 1;
        println!("{:>12.2}", columns[last][row].1 / columns[last - 1][row].1);
    }
}
