//! The file and the command line at their edges, each tried as the person who met it would: a
//! second hard link, a mistyped path, output that could not be written, an export over a
//! device, arguments that are not UTF-8, no name in the environment, an older SQLite writing
//! the file, kept counts written around, spreadsheet formulas in CSV, an empty database, a clock
//! before 1970.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

use crate::support;

use support::{code, err, out, run};

use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::FileTypeExt;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use tempfile::TempDir;

#[test]
fn a_database_with_a_second_hard_link_is_refused_and_a_symlink_works() {
    let dir = TempDir::new().unwrap();
    let a = dir.path().join("a.db");
    let o = run(support::command(&a, &["add", "first"]));
    assert!(o.status.success(), "{}", err(&o));
    let b = dir.path().join("b.db");
    std::fs::hard_link(&a, &b).unwrap();
    let before = std::fs::read(&a).unwrap();
    for args in [
        &["--migrate-only"][..],
        &["list"],
        &["add", "second"],
        &["db", "current"],
        &["db", "check"],
        &["export"],
    ] {
        for db in [&a, &b] {
            let o = run(support::command(db, args));
            assert_eq!(code(&o), 2, "{args:?}: {}", out(&o));
            assert!(err(&o).contains("2 hard links"), "{args:?}: {}", err(&o));
        }
    }
    assert_eq!(std::fs::read(&a).unwrap(), before);
    assert!(!dir.path().join("b.db-wal").exists());

    std::fs::remove_file(&b).unwrap();
    let link = dir.path().join("link.db");
    std::os::unix::fs::symlink(&a, &link).unwrap();
    let o = run(support::command(&link, &["list"]));
    assert!(out(&o).contains("first"), "{}", err(&o));
}

#[test]
fn a_command_on_a_mistyped_path_creates_nothing() {
    let dir = TempDir::new().unwrap();
    let typo = dir.path().join("tpyo.db");
    for args in [
        &["list"][..],
        &["export"],
        &["users"],
        &["undo"],
        &["redo"],
        &["done", "1"],
        &["rm", "1", "--yes"],
        &["edit", "1", "--title", "x"],
        &["user", "rm", "zed"],
        &["add", ""],
    ] {
        let o = run(support::command(&typo, args));
        assert_eq!(code(&o), 2, "{args:?}: {}", err(&o));
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            0,
            "{args:?} left a file"
        );
    }
    // A refused import, and a dry run, create nothing either; an accepted import does.
    let bad = dir.path().join("../bad.json");
    std::fs::write(
        &bad,
        r#"{"tasktui_export":1,"users":[],"tasks":[{"id":1,"title":"","description":"","status":"todo","priority":"none","due_date":null,"assignee":null,"created_at":"2026-01-01T00:00:00Z","updated_at":"2026-01-01T00:00:00Z","completed_at":null}]}"#,
    )
    .unwrap();
    let o = run(support::command(&typo, &["import", bad.to_str().unwrap()]));
    assert_eq!(code(&o), 2, "{}", err(&o));
    assert!(!typo.exists());
    let source = TempDir::new().unwrap();
    let full = source.path().join("s.db");
    run(support::command(&full, &["add", "kept"]));
    let export = source.path().join("e.json");
    run(support::command(
        &full,
        &["export", "--output", export.to_str().unwrap()],
    ));
    let o = run(support::command(
        &typo,
        &["import", "--dry-run", export.to_str().unwrap()],
    ));
    assert!(
        out(&o).contains("would import 0 users and 1 task"),
        "{}",
        err(&o)
    );
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    let o = run(support::command(
        &typo,
        &["import", export.to_str().unwrap()],
    ));
    assert!(o.status.success(), "{}", err(&o));
    assert!(typo.exists());
}

#[test]
fn output_that_cannot_be_written_is_a_failure_and_a_closed_pipe_is_not() {
    let dir = TempDir::new().unwrap();
    let db = dir.path().join("t.db");
    run(support::command(&db, &["add", "one"]));
    let full = || {
        std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap()
    };
    for args in [
        &["export"][..],
        &["list"],
        &["users"],
        &["db", "history"],
        &["add", "two"],
    ] {
        let mut command = support::command(&db, args);
        command.stdout(full());
        let o = command.stdin(Stdio::null()).output().unwrap();
        assert_eq!(code(&o), 1, "{args:?}");
        assert!(
            err(&o).contains("cannot write to standard output"),
            "{args:?}: {}",
            err(&o)
        );
    }
    // A reader that stops reading: quiet, and the command's work done.
    let mut command = support::command(&db, &["export"]);
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let o = child.wait_with_output().unwrap();
    assert_eq!(code(&o), 0, "{}", err(&o));
}

