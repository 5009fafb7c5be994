//! The task commands for scripts, through the binary on real files: what they print, the
//! changes they make (the interface's own values, with its undo), and bad input refused with
//! exit 2 and the file unchanged.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

use crate::support;

use std::path::{Path, PathBuf};
use tempfile::TempDir;

fn run(db: &Path, args: &[&str]) -> std::process::Output {
    support::command(db, args)
        .env("TASKTUI_USER", "alice")
        .output()
        .unwrap()
}

fn ok(db: &Path, args: &[&str]) -> String {
    let o = run(db, args);
    assert!(
        o.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout).unwrap()
}

/// alice and bob, and three tasks: #1 alice's (tag backend, due in the past), #2 bob's, #3 nobody's.
fn database(dir: &TempDir) -> PathBuf {
    let db = dir.path().join("t.db");
    ok(&db, &["user", "add", "alice", "--full-name", "Alice A"]);
    ok(&db, &["user", "add", "bob"]);
    ok(
        &db,
        &[
            "add",
            "Fix login",
            "--user",
            "alice",
            "--tag",
            "backend",
            "--due",
            "2020-01-01",
            "--priority",
            "high",
        ],
    );
    ok(
        &db,
        &[
            "add",
            "Write notes",
            "--user",
            "bob",
            "--description",
            "two\nlines",
        ],
    );
    ok(&db, &["add", "Order chairs"]);
    db
}

#[test]
fn add_prints_the_new_id_and_list_shows_tasks_as_a_table_or_json() {
    let dir = TempDir::new().unwrap();
    let db = database(&dir);
    assert_eq!(ok(&db, &["add", "Fourth"]).trim(), "4");
    let table = ok(&db, &["list"]);
    let lines: Vec<&str> = table.lines().collect();
    assert!(
        lines[0].contains("id") && lines[0].contains("title"),
        "{table}"
    );
    assert_eq!(lines.len(), 5, "{table}");
    assert!(table.contains("Fix login #backend"), "{table}");
    assert!(table.contains("high"), "{table}");
    let json: serde_json::Value = serde_json::from_str(&ok(&db, &["list", "--json"])).unwrap();
    let first = &json[0];
    assert_eq!(first["id"], 1);
    assert_eq!(first["title"], "Fix login");
    assert_eq!(first["assignee"], "alice");
    assert_eq!(first["priority"], "high");
    assert_eq!(first["due"], "2020-01-01");
    assert_eq!(first["tags"], serde_json::json!(["backend"]));
    assert_eq!(json[1]["description"], "two\nlines");
    // Filters.
    let ids = |args: &[&str]| -> Vec<i64> {
        let mut all = vec!["list", "--json"];
        all.extend_from_slice(args);
        let v: serde_json::Value = serde_json::from_str(&ok(&db, &all)).unwrap();
        v.as_array()
            .unwrap()
            .iter()
            .map(|t| t["id"].as_i64().unwrap())
            .collect()
    };
    assert_eq!(ids(&["--user", "bob"]), [2]);
    assert_eq!(ids(&["--unassigned"]), [3, 4]);
    assert_eq!(ids(&["--mine"]), [1]);
    assert_eq!(ids(&["--tag", "backend"]), [1]);
    assert_eq!(ids(&["--overdue"]), [1]);
    assert_eq!(ids(&["--due-before", "2021-01-01"]), [1]);
    assert_eq!(ids(&["--search", "chairs"]), [3]);
    assert_eq!(ids(&["--sort", "title", "--limit", "2"]), [1, 4]);
    assert_eq!(ids(&["--status", "todo", "--limit", "1"]), [1]);
}

