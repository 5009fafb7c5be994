//! The schema's migrations as every backend embeds and records them: each migration with how it
//! is reverted, refinery's history rows, and the checksum refinery keeps of each.

/// How a migration is reverted.
#[derive(Debug, Clone, Copy)]
pub enum EmbeddedRevert {
    /// The SQL that undoes it.
    Down(&'static str),
    /// Why it cannot be undone.
    Irreversible(&'static str),
}

/// One migration compiled into the binary.
#[derive(Debug, Clone, Copy)]
pub struct EmbeddedMigration {
    pub version: u32,
    pub name: &'static str,
    pub up: &'static str,
    pub revert: EmbeddedRevert,
}

/// refinery's history table.
pub const HISTORY_TABLE: &str = "refinery_schema_history";

impl EmbeddedMigration {
    /// The checksum refinery records for this migration when it applies it: SipHash-1-3 of the
    /// name, the version (refinery's `i32`) and the SQL, as refinery computes it, without
    /// building refinery's `Migration` (which compiles a regular expression per process, a
    /// third of a millisecond on every start).
    pub fn checksum(self) -> String {
        use std::hash::{Hash, Hasher};
        let mut hasher = siphasher::sip::SipHasher13::new();
        self.name.hash(&mut hasher);
        (self.version as i32).hash(&mut hasher);
        self.up.hash(&mut hasher);
        hasher.finish().to_string()
    }
}

/// The newest version in a set of migrations.
pub fn latest(set: &[EmbeddedMigration]) -> u32 {
    set.iter().map(|m| m.version).max().unwrap_or(0)
}

/// One row of the history table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryRow {
    pub version: u32,
    pub name: String,
    pub applied_on: String,
    pub checksum: String,
}

/// A migration that was applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    pub version: u32,
    pub name: String,
}
