//! Checks the files in `migrations/` and embeds every up and down migration in the binary.

use std::fmt::Write as _;
use std::path::Path;

#[path = "src/store/migration_files.rs"]
mod migration_files;

use migration_files::{Revert, check_migration_files};

fn main() {
    // refinery#309: a new migration file is invisible until something forces a rebuild.
    println!("cargo::rerun-if-changed=migrations");
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
    let mut problems = Vec::new();
    let mut files = Vec::new();
    let entries =
        std::fs::read_dir(&dir).unwrap_or_else(|e| fail(&[format!("{}: {e}", dir.display())]));
    for entry in entries {
        let entry = entry.unwrap_or_else(|e| fail(&[format!("{}: {e}", dir.display())]));
        let name = entry.file_name().to_string_lossy().into_owned();
        if entry.path().is_dir() {
            // refinery walks subfolders too; a migration hidden in one would run unreviewed.
            problems.push(format!("{name}/: no folders in migrations/"));
        } else {
            files.push(name);
        }
    }
    let migrations = match check_migration_files(&files) {
        Ok(found) if problems.is_empty() => found,
        Ok(_) => fail(&problems),
        Err(more) => {
            problems.extend(more);
            fail(&problems)
        }
    };

    let mut code = String::from("&[\n");
    for m in &migrations {
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
    let out = Path::new(&std::env::var("OUT_DIR").unwrap_or_else(|e| fail(&[e.to_string()])))
        .join("migrations.rs");
    std::fs::write(&out, code).unwrap_or_else(|e| fail(&[format!("{}: {e}", out.display())]));
}

fn fail(problems: &[String]) -> ! {
    eprintln!("migrations/ has problems that refinery would silently skip or misread:");
    for p in problems {
        eprintln!("  {p}");
    }
    std::process::exit(1);
}
