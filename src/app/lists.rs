//! What the panes show: the slice of each list on screen, moving and scrolling through it,
//! and reading it again when the filter, the selection or the database changes.

use super::{App, FIXED_ENTRIES, Pane, TaskList};
use crate::commands::failure::said;
use crate::error::StoreError;
use crate::query::{Assignee, State, TaskFilter};

/// The most tasks a list holds on a file when they are not counted from kept counts: past it a
/// search says `10,000+ matches` instead of counting every match (a server: `1,000+`).
pub const MATCH_LIMIT: u64 = crate::seam::MATCHES_COUNTED;

/// How far from both ends of the list a page is deep: reading it walks that many rows.
const DEEP: u64 = 5_000;

/// How many of the selected task's changes the detail shows.
const HISTORY_SHOWN: u32 = 5;

impl App {
    /// Rows in a page (`divisor` 1) or half a page (2) of the focused pane.
    pub(super) fn page(&self, divisor: u16) -> i64 {
        let rows = match self.focus {
            Pane::Users => self.areas().user_rows(),
            Pane::Tasks => self.areas().task_rows(),
        };
        i64::from((rows / divisor).max(1))
    }

    pub(super) fn move_by(&mut self, delta: i64) {
        match self.focus {
            Pane::Users => {
                let last = self.users.len() + FIXED_ENTRIES - 1;
                let target = clamp_add(self.user_cursor as u64, delta, last as u64) as usize;
                if target != self.user_cursor {
                    self.select_user_entry(target);
                }
            }
            Pane::Tasks => {
                let last = self.tasks.total.saturating_sub(1);
                self.detail_scroll = 0;
                self.tasks.cursor = clamp_add(self.tasks.cursor, delta, last);
                self.show_task_page();
            }
        }
    }

    pub(super) fn keep_user_visible(&mut self) {
        let rows = usize::from(self.areas().user_rows()).max(1);
        // A pane that grew shows the rows above rather than empty ones below.
        let entries = self.users.len() + FIXED_ENTRIES;
        self.user_top = self.user_top.min(entries.saturating_sub(rows));
        if self.user_cursor < self.user_top {
            self.user_top = self.user_cursor;
        } else if self.user_cursor >= self.user_top + rows {
            self.user_top = self.user_cursor + 1 - rows;
        }
    }

    /// Scrolls so the cursor is on screen and reads the rows shown, if they changed.
    pub(super) fn show_task_page(&mut self) {
        let rows = self.task_rows();
        let list = &mut self.tasks;
        let mut top = list.top.min(list.total.saturating_sub(rows));
        if list.cursor < top {
            top = list.cursor;
        } else if list.cursor >= top + rows {
            top = list.cursor + 1 - rows;
        }
        let expected = rows.min(list.total - top.min(list.total));
        if top != list.top || list.rows.len() as u64 != expected {
            list.top = top;
            self.load_rows();
        }
        self.load_history();
    }

    /// The selected task's last changes, read again when the selection or its version moves.
    pub(super) fn load_history(&mut self) {
        let seen = self.selected_task().map(|t| (t.id, t.version));
        if seen == self.history_of {
            return;
        }
        self.history_of = seen;
        self.history = match seen {
            Some((id, _)) => match self.store.task_history(id, HISTORY_SHOWN) {
                Ok(history) => history,
                Err(e) => {
                    self.fail(&e);
                    Vec::new()
                }
            },
            None => Vec::new(),
        };
    }

    pub(super) fn load_rows(&mut self) {
        if let Err(e) = self.read_rows() {
            self.fail(&e);
        }
    }

    fn read_rows(&mut self) -> Result<(), StoreError> {
        let rows = self.task_rows();
        let list = &self.tasks;
        let shown = rows.min(list.total.saturating_sub(list.top));
        // Pages in the second half are read from the end of the list (OFFSET walks what it skips).
        // (Not in a list cut short: its end is not the end of the matches.)
        let from_end = list.top > list.total / 2 && !list.bounded;
        let loaded = if from_end {
            self.store
                .list_tasks_from_end(&list.filter, list.total - list.top - shown, shown)
        } else {
            self.store.list_tasks(&list.filter, list.top, rows)
        };
        self.tasks.rows = loaded?;
        if !from_end && !self.tasks.bounded {
            self.trust_the_rows_over_the_count(shown);
        }
        self.refresh_marks();
        Ok(())
    }

    /// The kept counts can be wrong for a moment (another tool wrote around their triggers):
    /// a page read from the start that holds more rows than the count said, or fewer, is what
    /// the list has, so no task is out of reach and no row is empty.
    fn trust_the_rows_over_the_count(&mut self, counted: u64) {
        let list = &mut self.tasks;
        let read = list.rows.len() as u64;
        let end = list.top + read;
        if read < counted || end > list.total {
            list.total = end;
            list.cursor = list.cursor.min(end.saturating_sub(1));
        }
    }

