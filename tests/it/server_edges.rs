//! The promises a server keeps at its edges, tried as the person who met each: a password of
//! any shape never shown, one backup name per database, suggestions that work when pasted, ids
//! an import refuses, every wait bounded with its holder named, long texts indexed in linear
//! time, too few open files, a COMMIT whose reply is lost, kept counts written around, and an
//! undo that would take away someone else's work. The real binary against the server
//! `TASKTUI_TEST_POSTGRES` names; built as ignored without it.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

use crate::support;

use support::err as stderr;
use support::out as stdout;
use support::server::{ok, run};

use std::path::Path;
use support::Terminal;
use support::server::{TestDb, server, with_database};
use tasktui_core::seam::Counts;
use tempfile::TempDir;

/// A password holding `/` and `?` (as generated ones do), or given as a percent-encoded
/// parameter, is never printed, logged or put into a backup's name; the backups of one database
/// share a name however the URL spells its host and port.
#[test]
#[cfg_attr(
    not(postgres_tests),
    ignore = "needs a PostgreSQL server: set TASKTUI_TEST_POSTGRES"
)]
fn a_password_of_any_shape_stays_secret_and_one_database_has_one_backup_name() {
    let db = TestDb::new();
    let state = TempDir::new().unwrap();
    let s = state.path();
    let role = SecretRole::new(&db, "S3CRET/x?y");
    let (host, port) = role.host_and_port();
    let spellings = [
        role.url(&format!("{host}:{port}")),
        role.url(&host).replacen("127.0.0.1", "localhost", 1),
        format!(
            "postgres://{}@{host}:{port}/{}?pass%77ord=S3CRET%2Fx%3Fy",
            role.name, db.name
        ),
    ];
    for url in &spellings {
        let out = support::command(Path::new(url), &["add", "secret-keeping"])
            .env("XDG_STATE_HOME", s)
            .env_remove("TASKTUI_LOG")
            .output()
            .unwrap();
        assert!(out.status.success(), "{url}: {}", stderr(&out));
        // A downgrade of a database with data backs it up first.
        let out = support::command(Path::new(url), &["db", "downgrade", "-1"])
            .env("XDG_STATE_HOME", s)
            .env_remove("TASKTUI_LOG")
            .output()
            .unwrap();
        let said = format!("{}{}", stdout(&out), stderr(&out));
        assert!(out.status.success(), "{url}: {said}");
        assert!(!said.contains("S3CRET"), "{said}");
        ok(url, s, &["db", "upgrade"]);
    }
    let log = std::fs::read_to_string(s.join("tasktui/tasktui.log")).unwrap();
    assert!(!log.contains("S3CRET"), "{log}");
    let names: std::collections::BTreeSet<String> = std::fs::read_dir(s.join("tasktui/backups"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .map(|name| name.split(".v").next().unwrap().to_string())
        .collect();
    assert_eq!(names.len(), 1, "{names:?}");
    assert!(!names.iter().any(|n| n.contains("S3CRET")), "{names:?}");
}

/// Every suggested command works when pasted: a value typed into a command comes back quoted, a
/// server named by TASKTUI_DB is not named again (its password would show as ***), and a missing
/// database is created on the same server, as the same user.
#[test]
#[cfg_attr(
    not(postgres_tests),
    ignore = "needs a PostgreSQL server: set TASKTUI_TEST_POSTGRES"
)]
fn suggested_commands_are_quoted_complete_and_work_when_pasted() {
    let db = TestDb::new();
    let state = TempDir::new().unwrap();
    let work = TempDir::new().unwrap();
    let role = SecretRole::new(&db, "pw");
    let (host, port) = role.host_and_port();
    let url = role.url(&format!("{host}:{port}"));
    let out = support::command(Path::new("unused"), &["list", "--user", "$(touch PWN)"])
        .env_remove("TASKTUI_DB")
        .args(["--db", &url])
        .env("XDG_STATE_HOME", state.path())
        .output()
        .unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    // No `user add` for a name it would refuse: only the list of users.
    assert!(!err.contains("user add"), "{err}");
    let hint = err.split('`').nth(1).unwrap().to_string();
    assert!(hint.starts_with("tasktui users --db "), "{hint}");
    assert!(!hint.contains("***") && !hint.contains(":pw@"), "{hint}");
    assert!(
        err.contains("(the password is left out: set PGPASSWORD to it first)"),
        "{err}"
    );
    // Pasted into a shell (with tasktui on the PATH, and the password where the hint says), it
    // lists the users and runs nothing else.
    let bin = Path::new(env!("CARGO_BIN_EXE_tasktui")).parent().unwrap();
    let pasted = std::process::Command::new("sh")
        .arg("-c")
        .arg(&hint)
        .current_dir(work.path())
        .env("PATH", format!("{}:/usr/bin:/bin", bin.display()))
        .env("TASKTUI_CONFIG", "/dev/null")
        .env("TASKTUI_LOG", "off")
        .env("XDG_STATE_HOME", state.path())
        .env("PGPASSWORD", "pw")
        .output()
        .unwrap();
    assert!(pasted.status.success(), "{}", stderr(&pasted));
    assert!(!work.path().join("PWN").exists());
    assert!(
        stdout(&pasted).starts_with("username"),
        "{}",
        stdout(&pasted)
    );

    // Named by TASKTUI_DB: the suggestion leaves --db out, and works in the same shell.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_tasktui"))
        .args(["list", "--user", "nobody"])
        .env("TASKTUI_DB", &url)
        .env("TASKTUI_CONFIG", "/dev/null")
        .env("TASKTUI_LOG", "off")
        .env("XDG_STATE_HOME", state.path())
        .output()
        .unwrap();
    let err = stderr(&out);
    assert!(err.contains("`tasktui user add nobody` adds one"), "{err}");

    // A missing database: createdb with the host, port and user of the URL, the name quoted.
    let missing = with_database(&url, "%24%28touch%20PWN%29");
    let out = support::command(Path::new(&missing), &["list"])
        .env("XDG_STATE_HOME", state.path())
        .output()
        .unwrap();
    assert!(
        stderr(&out).contains(&format!(
            "createdb -h {host} -p {port} -U {} -- '$(touch PWN)'",
            role.name
        )),
        "{}",
        stderr(&out)
    );
}

