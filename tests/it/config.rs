//! The config file as a person uses it: through the binary, in a pseudo-terminal, against real
//! files. A rebinding shows in the help and the hints, mistakes and conflicts are named at
//! start-up and by `tasktui config check`, and the other entries take effect.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

use crate::support;

use std::path::{Path, PathBuf};
use support::Terminal;
use tempfile::TempDir;

/// A database with one user (alice, who has an overdue task) and a config file of `text`.
fn setup(dir: &TempDir, text: &str) -> (PathBuf, PathBuf) {
    let db = dir.path().join("t.db");
    support::database_with(
        &db,
        "head",
        "INSERT INTO users (username) VALUES ('alice');
         INSERT INTO tasks (title, assignee_id, due_date) VALUES ('Fix login', 1, '2020-01-02');
         INSERT INTO tasks (title, status) VALUES ('Old one', 'done');",
    );
    let config = dir.path().join("config.toml");
    std::fs::write(&config, text).unwrap();
    (db, config)
}

fn start(db: &Path, config: &Path, env: &[(&str, &str)]) -> Terminal {
    start_sized(db, config, env, 36)
}

fn start_sized(db: &Path, config: &Path, env: &[(&str, &str)], rows: u16) -> Terminal {
    let mut all = vec![("TASKTUI_CONFIG", config.to_str().unwrap())];
    all.extend_from_slice(env);
    Terminal::start_with_env(&["--db", db.to_str().unwrap()], &all, 120, rows)
}

fn tasktui(config: &Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_tasktui"))
        .args(args)
        .env("TASKTUI_CONFIG", config)
        .env_remove("TASKTUI_DB")
        .env_remove("TASKTUI_USER")
        .output()
        .unwrap()
}

#[test]
fn a_rebinding_takes_effect_and_shows_in_the_help_and_the_hints() {
    let dir = TempDir::new().unwrap();
    let (db, config) = setup(
        &dir,
        "[keys.panes]\nadd = \"n\"\nundo = [\"U\", \"ctrl-z\"]\n[keys.global]\nsuspend = \"f12\"\n",
    );
    // Tall enough for the whole help.
    let mut term = start_sized(&db, &config, &[], 150);
    // The frame arrives in pieces: wait for the status bar itself.
    let screen = term.wait_for("U undo");
    assert!(screen.contains("n add"), "the hints follow: {screen}");
    assert!(!screen.contains("a add"), "{screen}");
    term.type_keys("?");
    // The help shows the rebound keys (the frame may arrive in pieces).
    term.wait_for("U, Ctrl-z");
    term.wait_for("F12");
    term.type_keys("q");
    term.type_keys("n");
    term.wait_for("New task");
    term.send(b"\x1b");
    term.type_keys("x");
    term.wait_for("mark #1");
    // Ctrl-z now undoes (suspend moved to F12).
    term.send(b"\x1a");
    term.wait_for("undid: mark #1");
    term.type_keys("q");
    assert_eq!(term.wait_exit(), 0);
}

#[test]
fn a_conflict_and_a_mistake_are_reported_at_start_up_and_the_rest_applies() {
    let dir = TempDir::new().unwrap();
    let (db, config) = setup(&dir, "[keys.panes]\nundo = \"x\"\nredo = \"R\"\n");
    let mut term = start(&db, &config, &[]);
    let screen = term.wait_for("config: line 2: conflict:");
    assert!(
        screen.contains("\"x\" is bound to both toggle-done [keys.tasks] and undo [keys.panes]"),
        "{screen}"
    );
    term.type_keys("q");
    assert_eq!(term.wait_exit(), 0);

    std::fs::write(&config, "mouse = \"no\"\n[keys.panes]\nadd = \"n\"\n").unwrap();
    let mut term = start(&db, &config, &[]);
    term.wait_for("line 1: mouse must be true or false");
    // Esc clears the message; the hints under it follow the rest of the file.
    term.send(b"\x1b");
    term.wait_for("n add");
    term.type_keys("q");
    assert_eq!(term.wait_exit(), 0);
}

