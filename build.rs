//! Checks the files in `migrations/` (SQLite) and `migrations/postgres/` (their PostgreSQL twins),
//! fails the build when the two sets differ in versions or names, and embeds every up and down
//! migration of both in the binary.

use std::fmt::Write as _;
use std::path::Path;

#[path = "src/store/migration_files.rs"]
mod migration_files;

use migration_files::{MigrationFile, Revert, check_migration_files, unpaired_twins};

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
    let sqlite = read_set(&dir, true);
    let postgres = read_set(&dir.join(TWINS), false);
    let problems = unpaired_twins(&sqlite, &postgres, TWINS);
    if !problems.is_empty() {
        fail(&problems);
    }
    let out = std::env::var("OUT_DIR").unwrap_or_else(|e| fail(&[e.to_string()]));
    let out = Path::new(&out);
    write_set(&dir, &sqlite, &out.join("migrations.rs"));
    write_set(
        &dir.join(TWINS),
        &postgres,
        &out.join("migrations_postgres.rs"),
    );
}

/// The migrations of one folder, checked; `twins` allows the folder of the PostgreSQL twins.
fn read_set(dir: &Path, twins: bool) -> Vec<MigrationFile> {
    let mut problems = Vec::new();
    let mut files = Vec::new();
    let entries =
        std::fs::read_dir(dir).unwrap_or_else(|e| fail(&[format!("{}: {e}", dir.display())]));
    for entry in entries {
        let entry = entry.unwrap_or_else(|e| fail(&[format!("{}: {e}", dir.display())]));
        let name = entry.file_name().to_string_lossy().into_owned();
        if entry.path().is_dir() {
            if !(twins && name == TWINS) {
                // A migration hidden in another folder would run unreviewed, or never.
                problems.push(format!(
                    "{name}/: no folders in migrations/ besides {TWINS}/"
                ));
            }
        } else {
            files.push(name);
        }
    }
    match check_migration_files(&files) {
        Ok(found) if problems.is_empty() => found,
        Ok(_) => fail(&problems),
        Err(more) => {
            problems.extend(more);
            fail(&problems)
        }
    }
}

fn write_set(dir: &Path, migrations: &[MigrationFile], out: &Path) {
    let mut code = String::from("&[\n");
    for m in migrations {
        let read = |file: &str| {
            let path = dir.join(file);
            let text =
                std::fs::read_to_string(&path).unwrap_or_else(|e| fail(&[format!("{file}: {e}")]));
            if text.trim().is_empty() {
                fail(&[format!("{file}: the file is empty")]);
            }
            path
        };
        let up = read(&m.up_file);
        let revert = match &m.revert {
            Revert::Down(file) => format!("EmbeddedRevert::Down(include_str!({:?}))", read(file)),
            Revert::Irreversible(file) => {
                format!(
                    "EmbeddedRevert::Irreversible(include_str!({:?}))",
                    read(file)
                )
            }
        };
        let _ = writeln!(
            code,
            "    EmbeddedMigration {{ version: {}, name: {:?}, up: include_str!({:?}), revert: {revert} }},",
            m.version, m.name, up
        );
    }
    code.push(']');
    std::fs::write(out, code).unwrap_or_else(|e| fail(&[format!("{}: {e}", out.display())]));
}

fn fail(problems: &[String]) -> ! {
    eprintln!("migrations/ has problems that refinery would silently skip or misread:");
    for p in problems {
        eprintln!("  {p}");
    }
    std::process::exit(1);
}