/// An id a server's sequence cannot go past is refused by the import, and a server's error
/// names its cause.
#[test]
#[cfg_attr(
    not(postgres_tests),
    ignore = "needs a PostgreSQL server: set TASKTUI_TEST_POSTGRES"
)]
fn an_import_refuses_an_id_no_add_could_follow() {
    let db = TestDb::new();
    let state = TempDir::new().unwrap();
    let s = state.path();
    let file = state.path().join("big.json");
    std::fs::write(
        &file,
        r#"{"tasktui_export": 1, "users": [], "tasks": [{"id": 9223372036854775807, "title": "Last", "status": "todo", "priority": "none", "created_at": "2026-11-23T10:00:00Z", "updated_at": "2026-11-23T10:00:00Z"}]}"#,
    )
    .unwrap();
    let out = run(&db.url, s, &["import", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("tasks[0].id: 9223372036854775807 is larger than an id may be"),
        "{}",
        stderr(&out)
    );
    ok(&db.url, s, &["add", "still fine"]);
}

/// A login role of its own with a password of a given shape, dropped after the test.
struct SecretRole {
    name: String,
    db_name: String,
    admin: postgres::Client,
    admin_url: String,
    password: String,
}

impl SecretRole {
    fn new(db: &TestDb, password: &str) -> SecretRole {
        static MADE: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        let name = format!(
            "tasktui_secret_{}_{}",
            std::process::id(),
            MADE.fetch_add(1, std::sync::atomic::Ordering::SeqCst)
        );
        let mut admin = db.admin();
        admin
            .batch_execute(&format!(
                "DROP ROLE IF EXISTS {name}; CREATE ROLE {name} LOGIN SUPERUSER PASSWORD '{}'",
                password.replace('\'', "''")
            ))
            .unwrap();
        SecretRole {
            name,
            db_name: db.name.clone(),
            admin,
            admin_url: server(),
            password: password.into(),
        }
    }

    fn host_and_port(&self) -> (String, u16) {
        host_and_port(&self.admin_url)
    }

    /// The URL of the test's database as this role, at `authority` (`host` or `host:port`).
    fn url(&self, authority: &str) -> String {
        format!(
            "postgres://{}:{}@{authority}/{}",
            self.name, self.password, self.db_name
        )
    }
}

impl Drop for SecretRole {
    fn drop(&mut self) {
        let _ = self.admin.batch_execute(&format!(
            "DROP OWNED BY {0}; DROP ROLE IF EXISTS {0}",
            self.name
        ));
    }
}

/// Every wait on a server is bounded and says what it waited for: a row another session holds,
/// the schema lock held by another, a server that takes the connection and never answers, an
/// `sslrootcert` that is a FIFO.
#[test]
#[cfg_attr(
    not(postgres_tests),
    ignore = "needs a PostgreSQL server: set TASKTUI_TEST_POSTGRES"
)]
fn no_wait_on_a_server_is_unbounded_and_the_holder_is_named() {
    use std::time::{Duration, Instant};
    let db = TestDb::new();
    let state = TempDir::new().unwrap();
    let s = state.path();
    ok(&db.url, s, &["add", "held"]);
    let before = ok(&db.url, s, &["export"]);

    // A row held by another session (BEGIN; SELECT … FOR UPDATE).
    let mut holder = db.client();
    let mut tx = holder.transaction().unwrap();
    tx.batch_execute(
        "SET application_name = 'the-holder'; SELECT * FROM tasks WHERE id = 1 FOR UPDATE",
    )
    .unwrap();
    for args in [
        &["done", "1"][..],
        &["edit", "1", "--title", "x"],
        &["rm", "1", "--yes"],
    ] {
        let started = Instant::now();
        let out = run(&db.url, s, args);
        assert!(
            started.elapsed() < Duration::from_secs(8),
            "{args:?}: {:?}",
            started.elapsed()
        );
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert!(
            stderr(&out).contains("is held by pid") && stderr(&out).contains("the-holder"),
            "{args:?}: {}",
            stderr(&out)
        );
    }
    tx.rollback().unwrap();
    assert_eq!(ok(&db.url, s, &["export"]), before);

    // The schema lock held by another session (a migrator stopped midway).
    let mut migrator = db.client();
    let mut tx = migrator.transaction().unwrap();
    tx.batch_execute(
        "SET application_name = 'a-migrator'; SELECT pg_advisory_xact_lock(1414744916)",
    )
    .unwrap();
    let started = Instant::now();
    let out = support::command(Path::new(&db.url), &["db", "downgrade", "-1"])
        .env("XDG_STATE_HOME", s)
        .env("TASKTUI_LOCK_WAIT", "1")
        .output()
        .unwrap();
    assert!(
        started.elapsed() < Duration::from_secs(6),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("held the schema lock for 1 s (pid")
            && stderr(&out).contains("a-migrator"),
        "{}",
        stderr(&out)
    );
    tx.rollback().unwrap();

    // A server that takes the connection and never answers: the URL's connect_timeout holds.
    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = silent.local_addr().unwrap().port();
    let url = format!("postgres://someone@127.0.0.1:{port}/tasks?connect_timeout=1");
    let started = Instant::now();
    let out = support::command(Path::new(&url), &["list"])
        .output()
        .unwrap();
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("no answer within 1 s"),
        "{}",
        stderr(&out)
    );
    drop(silent);

    // An sslrootcert that is a FIFO is refused before it is read.
    let fifo = state.path().join("ca.pem");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let url = format!(
        "{}?sslmode=verify-full&sslrootcert={}",
        db.url,
        fifo.display()
    );
    let started = Instant::now();
    let out = support::command(Path::new(&url), &["list"])
        .output()
        .unwrap();
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    assert!(
        stderr(&out).contains("not a regular file"),
        "{}",
        stderr(&out)
    );
}

