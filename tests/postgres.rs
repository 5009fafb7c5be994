//! The PostgreSQL backend end to end, as a team would use it: the real binary against the
//! server `TASKTUI_TEST_POSTGRES` names, a database of its own per test. Two interfaces in
//! pseudo-terminals, the `db` workflow, moving a SQLite file to a server, and the errors a
//! server can give. Skipped with one line without the variable; required under `CI=true`.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

mod support;

use std::path::Path;
use std::process::Output;
use support::Terminal;
use support::server::{TestDb, server, with_database};
use tempfile::TempDir;

const ENTER: &[u8] = b"\r";

/// `tasktui --db <url> <args>` without a terminal, its backups in a state folder of its own.
fn run(url: &str, state: &Path, args: &[&str]) -> Output {
    support::command(Path::new(url), args)
        .env("XDG_STATE_HOME", state)
        .output()
        .unwrap()
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn ok(url: &str, state: &Path, args: &[&str]) -> String {
    let out = run(url, state, args);
    assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    stdout(&out)
}

#[test]
#[cfg_attr(
    not(postgres_tests),
    ignore = "needs a PostgreSQL server: set TASKTUI_TEST_POSTGRES"
)]
fn two_people_on_one_server_see_each_other_and_a_stale_edit_keeps_its_text() {
    let db = TestDb::new();
    let mut alice =
        Terminal::start_with_env(&["--db", &db.url], &[("TASKTUI_USER", "alice")], 100, 30);
    alice.wait_for("created tasktui's tables");
    let mut bob = Terminal::start_with_env(&["--db", &db.url], &[("TASKTUI_USER", "bob")], 100, 30);
    alice.type_keys("a");
    alice.wait_for("New task");
    alice.type_keys("Written by alice");
    alice.send(ENTER);
    alice.wait_for("saved “Written by alice”");
    let started = std::time::Instant::now();
    bob.wait_for("Written by alice");
    println!("bob saw alice's task after {:?}", started.elapsed());
    assert!(started.elapsed() < std::time::Duration::from_secs(3));
    // Bob starts an edit of the title; alice finishes the task meanwhile: the two touch
    // different fields, so bob's save is merged with hers.
    bob.type_keys("e");
    bob.wait_for("Edit task");
    bob.type_keys(" and bob");
    alice.type_keys("x");
    alice.wait_for("is done");
    bob.wait_for("done ");
    bob.send(ENTER);
    bob.wait_for("saved “Written by alice and bob”");
    alice.wait_for("Written by alice and bob");
    // Both change the title: the later save is refused, its text kept.
    bob.type_keys("e");
    bob.wait_for("Edit task");
    bob.type_keys(" again");
    alice.type_keys("e");
    alice.wait_for("Edit task");
    alice.type_keys(" too");
    alice.send(ENTER);
    alice.wait_for("saved “Written by alice and bob too”");
    bob.wait_for("bob too");
    bob.send(ENTER);
    let screen = bob.wait_for("changed elsewhere");
    assert!(
        screen.contains("Written by alice and bob again"),
        "{screen}"
    );
    // Reopened, the edit goes through, and alice sees it.
    bob.send(b"\x1b");
    bob.type_keys("e");
    bob.wait_for("Edit task");
    bob.type_keys(" at last");
    bob.send(ENTER);
    bob.wait_for("saved “Written by alice and bob too at last”");
    alice.wait_for("too at last");
    let mut client = db.client();
    let row = client
        .query_one("SELECT title, status, row_version FROM tasks", &[])
        .unwrap();
    assert_eq!(
        row.get::<_, String>(0),
        "Written by alice and bob too at last"
    );
    assert_eq!(row.get::<_, String>(1), "done");
    assert_eq!(row.get::<_, i64>(2), 5);
    // Undo is each person's own: bob's u takes back his last edit, not alice's.
    bob.type_keys("u");
    bob.wait_for("undid");
    alice.wait_for("Written by alice and bob too ");
    let row = client
        .query_one("SELECT title, status FROM tasks", &[])
        .unwrap();
    assert_eq!(row.get::<_, String>(0), "Written by alice and bob too");
    assert_eq!(row.get::<_, String>(1), "done");
    alice.type_keys("q");
    bob.type_keys("q");
    assert_eq!(alice.wait_exit(), 0);
    assert_eq!(bob.wait_exit(), 0);
}

