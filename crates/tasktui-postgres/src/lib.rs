//! The PostgreSQL backend: the same data and behaviour as the SQLite file, on a server a team
//! shares. One synchronous connection (`postgres`), its own migrations (`migrations/postgres/`,
//! twins of SQLite's), LISTEN/NOTIFY for live refresh, and a reconnect when the connection is
//! lost. The change logic itself is the backend-neutral `carry`.

mod backup;
mod check;
mod errors;
mod exchange;
mod filter;
mod history;
pub mod migrate;
mod order;
mod reads;
mod rows;
mod schema;
mod server;
mod tls;
mod words;

pub use errors::ServerError;
pub use server::{Server, hide_password};

use postgres::Client;
use std::cell::{Cell, RefCell};
use std::time::Duration;
use tasktui_core::clock::Clock;
use tasktui_core::error::{Result, StoreError};
use tasktui_core::seam::Session;

/// The channel the migrations' triggers notify on every commit to users, tasks or tags.
const CHANNEL: &str = "tasktui_changes";

/// The oldest server tasktui runs on: pg_trgm is trusted (a database owner may create it) from 13.
pub const OLDEST_SERVER: i32 = 130_000;

/// An open store on a server, the migrations opening it applied, and the backup taken first.
#[derive(Debug)]
pub struct PgOpened {
    pub store: PgStore,
    pub applied: Vec<tasktui_core::schema::Applied>,
    pub backup: Option<std::path::PathBuf>,
}

/// How long after a failed reconnect the next action tries again (each try may wait for the
/// connect timeout; the interface polls several times a second).
const RETRY_AFTER: Duration = Duration::from_secs(2);

/// An open tasktui database on a PostgreSQL server.
pub struct PgStore {
    client: RefCell<Client>,
    server: Server,
    clock: Clock,
    author: Option<String>,
    /// Notices of commits (others' and this client's) received so far: the change counter.
    notices: Cell<i64>,
    /// This connection's server process: its own commits' notices are not another client's.
    own: Cell<i32>,
    /// How many tasks hold each search word, counted from its index, and how many tasks there
    /// are: how a search's matches are read. Forgotten when the data changes.
    matches: RefCell<std::collections::HashMap<String, words::Matches>>,
    /// The ids of the tags whose names hold each search word.
    named: RefCell<std::collections::HashMap<String, Vec<i64>>>,
    /// What the server's statistics know of the short words' index.
    grams: RefCell<Option<std::rc::Rc<words::GramStatistics>>>,
    total: Cell<Option<f64>>,
    /// When reconnecting last failed.
    failed_at: Cell<Option<std::time::Instant>>,
    /// Set when the person stopped waiting (`interrupter`): the rest of that piece of work is
    /// refused too, rather than waiting again statement by statement.
    stopped: std::sync::Arc<std::sync::atomic::AtomicBool>,
    /// Set by the interface when a key arrives during a search that it makes stale
    /// (`give_up_when`): a statement stopped then was given up, not stopped by the person.
    give_up: Option<std::sync::Arc<std::sync::atomic::AtomicBool>>,
}

impl std::fmt::Debug for PgStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgStore")
            .field("server", &self.server)
            .field("author", &self.author)
            .finish_non_exhaustive()
    }
}

/// Connects and checks that the server is one tasktui can use.
pub fn connect(server: &Server) -> Result<Client, ServerError> {
    let (url, check) = tls::split_url(server.secret_url());
    let mut config: postgres::Config = url
        .parse()
        .map_err(|e: postgres::Error| ServerError::BadUrl(e.to_string()))?;
    with_password_from(&mut config, std::env::var_os("PGPASSWORD"));
    // The URL's connect_timeout bounds the whole of connecting, as libpq's does.
    let deadline = config
        .get_connect_timeout()
        .copied()
        .unwrap_or(CONNECT_DEADLINE);
    config
        .connect_timeout(deadline.min(Duration::from_secs(5)))
        .tcp_user_timeout(Duration::from_secs(10))
        .keepalives_idle(Duration::from_secs(30))
        .application_name("tasktui");
    let mut client = connect_within(&config, tls::connector(&check)?, deadline)?;
    let version: i32 = client
        .query_one("SELECT current_setting('server_version_num')::int", &[])
        .map_err(|e| errors::connect_error(&config, &e))?
        .get(0);
    if version < OLDEST_SERVER {
        return Err(ServerError::TooOld(version));
    }
    // tasktui's statements are small and many: compiling one (JIT) costs more than it saves.
    // Every wait is bounded: a row or table another session holds, a statement that runs on, a
    // transaction left open.
    client
        .batch_execute(&format!(
            "SET jit = off; SET lock_timeout = '{}ms'; SET statement_timeout = '{}ms';
             SET idle_in_transaction_session_timeout = '60s'",
            LOCK_WAIT.as_millis(),
            STATEMENT_WAIT.as_millis()
        ))
        .map_err(|e| errors::connect_error(&config, &e))?;
    Ok(client)
}

