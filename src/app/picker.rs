//! Choosing a user from a list narrowed by typing: who takes over a deleted user's tasks, or
//! who the selected (or marked) tasks are assigned to.

use super::form::{self, Choice};
use crate::keymap::Action;
use ratatui_textarea::TextArea;

/// Choosing a user: the one who takes over a deleted user's tasks, or an assignee.
#[derive(Debug, Clone)]
pub struct Picker {
    pub query: TextArea<'static>,
    pub users: Vec<Choice>,
    pub cursor: usize,
    /// Offers "nobody" (unassigned) first.
    pub nobody: bool,
}

/// What "nobody" is found by in a picker.
pub const NOBODY: &str = "nobody (unassigned)";

impl Picker {
    pub fn new(users: Vec<Choice>, nobody: bool) -> Picker {
        Picker {
            query: TextArea::default(),
            users,
            cursor: 0,
            nobody,
        }
    }

    /// The entries the query leaves, in order; `None` is "nobody", offered last (so Enter at
    /// once never unassigns) and found by the start of "nobody", "none" or "unassigned".
    pub fn matches(&self) -> Vec<Option<&Choice>> {
        let query = self.query.lines().join("");
        let typed = query.trim().to_lowercase();
        let nobody = self.nobody
            && ["nobody", "none", "unassigned"]
                .iter()
                .any(|word| word.starts_with(&typed));
        form::matching(&self.users, &query)
            .into_iter()
            .map(Some)
            .chain(nobody.then_some(None))
            .collect()
    }

    /// The entry under the cursor: `Some(None)` is "nobody", `None` no match.
    pub fn chosen(&self) -> Option<Option<&Choice>> {
        self.matches().get(self.cursor).copied()
    }

    /// A key for the picker: the cursor moves, or the query changes.
    pub fn act(&mut self, action: &Action) {
        match action {
            Action::MoveDown => {
                self.cursor = (self.cursor + 1).min(self.matches().len().saturating_sub(1))
            }
            Action::MoveUp => self.cursor = self.cursor.saturating_sub(1),
            Action::Input(key) if form::edit_text(&mut self.query, *key) => self.cursor = 0,
            _ => {}
        }
    }
}
