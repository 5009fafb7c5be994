//! Embeds the PostgreSQL twins in `migrations/postgres/` (the application's build checks that
//! they pair with SQLite's by version and name).

use std::path::Path;

// The pairing check (`unpaired_twins`) is the application build's.
#[allow(dead_code)]
#[path = "../tasktui-core/src/migration_files.rs"]
mod migration_files;

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../migrations/postgres");
    println!("cargo::rerun-if-changed={}", dir.display());
    let fail = |problems: Vec<String>| -> ! {
        eprintln!(
            "migrations/postgres/ has problems that refinery would silently skip or misread:"
        );
        for p in problems {
            eprintln!("  {p}");
        }
        std::process::exit(1);
    };
    let set = migration_files::read_set(&dir, None).unwrap_or_else(|p| fail(p));
    let code = migration_files::embedded_set(&dir, &set).unwrap_or_else(|p| fail(p));
    let out = std::env::var("OUT_DIR").unwrap_or_else(|e| fail(vec![e.to_string()]));
    let target = Path::new(&out).join("migrations_postgres.rs");
    std::fs::write(&target, code)
        .unwrap_or_else(|e| fail(vec![format!("{}: {e}", target.display())]));
}
