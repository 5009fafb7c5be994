//! Reading a config file's text: each entry checked and applied on its own, so that a mistake
//! costs only that entry (named by its line) and the rest still applies.

use super::{Base, Config, Dates, FILTER_WORDS, Problem, Theme, parse_colour};
use crate::keymap::{Action, Context, Key, Keymap};
use crate::query::SortKey;

/// The config a text describes, and what in it could not be used (left at its default).
pub fn parse(text: &str) -> (Config, Vec<Problem>) {
    let mut config = Config::default();
    let mut problems = Vec::new();
    let table: toml::Table = match text.parse() {
        Ok(table) => table,
        Err(e) => {
            let e: toml::de::Error = e;
            problems.push(Problem {
                line: e.span().map(|span| line_at(text, span.start)),
                message: format!(
                    "{}: not TOML, so every default applies",
                    e.message().trim_end()
                ),
            });
            return (config, problems);
        }
    };
    let lines = Lines::of(text);
    let mut reader = Reader {
        lines: &lines,
        problems: &mut problems,
    };
    for (key, value) in &table {
        match key.as_str() {
            "me" => {
                if let Some(name) = reader.string(&[], key, value) {
                    match crate::model::validate_username(&name) {
                        Ok(name) => config.me = Some(name),
                        Err(e) => reader.problem(&[], Some(key), format!("me: {}", e.message)),
                    }
                }
            }
            "mouse" => {
                if let Some(on) = reader.boolean(&[], key, value) {
                    config.mouse = on;
                }
            }
            "dates" => read_dates(&mut reader, value, &mut config.dates),
            "start" => read_start(&mut reader, value, &mut config),
            "theme" => read_theme(&mut reader, value, &mut config),
            "keys" => read_keys(&mut reader, value, &mut config.keys),
            other => reader.problem(
                &[],
                Some(other),
                format!("unknown entry {other:?} (the entries are me, mouse, [dates], [start], [theme], [keys.…])"),
            ),
        }
    }
    for conflict in config.keys.conflicts() {
        let (context, action) = conflict.second;
        let line = lines
            .locate(&["keys", context.name()], action.name())
            .or_else(|| {
                let (context, action) = conflict.first;
                lines.locate(&["keys", context.name()], action.name())
            });
        problems.push(Problem {
            line,
            message: format!("conflict: {conflict}"),
        });
    }
    // In the order of the file, so that the first one said is the first one to fix.
    problems.sort_by_key(|p| p.line.unwrap_or(usize::MAX));
    (config, problems)
}

fn read_dates(reader: &mut Reader<'_>, value: &toml::Value, dates: &mut Dates) {
    let Some(table) = reader.table(&[], "dates", value) else {
        return;
    };
    for (key, value) in table {
        match key.as_str() {
            "display" => match reader.string(&["dates"], key, value).as_deref() {
                Some("relative") => dates.relative = true,
                Some("absolute") => dates.relative = false,
                Some(other) => reader.problem(
                    &["dates"],
                    Some(key),
                    format!("display {other:?} is not relative or absolute"),
                ),
                None => {}
            },
            "format" => {
                if let Some(format) = reader.string(&["dates"], key, value) {
                    match check_date_format(&format) {
                        Ok(()) => dates.format = format,
                        Err(message) => reader.problem(&["dates"], Some(key), message),
                    }
                }
            }
            other => reader.unknown(&["dates"], other, "display, format"),
        }
    }
}

/// A strftime format that chrono can write (an unknown `%` item would fail at every frame).
fn check_date_format(format: &str) -> Result<(), String> {
    use std::fmt::Write;
    let date = chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap_or_default();
    let mut out = String::new();
    let items = chrono::format::StrftimeItems::new(format);
    if items
        .clone()
        .any(|item| matches!(item, chrono::format::Item::Error))
        || write!(out, "{}", date.format(format)).is_err()
    {
        return Err(format!(
            "format {format:?} is not a date format (chrono's strftime, like %Y-%m-%d or %a %-d %b)"
        ));
    }
    if out.is_empty() {
        return Err(format!("format {format:?} writes nothing"));
    }
    Ok(())
}

