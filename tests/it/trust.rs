//! Nobody's work undone or lost by someone else, each tried as the person who met it would: an
//! undo that would take away another's work, an import as one change of the history, many
//! writers on one file at once (merged where they touch different things), one id given twice.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

use crate::support;

use support::{code, err, out, run};

use std::path::Path;
use std::process::Output;
use tempfile::TempDir;

fn as_person(db: &Path, person: &str, args: &[&str]) -> Output {
    let mut command = support::command(db, args);
    command.env("TASKTUI_USER", person);
    run(command)
}

#[test]
fn an_undo_never_takes_away_what_someone_else_built_on_it() {
    let dir = TempDir::new().unwrap();
    let db = dir.path().join("t.db");
    as_person(&db, "x", &["add", "Task one"]);
    as_person(&db, "x", &["user", "add", "zed"]);
    let y = as_person(&db, "y", &["edit", "1", "--user", "zed"]);
    assert!(y.status.success(), "{}", err(&y));
    let before = std::fs::read(&db).unwrap();

    let undo = as_person(&db, "x", &["undo"]);
    assert_eq!(code(&undo), 1, "{}", out(&undo));
    assert!(
        err(&undo).contains("y's later change “assign #1 “Task one” to zed” builds on it"),
        "{}",
        err(&undo)
    );
    assert_eq!(std::fs::read(&db).unwrap(), before, "a refused undo wrote");
    let list = out(&as_person(&db, "x", &["list"]));
    assert!(list.contains("zed"), "{list}");

    // y's own undo still works; then x's goes through, since nothing stands on it any more.
    let y_undo = as_person(&db, "y", &["undo"]);
    assert!(
        out(&y_undo).contains("undid: assign #1"),
        "{}",
        err(&y_undo)
    );
    let undo = as_person(&db, "x", &["undo"]);
    assert!(out(&undo).contains("undid: add user zed"), "{}", err(&undo));

    // A row changed since by someone else refuses the undo of the change before it, and a
    // redo is refused the same way when someone built on the undone state.
    as_person(&db, "x", &["edit", "1", "--title", "x's title"]);
    as_person(&db, "y", &["edit", "1", "--priority", "high"]);
    let undo = as_person(&db, "x", &["undo"]);
    assert_eq!(code(&undo), 1);
    assert!(err(&undo).contains("y's later change"), "{}", err(&undo));
}

