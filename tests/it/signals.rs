//! tasktui never outlives its terminal and answers every signal: a closed terminal (with or
//! without a SIGHUP) ends it within a second, every terminating signal restores the terminal,
//! and a stop from outside comes back in raw mode after `fg`.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

use crate::support;

use nix::sys::signal::Signal;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};
use support::Terminal;
use tempfile::TempDir;

/// The pids of processes whose parent is `parent`.
fn children_of(parent: u32) -> Vec<u32> {
    let path = format!("/proc/{parent}/task/{parent}/children");
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .split_whitespace()
        .filter_map(|p| p.parse().ok())
        .collect()
}

fn alive(pid: u32) -> bool {
    // A zombie has exited; only its parent has not collected it yet.
    std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|stat| {
        stat.rsplit_once(')')
            .is_some_and(|(_, rest)| !rest.trim_start().starts_with('Z'))
    })
}

/// Waits for the first tasktui process under `parent` (up to two levels down).
fn tasktui_under(parent: u32) -> u32 {
    let started = Instant::now();
    loop {
        for child in children_of(parent)
            .into_iter()
            .flat_map(|c| [vec![c], children_of(c)].concat())
        {
            let comm = std::fs::read_to_string(format!("/proc/{child}/comm")).unwrap_or_default();
            if comm.trim() == "tasktui" {
                return child;
            }
        }
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "no tasktui started"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn tmux(socket: &str, args: &[&str]) -> std::process::Output {
    Command::new("tmux")
        .arg("-L")
        .arg(socket)
        .args(args)
        .output()
        .unwrap()
}

/// Runs `command` in a detached tmux session, waits for the interface, kills the session (the
/// terminal goes away) and returns how long tasktui took to end.
fn time_to_exit_after_kill_session(name: &str, command: &str) -> Duration {
    let socket = format!("tasktui-test-{}-{name}", std::process::id());
    let o = tmux(
        &socket,
        &[
            "new-session",
            "-d",
            "-s",
            name,
            "-x",
            "80",
            "-y",
            "24",
            command,
        ],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let server: u32 = String::from_utf8(tmux(&socket, &["display-message", "-p", "#{pid}"]).stdout)
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    let pid = tasktui_under(server);
    let started = Instant::now();
    loop {
        let screen = tmux(&socket, &["capture-pane", "-p", "-t", name]);
        if String::from_utf8_lossy(&screen.stdout).contains("No tasks here") {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "the interface did not start"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = tmux(&socket, &["kill-session", "-t", name]);
    let killed = Instant::now();
    while alive(pid) && killed.elapsed() < Duration::from_secs(5) {
        std::thread::sleep(Duration::from_millis(10));
    }
    let took = killed.elapsed();
    if alive(pid) {
        let _ = nix::sys::signal::kill(nix::unistd::Pid::from_raw(pid as i32), Signal::SIGKILL);
    }
    let _ = tmux(&socket, &["kill-server"]);
    took
}

fn quoted(path: &Path) -> String {
    tasktui::text::shell_quote(path)
}

#[test]
fn a_closed_terminal_ends_tasktui_within_a_second() {
    let dir = TempDir::new().unwrap();
    let db = dir.path().join("t.db");
    let bin = env!("CARGO_BIN_EXE_tasktui");
    // tasktui leads the pane's session: the kernel sends it SIGHUP.
    let took = time_to_exit_after_kill_session("hup", &format!("{bin} --db {}", quoted(&db)));
    assert!(took < Duration::from_secs(1), "took {took:?}");
    // A shell that ignores SIGHUP leads the session: tasktui only sees its terminal vanish.
    let took = time_to_exit_after_kill_session(
        "nohup",
        &format!("sh -c 'trap \"\" HUP; {bin} --db {}; sleep 5'", quoted(&db)),
    );
    assert!(took < Duration::from_secs(1), "took {took:?}");
}

#[test]
fn every_terminating_signal_restores_the_terminal() {
    // By number, as `kill -N` sends them: the named ones, those no list of names had (SIGTRAP,
    // SIGSTKFLT, SIGIO, SIGPWR), the faults signal-hook will not catch (SIGILL, SIGFPE,
    // SIGSEGV), the other core-dumping ones (SIGBUS, SIGABRT) and real-time signals
    // (SIGRTMIN+3, SIGRTMAX). Each ends tasktui with the status a shell shows for it.
    for signal in [
        Signal::SIGILL as i32,
        Signal::SIGFPE as i32,
        Signal::SIGSEGV as i32,
        Signal::SIGBUS as i32,
        Signal::SIGABRT as i32,
        Signal::SIGQUIT as i32,
        Signal::SIGUSR1 as i32,
        Signal::SIGUSR2 as i32,
        Signal::SIGALRM as i32,
        Signal::SIGVTALRM as i32,
        Signal::SIGPROF as i32,
        Signal::SIGXCPU as i32,
        Signal::SIGXFSZ as i32,
        Signal::SIGSYS as i32,
        Signal::SIGTRAP as i32,
        Signal::SIGSTKFLT as i32,
        Signal::SIGIO as i32,
        Signal::SIGPWR as i32,
        37,
        64,
    ] {
        let dir = TempDir::new().unwrap();
        let mut term = Terminal::start(&dir.path().join("t.db"), 80, 24);
        term.wait_for("No tasks here");
        let sent = Instant::now();
        let killed = std::process::Command::new("kill")
            .arg(format!("-{signal}"))
            .arg(term.pid().to_string())
            .status()
            .unwrap();
        assert!(killed.success(), "kill -{signal}");
        assert_eq!(term.wait_exit(), 128 + signal as u32, "kill -{signal}");
        assert!(
            sent.elapsed() < Duration::from_secs(2),
            "{signal}: {:?}",
            sent.elapsed()
        );
        term.assert_restored();
    }
}

#[test]
fn a_stop_from_outside_then_fg_comes_back_in_raw_mode() {
    let dir = TempDir::new().unwrap();
    let db = dir.path().join("t.db");
    let term = Terminal::spawn(
        "bash",
        &["--norc", "--noprofile", "-i"],
        &[("PS1", "$ ")],
        100,
        30,
    );
    term.wait_for("$ ");
    term.type_keys(&format!(
        "{} --db {}\r",
        env!("CARGO_BIN_EXE_tasktui"),
        quoted(&db)
    ));
    term.wait_for("No tasks here");
    let pid = tasktui_under(term.pid() as u32);
    nix::sys::signal::kill(nix::unistd::Pid::from_raw(pid as i32), Signal::SIGTSTP).unwrap();
    term.wait_for("Stopped");
    assert!(
        !term.alternate_screen(),
        "the shell got the terminal back on the alternate screen"
    );
    term.type_keys("fg\r");
    term.wait_for("No tasks here");
    // Raw mode: one key, no Enter, opens the form.
    term.type_keys("a");
    term.wait_for("New task");
    term.send(b"\x1b");
    term.type_keys("q");
    let started = Instant::now();
    while alive(pid) {
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "q did not quit without Enter"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    term.type_keys("exit\r");
}

#[test]
fn ctrl_z_works_inside_a_form_and_the_typed_text_waits() {
    let dir = TempDir::new().unwrap();
    let term = Terminal::start(&dir.path().join("t.db"), 100, 30);
    term.wait_for("No tasks here");
    term.type_keys("a");
    term.wait_for("New task");
    term.type_keys("half typed");
    let before = term.output.lock().unwrap().len();
    // No job-control shell here: the stop is skipped, but the terminal is given back and taken.
    term.send(b"\x1a");
    let started = Instant::now();
    loop {
        let after = term.output.lock().unwrap()[before..].to_vec();
        let text = String::from_utf8_lossy(&after).into_owned();
        if text.contains("\x1b[?1049l")
            && text.contains("\x1b[?1049h")
            && text.contains("half typed")
        {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "Ctrl-z did nothing in a form: {text:?}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    term.wait_for("half typed");
    term.send(b"\x1b");
    term.type_keys("q");
}
