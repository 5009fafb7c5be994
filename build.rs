//! Checks the files in `migrations/` (SQLite) and `migrations/postgres/` (their PostgreSQL twins),
//! and fails the build when the two sets differ in versions or names (each backend's crate embeds
//! its own set).

use std::path::Path;

// The embedding (`embedded_set`) is the backend crates'.
#[allow(dead_code)]
#[path = "crates/tasktui-core/src/migration_files.rs"]
mod migration_files;

use migration_files::{read_set, unpaired_twins};

/// The folder of the PostgreSQL twins, inside `migrations/`.
const TWINS: &str = "postgres";

fn main() {
    // refinery#309: a new migration file is invisible until something forces a rebuild.
    println!("cargo::rerun-if-changed=migrations");
    println!("cargo::rerun-if-changed=migrations/{TWINS}");
    // The PostgreSQL tests run when a server is named, and are otherwise compiled as ignored, so
    // a run without one counts them as skipped, never as passed.
    println!("cargo::rerun-if-env-changed=TASKTUI_TEST_POSTGRES");
    println!("cargo::rustc-check-cfg=cfg(postgres_tests)");
    if std::env::var("TASKTUI_TEST_POSTGRES").is_ok_and(|url| !url.trim().is_empty()) {
        println!("cargo::rustc-cfg=postgres_tests");
    }
    // The same for the test that imports what taskwarrior itself exports: it runs where `task`
    // is on the PATH (.ci/run installs it), and is counted as skipped elsewhere.
    println!("cargo::rerun-if-env-changed=PATH");
    println!("cargo::rustc-check-cfg=cfg(taskwarrior_tests)");
    let on_path = |name: &str| {
        std::env::var_os("PATH")
            .is_some_and(|path| std::env::split_paths(&path).any(|dir| dir.join(name).is_file()))
    };
    if on_path("task") {
        println!("cargo::rustc-cfg=taskwarrior_tests");
    }
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
    let sqlite = read_set(&dir, Some(TWINS)).unwrap_or_else(|p| fail(&p));
    let postgres = read_set(&dir.join(TWINS), None).unwrap_or_else(|p| fail(&p));
    let problems = unpaired_twins(&sqlite, &postgres, TWINS);
    if !problems.is_empty() {
        fail(&problems);
    }
}

fn fail(problems: &[String]) -> ! {
    eprintln!("migrations/ has problems that refinery would silently skip or misread:");
    for p in problems {
        eprintln!("  {p}");
    }
    std::process::exit(1);
}