#[test]
fn an_export_writes_regular_files_only_and_dash_is_standard_output() {
    let dir = TempDir::new().unwrap();
    let db = dir.path().join("t.db");
    run(support::command(&db, &["add", "one"]));
    let fifo = dir.path().join("fifo");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    for target in [fifo.as_path(), Path::new("/dev/null"), dir.path()] {
        let o = run(support::command(
            &db,
            &["export", "--output", target.to_str().unwrap()],
        ));
        assert_eq!(code(&o), 2, "{target:?}");
        assert!(err(&o).contains("is not a regular file"), "{}", err(&o));
    }
    assert!(
        std::fs::symlink_metadata(&fifo)
            .unwrap()
            .file_type()
            .is_fifo()
    );
    // A symlink to a file writes the file it names, and stays a symlink.
    let real = dir.path().join("real.json");
    std::fs::write(&real, "old").unwrap();
    let link = dir.path().join("link.json");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    let o = run(support::command(
        &db,
        &["export", "--output", link.to_str().unwrap()],
    ));
    assert!(o.status.success(), "{}", err(&o));
    assert!(std::fs::read_to_string(&real).unwrap().contains("\"one\""));
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    // `-` is standard output, and `import -` reads standard input.
    let o = run(support::command(&db, &["export", "--output", "-"]));
    assert!(out(&o).contains("\"one\""));
    let other = dir.path().join("other.db");
    let mut import = support::command(&other, &["import", "-"]);
    let mut child = import
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(&mut child.stdin.take().unwrap(), &o.stdout).unwrap();
    let o = child.wait_with_output().unwrap();
    assert!(
        out(&o).contains("imported 0 users and 1 task from -"),
        "{}",
        err(&o)
    );
}

/// The log line at start reads every argument; with logging on (the default), an argument that
/// is not UTF-8 must not panic it. (Every other test turns the log off, which is why an earlier
/// test of such a path never reached the log line.)
#[test]
fn arguments_that_are_not_utf8_never_panic_with_logging_on() {
    let dir = TempDir::new().unwrap();
    let state = TempDir::new().unwrap();
    let db = dir.path().join(OsStr::from_bytes(b"x\xffy.db"));
    let logged = |args: &[&OsStr]| {
        let mut command = Command::new(env!("CARGO_BIN_EXE_tasktui"));
        command
            .arg("--db")
            .arg(&db)
            .args(args)
            .env_remove("TASKTUI_LOG")
            .env_remove("TASKTUI_DB")
            .env("TASKTUI_CONFIG", "/dev/null")
            .env("XDG_STATE_HOME", state.path());
        run(command)
    };
    let o = logged(&[OsStr::new("--migrate-only")]);
    assert_eq!(code(&o), 0, "{}", err(&o));
    let o = logged(&[OsStr::new("add"), OsStr::from_bytes(b"a\xffb")]);
    assert_eq!(code(&o), 2, "{}", err(&o));
    assert!(err(&o).contains("invalid UTF-8"), "{}", err(&o));
    let log = std::fs::read(state.path().join("tasktui/tasktui.log")).unwrap();
    assert!(String::from_utf8_lossy(&log).contains("x\u{fffd}y.db"));
}

/// In a container, cron or `env -i` no variable names the person: the account's name does.
#[test]
fn without_a_user_variable_changes_are_made_by_the_accounts_name() {
    let dir = TempDir::new().unwrap();
    let db = dir.path().join("t.db");
    let mut command = Command::new(env!("CARGO_BIN_EXE_tasktui"));
    command
        .env_clear()
        .arg("--db")
        .arg(&db)
        .args(["add", "cron's task"]);
    let o = run(command);
    assert!(o.status.success(), "{}", err(&o));
    let account = nix::unistd::User::from_uid(nix::unistd::getuid())
        .unwrap()
        .unwrap()
        .name;
    let author: String = rusqlite::Connection::open(&db)
        .unwrap()
        .query_row("SELECT author FROM changes", [], |r| r.get(0))
        .unwrap();
    assert_eq!(author, account);
}

/// The version of the machine's `sqlite3` as numbers, `(3, 40)`.
fn system_sqlite() -> (u32, u32) {
    let o = Command::new("sqlite3").arg("--version").output().unwrap();
    let text = String::from_utf8_lossy(&o.stdout).into_owned();
    let mut parts = text
        .split(['.', ' '])
        .map(|p| p.parse::<u32>().unwrap_or(0));
    (parts.next().unwrap(), parts.next().unwrap())
}

