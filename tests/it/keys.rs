//! The one-key edits, marks, filters, orders, the editor and the mouse, end to end: the real
//! binary in a pseudo-terminal, keys typed as a person would, the database checked after.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

use crate::support;

use rusqlite::Connection;
use std::path::Path;
use support::Terminal;
use tempfile::TempDir;

/// A database with alice and three tasks due one day apart, first to last: t1, t2, t3.
fn three(dir: &TempDir) -> std::path::PathBuf {
    let db = dir.path().join("t.db");
    support::tasktui_ok(&["--db", db.to_str().unwrap(), "--migrate-only"]);
    let conn = Connection::open(&db).unwrap();
    conn.execute_batch(
        "INSERT INTO users (username) VALUES ('alice');
         INSERT INTO tasks (title, due_date) VALUES ('t1', '2026-12-01'), ('t2', '2026-12-02'), ('t3', '2026-12-03');",
    )
    .unwrap();
    db
}

fn count(db: &Path, sql: &str) -> i64 {
    Connection::open(db)
        .unwrap()
        .query_row(sql, [], |r| r.get(0))
        .unwrap()
}

fn start(db: &Path, env: &[(&str, &str)]) -> Terminal {
    let mut env = env.to_vec();
    env.push(("TASKTUI_USER", "alice"));
    Terminal::start_with_env(&["--db", db.to_str().unwrap()], &env, 100, 30)
}

#[test]
fn marks_filters_and_orders_from_the_keyboard() {
    let dir = TempDir::new().unwrap();
    let db = three(&dir);
    let mut term = start(&db, &[]);
    term.wait_for("#3 t3");
    term.type_keys("vv");
    term.wait_for(" 2 marked ");
    term.type_keys("Aali");
    term.wait_for("Assign the 2 marked tasks to");
    term.send(b"\r");
    term.wait_for("2 tasks are assigned to alice");
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM tasks WHERE assignee_id IS NOT NULL"
        ),
        2
    );
    term.type_keys("fm");
    term.wait_for("Tasks: all · mine (1/2) by due");
    term.type_keys("fcO");
    term.wait_for("by due (reversed)");
    let screen = term.screen();
    let (t3, t1) = (screen.find("#3 t3").unwrap(), screen.find("#1 t1").unwrap());
    assert!(t3 < t1, "reversed: {screen}");
    term.type_keys("u");
    term.wait_for("undid: assign 2 tasks to alice");
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM tasks WHERE assignee_id IS NOT NULL"
        ),
        0
    );
    term.type_keys("q");
    assert_eq!(term.wait_exit(), 0);
    term.assert_restored();
}

#[test]
fn capital_e_edits_the_description_in_the_editor_and_comes_back() {
    let dir = TempDir::new().unwrap();
    let db = three(&dir);
    // An editor that adds a line to the file it is given, as a person would in vi.
    let script = dir.path().join("editor.sh");
    std::fs::write(
        &script,
        "#!/bin/sh\nprintf 'written in the editor\\n' >> \"$1\"\n",
    )
    .unwrap();
    std::fs::set_permissions(&script, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let editor = script.to_str().unwrap();
    let mut term = start(&db, &[("VISUAL", editor), ("EDITOR", "false")]);
    term.wait_for("#1 t1");
    term.type_keys("E");
    term.wait_for("saved the description of “t1”");
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM tasks WHERE description = 'written in the editor'"
        ),
        1
    );
    // The interface has its keys back: the next task, then the description shown.
    term.type_keys("j");
    term.wait_for("status todo  priority none  due 2026-12-02");
    term.type_keys("q");
    assert_eq!(term.wait_exit(), 0);
    term.assert_restored();
    // An editor that fails leaves the description and says so.
    let mut term = start(&db, &[("EDITOR", "false"), ("VISUAL", "")]);
    term.wait_for("#1 t1");
    term.type_keys("E");
    term.wait_for(
        "the editor (false) failed with exit status 1; the description of “t1” was not changed",
    );
    term.type_keys("q");
    assert_eq!(term.wait_exit(), 0);
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM tasks WHERE description = 'written in the editor'"
        ),
        1
    );
    // An editor that leaves a FIFO in place of its file: said at once, the interface goes on.
    let fifo_editor = dir.path().join("fifo.sh");
    std::fs::write(
        &fifo_editor,
        "#!/bin/sh
rm -f \"$1\" && mkfifo \"$1\"\n",
    )
    .unwrap();
    std::fs::set_permissions(
        &fifo_editor,
        std::os::unix::fs::PermissionsExt::from_mode(0o755),
    )
    .unwrap();
    let mut term = start(&db, &[("VISUAL", fifo_editor.to_str().unwrap())]);
    term.wait_for("#1 t1");
    term.type_keys("E");
    term.wait_for("not a file");
    term.type_keys("q");
    assert_eq!(term.wait_exit(), 0);
    term.assert_restored();
}

#[test]
fn a_click_selects_the_row_under_it_and_the_wheel_scrolls() {
    let dir = TempDir::new().unwrap();
    let db = three(&dir);
    let mut term = start(&db, &[]);
    let screen = term.wait_for("#3 t3");
    // The row and column (1-based, as the terminal reports them) of t3's title.
    let (row, line) = screen
        .lines()
        .enumerate()
        .find(|(_, l)| l.contains("#3 t3"))
        .unwrap();
    let column = line.chars().take_while(|&c| c != '#').count() + 1;
    let (row, column) = (row + 1, column);
    term.send(format!("\x1b[<0;{column};{row}M\x1b[<0;{column};{row}m").as_bytes());
    term.wait_for("(3/3)");
    term.wait_for("due 2026-12-03");
    term.send(format!("\x1b[<65;{column};{row}M").as_bytes()); // wheel down: already last
    term.send(format!("\x1b[<64;{column};{row}M").as_bytes()); // wheel up: three rows
    term.wait_for("(1/3)");
    // A click on alice in the Users pane shows her (empty) list.
    let alice = term
        .screen()
        .lines()
        .position(|l| l.contains("│alice"))
        .unwrap()
        + 1;
    term.send(format!("\x1b[<0;3;{alice}M\x1b[<0;3;{alice}m").as_bytes());
    term.wait_for("Tasks: alice (0/0)");
    term.type_keys("q");
    assert_eq!(term.wait_exit(), 0);
    term.assert_restored();
}

#[test]
fn tags_from_the_keyboard_and_the_filter_menu() {
    let dir = TempDir::new().unwrap();
    let db = three(&dir);
    let mut term = start(&db, &[]);
    term.wait_for("#3 t3");
    term.type_keys("vvT");
    term.wait_for("tags: ");
    term.type_keys("backend ops\r");
    term.wait_for("2 tasks: +#backend +#ops");
    term.wait_for("#1 t1 #backend #ops");
    assert_eq!(
        count(&db, "SELECT tasks FROM tags WHERE name = 'backend'"),
        2
    );
    term.type_keys("f#");
    term.wait_for("Show the tasks tagged");
    term.type_keys("op\r");
    term.wait_for("Tasks: all · #ops (1/2)");
    term.type_keys("fc/#backend");
    term.wait_for("Tasks: all /#backend (1/2)");
    term.send(b"\x1b");
    term.type_keys("u");
    term.wait_for("undid: tag 2 tasks");
    assert_eq!(count(&db, "SELECT count(*) FROM task_tags"), 0);
    term.type_keys("q");
    assert_eq!(term.wait_exit(), 0);
    term.assert_restored();
}
