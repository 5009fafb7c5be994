//! `tasktui db …` and `--migrate-only` as a user runs them: every command and every trouble.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

use crate::support;

use rusqlite::Connection;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use tasktui_sqlite::migrate::{MIGRATIONS, latest};
use tempfile::TempDir;

fn head() -> u32 {
    latest(MIGRATIONS)
}

fn tasktui(db: &Path, args: &[&str]) -> Command {
    support::command(db, args)
}

fn run(db: &Path, args: &[&str]) -> Output {
    tasktui(db, args).output().unwrap()
}

fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn ok(db: &Path, args: &[&str]) -> String {
    let o = run(db, args);
    assert!(
        o.status.success(),
        "{args:?} failed: {}{}",
        out(&o),
        err(&o)
    );
    out(&o)
}

/// A database at `version` with a user and a task in it.
fn database_at(version: u32) -> (TempDir, PathBuf) {
    let dir = TempDir::new().unwrap();
    let db = dir.path().join("t.db");
    ok(&db, &["db", "upgrade", &version.to_string()]);
    if version >= 1 {
        let conn = Connection::open(&db).unwrap();
        conn.execute_batch("INSERT INTO users (username) VALUES ('alice'); INSERT INTO tasks (title, assignee_id) VALUES ('kept', 1);")
            .unwrap();
    }
    (dir, db)
}

