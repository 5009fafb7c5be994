//! tasktui's core: users, tasks and the changes made to them, the rules their fields follow,
//! what a list asks of a database (`query`), the export format, the backend seam (`seam`) and
//! its errors (`error`), the clock and the text helpers every part shares. No database,
//! terminal or command line: the application and each backend build on this crate, and it on
//! none of them.

pub mod carry;
pub mod clock;
pub mod error;
pub mod exchange;
pub mod history;
pub mod migration_files;
pub mod model;
pub mod paths;
pub mod process;
pub mod progress;
pub mod query;
pub mod schema;
pub mod seam;
pub mod stored;
pub mod summary;
pub mod text;
