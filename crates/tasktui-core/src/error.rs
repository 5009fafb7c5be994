//! What can go wrong in a database, whatever the backend: each backend turns its errors into
//! these kinds, and nothing of its types crosses the seam. Each says what happened; the way out
//! is the application's to say (`commands::failure`).

use crate::model::ValidationError;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A value the database refused, tied to the form field it came from.
    #[error(transparent)]
    Invalid(#[from] ValidationError),
    #[error("{0} no longer exists; it was deleted elsewhere")]
    NotFound(&'static str),
    #[error("{0}")]
    Refused(&'static str),
    #[error("{0} was changed elsewhere meanwhile, so nothing was saved")]
    Changed(&'static str),
    /// An undo or redo refused: a later change by someone else stands on what it would take
    /// away or revert.
    #[error("{who}'s later change “{summary}” builds on it; nothing changed")]
    BuiltOn { who: String, summary: String },
    #[error("the database is busy (another program is writing to it)")]
    Busy,
    /// A server's row or table held by another session past the wait.
    #[error("nothing was saved: a row or table it needs is held by {holder}")]
    Locked { holder: String },
    /// A read stopped because the person typed on (`Store::give_up_when`); nothing to show.
    #[error("the search was left for the next key")]
    GaveUp,
    /// The person stopped waiting for the server (Esc): the statement was cancelled.
    #[error("stopped waiting for the server; nothing was saved")]
    Stopped,
    #[error("the disk or the database is full; nothing was saved")]
    Full,
    #[error("the database is read-only; nothing was saved")]
    ReadOnly,
    #[error("the database file is damaged ({0})")]
    Corrupt(String),
    #[error("the database file was removed or replaced while tasktui ran; nothing was saved")]
    FileReplaced(String),
    /// The connection to a database server broke; the next action connects again.
    #[error("the connection to {server} was lost ({detail}); nothing was saved")]
    Lost { server: String, detail: String },
    /// The connection broke as a change was committed, and a new one could not ask whether it
    /// was saved.
    #[error(
        "the connection to {server} was lost as the change was being saved ({detail}), and whether it was saved is not known yet"
    )]
    Unknown { server: String, detail: String },
    /// The server's role may not do this.
    #[error("the database role may not do this ({0}); nothing was saved")]
    Denied(String),
    /// Anything else the backend reports, in tasktui's words (`what`), with the backend's own
    /// text as the cause (a server's message never holds the URL's password).
    #[error("the database could not do this ({what}: {detail}); nothing was saved")]
    Failed { what: &'static str, detail: String },
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;
