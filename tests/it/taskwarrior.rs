//! Moving in from taskwarrior: an export made by taskwarrior itself (Debian's `taskwarrior`,
//! installed by `.ci/run`) imported through the binary.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

use crate::support;

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
#[cfg_attr(
    not(taskwarrior_tests),
    ignore = "needs taskwarrior on the PATH (apt-get install taskwarrior)"
)]
fn a_taskwarrior_export_moves_in_with_its_projects_tags_priorities_and_annotations() {
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

/// CI installs taskwarrior: there its test must not be skipped.
#[test]
fn under_ci_the_taskwarrior_test_is_not_skipped() {
    let ci = std::env::var("CI").is_ok_and(|v| v == "true");
    if ci && !cfg!(taskwarrior_tests) {
        panic!("CI=true, but taskwarrior was not on the PATH at build time: .ci/run installs it");
    }
}

/// A due time is the day it falls on where the importer is (23:00 UTC is the next day in
/// Berlin); a recurring task comes in once (its instance, not also its template); what tasktui
/// has no place for is named in the summary.
#[test]
fn due_days_are_local_a_recurring_task_comes_in_once_and_what_is_left_is_said() {
    let dir = TempDir::new().unwrap();
    let file = dir.path().join("tw.json");
    std::fs::write(
        &file,
        r#"[
  {"uuid": "t-1", "status": "recurring", "description": "Water the plants", "entry": "20261201T090000Z",
   "due": "20261207T230000Z", "recur": "weekly", "mask": "-"},
  {"uuid": "i-1", "status": "pending", "description": "Water the plants", "entry": "20261201T090000Z",
   "due": "20261207T230000Z", "recur": "weekly", "parent": "t-1", "imask": 0},
  {"uuid": "w-1", "status": "pending", "description": "Later", "entry": "20261201T090000Z",
   "wait": "20261220T000000Z", "depends": ["i-1"]},
  {"uuid": "o-1", "status": "pending", "description": "Old style", "entry": "20261201T090000Z",
   "depends": "i-1,w-1"}
]"#,
    )
    .unwrap();
    for (zone, day) in [("CET-1", "2026-12-08"), ("UTC0", "2026-12-07")] {
        let db = dir.path().join(format!("{zone}.db"));
        let o = support::command(
            &db,
            &["import", "--format", "taskwarrior", file.to_str().unwrap()],
        )
        .env("TZ", zone)
        .output()
        .unwrap();
        let said = String::from_utf8_lossy(&o.stdout);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        assert!(said.contains("imported 0 users and 3 tasks"), "{said}");
        assert!(
            said.contains("left behind (tasktui has no place for them yet): the dependencies of 2 tasks (depends), the wait dates of 1 task (wait), the recurrence rules of 1 task (recur)"),
            "{said}"
        );
        let o = support::command(&db, &["list", "--json", "--search", "plants"])
            .output()
            .unwrap();
        let tasks: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        assert_eq!(tasks.as_array().unwrap().len(), 1, "{tasks}");
        assert_eq!(tasks[0]["due"], day, "{zone}: {tasks}");
    }
}
