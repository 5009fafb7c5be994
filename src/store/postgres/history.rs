//! A change carried out on the server and recorded with its inverse, for undo and redo: the
//! same `carry` as on SQLite, in one transaction with its history rows.

use super::PgStore;
use super::rows::PgRows;
use crate::model::Change;
use crate::store::apply::{Applied, Entry, HISTORY_KEPT, json, refuse_built_on};
use crate::store::carry::apply_in;
use crate::store::{Result, StoreError};
use postgres::Transaction;
use postgres::types::ToSql;

impl PgStore {
    /// Carries out `change` in one transaction and records it, with its inverse, in the
    /// history of this store's author.
    pub fn apply(&self, change: &Change) -> Result<Applied> {
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
        self.record(&mut tx, &now, &done.applied.summary, change, &done.inverse)?;
        tx.commit().map_err(|e| self.error(&e))?;
        Ok(done.applied)
    }

    /// Records a change carried out in `tx` with its inverse in the author's history (as
    /// SQLite's `apply::record` does).
    pub(super) fn record(
        &self,
        tx: &mut Transaction<'_>,
        now: &str,
        summary: &str,
        change: &Change,
        inverse: &Change,
    ) -> Result<()> {
        let run = |tx: &mut Transaction<'_>, sql: &str, params: &[&(dyn ToSql + Sync)]| {
            tx.execute(sql, params).map_err(|e| self.error(&e))
        };
        // A new change ends what could be redone.
        run(
            tx,
            "DELETE FROM changes WHERE author IS NOT DISTINCT FROM $1 AND undone",
            &[&self.author],
        )?;
        let recorded: i64 = tx
            .query_one(
                "INSERT INTO changes (author, at, summary, change, inverse)
                 VALUES ($1, $2, $3, $4, $5) RETURNING id",
                &[
                    &self.author,
                    &now,
                    &summary,
                    &json(change)?,
                    &json(inverse)?,
                ],
            )
            .map_err(|e| self.error(&e))?
            .get(0);
        let mut touched = change.tasks();
        touched.extend(inverse.tasks());
        touched.sort_unstable();
        touched.dedup();
        let ids: Vec<i64> = touched.iter().map(|t| t.0).collect();
        run(
            tx,
            "INSERT INTO change_tasks (task_id, change_id) SELECT unnest($1::bigint[]), $2
             ON CONFLICT DO NOTHING",
            &[&ids, &recorded],
        )?;
        run(
            tx,
            "DELETE FROM changes WHERE id <= $1",
            &[&(recorded - HISTORY_KEPT)],
        )?;
        Ok(())
    }

    pub fn undo(&self) -> Result<Option<String>> {
        self.step("NOT undone ORDER BY id DESC", "inverse", true, "change")
    }

    pub fn redo(&self) -> Result<Option<String>> {
        self.step("undone ORDER BY id ASC", "change", false, "inverse")
    }

    fn step(&self, pick: &str, apply: &str, undone: bool, other: &str) -> Result<Option<String>> {
        let now = self.clock.stamp();
        let mut client = self.client()?;
        let mut tx = client.transaction().map_err(|e| self.error(&e))?;
        let entry = |row: &postgres::Row| Entry {
            author: row.get("author"),
            summary: row.get("summary"),
            change: row.get("change"),
            inverse: row.get("inverse"),
        };
        let row = tx
            .query_opt(
                &format!(
                    "SELECT id, author, summary, change, inverse FROM changes
                     WHERE author IS NOT DISTINCT FROM $1 AND {pick} LIMIT 1 FOR UPDATE"
                ),
                &[&self.author],
            )
            .map_err(|e| self.error(&e))?;
        let Some(row) = row else {
            return Ok(None);
        };
        let id: i64 = row.get(0);
        let picked = entry(&row);
        let later = tx
            .query(
                "SELECT author, summary, change, inverse FROM changes
                 WHERE id > $1 AND author IS DISTINCT FROM $2 AND NOT undone ORDER BY id",
                &[&id, &self.author],
            )
            .map_err(|e| self.error(&e))?;
        refuse_built_on(&picked, later.iter().map(entry).collect())?;
        let summary = picked.summary;
        let stored = if apply == "inverse" {
            picked.inverse
        } else {
            picked.change
        };
        let change: Change = serde_json::from_str(&stored)
            .map_err(|e| StoreError::Corrupt(format!("history entry {id}: {e}")))?;
        let done = apply_in(
            &mut PgRows {
                tx: &mut tx,
                server: &self.server,
            },
            &change,
            &now,
        )?;
        tx.execute(
            &format!("UPDATE changes SET undone = $1, {other} = $2 WHERE id = $3"),
            &[&undone, &json(&done.inverse)?, &id],
        )
        .map_err(|e| self.error(&e))?;
        tx.commit().map_err(|e| self.error(&e))?;
        Ok(Some(summary))
    }
}
