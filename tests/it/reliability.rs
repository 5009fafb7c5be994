//! The holes an adversary found in the commands: what is not a file, closed pipes, backups that
//! are not tasktui's, checks before commit, refused commands that wrote, raw text from files,
//! one database by two paths, paths that are not UTF-8, hints that must work, rows that break a
//! migration's rules, and locks held by someone else.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

use crate::support;

use rusqlite::Connection;
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};
use support::database_with;
use tasktui_core::seam::Counts;
use tasktui_core::seam::Tasks;
use tempfile::TempDir;

/// A command that waits a second, not ten, for a lock someone else holds.
fn tasktui(db: &Path, args: &[&str]) -> Command {
    let mut command = support::command(db, args);
    command.env("TASKTUI_LOCK_WAIT", "1");
    command
}

/// Runs to the end, or fails the test after ten seconds instead of hanging it.
fn run_bounded(mut command: Command) -> Output {
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > Duration::from_secs(10) {
            child.kill().unwrap();
            panic!("tasktui hung");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

fn run(db: &Path, args: &[&str]) -> Output {
    run_bounded(tasktui(db, args))
}

fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// A version-1 database holding one user and one task, in rollback-journal mode so that any
/// write shows in the main file's bytes.
fn old_database(dir: &TempDir) -> PathBuf {
    let db = dir.path().join("t.db");
    database_with(
        &db,
        "1",
        "PRAGMA journal_mode = delete;
         INSERT INTO users (username) VALUES ('alice');
         INSERT INTO tasks (title, assignee_id) VALUES ('write the report', 1);",
    );
    db
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn a_fifo_or_a_device_is_refused_before_anything_is_opened_or_created() {
    let dir = TempDir::new().unwrap();
    let fifo = dir.path().join("pipe.db");
    nix::unistd::mkfifo(&fifo, nix::sys::stat::Mode::from_bits_truncate(0o644)).unwrap();
    for args in [
        &["--migrate-only"][..],
        &["db", "current"],
        &["db", "check"],
        &["db", "upgrade"],
        &["db", "stamp", "1"],
        &["demo"],
    ] {
        let o = run(&fifo, args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", err(&o));
        assert!(
            err(&o).contains("is a named pipe (FIFO), not a database file"),
            "{}",
            err(&o)
        );
    }
    assert_eq!(files_in(dir.path()), ["pipe.db"]);
    let lock_before = Path::new("/dev/null.lock").exists();
    let journal_before = Path::new("/dev/null-journal").exists();
    let o = run(Path::new("/dev/null"), &["--migrate-only"]);
    assert_eq!(o.status.code(), Some(2), "{}", err(&o));
    assert!(
        err(&o).contains("/dev/null: is a character device"),
        "{}",
        err(&o)
    );
    assert_eq!(Path::new("/dev/null.lock").exists(), lock_before);
    assert_eq!(Path::new("/dev/null-journal").exists(), journal_before);
}

#[test]
fn a_reader_that_closes_early_ends_the_command_quietly() {
    let dir = TempDir::new().unwrap();
    let db = old_database(&dir);
    for args in [
        &["db", "history"][..],
        &["db", "upgrade"],
        &["db", "show", "1"],
    ] {
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        let o = run_bounded({
            let mut c = tasktui(&db, args);
            c.stdout(writer);
            c
        });
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}", err(&o));
        assert!(!err(&o).contains("panicked"), "{}", err(&o));
    }
    // The upgrade was done before its report found nobody reading.
    let version: u32 = Connection::open(&db)
        .unwrap()
        .query_row(
            "SELECT max(version) FROM refinery_schema_history",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(
        version,
        tasktui_sqlite::migrate::latest(tasktui_sqlite::migrate::MIGRATIONS)
    );
}

#[test]
fn pruning_removes_only_backups_tasktui_wrote_of_this_database() {
    let dir = TempDir::new().unwrap();
    let db = old_database(&dir);
    let keep = [
        "t.db.vacation-notes.bak",
        "t.db.old.v1-20200101T000000Z.bak",
        "t.db.v1.bak",
        "t.db.v1-20200101T000000Z.bak.txt",
    ];
    for name in keep {
        std::fs::write(dir.path().join(name), "mine").unwrap();
    }
    for _ in 0..4 {
        for args in [&["db", "upgrade"][..], &["db", "downgrade", "1", "--yes"]] {
            let o = run(&db, args);
            assert!(o.status.success(), "{}", err(&o));
            std::thread::sleep(Duration::from_millis(20));
        }
    }
    let names = files_in(dir.path());
    for name in keep {
        assert!(
            names.iter().any(|n| n == name),
            "{name} was deleted: {names:?}"
        );
    }
    let ours = tasktui_sqlite::backups(&db);
    assert_eq!(ours.len(), 5, "{names:?}");
}

#[test]
fn a_backup_is_never_visible_under_its_name_before_it_is_whole() {
    let dir = TempDir::new().unwrap();
    let db = old_database(&dir);
    // What a killed backup leaves: a partial copy under the temporary name.
    let partial = dir.path().join("t.db.v1-20200101T000000Z.bak.partial");
    std::fs::write(&partial, b"").unwrap();
    let o = run(&db, &["db", "upgrade"]);
    assert!(o.status.success(), "{}", err(&o));
    assert!(!partial.exists(), "the leftover partial copy stayed");
    let backups = tasktui_sqlite::backups(&db);
    assert_eq!(backups.len(), 1);
    let copy = Connection::open(&backups[0]).unwrap();
    let check: String = copy
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
    let title: String = copy
        .query_row("SELECT title FROM tasks", [], |r| r.get(0))
        .unwrap();
    assert_eq!(title, "write the report");
    assert!(!files_in(dir.path()).iter().any(|n| n.ends_with(".partial")));
}

#[test]
fn an_upgrade_whose_foreign_key_check_fails_is_rolled_back_and_says_so() {
    let dir = TempDir::new().unwrap();
    let db = dir.path().join("t.db");
    database_with(
        &db,
        "head",
        "PRAGMA journal_mode = delete; INSERT INTO users (username) VALUES ('a');",
    );
    let before = std::fs::read(&db).unwrap();
    let o = run_bounded({
        let mut c = tasktui(&db, &["--migrate-only"]);
        c.env(
            "TASKTUI_TEST_EXTRA_MIGRATION",
            "INSERT INTO tasks (title, assignee_id) VALUES ('orphan', 999);",
        );
        c
    });
    assert_eq!(o.status.code(), Some(1), "{}", err(&o));
    assert!(
        err(&o).contains("the migration was rolled back, nothing was changed"),
        "{}",
        err(&o)
    );
    assert!(std::fs::read(&db).unwrap() == before, "the file changed");
}

#[test]
fn refused_db_commands_leave_every_byte_of_the_file() {
    let dir = TempDir::new().unwrap();
    let db = old_database(&dir);
    let before = std::fs::read(&db).unwrap();
    for args in [
        &["db", "upgrade", "99"][..],
        &["db", "upgrade", "abc"],
        &["db", "upgrade", "0"],
        &["db", "downgrade", "7"],
        &["db", "downgrade", "abc"],
        &["db", "downgrade", "1"],
        &["db", "stamp", "99"],
        &["db", "stamp", "abc"],
        &["db", "stamp", "1"],
        &["demo"],
    ] {
        let o = run(&db, args);
        assert!(!o.status.success(), "{args:?} did not refuse");
        assert!(
            std::fs::read(&db).unwrap() == before,
            "{args:?} changed the file"
        );
    }
}

#[test]
fn text_from_the_file_is_made_safe_in_every_command() {
    let dir = TempDir::new().unwrap();
    let db = dir.path().join("t.db");
    database_with(
        &db,
        "head",
        "UPDATE refinery_schema_history SET name = 'x' || char(27) || ']0;pwned' || char(7)
             WHERE version = 1;
         CREATE TABLE \"evil\u{1b}[2J\" (x);
         CREATE INDEX \"ix\u{202E}\" ON tasks (title);",
    );
    for args in [
        &["db", "history"][..],
        &["db", "current"],
        &["db", "check"],
        &["--migrate-only"],
    ] {
        let o = run(&db, args);
        let both = [o.stdout.as_slice(), o.stderr.as_slice()].concat();
        assert!(
            !both.contains(&0x1b),
            "{args:?} printed ESC: {}",
            String::from_utf8_lossy(&both)
        );
        assert!(!both.contains(&0x07), "{args:?} printed BEL");
        let text = String::from_utf8_lossy(&both);
        assert!(!text.contains('\u{202E}'), "{args:?} printed U+202E");
    }
    let o = run(&db, &["db", "check"]);
    assert!(out(&o).contains("evil␛[2J"), "{}", out(&o));
}

#[test]
fn one_database_by_two_paths_is_migrated_and_backed_up_once() {
    for round in 0..4 {
        let dir = TempDir::new().unwrap();
        let db = old_database(&dir);
        let other = if round % 2 == 0 {
            let link = dir.path().join("link.db");
            std::os::unix::fs::symlink(&db, &link).unwrap();
            link
        } else {
            // The folder by another name (a second hard link is refused: tests/file_edges.rs).
            let sub = dir.path().join("sub");
            std::os::unix::fs::symlink(dir.path(), &sub).unwrap();
            sub.join("t.db")
        };
        let outputs = support::run_together(
            [&db, &other]
                .iter()
                .map(|path| tasktui(path, &["db", "upgrade"]))
                .collect(),
        );
        for o in &outputs {
            assert!(o.status.success(), "round {round}: {}", err(o));
        }
        let backed_up = outputs
            .iter()
            .filter(|o| out(o).contains("backed up to"))
            .count();
        let applied = outputs
            .iter()
            .filter(|o| out(o).contains("applied V2"))
            .count();
        assert_eq!((backed_up, applied), (1, 1), "round {round}");
    }
}

#[test]
fn a_path_that_is_not_utf8_works_every_time() {
    let dir = TempDir::new().unwrap();
    let db = dir.path().join(OsStr::from_bytes(b"caf\xe9.db"));
    for _ in 0..2 {
        let o = run(&db, &["--migrate-only"]);
        assert!(o.status.success(), "{}", err(&o));
    }
    for args in [&["db", "current"][..], &["db", "check"], &["db", "history"]] {
        let o = run(&db, args);
        assert!(o.status.success(), "{args:?}: {}", err(&o));
    }
    Connection::open(&db)
        .unwrap()
        .execute("INSERT INTO users (username) VALUES ('a')", [])
        .unwrap();
    let o = run(&db, &["db", "downgrade", "-1"]);
    assert!(o.status.success(), "{}", err(&o));
    let backups = tasktui_sqlite::backups(&db);
    assert_eq!(backups.len(), 1);
    assert!(
        backups[0]
            .file_name()
            .unwrap()
            .as_bytes()
            .starts_with(b"caf\xe9.db.v")
    );
}

#[test]
fn every_hint_works_when_followed() {
    // A fresh machine: no data folder yet.
    let home = TempDir::new().unwrap();
    let fresh = |args: &[&str]| {
        run_bounded({
            let mut c = Command::new(env!("CARGO_BIN_EXE_tasktui"));
            c.args(args)
                .env_remove("TASKTUI_DB")
                .env("TASKTUI_CONFIG", "/dev/null")
                .env("TASKTUI_LOG", "off")
                .env("HOME", home.path())
                .env("XDG_DATA_HOME", home.path().join("data"))
                .stdin(Stdio::null());
            c
        })
    };
    let o = fresh(&["db", "current"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        err(&o).contains("no such database; `tasktui --migrate-only` creates it"),
        "{}",
        err(&o)
    );
    let o = fresh(&["--migrate-only"]);
    assert!(o.status.success(), "{}", err(&o));
    assert!(fresh(&["db", "current"]).status.success());

    // An explicit path with a space: the hint names it, quoted, and works in a shell.
    let dir = TempDir::new().unwrap();
    let db = dir.path().join("team db.db");
    let o = run(&db, &["db", "current"]);
    let hint = err(&o);
    let command = hint.split('`').nth(1).unwrap().to_string();
    assert!(command.contains("--db '"), "{command}");
    let bin = Path::new(env!("CARGO_BIN_EXE_tasktui")).parent().unwrap();
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap());
    let o = run_bounded({
        let mut c = Command::new("sh");
        c.arg("-c")
            .arg(&command)
            .env("PATH", path)
            .env_remove("TASKTUI_DB")
            .env("TASKTUI_CONFIG", "/dev/null")
            .env("TASKTUI_LOG", "off");
        c
    });
    assert!(o.status.success(), "{command}: {}", err(&o));
    assert!(db.exists());
}

#[test]
fn rows_that_break_a_migration_are_named_with_the_way_to_mend_them() {
    let dir = TempDir::new().unwrap();
    let db = dir.path().join("t.db");
    database_with(
        &db,
        "1",
        "PRAGMA journal_mode = delete;
         PRAGMA ignore_check_constraints = 1;
         INSERT INTO tasks (id, title, status) VALUES (3, 'a', 'DONE');
         INSERT INTO tasks (id, title, priority) VALUES (4, 'b', 99);
         INSERT INTO tasks (id, title, due_date) VALUES (5, 'c', '2026/1/1');
         INSERT INTO tasks (id, title) VALUES (6, 'fine');",
    );
    let before = std::fs::read(&db).unwrap();
    // Starting the interface says the same, and changes nothing either.
    let mut term = support::Terminal::start(&db, 200, 40);
    assert_eq!(term.wait_exit(), 2);
    term.wait_for("tasks row 3: status 'DONE' must be todo, doing or done");
    assert!(std::fs::read(&db).unwrap() == before, "the file changed");
    let o = run(&db, &["--migrate-only"]);
    assert_eq!(o.status.code(), Some(2), "{}", err(&o));
    let message = err(&o);
    for expected in [
        "tasks row 3: status 'DONE' must be todo, doing or done",
        "tasks row 4: priority 99 must be 0 (none) to 3 (high)",
        "tasks row 5: due_date '2026/1/1' must be a date like 2026-12-01",
    ] {
        assert!(message.contains(expected), "{message}");
    }
    assert!(!message.contains("row 6"), "{message}");
    assert!(std::fs::read(&db).unwrap() == before, "the file changed");
    let check = run(&db, &["db", "check"]);
    assert!(
        out(&check).contains("tasks row 3: status 'DONE'"),
        "{}",
        out(&check)
    );
    // Following the way out: each statement offered, then the upgrade goes through.
    let conn = Connection::open(&db).unwrap();
    for statement in message.split("(mend: ").skip(1) {
        conn.execute_batch(statement.split(")").next().unwrap())
            .unwrap();
    }
    drop(conn);
    let o = run(&db, &["--migrate-only"]);
    assert!(o.status.success(), "{}", err(&o));
    assert!(run(&db, &["db", "check"]).status.success());
}

#[test]
fn a_held_lock_is_waited_for_a_bounded_time_naming_its_holder() {
    let dir = TempDir::new().unwrap();
    let db = old_database(&dir);
    // A stopped process holds it: the message says which, and how to resume it.
    let mut sleeper = Command::new("sleep").arg("30").spawn().unwrap();
    let pid = sleeper.id();
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(pid as i32),
        nix::sys::signal::Signal::SIGSTOP,
    )
    .unwrap();
    let lock_path = dir.path().join("t.db.lock");
    std::fs::write(
        &lock_path,
        format!("process {pid} (tasktui db downgrade -1)"),
    )
    .unwrap();
    let lock = std::fs::File::open(&lock_path).unwrap();
    lock.lock().unwrap();
    let started = Instant::now();
    let o = run(&db, &["--migrate-only"]);
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(o.status.code(), Some(1), "{}", err(&o));
    let message = err(&o);
    assert!(
        message.contains(&format!(
            "waiting for {}: locked by process {pid} (tasktui db downgrade -1)",
            lock_path.display()
        )),
        "{message}"
    );
    assert!(
        message.contains(&format!("which is stopped (`kill -CONT {pid}` resumes it)")),
        "{message}"
    );
    assert!(message.contains("still locked after 1 s"), "{message}");
    drop(lock);
    let _ = sleeper.kill();
    let _ = sleeper.wait();
    assert!(run(&db, &["--migrate-only"]).status.success());
}

#[test]
fn the_search_index_follows_every_way_sql_changes_a_task_and_check_verifies_it() {
    use tasktui_sqlite::{FileLocation, Store, TaskFilter};
    let dir = TempDir::new().unwrap();
    let db = dir.path().join("t.db");
    database_with(
        &db,
        "head",
        "INSERT INTO tasks (id, title) VALUES (1, 'alpha report'), (2, 'beta budget');
         UPDATE tasks SET title = 'gamma plan' WHERE id = 1;
         UPDATE tasks SET title = 'delta deck' WHERE id = 2;
         INSERT INTO tasks (id, title) VALUES (3, 'epsilon') ON CONFLICT (id) DO NOTHING;
         DELETE FROM tasks WHERE id = 1;
         UPDATE tasks SET id = 1 WHERE id = 3;",
    );
    // A write that would replace a task (and skip its delete triggers) is refused, saying how.
    let other = Connection::open(&db).unwrap();
    for replace in [
        "INSERT OR REPLACE INTO tasks (id, title) VALUES (1, 'zeta')",
        "REPLACE INTO tasks (id, title) VALUES (2, 'zeta')",
        "UPDATE OR REPLACE tasks SET id = 1 WHERE id = 2",
    ] {
        let refused = other.execute(replace, []).unwrap_err().to_string();
        assert!(
            refused.contains("tasks: this id is taken"),
            "{replace}: {refused}"
        );
    }
    drop(other);
    let store = Store::open(&FileLocation::Explicit(db.clone()))
        .unwrap()
        .store;
    let found = |text: &str| {
        let filter = TaskFilter {
            search: Some(text.into()),
            ..TaskFilter::default()
        };
        let titles: Vec<String> = store
            .list_tasks(&filter, 0, 10)
            .unwrap()
            .into_iter()
            .map(|t| t.title)
            .collect();
        (store.count_tasks(&filter).unwrap(), titles)
    };
    assert_eq!(found("alpha"), (0, vec![]));
    assert_eq!(found("beta"), (0, vec![]));
    assert_eq!(found("gamma"), (0, vec![]));
    assert_eq!(found("epsilon"), (1, vec!["epsilon".to_string()]));
    assert_eq!(found("delta"), (1, vec!["delta deck".to_string()]));
    drop(store);
    let o = run(&db, &["db", "check"]);
    assert!(o.status.success(), "{}", out(&o));
    // An index changed behind tasktui's back is found, and the way out mends it.
    Connection::open(&db)
        .unwrap()
        .execute_batch(
            "INSERT INTO tasks_search (rowid, title, description) VALUES (99, 'ghost', '');",
        )
        .unwrap();
    let o = run(&db, &["db", "check"]);
    assert_eq!(o.status.code(), Some(1));
    let report = out(&o);
    assert!(
        report.contains("search index: the search index disagrees with the tasks"),
        "{report}"
    );
    let mend = report
        .split("(or with sqlite3: ")
        .nth(1)
        .unwrap()
        .lines()
        .next()
        .unwrap()
        .trim_end_matches(')');
    Connection::open(&db).unwrap().execute_batch(mend).unwrap();
    assert!(run(&db, &["db", "check"]).status.success());
}

#[test]
fn check_keeps_its_exit_code_when_nobody_reads_its_report() {
    let dir = TempDir::new().unwrap();
    let db = dir.path().join("t.db");
    database_with(&db, "head", "CREATE TABLE notes (x);");
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let o = run_bounded({
        let mut c = tasktui(&db, &["db", "check"]);
        c.stdout(writer);
        c
    });
    assert_eq!(o.status.code(), Some(1), "{}", err(&o));
    assert!(err(&o).contains("1 problem found"), "{}", err(&o));
}

#[test]
fn a_backup_that_runs_out_of_space_leaves_no_file_and_changes_nothing() {
    let dir = TempDir::new().unwrap();
    let db = old_database(&dir);
    Connection::open(&db)
        .unwrap()
        .execute_batch(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200)
             INSERT INTO tasks (title, description) SELECT 'task ' || i, printf('%.500c', 'x') FROM n;",
        )
        .unwrap();
    let size = std::fs::metadata(&db).unwrap().len();
    let before = std::fs::read(&db).unwrap();
    // The file size limit stands in for a full disk: the copy cannot grow past half the database.
    let o = run_bounded({
        let mut c = Command::new("sh");
        c.arg("-c")
            .arg(format!(
                "trap '' XFSZ; ulimit -f {}; exec \"$0\" --db \"$1\" db upgrade",
                size / 2 / 512
            ))
            .arg(env!("CARGO_BIN_EXE_tasktui"))
            .arg(&db)
            .env_remove("TASKTUI_DB")
            .env("TASKTUI_CONFIG", "/dev/null")
            .env("TASKTUI_LOG", "off")
            .stdin(Stdio::null());
        c
    });
    assert_eq!(o.status.code(), Some(1), "{}", err(&o));
    assert!(
        err(&o).contains("could not back up the database before changing it"),
        "{}",
        err(&o)
    );
    assert!(err(&o).contains("nothing was changed"), "{}", err(&o));
    let left: Vec<String> = files_in(dir.path())
        .into_iter()
        .filter(|n| n.contains(".bak"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
    assert!(std::fs::read(&db).unwrap() == before, "the file changed");
}
