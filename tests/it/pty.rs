//! End to end: the real binary in a pseudo-terminal, typed at like a person, checked on screen
//! and in the database file.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

use crate::support;

use nix::sys::signal::Signal;
use rusqlite::Connection;
use support::Terminal;
use tempfile::TempDir;

const ENTER: &[u8] = b"\r";

#[test]
fn add_a_user_and_a_task_then_finish_it_and_quit() {
    let dir = TempDir::new().unwrap();
    let db = dir.path().join("team.db");
    let mut term = Terminal::start(&db, 100, 30);
    term.wait_for("No tasks here");
    assert!(term.alternate_screen());

    term.type_keys("1a");
    term.wait_for("New user");
    term.type_keys("alice");
    term.send(b"\t");
    term.type_keys("Alice Liddell");
    term.send(ENTER);
    term.wait_for("saved user alice");

    term.type_keys("2a");
    term.wait_for("New task");
    term.type_keys("Buy milk");
    term.send(ENTER);
    let screen = term.wait_for("saved “Buy milk”");
    assert!(screen.contains("Tasks: alice (1/1)"), "{screen}");
    assert!(screen.contains("alice 1 open"), "{screen}");

    term.type_keys("x");
    term.wait_for("“Buy milk” is done");
    term.type_keys("q");
    assert_eq!(term.wait_exit(), 0);
    term.assert_restored();

    let conn = Connection::open(&db).unwrap();
    let row: (String, String, String) = conn
        .query_row(
            "SELECT t.title, t.status, u.username FROM tasks t JOIN users u ON u.id = t.assignee_id",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!(row, ("Buy milk".into(), "done".into(), "alice".into()));
    let full_name: String = conn
        .query_row("SELECT full_name FROM users", [], |r| r.get(0))
        .unwrap();
    assert_eq!(full_name, "Alice Liddell");
}

#[test]
fn sigterm_sighup_and_sigint_restore_the_terminal() {
    for signal in [Signal::SIGTERM, Signal::SIGHUP, Signal::SIGINT] {
        let dir = TempDir::new().unwrap();
        let mut term = Terminal::start(&dir.path().join("t.db"), 80, 24);
        term.wait_for("No tasks here");
        term.signal(signal);
        // Ended by the signal, as a shell reports it: 128 + its number.
        assert_eq!(term.wait_exit(), 128 + signal as u32, "{signal}");
        term.assert_restored();
    }
}

#[test]
fn ctrl_z_gives_the_terminal_back_and_redraws_on_return() {
    let dir = TempDir::new().unwrap();
    let mut term = Terminal::start(&dir.path().join("t.db"), 80, 24);
    term.wait_for("No tasks here");
    let before = term.output.lock().unwrap().len();
    // Started without a job-control shell, the stop is ignored by the kernel and tasktui
    // comes straight back: it must have left the alternate screen and redrawn everything.
    term.send(b"\x1a");
    term.wait_for("No tasks here");
    std::thread::sleep(std::time::Duration::from_millis(300));
    let after = term.output.lock().unwrap()[before..].to_vec();
    let text = String::from_utf8_lossy(&after);
    assert!(
        text.contains("\x1b[?1049l"),
        "did not leave the alternate screen: {text:?}"
    );
    assert!(text.contains("\x1b[?1049h"), "did not come back: {text:?}");
    assert!(text.contains("No tasks here"), "no full redraw");
    term.type_keys("q");
    assert_eq!(term.wait_exit(), 0);
    term.assert_restored();
}

#[test]
fn escape_sequences_in_a_title_never_reach_the_terminal() {
    let dir = TempDir::new().unwrap();
    let db = dir.path().join("t.db");
    support::database_with(&db, "head", "");
    Connection::open(&db)
        .unwrap()
        .execute(
            "INSERT INTO tasks (title, description) VALUES (?1, ?1)",
            ["pay \u{1b}]0;pwned\u{7}now\u{1b}[8m hidden \u{202E}txt.exe \u{9b}31m"],
        )
        .unwrap();
    Connection::open(&db)
        .unwrap()
        .execute(
            "INSERT INTO tasks (title) VALUES (?1)",
            ["tag\u{E0041}\u{E007F} line\u{2028}sep soft\u{AD}hyphen filler\u{3164}"],
        )
        .unwrap();
    let mut term = Terminal::start(&db, 100, 30);
    let screen = term.wait_for("pay ␛]0;pwned␇now␛[8m hidden ⟨U+202E⟩txt.exe ⟨U+009B⟩31m");
    assert!(screen.contains("pwned"));
    term.wait_for("#2 tag⟨U+E0041⟩⟨U+E007F⟩ line⟨U+2028⟩…");
    // The edit form draws the focused title as it is being edited: still nothing raw.
    term.type_keys("e");
    term.wait_for("Edit task");
    term.send(b"\x1b");
    term.type_keys("j");
    term.wait_for("#2 tag⟨U+E0041⟩⟨U+E007F⟩ line⟨U+2028⟩sep soft⟨U+00AD⟩hyphen");
    term.wait_for("filler⟨U+3164⟩");
    term.type_keys("e");
    term.wait_for("Edit task");
    term.send(b"\x1b");
    term.type_keys("q");
    term.wait_exit();
    let output = term.output.lock().unwrap().clone();
    for raw in [
        &b"\x1b]0;pwned"[..],
        b"\x1b[8m",
        "\u{202E}".as_bytes(),
        "\u{9b}".as_bytes(),
        b"\x07now",
        "\u{E0041}".as_bytes(),
        "\u{2028}".as_bytes(),
        "\u{AD}".as_bytes(),
        "\u{3164}".as_bytes(),
    ] {
        assert!(
            !output.windows(raw.len()).any(|w| w == raw),
            "{raw:?} reached the terminal"
        );
    }
}

#[test]
fn a_tiny_terminal_shows_a_message_and_quits_cleanly() {
    let dir = TempDir::new().unwrap();
    let mut term = Terminal::start(&dir.path().join("t.db"), 20, 5);
    term.wait_for("Terminal too small");
    term.type_keys("q");
    assert_eq!(term.wait_exit(), 0);
    term.assert_restored();
}

#[test]
fn a_panic_restores_the_terminal_then_prints_its_message() {
    let dir = TempDir::new().unwrap();
    let db = dir.path().join("t.db");
    let mut term = Terminal::start_with_env(
        &["--db", db.to_str().unwrap()],
        &[("TASKTUI_TEST_PANIC", "1"), ("RUST_BACKTRACE", "0")],
        80,
        24,
    );
    assert_ne!(term.wait_exit(), 0);
    term.assert_restored();
    let screen = term.screen();
    assert!(
        screen.contains("panic requested by TASKTUI_TEST_PANIC"),
        "{screen}"
    );
}

#[test]
fn a_downgrade_that_drops_data_asks_at_the_terminal() {
    let dir = TempDir::new().unwrap();
    let db = dir.path().join("t.db");
    support::database_with(&db, "head", "INSERT INTO users (username) VALUES ('alice')");
    let path = db.to_str().unwrap();

    let mut term = Terminal::start_with(&["--db", path, "db", "downgrade", "base"], 100, 30);
    term.wait_for("Type y or yes to go on, anything else to stop:");
    term.type_keys("no\r");
    // A no is an answer: nothing changes, and the command did what it was told.
    assert_eq!(term.wait_exit(), 0);
    assert!(
        term.screen().contains("nothing was changed"),
        "{}",
        term.screen()
    );
    let users: i64 = Connection::open(&db)
        .unwrap()
        .query_row("SELECT count(*) FROM users", [], |r| r.get(0))
        .unwrap();
    assert_eq!(users, 1);

    let mut term = Terminal::start_with(&["--db", path, "db", "downgrade", "base"], 100, 30);
    term.wait_for("drops data: V1__create_users_and_tasks: every user and every task");
    term.type_keys("yes\r");
    assert_eq!(term.wait_exit(), 0);
    term.wait_for("now at version 0");
    let tables: i64 = Connection::open(&db)
        .unwrap()
        .query_row(
            "SELECT count(*) FROM sqlite_master WHERE name = 'users'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(tables, 0);
}

#[test]
fn two_interfaces_on_one_file_see_each_others_changes_without_a_key() {
    let dir = TempDir::new().unwrap();
    let db = dir.path().join("shared.db");
    let mut first = Terminal::start(&db, 100, 30);
    let mut second = Terminal::start(&db, 100, 30);
    first.wait_for("No tasks here");
    second.wait_for("No tasks here");
    first.type_keys("a");
    first.wait_for("New task");
    first.type_keys("Made in the first");
    first.send(ENTER);
    first.wait_for("saved “Made in the first”");
    let started = std::time::Instant::now();
    second.wait_for("Made in the first");
    println!(
        "the second interface showed the change after {:?}",
        started.elapsed()
    );
    // And back, with a status change.
    second.type_keys("x");
    second.wait_for("is done");
    first.wait_for("done   ");
    first.type_keys("q");
    second.type_keys("q");
    assert_eq!(first.wait_exit(), 0);
    assert_eq!(second.wait_exit(), 0);
}

#[test]
fn a_typed_search_letter_is_drawn_before_its_matches_are_read() {
    let dir = TempDir::new().unwrap();
    let db = dir.path().join("search.db");
    support::tasktui_ok(&["demo", "--db", db.to_str().unwrap(), "--tasks", "200"]);
    let term = Terminal::start(&db, 100, 30);
    term.wait_for("Tasks: all (1/200)");
    term.type_keys("2/");
    term.wait_for("/▏");
    let before = term.output.lock().unwrap().len();
    term.type_keys("e");
    term.wait_for("/e▏");
    term.wait_for(" matches");
    // The frame with the letter came first, saying the matches are being read; the count
    // followed in a frame of its own.
    let output = term.output.lock().unwrap()[before..].to_vec();
    let text = String::from_utf8_lossy(&output);
    let searching = text.find("searching").expect("no frame said searching…");
    let counted = text.rfind("matches").expect("no frame with the count");
    assert!(searching < counted, "{text:?}");
}

#[test]
fn pasted_line_breaks_and_tabs_stay_in_the_field_and_nul_is_refused() {
    let dir = TempDir::new().unwrap();
    let db = dir.path().join("t.db");
    let mut term = Terminal::start(&db, 100, 30);
    term.wait_for("No tasks here");
    term.type_keys("a");
    term.wait_for("New task");
    term.send(b"\x1b[200~first line\nsecond\tthird\x1b[201~");
    term.wait_for("first line second third");
    term.send(b"\t");
    term.send(b"\x1b[200~notes\nmore notes\x1b[201~");
    term.send(b"\x13"); // Ctrl-s: Enter would start a new line in the description
    term.wait_for("saved “first line second third”");
    term.type_keys("a");
    term.wait_for("New task");
    term.send(b"\x1b[200~bad\x00byte\x1b[201~");
    term.send(ENTER);
    term.wait_for("title cannot contain control characters");
    // Something was typed: Esc asks before discarding it.
    term.send(b"\x1b");
    term.wait_for("discards what you typed");
    term.send(b"\x1b");
    term.wait_for("cancelled");
    term.type_keys("q");
    assert_eq!(term.wait_exit(), 0);
    term.assert_restored();
    let output = term.output.lock().unwrap().clone();
    let off = output.windows(8).rposition(|w| w == b"\x1b[?2004l");
    let on = output.windows(8).rposition(|w| w == b"\x1b[?2004h");
    assert!(on.is_some() && off > on, "bracketed paste left on");
    let conn = Connection::open(&db).unwrap();
    let (title, description): (String, String) = conn
        .query_row("SELECT title, description FROM tasks", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert_eq!(title, "first line second third");
    assert_eq!(description, "notes\nmore notes");
}

/// A database with one task, in a folder that user `nobody` can enter.
fn shared_database() -> (TempDir, std::path::PathBuf) {
    use std::os::unix::fs::PermissionsExt;
    let dir = TempDir::new().unwrap();
    let db = dir.path().join("t.db");
    support::database_with(
        &db,
        "head",
        "INSERT INTO tasks (title) VALUES ('look, do not touch')",
    );
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o444)).unwrap();
    (dir, db)
}

fn set_mode(path: &std::path::Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

#[test]
fn a_read_only_file_opens_read_only_with_a_banner_and_refuses_edits() {
    for folder_mode in [0o777, 0o555] {
        let (dir, db) = shared_database();
        set_mode(dir.path(), folder_mode);
        let before = std::fs::read(&db).unwrap();
        let mut term = Terminal::start_unprivileged(&["--db", db.to_str().unwrap()], 100, 30);
        term.wait_for("look, do not touch");
        let screen = term.wait_for("READ-ONLY");
        // The hints offer no change a read-only database refuses; the way to the help stays.
        let status = screen.lines().last().unwrap_or_default().to_string();
        for offered in ["x done", "a add", "e edit", "d delete", "u undo"] {
            assert!(!status.contains(offered), "{offered} offered: {status}");
        }
        assert!(status.contains("? help"), "{status}");
        for key in ["a", "x", "d", "e"] {
            term.type_keys(key);
            term.wait_for("this database is read-only for you: changes are off");
            assert!(
                !term.screen().contains("New task") && !term.screen().contains("Confirm"),
                "{key} opened a popup"
            );
        }
        term.type_keys("q");
        assert_eq!(term.wait_exit(), 0);
        term.assert_restored();
        set_mode(dir.path(), 0o755);
        assert!(
            std::fs::read(&db).unwrap() == before,
            "the read-only file changed"
        );
    }
}

#[test]
fn starting_on_an_old_database_migrates_it_and_says_where_the_backup_is() {
    let dir = TempDir::new().unwrap();
    let db = dir.path().join("old.db");
    support::database_with(
        &db,
        "1",
        "INSERT INTO tasks (title) VALUES ('from version 1')",
    );
    let mut term = Terminal::start(&db, 120, 30);
    term.wait_for("from version 1");
    let head = tasktui_sqlite::migrate::latest(tasktui_sqlite::migrate::MIGRATIONS);
    let screen = term.wait_for(&format!(
        "migrated the database to version {head}; backup at"
    ));
    assert!(screen.contains("old.db.v1-"), "{screen}");
    term.type_keys("q");
    assert_eq!(term.wait_exit(), 0);
    let version: u32 = Connection::open(&db)
        .unwrap()
        .query_row(
            "SELECT max(version) FROM refinery_schema_history",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(version, head);
}

#[test]
fn a_new_database_in_a_read_only_folder_names_the_folder_problem() {
    let dir = TempDir::new().unwrap();
    set_mode(dir.path(), 0o555);
    let db = dir.path().join("new.db");
    let mut term =
        Terminal::start_unprivileged(&["--db", db.to_str().unwrap(), "--migrate-only"], 120, 30);
    assert_eq!(term.wait_exit(), 1);
    term.wait_for("new.db.lock: cannot create this lock file: the folder is read-only for you");
    set_mode(dir.path(), 0o755);
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        0,
        "something was left in the folder"
    );
}

#[test]
fn a_read_only_database_that_needs_migrating_is_refused_unchanged() {
    let dir = TempDir::new().unwrap();
    let db = dir.path().join("old.db");
    support::database_with(&db, "1", "INSERT INTO tasks (title) VALUES ('old')");
    set_mode(&db, 0o444);
    set_mode(dir.path(), 0o755);
    let before = std::fs::read(&db).unwrap();
    let mut term = Terminal::start_unprivileged(&["--db", db.to_str().unwrap()], 120, 30);
    assert_eq!(term.wait_exit(), 2);
    term.wait_for(&format!(
        "is read-only and needs migration V2 first; run `tasktui --migrate-only --db {}` as a user who can write it",
        db.display()
    ));
    term.assert_restored();
    assert!(
        std::fs::read(&db).unwrap() == before,
        "the read-only file changed"
    );
}

#[test]
fn a_lock_file_someone_else_made_read_only_still_serves_and_an_unreadable_one_is_named() {
    let dir = TempDir::new().unwrap();
    let db = dir.path().join("t.db");
    support::database_with(&db, "head", "");
    set_mode(dir.path(), 0o777);
    set_mode(&db, 0o666);
    let lock = dir.path().join("t.db.lock");
    std::fs::write(&lock, "").unwrap();
    set_mode(&lock, 0o444);
    // A lock needs only a handle to read: the interface opens for writing as usual.
    let mut term = Terminal::start_unprivileged(&["--db", db.to_str().unwrap()], 100, 30);
    let screen = term.wait_for("No tasks here");
    assert!(!screen.contains("READ-ONLY"), "{screen}");
    term.type_keys("a");
    term.wait_for("New task");
    term.type_keys("still writable");
    term.send(ENTER);
    term.wait_for("saved “still writable”");
    term.type_keys("q");
    assert_eq!(term.wait_exit(), 0);
    // One nobody can even read: the message names that file, not the folder.
    set_mode(&lock, 0o000);
    let mut term = Terminal::start_unprivileged(&["--db", db.to_str().unwrap()], 120, 30);
    assert_eq!(term.wait_exit(), 1);
    let screen = term.wait_for("t.db.lock: cannot open this lock file (Permission denied");
    assert!(!screen.contains("folder"), "{screen}");
    assert!(screen.contains("remove it (rm "), "{screen}");
}

#[test]
fn the_interface_says_what_it_waits_for_and_gives_up() {
    let dir = TempDir::new().unwrap();
    let db = dir.path().join("t.db");
    support::database_with(&db, "head", "");
    let lock_path = dir.path().join("t.db.lock");
    // The holder names itself: this process, which runs while the interface waits.
    let holder = format!("process {} (tasktui db downgrade base)", std::process::id());
    std::fs::write(&lock_path, &holder).unwrap();
    let lock = std::fs::File::open(&lock_path).unwrap();
    lock.lock().unwrap();
    let mut term = Terminal::start_with_env(
        &["--db", db.to_str().unwrap()],
        &[("TASKTUI_LOCK_WAIT", "1")],
        120,
        30,
    );
    term.wait_for("waiting for");
    term.wait_for(&format!("locked by {holder}"));
    assert_eq!(term.wait_exit(), 1);
    term.wait_for("still locked after 1 s");
    term.assert_restored();
}

#[test]
fn long_work_at_a_terminal_says_how_far_it_is_unless_quiet() {
    let dir = TempDir::new().unwrap();
    let db = dir.path().join("t.db");
    let path = db.to_str().unwrap();
    let mut term = Terminal::start_with(&["--db", path, "demo", "--tasks", "60000"], 100, 20);
    assert_eq!(term.wait_exit(), 0);
    let screen = term.wait_for("added 12 users and 60,000 tasks");
    assert!(
        !screen.contains("demo: "),
        "the line is cleared at the end:\n{screen}"
    );
    // What was written on the way: a step of the work and how far it was.
    let output = String::from_utf8_lossy(&term.output.lock().unwrap()).into_owned();
    assert!(output.contains("\r\x1b[Kdemo: "), "{output}");
    assert!(
        output.contains(" of 60,000 (") || output.contains("… "),
        "{output}"
    );
    // --quiet: the same work, no progress line.
    let quiet = dir.path().join("q.db");
    let mut term = Terminal::start_with(
        &[
            "--db",
            quiet.to_str().unwrap(),
            "demo",
            "--tasks",
            "60000",
            "--quiet",
        ],
        100,
        20,
    );
    assert_eq!(term.wait_exit(), 0);
    let output = term.output.lock().unwrap().clone();
    assert!(
        !String::from_utf8_lossy(&output).contains("demo: "),
        "{}",
        String::from_utf8_lossy(&output)
    );
}