fn sqlite3(db: &Path, sql: &str) -> Output {
    run({
        let mut c = Command::new("sqlite3");
        c.arg(db).arg(sql);
        c
    })
}

/// The file is an interface: an older SQLite than the one tasktui carries (the machine's
/// `sqlite3`: Debian 12's is 3.40) writes users, tasks and tags, and the search indexes, the kept
/// counts and the history stay right. Before V12 every write of a task failed there.
#[test]
fn an_older_sqlite_writes_users_tasks_and_tags_and_every_index_stays_right() {
    let older = system_sqlite();
    let bundled = rusqlite::version_number();
    assert!(
        older.0 * 1_000_000 + older.1 * 1_000 < u32::try_from(bundled).unwrap(),
        "the machine's sqlite3 {older:?} is not older than the bundled {bundled}: install Debian's"
    );
    let dir = TempDir::new().unwrap();
    let db = dir.path().join("t.db");
    run(support::command(
        &db,
        &["add", "first task", "--tag", "home"],
    ));
    run(support::command(&db, &["user", "add", "ann"]));

    // At V11 (contentless_delete) an older SQLite cannot write a task: what V12 mends.
    if older < (3, 43) {
        let o = run(support::command(&db, &["db", "downgrade", "11"]));
        assert!(o.status.success(), "{}", err(&o));
        let o = sqlite3(&db, "INSERT INTO tasks (title) VALUES ('x')");
        assert!(err(&o).contains("contentless_delete"), "{}", err(&o));
        let o = run(support::command(&db, &["db", "upgrade"]));
        assert!(o.status.success(), "{}", err(&o));
    }

    let o = sqlite3(
        &db,
        "INSERT INTO users (username) VALUES ('bo');
         INSERT INTO tasks (title, description, assignee_id) VALUES ('from sqlite3', 'zq here', 2);
         UPDATE tasks SET title = 'renamed qx', status = 'done' WHERE id = 1;
         INSERT INTO tasks (title) VALUES ('gone soon');
         DELETE FROM tasks WHERE title = 'gone soon';
         INSERT INTO task_tags (task_id, tag_id) SELECT 2, id FROM tags WHERE name = 'home';
         DELETE FROM task_tags WHERE task_id = 1;",
    );
    assert!(o.status.success(), "{}", err(&o));
    let found = |word: &str| out(&run(support::command(&db, &["list", "--search", word])));
    assert!(found("zq").contains("from sqlite3"));
    assert!(found("qx").contains("renamed qx"));
    assert!(
        !found("first").contains("first"),
        "the old title is still indexed"
    );
    assert!(
        !found("gone").contains("gone"),
        "a deleted task is still indexed"
    );
    let tagged = out(&run(support::command(&db, &["list", "--tag", "home"])));
    assert!(
        tagged.contains("from sqlite3") && !tagged.contains("renamed"),
        "{tagged}"
    );
    let users = out(&run(support::command(&db, &["users"])));
    assert!(users.contains("bo "), "{users}");
    let o = run(support::command(&db, &["db", "check"]));
    assert!(o.status.success(), "{}{}", out(&o), err(&o));
    // tasktui's own changes go on, with undo.
    let o = run(support::command(
        &db,
        &["edit", "2", "--title", "edited again"],
    ));
    assert!(o.status.success(), "{}", err(&o));
    let o = run(support::command(&db, &["undo"]));
    assert!(out(&o).contains("undid"), "{}", err(&o));
    assert!(found("zq").contains("from sqlite3"));
}

#[test]
fn a_csv_export_cannot_run_as_a_spreadsheet_formula_and_imports_back_as_it_was() {
    let dir = TempDir::new().unwrap();
    let db = dir.path().join("t.db");
    for title in [
        "=HYPERLINK(\"http://x\")",
        "+cmd|' /C calc'!A0",
        "-2+3",
        "@SUM(1)",
        "plain",
    ] {
        let o = run(support::command(&db, &["add", "--", title]));
        assert!(o.status.success(), "{title}: {}", err(&o));
    }
    let csv = out(&run(support::command(&db, &["export", "--format", "csv"])));
    for line in csv.lines().skip(1) {
        let title = line.split(',').nth(5).unwrap_or_default();
        let bare = title.trim_start_matches('"');
        assert!(!bare.starts_with(['=', '+', '-', '@']), "{line}");
    }
    assert!(csv.contains("'=HYPERLINK"), "{csv}");
    let file = dir.path().join("t.csv");
    std::fs::write(&file, &csv).unwrap();
    let other = dir.path().join("other.db");
    let o = run(support::command(
        &other,
        &["import", "--format", "csv", file.to_str().unwrap()],
    ));
    assert!(o.status.success(), "{}", err(&o));
    let a = out(&run(support::command(&db, &["export"])));
    let b = out(&run(support::command(&other, &["export"])));
    assert_eq!(a, b);
}

