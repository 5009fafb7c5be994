//! A change carried out on the server and recorded with its inverse, for undo and redo: the
//! same `carry` as on SQLite, in one transaction with its history rows.

use super::PgStore;
use super::rows::PgRows;
use postgres::Transaction;
use postgres::types::ToSql;
use tasktui_core::carry::apply_in;
use tasktui_core::error::{Result, StoreError};
use tasktui_core::history::{self, Entry, Log, NewEntry, Step, json};
use tasktui_core::model::{Change, TaskId};
use tasktui_core::seam::{Applied, Changes, HistoryEntry};

impl PgStore {
    /// What became of a COMMIT: when its reply was lost (the connection broke as it was sent),
    /// the change's own token in the history tells, on a new connection, whether it was saved;
    /// only when it was not is the person told so, and a retry then applies it once.
    pub(super) fn outcome(
        &self,
        committed: std::result::Result<(), postgres::Error>,
        token: &str,
    ) -> Result<()> {
        let error = match committed {
            Ok(()) => return Ok(()),
            Err(error) => error,
        };
        let said = self.error(&error);
        if !matches!(said, StoreError::Lost { .. }) {
            return Err(said);
        }
        let saved = self.client().and_then(|mut client| {
            client
                .query_opt("SELECT 1 FROM changes WHERE token = $1", &[&token])
                .map(|row| row.is_some())
                .map_err(|e| self.error(&e))
        });
        match saved {
            Ok(true) => {
                tracing::info!(server = %self.server, "a COMMIT's reply was lost; the change was saved");
                Ok(())
            }
            Ok(false) => Err(said),
            // Still no answer: whether it was saved cannot be told yet.
            Err(StoreError::Lost { server, detail }) => Err(StoreError::Unknown { server, detail }),
            Err(other) => Err(other),
        }
    }

    /// Records a change carried out in `tx` with its inverse in the author's history
    /// (`history::record`), with a token of its own, which it returns (see `outcome`).
    pub(super) fn record(
        &self,
        tx: &mut Transaction<'_>,
        now: &str,
        summary: &str,
        change: &Change,
        inverse: &Change,
    ) -> Result<String> {
        let token = new_token();
        let mut tables = Tables {
            tx,
            token: &token,
            store: self,
        };
        history::record(
            &mut tables,
            self.author.as_deref(),
            now,
            summary,
            change,
            inverse,
        )?;
        Ok(token)
    }

    /// One step back or forward through the author's history, in one transaction: chosen and
    /// checked as on every backend (`history::pick`), carried out, and its entry settled with
    /// a token of its own (see `outcome`).
    fn step(&self, step: Step) -> Result<Option<String>> {
        let now = self.clock.stamp();
        let mut client = self.client()?;
        let mut tx = client.transaction().map_err(|e| self.error(&e))?;
        let token = new_token();
        let mut tables = Tables {
            tx: &mut tx,
            token: &token,
            store: self,
        };
        let Some(picked) = history::pick(&mut tables, step, self.author.as_deref())? else {
            return Ok(None);
        };
        let done = apply_in(
            &mut PgRows {
                tx: &mut tx,
                server: &self.server,
            },
            &picked.change,
            &now,
        )?;
        Tables {
            tx: &mut tx,
            token: &token,
            store: self,
        }
        .settle(picked.id, step, &json(&done.inverse)?)?;
        let committed = tx.commit();
        drop(client);
        self.outcome(committed, &token)?;
        Ok(Some(picked.summary))
    }
}

/// A token no other change has: the time in nanoseconds, the process and a count.
fn new_token() -> String {
    static MADE: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    format!(
        "{nanos:x}-{:x}-{:x}",
        std::process::id(),
        MADE.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    )
}

/// The server's history tables inside a change's transaction; each entry carries `token`.
struct Tables<'a, 't> {
    tx: &'a mut Transaction<'t>,
    token: &'a str,
    store: &'a PgStore,
}

impl Tables<'_, '_> {
    fn run(&mut self, sql: &str, params: &[&(dyn ToSql + Sync)]) -> Result<()> {
        self.tx
            .execute(sql, params)
            .map(|_| ())
            .map_err(|e| self.store.error(&e))
    }
}

impl Log for Tables<'_, '_> {
    fn forget_redo(&mut self, author: Option<&str>) -> Result<()> {
        // `change_tasks` rows go with their change (ON DELETE CASCADE).
        self.run(
            "DELETE FROM changes WHERE author IS NOT DISTINCT FROM $1 AND undone",
            &[&author],
        )
    }