/// V12's twin computes a text's short words in one walk: a description of 1 MB written by
/// another tool is indexed in a moment, not the ten minutes (holding the row's lock) V11's took,
/// and the words are the same.
#[test]
#[cfg_attr(
    not(postgres_tests),
    ignore = "needs a PostgreSQL server: set TASKTUI_TEST_POSTGRES"
)]
fn a_long_description_is_indexed_in_time_linear_in_its_length() {
    use std::time::{Duration, Instant};
    let db = TestDb::new();
    let state = TempDir::new().unwrap();
    ok(&db.url, state.path(), &["add", "long one"]);
    let long = "héllo wörld qz ".repeat(70_000);
    let started = Instant::now();
    db.client()
        .execute("UPDATE tasks SET description = $1 WHERE id = 1", &[&long])
        .unwrap();
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "{:?}",
        started.elapsed()
    );
    assert!(ok(&db.url, state.path(), &["list", "--search", "qz"]).contains("long one"));
    let same: bool = db.one("SELECT tasktui_grams('Héllo', 'Wörld ✓') = string_to_array(lower('Héllo' || E'\\n' || 'Wörld ✓'), NULL)
                || array(SELECT substr(lower('Héllo' || E'\\n' || 'Wörld ✓'), i, 2) FROM generate_series(1, 12) AS i)");
    assert!(same, "V12's words differ from V11's");
}