#[test]
fn list_is_coloured_and_fitted_at_a_terminal_and_plain_under_no_color_or_piped() {
    let dir = TempDir::new().unwrap();
    let db = database(&dir);
    let args = ["list", "--db", db.to_str().unwrap()];
    let mut term = support::Terminal::start_with_env(&args, &[], 60, 10);
    assert_eq!(term.wait_exit(), 0);
    let screen = term.wait_for("Order chairs");
    assert!(term.any_colour(), "{screen}");
    // Fitted to the 60 columns: the long line is cut with an ellipsis, not wrapped.
    assert!(screen.contains("Fix login #ba…"), "{screen}");
    assert_eq!(
        screen.lines().filter(|l| !l.trim().is_empty()).count(),
        4,
        "{screen}"
    );

    let mut term = support::Terminal::start_with_env(&args, &[("NO_COLOR", "1")], 60, 10);
    assert_eq!(term.wait_exit(), 0);
    let plain = term.wait_for("Order chairs");
    assert!(!term.any_colour(), "{plain}");
    assert_eq!(plain, screen, "the same text without colour");

    let piped = ok(&db, &["list"]);
    assert!(!piped.contains('\x1b'), "{piped:?}");
    assert!(
        piped.contains("Fix login #backend"),
        "whole lines when piped: {piped}"
    );
}

#[test]
fn done_and_rm_are_one_change_each_and_undo_and_redo_share_the_interface_s_history() {
    let dir = TempDir::new().unwrap();
    let db = database(&dir);
    assert_eq!(ok(&db, &["done", "1", "2"]).trim(), "mark 2 tasks done");
    assert_eq!(ok(&db, &["undo"]).trim(), "undid: mark 2 tasks done");
    assert_eq!(ok(&db, &["redo"]).trim(), "redid: mark 2 tasks done");
    // Without a terminal, rm needs --yes, and nothing is deleted until then.
    let before = std::fs::read(&db).unwrap();
    let o = run(&db, &["rm", "3"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--yes"));
    assert_eq!(std::fs::read(&db).unwrap(), before, "the file is unchanged");
    assert_eq!(
        ok(&db, &["rm", "3", "--yes"]).trim(),
        "delete #3 “Order chairs”"
    );
    assert_eq!(ok(&db, &["undo"]).trim(), "undid: delete #3 “Order chairs”");
    assert!(ok(&db, &["list"]).contains("Order chairs"));
    // At a terminal, rm asks first: anything but yes deletes nothing.
    let args = ["rm", "3", "--db", db.to_str().unwrap()];
    let mut term = support::Terminal::start_with_env(&args, &[("TASKTUI_USER", "alice")], 80, 10);
    term.wait_for("Delete #3 “Order chairs”? [y/N]");
    term.type_keys("n\r");
    term.wait_for("nothing was deleted");
    assert_eq!(term.wait_exit(), 0);
    assert!(ok(&db, &["list"]).contains("Order chairs"));
    let mut term = support::Terminal::start_with_env(&args, &[("TASKTUI_USER", "alice")], 80, 10);
    term.wait_for("[y/N]");
    term.type_keys("y\r");
    term.wait_for("delete #3 “Order chairs”");
    assert_eq!(term.wait_exit(), 0);
    assert!(!ok(&db, &["list"]).contains("Order chairs"));
    ok(&db, &["undo"]);
    // Another person's history is their own.
    let o = support::command(&db, &["undo"])
        .env("TASKTUI_USER", "bob")
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&o.stdout).trim(), "nothing to undo");
}

#[test]
fn users_lists_them_as_a_table_or_json() {
    let dir = TempDir::new().unwrap();
    let db = database(&dir);
    let table = ok(&db, &["users"]);
    assert!(
        table
            .lines()
            .any(|l| l.starts_with("alice") && l.contains("Alice A")),
        "{table}"
    );
    ok(
        &db,
        &["user", "add", "carol", "--email", "carol@example.com"],
    );
    let json: serde_json::Value = serde_json::from_str(&ok(&db, &["users", "--json"])).unwrap();
    assert_eq!(json[2]["username"], "carol");
    assert_eq!(json[2]["email"], "carol@example.com");
    assert_eq!(json[0]["username"], "alice");
    assert_eq!(json[0]["open_tasks"], 1);
    assert_eq!(json[0]["overdue_tasks"], 1);
}

