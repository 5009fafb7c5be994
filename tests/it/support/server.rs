//! A PostgreSQL database of its own for each test, on the server `TASKTUI_TEST_POSTGRES` names
//! (a URL whose role may create databases). Without it at build time the PostgreSQL tests are
//! compiled as ignored (`build.rs`), so the test count shows them as skipped; under `CI=true`
//! `tests/postgres.rs` fails when they were skipped.

use std::sync::atomic::{AtomicU32, Ordering};

/// A database made for one test and dropped after it.
pub struct TestDb {
    admin: String,
    pub name: String,
    /// The URL tasktui is given.
    pub url: String,
}

static MADE: AtomicU32 = AtomicU32::new(0);

/// The test server's URL. The PostgreSQL tests are compiled as ignored without one (see
/// `build.rs`), so reaching here without it means the variable went away after the build.
pub fn server() -> String {
    match std::env::var("TASKTUI_TEST_POSTGRES") {
        Ok(url) if !url.trim().is_empty() => url,
        _ => panic!(
            "TASKTUI_TEST_POSTGRES is not set, though these tests were built with it: set it to a PostgreSQL URL (postgres://postgres@127.0.0.1/postgres)"
        ),
    }
}

/// `url` with its database name replaced.
pub fn with_database(url: &str, name: &str) -> String {
    let (scheme, rest) = url.split_once("://").expect("a postgres:// URL");
    let (before_query, query) = match rest.split_once('?') {
        Some((b, q)) => (b, format!("?{q}")),
        None => (rest, String::new()),
    };
    let authority = before_query.split('/').next().unwrap_or_default();
    format!("{scheme}://{authority}/{name}{query}")
}

fn admin_client(url: &str) -> postgres::Client {
    postgres::Client::connect(url, postgres::NoTls).expect("connect to TASKTUI_TEST_POSTGRES")
}

impl TestDb {
    /// A new empty database.
    pub fn new() -> TestDb {
        let admin = server();
        let name = format!(
            "tasktui_test_{}_{}",
            std::process::id(),
            MADE.fetch_add(1, Ordering::SeqCst)
        );
        let mut client = admin_client(&admin);
        // Each alone: CREATE DATABASE cannot run inside a transaction block.
        client
            .batch_execute(&format!("DROP DATABASE IF EXISTS {name}"))
            .expect("drop an old test database");
        client
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .expect("create a test database");
        let url = with_database(&admin, &name);
        TestDb { admin, name, url }
    }

    /// A client on the server's own database, to change this test's database from outside.
    pub fn admin(&self) -> postgres::Client {
        admin_client(&self.admin)
    }

    /// A client on this test's database, to look at what tasktui wrote.
    pub fn client(&self) -> postgres::Client {
        admin_client(&self.url)
    }

    /// The one value a query of this test's database returns.
    pub fn one<T: for<'a> postgres::types::FromSql<'a>>(&self, sql: &str) -> T {
        self.client().query_one(sql, &[]).unwrap().get(0)
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let mut client = admin_client(&self.admin);
        let _ = client.batch_execute(&format!(
            "DROP DATABASE IF EXISTS {} WITH (FORCE)",
            self.name
        ));
    }
}

/// `tasktui --db <url> <args>` without a terminal, its backups in a state folder of its own.
pub fn run(url: &str, state: &std::path::Path, args: &[&str]) -> std::process::Output {
    super::command(std::path::Path::new(url), args)
        .env("XDG_STATE_HOME", state)
        .output()
        .unwrap()
}

/// `run`, expected to succeed; its standard output.
pub fn ok(url: &str, state: &std::path::Path, args: &[&str]) -> String {
    let out = run(url, state, args);
    assert!(out.status.success(), "{args:?}: {}", super::err(&out));
    super::out(&out)
}

/// An export of `n` tasks titled "Deploy the service 1" to "Deploy the service n", all open and
/// created at one time, for the searches and counts the server tests make.
pub fn numbered_tasks(n: usize) -> String {
    format!(
        "{{\"tasktui_export\": 1, \"users\": [], \"tasks\": [{}]}}",
        (1..=n)
            .map(|i| format!(
                "{{\"id\": {i}, \"title\": \"Deploy the service {i}\", \"status\": \"todo\", \"priority\": \"none\", \"created_at\": \"2026-11-23T10:00:00Z\", \"updated_at\": \"2026-11-23T10:00:00Z\"}}"
            ))
            .collect::<Vec<_>>()
            .join(",")
    )
}
