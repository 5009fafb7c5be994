//! Where each part of the screen goes: the panes, a popup, the help's text. The interface draws
//! there and `App` reads it to know how many rows are visible; neither asks the other.

pub mod help;
pub mod popup;

use ratatui::layout::Rect;

/// Below this the screen says it is too small instead of drawing.
pub const MIN_WIDTH: u16 = 40;
pub const MIN_HEIGHT: u16 = 10;

/// Narrower than this, the Users pane folds away while the Tasks pane has the focus, so that
/// titles keep their room; focusing the Users pane (1, h, ←) brings it back.
pub const FOLD_WIDTH: u16 = 70;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Areas {
    pub users: Rect,
    pub tasks: Rect,
    /// Zero height on short terminals.
    pub detail: Rect,
    pub status: Rect,
    pub too_small: bool,
}

impl Areas {
    pub fn for_size(width: u16, height: u16) -> Areas {
        Areas::new(width, height, false)
    }

    /// The areas with the Users pane folded away (zero width) when `fold_users`.
    pub fn new(width: u16, height: u16, fold_users: bool) -> Areas {
        let too_small = width < MIN_WIDTH || height < MIN_HEIGHT;
        let main_height = height.saturating_sub(1);
        let users_width = if fold_users {
            0
        } else {
            (width / 4).clamp(18, 32).min(width)
        };
        let right_x = users_width;
        let right_width = width.saturating_sub(users_width);
        // A tall terminal gives the detail a third of its rows, not a fixed few.
        let detail_height = match main_height {
            h if h >= 30 => h / 3,
            h if h >= 24 => 9,
            h if h >= 16 => 6,
            _ => 0,
        };
        let tasks_height = main_height.saturating_sub(detail_height);
        Areas {
            users: Rect::new(0, 0, users_width, main_height),
            tasks: Rect::new(right_x, 0, right_width, tasks_height),
            detail: Rect::new(right_x, tasks_height, right_width, detail_height),
            status: Rect::new(0, main_height, width, height.min(1)),
            too_small,
        }
    }

    /// The areas with the rows the task list does not need (it holds `rows`) given to the
    /// detail, when there is a detail: a short list leaves no empty rows above it.
    pub fn fitted_to(mut self, rows: u64) -> Areas {
        if self.detail.height == 0 {
            return self;
        }
        // Borders and header, the rows, and one empty row that says the list ends there; an
        // empty list keeps room for the words that say why it is empty.
        let wanted = if rows == 0 {
            10
        } else {
            u16::try_from(rows.saturating_add(4))
                .unwrap_or(u16::MAX)
                .max(6)
        };
        let spare = self.tasks.height.saturating_sub(wanted);
        self.tasks.height -= spare;
        self.detail.y -= spare;
        self.detail.height += spare;
        self
    }

    /// Task rows that fit in the table (borders and header row excluded).
    pub fn task_rows(&self) -> u16 {
        self.tasks.height.saturating_sub(3)
    }

    pub fn user_rows(&self) -> u16 {
        self.users.height.saturating_sub(2)
    }

    /// Which visible task row (0 the first under the header) the cell at `column`, `row` is on.
    pub fn task_row_at(&self, column: u16, row: u16) -> Option<u16> {
        let first = self.tasks.y + 2;
        (inside(self.tasks, column, row) && row >= first && row - first < self.task_rows())
            .then(|| row - first)
    }

    /// Which visible entry of the Users pane the cell is on.
    pub fn user_row_at(&self, column: u16, row: u16) -> Option<u16> {
        let first = self.users.y + 1;
        (inside(self.users, column, row) && row >= first && row - first < self.user_rows())
            .then(|| row - first)
    }
}

/// Whether the cell is inside `area`.
pub fn inside(area: Rect, column: u16, row: u16) -> bool {
    area.contains(ratatui::layout::Position::new(column, row))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_size_gives_areas_inside_the_screen() {
        for width in 0..=120 {
            for height in 0..=60 {
                let a = Areas::for_size(width, height);
                let screen = Rect::new(0, 0, width, height);
                for r in [a.users, a.tasks, a.detail, a.status] {
                    assert_eq!(screen.union(r), screen, "{width}x{height}: {r:?}");
                }
                assert_eq!(a.too_small, width < MIN_WIDTH || height < MIN_HEIGHT);
            }
        }
    }

    #[test]
    fn a_folded_users_pane_gives_its_width_to_the_tasks() {
        let a = Areas::new(50, 15, true);
        assert_eq!((a.users.width, a.tasks.width, a.tasks.x), (0, 50, 0));
    }

    #[test]
    fn a_click_is_placed_on_the_row_drawn_there() {
        let a = Areas::for_size(100, 30);
        // Borders and the header are not rows; the first row is under the header.
        assert_eq!(a.task_row_at(40, 0), None);
        assert_eq!(a.task_row_at(40, 1), None);
        assert_eq!(a.task_row_at(40, 2), Some(0));
        assert_eq!(a.task_row_at(40, 2 + 16), Some(16));
        assert_eq!(a.task_row_at(40, 2 + 17), None);
        assert_eq!(a.task_row_at(10, 5), None);
        assert_eq!(a.user_row_at(10, 1), Some(0));
        assert_eq!(a.user_row_at(10, 0), None);
        assert_eq!(a.user_row_at(40, 3), None);
    }

    #[test]
    fn a_big_terminal_gives_the_detail_a_third_and_what_a_short_list_leaves() {
        let a = Areas::for_size(200, 60);
        assert_eq!(a.detail.height, 19);
        assert_eq!(a.task_rows(), 37);
        let short = a.fitted_to(5);
        assert_eq!(short.task_rows(), 6);
        assert_eq!(short.tasks.height + short.detail.height, 59);
        assert_eq!(short.detail.y, short.tasks.y + short.tasks.height);
        // A list that fills the pane keeps it; a terminal without a detail keeps its list.
        assert_eq!(a.fitted_to(1000), a);
        let small = Areas::for_size(60, 12);
        assert_eq!(small.fitted_to(1), small);
    }

    #[test]
    fn a_usual_terminal_shows_detail_and_many_rows() {
        let a = Areas::for_size(100, 30);
        assert_eq!(a.detail.height, 9);
        assert_eq!(a.task_rows(), 17);
        assert_eq!(a.users.width, 25);
    }
}
