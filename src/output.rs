//! What the commands print: every line made safe for a terminal (text from a database file can
//! hold escape sequences). A reader that stops reading ends the command quietly; any other
//! failed write (a full disk, `/dev/full`) is a failure.

use crate::text::clean;
use std::io::{self, Write};

/// Standard output could not take what was written.
#[derive(Debug)]
pub enum Unwritten {
    /// Closed by its reader (`tasktui db history | head -1`): nobody is left to read more.
    Closed,
    /// Anything else: the output is incomplete and the command must not report success.
    Failed(io::Error),
}

impl From<io::Error> for Unwritten {
    fn from(error: io::Error) -> Self {
        if error.kind() == io::ErrorKind::BrokenPipe {
            Unwritten::Closed
        } else {
            Unwritten::Failed(error)
        }
    }
}

/// Prints `text` on standard output, each line made safe, with a line break after the last.
pub fn line(text: &str) -> Result<(), Unwritten> {
    // One write for many lines, not one each (standard output flushes at every line).
    let mut out = io::BufWriter::new(io::stdout().lock());
    for part in text.split('\n') {
        writeln!(out, "{}", clean(&part.replace('\t', "    ")))?;
    }
    Ok(out.flush()?)
}

/// Whether colour is turned off: `NO_COLOR` set to anything non-empty (no-color.org).
pub fn no_color() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
}

/// Writes text tasktui generated itself (a completion script, the man page, a table whose
/// every piece was made safe before it was coloured) as it is.
pub fn raw(bytes: &[u8]) -> Result<(), Unwritten> {
    let mut out = io::stdout().lock();
    out.write_all(bytes)?;
    Ok(out.flush()?)
}

/// Writes `text` to standard error made safe, without a line break (a question), ignoring a
/// closed stderr: there is nobody left to tell.
pub fn ask(text: &str) {
    tasktui_core::text::to_stderr(text);
}

/// One line on standard error, made safe.
pub fn error(text: &str) {
    tasktui_core::text::notice(text);
}
