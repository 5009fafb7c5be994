//! tasktui: a keyboard-driven terminal task tracker for teams, on a SQLite file or a PostgreSQL
//! server.

pub mod app;
// The model, the seam and the neutral types live in the core crate, under their old names.
pub use tasktui_core::{clock, error, exchange, model, process, query, schema, seam, text};
pub mod cli;
pub mod commands;
pub mod config;
pub mod editor;
pub mod exchange_csv;
pub mod keymap;
pub mod layout;
pub mod log;
pub mod man;
pub mod open;
pub mod output;
pub mod paths;
pub mod progress;
pub mod scripting;
pub mod taskwarrior;
pub mod term;
pub mod ui;