#[test]
#[cfg_attr(
    not(postgres_tests),
    ignore = "needs a PostgreSQL server: set TASKTUI_TEST_POSTGRES"
)]
fn the_db_workflow_runs_on_a_server() {
    let db = TestDb::new();
    let state = TempDir::new().unwrap();
    let s = state.path();
    let u = db.url.as_str();
    let out = ok(u, s, &["db", "upgrade", "4"]);
    assert!(out.contains("applied V4__user_row_versions"), "{out}");
    let out = ok(u, s, &["db", "current"]);
    assert!(
        out.contains("version 4 (user_row_versions), 8 pending"),
        "{out}"
    );
    // (Any command but `db` would migrate first: the row comes from another tool.)
    db.client()
        .batch_execute("INSERT INTO tasks (title) VALUES ('Kept through it all')")
        .unwrap();
    let out = ok(u, s, &["--migrate-only"]);
    assert!(out.contains("backed up to "), "{out}");
    let out = ok(u, s, &["db", "history"]);
    assert!(out.contains("V11      short_word_search"), "{out}");
    let applied = out
        .lines()
        .filter(|l| l.starts_with('V') && l.contains(" applied "))
        .count();
    assert_eq!(applied, 12, "{out}");
    // The upgrade of a database with data wrote a backup, an export in tasktui's format.
    let backups: Vec<_> = std::fs::read_dir(s.join("tasktui/backups"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(backups.len(), 1, "{backups:?}");
    let backup = std::fs::read_to_string(&backups[0]).unwrap();
    assert!(backup.contains("Kept through it all"), "{backup}");
    assert!(backups[0].to_string_lossy().contains(".v4-"), "{backups:?}");
    let out = ok(u, s, &["db", "check"]);
    assert!(out.contains("ok at version 12"), "{out}");
    // Drift: an index nobody's migration made.
    db.client()
        .batch_execute("CREATE INDEX made_by_hand ON tasks (description)")
        .unwrap();
    let out = run(u, s, &["db", "check"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).contains("made_by_hand"), "{}", stdout(&out));
    db.client()
        .batch_execute("DROP INDEX made_by_hand")
        .unwrap();
    // Counts another tool broke (the triggers keep them; a hand-made UPDATE does not).
    db.client()
        .batch_execute("UPDATE task_counts SET n = n + 5; UPDATE tags SET tasks = 7")
        .unwrap();
    let out = run(u, s, &["db", "check"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout(&out).contains("the kept count of tasks"),
        "{}",
        stdout(&out)
    );
    db.client()
        .batch_execute(
            "TRUNCATE task_counts; INSERT INTO task_counts SELECT coalesce(assignee_id, 0), \
             (status = 'done')::int, coalesce(due_date, ''), count(*) FROM tasks GROUP BY 1, 2, 3",
        )
        .unwrap();
    let out = ok(u, s, &["db", "check"]);
    assert!(out.contains("ok at version 12"), "{out}");
    // A downgrade that drops data asks; without a terminal it needs --yes, and writes nothing.
    let out = run(u, s, &["db", "downgrade", "base"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("run again with --yes"),
        "{}",
        stderr(&out)
    );
    let out = ok(u, s, &["db", "downgrade", "-1"]);
    assert!(
        out.contains("reverted V12__search_indexes_any_sqlite_writes"),
        "{out}"
    );
    let out = ok(u, s, &["db", "downgrade", "base", "--yes"]);
    assert!(out.contains("reverted V1__create_users_and_tasks"), "{out}");
    let tables: i64 = db
        .client()
        .query_one(
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'refinery_schema_history'",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(tables, 0);
    // The latest backup restores what was there.
    let latest = std::fs::read_dir(s.join("tasktui/backups"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .max_by_key(|p| std::fs::metadata(p).unwrap().modified().unwrap())
        .unwrap();
    ok(u, s, &["import", latest.to_str().unwrap()]);
    let out = ok(u, s, &["list"]);
    assert!(out.contains("Kept through it all"), "{out}");
    // Stamp adopts a schema made by hand, and refuses one that differs.
    let out = ok(u, s, &["db", "show", "2"]);
    assert!(out.contains("tasks_title_length"), "{out}");
    let out = run(u, s, &["db", "stamp", "12"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("this one is at version 12"),
        "{}",
        stderr(&out)
    );
    // Tables made without the history (restored by hand, say) are adopted when they match…
    db.client()
        .batch_execute("DROP TABLE refinery_schema_history")
        .unwrap();
    let out = run(u, s, &["db", "stamp", "10"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("does not match version 10"),
        "{}",
        stderr(&out)
    );
    let out = ok(u, s, &["db", "stamp", "12"]);
    assert!(out.contains("stamped at version 12"), "{out}");
    let out = ok(u, s, &["db", "current"]);
    assert!(
        out.contains("version 12 (search_indexes_any_sqlite_writes), up to date"),
        "{out}"
    );
}

#[test]
#[cfg_attr(
    not(postgres_tests),
    ignore = "needs a PostgreSQL server: set TASKTUI_TEST_POSTGRES"
)]
fn processes_starting_together_migrate_once() {
    let db = TestDb::new();
    let state = TempDir::new().unwrap();
    let commands = (0..4)
        .map(|_| {
            let mut c = support::command(Path::new(&db.url), &["--migrate-only"]);
            c.env("XDG_STATE_HOME", state.path());
            c
        })
        .collect();
    let outs = support::run_together(commands);
    for out in &outs {
        assert!(out.status.success(), "{}", stderr(out));
    }
    let applied = outs
        .iter()
        .filter(|o| stdout(o).contains("applied V1__"))
        .count();
    assert_eq!(applied, 1);
    let rows: i64 = db
        .client()
        .query_one("SELECT count(*) FROM refinery_schema_history", &[])
        .unwrap()
        .get(0);
    assert_eq!(rows, 12);
}

#[test]
#[cfg_attr(
    not(postgres_tests),
    ignore = "needs a PostgreSQL server: set TASKTUI_TEST_POSTGRES"
)]
fn a_team_moves_its_file_to_a_server_and_back() {
    let db = TestDb::new();
    let dir = TempDir::new().unwrap();
    let file = dir.path().join("team.db");
    let f = file.to_str().unwrap();
    support::tasktui_ok(&["demo", "--db", f, "--tasks", "300", "--users", "5"]);
    let exported = dir.path().join("team.json");
    let e = exported.to_str().unwrap();
    support::tasktui_ok(&["export", "--db", f, "--output", e]);
    let state = TempDir::new().unwrap();
    let out = ok(&db.url, state.path(), &["import", e]);
    assert!(out.contains("imported 5 users and 300 tasks"), "{out}");
    let again = ok(&db.url, state.path(), &["export"]);
    assert_eq!(again, std::fs::read_to_string(&exported).unwrap());
    // And the same lists on both.
    for args in [
        &["list", "--limit", "40"][..],
        &["list", "--status", "todo", "--sort", "title"],
        &["users"],
    ] {
        let from_file = stdout(&support::tasktui_ok(&[&["--db", f][..], args].concat()));
        assert_eq!(ok(&db.url, state.path(), args), from_file, "{args:?}");
    }
}

#[test]
#[cfg_attr(
    not(postgres_tests),
    ignore = "needs a PostgreSQL server: set TASKTUI_TEST_POSTGRES"
)]
fn a_server_that_cannot_serve_gets_one_line_naming_it_and_never_its_password() {
    let admin = server();
    let state = TempDir::new().unwrap();
    let s = state.path();
    let cases: Vec<(String, &str, i32)> = vec![
        (
            "postgres://someone:hunter2@127.0.0.1:1/tasks".into(),
            "cannot reach the server",
            1,
        ),
        (
            with_database(&admin, "tasktui_no_such_database"),
            "has no database \"tasktui_no_such_database\"",
            2,
        ),
        (
            with_database(&admin, "postgres").replacen(
                "://",
                "://tasktui_no_such_role:hunter2@",
                1,
            ),
            "refused the login",
            2,
        ),
    ];
    for (url, says, code) in cases {
        // A URL that already names a user keeps only the new one.
        let url = fix_user(&url);
        let out = support::command(Path::new(&url), &["list"])
            .env("XDG_STATE_HOME", s)
            .env("TASKTUI_LOG", "debug")
            .output()
            .unwrap();
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(code), "{url}: {err}");
        assert!(err.contains(says), "{url}: {err}");
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(!err.contains("hunter2"), "{err}");
        assert!(!stdout(&out).contains("hunter2"));
    }
    // Nor does the log, which records the command line and the error.
    let log = std::fs::read_to_string(s.join("tasktui/tasktui.log")).unwrap();
    assert!(log.contains("someone:***@127.0.0.1:1"), "{log}");
    assert!(!log.contains("hunter2"), "{log}");
}

/// `postgres://a:b@c@host/…` (a user put in front of one) as `postgres://a:b@host/…`.
fn fix_user(url: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap();
    let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let parts: Vec<&str> = authority.split('@').collect();
    if parts.len() > 2 {
        format!("{scheme}://{}@{}{path}", parts[0], parts[parts.len() - 1])
    } else {
        url.to_string()
    }
}

#[test]
#[cfg_attr(
    not(postgres_tests),
    ignore = "needs a PostgreSQL server: set TASKTUI_TEST_POSTGRES"
)]
fn a_role_without_rights_is_told_which_and_writes_nothing() {
    let db = TestDb::new();
    let state = TempDir::new().unwrap();
    ok(&db.url, state.path(), &["add", "Owned by the owner"]);
    let role = format!("{}_reader", db.name);
    let mut client = db.client();
    client
        .batch_execute(&format!(
            "DROP ROLE IF EXISTS {role}; CREATE ROLE {role} LOGIN PASSWORD 'secret-pw';
             GRANT USAGE ON SCHEMA public TO {role};
             GRANT SELECT ON ALL TABLES IN SCHEMA public TO {role};"
        ))
        .unwrap();
    let url = db.url.replacen("://", &format!("://{role}:secret-pw@"), 1);
    let url = fix_user(&url);
    // Reading is allowed; writing is not, and says so in one line.
    let out = ok(&url, state.path(), &["list"]);
    assert!(out.contains("Owned by the owner"), "{out}");
    let out = run(&url, state.path(), &["add", "Not allowed"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("may not do this"), "{err}");
    assert!(err.contains("permission denied"), "{err}");
    assert!(!err.contains("secret-pw"), "{err}");
    let count: i64 = client
        .query_one("SELECT count(*) FROM tasks", &[])
        .unwrap()
        .get(0);
    assert_eq!(count, 1);
    client
        .batch_execute(&format!("DROP OWNED BY {role}; DROP ROLE {role}"))
        .unwrap();
}

#[test]
#[cfg_attr(
    not(postgres_tests),
    ignore = "needs a PostgreSQL server: set TASKTUI_TEST_POSTGRES"
)]
fn a_lost_connection_keeps_the_form_and_the_next_save_reconnects() {
    let db = TestDb::new();
    let mut term = Terminal::start(Path::new(&db.url), 100, 30);
    term.wait_for("created tasktui's tables");
    term.type_keys("a");
    term.wait_for("New task");
    term.type_keys("Typed before the drop");
    // The server ends the connection and takes no new ones for a while, as a restart or a
    // network drop would: whether the save or a refresh meets it first, the form says so.
    let name = &db.name;
    db.admin()
        .batch_execute(&format!(
            "ALTER DATABASE {name} ALLOW_CONNECTIONS false;
             SELECT pg_terminate_backend(pid) FROM pg_stat_activity
             WHERE datname = '{name}' AND application_name = 'tasktui'"
        ))
        .unwrap();
    term.send(ENTER);
    let screen = term.wait_for_wrapped("was lost (");
    assert!(screen.contains("Typed before the drop"), "{screen}");
    assert!(screen.contains("New task"), "{screen}");
    // Back up: a moment later, the same Enter saves it on a new connection.
    db.admin()
        .batch_execute(&format!("ALTER DATABASE {name} ALLOW_CONNECTIONS true"))
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(2_500));
    term.send(ENTER);
    term.wait_for("saved “Typed before the drop”");
    let count: i64 = db
        .client()
        .query_one("SELECT count(*) FROM tasks", &[])
        .unwrap()
        .get(0);
    assert_eq!(count, 1);
    term.type_keys("q");
    assert_eq!(term.wait_exit(), 0);
}

