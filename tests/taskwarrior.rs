//! Moving in from taskwarrior: an export made by taskwarrior itself (Debian's `taskwarrior`,
//! installed by `.ci/run`) imported through the binary.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

mod support;

use std::process::Command;
use tempfile::TempDir;

/// Runs taskwarrior on its own data folder, answering no question.
fn task(dir: &TempDir, args: &[&str]) -> String {
    let o = Command::new("task")
        .args(["rc.confirmation=off", "rc.verbose=nothing"])
        .args(args)
        .env("TASKRC", dir.path().join("taskrc"))
        .env("TASKDATA", dir.path().join("data"))
        .output()
        .expect("taskwarrior (`task`) runs");
    assert!(
        o.status.success(),
        "task {args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout).unwrap()
}

#[test]
fn a_taskwarrior_export_moves_in_with_its_projects_tags_priorities_and_annotations() {
    if Command::new("task").arg("--version").output().is_err() {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must install taskwarrior (.ci/run does)"
        );
        eprintln!("skipped: taskwarrior is not installed (apt-get install taskwarrior)");
        return;
    }
    let dir = TempDir::new().unwrap();
    std::fs::write(dir.path().join("taskrc"), "").unwrap();
    task(
        &dir,
        &[
            "add",
            "Fix the login page",
            "project:web.auth",
            "+backend",
            "+bug",
            "priority:H",
            "due:2026-12-01",
        ],
    );
    task(&dir, &["add", "Write the notes", "priority:L"]);
    task(&dir, &["add", "Gone for good"]);
    task(&dir, &["add", "Started one", "priority:M"]);
    task(&dir, &["1", "annotate", "Customer reported it"]);
    task(&dir, &["4", "start"]);
    task(&dir, &["3", "delete"]);
    task(&dir, &["2", "done"]);
    let export = task(&dir, &["export"]);
    let file = dir.path().join("tw.json");
    std::fs::write(&file, export).unwrap();
    let db = dir.path().join("t.db");
    let o = support::command(
        &db,
        &["import", "--format", "taskwarrior", file.to_str().unwrap()],
    )
    .output()
    .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stdout).contains("imported 0 users and 3 tasks"));
    let o = support::command(&db, &["list", "--json", "--sort", "title"])
        .output()
        .unwrap();
    let tasks: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let by_title = |title: &str| {
        tasks
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["title"] == title)
            .unwrap_or_else(|| panic!("{title} missing: {tasks}"))
            .clone()
    };
    let fix = by_title("Fix the login page");
    assert_eq!(fix["priority"], "high");
    assert_eq!(fix["due"], "2026-12-01");
    assert_eq!(fix["status"], "todo");
    assert_eq!(
        fix["tags"],
        serde_json::json!(["backend", "bug", "project/web/auth"])
    );
    assert!(
        fix["description"]
            .as_str()
            .unwrap()
            .ends_with("Customer reported it"),
        "{fix}"
    );
    let notes = by_title("Write the notes");
    assert_eq!(
        (notes["status"].as_str(), notes["priority"].as_str()),
        (Some("done"), Some("low"))
    );
    assert!(notes["completed_at"].is_string());
    assert_eq!(by_title("Started one")["status"], "doing");
    assert!(
        !tasks.to_string().contains("Gone for good"),
        "deleted tasks stay behind"
    );
    // Not an export at all: one line, nothing written.
    std::fs::write(&file, "{\"not\": \"a list\"}").unwrap();
    let before = std::fs::read(&db).unwrap();
    let o = support::command(
        &db,
        &["import", "--format", "taskwarrior", file.to_str().unwrap()],
    )
    .output()
    .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("not a taskwarrior export"));
    assert_eq!(std::fs::read(&db).unwrap(), before);
}
