//! The history of changes as every backend keeps it: each change with its inverse, and the rule
//! that no undo or redo takes away what someone else built on since.

use crate::error::{Result, StoreError};
use crate::model::{Change, Footprint};

/// A history entry as the undo and redo of others see it.
#[derive(Debug)]
pub struct Entry {
    pub author: Option<String>,
    pub summary: String,
    pub change: String,
    pub inverse: String,
}

impl Entry {
    /// The side an undo (`inverse`) or a redo (`change`) applies.
    pub fn side(self, apply: &str) -> String {
        if apply == "inverse" {
            self.inverse
        } else {
            self.change
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