#[test]
fn an_empty_database_is_not_backed_up_before_its_schema_changes() {
    let dir = TempDir::new().unwrap();
    let db = dir.path().join("t.db");
    run(support::command(&db, &["--migrate-only"]));
    for args in [&["db", "downgrade", "-1"][..], &["db", "upgrade"]] {
        let o = run(support::command(&db, args));
        assert!(o.status.success(), "{}", err(&o));
        assert!(!out(&o).contains("backed up"), "{args:?}: {}", out(&o));
    }
    assert!(tasktui_sqlite::backups(&db).is_empty());
}

/// Kept counts may be wrong for a moment (a hand edit), but a list never loses a task because of
/// them, and `db check --fix` mends them in one transaction.
#[test]
fn stale_kept_counts_hide_no_task_and_check_fix_mends_them() {
    let dir = TempDir::new().unwrap();
    let db = dir.path().join("t.db");
    run(support::command(&db, &["user", "add", "alice"]));
    for i in 0..5 {
        run(support::command(
            &db,
            &["add", &format!("task {i}"), "--user", "alice"],
        ));
    }
    sqlite3(&db, "UPDATE task_counts SET n = 3 WHERE assignee = 1");
    let list = out(&run(support::command(&db, &["list", "--user", "alice"])));
    assert_eq!(list.lines().count(), 6, "{list}");
    let o = run(support::command(&db, &["db", "check"]));
    assert_eq!(code(&o), 1);
    assert!(out(&o).contains("`tasktui db check --fix"), "{}", out(&o));
    let o = run(support::command(&db, &["db", "check", "--fix"]));
    assert!(o.status.success(), "{}{}", out(&o), err(&o));
    assert!(out(&o).contains("rebuilt the task counts"), "{}", out(&o));
    assert!(out(&o).contains(": ok at version"), "{}", out(&o));
}

/// A clock set before 1970 (a machine without a battery) is a time like any other: every
/// command works, and says what it did. (`faketime`, which .ci/run installs, sets the clock.)
#[test]
fn a_clock_before_1970_is_a_time_like_any_other() {
    let dir = TempDir::new().unwrap();
    let db = dir.path().join("t.db");
    for args in [
        &["add", "moon landing"][..],
        &["list"],
        &["export"],
        &["db", "history"],
        &["undo"],
    ] {
        let o = run({
            let mut c = Command::new("faketime");
            c.arg("1969-07-20 20:17:00")
                .arg(env!("CARGO_BIN_EXE_tasktui"))
                .arg("--db")
                .arg(&db)
                .args(args)
                .env("TASKTUI_CONFIG", "/dev/null")
                .env_remove("TASKTUI_LOG")
                .env("XDG_STATE_HOME", dir.path());
            c
        });
        assert!(o.status.success(), "{args:?}: {}", err(&o));
    }
    let history = out(&run(support::command(&db, &["db", "history"])));
    // faketime's clock runs on from the time it was given: a loaded machine may reach 20:17:01.
    assert!(history.contains("1969-07-20 20:17:"), "{history}");
}

/// A dry run writes nothing at all into a file that needs migrating either: it checks a copy
/// brought up to date in memory, and the file keeps every byte and its version.
#[test]
fn a_dry_run_into_an_older_file_migrates_nothing() {
    let dir = TempDir::new().unwrap();
    let source = dir.path().join("source.db");
    run(support::command(&source, &["add", "from elsewhere"]));
    let file = dir.path().join("one.json");
    run(support::command(
        &source,
        &["export", "--output", file.to_str().unwrap()],
    ));
    let db = dir.path().join("old.db");
    let o = run(support::command(&db, &["db", "upgrade", "4"]));
    assert!(o.status.success(), "{}", err(&o));
    let before = std::fs::read(&db).unwrap();
    let beside = |db: &Path| {
        let mut names: Vec<_> = std::fs::read_dir(db.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        names.sort();
        names
    };
    let files = beside(&db);
    let o = run(support::command(
        &db,
        &["import", "--dry-run", file.to_str().unwrap()],
    ));
    assert!(
        out(&o).contains("would import 0 users and 1 task"),
        "{}",
        err(&o)
    );
    assert_eq!(std::fs::read(&db).unwrap(), before);
    assert_eq!(beside(&db), files);
    assert!(out(&run(support::command(&db, &["db", "current"]))).contains("version 4"));
}