#[test]
fn config_check_names_every_problem_by_line_and_exits_2() {
    let dir = TempDir::new().unwrap();
    let (_, config) = setup(
        &dir,
        "[keys.panes]\nadd-tsk = \"n\"\nundo = \"x\"\n[theme]\naccent = \"redd\"\n",
    );
    let o = tasktui(&config, &["config", "check"]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    let shown = config.display().to_string();
    for expected in [
        format!("{shown}: line 2: unknown action \"add-tsk\" in [keys.panes]"),
        format!("{shown}: line 5: accent: \"redd\" is not a colour"),
        format!(
            "{shown}: line 3: conflict: \"x\" is bound to both toggle-done [keys.tasks] and undo [keys.panes]"
        ),
        "tasktui: 3 problems in the config file; tasktui starts with the defaults for them"
            .to_string(),
    ] {
        assert!(err.contains(&expected), "{expected}\nin\n{err}");
    }
    std::fs::write(&config, "mouse = false\n").unwrap();
    let o = tasktui(&config, &["config", "check"]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(
        String::from_utf8_lossy(&o.stdout).trim(),
        format!("{shown}: ok")
    );
    // An explicit file that is not there is a problem; `config` names the file in use.
    let missing = dir.path().join("none.toml");
    let o = tasktui(&missing, &["config", "check"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("cannot read the file"));
    let o = tasktui(&config, &["config"]);
    assert_eq!(String::from_utf8_lossy(&o.stdout).trim(), shown);
}

#[test]
fn me_the_start_view_dates_and_the_mouse_take_effect() {
    let dir = TempDir::new().unwrap();
    let (db, config) = setup(
        &dir,
        "me = \"alice\"\nmouse = false\n[dates]\ndisplay = \"absolute\"\nformat = \"%d %b %Y\"\n[start]\nfilter = [\"mine\"]\nsort = \"title\"\n",
    );
    // `me` names the person when TASKTUI_USER does not: "mine" finds alice's task.
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_tasktui"))
        .args(["list", "--mine", "--json", "--db", db.to_str().unwrap()])
        .env("TASKTUI_CONFIG", &config)
        .env_remove("TASKTUI_USER")
        .env("USER", "somebody-else")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stdout).contains("Fix login"));

    let mut term = start(&db, &config, &[("USER", "somebody-else")]);
    let screen = term.wait_for("02 Jan 2020");
    assert!(screen.contains("mine"), "the filter at start: {screen}");
    assert!(screen.contains("by title"), "the order at start: {screen}");
    assert!(!screen.contains("Old one"), "{screen}");
    assert!(screen.contains("02 Jan 2020"), "absolute dates: {screen}");
    let output = term.output.lock().unwrap().clone();
    assert!(
        !output.windows(8).any(|w| w == b"\x1b[?1000h"),
        "mouse = false asks the terminal for no mouse reports"
    );
    term.type_keys("q");
    assert_eq!(term.wait_exit(), 0);
}

#[test]
fn no_color_writes_no_colour_codes_and_the_selection_still_shows() {
    let dir = TempDir::new().unwrap();
    let (db, config) = setup(&dir, "[theme]\nbase = \"light\"\n");
    let mut term = start(&db, &config, &[("NO_COLOR", "1")]);
    let screen = term.wait_for("Fix login");
    term.type_keys("?");
    term.wait_for("Keys");
    term.type_keys("q");
    term.type_keys("a");
    term.wait_for("New task");
    term.send(b"\x1b");
    term.wait_for("Fix login");
    let output = String::from_utf8_lossy(&term.output.lock().unwrap()).into_owned();
    // Every SGR sequence written: none may set a colour (30–49, 90–107, 38;…/48;…).
    for sgr in output.split("\x1b[").skip(1) {
        let Some(end) = sgr.find(|c: char| !(c.is_ascii_digit() || c == ';')) else {
            continue;
        };
        if &sgr[end..=end] != "m" {
            continue;
        }
        for code in sgr[..end].split(';').filter_map(|c| c.parse::<u32>().ok()) {
            assert!(
                !matches!(code, 30..=49 | 90..=107),
                "a colour code {code} under NO_COLOR in {sgr:?}"
            );
        }
    }
    let row = screen
        .lines()
        .position(|l| l.contains("Fix login"))
        .unwrap() as u16;
    let col = screen
        .lines()
        .nth(row as usize)
        .unwrap()
        .find("Fix login")
        .unwrap();
    let col = screen.lines().nth(row as usize).unwrap()[..col]
        .chars()
        .count() as u16;
    assert!(
        term.inverse(row, col),
        "the selection shows in reverse video"
    );
    term.type_keys("q");
    assert_eq!(term.wait_exit(), 0);
}

#[test]
fn an_error_in_the_status_bar_is_logged_with_its_cause_never_shown_on_the_terminal() {
    let dir = TempDir::new().unwrap();
    let (db, config) = setup(&dir, "");
    let mut term = start(&db, &config, &[("TASKTUI_USER", "alice")]);
    term.wait_for("Fix login");
    // A form open on the task while another process changes it: saving is refused.
    term.type_keys("e");
    term.wait_for("Edit task");
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_tasktui"))
        .args([
            "edit",
            "1",
            "--title",
            "Fixed elsewhere",
            "--db",
            db.to_str().unwrap(),
        ])
        .env("TASKTUI_CONFIG", "/dev/null")
        .env("TASKTUI_LOG", "off")
        .env("TASKTUI_USER", "bob")
        .output()
        .unwrap();
    assert!(o.status.success());
    term.type_keys(" now");
    term.send(b"\r");
    let screen = term.wait_for("↳");
    term.send(b"\x1b");
    term.wait_for("discards what you typed");
    term.send(b"\x1b");
    term.type_keys("q");
    assert_eq!(term.wait_exit(), 0);
    let log = std::fs::read_to_string(term.state_dir().join("tasktui/tasktui.log")).unwrap();
    let refused = log
        .lines()
        .find(|l| l.contains("ERROR") && l.contains("cause="))
        .unwrap_or_else(|| {
            panic!("no refusal with its cause in the log:\n{log}\nscreen:\n{screen}")
        });
    assert!(refused.contains("refused"), "{refused}");
    let output = String::from_utf8_lossy(&term.output.lock().unwrap()).into_owned();
    assert!(!output.contains("cause="), "the log reached the terminal");
}

#[test]
fn a_misplaced_table_or_key_is_named_by_its_line_too() {
    let dir = TempDir::new().unwrap();
    let (_, config) = setup(&dir, "[keys]\nnot_an_action = \"x\"\n[bogus]\nx = 1\n");
    let o = tasktui(&config, &["config", "check"]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    let shown = config.display().to_string();
    for expected in [
        format!("{shown}: line 2: not_an_action in [keys] binds nothing"),
        format!("{shown}: line 3: unknown entry \"bogus\""),
    ] {
        assert!(err.contains(&expected), "{expected}\nin\n{err}");
    }
}

#[test]
fn the_command_config_suggests_for_a_first_file_works_when_pasted() {
    let dir = TempDir::new().unwrap();
    let home = dir.path().join("home");
    std::fs::create_dir(&home).unwrap();
    let bin = Path::new(env!("CARGO_BIN_EXE_tasktui")).parent().unwrap();
    let run = |command: &str| {
        std::process::Command::new("sh")
            .args(["-c", command])
            .env("HOME", &home)
            .env_remove("XDG_CONFIG_HOME")
            .env_remove("TASKTUI_CONFIG")
            .env(
                "PATH",
                format!("{}:{}", bin.display(), std::env::var("PATH").unwrap()),
            )
            .output()
            .unwrap()
    };
    let said = String::from_utf8(run("tasktui config").stdout).unwrap();
    let command = said
        .split("every default applies; ")
        .nth(1)
        .and_then(|rest| rest.strip_suffix(" starts one)\n"))
        .unwrap_or_else(|| panic!("{said}"));
    let o = run(command);
    assert!(
        o.status.success(),
        "{command}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    let o = run("tasktui config check");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stdout).ends_with(": ok\n"));
}