/// With too few open files allowed the client library cannot start: one line, exit 1, never a
/// panic.
#[test]
#[cfg_attr(
    not(postgres_tests),
    ignore = "needs a PostgreSQL server: set TASKTUI_TEST_POSTGRES"
)]
fn too_few_open_files_is_one_line_not_a_crash() {
    let db = TestDb::new();
    for limit in [6, 12, 20] {
        let out = std::process::Command::new("sh")
            .arg("-c")
            .arg(format!("ulimit -n {limit} && exec \"$0\" --db \"$1\" list",))
            .arg(env!("CARGO_BIN_EXE_tasktui"))
            .arg(&db.url)
            .env("TASKTUI_LOG", "off")
            .env("TASKTUI_CONFIG", "/dev/null")
            .output()
            .unwrap();
        let err = stderr(&out);
        assert!(!err.contains("panicked"), "{limit}: {err}");
        assert!(
            out.status.code() == Some(1) || out.status.success(),
            "{limit}: {err}"
        );
        if !out.status.success() {
            assert!(err.contains("ulimit -n"), "{limit}: {err}");
            assert_eq!(err.lines().count(), 1, "{err}");
        }
    }
}

/// Rows written around the triggers (`session_replication_role = replica`, as `pg_restore
/// --disable-triggers` does) leave the kept counts short: a list still shows every task, and
/// `db check --fix` recounts.
#[test]
#[cfg_attr(
    not(postgres_tests),
    ignore = "needs a PostgreSQL server: set TASKTUI_TEST_POSTGRES"
)]
fn rows_written_around_the_triggers_hide_no_task_and_check_fix_recounts() {
    let db = TestDb::new();
    let state = TempDir::new().unwrap();
    let s = state.path();
    ok(&db.url, s, &["user", "add", "alice"]);
    for i in 0..3 {
        ok(
            &db.url,
            s,
            &["add", &format!("task {i}"), "--user", "alice"],
        );
    }
    db.client()
        .batch_execute(
            "SET session_replication_role = replica;
             INSERT INTO tasks (title, assignee_id, created_at, updated_at)
             SELECT 'restored ' || i, 1, '2026-11-23T10:00:00Z', '2026-11-23T10:00:00Z'
             FROM generate_series(1, 2) AS i;",
        )
        .unwrap();
    let list = ok(&db.url, s, &["list", "--user", "alice"]);
    assert_eq!(list.lines().count(), 6, "{list}");
    // What the interface recounts while idle: the tasks themselves, not the kept counts.
    let server = tasktui_postgres::Server::from_arg(&db.url).unwrap();
    let store = tasktui_postgres::migrate::open(&server).unwrap().store;
    let all = tasktui_sqlite::TaskFilter::default();
    assert_eq!(store.count_tasks(&all).unwrap(), 3);
    assert_eq!(store.recount_kept(&all).unwrap(), Some(5));
    drop(store);
    let out = run(&db.url, s, &["db", "check"]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    let out = ok(&db.url, s, &["db", "check", "--fix"]);
    assert!(out.contains("rebuilt the task counts"), "{out}");
    assert!(out.contains("ok at version 12"), "{out}");
}

/// A proxy to the test server that, once, passes on the COMMIT of a recorded change and then
/// breaks both connections before the server's reply gets back: a reply lost on the network.
fn proxy_losing_one_commit_reply(upstream: (String, u16)) -> u16 {
    use std::io::{Read, Write};
    use std::net::{Shutdown, TcpListener, TcpStream};
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let spent = Arc::new(AtomicBool::new(false));
    std::thread::spawn(move || {
        for client in listener.incoming() {
            let Ok(mut client) = client else { return };
            let mut server = TcpStream::connect((upstream.0.as_str(), upstream.1)).unwrap();
            let cut = Arc::new(AtomicBool::new(false));
            let (mut from_server, mut to_client) =
                (server.try_clone().unwrap(), client.try_clone().unwrap());
            let relay_cut = Arc::clone(&cut);
            std::thread::spawn(move || {
                let mut buffer = [0u8; 65536];
                while let Ok(n) = from_server.read(&mut buffer) {
                    if n == 0 || relay_cut.load(Ordering::SeqCst) {
                        break;
                    }
                    if to_client.write_all(&buffer[..n]).is_err() {
                        break;
                    }
                }
                let _ = to_client.shutdown(Shutdown::Both);
            });
            let spent = Arc::clone(&spent);
            std::thread::spawn(move || {
                let mut buffer = [0u8; 65536];
                let mut recorded = false;
                while let Ok(n) = client.read(&mut buffer) {
                    if n == 0 {
                        break;
                    }
                    let chunk = &buffer[..n];
                    recorded |= chunk.windows(19).any(|w| w == b"INSERT INTO changes");
                    let commit = chunk.windows(7).any(|w| w == b"COMMIT\0");
                    if recorded && commit && !spent.swap(true, Ordering::SeqCst) {
                        cut.store(true, Ordering::SeqCst);
                        let _ = server.write_all(chunk);
                        std::thread::sleep(std::time::Duration::from_millis(200));
                        let _ = client.shutdown(Shutdown::Both);
                        let _ = server.shutdown(Shutdown::Both);
                        return;
                    }
                    if server.write_all(chunk).is_err() {
                        break;
                    }
                }
                let _ = server.shutdown(Shutdown::Both);
            });
        }
    });
    port
}

/// When the reply to a COMMIT is lost, tasktui finds out from the change's own record whether
/// it was saved, says so, and never applies it twice.
#[test]
#[cfg_attr(
    not(postgres_tests),
    ignore = "needs a PostgreSQL server: set TASKTUI_TEST_POSTGRES"
)]
fn a_saved_change_whose_reply_is_lost_is_reported_saved_once() {
    let db = TestDb::new();
    let state = TempDir::new().unwrap();
    let s = state.path();
    ok(&db.url, s, &["add", "before"]);
    let (host, port) = host_and_port(&db.url);
    let proxy = proxy_losing_one_commit_reply((host.clone(), port));
    let through = db
        .url
        .replacen(&format!("{host}:{port}"), &format!("127.0.0.1:{proxy}"), 1);
    assert_ne!(through, db.url);
    let out = run(&through, s, &["add", "saved once"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out).trim(), "2");
    let count: i64 = db.one("SELECT count(*) FROM tasks WHERE title = 'saved once'");
    assert_eq!(count, 1);
}