    fn add(&mut self, entry: &NewEntry<'_>) -> Result<i64> {
        self.tx
            .query_one(
                "INSERT INTO changes (author, at, summary, change, inverse, token)
                 VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                &[
                    &entry.author,
                    &entry.at,
                    &entry.summary,
                    &entry.change,
                    &entry.inverse,
                    &self.token,
                ],
            )
            .map(|row| row.get(0))
            .map_err(|e| self.store.error(&e))
    }

    fn touched(&mut self, id: i64, tasks: &[TaskId]) -> Result<()> {
        let ids: Vec<i64> = tasks.iter().map(|t| t.0).collect();
        self.run(
            "INSERT INTO change_tasks (task_id, change_id) SELECT unnest($1::bigint[]), $2
             ON CONFLICT DO NOTHING",
            &[&ids, &id],
        )
    }

    fn forget_up_to(&mut self, last: i64) -> Result<()> {
        self.run("DELETE FROM changes WHERE id <= $1", &[&last])
    }

    fn next(&mut self, step: Step, author: Option<&str>) -> Result<Option<(i64, Entry)>> {
        let pick = match step {
            Step::Undo => "NOT undone ORDER BY id DESC",
            Step::Redo => "undone ORDER BY id ASC",
        };
        let row = self
            .tx
            .query_opt(
                &format!(
                    "SELECT id, author, summary, change, inverse FROM changes
                     WHERE author IS NOT DISTINCT FROM $1 AND {pick} LIMIT 1 FOR UPDATE"
                ),
                &[&author],
            )
            .map_err(|e| self.store.error(&e))?;
        Ok(row.map(|row| (row.get(0), entry(&row))))
    }

    fn later(&mut self, id: i64, author: Option<&str>) -> Result<Vec<Entry>> {
        let rows = self
            .tx
            .query(
                "SELECT author, summary, change, inverse FROM changes
                 WHERE id > $1 AND author IS DISTINCT FROM $2 AND NOT undone ORDER BY id",
                &[&id, &author],
            )
            .map_err(|e| self.store.error(&e))?;
        Ok(rows.iter().map(entry).collect())
    }

    fn settle(&mut self, id: i64, step: Step, other: &str) -> Result<()> {
        let token = self.token;
        self.run(
            &format!(
                "UPDATE changes SET undone = $1, {} = $2, token = $4 WHERE id = $3",
                step.keeps()
            ),
            &[&step.leaves_undone(), &other, &id, &token],
        )
    }
}

/// A history row as `history::pick` reads it.
fn entry(row: &postgres::Row) -> Entry {
    Entry {
        author: row.get("author"),
        summary: row.get("summary"),
        change: row.get("change"),
        inverse: row.get("inverse"),
    }
}

impl Changes for PgStore {
    /// Carries out `change` in one transaction and records it, with its inverse, in the
    /// history of this store's author.
    fn apply(&self, change: &Change) -> Result<Applied> {
        let now = self.clock.stamp();
        let mut client = self.client()?;
        let mut tx = client.transaction().map_err(|e| self.error(&e))?;
        let done = apply_in(
            &mut PgRows {
                tx: &mut tx,
                server: &self.server,
            },
            change,
            &now,
        )?;
        let token = self.record(&mut tx, &now, &done.applied.summary, change, &done.inverse)?;
        let committed = tx.commit();
        drop(client);
        self.outcome(committed, &token)?;
        Ok(done.applied)
    }

    fn undo(&self) -> Result<Option<String>> {
        self.step(Step::Undo)
    }

    fn redo(&self) -> Result<Option<String>> {
        self.step(Step::Redo)
    }

    /// The last `limit` changes that touched the task, newest first.
    fn task_history(&self, id: TaskId, limit: u32) -> Result<Vec<HistoryEntry>> {
        let rows = self.rows(
            "SELECT c.author, c.at, c.summary, c.undone
             FROM change_tasks ct JOIN changes c ON c.id = ct.change_id
             WHERE ct.task_id = $1 ORDER BY ct.change_id DESC LIMIT $2",
            &[&id.0, &i64::from(limit)],
        )?;
        Ok(rows
            .iter()
            .map(|row| HistoryEntry {
                author: row.get(0),
                at: row.get(1),
                summary: row.get(2),
                undone: row.get(3),
            })
            .collect())
    }
}