#[test]
fn bad_input_exits_2_with_one_line_and_leaves_the_file_unchanged() {
    let dir = TempDir::new().unwrap();
    let db = database(&dir);
    let before = std::fs::read(&db).unwrap();
    for (args, says) in [
        (&["add", " "][..], "title"),
        (&["add", "x", "--due", "someday"], "someday"),
        (&["add", "x", "--priority", "urgent"], "urgent"),
        (&["add", "x", "--user", "nobody"], "no user \"nobody\""),
        (&["add", "x", "--tag", "a,b"], "a,b"),
        (&["done", "42"], "no task 42"),
        (&["rm", "1", "42", "--yes"], "no task 42"),
        (&["list", "--status", "later"], "later"),
        (&["list", "--sort", "size"], "size"),
        (&["list", "--user", "zed"], "zed"),
        (&["user", "add", "bad name"], "username"),
        (&["user", "add", "ALICE"], "taken"),
        (&["user", "add", "carol", "--email", "nope"], "nope"),
        (&["user", "rm", "zed", "--unassign"], "zed"),
        (&["edit", "42", "--title", "x"], "no task 42"),
        (&["edit", "1", "--status", "later"], "later"),
        (&["edit", "1", "--title", ""], "title"),
        (&["edit", "1", "--tag", "a b"], "a b"),
        // What clap refuses is one line too, naming the help of the command.
        (
            &["edit", "1", "--user", "bob", "--unassign"],
            "tasktui edit --help",
        ),
        (&["list", "--limit", "many"], "tasktui list --help"),
        (&["add"], "<TITLE>"),
        (&["export", "--format", "xml"], "xml"),
        (&["import", "missing.json"], "missing.json"),
    ] {
        let o = run(&db, args);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
        assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
        assert!(err.contains(says), "{args:?}: {err}");
        assert!(o.stdout.is_empty(), "{args:?}");
        assert_eq!(
            std::fs::read(&db).unwrap(),
            before,
            "{args:?} changed the file"
        );
    }
}

#[test]
fn edit_changes_only_the_fields_given_as_one_change() {
    let dir = TempDir::new().unwrap();
    let db = database(&dir);
    let said = ok(
        &db,
        &[
            "edit",
            "1",
            "--title",
            "Fix login!",
            "--tag",
            "urgent",
            "--untag",
            "backend",
            "--status",
            "doing",
            "--user",
            "bob",
        ],
    );
    assert_eq!(
        said.trim(),
        "edit #1 “Fix login”: title, status, assignee, tags"
    );
    let json: serde_json::Value =
        serde_json::from_str(&ok(&db, &["list", "--json", "--user", "bob"])).unwrap();
    let task = json
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == 1)
        .unwrap();
    assert_eq!(task["title"], "Fix login!");
    assert_eq!(task["status"], "doing");
    assert_eq!(task["tags"], serde_json::json!(["urgent"]));
    assert_eq!(task["priority"], "high", "left alone");
    assert_eq!(task["due"], "2020-01-01", "left alone");
    ok(&db, &["edit", "1", "--due", "", "--unassign"]);
    let json: serde_json::Value =
        serde_json::from_str(&ok(&db, &["list", "--json", "--unassigned"])).unwrap();
    assert!(
        json.as_array()
            .unwrap()
            .iter()
            .any(|t| t["id"] == 1 && t["due"].is_null())
    );
    assert_eq!(
        ok(&db, &["undo"]).trim(),
        "undid: edit #1 “Fix login!”: due date, assignee"
    );
    let before = std::fs::read(&db).unwrap();
    for (args, says) in [
        (&["edit", "1"][..], "nothing to change"),
        (&["edit", "9", "--title", "x"], "no task 9"),
        (&["edit", "1", "--status", "finished"], "finished"),
        (&["edit", "1", "--tag", "#"], "a tag needs a name"),
    ] {
        let o = run(&db, args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(
            String::from_utf8_lossy(&o.stderr).contains(says),
            "{args:?}"
        );
        assert_eq!(std::fs::read(&db).unwrap(), before, "{args:?}");
    }
}