/// In the interface on a server, an undo that would take away what someone else built on it is
/// refused, naming them, and changes nothing.
#[test]
#[cfg_attr(
    not(postgres_tests),
    ignore = "needs a PostgreSQL server: set TASKTUI_TEST_POSTGRES"
)]
fn an_undo_in_the_interface_never_takes_away_someone_elses_work() {
    let db = TestDb::new();
    let state = TempDir::new().unwrap();
    let s = state.path();
    let as_person = |person: &str, args: &[&str]| {
        let out = support::command(Path::new(&db.url), args)
            .env("XDG_STATE_HOME", s)
            .env("TASKTUI_USER", person)
            .output()
            .unwrap();
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    };
    as_person("x", &["add", "Task one"]);
    as_person("x", &["user", "add", "zed"]);
    as_person("y", &["edit", "1", "--user", "zed"]);
    let mut x = Terminal::start_with_env(&["--db", &db.url], &[("TASKTUI_USER", "x")], 120, 30);
    x.wait_for("Task one");
    x.type_keys("u");
    let screen = x.wait_for("builds on it");
    assert!(screen.contains("y's later change"), "{screen}");
    let assignee: Option<i64> = db.one("SELECT assignee_id FROM tasks WHERE id = 1");
    assert!(assignee.is_some(), "zed's task was unassigned");
    let users: i64 = db.one("SELECT count(*) FROM users WHERE username = 'zed'");
    assert_eq!(users, 1);
    x.type_keys("q");
    assert_eq!(x.wait_exit(), 0);
}