fn read_start(reader: &mut Reader<'_>, value: &toml::Value, config: &mut Config) {
    let Some(table) = reader.table(&[], "start", value) else {
        return;
    };
    for (key, value) in table {
        match key.as_str() {
            "filter" => {
                let Some(words) = reader.strings(&["start"], key, value) else {
                    continue;
                };
                for word in words {
                    let known = FILTER_WORDS.contains(&word.as_str())
                        || word
                            .strip_prefix('#')
                            .is_some_and(|tag| crate::model::check_tag(tag).is_ok());
                    if known {
                        config.filter.push(word);
                    } else {
                        reader.problem(
                            &["start"],
                            Some(key),
                            format!(
                                "filter {word:?} is not one of {}, or #tag",
                                FILTER_WORDS.join(", ")
                            ),
                        );
                    }
                }
            }
            "sort" => {
                if let Some(name) = reader.string(&["start"], key, value) {
                    match SortKey::ALL.into_iter().find(|k| k.label() == name) {
                        Some(sort) => config.sort.key = sort,
                        None => reader.problem(
                            &["start"],
                            Some(key),
                            format!(
                                "sort {name:?} is not one of due, priority, created, updated, title, status"
                            ),
                        ),
                    }
                }
            }
            "reverse" => {
                if let Some(on) = reader.boolean(&["start"], key, value) {
                    config.sort.reverse = on;
                }
            }
            other => reader.unknown(&["start"], other, "filter, sort, reverse"),
        }
    }
}

fn read_theme(reader: &mut Reader<'_>, value: &toml::Value, config: &mut Config) {
    let Some(table) = reader.table(&[], "theme", value) else {
        return;
    };
    // The base first, wherever it is written: the colours set beside it override it.
    if let Some(value) = table.get("base") {
        match reader.string(&["theme"], "base", value).as_deref() {
            Some("dark") => (config.base, config.theme) = (Base::Dark, Theme::DARK),
            Some("light") => (config.base, config.theme) = (Base::Light, Theme::LIGHT),
            Some(other) => reader.problem(
                &["theme"],
                Some("base"),
                format!("base {other:?} is not dark or light"),
            ),
            None => {}
        }
    }
    for (key, value) in table.iter().filter(|(k, _)| *k != "base") {
        if config.theme.get(key).is_none() {
            let names: Vec<&str> = Theme::ENTRIES.iter().map(|(n, _)| *n).collect();
            reader.unknown(&["theme"], key, &format!("base, {}", names.join(", ")));
            continue;
        }
        if let Some(text) = reader.string(&["theme"], key, value) {
            match parse_colour(&text) {
                Ok(colour) => {
                    config.theme.set(key, colour);
                }
                Err(message) => reader.problem(&["theme"], Some(key), format!("{key}: {message}")),
            }
        }
    }
}

fn read_keys(reader: &mut Reader<'_>, value: &toml::Value, keys: &mut Keymap) {
    let Some(table) = reader.table(&[], "keys", value) else {
        return;
    };
    for (name, value) in table {
        let Some(context) = Context::named(name) else {
            let names: Vec<&str> = Context::ALL.iter().map(|c| c.name()).collect();
            let message = if value.is_table() {
                format!(
                    "unknown key table [keys.{name}] (the tables are {})",
                    names.join(", ")
                )
            } else {
                format!(
                    "{name} in [keys] binds nothing: bindings go in a table of keys, as [keys.tasks] then undo = \"u\" (the tables are {})",
                    names.join(", ")
                )
            };
            reader.problem(&["keys", name], None, message);
            continue;
        };
        let section = ["keys", name.as_str()];
        let Some(bindings) = reader.table(&["keys"], name, value) else {
            continue;
        };
        for (action_name, value) in bindings {
            let Some(action) = Action::named(action_name) else {
                reader.problem(
                    &section,
                    Some(action_name),
                    format!(
                        "unknown action {action_name:?} in [keys.{name}] (tasktui config --print-default lists them)"
                    ),
                );
                continue;
            };
            let Some(texts) = reader.strings(&section, action_name, value) else {
                continue;
            };
            let mut parsed = Vec::new();
            let mut bad = false;
            for text in &texts {
                match Key::parse(text) {
                    Ok(key) => parsed.push(key),
                    Err(message) => {
                        bad = true;
                        reader.problem(
                            &section,
                            Some(action_name),
                            format!("{action_name}: unknown key: {message}"),
                        );
                    }
                }
            }
            if bad {
                continue;
            }
            if let Err(message) = keys.bind(context, action, parsed) {
                reader.problem(&section, Some(action_name), message);
            }
        }
    }
}

