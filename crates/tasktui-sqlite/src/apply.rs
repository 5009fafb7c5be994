//! Carrying out a `Change`: one transaction that checks the row versions the person saw, reads
//! the rows as they were, writes, and records the change with its inverse in the history, so
//! that undo applies the inverse and redo the change again.
use tasktui_core::seam::Session;

use super::writes::Lite;
use super::{Cached, Result, Store};
use crate::from_sqlite;
use rusqlite::{OptionalExtension, Transaction, TransactionBehavior, params};
use tasktui_core::carry::apply_in;
use tasktui_core::model::{Change, TaskId};

use tasktui_core::history::{self, Entry, Log, NewEntry, Step, json};
use tasktui_core::seam::Changes;
pub use tasktui_core::seam::{Applied, HISTORY_KEPT, HistoryEntry};

impl Store {
    /// One step back or forward through the author's history, in one transaction: chosen and
    /// checked as on every backend (`history::pick`), carried out, and its entry settled.
    fn step(&self, step: Step) -> Result<Option<String>> {
        self.check_alive()?;
        let now = self.clock.stamp();
        let tx = Transaction::new_unchecked(&self.conn, TransactionBehavior::Immediate)
            .map_err(from_sqlite)?;
        let Some(picked) = history::pick(&mut Tables(&tx), step, self.author.as_deref())? else {
            return Ok(None);
        };
        let done = apply_in(&mut Lite(&tx), &picked.change, &now)?;
        Tables(&tx).settle(picked.id, step, &json(&done.inverse)?)?;
        tx.commit().map_err(from_sqlite)?;
        Ok(Some(picked.summary))
    }
}

/// SQLite's history tables, inside a change's transaction.
struct Tables<'a, 't>(&'a Transaction<'t>);

impl Log for Tables<'_, '_> {
    fn forget_redo(&mut self, author: Option<&str>) -> Result<()> {
        self.0
            .run(
                "DELETE FROM change_tasks WHERE change_id IN
                    (SELECT id FROM changes WHERE author IS ?1 AND undone = 1)",
                [author],
            )
            .map_err(from_sqlite)?;
        self.0
            .run(
                "DELETE FROM changes WHERE author IS ?1 AND undone = 1",
                [author],
            )
            .map_err(from_sqlite)?;
        Ok(())
    }

    fn add(&mut self, entry: &NewEntry<'_>) -> Result<i64> {
        self.0
            .run(
                "INSERT INTO changes (author, at, summary, change, inverse) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![entry.author, entry.at, entry.summary, entry.change, entry.inverse],
            )
            .map_err(from_sqlite)?;
        Ok(self.0.last_insert_rowid())
    }

    fn touched(&mut self, id: i64, tasks: &[TaskId]) -> Result<()> {
        let mut note = self
            .0
            .prepare_cached(
                "INSERT OR IGNORE INTO change_tasks (task_id, change_id) VALUES (?1, ?2)",
            )
            .map_err(from_sqlite)?;
        for task in tasks {
            note.execute(params![task.0, id]).map_err(from_sqlite)?;
        }
        Ok(())
    }

    fn forget_up_to(&mut self, last: i64) -> Result<()> {
        self.0
            .run("DELETE FROM change_tasks WHERE change_id <= ?1", [last])
            .map_err(from_sqlite)?;
        self.0
            .run("DELETE FROM changes WHERE id <= ?1", [last])
            .map_err(from_sqlite)?;
        Ok(())
    }

    fn next(&mut self, step: Step, author: Option<&str>) -> Result<Option<(i64, Entry)>> {
        // The write lock taken when the transaction began holds it against other sessions.
        let pick = match step {
            Step::Undo => "undone = 0 ORDER BY id DESC",
            Step::Redo => "undone = 1 ORDER BY id ASC",
        };
        self.0
            .query_row(
                &format!(
                    "SELECT id, author, summary, change, inverse FROM changes
                     WHERE author IS ?1 AND {pick} LIMIT 1"
                ),
                [author],
                |row| Ok((row.get(0)?, entry(row)?)),
            )
            .optional()
            .map_err(from_sqlite)
    }

