//! The README stays true on a fresh machine: its Rust version is the one the build needs, its
//! install command takes the tested versions, and its examples (scripting, the `db` commands and
//! the worked example of tags) run from nothing and print what they show (times and backup names
//! aside).
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

use std::path::Path;
use std::process::Command;

fn readme() -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap()
}

#[test]
fn the_rust_version_and_install_command_are_the_ones_the_build_needs() {
    let manifest =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml")).unwrap();
    let version = manifest
        .lines()
        .find_map(|l| l.strip_prefix("rust-version = \""))
        .unwrap()
        .trim_end_matches('"');
    let text = readme();
    assert!(
        text.contains(&format!("Rust toolchain ({version} or newer)")),
        "README and Cargo.toml disagree on {version}"
    );
    let install = text
        .lines()
        .find(|l| l.starts_with("cargo install"))
        .unwrap();
    assert!(install.contains("--locked"), "{install}");
    let first_docker = text.lines().find(|l| l.starts_with("docker run")).unwrap();
    assert!(
        first_docker.contains("--migrate-only"),
        "the first container command must work on a fresh volume: {first_docker}"
    );
}

/// Digits in times and backup names differ from run to run.
fn normalised(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_ascii_digit() { '0' } else { c })
        .collect::<String>()
        .lines()
        .map(str::trim_end)
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn the_db_examples_run_from_nothing_and_print_what_they_show() {
    let text = readme();
    let blocks: Vec<&str> = text
        .split("```console\n")
        .skip(1)
        .map(|b| &b[..b.find("```").unwrap()])
        .filter(|b| b.starts_with("$ tasktui "))
        .collect();
    assert!(
        blocks.len() >= 4,
        "the scripting example, the db example and the worked example of V9"
    );
    // Each example runs in its own folder; the blocks of one example share it.
    let dir = tempfile::TempDir::new().unwrap();
    let bin = Path::new(env!("CARGO_BIN_EXE_tasktui")).parent().unwrap();
    for block in blocks {
        let mut expected = String::new();
        let mut got = String::new();
        for line in block.lines() {
            if let Some(command) = line.strip_prefix("$ ") {
                if let Some(rest) = command.strip_prefix("sqlite3 ") {
                    // The SQL the README hands to sqlite3, run the same way.
                    let (file, sql) = rest.split_once(' ').unwrap();
                    rusqlite::Connection::open(dir.path().join(file))
                        .unwrap()
                        .execute_batch(sql.trim_matches('"'))
                        .unwrap();
                    continue;
                }
                let out = Command::new("sh")
                    .arg("-c")
                    .arg(command)
                    .current_dir(dir.path())
                    .env(
                        "PATH",
                        format!("{}:{}", bin.display(), std::env::var("PATH").unwrap()),
                    )
                    .env_remove("TASKTUI_DB")
                    .env("TASKTUI_CONFIG", "/dev/null")
                    .env("TASKTUI_LOG", "off")
                    .output()
                    .unwrap();
                got.push_str(&String::from_utf8_lossy(&out.stdout));
                // A command shown failing shows what it says on stderr too; one that fails
                // unshown cannot match what the README prints.
                if !out.status.success() {
                    got.push_str(&String::from_utf8_lossy(&out.stderr));
                }
            } else {
                expected.push_str(line);
                expected.push('\n');
            }
        }
        assert_eq!(normalised(&got), normalised(&expected));
    }
}