    /// The open and the late tasks assigned to nobody, from the counts the database keeps.
    fn unassigned_counts(&self) -> Result<(u64, u64), StoreError> {
        let open = TaskFilter {
            assignee: Assignee::Unassigned,
            state: Some(State::Open),
            ..TaskFilter::default()
        };
        let late = TaskFilter {
            due_until: self.store.clock().today().pred_opt(),
            ..open.clone()
        };
        Ok((
            self.store.count_tasks(&open)?,
            self.store.count_tasks(&late)?,
        ))
    }

    /// The open and late tasks of everyone: the users' and nobody's.
    pub fn everyone_counts(&self) -> (u64, u64) {
        self.users.iter().fold(self.nobody, |(open, late), u| {
            (open + u.open_tasks, late + u.overdue_tasks)
        })
    }

    /// Reads users, counts and the visible tasks again, keeping the selection where it can.
    pub(super) fn reload(&mut self) -> Result<(), StoreError> {
        self.users = self.store.list_users()?;
        self.nobody = self.unassigned_counts()?;
        self.tags = self.store.list_tags()?;
        self.user_cursor = self.user_cursor.min(self.users.len() + FIXED_ENTRIES - 1);
        self.keep_user_visible();
        self.reload_tasks()
    }

    /// Reads the count and the visible rows of the Tasks pane for the current filter.
    pub(super) fn reload_tasks(&mut self) -> Result<(), StoreError> {
        let filter = self.task_filter();
        // In the same list the selection stays on the task it was on, wherever a change moved
        // it (a due date under the order by due, a status under the order by status, an edit
        // from another instance), so the next key acts on the task the person acted on.
        let followed = (filter == self.tasks.filter)
            .then(|| self.selected_task().map(|t| t.id))
            .flatten();
        if filter != self.tasks.filter {
            self.tasks = TaskList {
                filter,
                ..TaskList::default()
            };
        }
        // A search that matches a huge number of tasks is not counted to the end: the list holds
        // its first MATCH_LIMIT (a server's: its `matches_counted`) and says there are more.
        let limit = self.store.matches_counted();
        let (n, exact) = self.store.count_tasks_up_to(&self.tasks.filter, limit)?;
        self.tasks.bounded = !exact;
        self.tasks.total = if exact { n } else { n.min(limit) };
        // A kept count found wrong since the last change from elsewhere: corrected the same way.
        if let Some((filter, version, off)) = &self.recounted
            && *filter == self.tasks.filter
            && *version == self.data_version
        {
            self.tasks.total = self.tasks.total.saturating_add_signed(*off);
        }
        self.tasks.cursor = self.tasks.cursor.min(self.tasks.total.saturating_sub(1));
        let rows = self.task_rows();
        self.tasks.top = self
            .tasks
            .top
            .min(self.tasks.cursor)
            .max((self.tasks.cursor + 1).saturating_sub(rows));
        // Deep in a long list (a task just undone was after every open one) the page there is
        // read only if the task is still on it: it is looked for where it is now first, since
        // reading the old page would walk every row above it.
        let deep = self.tasks.top.min(self.tasks.total - self.tasks.top) > DEEP;
        let found = match followed {
            Some(id) if deep => self.follow_from_its_place(id)?,
            _ => false,
        };
        if !found {
            self.read_rows()?;
            if let Some(id) = followed {
                self.follow(id)?;
            }
        }
        // A write may have changed the selected task without moving the selection.
        self.history_of = None;
        self.load_history();
        // Whatever asked for this read, the search typed so far is now shown.
        self.search_waiting = false;
        Ok(())
    }

    /// Puts the cursor back on task `id` after the list was read again: where it now is on the
    /// page read (nothing more to read, the common case), else wherever the order put it (one
    /// position query, then that page), however long the list: the next key must act on the
    /// task the person acted on, which is worth the count (about 2 ms at 100,000 tasks, up to
    /// 0.2 s at a million). Left where it was when the list no longer shows the task.
    fn follow(&mut self, id: crate::model::TaskId) -> Result<(), StoreError> {
        if let Some(at) = self.tasks.rows.iter().position(|t| t.id == id) {
            self.tasks.cursor = self.tasks.top + at as u64;
            return Ok(());
        }
        self.follow_from_its_place(id)?;
        Ok(())
    }

    /// Puts the cursor on task `id` wherever it is in the list and reads the page around it
    /// from its place; false when the list does not hold it.
    fn follow_from_its_place(&mut self, id: crate::model::TaskId) -> Result<bool, StoreError> {
        if let Some(position) = self.store.task_position(&self.tasks.filter, id)?
            && position < self.tasks.total
        {
            // The page around it is read from its place in the order, not by walking the rows
            // above the page (a task just done is after every open one: 750,000 rows down at a
            // million tasks).
            let rows = self.task_rows();
            let list = &mut self.tasks;
            list.cursor = position;
            let mut top = list.top.min(list.total.saturating_sub(rows));
            if position < top {
                top = position;
            } else if position >= top + rows {
                top = position + 1 - rows;
            }
            list.top = top;
            let shown = rows.min(list.total - top);
            list.rows =
                self.store
                    .list_tasks_around(&list.filter, id, position, position - top, shown)?;
            self.refresh_marks();
            self.load_history();
            return Ok(true);
        }
        Ok(false)
    }

