//! The history of changes as every backend keeps it: each change with its inverse, recorded
//! once for both (`record` over a backend's `Log`), an undo or redo chosen and checked once for
//! both (`pick`), and the rule that no undo or redo takes away what someone else built on since.

use crate::error::{Result, StoreError};
use crate::model::{Change, Footprint, TaskId};
use crate::seam::HISTORY_KEPT;

/// A history entry as the undo and redo of others see it.
#[derive(Debug)]
pub struct Entry {
    pub author: Option<String>,
    pub summary: String,
    pub change: String,
    pub inverse: String,
}

/// Which way a step goes through an author's history.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// The author's newest change that is not undone: its inverse is carried out.
    Undo,
    /// The author's oldest undone change: it is carried out again.
    Redo,
}

impl Step {
    /// Whether the entry is undone once the step is taken.
    pub fn leaves_undone(self) -> bool {
        self == Step::Undo
    }

    /// The column that keeps the other way back: the inverse just computed, with the row
    /// versions as they now are (an undo's becomes the entry's `change`, a redo's its `inverse`).
    pub fn keeps(self) -> &'static str {
        match self {
            Step::Undo => "change",
            Step::Redo => "inverse",
        }
    }
}

impl Entry {
    /// The side a step carries out.
    fn side(self, step: Step) -> String {
        match step {
            Step::Undo => self.inverse,
            Step::Redo => self.change,
        }
    }

    fn footprint(&self, id: impl std::fmt::Display) -> Result<Footprint> {
        let parse = |text: &str| {
            serde_json::from_str::<Change>(text)
                .map_err(|e| StoreError::Corrupt(format!("history entry {id}: {e}")))
        };
        Ok(Footprint::of(&parse(&self.change)?, &parse(&self.inverse)?))
    }
}

/// Refuses to undo or redo `entry` when one of `later` (the changes others made after it that
/// stand, oldest first) wrote a row it wrote or refers to one: a user it created that a task is
/// now assigned to, a task it changed that someone changed after. The same on every backend.
pub fn refuse_built_on(entry: &Entry, later: Vec<Entry>) -> Result<()> {
    let mine = entry.footprint("undone")?;
    for other in later {
        if mine.built_on_by(&other.footprint("later")?) {
            return Err(StoreError::BuiltOn {
                who: other
                    .author
                    .unwrap_or_else(|| "someone without a name".into()),
                summary: other.summary,
            });
        }
    }
    Ok(())
}

/// A change as the history keeps it.
pub fn json(change: &Change) -> Result<String> {
    serde_json::to_string(change).map_err(|e| StoreError::Corrupt(e.to_string()))
}

/// A change as it enters the history.
#[derive(Debug)]
pub struct NewEntry<'a> {
    pub author: Option<&'a str>,
    pub at: &'a str,
    pub summary: &'a str,
    /// The change and its inverse, as `json` writes them.
    pub change: String,
    pub inverse: String,
}

/// A backend's history tables, inside the transaction of the change being recorded or the
/// step being taken.
pub trait Log {
    /// Forgets what `author` could redo: a new change ends it.
    fn forget_redo(&mut self, author: Option<&str>) -> Result<()>;
    /// Adds an entry; its id, which grows with each one.
    fn add(&mut self, entry: &NewEntry<'_>) -> Result<i64>;
    /// Notes that entry `id` touched these tasks, for their detail's history.
    fn touched(&mut self, id: i64, tasks: &[TaskId]) -> Result<()>;
    /// Forgets every entry up to id `last`, and what they touched.
    fn forget_up_to(&mut self, last: i64) -> Result<()>;
    /// The entry `step` would take for `author`, held against other sessions until the
    /// transaction ends; `None` when there is none.
    fn next(&mut self, step: Step, author: Option<&str>) -> Result<Option<(i64, Entry)>>;
    /// The entries after `id` by other authors that stand (not undone), oldest first.
    fn later(&mut self, id: i64, author: Option<&str>) -> Result<Vec<Entry>>;
    /// Marks entry `id` as `step` left it, keeping `other` (as `json` writes it) in the
    /// column `step.keeps()` names.
    fn settle(&mut self, id: i64, step: Step, other: &str) -> Result<()>;
}

/// The change an undo or a redo carries out, chosen in the log's transaction.
#[derive(Debug)]
pub struct Picked {
    pub id: i64,
    pub summary: String,
    pub change: Change,
}

/// Chooses what `step` carries out for `author`: the entry, refused when someone else built on
/// it since (`refuse_built_on`), and its side to carry out, read back. The backend carries it
/// out with `carry::apply_in` and then `settle`s the entry with the inverse that gave.
pub fn pick(log: &mut impl Log, step: Step, author: Option<&str>) -> Result<Option<Picked>> {
    let Some((id, entry)) = log.next(step, author)? else {
        return Ok(None);
    };
    refuse_built_on(&entry, log.later(id, author)?)?;
    let summary = entry.summary.clone();
    let change = serde_json::from_str(&entry.side(step))
        .map_err(|e| StoreError::Corrupt(format!("history entry {id}: {e}")))?;
    Ok(Some(Picked {
        id,
        summary,
        change,
    }))
}

/// Records `change`, carried out in the log's transaction, with its inverse in the author's
/// history: it ends what could be redone, notes the tasks it touched, and prunes the entries
/// past `HISTORY_KEPT` (by id, so the oldest go first). Returns the entry's id.
pub fn record(
    log: &mut impl Log,
    author: Option<&str>,
    at: &str,
    summary: &str,
    change: &Change,
    inverse: &Change,
) -> Result<i64> {
    log.forget_redo(author)?;
    let id = log.add(&NewEntry {
        author,
        at,
        summary,
        change: json(change)?,
        inverse: json(inverse)?,
    })?;
    let mut touched = change.tasks();
    touched.extend(inverse.tasks());
    touched.sort_unstable();
    touched.dedup();
    log.touched(id, &touched)?;
    log.forget_up_to(id - HISTORY_KEPT)?;
    Ok(id)
}
