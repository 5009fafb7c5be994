//! A person at a terminal: runs the real tasktui in a pseudo-terminal, types, and reads the
//! screen through a vt100 emulator. Works headless in CI with no stdin.
#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)] // shared by several test files

pub mod harness;
pub mod server;

use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};
use std::io::{Read, Write};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub const TIMEOUT: Duration = Duration::from_secs(20);

/// Runs tasktui without a terminal, as a script would, and expects it to succeed.
pub fn tasktui_ok(args: &[&str]) -> std::process::Output {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_tasktui"))
        .args(args)
        .env_remove("TASKTUI_DB")
        .env("TASKTUI_CONFIG", "/dev/null")
        .env("TASKTUI_LOG", "off")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// Runs a command to its end with no standard input, as a script would.
pub fn run(mut command: std::process::Command) -> std::process::Output {
    command.stdin(std::process::Stdio::null()).output().unwrap()
}

/// What a command printed on standard error.
pub fn err(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// What a command printed on standard output.
pub fn out(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// A command's exit code.
pub fn code(o: &std::process::Output) -> i32 {
    o.status.code().unwrap()
}

/// `tasktui --db <db> <args>` as a script runs it: no terminal, no database from the
/// environment, no test migration.
pub fn command(db: &Path, args: &[&str]) -> std::process::Command {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_tasktui"));
    command
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("TASKTUI_DB")
        // The person's own config file never reaches a test: an empty one.
        .env("TASKTUI_CONFIG", "/dev/null")
        .env("TASKTUI_LOG", "off")
        .env_remove("TASKTUI_TEST_EXTRA_MIGRATION")
        .stdin(std::process::Stdio::null());
    command
}

/// Starts every command at once, then waits for all of them: processes racing for one database.
pub fn run_together(commands: Vec<std::process::Command>) -> Vec<std::process::Output> {
    let children: Vec<_> = commands
        .into_iter()
        .map(|mut c| {
            c.stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    children
        .into_iter()
        .map(|c| c.wait_with_output().unwrap())
        .collect()
}

/// A database at `version` (`head` for the newest) holding what `sql` writes into it.
pub fn database_with(db: &Path, version: &str, sql: &str) {
    tasktui_ok(&["--db", db.to_str().unwrap(), "db", "upgrade", version]);
    rusqlite::Connection::open(db)
        .unwrap()
        .execute_batch(sql)
        .unwrap();
}

pub struct Terminal {
    pub child: Box<dyn Child + Send + Sync>,
    master: Box<dyn MasterPty + Send>,
    writer: Arc<Mutex<Box<dyn Write + Send>>>,
    parser: Arc<Mutex<vt100::Parser>>,
    /// Every byte tasktui wrote, to look for what must never reach a terminal.
    pub output: Arc<Mutex<Vec<u8>>>,
    _state: tempfile::TempDir,
}

impl Terminal {
    /// Starts `tasktui --db <db>` in a `cols`×`rows` terminal.
    pub fn start(db: &Path, cols: u16, rows: u16) -> Terminal {
        Terminal::start_with(&["--db", db.to_str().unwrap()], cols, rows)
    }

    pub fn start_with(args: &[&str], cols: u16, rows: u16) -> Terminal {
        Terminal::start_with_env(args, &[], cols, rows)
    }

    /// Runs tasktui as the unprivileged user `nobody` when the tests run as root (root ignores
    /// file modes, so read-only files are only read-only for someone else).
    pub fn start_unprivileged(args: &[&str], cols: u16, rows: u16) -> Terminal {
        if !nix::unistd::geteuid().is_root() {
            return Terminal::start_with(args, cols, rows);
        }
        let mut full = vec![
            "--reuid=65534",
            "--regid=65534",
            "--clear-groups",
            env!("CARGO_BIN_EXE_tasktui"),
        ];
        full.extend_from_slice(args);
        Terminal::spawn("setpriv", &full, &[], cols, rows)
    }

    pub fn start_with_env(args: &[&str], env: &[(&str, &str)], cols: u16, rows: u16) -> Terminal {
        Terminal::spawn(env!("CARGO_BIN_EXE_tasktui"), args, env, cols, rows)
    }

    pub fn spawn(
        program: &str,
        args: &[&str],
        env: &[(&str, &str)],
        cols: u16,
        rows: u16,
    ) -> Terminal {
        let pty = native_pty_system()
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        let mut command = CommandBuilder::new(program);
        command.args(args);
        command.env("TERM", "xterm-256color");
        command.env_remove("TASKTUI_DB");
        command.env("TASKTUI_CONFIG", "/dev/null");
        command.env_remove("TASKTUI_LOG");
        command.env_remove("NO_COLOR");
        // Each run keeps its remembered order and its log to itself, never in the real state
        // folder.
        let state = tempfile::TempDir::new().unwrap();
        command.env("XDG_STATE_HOME", state.path());
        for (name, value) in env {
            command.env(name, value);
        }
        let child = pty.slave.spawn_command(command).unwrap();
        drop(pty.slave);
        let mut reader = pty.master.try_clone_reader().unwrap();
        let writer = Arc::new(Mutex::new(pty.master.take_writer().unwrap()));
        let parser = Arc::new(Mutex::new(vt100::Parser::new(
            rows.try_into().unwrap(),
            cols.try_into().unwrap(),
            0,
        )));
        let output = Arc::new(Mutex::new(Vec::new()));
        {
            let (parser, output, writer) = (
                Arc::clone(&parser),
                Arc::clone(&output),
                Arc::clone(&writer),
            );
            std::thread::spawn(move || {
                let mut buffer = [0u8; 8192];
                while let Ok(n) = reader.read(&mut buffer) {
                    if n == 0 {
                        break;
                    }
                    let bytes = &buffer[..n];
                    // crossterm may ask where the cursor is; a real terminal answers.
                    if bytes.windows(4).any(|w| w == b"\x1b[6n") {
                        let (row, col) = parser.lock().unwrap().screen().cursor_position();
                        let _ = write!(writer.lock().unwrap(), "\x1b[{};{}R", row + 1, col + 1);
                    }
                    parser.lock().unwrap().process(bytes);
                    output.lock().unwrap().extend_from_slice(bytes);
                }
            });
        }
        Terminal {
            child,
            master: pty.master,
            writer,
            parser,
            output,
            _state: state,
        }
    }

    /// The state folder this run was given (`XDG_STATE_HOME`): its log and remembered order.
    pub fn state_dir(&self) -> &Path {
        self._state.path()
    }

    pub fn screen(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    /// Whether the cell at `row`, `col` is drawn in reverse video.
    pub fn inverse(&self, row: u16, col: u16) -> bool {
        let parser = self.parser.lock().unwrap();
        parser.screen().cell(row, col).is_some_and(|c| c.inverse())
    }

    /// Whether any cell on the screen has a colour of its own.
    pub fn any_colour(&self) -> bool {
        let parser = self.parser.lock().unwrap();
        let screen = parser.screen();
        let (rows, cols) = screen.size();
        (0..rows.get()).any(|r| {
            (0..cols.get()).any(|c| {
                screen.cell(r, c).is_some_and(|cell| {
                    cell.fgcolor() != vt100::Color::Default
                        || cell.bgcolor() != vt100::Color::Default
                })
            })
        })
    }

    pub fn alternate_screen(&self) -> bool {
        self.parser.lock().unwrap().screen().alternate_screen()
    }

    /// Waits until the screen shows `text`; fails with the screen after `TIMEOUT`.
    pub fn wait_for(&self, text: &str) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if screen.contains(text) {
                return screen;
            }
            if start.elapsed() > TIMEOUT {
                panic!("waited {TIMEOUT:?} for {text:?}; the screen shows:\n{screen}");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Waits until the screen shows `text` where lines may break it: spaces, line ends and
    /// border lines (box drawing) are left out of both.
    pub fn wait_for_wrapped(&self, text: &str) -> String {
        let squeeze = |s: &str| -> String {
            s.chars()
                .filter(|c| !c.is_whitespace() && !('\u{2500}'..='\u{257F}').contains(c))
                .collect()
        };
        let wanted = squeeze(text);
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if squeeze(&screen).contains(&wanted) {
                return screen;
            }
            if start.elapsed() > TIMEOUT {
                panic!("waited {TIMEOUT:?} for {text:?}; the screen shows:\n{screen}");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Types `keys` as a person would: a pause after each, so that Esc is never read as Alt.
    pub fn type_keys(&self, keys: &str) {
        for c in keys.chars() {
            self.send(c.encode_utf8(&mut [0; 4]).as_bytes());
        }
    }

    pub fn send(&self, bytes: &[u8]) {
        let mut writer = self.writer.lock().unwrap();
        writer.write_all(bytes).unwrap();
        writer.flush().unwrap();
        drop(writer);
        std::thread::sleep(Duration::from_millis(30));
    }

    pub fn pid(&self) -> i32 {
        i32::try_from(self.child.process_id().unwrap()).unwrap()
    }

    pub fn signal(&self, signal: nix::sys::signal::Signal) {
        nix::sys::signal::kill(nix::unistd::Pid::from_raw(self.pid()), signal).unwrap();
    }

    /// Waits for tasktui to exit and returns its exit code.
    pub fn wait_exit(&mut self) -> u32 {
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                // Let the reader drain what was written last.
                std::thread::sleep(Duration::from_millis(100));
                return status.exit_code();
            }
            if start.elapsed() > TIMEOUT {
                let _ = self.child.kill();
                panic!("tasktui did not exit; the screen shows:\n{}", self.screen());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// The terminal as the shell gets it back: the normal screen, echo and line editing on.
    pub fn assert_restored(&self) {
        assert!(!self.alternate_screen(), "still on the alternate screen");
        assert_eq!(
            self.parser.lock().unwrap().screen().mouse_protocol_mode(),
            vt100::MouseProtocolMode::None,
            "the mouse still reports to the program"
        );
        let termios = self.master.get_termios().expect("terminal modes");
        let flags = termios.local_flags;
        use nix::sys::termios::LocalFlags;
        assert!(flags.contains(LocalFlags::ECHO), "echo is off: {flags:?}");
        assert!(
            flags.contains(LocalFlags::ICANON),
            "canonical mode is off: {flags:?}"
        );
        let output = self.output.lock().unwrap();
        let shown = output.windows(6).rposition(|w| w == b"\x1b[?25h");
        let hidden = output.windows(6).rposition(|w| w == b"\x1b[?25l");
        assert!(
            hidden.is_none() || shown > hidden,
            "the cursor was left hidden"
        );
    }
}

impl Drop for Terminal {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}
