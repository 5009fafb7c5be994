//! The panes: what each key does when no popup, prompt or form is open.

use super::{After, App, Mode, Op, Pane};
use crate::commands::failure::said;
use crate::error::StoreError;
use crate::keymap::Action;
use crate::query::Sort;
use ratatui_textarea::TextArea;

impl App {
    pub(super) fn browse(&mut self, action: Action) -> Mode {
        let edits = action.changes_data();
        if edits && let Err(refused) = self.store.writable() {
            // Refused before a form opens, so nothing typed is lost.
            self.error(match refused {
                StoreError::ReadOnly => {
                    "this database is read-only for you: changes are off".into()
                }
                other => said(&other),
            });
            return Mode::Browse;
        }
        match action {
            Action::ToggleHelp => return Mode::Help(0),
            Action::FocusNext | Action::FocusPrevious => {
                self.focus = if self.focus == Pane::Users {
                    Pane::Tasks
                } else {
                    Pane::Users
                };
            }
            Action::FocusUsers => self.focus = Pane::Users,
            Action::ShowTasks => self.focus = Pane::Tasks,
            Action::PriorityUp | Action::PriorityDown => {
                self.step_priority(action == Action::PriorityUp)
            }
            Action::SetDue if !self.targets().is_empty() => {
                self.message = None;
                return Mode::Due(Box::new(TextArea::default()));
            }
            Action::Assign => return self.open_assign(),
            Action::SetTags => return self.open_tags(),
            Action::EditDescription => self.edit_description(),
            Action::Mark => self.toggle_mark(),
            Action::MarkAll => self.toggle_mark_all(),
            Action::Filter => {
                self.message = None;
                return Mode::Filter;
            }
            Action::SortNext => self.set_sort(self.sort.cycled()),
            Action::SortReverse => self.set_sort(Sort {
                reverse: !self.sort.reverse,
                ..self.sort
            }),
            Action::Undo => self.write(Op::Undo, After::Say(String::new())),
            Action::Redo => self.write(Op::Redo, After::Say(String::new())),
            Action::DetailDown => self.detail_scroll = self.detail_scroll.saturating_add(1),
            Action::DetailUp => self.detail_scroll = self.detail_scroll.saturating_sub(1),
            Action::FocusTasks => self.focus = Pane::Tasks,
            Action::MoveDown => self.move_by(1),
            Action::MoveUp => self.move_by(-1),
            Action::MoveTop => self.move_by(i64::MIN),
            Action::MoveBottom => self.move_by(i64::MAX),
            Action::HalfPageDown => self.move_by(self.page(2)),
            Action::HalfPageUp => self.move_by(-self.page(2)),
            Action::PageDown => self.move_by(self.page(1)),
            Action::PageUp => self.move_by(-self.page(1)),
            Action::Add => return self.open_add_form(),
            Action::Edit => return self.open_edit_form(),
            Action::Delete => return self.ask_delete(),
            Action::ToggleDone => self.toggle_done(),
            Action::CycleStatus => self.cycle_status(),
            Action::Search => {
                let mut line = TextArea::new(vec![self.search.clone()]);
                line.move_cursor(ratatui_textarea::CursorMove::End);
                return Mode::Search(Box::new(line));
            }
            Action::Cancel if !self.marks.is_empty() => {
                let n = self.marks.len();
                self.marks.clear();
                self.inform(format!("cleared {n} mark{}", if n == 1 { "" } else { "s" }));
            }
            Action::Cancel if !self.search.is_empty() => self.set_search(String::new()),
            Action::Cancel => self.message = None,
            _ => {}
        }
        Mode::Browse
    }
}