#[test]
fn user_rm_hands_the_tasks_on_or_refuses_to_guess() {
    let dir = TempDir::new().unwrap();
    let db = database(&dir);
    let before = std::fs::read(&db).unwrap();
    let o = run(&db, &["user", "rm", "alice"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&o.stderr)
            .contains("alice has 1 task: add --unassign, or --reassign OTHER")
    );
    assert_eq!(std::fs::read(&db).unwrap(), before);
    assert_eq!(
        ok(&db, &["user", "rm", "alice", "--reassign", "bob"]).trim(),
        "delete user alice"
    );
    let json: serde_json::Value =
        serde_json::from_str(&ok(&db, &["list", "--json", "--user", "bob"])).unwrap();
    assert_eq!(
        json.as_array().unwrap().len(),
        2,
        "alice's task went to bob"
    );
    ok(&db, &["undo"]);
    assert!(ok(&db, &["users"]).contains("alice"));
    assert_eq!(
        ok(&db, &["user", "rm", "bob", "--unassign"]).trim(),
        "delete user bob"
    );
    assert_eq!(
        ok(&db, &["list", "--unassigned", "--json"])
            .matches("\"id\"")
            .count(),
        2
    );
}

#[test]
fn an_export_imported_into_an_empty_database_exports_again_byte_for_byte() {
    let dir = TempDir::new().unwrap();
    let db = database(&dir);
    ok(&db, &["edit", "2", "--tag", "docs", "--status", "done"]);
    let file = dir.path().join("out.json");
    let said = ok(&db, &["export", "--output", file.to_str().unwrap()]);
    assert!(said.contains("exported 2 users and 3 tasks"), "{said}");
    let exported = std::fs::read(&file).unwrap();
    assert_eq!(
        ok(&db, &["export"]).as_bytes(),
        exported.as_slice(),
        "stdout and --output agree"
    );
    let empty = dir.path().join("empty.db");
    let said = ok(&empty, &["import", file.to_str().unwrap(), "--dry-run"]);
    assert_eq!(
        said.trim(),
        format!("would import 2 users and 3 tasks from {}", file.display())
    );
    assert!(!empty.exists(), "a dry run writes nothing");
    ok(&empty, &["import", file.to_str().unwrap()]);
    assert_eq!(ok(&empty, &["export"]).as_bytes(), exported.as_slice());
    // The import lifts the search trigger and the order indexes for speed: both are back,
    // exactly as the migrations made them, and the imported tasks are found.
    let checked = ok(&empty, &["db", "check"]);
    assert!(checked.contains(": ok at version"), "{checked}");
    let found = |db: &Path, text: &str| {
        ok(db, &["list", "--search", text, "--json"])
            .matches("\"id\"")
            .count()
    };
    assert_eq!(found(&empty, "chairs"), 1);
    // Again into the same database: refused, unless asked for; then users are matched by
    // username, taken ids get new ones.
    let before = std::fs::read(&empty).unwrap();
    let again = support::command(&empty, &["import", file.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(again.status.code(), Some(2));
    let said = String::from_utf8_lossy(&again.stderr);
    assert!(said.contains("is already here (and 2 more)"), "{said}");
    assert!(said.contains("`--again` imports it anyway"), "{said}");
    assert_eq!(std::fs::read(&empty).unwrap(), before);
    let said = ok(&empty, &["import", file.to_str().unwrap(), "--again"]);
    assert!(said.contains("imported 0 users and 3 tasks"), "{said}");
    assert_eq!(ok(&empty, &["list"]).lines().count(), 7);
    assert_eq!(
        found(&empty, "chairs"),
        2,
        "renumbered tasks are indexed too"
    );
    let checked = ok(&empty, &["db", "check"]);
    assert!(checked.contains(": ok at version"), "{checked}");
}

#[test]
fn an_import_with_a_bad_row_names_every_one_and_writes_nothing() {
    let dir = TempDir::new().unwrap();
    let db = database(&dir);
    let file = dir.path().join("out.json");
    ok(&db, &["export", "--output", file.to_str().unwrap()]);
    let mut data: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    data["tasks"][0]["status"] = "later".into();
    data["tasks"][2]["due"] = "soon".into();
    data["users"][1]["username"] = "bad name".into();
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, serde_json::to_vec(&data).unwrap()).unwrap();
    let target = dir.path().join("target.db");
    ok(&target, &["user", "add", "zoe"]);
    let before = std::fs::read(&target).unwrap();
    let o = run(&target, &["import", bad.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    for path in ["users[1].username", "tasks[0].status", "tasks[2].due"] {
        assert!(
            err.contains(&format!("{}: {path}: ", bad.display())),
            "{path}: {err}"
        );
    }
    assert!(err.contains("nothing was imported"), "{err}");
    assert_eq!(
        std::fs::read(&target).unwrap(),
        before,
        "the file is unchanged"
    );
    // Not JSON at all: the line and column.
    std::fs::write(&bad, "{\n  \"users\": [,]\n}").unwrap();
    let o = run(&target, &["import", bad.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("line 2 column"));
    assert_eq!(std::fs::read(&target).unwrap(), before);
}

#[test]
fn csv_exports_import_again_byte_for_byte_and_a_bad_row_is_named_by_its_line() {
    let dir = TempDir::new().unwrap();
    let db = database(&dir);
    let file = dir.path().join("out.csv");
    ok(
        &db,
        &[
            "export",
            "--format",
            "csv",
            "--output",
            file.to_str().unwrap(),
        ],
    );
    let exported = std::fs::read_to_string(&file).unwrap();
    assert!(
        exported.starts_with("record,username,full_name,email,id,title"),
        "{exported}"
    );
    assert!(
        exported.contains("\"two\nlines\""),
        "a multi-line description is quoted: {exported}"
    );
    let empty = dir.path().join("empty.db");
    ok(
        &empty,
        &["import", "--format", "csv", file.to_str().unwrap()],
    );
    assert_eq!(ok(&empty, &["export", "--format", "csv"]), exported);
    // The task on line 4 (under the header and the two users) with a bad status.
    let bad = dir.path().join("bad.csv");
    let lines: Vec<String> = exported
        .lines()
        .enumerate()
        .map(|(i, l)| {
            if i == 3 {
                l.replace(",todo,", ",later,")
            } else {
                l.to_string()
            }
        })
        .collect();
    std::fs::write(&bad, lines.join("\n") + "\n").unwrap();
    let target = dir.path().join("target.db");
    ok(&target, &["user", "add", "zoe"]);
    let before = std::fs::read(&target).unwrap();
    let o = run(
        &target,
        &["import", "--format", "csv", bad.to_str().unwrap()],
    );
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("line 4 (status): \"later\" must be todo, doing or done"),
        "{err}"
    );
    assert_eq!(std::fs::read(&target).unwrap(), before);
    std::fs::write(&bad, "record,username\nghost,x\n").unwrap();
    let o = run(
        &target,
        &["import", "--format", "csv", bad.to_str().unwrap()],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&o.stderr)
            .contains("line 2 (record): \"ghost\" is neither user nor task")
    );
}

#[test]
fn json_output_escapes_what_could_hide_text_on_a_terminal_and_keeps_its_meaning() {
    let dir = TempDir::new().unwrap();
    let db = dir.path().join("t.db");
    ok(&db, &["add", "plain"]);
    // Another tool writes a title that would reorder a terminal line.
    rusqlite::Connection::open(&db)
        .unwrap()
        .execute(
            "UPDATE tasks SET title = 'evil\u{202E}txt.exe' WHERE id = 1",
            [],
        )
        .unwrap();
    for args in [&["list", "--json"][..], &["export"]] {
        let out = ok(&db, args);
        assert!(!out.contains('\u{202E}'), "{args:?}: {out}");
        assert!(out.contains("evil\\u202etxt.exe"), "{args:?}: {out}");
    }
    let json: serde_json::Value = serde_json::from_str(&ok(&db, &["list", "--json"])).unwrap();
    assert_eq!(
        json[0]["title"], "evil\u{202E}txt.exe",
        "the same text to a parser"
    );
    let file = dir.path().join("out.json");
    ok(&db, &["export", "--output", file.to_str().unwrap()]);
    let empty = dir.path().join("empty.db");
    ok(&empty, &["import", file.to_str().unwrap()]);
    assert_eq!(
        ok(&empty, &["export"]).as_bytes(),
        std::fs::read(&file).unwrap().as_slice()
    );
}

#[test]
fn an_edit_that_changes_nothing_is_no_change_and_no_undo_step() {
    let dir = TempDir::new().unwrap();
    let db = database(&dir);
    let changes = |db: &Path| -> i64 {
        rusqlite::Connection::open(db)
            .unwrap()
            .query_row("SELECT count(*) FROM changes", [], |r| r.get(0))
            .unwrap()
    };
    let before = changes(&db);
    let said = ok(
        &db,
        &[
            "edit",
            "1",
            "--title",
            "Fix login",
            "--user",
            "alice",
            "--tag",
            "backend",
        ],
    );
    assert_eq!(said, "#1 is unchanged; nothing was saved\n");
    assert_eq!(changes(&db), before);
    // What does differ is saved, and only that.
    let said = ok(
        &db,
        &["edit", "1", "--title", "Fix login", "--status", "doing"],
    );
    assert!(said.contains("#1"), "{said}");
    assert_eq!(changes(&db), before + 1);
}

#[test]
fn a_due_date_in_the_past_or_in_words_is_a_value_not_a_flag() {
    let dir = TempDir::new().unwrap();
    let db = dir.path().join("t.db");
    for due in ["-1d", "eow", "in 2 weeks", "dec 24"] {
        let id = ok(&db, &["add", "t", "--due", due]);
        ok(&db, &["edit", id.trim(), "--due", "-2d"]);
    }
    let listed = ok(&db, &["list", "--due-before", "-1d", "--json"]);
    assert_eq!(listed.matches("\"id\"").count(), 4, "{listed}");
}

#[test]
fn import_tells_its_formats_apart_by_content_and_says_what_it_tried() {
    let dir = TempDir::new().unwrap();
    let db = database(&dir);
    let into = dir.path().join("into.db");
    // A CSV export named as anything: its first line says what it is.
    let csv = dir.path().join("tasks.txt");
    ok(
        &db,
        &[
            "export",
            "--format",
            "csv",
            "--output",
            csv.to_str().unwrap(),
        ],
    );
    let said = ok(&into, &["import", csv.to_str().unwrap(), "--dry-run"]);
    assert!(said.contains("would import 2 users and 3 tasks"), "{said}");
    // A taskwarrior export is a JSON array.
    let tw = dir.path().join("tw.data");
    std::fs::write(
        &tw,
        r#"[{"uuid":"a1b2c3d4-0000-0000-0000-000000000001","description":"From taskwarrior","status":"pending","entry":"20261120T100000Z"}]"#,
    )
    .unwrap();
    let said = ok(&into, &["import", tw.to_str().unwrap(), "--dry-run"]);
    assert!(said.contains("would import 0 users and 1 task"), "{said}");
    // Anything else: named, with what was tried and how to choose.
    let other = dir.path().join("notes.txt");
    std::fs::write(&other, "just some notes\n").unwrap();
    let o = run(&into, &["import", other.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("neither a tasktui export (JSON), a CSV export nor a taskwarrior export")
            && err.contains("--format json, csv or taskwarrior"),
        "{err}"
    );
    assert!(!into.exists(), "a refused import creates nothing");
}
