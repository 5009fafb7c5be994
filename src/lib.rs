//! tasktui: a keyboard-driven terminal task tracker for teams, on embedded SQLite.

pub mod app;
// The model, the clock and the text helpers live in the core crate, under their old names.
pub use tasktui_core::{clock, model, text};
pub mod cli;
pub mod commands;
pub mod config;
pub use store::demo;
pub mod editor;
pub mod exchange_csv;
pub mod keymap;
pub mod layout;
pub mod log;
pub mod on_server;
pub mod output;
pub mod paths;
pub mod process;
pub mod scripting;
pub mod store;
pub mod taskwarrior;
pub mod term;
pub mod ui;
