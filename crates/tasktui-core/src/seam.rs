//! The backend seam: what the interface and the scripting commands ask of a database, in
//! tasktui's own types and errors. Each backend implements it; nothing of a backend's types or
//! message text crosses it.

use crate::clock::Clock;
use crate::error::Result;
use crate::exchange::{Export, Imported};
use crate::model::{Change, TagCount, Task, TaskId, User, UserId, UserSummary};
use crate::query::TaskFilter;
use std::path::Path;
use std::time::Duration;

/// How many changes the history keeps; older ones are pruned as new ones are recorded.
pub const HISTORY_KEPT: i64 = 10_000;

/// What carrying out a change did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    /// The id of the row a creation made.
    pub created: Option<i64>,
    /// How many tasks a user's deletion handed on.
    pub moved: usize,
    /// The change in words, for the status bar and the history.
    pub summary: String,
}

/// One entry of a task's history, as the detail shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryEntry {
    /// Who made the change; `None` for changes made without a name.
    pub author: Option<String>,
    /// When, as stored (`2026-11-24T09:30:00Z`).
    pub at: String,
    pub summary: String,
    /// Undone since (and not redone).
    pub undone: bool,
}

/// Stops the statement a database is running for this client, from another thread: what Esc
/// does while the interface waits on a server.
pub type Interrupt = Box<dyn FnOnce() + Send>;

/// What a backend is, for the interface and the scripting commands: the seam's parts, each
/// implemented by a backend where its code lives (no method forwards to another).
pub trait Database:
    Users + Tasks + Counts + Changes + Exchange + Session + std::fmt::Debug
{
}

impl<T> Database for T where
    T: Users + Tasks + Counts + Changes + Exchange + Session + std::fmt::Debug
{
}

/// The people.
pub trait Users {
    /// Every user by username, with their open and overdue counts.
    fn list_users(&self) -> Result<Vec<UserSummary>>;
    fn get_user(&self, id: UserId) -> Result<User>;
    /// How many tasks (of any status) are assigned to the user.
    fn count_user_tasks(&self, id: UserId) -> Result<u64>;
}

/// The tasks, a page at a time, and their tags.
pub trait Tasks {
    /// `limit` tasks of the filter in its order, skipping the first `offset`.
    fn list_tasks(&self, filter: &TaskFilter, offset: u64, limit: u64) -> Result<Vec<Task>>;
    /// The same rows as `list_tasks(filter, total - from_end - limit, limit)`, read from the end.
    fn list_tasks_from_end(
        &self,
        filter: &TaskFilter,
        from_end: u64,
        limit: u64,
    ) -> Result<Vec<Task>>;
    /// The index of a task in the filter's order; `None` when the filter leaves it out.
    fn task_position(&self, filter: &TaskFilter, id: TaskId) -> Result<Option<u64>>;
    /// `limit` tasks of the filter from `before` rows above task `id` (at `position` in the
    /// list): the rows a page showing that task holds. A backend may read them from the task's
    /// place in the order's index rather than walk the rows before the page.
    fn list_tasks_around(
        &self,
        filter: &TaskFilter,
        id: TaskId,
        position: u64,
        before: u64,
        limit: u64,
    ) -> Result<Vec<Task>> {
        let _ = id;
        self.list_tasks(filter, position.saturating_sub(before), limit)
    }
    fn get_task(&self, id: TaskId) -> Result<Task>;
    /// The tags in use, most used first, with their counts.
    fn list_tags(&self) -> Result<Vec<TagCount>>;
}

/// How many of a search's matches are counted where the index counts them (a file's): the
/// list holds the first ten thousand and says there are more.
pub const MATCHES_COUNTED: u64 = 10_000;

/// How many tasks a filter holds.
pub trait Counts {
    fn count_tasks(&self, filter: &TaskFilter) -> Result<u64>;
    /// The count and whether it is exact: any number above `most` may stand for "more".
    fn count_tasks_up_to(&self, filter: &TaskFilter, most: u64) -> Result<(u64, bool)>;
    /// How many of a search's (or a tag's) matches the list counts and holds before it says
    /// there are more: as many as can be counted within a keystroke's time.
    fn matches_counted(&self) -> u64 {
        MATCHES_COUNTED
    }
    /// When the filter's count is read from the counts the database keeps, the same count made
    /// from the tasks themselves (the kept ones are wrong after a write around their triggers);
    /// `None` for a filter counted from the tasks anyway.
    fn recount_kept(&self, filter: &TaskFilter) -> Result<Option<u64>>;
}

/// Changes and their history.
pub trait Changes {
    /// Carries out a change in one transaction, checked against the versions it names, and
    /// records it with its inverse for undo.
    fn apply(&self, change: &Change) -> Result<Applied>;
    /// Undoes (redoes) the author's last change; `None` when there is none.
    fn undo(&self) -> Result<Option<String>>;
    fn redo(&self) -> Result<Option<String>>;
    /// The last `limit` changes that touched the task, newest first.
    fn task_history(&self, id: TaskId, limit: u32) -> Result<Vec<HistoryEntry>>;
}

/// Everything in and out, in tasktui's own format.
pub trait Exchange {
    /// Every user and task.
    fn export(&self) -> Result<Export>;
    /// Imports `data`, all or nothing, as one change in the history; `dry` checks only;
    /// `again` takes tasks an earlier import of the same file brought.
    fn import(&self, data: &Export, dry: bool, again: bool) -> Result<Imported>;
}

/// The connection: who, when, whether it can write, and what changed elsewhere.
pub trait Session {
    /// Whether changes can be saved; the error says why not.
    fn writable(&self) -> Result<()>;
    fn read_only_reason(&self) -> Option<&str>;
    /// Whether the database is still the one that was opened.
    fn check_alive(&self) -> Result<()>;
    /// A number that changes whenever another client commits.
    fn change_counter(&self) -> Result<i64>;
    /// Housekeeping while the person is idle.
    fn tidy(&self) -> Result<()>;
    fn clock(&self) -> Clock;
    /// Whose changes these are, for undo and "mine".
    fn author(&self) -> Option<&str>;
    /// The file, for a backend that is one.
    fn file(&self) -> Option<&Path>;
    /// Whether the data is on a server, where a write may wait on another session.
    fn on_a_server(&self) -> bool {
        false
    }
    /// A way to stop the statement running now from another thread, where a wait can be long
    /// (a server's); `None` where every wait is short.
    fn interrupter(&self) -> Option<Interrupt> {
        None
    }
}

/// How long tasktui waits for another process's lock before it gives up, unless
/// `TASKTUI_LOCK_WAIT` (seconds) says otherwise.
pub const DEFAULT_WAIT: Duration = Duration::from_secs(10);

/// The wait in force: `TASKTUI_LOCK_WAIT` seconds, or `DEFAULT_WAIT`.
pub fn wait_limit() -> Duration {
    std::env::var("TASKTUI_LOCK_WAIT")
        .ok()
        .and_then(|s| s.trim().parse::<f64>().ok())
        .filter(|s| s.is_finite() && *s >= 0.0)
        .map_or(DEFAULT_WAIT, |s| Duration::from_secs_f64(s.min(86_400.0)))
}
