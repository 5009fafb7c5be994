//! The command line as a user meets it: the real binary, real files, exit codes and messages.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

use crate::support;

use rusqlite::Connection;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use tasktui_sqlite::migrate::MIGRATIONS;
use tempfile::TempDir;

fn tasktui(args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_tasktui"));
    command
        .args(args)
        .env_remove("TASKTUI_DB")
        // The person's own config file never reaches a test: an empty one.
        .env("TASKTUI_CONFIG", "/dev/null")
        .env("TASKTUI_LOG", "off");
    command
}

fn run(args: &[&str]) -> Output {
    tasktui(args).output().unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn arg(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// A database migrated by the binary, in its own folder.
fn migrated() -> (TempDir, PathBuf) {
    let dir = TempDir::new().unwrap();
    let db = dir.path().join("t.db");
    let out = run(&["--db", arg(&db), "--migrate-only"]);
    assert!(out.status.success(), "{}", stderr(&out));
    (dir, db)
}

fn head() -> u32 {
    tasktui_sqlite::migrate::latest(MIGRATIONS)
}

/// The history rows of a database migrated to the newest version.
fn all_history() -> Vec<(i64, String)> {
    MIGRATIONS
        .iter()
        .map(|m| (i64::from(m.version), m.name.to_string()))
        .collect()
}

fn history_rows(db: &Path) -> Vec<(i64, String)> {
    let conn = Connection::open(db).unwrap();
    let mut statement = conn
        .prepare("SELECT version, name FROM refinery_schema_history ORDER BY version")
        .unwrap();
    statement
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

/// Files in the folder other than `keep`, to show nothing was left beside a refused file.
fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Runs tasktui on `db`, expects a refusal that names the path, and checks the file and its
/// folder are as they were.
fn assert_refused(db: &Path, expected: &str) -> String {
    let before = std::fs::read(db).ok();
    let folder = db.parent().unwrap();
    let listing = folder.is_dir().then(|| files_in(folder));
    let args = ["--db", arg(db), "--migrate-only"];
    let out = run(&args);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
    assert!(stdout(&out).is_empty(), "{args:?} printed {}", stdout(&out));
    assert_eq!(err.lines().count(), 1, "one line: {err}");
    assert!(err.contains(expected), "{err:?} lacks {expected:?}");
    assert!(std::fs::read(db).ok() == before, "{} changed", db.display());
    if let Some(listing) = &listing {
        assert_eq!(
            &files_in(folder),
            listing,
            "files appeared beside {}",
            db.display()
        );
    }
    err
}

#[test]
fn migrate_only_creates_the_schema_then_changes_nothing() {
    let dir = TempDir::new().unwrap();
    let db = dir.path().join("t.db");
    let out = run(&["--db", arg(&db), "--migrate-only"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let applied: String = MIGRATIONS
        .iter()
        .map(|m| format!("applied V{}__{}\n", m.version, m.name))
        .collect();
    assert_eq!(
        stdout(&out),
        format!("{applied}{}: now at version {}\n", db.display(), head())
    );
    assert_eq!(history_rows(&db), all_history());

    let before = std::fs::read(&db).unwrap();
    let again = run(&["--db", arg(&db), "--migrate-only"]);
    assert!(again.status.success());
    assert_eq!(
        stdout(&again),
        format!(
            "{}: already up to date at version {}\n",
            db.display(),
            head()
        )
    );
    assert_eq!(
        std::fs::read(&db).unwrap(),
        before,
        "a second run changed the file"
    );
}

#[test]
fn the_database_is_marked_as_tasktuis_and_uses_wal() {
    let (_dir, db) = migrated();
    let conn = Connection::open(&db).unwrap();
    let id: i32 = conn
        .pragma_query_value(None, "application_id", |r| r.get(0))
        .unwrap();
    assert_eq!(id, tasktui_sqlite::APPLICATION_ID);
    let mode: String = conn
        .pragma_query_value(None, "journal_mode", |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
}

#[test]
fn without_db_the_platform_data_folder_is_used_and_created() {
    let data = TempDir::new().unwrap();
    let home = TempDir::new().unwrap();
    let out = tasktui(&["--migrate-only"])
        .env("XDG_DATA_HOME", data.path())
        .env("HOME", home.path())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let db = data.path().join("tasktui").join("tasktui.db");
    assert!(db.is_file(), "{} missing", db.display());
    assert!(stdout(&out).contains(&db.display().to_string()));
    assert_eq!(history_rows(&db), all_history());
}

#[test]
fn tasktui_db_is_the_fallback_and_db_wins_over_it() {
    let (dir, db) = migrated();
    let out = tasktui(&["--migrate-only"])
        .env("TASKTUI_DB", &db)
        .output()
        .unwrap();
    assert!(stdout(&out).starts_with(&format!("{}: already up to date", db.display())));
    let other = dir.path().join("other.db");
    let out = tasktui(&["--db", arg(&other), "--migrate-only"])
        .env("TASKTUI_DB", &db)
        .output()
        .unwrap();
    assert!(
        stdout(&out).contains(&format!("other.db: now at version {}", head())),
        "{}",
        stdout(&out)
    );
}

#[test]
fn the_interface_refuses_to_start_without_a_terminal() {
    let (_dir, db) = migrated();
    let before = std::fs::read(&db).unwrap();
    let out = tasktui(&["--db", arg(&db)])
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "tasktui: the interface needs a terminal on stdin and stdout; for scripts use tasktui --migrate-only\n"
    );
    assert!(std::fs::read(&db).unwrap() == before, "the file changed");
}

#[test]
fn an_empty_file_becomes_a_new_database() {
    let dir = TempDir::new().unwrap();
    let db = dir.path().join("empty.db");
    std::fs::write(&db, b"").unwrap();
    let out = run(&["--db", arg(&db), "--migrate-only"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(history_rows(&db), all_history());
}

#[test]
fn a_missing_folder_is_named_and_not_created() {
    let dir = TempDir::new().unwrap();
    let db = dir.path().join("no").join("such").join("t.db");
    let err = assert_refused(&db, "the folder does not exist");
    assert!(
        err.contains(&dir.path().join("no").join("such").display().to_string()),
        "{err}"
    );
    assert!(!dir.path().join("no").exists());
}

#[test]
fn a_folder_given_as_the_database_is_refused() {
    let dir = TempDir::new().unwrap();
    let folder = dir.path().join("data");
    std::fs::create_dir(&folder).unwrap();
    let err = assert_refused(&folder, "is a folder, not a database file");
    assert!(err.contains(&folder.display().to_string()));
    assert!(
        files_in(&folder).is_empty(),
        "something was written inside the folder"
    );
}

#[test]
fn a_text_file_is_refused_unchanged() {
    let dir = TempDir::new().unwrap();
    let db = dir.path().join("notes.txt");
    std::fs::write(&db, "remember the milk\n".repeat(50)).unwrap();
    assert_refused(&db, "not a SQLite database");
}

#[test]
fn a_short_file_is_refused_unchanged() {
    let dir = TempDir::new().unwrap();
    let db = dir.path().join("short.db");
    std::fs::write(&db, b"SQLite format 3\0").unwrap();
    assert_refused(&db, "not a SQLite database");
}

#[test]
fn a_truncated_database_is_refused_unchanged() {
    let (dir, db) = migrated();
    let bytes = std::fs::read(&db).unwrap();
    let cut = dir.path().join("cut.db");
    std::fs::write(&cut, &bytes[..bytes.len() / 2]).unwrap();
    assert_refused(&cut, "it was truncated");
}

#[test]
fn a_corrupt_database_is_refused_unchanged() {
    let (dir, db) = migrated();
    let mut bytes = std::fs::read(&db).unwrap();
    // Page 1 keeps its header; the schema table behind it is overwritten.
    for byte in &mut bytes[100..1000] {
        *byte = 0xA5;
    }
    let bad = dir.path().join("bad.db");
    std::fs::write(&bad, &bytes).unwrap();
    assert_refused(&bad, "the database is damaged");
}

#[test]
fn another_programs_sqlite_file_is_refused_unchanged() {
    let dir = TempDir::new().unwrap();
    let db = dir.path().join("photos.db");
    let conn = Connection::open(&db).unwrap();
    conn.execute_batch("CREATE TABLE photos (id INTEGER PRIMARY KEY, path TEXT); INSERT INTO photos (path) VALUES ('a.jpg');")
        .unwrap();
    drop(conn);
    assert_refused(&db, "a SQLite database of another program");
}

#[test]
fn a_database_from_a_newer_tasktui_is_refused_unchanged() {
    let (dir, db) = migrated();
    let newer = dir.path().join("newer.db");
    std::fs::copy(&db, &newer).unwrap();
    let conn = Connection::open(&newer).unwrap();
    conn.execute(
        "INSERT INTO refinery_schema_history VALUES (99, 'from_the_future', '2026-11-01T00:00:00Z', '1')",
        [],
    )
    .unwrap();
    conn.pragma_update(None, "journal_mode", "delete").unwrap();
    drop(conn);
    let latest = tasktui_sqlite::migrate::latest(tasktui_sqlite::migrate::MIGRATIONS);
    assert_refused(
        &newer,
        &format!(
            "this database is at version 99; this tasktui knows up to {latest}: upgrade tasktui"
        ),
    );
}

#[test]
fn processes_starting_together_on_a_new_file_migrate_once() {
    let dir = TempDir::new().unwrap();
    let db = dir.path().join("race.db");
    let outputs = support::run_together(
        (0..8)
            .map(|_| tasktui(&["--db", arg(&db), "--migrate-only"]))
            .collect(),
    );
    for out in &outputs {
        assert!(out.status.success(), "{}", stderr(out));
    }
    let appliers = outputs
        .iter()
        .filter(|o| stdout(o).contains("applied V1"))
        .count();
    assert_eq!(appliers, 1, "exactly one process migrates");
    assert_eq!(history_rows(&db), all_history());
}

#[test]
fn help_and_version() {
    let help = run(&["--help"]);
    assert!(help.status.success());
    for word in ["--db", "--migrate-only", "TASKTUI_DB", "--version"] {
        assert!(stdout(&help).contains(word), "--help lacks {word}");
    }
    let version = run(&["--version"]);
    assert_eq!(
        stdout(&version),
        format!("tasktui {}\n", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn an_unknown_flag_is_a_usage_error() {
    let out = run(&["--frobnicate"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--frobnicate"));
}

#[test]
fn demo_fills_a_new_database_and_refuses_one_with_data_unless_forced() {
    let dir = TempDir::new().unwrap();
    let db = dir.path().join("demo.db");
    let out = run(&["demo", "--db", arg(&db), "--tasks", "300", "--users", "7"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("added 7 users and 300 tasks (seed 1)"),
        "{}",
        stdout(&out)
    );
    let count = |sql: &str| -> i64 {
        Connection::open(&db)
            .unwrap()
            .query_row(sql, [], |r| r.get(0))
            .unwrap()
    };
    assert_eq!(count("SELECT count(*) FROM tasks"), 300);
    let before = std::fs::read(&db).unwrap();
    let again = run(&["demo", "--db", arg(&db)]);
    assert_eq!(again.status.code(), Some(2));
    assert!(
        stderr(&again).contains("already holds data; run with --force"),
        "{}",
        stderr(&again)
    );
    assert!(
        std::fs::read(&db).unwrap() == before,
        "a refused demo changed the file"
    );
    let forced = run(&[
        "demo",
        "--db",
        arg(&db),
        "--tasks",
        "50",
        "--force",
        "--seed",
        "2",
    ]);
    assert!(forced.status.success(), "{}", stderr(&forced));
    assert_eq!(count("SELECT count(*) FROM tasks"), 350);
    let check = run(&["db", "check", "--db", arg(&db)]);
    assert!(check.status.success(), "{}", stdout(&check));
}

#[test]
fn the_log_is_put_aside_past_a_megabyte_and_three_old_ones_are_kept() {
    let dir = tempfile::TempDir::new().unwrap();
    let log = dir.path().join("tasktui.log");
    for round in 0..5u8 {
        std::fs::write(&log, vec![b'a' + round; 1 << 20]).unwrap();
        tasktui::log::rotate(&log);
        assert!(!log.exists(), "round {round}: the full log was put aside");
    }
    let kept: Vec<u8> = (1..=4)
        .filter_map(|n| std::fs::read(dir.path().join(format!("tasktui.log.{n}"))).ok())
        .map(|bytes| bytes[0])
        .collect();
    // The newest first; the two oldest rounds are gone.
    assert_eq!(kept, [b'e', b'd', b'c']);
    // A small log stays where it is.
    std::fs::write(&log, "small").unwrap();
    tasktui::log::rotate(&log);
    assert_eq!(std::fs::read_to_string(&log).unwrap(), "small");
}