/// Reads values of the expected kinds, noting a problem (with its line) for any other.
struct Reader<'a> {
    lines: &'a Lines,
    problems: &'a mut Vec<Problem>,
}

impl Reader<'_> {
    fn problem(&mut self, section: &[&str], key: Option<&str>, message: String) {
        let line = self.lines.locate(section, key);
        self.problems.push(Problem { line, message });
    }

    fn unknown(&mut self, section: &[&str], key: &str, known: &str) {
        self.problem(
            section,
            Some(key),
            format!(
                "unknown entry {key:?} in [{}] (it takes {known})",
                section.join(".")
            ),
        );
    }

    fn wrong(&mut self, section: &[&str], key: &str, wanted: &str, value: &toml::Value) {
        self.problem(
            section,
            Some(key),
            format!("{key} must be {wanted}, not {}", value.type_str()),
        );
    }

    fn string(&mut self, section: &[&str], key: &str, value: &toml::Value) -> Option<String> {
        match value {
            toml::Value::String(s) => Some(s.clone()),
            other => {
                self.wrong(section, key, "a string", other);
                None
            }
        }
    }

    /// A string or an array of strings.
    fn strings(&mut self, section: &[&str], key: &str, value: &toml::Value) -> Option<Vec<String>> {
        match value {
            toml::Value::String(s) => Some(vec![s.clone()]),
            toml::Value::Array(items) if items.iter().all(toml::Value::is_str) => Some(
                items
                    .iter()
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect(),
            ),
            other => {
                self.wrong(section, key, "a string or an array of strings", other);
                None
            }
        }
    }

    fn boolean(&mut self, section: &[&str], key: &str, value: &toml::Value) -> Option<bool> {
        match value {
            toml::Value::Boolean(b) => Some(*b),
            other => {
                self.wrong(section, key, "true or false", other);
                None
            }
        }
    }

    fn table<'v>(
        &mut self,
        section: &[&str],
        key: &str,
        value: &'v toml::Value,
    ) -> Option<&'v toml::Table> {
        match value {
            toml::Value::Table(t) => Some(t),
            other => {
                self.wrong(section, key, "a table", other);
                None
            }
        }
    }
}

/// The 1-based line of byte `offset`.
fn line_at(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

/// Where each table header and each key of a file is, read once (a file with thousands of
/// entries is located in one pass, not one pass per entry), for the files people write:
/// `[a.b]` headers and `key = value` lines.
#[derive(Debug, Default)]
struct Lines {
    /// Each table's path and the line of its header, and each key's full path and its line;
    /// the first line where each is set.
    found: std::collections::HashMap<Vec<String>, usize>,
}

impl Lines {
    fn of(text: &str) -> Lines {
        let mut found = std::collections::HashMap::new();
        let mut current: Vec<String> = Vec::new();
        let part = |p: &str| p.trim().trim_matches('"').to_string();
        for (n, line) in text.lines().enumerate() {
            let line = line.trim();
            if let Some(header) = line.strip_prefix('[').and_then(|l| l.split(']').next()) {
                current = header.split('.').map(part).collect();
                // A header is kept apart from a key of the same path by a marker.
                let mut at = current.clone();
                at.push(String::from("[]"));
                found.entry(at).or_insert(n + 1);
                continue;
            }
            let Some((name, _)) = line.split_once('=') else {
                continue;
            };
            // A dotted key (`keys.tasks.undo = …`) names its table too.
            let mut path = current.clone();
            path.extend(name.trim().trim_matches('"').split('.').map(part));
            found.entry(path).or_insert(n + 1);
        }
        Lines { found }
    }

    /// The line where `key` is set in table `section` (the table's header when `key` is `None`).
    /// A name written the other way is found too: `[bogus]` where a key was looked for, and
    /// `name = …` inside the parent where a table `[….name]` was.
    fn locate(&self, section: &[&str], key: Option<&str>) -> Option<usize> {
        let base: Vec<String> = section.iter().map(|s| s.to_string()).collect();
        let with = |last: &[&str]| {
            let mut path = base.clone();
            path.extend(last.iter().map(|s| s.to_string()));
            self.found.get(&path).copied()
        };
        match key {
            Some(key) => with(&[key]).or_else(|| with(&[key, "[]"])),
            None => with(&["[]"]).or_else(|| {
                let (last, parent) = base.split_last()?;
                let mut path = parent.to_vec();
                path.push(last.clone());
                self.found.get(&path).copied()
            }),
        }
    }
}
