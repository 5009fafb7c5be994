//! Tags from the keyboard: `T` adds and removes tags on the selected (or marked) tasks as one
//! change, and the filter menu's `#` chooses a tag to show, from the tags in use.

use super::form::{self, edit_text, tag_completion};
use super::{App, Mode};
use crate::keymap::{Action, Context};
use crate::model::{TagCount, TaskChanges, check_tag};
use ratatui::crossterm::event::KeyCode;
use ratatui_textarea::TextArea;

/// Choosing a tag to filter by: the query narrows the tags in use.
#[derive(Debug, Clone, Default)]
pub struct TagPicker {
    pub query: TextArea<'static>,
    pub cursor: usize,
}

impl TagPicker {
    /// The tags whose name holds the query, ignoring case, most used first.
    pub fn matches<'a>(&self, tags: &'a [TagCount]) -> Vec<&'a TagCount> {
        let query = self.query.lines().join("");
        let query = query.trim().trim_start_matches('#').to_lowercase();
        tags.iter()
            .filter(|t| t.name.to_lowercase().contains(&query))
            .collect()
    }
}

/// What the `T` prompt asks for: tags to add, and (with a leading `-`) tags to remove.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct TagEdit {
    pub add: Vec<String>,
    pub remove: Vec<String>,
}

impl TagEdit {
    /// `backend -ui #bug +area/web`: words add, `-word` removes; `#` and `+` are allowed.
    pub fn parse(text: &str) -> Result<TagEdit, String> {
        let mut edit = TagEdit::default();
        for word in text.split_whitespace() {
            let (list, name) = match word.strip_prefix('-') {
                Some(name) => (&mut edit.remove, name),
                None => (&mut edit.add, word.strip_prefix('+').unwrap_or(word)),
            };
            let name = name.strip_prefix('#').unwrap_or(name);
            check_tag(name).map_err(|e| e.message)?;
            list.push(name.to_string());
        }
        Ok(edit)
    }

    /// The tags a task ends with: `now`, less the removed, plus the added not there yet (names
    /// compare without regard to case).
    pub fn applied_to(&self, now: &[String]) -> Vec<String> {
        let same = |a: &str, b: &str| a.to_lowercase() == b.to_lowercase();
        let mut tags: Vec<String> = now
            .iter()
            .filter(|t| !self.remove.iter().any(|r| same(r, t)))
            .cloned()
            .collect();
        for name in &self.add {
            if !tags.iter().any(|t| same(t, name)) {
                tags.push(name.clone());
            }
        }
        tags
    }
}

impl App {
    /// `T`: the prompt for the targets' tags.
    pub(super) fn open_tags(&mut self) -> Mode {
        if self.targets().is_empty() {
            return Mode::Browse;
        }
        self.message = None;
        Mode::Tags(Box::new(TextArea::default()))
    }

    pub(super) fn on_tags(&mut self, mut line: Box<TextArea<'static>>, action: Action) -> Mode {
        match action {
            Action::Submit => self.set_tags(line),
            Action::Cancel => {
                self.inform("nothing was changed");
                Mode::Browse
            }
            Action::Input(key) => {
                let typed = form::text_of(&line);
                let at_end = line.cursor().1 >= typed.chars().count();
                match tag_completion(&typed, &self.tag_names()) {
                    Some((rest, _)) if key.code == KeyCode::Right && at_end => {
                        line.insert_str(rest + " ");
                    }
                    _ => {
                        edit_text(&mut line, key);
                    }
                }
                Mode::Tags(line)
            }
            _ => Mode::Tags(line),
        }
    }

    fn set_tags(&mut self, line: Box<TextArea<'static>>) -> Mode {
        let edit = match TagEdit::parse(&form::text_of(&line)) {
            Ok(edit) => edit,
            Err(why) => {
                self.error(why);
                return Mode::Tags(line);
            }
        };
        let words: Vec<String> = edit
            .add
            .iter()
            .map(|t| format!("+#{t}"))
            .chain(edit.remove.iter().map(|t| format!("-#{t}")))
            .collect();
        let words = words.join(" ");
        self.change_targets(
            |_, m| {
                let tags = edit.applied_to(&m.tags);
                (tags != m.tags).then(|| TaskChanges {
                    tags: Some(tags),
                    ..TaskChanges::default()
                })
            },
            |what| match what {
                Ok(title) => format!("“{title}”: {words}"),
                Err(n) => format!("{n} tasks: {words}"),
            },
            "no tags changed",
        );
        Mode::Browse
    }

    /// The filter menu's `#`: choose a tag from those in use.
    pub(super) fn open_tag_filter(&mut self) -> Mode {
        if self.tags.is_empty() {
            let tag = self.key(Context::Tasks, Action::SetTags);
            self.inform(format!(
                "no task has a tag yet: {tag} tags the selected task"
            ));
            return Mode::Browse;
        }
        Mode::TagFilter(Box::default())
    }

    pub(super) fn on_tag_filter(&mut self, mut picker: Box<TagPicker>, action: Action) -> Mode {
        let found = picker.matches(&self.tags).len();
        match action {
            Action::MoveDown => picker.cursor = (picker.cursor + 1).min(found.saturating_sub(1)),
            Action::MoveUp => picker.cursor = picker.cursor.saturating_sub(1),
            Action::Yes | Action::Submit => {
                let Some(tag) = picker
                    .matches(&self.tags)
                    .get(picker.cursor)
                    .map(|t| t.name.clone())
                else {
                    return Mode::TagFilter(picker);
                };
                let quick = super::QuickFilter {
                    tag: Some(tag),
                    ..self.quick.clone()
                };
                self.show_quick(quick);
                return Mode::Browse;
            }
            Action::Cancel => return Mode::Browse,
            Action::Input(key) if edit_text(&mut picker.query, key) => picker.cursor = 0,
            _ => {}
        }
        Mode::TagFilter(picker)
    }
}
