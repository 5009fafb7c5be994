//! tasktui: a keyboard-driven terminal task tracker for teams, on embedded SQLite.

pub mod cli;
pub mod clock;
pub mod model;
pub mod paths;
pub mod store;