/// A file may hold one title twice at the same second (the demo stamps every task with the time
/// it ran): the second is not "already here" because the first just came with it. The demo's
/// own export imports into a new file, and only a second import of it is refused.
#[test]
fn an_export_with_one_title_twice_at_the_same_second_imports_whole() {
    let dir = TempDir::new().unwrap();
    let demo = dir.path().join("demo.db");
    let out = as_person(&demo, "x", &["demo", "--tasks", "300", "--users", "3"]);
    assert!(out.status.success(), "{}", err(&out));
    let file = dir.path().join("demo.json");
    let out = as_person(&demo, "x", &["export", "--output", file.to_str().unwrap()]);
    assert!(out.status.success(), "{}", err(&out));
    let text = std::fs::read_to_string(&file).unwrap();
    let data: serde_json::Value = serde_json::from_str(&text).unwrap();
    let pairs: std::collections::HashSet<(String, String)> = data["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| (t["title"].to_string(), t["created_at"].to_string()))
        .collect();
    assert!(pairs.len() < 300, "some title repeats at the same second");
    let fresh = dir.path().join("fresh.db");
    let out = as_person(&fresh, "x", &["import", file.to_str().unwrap()]);
    assert!(out.status.success(), "{}", err(&out));
    assert!(out_text(&out).contains("300 tasks"), "{}", out_text(&out));
    let again = as_person(&fresh, "x", &["import", file.to_str().unwrap()]);
    assert_eq!(code(&again), 2, "{}", out_text(&again));
    assert!(err(&again).contains("is already here"), "{}", err(&again));
}

fn out_text(output: &Output) -> String {
    out(output)
}

#[test]
fn an_import_is_one_change_in_the_history_and_its_undo_removes_exactly_what_it_added() {
    let dir = TempDir::new().unwrap();
    let source = dir.path().join("source.db");
    as_person(&source, "x", &["user", "add", "bob"]);
    as_person(&source, "x", &["add", "Task one", "--user", "bob"]);
    as_person(&source, "x", &["add", "Task two"]);
    let file = dir.path().join("more.json");
    as_person(
        &source,
        "x",
        &["export", "--output", file.to_str().unwrap()],
    );
    let file = file.to_str().unwrap();

    let db = dir.path().join("t.db");
    as_person(&db, "x", &["add", "older"]);
    let o = as_person(&db, "x", &["import", file]);
    assert!(
        out(&o).contains("imported 1 user and 2 tasks"),
        "{}",
        err(&o)
    );
    // A dry run writes nothing at all.
    let before = std::fs::read(&db).unwrap();
    let o = as_person(&db, "x", &["import", "--dry-run", "--again", file]);
    assert!(
        out(&o).contains("would import 0 users and 2 tasks"),
        "{}",
        err(&o)
    );
    assert_eq!(std::fs::read(&db).unwrap(), before);

    // Someone else built on the import: its undo is refused, naming them.
    as_person(&db, "y", &["edit", "3", "--title", "y's title"]);
    let o = as_person(&db, "x", &["undo"]);
    assert_eq!(code(&o), 1);
    assert!(err(&o).contains("y's later change “edit #3"), "{}", err(&o));
    as_person(&db, "y", &["undo"]);
    // The undo removes the import, and only the import.
    let o = as_person(&db, "x", &["undo"]);
    assert!(
        out(&o).contains("undid: import 1 user and 2 tasks"),
        "{}",
        err(&o)
    );
    let list = out(&as_person(&db, "x", &["list"]));
    assert!(list.contains("older"), "{list}");
    assert!(
        !list.contains("Task one") && !list.contains("Task two"),
        "{list}"
    );
    assert!(!out(&as_person(&db, "x", &["users"])).contains("bob"));
    let o = as_person(&db, "x", &["redo"]);
    assert!(out(&o).contains("redid: import"), "{}", err(&o));
    assert!(out(&as_person(&db, "x", &["list"])).contains("Task one"));
}

#[test]
fn the_same_id_twice_is_one_change_not_a_conflict_with_itself() {
    let dir = TempDir::new().unwrap();
    let db = dir.path().join("t.db");
    run(support::command(&db, &["add", "one"]));
    run(support::command(&db, &["add", "two"]));
    let o = run(support::command(&db, &["done", "2", "2"]));
    assert!(o.status.success(), "{}", err(&o));
    let o = run(support::command(&db, &["rm", "1", "1", "--yes"]));
    assert!(o.status.success(), "{}", err(&o));
}

/// Many writers on one file at once: every command waits its turn (nothing fails as busy), and
/// edits of one task that touch different things (tags, a due date, a title) are all merged.
#[test]
fn many_writers_at_once_all_succeed_and_edits_of_different_fields_merge() {
    let dir = TempDir::new().unwrap();
    let db = dir.path().join("t.db");
    for i in 0..20 {
        run(support::command(&db, &["add", &format!("task {i}")]));
    }
    let mut commands = Vec::new();
    for i in 0..20 {
        commands.push(support::command(&db, &["done", &(i + 1).to_string()]));
        let mut tag = support::command(&db, &["edit", "1", "--tag", &format!("t{i}")]);
        tag.env("TASKTUI_USER", format!("tagger{i}"));
        commands.push(tag);
    }
    commands.push(support::command(&db, &["edit", "1", "--due", "2027-01-15"]));
    commands.push(support::command(&db, &["edit", "1", "--title", "renamed"]));
    let outputs = support::run_together(commands);
    let failed: Vec<String> = outputs
        .iter()
        .filter(|o| !o.status.success())
        .map(err)
        .collect();
    assert!(failed.is_empty(), "{} failed: {failed:?}", failed.len());
    let task: serde_json::Value = serde_json::from_str(&out(&run(support::command(
        &db,
        &["list", "--search", "renamed", "--json"],
    ))))
    .unwrap();
    let task = &task[0];
    assert_eq!(task["due"], "2027-01-15", "{task}");
    assert_eq!(task["tags"].as_array().unwrap().len(), 20, "{task}");
    assert_eq!(
        out(&run(support::command(&db, &["list", "--status", "done"])))
            .lines()
            .count(),
        21
    );
}