#[test]
#[cfg_attr(
    not(postgres_tests),
    ignore = "needs a PostgreSQL server: set TASKTUI_TEST_POSTGRES"
)]
fn tls_is_used_when_asked_and_a_refused_certificate_is_named() {
    let admin = server();
    let state = TempDir::new().unwrap();
    let url = with_database(&admin, "postgres");
    let sep = if url.contains('?') { '&' } else { '?' };
    let out = run(
        &format!("{url}{sep}sslmode=disable"),
        state.path(),
        &["db", "current"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    // The test server's certificate is its own (Debian's snakeoil): checking it must fail, and
    // say so in one line; a server without TLS says that.
    let out = run(
        &format!("{url}{sep}sslmode=verify-full"),
        state.path(),
        &["db", "current"],
    );
    let err = stderr(&out);
    assert_ne!(out.status.code(), Some(0));
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("certificate was refused") || err.contains("does not support TLS"),
        "{err}"
    );
}

/// Every PostgreSQL twin goes up, matches its replay, comes down to exactly the schema before
/// it, and goes up again.
#[test]
#[cfg_attr(
    not(postgres_tests),
    ignore = "needs a PostgreSQL server: set TASKTUI_TEST_POSTGRES"
)]
fn every_migration_round_trips_on_a_server() {
    use tasktui::store::postgres::{Server, connect, migrate};
    let db = TestDb::new();
    let server = Server::from_arg(&db.url).unwrap();
    let mut client = connect(&server).unwrap();
    let last = migrate::MIGRATIONS.last().unwrap().version;
    for version in 1..=last {
        migrate::upgrade(&mut client, &server, Some(version)).unwrap();
        assert_eq!(
            migrate::check(&mut client).unwrap(),
            Vec::<String>::new(),
            "at V{version}"
        );
        let target = (version - 1).to_string();
        let seen = migrate::downgrade_read(&mut client, &target).unwrap();
        migrate::downgrade(&mut client, &server, &target, &seen)
            .unwrap()
            .unwrap();
        assert_eq!(
            migrate::check(&mut client).unwrap(),
            Vec::<String>::new(),
            "down from V{version}"
        );
        assert_eq!(migrate::current(&mut client).unwrap().version, version - 1);
        migrate::upgrade(&mut client, &server, Some(version)).unwrap();
    }
    assert_eq!(migrate::current(&mut client).unwrap().version, last);
}