fn versions(db: &Path) -> Vec<u32> {
    Connection::open(db)
        .unwrap()
        .prepare("SELECT version FROM refinery_schema_history ORDER BY version")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

fn task_titles(db: &Path) -> Vec<String> {
    Connection::open(db)
        .unwrap()
        .prepare("SELECT title FROM tasks ORDER BY id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

/// Everything a database holds, schema and rows, for "nothing changed" checks.
fn dump(db: &Path) -> String {
    let conn = Connection::open(db).unwrap();
    let mut text = String::new();
    let objects: Vec<(String, String)> = conn
        .prepare("SELECT name, ifnull(sql, '') FROM sqlite_master ORDER BY name")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    for (name, sql) in objects {
        text.push_str(&sql);
        text.push('\n');
        if sql.starts_with("CREATE TABLE") {
            let mut s = conn.prepare(&format!("SELECT * FROM \"{name}\"")).unwrap();
            let n = s.column_count();
            let rows: Vec<String> = s
                .query_map([], |r| {
                    Ok((0..n)
                        .map(|i| format!("{:?}", r.get_ref(i).unwrap()))
                        .collect::<Vec<_>>()
                        .join("|"))
                })
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap();
            text.push_str(&rows.join("\n"));
        }
    }
    text
}

#[test]
fn current_reports_version_and_pending() {
    let (_dir, db) = database_at(1);
    let text = ok(&db, &["db", "current"]);
    assert!(
        text.contains(&format!(
            ": version 1 (create_users_and_tasks), {} pending: V2__limit_task_title_length, ",
            head() - 1
        )),
        "{text}"
    );
    ok(&db, &["db", "upgrade"]);
    let name = MIGRATIONS.last().unwrap().name;
    assert!(
        ok(&db, &["db", "current"])
            .ends_with(&format!("version {} ({name}), up to date\n", head()))
    );
}

#[test]
fn current_on_a_missing_file_says_how_to_create_it_and_creates_nothing() {
    let dir = TempDir::new().unwrap();
    let db = dir.path().join("none.db");
    let o = run(&db, &["db", "current"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        err(&o).contains("no such database; `tasktui --migrate-only --db"),
        "{}",
        err(&o)
    );
    assert!(!db.exists());
}

#[test]
fn history_lists_every_migration_with_its_state_time_and_revert() {
    let (_dir, db) = database_at(1);
    let text = ok(&db, &["db", "history"]);
    // Columns are as wide as their longest entry: compare words.
    let lines: Vec<String> = text
        .lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect();
    assert!(
        lines[0].starts_with("version name state applied revert"),
        "{text}"
    );
    assert!(
        lines[1].starts_with("V1 create_users_and_tasks applied 20"),
        "{text}"
    );
    assert!(
        lines[1].ends_with("UTC down (drops data: every user and every task)"),
        "{text}"
    );
    assert!(
        lines[2].starts_with("V2 limit_task_title_length pending -"),
        "{text}"
    );
    assert!(lines[2].ends_with(" down"), "{text}");
    let states: Vec<usize> = text
        .lines()
        .skip(1)
        .map(|l| l.find(" applied ").or_else(|| l.find(" pending ")).unwrap())
        .collect();
    assert!(
        states.windows(2).all(|w| w[0] == w[1]),
        "columns not aligned:\n{text}"
    );
}

#[test]
fn history_shows_divergent_and_unknown_migrations() {
    let (_dir, db) = database_at(head());
    let conn = Connection::open(&db).unwrap();
    conn.execute(
        "UPDATE refinery_schema_history SET checksum = '7' WHERE version = 1",
        [],
    )
    .unwrap();
    conn.execute("INSERT INTO refinery_schema_history VALUES (99, 'from_the_future', '2026-11-01T00:00:00Z', '1')", []).unwrap();
    drop(conn);
    let text = ok(&db, &["db", "history"])
        .lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect::<Vec<_>>()
        .join("\n");
    assert!(
        text.contains("V1 create_users_and_tasks divergent"),
        "{text}"
    );
    assert!(
        text.contains(
            "V99 from_the_future unknown 2026-11-01 00:00:00 UTC unknown to this tasktui"
        ),
        "{text}"
    );
}

#[test]
fn upgrade_to_a_version_then_head() {
    let dir = TempDir::new().unwrap();
    let db = dir.path().join("t.db");
    let text = ok(&db, &["db", "upgrade", "1"]);
    assert!(
        text.contains("applied V1__create_users_and_tasks") && !text.contains("V2"),
        "{text}"
    );
    assert_eq!(versions(&db), [1]);
    let text = ok(&db, &["db", "upgrade", "head"]);
    assert!(
        text.contains("applied V2__limit_task_title_length"),
        "{text}"
    );
    assert_eq!(versions(&db), (1..=head()).collect::<Vec<_>>());
    assert!(
        ok(&db, &["db", "upgrade"]).contains(&format!("already up to date at version {}", head()))
    );
}

#[test]
fn upgrade_refuses_a_target_below_or_beyond_naming_both() {
    let (_dir, db) = database_at(head());
    let before = dump(&db);
    let o = run(&db, &["db", "upgrade", "1"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        err(&o).contains(&format!(
            "cannot upgrade to version 1: the database is already at version {}",
            head()
        )),
        "{}",
        err(&o)
    );
    let beyond = (head() + 1).to_string();
    let o = run(&db, &["db", "upgrade", &beyond]);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains(&format!(
        "cannot upgrade to version {beyond}: this tasktui knows up to version {}",
        head()
    )));
    let o = run(&db, &["db", "upgrade", "latest"]);
    assert!(err(&o).contains("`latest` is not a version"), "{}", err(&o));
    assert_eq!(dump(&db), before);
}

#[test]
fn downgrade_one_step_then_migrate_only_brings_it_back() {
    let (_dir, db) = database_at(head());
    let text = ok(&db, &["db", "downgrade", "-1"]);
    assert!(text.contains(&format!("reverted V{}__", head())), "{text}");
    assert_eq!(versions(&db), (1..head()).collect::<Vec<_>>());
    assert_eq!(task_titles(&db), ["kept"]);
    let text = ok(&db, &["--migrate-only"]);
    assert!(
        text.contains(&format!("now at version {}", head())),
        "{text}"
    );
    assert_eq!(task_titles(&db), ["kept"]);
}

#[test]
fn downgrade_to_a_version_and_to_base() {
    let (_dir, db) = database_at(head());
    ok(&db, &["db", "downgrade", "1"]);
    assert_eq!(versions(&db), [1]);
    let o = run(&db, &["db", "downgrade", "1"]);
    assert!(
        err(&o).contains("cannot downgrade to version 1: the database is at version 1"),
        "{}",
        err(&o)
    );
    let text = ok(&db, &["db", "downgrade", "base", "--yes"]);
    assert!(
        text.contains("reverted V1__create_users_and_tasks") && text.contains("now at version 0"),
        "{text}"
    );
    assert_eq!(versions(&db), Vec::<u32>::new());
    ok(&db, &["--migrate-only"]);
    assert_eq!(versions(&db), (1..=head()).collect::<Vec<_>>());
}

#[test]
fn a_downgrade_that_drops_data_needs_yes_without_a_terminal() {
    let (_dir, db) = database_at(1);
    let before = dump(&db);
    let o = run(&db, &["db", "downgrade", "base"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("downgrading to version 0 drops data (V1__create_users_and_tasks: every user and every task); run again with --yes"), "{}", err(&o));
    assert_eq!(dump(&db), before);
}

#[test]
fn every_change_is_backed_up_beside_the_database_and_the_backup_opens() {
    let (dir, db) = database_at(1);
    let text = ok(&db, &["db", "upgrade"]);
    let line = text
        .lines()
        .find(|l| l.starts_with("backed up to "))
        .expect("a backup line");
    let backup = PathBuf::from(
        line.trim_start_matches("backed up to ")
            .split(" (")
            .next()
            .unwrap(),
    );
    assert_eq!(backup.parent(), Some(dir.path()));
    let name = backup.file_name().unwrap().to_string_lossy().into_owned();
    assert!(
        name.starts_with("t.db.v1-") && name.ends_with(".bak"),
        "{name}"
    );
    let copy = Connection::open(&backup).unwrap();
    let titles: String = copy
        .query_row("SELECT group_concat(title) FROM tasks", [], |r| r.get(0))
        .unwrap();
    assert_eq!(titles, "kept");
    let version: u32 = copy
        .query_row(
            "SELECT max(version) FROM refinery_schema_history",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(version, 1, "the backup is the database before the upgrade");
}

#[test]
fn only_the_last_five_backups_are_kept() {
    let (dir, db) = database_at(head());
    for _ in 0..4 {
        ok(&db, &["db", "downgrade", "-1"]);
        ok(&db, &["db", "upgrade"]);
    }
    let backups = std::fs::read_dir(dir.path())
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .ends_with(".bak")
        })
        .count();
    assert_eq!(backups, tasktui_sqlite::BACKUPS_KEPT);
}

#[test]
fn an_empty_database_is_not_backed_up() {
    let dir = TempDir::new().unwrap();
    let db = dir.path().join("t.db");
    assert!(!ok(&db, &["--migrate-only"]).contains("backed up"));
}

#[test]
fn a_newer_database_is_refused_and_left_unchanged() {
    let (_dir, db) = database_at(head());
    let conn = Connection::open(&db).unwrap();
    conn.execute("INSERT INTO refinery_schema_history VALUES (99, 'from_the_future', '2026-11-01T00:00:00Z', '1')", []).unwrap();
    drop(conn);
    let before = std::fs::read(&db).unwrap();
    for args in [
        &["--migrate-only"][..],
        &["db", "upgrade"],
        &["db", "downgrade", "-1", "--yes"],
    ] {
        let o = run(&db, args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(
            err(&o).contains(&format!(
                "this database is at version 99; this tasktui knows up to {}: upgrade tasktui",
                head()
            )),
            "{}",
            err(&o)
        );
        assert!(
            std::fs::read(&db).unwrap() == before,
            "{args:?} changed the file"
        );
    }
    assert!(ok(&db, &["db", "current"]).contains(&format!(
        "version 99 (from_the_future); this tasktui knows up to {}: upgrade tasktui",
        head()
    )));
}

#[test]
fn a_changed_checksum_fails_check_and_blocks_migrating() {
    let (_dir, db) = database_at(1);
    Connection::open(&db)
        .unwrap()
        .execute(
            "UPDATE refinery_schema_history SET checksum = '42' WHERE version = 1",
            [],
        )
        .unwrap();
    let o = run(&db, &["db", "check"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(out(&o).contains("problem: V1__create_users_and_tasks was changed after it was applied (its checksum differs)"), "{}", out(&o));
    assert!(
        err(&o).ends_with("problem found\n") || err(&o).ends_with("problems found\n"),
        "{}",
        err(&o)
    );
    let o = run(&db, &["--migrate-only"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains(&format!(
        "migration V1__create_users_and_tasks was changed after it was applied to this database; run `tasktui db check --db {}`",
        db.display()
    )));
}

#[test]
fn check_passes_on_a_healthy_database_and_reports_pending_and_drift() {
    let (_dir, db) = database_at(1);
    let o = run(&db, &["db", "check"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        out(&o).contains(&format!(
            "problem: V2__limit_task_title_length is pending: run `tasktui db upgrade --db {}`",
            db.display()
        )),
        "{}",
        out(&o)
    );
    ok(&db, &["db", "upgrade"]);
    assert!(ok(&db, &["db", "check"]).contains(&format!("ok at version {}", head())));
    Connection::open(&db)
        .unwrap()
        .execute_batch("CREATE TABLE notes (x); DROP INDEX tasks_by_assignee_due;")
        .unwrap();
    let o = run(&db, &["db", "check"]);
    assert_eq!(o.status.code(), Some(1));
    let text = out(&o);
    assert!(
        text.contains("problem: schema drift: index tasks_by_assignee_due is missing"),
        "{text}"
    );
    assert!(
        text.contains("problem: schema drift: table notes is not made by any migration"),
        "{text}"
    );
}

#[test]
fn check_reports_foreign_key_problems() {
    let (_dir, db) = database_at(head());
    Connection::open(&db)
        .unwrap()
        .execute_batch("PRAGMA foreign_keys = OFF; UPDATE tasks SET assignee_id = 77;")
        .unwrap();
    let o = run(&db, &["db", "check"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        out(&o).contains("problem: foreign keys: tasks row 1 points at a missing users"),
        "{}",
        out(&o)
    );
}

#[test]
fn tables_without_history_are_refused_with_the_stamp_to_run() {
    let dir = TempDir::new().unwrap();
    let db = dir.path().join("old.db");
    let conn = Connection::open(&db).unwrap();
    conn.execute_batch(MIGRATIONS[0].up).unwrap();
    conn.execute("INSERT INTO users (username) VALUES ('carol')", [])
        .unwrap();
    drop(conn);
    let before = std::fs::read(&db).unwrap();
    let o = run(&db, &["--migrate-only"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        err(&o).contains("has tasktui's tables but no migration history; `tasktui db check --db"),
        "{}",
        err(&o)
    );
    assert!(std::fs::read(&db).unwrap() == before, "the file changed");
    let o = run(&db, &["db", "check"]);
    assert!(
        out(&o).contains(&format!(
            "their schema matches version 1: run `tasktui db stamp 1 --db {}`",
            db.display()
        )),
        "{}",
        out(&o)
    );

    let o = run(&db, &["db", "stamp", "head"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        err(&o).contains(&format!("the schema does not match version {}: ", head()))
            && err(&o).contains("table tasks differs from its migrations"),
        "{}",
        err(&o)
    );
    assert!(ok(&db, &["db", "stamp", "1"]).contains("stamped at version 1"));
    assert_eq!(versions(&db), [1]);
    let o = run(&db, &["db", "stamp", "1"]);
    assert!(err(&o).contains("stamp is for a database with tasktui's tables and no migration history; this one is at version 1"));
    ok(&db, &["--migrate-only"]);
    assert!(ok(&db, &["db", "check"]).contains("ok at version"));
    let user: String = Connection::open(&db)
        .unwrap()
        .query_row("SELECT username FROM users", [], |r| r.get(0))
        .unwrap();
    assert_eq!(user, "carol");
}

#[test]
fn show_prints_a_migration_and_its_down() {
    let dir = TempDir::new().unwrap();
    let db = dir.path().join("unused.db");
    assert_eq!(ok(&db, &["db", "show", "1"]), MIGRATIONS[0].up);
    assert!(
        ok(&db, &["db", "show", "1", "--down"])
            .starts_with("-- drops data: every user and every task")
    );
    let o = run(&db, &["db", "show", "99"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("there is no migration V99 in this tasktui"));
    assert!(!db.exists(), "show needs no database");
}

#[test]
fn a_migration_that_fails_midway_leaves_the_file_unchanged() {
    let (_dir, db) = database_at(head());
    let before = std::fs::read(&db).unwrap();
    let o = tasktui(&db, &["--migrate-only"])
        .env(
            "TASKTUI_TEST_EXTRA_MIGRATION",
            "CREATE TABLE half (x); INSERT INTO half VALUES (1); INSERT INTO nowhere VALUES (1);",
        )
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", err(&o));
    assert!(
        err(&o).contains("migration failed, nothing was changed"),
        "{}",
        err(&o)
    );
    assert!(err(&o).contains("no such table: nowhere"), "{}", err(&o));
    assert!(
        std::fs::read(&db).unwrap() == before,
        "the database file changed"
    );
    assert_eq!(versions(&db), (1..=head()).collect::<Vec<_>>());
}

#[test]
fn two_processes_upgrading_at_once_migrate_once() {
    let (_dir, db) = database_at(1);
    let outputs = support::run_together((0..4).map(|_| tasktui(&db, &["db", "upgrade"])).collect());
    for o in &outputs {
        assert!(o.status.success(), "{}", err(o));
    }
    assert_eq!(
        outputs
            .iter()
            .filter(|o| out(o).contains("applied V2"))
            .count(),
        1
    );
    assert_eq!(
        outputs
            .iter()
            .filter(|o| out(o).contains("already up to date"))
            .count(),
        3
    );
    assert_eq!(versions(&db), (1..=head()).collect::<Vec<_>>());
    assert_eq!(task_titles(&db), ["kept"]);
}