/// The password from `PGPASSWORD` when the URL has none, as libpq takes it: a suggested
/// command never prints one, so this is where a person puts it for pasting.
fn with_password_from(config: &mut postgres::Config, password: Option<std::ffi::OsString>) {
    use std::os::unix::ffi::OsStrExt;
    if config.get_password().is_none()
        && let Some(password) = password
    {
        config.password(password.as_bytes());
    }
}

/// How long a statement waits for a row or table another session holds.
pub const LOCK_WAIT: Duration = Duration::from_secs(3);

/// How long one statement may run (a migration's own are not bounded: an index of a million
/// tasks takes its time).
pub const STATEMENT_WAIT: Duration = Duration::from_secs(30);

/// How long connecting may take in all when the URL's `connect_timeout` says nothing: reaching
/// the server, TLS and the login. The client's own timeout covers only the first, and a server
/// that takes the connection and never answers would hold every start.
const CONNECT_DEADLINE: Duration = Duration::from_secs(10);

/// Connects on a thread of its own and gives up at `deadline` (the thread, stuck on a silent
/// server, ends with the process or when the server closes the connection).
fn connect_within(
    config: &postgres::Config,
    tls: tokio_postgres_rustls::MakeRustlsConnect,
    deadline: Duration,
) -> Result<Client, ServerError> {
    // The client's runtime needs a few descriptors of its own and fails hard without them: ask
    // for them first, so that a low `ulimit -n` is one line, not a crash.
    let spare: std::io::Result<Vec<std::fs::File>> =
        (0..16).map(|_| std::fs::File::open("/dev/null")).collect();
    if let Err(e) = spare {
        return Err(ServerError::Local(format!(
            "cannot open the files a connection needs ({e}); raise the limit (ulimit -n)"
        )));
    }
    // The client library ends a failed start of its runtime with a panic: on the connecting
    // thread that is an answer (below), not something to print over the terminal.
    static QUIET: std::sync::Once = std::sync::Once::new();
    QUIET.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if std::thread::current().name() != Some("connect") {
                previous(info);
            }
        }));
    });
    let (sender, receiver) = std::sync::mpsc::channel();
    let attempt = config.clone();
    std::thread::Builder::new()
        .name("connect".into())
        .spawn(move || {
            let _ = sender.send(attempt.connect(tls));
        })
        .map_err(|e| ServerError::Unreachable(format!("cannot start connecting: {e}")))?;
    match receiver.recv_timeout(deadline) {
        Ok(connected) => connected.map_err(|e| errors::connect_error(config, &e)),
        Err(std::sync::mpsc::RecvTimeoutError::Timeout) => Err(ServerError::Unreachable(format!(
            "no answer within {} s of connecting",
            deadline.as_secs()
        ))),
        Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => Err(ServerError::Local(
            "the client library could not start connecting (too few open files allowed? raise the limit: ulimit -n)".into(),
        )),
    }
}

/// Listens for the commits' notices on `client`; returns its server process's id.
fn listen(client: &mut Client) -> Result<i32, ServerError> {
    client
        .batch_execute(&format!("LISTEN {CHANNEL}"))
        .map_err(|e| ServerError::Query(e.to_string()))?;
    client
        .query_one("SELECT pg_backend_pid()", &[])
        .map(|row| row.get(0))
        .map_err(|e| ServerError::Query(e.to_string()))
}

impl PgStore {
    /// A store on a connected client whose schema is up to date.
    pub fn new(server: Server, mut client: Client) -> Result<PgStore, ServerError> {
        let own = listen(&mut client)?;
        Ok(PgStore {
            client: RefCell::new(client),
            server,
            clock: Clock::system(),
            author: None,
            notices: Cell::new(0),
            own: Cell::new(own),
            failed_at: Cell::new(None),
            stopped: std::sync::Arc::default(),
            matches: RefCell::default(),
            grams: RefCell::default(),
            named: RefCell::default(),
            give_up: None,
            total: Cell::new(None),
        })
    }

    pub fn server(&self) -> &Server {
        &self.server
    }

    pub fn set_author(&mut self, author: Option<String>) {
        self.author = author;
    }

    pub fn set_clock(&mut self, clock: Clock) {
        self.clock = clock;
    }

    /// The client, connected again first when the connection was lost (a server restart, a
    /// network drop): the next action after a loss reconnects, and the interface refreshes.
    /// The flag the interface sets when a key arrives during a search it makes stale: the
    /// search's statement is then cancelled (`interrupter`), and the search reports
    /// `GaveUp`, as SQLite's progress handler makes it, so it runs again for the newer key.
    pub fn give_up_when(&mut self, flag: std::sync::Arc<std::sync::atomic::AtomicBool>) {
        self.give_up = Some(flag);
    }

    /// Whether the work under way was given up for a newer key.
    fn given_up(&self) -> bool {
        self.give_up
            .as_ref()
            .is_some_and(|flag| flag.load(std::sync::atomic::Ordering::SeqCst))
    }

