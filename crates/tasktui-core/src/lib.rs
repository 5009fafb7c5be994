//! tasktui's core: users, tasks and the changes made to them, the rules their fields follow,
//! the clock and the text helpers every part shares. No database, terminal or command line:
//! the application and each backend build on this crate, and it on none of them.

pub mod clock;
pub mod error;
pub mod model;
pub mod text;
