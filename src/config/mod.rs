//! The person's config file: keys, theme, mouse, dates, the view at start and who they are. A
//! TOML file in the platform config folder (`--config PATH` or `TASKTUI_CONFIG` for another).
//! What cannot be read is named by its line and left at its default; the rest still applies.

mod default;
mod read;
mod theme;

pub use default::text as default_text;
pub use read::parse;
pub use theme::{Theme, colour_name, parse_colour};

use crate::keymap::Keymap;
use crate::query::Sort;
use std::path::{Path, PathBuf};

/// How due dates show in the Tasks pane and the detail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dates {
    /// "in 3d", "2d late" rather than the date.
    pub relative: bool,
    /// chrono's strftime format for the date itself.
    pub format: String,
}

impl Dates {
    /// A due date as the Tasks pane shows it.
    pub fn show(
        &self,
        due: chrono::NaiveDate,
        today: chrono::NaiveDate,
        status: crate::model::Status,
    ) -> String {
        if self.relative {
            relative_due(due, today, status)
        } else {
            self.whole(due)
        }
    }

    /// The date itself, in the person's format.
    pub fn whole(&self, due: chrono::NaiveDate) -> String {
        use std::fmt::Write;
        let mut out = String::new();
        // The format was checked when the config was read; a failure shows the ISO date.
        match write!(out, "{}", due.format(&self.format)) {
            Ok(()) => out,
            Err(_) => due.to_string(),
        }
    }
}

/// A due date as the list shows it: "today", "tomorrow", "in 3d", "2d late" (open tasks) or
/// "2d ago" (done ones); the detail shows the date itself.
pub fn relative_due(
    due: chrono::NaiveDate,
    today: chrono::NaiveDate,
    status: crate::model::Status,
) -> String {
    let days = (due - today).num_days();
    match days {
        0 => "today".into(),
        1 => "tomorrow".into(),
        d if d > 1 => format!("in {d}d"),
        d if status.is_open() => format!("{}d late", -d),
        d => format!("{}d ago", -d),
    }
}

impl Default for Dates {
    fn default() -> Dates {
        Dates {
            relative: true,
            format: "%Y-%m-%d".into(),
        }
    }
}

/// Light or dark: which default colours the theme starts from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Base {
    #[default]
    Dark,
    Light,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// The username that is "mine" and the author of changes; overrides the login name.
    pub me: Option<String>,
    pub mouse: bool,
    pub dates: Dates,
    /// The quick filters in force at start: `open`, `done`, `overdue`, `today`, `week`, `mine`,
    /// `#tag`.
    pub filter: Vec<String>,
    /// The order at start (an order remembered for the person wins).
    pub sort: Sort,
    pub base: Base,
    pub theme: Theme,
    pub keys: Keymap,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            me: None,
            mouse: true,
            dates: Dates::default(),
            filter: Vec::new(),
            sort: Sort::default(),
            base: Base::Dark,
            theme: Theme::DARK,
            keys: Keymap::default(),
        }
    }
}

/// Something in the file that could not be used, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub line: Option<usize>,
    pub message: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(line) => write!(f, "line {line}: {}", self.message),
            None => write!(f, "{}", self.message),
        }
    }
}

/// The config in force, the file it came from (if any) and what in it could not be used.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub config: Config,
    pub path: Option<PathBuf>,
    pub problems: Vec<Problem>,
}

impl Loaded {
    /// One line for the status bar at start-up: the first problem and how to see them all
    /// (the file and every problem by line).
    pub fn summary(&self) -> Option<String> {
        let first = self.problems.first()?;
        let more = match self.problems.len() {
            1 => String::new(),
            n => format!(", {} more", n - 1),
        };
        Some(format!("config: {first} (tasktui config check{more})"))
    }
}

/// `$XDG_CONFIG_HOME/tasktui/config.toml` on Linux, the platform's config folder elsewhere.
pub fn default_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "tasktui").map(|d| d.config_dir().join("config.toml"))
}

/// Reads the config file: `explicit` (from `--config` or `TASKTUI_CONFIG`) must exist; the
/// default one may be missing (defaults then).
pub fn load(explicit: Option<&Path>) -> Loaded {
    let path = explicit.map(Path::to_path_buf).or_else(default_path);
    let Some(file) = path.clone() else {
        return Loaded {
            config: Config::default(),
            path,
            problems: Vec::new(),
        };
    };
    match std::fs::read_to_string(&file) {
        Ok(text) => {
            let (config, problems) = parse(&text);
            Loaded {
                config,
                path,
                problems,
            }
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && explicit.is_none() => Loaded {
            config: Config::default(),
            path,
            problems: Vec::new(),
        },
        Err(e) => Loaded {
            config: Config::default(),
            path,
            problems: vec![Problem {
                line: None,
                message: format!("cannot read the file ({e}): every default applies"),
            }],
        },
    }
}

/// The words `[start] filter` takes.
pub const FILTER_WORDS: [&str; 6] = ["open", "done", "overdue", "today", "week", "mine"];

#[cfg(test)]
mod tests;
