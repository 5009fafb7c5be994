//! A PostgreSQL database of its own for each test, on the server `TASKTUI_TEST_POSTGRES` names
//! (a URL whose role may create databases). Without it the PostgreSQL tests are skipped with one
//! line saying how to run them; under `CI=true` they are required.

use std::sync::atomic::{AtomicU32, Ordering};

/// A database made for one test and dropped after it.
pub struct TestDb {
    admin: String,
    pub name: String,
    /// The URL tasktui is given.
    pub url: String,
}

static MADE: AtomicU32 = AtomicU32::new(0);

/// The test server's URL; `None` (after saying how to run them) when the tests are skipped.
pub fn server() -> Option<String> {
    match std::env::var("TASKTUI_TEST_POSTGRES") {
        Ok(url) if !url.trim().is_empty() => Some(url),
        _ if std::env::var("CI").is_ok_and(|v| v == "true") => {
            panic!("CI=true needs TASKTUI_TEST_POSTGRES, a PostgreSQL URL (.ci/run sets it)")
        }
        _ => {
            // Once per test program, past the test harness's capture, so that it shows.
            static SAID: std::sync::Once = std::sync::Once::new();
            SAID.call_once(|| {
                use std::io::Write;
                let _ = std::io::stderr().write_all(
                    b"skipped: the PostgreSQL tests; set TASKTUI_TEST_POSTGRES=postgres://postgres@127.0.0.1/postgres to run them\n",
                );
            });
            None
        }
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
    /// A new empty database; `None` when the PostgreSQL tests are skipped.
    pub fn new() -> Option<TestDb> {
        let admin = server()?;
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
        Some(TestDb { admin, name, url })
    }

    /// A client on the server's own database, to change this test's database from outside.
    pub fn admin(&self) -> postgres::Client {
        admin_client(&self.admin)
    }

    /// A client on this test's database, to look at what tasktui wrote.
    pub fn client(&self) -> postgres::Client {
        admin_client(&self.url)
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