    fn client(&self) -> Result<std::cell::RefMut<'_, Client>> {
        if self.stopped.load(std::sync::atomic::Ordering::SeqCst) {
            return Err(if self.given_up() {
                StoreError::GaveUp
            } else {
                StoreError::Stopped
            });
        }
        let mut client = self.client.borrow_mut();
        if client.is_closed() {
            if self
                .failed_at
                .get()
                .is_some_and(|at| at.elapsed() < RETRY_AFTER)
            {
                return Err(self.lost("reconnecting"));
            }
            let fresh = connect(&self.server).and_then(|mut fresh| {
                let own = listen(&mut fresh)?;
                Ok((fresh, own))
            });
            let (fresh, own) = fresh.map_err(|e| {
                self.failed_at.set(Some(std::time::Instant::now()));
                self.lost(&e.to_string())
            })?;
            self.failed_at.set(None);
            self.own.set(own);
            *client = fresh;
            tracing::info!(server = %self.server, "reconnected");
            // Whatever happened while away: read everything again.
            self.notices.set(self.notices.get() + 1);
        }
        Ok(client)
    }

    fn lost(&self, detail: &str) -> StoreError {
        StoreError::Lost {
            server: self.server.shown().to_string(),
            detail: detail.to_string(),
        }
    }

    /// A server error in tasktui's words; a dropped connection names the server.
    fn error(&self, error: &postgres::Error) -> StoreError {
        match errors::store_error(error, &self.server) {
            StoreError::Stopped if self.given_up() => StoreError::GaveUp,
            e => e,
        }
    }
}

impl Session for PgStore {
    fn writable(&self) -> Result<()> {
        Ok(())
    }
    fn read_only_reason(&self) -> Option<&str> {
        None
    }
    fn check_alive(&self) -> Result<()> {
        Ok(())
    }
    fn on_a_server(&self) -> bool {
        true
    }
    /// Asks the server, on a connection of its own, to cancel this client's statement; every
    /// later statement of the same piece of work (up to the next `interrupter`) is refused.
    fn interrupter(&self) -> Option<tasktui_core::seam::Interrupt> {
        use std::sync::atomic::Ordering;
        self.stopped.store(false, Ordering::SeqCst);
        let token = self.client.try_borrow().ok()?.cancel_token();
        let (_, check) = tls::split_url(self.server.secret_url());
        let stopped = std::sync::Arc::clone(&self.stopped);
        // Asked for on every key on a server and called only on Esc: the TLS setup (Mozilla's
        // roots) is made then, not on the keystroke's path.
        Some(Box::new(move || {
            stopped.store(true, Ordering::SeqCst);
            let asked = tls::connector(&check)
                .map_err(|e| e.to_string())
                .and_then(|tls| token.cancel_query(tls).map_err(|e| e.to_string()));
            match asked {
                Ok(()) => tracing::info!("asked the server to cancel the statement"),
                Err(e) => tracing::warn!("could not ask the server to cancel the statement: {e}"),
            }
        }))
    }
    /// The notices of other clients' commits received so far (LISTEN/NOTIFY): another
    /// client's commit shows at the next tick; this one's own, which the interface has read
    /// again already, change nothing (as SQLite's `data_version`).
    fn change_counter(&self) -> Result<i64> {
        let mut client = self.client()?;
        let (mut received, mut any) = (0, false);
        {
            let mut notices = client.notifications();
            // Waits a moment, so that the client's runtime reads the socket: a plain `iter()`
            // sees only notices some earlier query happened to read.
            let mut pending = notices.timeout_iter(Duration::from_millis(1));
            while let Some(notice) =
                postgres::fallible_iterator::FallibleIterator::next(&mut pending)
                    .map_err(|e| self.error(&e))?
            {
                any = true;
                if notice.process_id() != self.own.get() {
                    received += 1;
                }
            }
        }
        // Any commit, this client's too, may change how many tasks hold a word.
        if any {
            self.matches.borrow_mut().clear();
            *self.grams.borrow_mut() = None;
            self.named.borrow_mut().clear();
            self.total.set(None);
        }
        self.notices.set(self.notices.get() + received);
        Ok(self.notices.get())
    }
    fn tidy(&self) -> Result<()> {
        Ok(())
    }
    fn clock(&self) -> Clock {
        self.clock
    }
    fn author(&self) -> Option<&str> {
        self.author.as_deref()
    }
    fn file(&self) -> Option<&std::path::Path> {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pgpassword_gives_the_password_a_url_leaves_out_and_never_replaces_one() {
        let mut config: postgres::Config = "postgres://u@h/db".parse().unwrap();
        with_password_from(&mut config, Some("from-env".into()));
        assert_eq!(config.get_password(), Some(&b"from-env"[..]));
        let mut config: postgres::Config = "postgres://u:given@h/db".parse().unwrap();
        with_password_from(&mut config, Some("from-env".into()));
        assert_eq!(config.get_password(), Some(&b"given"[..]));
        let mut config: postgres::Config = "postgres://u@h/db".parse().unwrap();
        with_password_from(&mut config, None);
        assert_eq!(config.get_password(), None);
    }
}
