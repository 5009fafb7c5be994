//! The benchmark databases: made once with the demo generator, kept in target/bench-data.
#![allow(clippy::unwrap_used, dead_code)] // a benchmark fails loudly; shared by several benches

use std::path::PathBuf;
use tasktui_sqlite::{FileLocation, Store};

/// The task counts to measure: 1k, 10k and 100k, and 1M with TASKTUI_BENCH_MILLION=1.
pub fn sizes() -> Vec<u64> {
    let mut sizes = vec![1_000, 10_000, 100_000];
    if std::env::var_os("TASKTUI_BENCH_MILLION").is_some() {
        sizes.push(1_000_000);
    }
    sizes
}

/// A database of `tasks` demo tasks among 50 users.
pub fn database(tasks: u64) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("target")
        .join("bench-data");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("tasks-{tasks}.db"));
    if !path.exists() {
        let store = Store::open(&FileLocation::Explicit(path.clone()))
            .unwrap()
            .store;
        tasktui_sqlite::demo::fill(
            &store,
            tasktui_sqlite::demo::Spec {
                tasks,
                users: 50,
                seed: 1,
            },
        )
        .unwrap();
    }
    path
}
