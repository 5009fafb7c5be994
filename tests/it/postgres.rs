//! The PostgreSQL backend end to end, as a team would use it: the real binary against the
//! server `TASKTUI_TEST_POSTGRES` names, a database of its own per test. Two interfaces in
//! pseudo-terminals, the `db` workflow, moving a SQLite file to a server, and the errors a
//! server can give. Skipped with one line without the variable; required under `CI=true`.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

use crate::support;

use support::err as stderr;
use support::out as stdout;
use support::server::{ok, run};

use std::path::Path;
use support::Terminal;
use support::server::{TestDb, server, with_database};
use tempfile::TempDir;

const ENTER: &[u8] = b"\r";

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
    bob.wait_for("discards what you typed");
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
    let tables: i64 = db.one("SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'refinery_schema_history'");
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
    let rows: i64 = db.one("SELECT count(*) FROM refinery_schema_history");
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
    let count: i64 = db.one("SELECT count(*) FROM tasks");
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
    use tasktui_postgres::{Server, connect, migrate};
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

/// How a search word is read depends on how many tasks hold it, counted from its index: exact
/// below the bound, stopped at it, whatever the server's statistics say (a letter no task holds
/// was once estimated at thousands of tasks, and a million were walked for it).
#[test]
#[cfg_attr(
    not(postgres_tests),
    ignore = "needs a PostgreSQL server: set TASKTUI_TEST_POSTGRES"
)]
fn a_search_word_is_counted_from_its_index_up_to_a_bound() {
    use tasktui_postgres::{Server, migrate};
    let db = TestDb::new();
    let state = TempDir::new().unwrap();
    let server = Server::from_arg(&db.url).unwrap();
    let store = migrate::open(&server).unwrap().store;
    let data = crate::support::server::numbered_tasks(2000);
    let file = state.path().join("tasks.json");
    std::fs::write(&file, data).unwrap();
    ok(&db.url, state.path(), &["import", file.to_str().unwrap()]);
    db.client().batch_execute("ANALYZE").unwrap();
    for (word, count) in [
        ("e", 1000),
        ("q", 0),
        ("qz", 0),
        ("ploy", 1000),
        ("zebra", 0),
        ("1999", 1),
    ] {
        let found = store.count_matches(word, 1000).unwrap();
        assert_eq!(found.count, count, "{word}");
        assert_eq!(found.exact(), count < 1000, "{word}");
    }
    // Exact below the bound: "1" is in 1,271 of the 2,000 titles.
    assert_eq!(store.count_matches("1", 5000).unwrap().count, 1271);
    // A tag's tasks count too.
    ok(&db.url, state.path(), &["edit", "1", "--tag", "zebra"]);
    assert_eq!(store.count_matches("zebra", 1000).unwrap().count, 1);
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