    fn later(&mut self, id: i64, author: Option<&str>) -> Result<Vec<Entry>> {
        self.0
            .prepare_cached(
                "SELECT author, summary, change, inverse FROM changes
                 WHERE id > ?1 AND author IS NOT ?2 AND undone = 0 ORDER BY id",
            )
            .map_err(from_sqlite)?
            .query_map(params![id, author], entry)
            .map_err(from_sqlite)?
            .collect::<rusqlite::Result<Vec<_>>>()
            .map_err(from_sqlite)
    }

    fn settle(&mut self, id: i64, step: Step, other: &str) -> Result<()> {
        self.0
            .run(
                &format!(
                    "UPDATE changes SET undone = ?1, {} = ?2 WHERE id = ?3",
                    step.keeps()
                ),
                params![step.leaves_undone(), other, id],
            )
            .map_err(from_sqlite)?;
        Ok(())
    }
}

/// A history row as `history::pick` reads it.
fn entry(row: &rusqlite::Row<'_>) -> rusqlite::Result<Entry> {
    Ok(Entry {
        author: row.get("author")?,
        summary: row.get("summary")?,
        change: row.get("change")?,
        inverse: row.get("inverse")?,
    })
}

/// Records a change carried out in `tx` with its inverse in the author's history (`record`).
pub(super) fn record(
    tx: &Transaction<'_>,
    author: Option<&str>,
    now: &str,
    summary: &str,
    change: &Change,
    inverse: &Change,
) -> Result<()> {
    tasktui_core::history::record(&mut Tables(tx), author, now, summary, change, inverse)?;
    Ok(())
}

impl Changes for Store {
    /// Carries out `change` in one transaction and records it, with its inverse, in the
    /// history of this store's author.
    fn apply(&self, change: &Change) -> Result<Applied> {
        self.check_alive()?;
        let now = self.clock.stamp();
        let tx = Transaction::new_unchecked(&self.conn, TransactionBehavior::Immediate)
            .map_err(from_sqlite)?;
        let done = apply_in(&mut Lite(&tx), change, &now)?;
        record(
            &tx,
            self.author.as_deref(),
            &now,
            &done.applied.summary,
            change,
            &done.inverse,
        )?;
        tx.commit().map_err(from_sqlite)?;
        Ok(done.applied)
    }

    /// Undoes this author's last change that is not undone yet; `None` when there is none. A
    /// row changed since by someone else refuses it, and nothing changes.
    fn undo(&self) -> Result<Option<String>> {
        self.step(Step::Undo)
    }

    /// Redoes this author's most recently undone change; `None` when there is none.
    fn redo(&self) -> Result<Option<String>> {
        self.step(Step::Redo)
    }

    /// The last `limit` changes that touched the task, newest first: read through
    /// `change_tasks`, never by walking the history.
    fn task_history(&self, id: TaskId, limit: u32) -> Result<Vec<HistoryEntry>> {
        let mut statement = self
            .conn
            .prepare_cached(
                "SELECT c.author, c.at, c.summary, c.undone
             FROM change_tasks ct JOIN changes c ON c.id = ct.change_id
             WHERE ct.task_id = ?1 ORDER BY ct.change_id DESC LIMIT ?2",
            )
            .map_err(from_sqlite)?;
        let rows = statement
            .query_map(params![id.0, limit], |row| {
                Ok(HistoryEntry {
                    author: row.get(0)?,
                    at: row.get(1)?,
                    summary: row.get(2)?,
                    undone: row.get(3)?,
                })
            })
            .map_err(from_sqlite)?;
        rows.collect::<rusqlite::Result<_>>().map_err(from_sqlite)
    }
}