/// How a search word is read depends on the server's estimate of how many tasks hold it: the
/// estimate must be readable, and tell a word every task holds from one none does.
#[test]
#[cfg_attr(
    not(postgres_tests),
    ignore = "needs a PostgreSQL server: set TASKTUI_TEST_POSTGRES"
)]
fn the_server_estimates_how_many_tasks_hold_a_word() {
    use tasktui::store::postgres::{Server, migrate};
    let db = TestDb::new();
    let state = TempDir::new().unwrap();
    let server = Server::from_arg(&db.url).unwrap();
    let store = migrate::open(&server).unwrap().store;
    let data = format!(
        "{{\"tasktui_export\": 1, \"users\": [], \"tasks\": [{}]}}",
        (1..=2000)
            .map(|i| format!(
                "{{\"id\": {i}, \"title\": \"Deploy the service {i}\", \"status\": \"todo\", \"priority\": \"none\", \"created_at\": \"2026-11-23T10:00:00Z\", \"updated_at\": \"2026-11-23T10:00:00Z\"}}"
            ))
            .collect::<Vec<_>>()
            .join(",")
    );
    let file = state.path().join("tasks.json");
    std::fs::write(&file, data).unwrap();
    ok(&db.url, state.path(), &["import", file.to_str().unwrap()]);
    db.client().batch_execute("ANALYZE").unwrap();
    for (word, many) in [("e", true), ("qz", false), ("ploy", true), ("zebra", false)] {
        let rows = store.estimate(word).unwrap();
        assert_eq!(rows > 500.0, many, "{word}: {rows}");
    }
}