/// A dry run on a server writes nothing at all, its schema included: on a database that needs
/// migrating it says so and leaves it at its version.
#[test]
#[cfg_attr(
    not(postgres_tests),
    ignore = "needs a PostgreSQL server: set TASKTUI_TEST_POSTGRES"
)]
fn a_dry_run_on_a_server_migrates_nothing() {
    let db = TestDb::new();
    let state = TempDir::new().unwrap();
    let s = state.path();
    let file = state.path().join("one.json");
    let source = TestDb::new();
    ok(&source.url, s, &["add", "from elsewhere"]);
    ok(
        &source.url,
        s,
        &["export", "--output", file.to_str().unwrap()],
    );
    let file = file.to_str().unwrap();
    ok(&db.url, s, &["db", "upgrade", "4"]);
    let out = run(&db.url, s, &["import", "--dry-run", file]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("a dry run changes nothing"),
        "{}",
        stderr(&out)
    );
    assert!(ok(&db.url, s, &["db", "current"]).contains("version 4 (user_row_versions)"));
    ok(&db.url, s, &["db", "upgrade"]);
    let out = ok(&db.url, s, &["import", "--dry-run", file]);
    assert!(out.contains("would import 0 users and 1 task"), "{out}");
    assert!(!ok(&db.url, s, &["list"]).contains("from elsewhere"));
    let changes: i64 = db.one("SELECT count(*) FROM changes");
    assert_eq!(changes, 0);
}

/// In the interface, a write that waits on a row another session holds says so while it waits,
/// then names the holder; nothing is saved, and the next try goes through.
#[test]
#[cfg_attr(
    not(postgres_tests),
    ignore = "needs a PostgreSQL server: set TASKTUI_TEST_POSTGRES"
)]
fn the_interface_says_what_a_write_waits_for_and_who_holds_it() {
    let db = TestDb::new();
    let state = TempDir::new().unwrap();
    ok(&db.url, state.path(), &["add", "held elsewhere"]);
    let mut term = Terminal::start_with_env(&["--db", &db.url], &[], 120, 30);
    term.wait_for("held elsewhere");
    let mut holder = db.client();
    let mut tx = holder.transaction().unwrap();
    tx.batch_execute(
        "SET application_name = 'the-holder'; SELECT * FROM tasks WHERE id = 1 FOR UPDATE",
    )
    .unwrap();
    term.type_keys("x");
    term.wait_for("saving: waiting for the server");
    let screen = term.wait_for("the-holder");
    assert!(
        screen.contains("nothing was saved: a row or table it needs is held by pid"),
        "{screen}"
    );
    tx.rollback().unwrap();
    term.type_keys("x");
    term.wait_for("is done");
    term.type_keys("q");
    assert_eq!(term.wait_exit(), 0);
}

