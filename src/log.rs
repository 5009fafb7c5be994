//! The log: `tracing` to a file in the platform state folder, never to the terminal (the
//! interface owns it), at the level `TASKTUI_LOG` names (`error`, `warn`, `info`, `debug`,
//! `trace` or `off`; `info` when unset). The file is rotated by size at start: past
//! `ROTATE_AT` it becomes `tasktui.log.1` (and `.1` `.2`, up to `KEPT` old files).

use std::path::PathBuf;
use tracing::level_filters::LevelFilter;

/// `$XDG_STATE_HOME/tasktui/tasktui.log` on Linux (beside the state file).
pub fn file() -> Option<PathBuf> {
    crate::paths::state_file().map(|state| state.with_file_name("tasktui.log"))
}

/// A log past this size is put aside when tasktui starts.
pub const ROTATE_AT: u64 = 1 << 20;
/// How many old logs are kept beside the current one.
pub const KEPT: usize = 3;

/// Puts a log past `ROTATE_AT` aside as `.1`, moving older ones up and dropping the oldest.
/// Best effort, as the log is: another tasktui rotating at the same moment costs one extra turn.
pub fn rotate(path: &std::path::Path) {
    if std::fs::metadata(path).map_or(true, |m| m.len() < ROTATE_AT) {
        return;
    }
    let aside = |n: usize| {
        let mut name = path.as_os_str().to_owned();
        name.push(format!(".{n}"));
        PathBuf::from(name)
    };
    let _ = std::fs::remove_file(aside(KEPT));
    for n in (1..KEPT).rev() {
        let _ = std::fs::rename(aside(n), aside(n + 1));
    }
    let _ = std::fs::rename(path, aside(1));
}

/// The level `TASKTUI_LOG` names; `Err` with what it says when that is no level.
fn level() -> Result<LevelFilter, String> {
    match std::env::var("TASKTUI_LOG") {
        Err(_) => Ok(LevelFilter::INFO),
        Ok(text) => text.trim().parse::<LevelFilter>().map_err(|_| text),
    }
}

/// Starts logging to `file()`; the log is best effort: a folder that cannot be made or a file
/// that cannot be opened leaves tasktui without one, never stops it.
pub fn start() -> Option<PathBuf> {
    let path = file()?;
    let (level, bad) = match level() {
        Ok(level) => (level, None),
        Err(text) => (LevelFilter::INFO, Some(text)),
    };
    if level == LevelFilter::OFF {
        return None;
    }
    std::fs::create_dir_all(path.parent()?).ok()?;
    rotate(&path);
    let file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .ok()?;
    tracing_subscriber::fmt()
        .with_writer(std::sync::Mutex::new(file))
        .with_ansi(false)
        .with_max_level(level)
        .try_init()
        .ok()?;
    if let Some(text) = bad {
        tracing::warn!(
            "TASKTUI_LOG={text:?} is no level (error, warn, info, debug, trace, off): logging at info"
        );
    }
    Some(path)
}