#[test]
#[cfg_attr(
    not(postgres_tests),
    ignore = "needs a PostgreSQL server: set TASKTUI_TEST_POSTGRES"
)]
fn demo_fills_a_server_and_refuses_one_with_data() {
    let db = TestDb::new();
    let state = TempDir::new().unwrap();
    let out = ok(
        &db.url,
        state.path(),
        &["demo", "--tasks", "120", "--users", "4"],
    );
    assert!(out.contains("added 4 users and 120 tasks"), "{out}");
    let out = ok(&db.url, state.path(), &["users"]);
    assert_eq!(out.lines().count(), 5, "{out}");
    let out = run(&db.url, state.path(), &["demo", "--tasks", "10"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("already holds data"),
        "{}",
        stderr(&out)
    );
    let out = ok(&db.url, state.path(), &["db", "check"]);
    assert!(out.contains("ok at version 12"), "{out}");
}

/// CI runs every PostgreSQL test: built without a server they would only be counted as skipped.
#[test]
fn under_ci_the_postgres_tests_are_not_skipped() {
    let ci = std::env::var("CI").is_ok_and(|v| v == "true");
    if ci && !cfg!(postgres_tests) {
        panic!(
            "CI=true, but the PostgreSQL tests were built without TASKTUI_TEST_POSTGRES: they would be skipped"
        );
    }
}

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
    let mut role = SecretRole::new(&db, "pw");
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
    // Pasted into a shell (with tasktui on the PATH; the password is the person's to give, here
    // through the server's trust of this role), it lists the users and runs nothing else.
    role.trust_without_password();
    let bin = Path::new(env!("CARGO_BIN_EXE_tasktui")).parent().unwrap();
    let pasted = std::process::Command::new("sh")
        .arg("-c")
        .arg(&hint)
        .current_dir(work.path())
        .env("PATH", format!("{}:/usr/bin:/bin", bin.display()))
        .env("TASKTUI_CONFIG", "/dev/null")
        .env("TASKTUI_LOG", "off")
        .env("XDG_STATE_HOME", state.path())
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
        let config: postgres::Config = self.admin_url.parse().unwrap();
        let host = match config.get_hosts().first() {
            Some(postgres::config::Host::Tcp(host)) => host.clone(),
            _ => "127.0.0.1".into(),
        };
        (host, config.get_ports().first().copied().unwrap_or(5432))
    }

    /// The URL of the test's database as this role, at `authority` (`host` or `host:port`).
    fn url(&self, authority: &str) -> String {
        format!(
            "postgres://{}:{}@{authority}/{}",
            self.name, self.password, self.db_name
        )
    }

    /// Lets the role log in without its password (as a `.pgpass` would for a person): the
    /// password is then not needed to follow a suggestion that leaves it out.
    fn trust_without_password(&mut self) {
        self.admin
            .batch_execute(&format!("ALTER ROLE {} PASSWORD NULL", self.name))
            .unwrap();
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
    let same: bool = db
        .client()
        .query_one(
            "SELECT tasktui_grams('Héllo', 'Wörld ✓') = string_to_array(lower('Héllo' || E'\\n' || 'Wörld ✓'), NULL)
                || array(SELECT substr(lower('Héllo' || E'\\n' || 'Wörld ✓'), i, 2) FROM generate_series(1, 12) AS i)",
            &[],
        )
        .unwrap()
        .get(0);
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
    let config: postgres::Config = db.url.parse().unwrap();
    let host = match config.get_hosts().first() {
        Some(postgres::config::Host::Tcp(host)) => host.clone(),
        _ => "127.0.0.1".into(),
    };
    let port = config.get_ports().first().copied().unwrap_or(5432);
    let proxy = proxy_losing_one_commit_reply((host.clone(), port));
    let through = db
        .url
        .replacen(&format!("{host}:{port}"), &format!("127.0.0.1:{proxy}"), 1);
    assert_ne!(through, db.url);
    let out = run(&through, s, &["add", "saved once"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out).trim(), "2");
    let count: i64 = db
        .client()
        .query_one("SELECT count(*) FROM tasks WHERE title = 'saved once'", &[])
        .unwrap()
        .get(0);
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
    let assignee: Option<i64> = db
        .client()
        .query_one("SELECT assignee_id FROM tasks WHERE id = 1", &[])
        .unwrap()
        .get(0);
    assert!(assignee.is_some(), "zed's task was unassigned");
    let users: i64 = db
        .client()
        .query_one("SELECT count(*) FROM users WHERE username = 'zed'", &[])
        .unwrap()
        .get(0);
    assert_eq!(users, 1);
    x.type_keys("q");
    assert_eq!(x.wait_exit(), 0);
}
