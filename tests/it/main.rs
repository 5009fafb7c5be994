//! tasktui's integration tests, one crate linked once: the real binary in a pseudo-terminal
//! and from scripts, the interface driven with events, the store on a real SQLite file and a
//! real PostgreSQL server (`TASKTUI_TEST_POSTGRES`), each area a module.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

mod support;

mod app;
mod cli;
mod config;
mod contract;
mod counts;
mod crash;
mod db_cli;
mod edits;
mod faults;
mod file_edges;
mod first_hour;
mod fuzz;
mod generated;
mod import_fuzz;
mod interface;
mod keys;
mod migrations;
mod order;
mod parsers;
mod postgres;
mod pty;
mod quick;
mod readme;
mod reliability;
mod scripting;
mod search;
mod server_edges;
mod shape;
mod signals;
mod snapshots;
mod store_file;
mod tags;
mod taskwarrior;
mod trust;
mod undo;
