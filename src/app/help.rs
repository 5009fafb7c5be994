//! The help overlay: scrolled as the lists are (a line, half a page, a page, to either end),
//! and narrowed to the keys whose words hold what `/` typed.

use super::{App, Mode};
use crate::keymap::Action;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

impl App {
    pub(super) fn in_help(&mut self, scroll: u16, action: Action) -> Mode {
        let (limit, page) = crate::layout::help::scroll_limit(
            &self.keys,
            self.size.0,
            self.size.1,
            self.help_find.as_deref().unwrap_or_default(),
        );
        let half = (page / 2).max(1);
        let scroll = match action {
            Action::ToggleHelp | Action::Cancel | Action::Quit => {
                self.help_find = None;
                self.help_typing = false;
                return Mode::Browse;
            }
            Action::Search => {
                self.help_find = Some(String::new());
                self.help_typing = true;
                0
            }
            Action::MoveDown => scroll.saturating_add(1),
            Action::MoveUp => scroll.saturating_sub(1),
            Action::PageDown => scroll.saturating_add(page),
            Action::PageUp => scroll.saturating_sub(page),
            Action::HalfPageDown => scroll.saturating_add(half),
            Action::HalfPageUp => scroll.saturating_sub(half),
            Action::MoveTop => 0,
            Action::MoveBottom => limit,
            _ => scroll,
        };
        Mode::Help(scroll.min(limit))
    }

    /// A key while the help's find is typed: text narrows the help at once, Enter keeps the
    /// word and gives the keys back to scrolling, Esc drops it.
    pub(super) fn type_in_help(&mut self, key: KeyEvent) {
        let find = self.help_find.get_or_insert_with(String::new);
        match key.code {
            KeyCode::Enter => self.help_typing = false,
            KeyCode::Esc => {
                self.help_find = None;
                self.help_typing = false;
            }
            KeyCode::Backspace => {
                find.pop();
            }
            KeyCode::Char('u') if key.modifiers.contains(KeyModifiers::CONTROL) => find.clear(),
            KeyCode::Char(c) if !key.modifiers.contains(KeyModifiers::CONTROL) => find.push(c),
            _ => {}
        }
        self.mode = Mode::Help(0);
    }
}