/// While a write waits on a held row, the interface stays with the person: the bottom line
/// counts the wait, keys typed meanwhile are kept and follow, and Esc stops the wait at once
/// (long before the server's own lock wait), with nothing saved.
#[test]
#[cfg_attr(
    not(postgres_tests),
    ignore = "needs a PostgreSQL server: set TASKTUI_TEST_POSTGRES"
)]
fn esc_stops_a_wait_on_the_server_and_the_keys_typed_meanwhile_follow() {
    let db = TestDb::new();
    let state = TempDir::new().unwrap();
    ok(&db.url, state.path(), &["add", "alpha held"]);
    ok(&db.url, state.path(), &["add", "bravo free"]);
    let mut term = Terminal::start_with_env(&["--db", &db.url], &[], 120, 30);
    term.wait_for("bravo free");
    let mut holder = db.client();
    let mut tx = holder.transaction().unwrap();
    tx.batch_execute("SELECT * FROM tasks WHERE title = 'alpha held' FOR UPDATE")
        .unwrap();
    let started = std::time::Instant::now();
    term.type_keys("x");
    term.wait_for("saving: waiting for the server");
    term.wait_for("Esc stops waiting");
    term.type_keys("j");
    term.wait_for("1 key typed follows");
    term.send(b"\x1b");
    let screen = term.wait_for("stopped waiting for the server; nothing was saved");
    assert!(
        started.elapsed() < std::time::Duration::from_millis(2_900),
        "Esc did not end the wait before the server's lock wait: {:?}",
        started.elapsed()
    );
    assert!(!screen.contains("held by"), "{screen}");
    // The kept `j` moved the selection on: the next `x` is for bravo, which nobody holds.
    term.type_keys("x");
    term.wait_for("is done");
    let statuses: Vec<(String, String)> = db
        .client()
        .query("SELECT title, status FROM tasks ORDER BY id", &[])
        .unwrap()
        .iter()
        .map(|row| (row.get(0), row.get(1)))
        .collect();
    assert_eq!(
        statuses,
        [
            ("alpha held".to_string(), "todo".to_string()),
            ("bravo free".to_string(), "done".to_string())
        ]
    );
    tx.rollback().unwrap();
    term.type_keys("q");
    assert_eq!(term.wait_exit(), 0);
}

/// A read that waits (a table another session locked whole) says so and stops on Esc too; a
/// search that waits is given up by Esc, as by any key.
#[test]
#[cfg_attr(
    not(postgres_tests),
    ignore = "needs a PostgreSQL server: set TASKTUI_TEST_POSTGRES"
)]
fn a_read_that_waits_on_the_server_says_so_and_stops_on_esc() {
    let db = TestDb::new();
    let state = TempDir::new().unwrap();
    ok(&db.url, state.path(), &["add", "locked away"]);
    let mut term = Terminal::start_with_env(&["--db", &db.url], &[], 120, 30);
    term.wait_for("locked away");
    term.type_keys("/");
    term.wait_for("Esc clear");
    let mut holder = db.client();
    let mut tx = holder.transaction().unwrap();
    tx.batch_execute("LOCK TABLE tasks IN ACCESS EXCLUSIVE MODE")
        .unwrap();
    term.type_keys("l");
    term.wait_for("searching: waiting for the server");
    // Esc gives the search up and clears it: the whole list is read again, and waits too…
    term.send(b"\x1b");
    let screen = term.wait_for("reading: waiting for the server (");
    assert!(screen.contains("Esc stops waiting"), "{screen}");
    // …until Esc stops that wait.
    term.send(b"\x1b");
    let screen = term.wait_for("stopped waiting for the server");
    // The list read before the wait stays: nothing claims there are no matches.
    assert!(screen.contains("locked away"), "{screen}");
    assert!(!screen.contains("0 matches"), "{screen}");
    tx.rollback().unwrap();
    term.send(b"\x1b");
    term.type_keys("q");
    assert_eq!(term.wait_exit(), 0);
}