    /// Narrows the Tasks pane to `query`; only the count and the visible rows are read.
    pub(super) fn set_search(&mut self, query: String) {
        if query != self.search || self.search_waiting {
            self.search = query;
            self.search_waiting = false;
            self.refresh_tasks();
        }
    }

    /// A letter typed into the search: the query is kept, and read by `run_waiting_search`
    /// once the frame shows the letter (the interface's loop does that when no other key waits).
    pub(super) fn type_search(&mut self, query: String) {
        if query != self.search {
            self.search = query;
            self.search_waiting = true;
        }
    }

    /// Reads the matches of a search typed but not yet run. Returns false when it gave up
    /// because a key arrived meanwhile (`Store::give_up_when`): it stays waiting for that key.
    pub fn run_waiting_search(&mut self) -> bool {
        if !self.search_waiting {
            return true;
        }
        // The list stays as it was until the new one is read whole.
        let shown = self.tasks.clone();
        match self.reload_tasks() {
            Ok(()) => true,
            Err(StoreError::GaveUp) => {
                self.tasks = shown;
                false
            }
            // The list read before stays: an empty one would claim there are no matches.
            Err(e) => {
                self.tasks = shown;
                self.search_waiting = false;
                self.fail(&e);
                true
            }
        }
    }

    /// Selects an entry of the Users pane; only the Tasks pane is read again, since choosing
    /// whose tasks to see changes no user.
    pub(super) fn select_user_entry(&mut self, index: usize) {
        self.user_cursor = index;
        self.keep_user_visible();
        self.refresh_tasks();
    }

    pub(super) fn refresh_tasks(&mut self) {
        if let Err(e) = self.reload_tasks() {
            self.fail(&e);
        }
    }

    pub(super) fn refresh(&mut self) {
        if let Err(e) = self.reload() {
            self.fail(&e);
        }
    }

    /// Shows another process's commits (`PRAGMA data_version` changes only for those).
    pub(super) fn poll_changes(&mut self) {
        if let Err(moved) = self.store.check_alive() {
            let text = said(&moved);
            if self.message.as_ref().is_none_or(|m| m.text != text) {
                self.fail(&moved);
            }
            return;
        }
        // A busy database is no error here: the next tick tries again.
        let _ = self.store.tidy();
        match self.store.change_counter() {
            Ok(version) if version != self.data_version => {
                self.data_version = version;
                self.refresh();
            }
            Ok(_) => {}
            Err(e) => self.fail(&e),
        }
        self.check_kept_count();
    }

    /// Once per list and per change from elsewhere, while the person is idle: a count read from
    /// the counts the database keeps is made again from the tasks (about 10 ms at a million).
    /// Where the two differ (a tool wrote around the counts' triggers) the list takes the
    /// tasks' count, so no task is out of reach, and says how to mend the file.
    fn check_kept_count(&mut self) {
        if self.tasks.bounded
            || self.recounted.as_ref().is_some_and(|(filter, version, _)| {
                *filter == self.tasks.filter && *version == self.data_version
            })
        {
            return;
        }
        let filter = &self.tasks.filter;
        let counts = self.store.recount_kept(filter).and_then(|counted| {
            let Some(counted) = counted else {
                return Ok(0);
            };
            let kept = self.store.count_tasks(filter)?;
            Ok(i64::try_from(counted).unwrap_or(i64::MAX) - i64::try_from(kept).unwrap_or(0))
        });
        let off = match counts {
            Ok(off) => off,
            // Busy, or a server's wait: the next tick tries again.
            Err(e) => {
                tracing::debug!("the kept count was not checked: {e}");
                return;
            }
        };
        self.recounted = Some((filter.clone(), self.data_version, off));
        if off == 0 {
            return;
        }
        tracing::warn!(off, "a kept count differs from the tasks");
        self.refresh_tasks();
        self.message = Some(super::Message {
            text: format!(
                "this list's kept count was off by {off} (a tool wrote around its triggers); \
                 it now counts the tasks themselves: `tasktui db check --fix` mends the file"
            ),
            is_error: true,
        });
    }
}

/// `from + delta`, kept within `0..=last`.
fn clamp_add(from: u64, delta: i64, last: u64) -> u64 {
    let moved = if delta >= 0 {
        from.saturating_add(delta.unsigned_abs())
    } else {
        from.saturating_sub(delta.unsigned_abs())
    };
    moved.min(last)
}
