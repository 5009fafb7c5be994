//! Embeds the SQLite migrations in `migrations/` (the application's build checks that they pair
//! with their PostgreSQL twins by version and name).

use std::path::Path;

// The pairing check (`unpaired_twins`) is the application build's.
#[allow(dead_code)]
#[path = "../tasktui-core/src/migration_files.rs"]
mod migration_files;

/// The folder of the PostgreSQL twins, inside `migrations/`: not SQLite's.
const TWINS: &str = "postgres";

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../migrations");
    // refinery#309: a new migration file is invisible until something forces a rebuild.
    println!("cargo::rerun-if-changed={}", dir.display());
    let fail = |problems: Vec<String>| -> ! {
        eprintln!("migrations/ has problems that refinery would silently skip or misread:");
        for p in problems {
            eprintln!("  {p}");
        }
        std::process::exit(1);
    };
    let set = migration_files::read_set(&dir, Some(TWINS)).unwrap_or_else(|p| fail(p));
    let code = migration_files::embedded_set(&dir, &set).unwrap_or_else(|p| fail(p));
    let out = std::env::var("OUT_DIR").unwrap_or_else(|e| fail(vec![e.to_string()]));
    let target = Path::new(&out).join("migrations.rs");
    std::fs::write(&target, code)
        .unwrap_or_else(|e| fail(vec![format!("{}: {e}", target.display())]));
}
