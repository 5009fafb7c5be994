//! Nothing confirmed is lost: the real binary is killed with SIGKILL at random moments while a
//! person adds tasks, and a migration is killed midway.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

use crate::support;

use nix::sys::signal::Signal;
use rusqlite::Connection;
use std::collections::BTreeSet;
use std::time::Duration;
use support::Terminal;
use tempfile::TempDir;

/// A small deterministic generator, so that a failing round can be replayed.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n
    }
}

fn integrity(db: &std::path::Path) -> String {
    Connection::open(db)
        .unwrap()
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap()
}

#[test]
fn tasks_the_screen_showed_as_saved_survive_sigkill() {
    let rounds: u64 = std::env::var("TASKTUI_CRASH_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(25);
    let dir = TempDir::new().unwrap();
    let db = dir.path().join("t.db");
    let mut random = Lcg(0x7a5c_7e11);
    let mut confirmed = BTreeSet::new();
    let mut attempted = 0;
    for round in 0..rounds {
        let term = Terminal::start(&db, 100, 30);
        term.wait_for("2 Tasks");
        let writes = 1 + random.below(4);
        for i in 0..writes {
            let title = format!("r{round}w{i}");
            term.type_keys("a");
            term.wait_for("New task");
            term.type_keys(&title);
            attempted += 1;
            if i + 1 == writes && random.below(3) == 0 {
                // Killed while the person is still typing: nothing was confirmed.
                break;
            }
            term.send(b"\r");
            if i + 1 == writes {
                // Kill it at a random moment around the save: before, during or after.
                std::thread::sleep(Duration::from_micros(random.below(3000)));
                break;
            }
            term.wait_for(&format!("saved “{title}”"));
            confirmed.insert(title);
        }
        if term
            .screen()
            .contains(&format!("saved “r{round}w{}”", writes - 1))
        {
            confirmed.insert(format!("r{round}w{}", writes - 1));
        }
        term.signal(Signal::SIGKILL);
        drop(term);
        assert_eq!(integrity(&db), "ok", "after round {round}");
    }
    let conn = Connection::open(&db).unwrap();
    let stored: BTreeSet<String> = conn
        .prepare("SELECT title FROM tasks")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let lost: Vec<_> = confirmed.difference(&stored).collect();
    println!(
        "crash test: {rounds} rounds, {attempted} writes attempted, {} confirmed on screen, {} stored, {} lost",
        confirmed.len(),
        stored.len(),
        lost.len()
    );
    assert!(lost.is_empty(), "lost confirmed tasks: {lost:?}");
    assert!(
        confirmed.len() as u64 >= rounds,
        "too few writes were confirmed to prove anything"
    );
}

#[test]
fn a_migration_killed_midway_leaves_the_old_schema_or_the_new_one() {
    // A slow test-only migration: a table, then a long computation, then a second table.
    let slow = "CREATE TABLE first_half (x); \
                CREATE TABLE busywork AS WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 3000000) SELECT sum(n) AS s FROM c; \
                CREATE TABLE second_half (x);";
    let mut killed_midway = 0;
    for delay_ms in [50, 150, 400] {
        let dir = TempDir::new().unwrap();
        let db = dir.path().join("t.db");
        support::database_with(&db, "head", "INSERT INTO users (username) VALUES ('alice')");
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_tasktui"))
            .args(["--db", db.to_str().unwrap(), "--migrate-only"])
            .env("TASKTUI_TEST_EXTRA_MIGRATION", slow)
            .stdout(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay_ms));
        let _ = child.kill();
        let _ = child.wait();
        let conn = Connection::open(&db).unwrap();
        let has = |table: &str| -> bool {
            conn.query_row(
                "SELECT count(*) FROM sqlite_master WHERE name = ?1",
                [table],
                |r| r.get::<_, i64>(0),
            )
            .unwrap()
                == 1
        };
        let newest: u32 = conn
            .query_row(
                "SELECT max(version) FROM refinery_schema_history",
                [],
                |r| r.get(0),
            )
            .unwrap();
        let old = tasktui_sqlite::migrate::latest(tasktui_sqlite::migrate::MIGRATIONS);
        let all_new = has("first_half") && has("second_half") && newest == old + 1;
        let all_old = !has("first_half") && !has("second_half") && newest == old;
        assert!(
            all_new || all_old,
            "killed after {delay_ms} ms: a half-applied schema (version {newest})"
        );
        // The backup is taken just before the migration starts: old schema plus a backup means
        // the kill landed inside the migration.
        let backed_up = std::fs::read_dir(dir.path())
            .unwrap()
            .any(|e| e.unwrap().file_name().to_string_lossy().ends_with(".bak"));
        killed_midway += usize::from(all_old && backed_up);
        assert_eq!(integrity(&db), "ok");
        let users: i64 = conn
            .query_row("SELECT count(*) FROM users", [], |r| r.get(0))
            .unwrap();
        assert_eq!(users, 1);
    }
    // Otherwise the kills all came after the commit and proved nothing about atomicity.
    assert!(
        killed_midway > 0,
        "no kill landed inside the migration: make it slower"
    );
}

#[test]
fn a_backup_killed_midway_never_carries_a_backups_name() {
    let dir = TempDir::new().unwrap();
    let db = dir.path().join("t.db");
    support::tasktui_ok(&["demo", "--db", db.to_str().unwrap(), "--tasks", "20000"]);
    let mut killed_during_copy = 0;
    for round in 0..6 {
        // Go down and up again, killing the process as soon as its copy has begun.
        let args = if round % 2 == 0 {
            ["db", "downgrade", "4", "--yes"]
        } else {
            ["db", "upgrade", "head", ""]
        };
        let before: BTreeSet<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_tasktui"))
            .arg("--db")
            .arg(&db)
            .args(args.iter().filter(|a| !a.is_empty()))
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let started = std::time::Instant::now();
        loop {
            // Killed the moment any new file of a backup shows, whatever its name.
            let copying = std::fs::read_dir(dir.path()).unwrap().any(|e| {
                let name = e.unwrap().file_name().to_string_lossy().into_owned();
                name.contains(".bak") && !before.contains(&name)
            });
            if copying {
                let _ = child.kill();
                killed_during_copy += 1;
                break;
            }
            if child.try_wait().unwrap().is_some() || started.elapsed() > Duration::from_secs(20) {
                break;
            }
        }
        let _ = child.wait();
        // Every file under a backup's name is a whole, sound copy.
        for backup in tasktui_sqlite::backups(&db) {
            assert_eq!(integrity(&backup), "ok", "{}", backup.display());
            let tasks: i64 = Connection::open(&backup)
                .unwrap()
                .query_row("SELECT count(*) FROM tasks", [], |r| r.get(0))
                .unwrap();
            assert_eq!(tasks, 20_000, "{}", backup.display());
        }
        // The database itself is whole at one version or the other; finish the step.
        assert_eq!(integrity(&db), "ok");
        support::tasktui_ok(&["--db", db.to_str().unwrap(), "db", "upgrade", "head"]);
    }
    assert!(killed_during_copy > 0, "no kill landed during a copy");
    // The next backup clears what killed copies left under their temporary names.
    support::tasktui_ok(&[
        "--db",
        db.to_str().unwrap(),
        "db",
        "downgrade",
        "-1",
        "--yes",
    ]);
    let left: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.contains(".partial"))
        .collect();
    assert!(left.is_empty(), "left behind: {left:?}");
}