/// A search that waits on the server gives way to the next key, as on a file: its statement is
/// cancelled, the key shows at once (not held behind the search as typed ahead), and only the
/// newest search runs when the server answers.
#[test]
#[cfg_attr(
    not(postgres_tests),
    ignore = "needs a PostgreSQL server: set TASKTUI_TEST_POSTGRES"
)]
fn a_search_waiting_on_the_server_gives_way_to_the_next_key() {
    let db = TestDb::new();
    let state = TempDir::new().unwrap();
    ok(&db.url, state.path(), &["add", "locked away"]);
    ok(&db.url, state.path(), &["add", "left open"]);
    let mut term = Terminal::start_with_env(&["--db", &db.url], &[], 120, 30);
    term.wait_for("left open");
    term.type_keys("/");
    term.wait_for("Esc clear");
    let mut holder = db.client();
    let mut tx = holder.transaction().unwrap();
    tx.batch_execute("LOCK TABLE tasks IN ACCESS EXCLUSIVE MODE")
        .unwrap();
    term.type_keys("l");
    term.wait_for("searching: waiting for the server");
    term.type_keys("o");
    // The second letter is in the prompt while the table is still locked: the first search
    // was given up for it, and the new one waits in its place.
    let screen = term.wait_for("/lo▏");
    assert!(!screen.contains("key typed follows"), "{screen}");
    term.wait_for("searching: waiting for the server");
    let waiting: i64 = db
        .client()
        .query_one(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'
             AND datname = current_database()",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(waiting, 1, "one search waits, not two");
    tx.rollback().unwrap();
    let screen = term.wait_for("(1/1");
    assert!(screen.contains("locked away"), "{screen}");
    assert!(!screen.contains("left open"), "{screen}");
    term.send(b"\x1b");
    term.send(b"\x1b");
    term.type_keys("q");
    assert_eq!(term.wait_exit(), 0);
}

/// A server counts a search's matches to a thousand (each is read from the table to be
/// counted): past it the list says there are more, holds the first thousand, and `G` goes to
/// the thousandth.
#[test]
#[cfg_attr(
    not(postgres_tests),
    ignore = "needs a PostgreSQL server: set TASKTUI_TEST_POSTGRES"
)]
fn a_server_counts_a_search_to_a_thousand_and_says_there_are_more() {
    let db = TestDb::new();
    let state = TempDir::new().unwrap();
    let data = crate::support::server::numbered_tasks(1200);
    let file = state.path().join("tasks.json");
    std::fs::write(&file, data).unwrap();
    ok(&db.url, state.path(), &["import", file.to_str().unwrap()]);
    let mut term = Terminal::start_with_env(&["--db", &db.url], &[], 120, 30);
    term.wait_for("(1/1,200)");
    // A search fewer than a thousand tasks hold is counted whole: "99" is in 21 titles.
    term.type_keys("/99");
    let screen = term.wait_for("21 matches");
    assert!(screen.contains("(1/21)"), "{screen}");
    term.send(b"\x1b");
    term.wait_for("(1/1,200)");
    term.type_keys("/deploy");
    let screen = term.wait_for("(1/1,000+)");
    assert!(screen.contains("1,000+ matches"), "{screen}");
    term.send(b"\r");
    term.type_keys("G");
    term.wait_for("(1,000/1,000+)");
    term.send(b"\x1b");
    term.send(b"\x1b");
    term.type_keys("q");
    assert_eq!(term.wait_exit(), 0);
}

/// The host and port a test URL names, as the client reads them.
fn host_and_port(url: &str) -> (String, u16) {
    let config: postgres::Config = url.parse().unwrap();
    let host = match config.get_hosts().first() {
        Some(postgres::config::Host::Tcp(host)) => host.clone(),
        _ => "127.0.0.1".into(),
    };
    (host, config.get_ports().first().copied().unwrap_or(5432))
}
