//! Edits of one key or one line: status, priority, the due date prompt, and undo and redo.
//! Each is one `Change`, so one step of undo.

use super::{App, Message, Mode};
use crate::model::Status;
use ratatui_textarea::TextArea;

impl App {
    /// Sets the selected task's due date from the prompt: one change, one undo step. A text
    /// that is not a date keeps the prompt open with the way out.
    pub(super) fn set_due(&mut self, line: Box<TextArea<'static>>) -> Mode {
        let Some(task) = self.selected_task() else {
            return Mode::Browse;
        };
        let (id, version, title) = (task.id, task.version, task.title.clone());
        let typed = line.lines().join("");
        let due = match crate::model::parse_due(&typed, self.store.clock().today()) {
            Ok(due) => due,
            Err(error) => {
                self.message = Some(Message {
                    text: error.message,
                    is_error: true,
                });
                return Mode::Due(line);
            }
        };
        let changes = crate::model::TaskChanges {
            due: Some(due),
            ..Default::default()
        };
        let result = self
            .store
            .update_task(id, version, &changes)
            .map(|()| match due {
                Some(date) => format!("“{title}” is due {}", date.format("%a %-d %b %Y")),
                None => format!("“{title}” no longer has a due date"),
            });
        self.after_write(result);
        Mode::Browse
    }

    /// Raises or lowers the selected task's priority by one step: one change, one undo step.
    pub(super) fn step_priority(&mut self, up: bool) {
        let Some(task) = self.selected_task() else {
            return;
        };
        let (id, version, title, now) = (task.id, task.version, task.title.clone(), task.priority);
        let to = now.step(up);
        if to == now {
            self.inform(format!("“{title}” is already {now}"));
            return;
        }
        let changes = crate::model::TaskChanges {
            priority: Some(to),
            ..Default::default()
        };
        let result = self
            .store
            .update_task(id, version, &changes)
            .map(|()| format!("“{title}” is now {to} priority"));
        self.after_write(result);
    }

    /// Undoes (or redoes) the person's last change and says which.
    pub(super) fn step_history(&mut self, undo: bool) {
        let (done, verb, none) = if undo {
            (self.store.undo(), "undid", "nothing to undo")
        } else {
            (self.store.redo(), "redid", "nothing to redo")
        };
        self.refresh();
        match done {
            Ok(Some(summary)) => self.inform(format!("{verb}: {summary}")),
            Ok(None) => self.inform(none),
            Err(e) => {
                self.message = Some(Message {
                    text: format!("cannot {}: {e}", if undo { "undo" } else { "redo" }),
                    is_error: true,
                });
            }
        }
    }

    pub(super) fn set_status(&mut self, status: Status) {
        let Some(task) = self.selected_task() else {
            return;
        };
        let (id, version, title) = (task.id, task.version, task.title.clone());
        let result = self
            .store
            .set_status(id, version, status)
            .map(|()| format!("“{title}” is {status}"));
        self.after_write(result);
    }
}
