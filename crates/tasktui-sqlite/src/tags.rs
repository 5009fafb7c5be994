//! Reading the tags in use, with their counts (kept by triggers, V9).

use super::{Result, Store, count, text};
use crate::from_sqlite;
use tasktui_core::model::TagCount;

impl Store {
    /// The tags that some task carries, most used first: one row per tag, never a count.
    pub fn list_tags(&self) -> Result<Vec<TagCount>> {
        let mut statement = self.conn.prepare_cached(
            "SELECT name, tasks FROM tags WHERE tasks > 0 ORDER BY tasks DESC, name COLLATE NOCASE",
        ).map_err(from_sqlite)?;
        let rows = statement
            .query_map([], |row| {
                Ok(TagCount {
                    name: text(row, 0)?,
                    tasks: count(row, 1)?,
                })
            })
            .map_err(from_sqlite)?;
        rows.collect::<rusqlite::Result<_>>().map_err(from_sqlite)
    }
}
