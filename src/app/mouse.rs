//! The mouse: a click selects a row or a pane, the wheel scrolls the pane under the pointer.
//! While a popup or a form is open, a click elsewhere does nothing, so nothing typed is lost.

use super::{App, FIXED_ENTRIES, Mode, Pane};
use crate::layout::inside;

/// Rows one turn of the wheel moves.
const WHEEL_ROWS: i64 = 3;

impl App {
    pub(super) fn click(&mut self, column: u16, row: u16) {
        if !matches!(self.mode, Mode::Browse) {
            return;
        }
        let areas = self.fit(self.areas());
        if let Some(at) = areas.task_row_at(column, row) {
            self.focus = Pane::Tasks;
            let index = self.tasks.top + u64::from(at);
            if index < self.tasks.total {
                self.move_by(i64::try_from(index).unwrap_or(i64::MAX) - self.cursor_i64());
            }
        } else if let Some(at) = areas.user_row_at(column, row) {
            self.focus = Pane::Users;
            let index = self.user_top + usize::from(at);
            if index < self.users.len() + FIXED_ENTRIES && index != self.user_cursor {
                self.select_user_entry(index);
            }
        } else if inside(areas.tasks, column, row) || inside(areas.detail, column, row) {
            self.focus = Pane::Tasks;
        } else if inside(areas.users, column, row) {
            self.focus = Pane::Users;
        }
    }

    pub(super) fn wheel(&mut self, column: u16, row: u16, down: bool) {
        let delta = if down { WHEEL_ROWS } else { -WHEEL_ROWS };
        match &mut self.mode {
            Mode::Help(scroll) => {
                let (limit, _) = crate::layout::help::scroll_limit(
                    &self.keys,
                    self.size.0,
                    self.size.1,
                    self.help_find.as_deref().unwrap_or_default(),
                );
                *scroll = if down {
                    scroll.saturating_add(3).min(limit)
                } else {
                    scroll.saturating_sub(3)
                };
            }
            Mode::Browse => {
                let areas = self.fit(self.areas());
                if inside(areas.detail, column, row) {
                    self.detail_scroll = if down {
                        self.detail_scroll.saturating_add(1)
                    } else {
                        self.detail_scroll.saturating_sub(1)
                    };
                    return;
                }
                let pane = if inside(areas.users, column, row) {
                    Pane::Users
                } else if inside(areas.tasks, column, row) {
                    Pane::Tasks
                } else {
                    return;
                };
                let focus = self.focus;
                self.focus = pane;
                self.move_by(delta);
                self.focus = focus;
            }
            _ => {}
        }
    }

    fn cursor_i64(&self) -> i64 {
        i64::try_from(self.tasks.cursor).unwrap_or(i64::MAX)
    }
}
