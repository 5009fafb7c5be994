//! What the Tasks pane shows: the quick filters (`f`), the order (`o`, `O`), remembered per
//! person in a state file of their own (never in the shared database).

use super::{App, Mode};
use crate::keymap::{Action, Context};
use crate::query::Sort;
use crate::query::State;
use crate::query::TaskFilter;
use chrono::{Datelike, Days, NaiveDate};
use std::collections::BTreeMap;
use std::path::Path;

/// Due dates a quick filter keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DueWindow {
    /// Open tasks due before today.
    Overdue,
    Today,
    /// From today to Sunday.
    ThisWeek,
}

/// The quick filters, combined with the selected user and the search.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct QuickFilter {
    pub state: Option<State>,
    pub due: Option<DueWindow>,
    /// Only the person's own tasks (the user named like them).
    pub mine: bool,
    /// Only tasks with this tag (or one under it, `area` for `area/backend`).
    pub tag: Option<String>,
}

impl QuickFilter {
    /// The words in the pane title, one per filter in force.
    pub fn labels(&self) -> Vec<String> {
        let mut words: Vec<String> = self.fixed_labels().iter().map(|w| w.to_string()).collect();
        if let Some(tag) = &self.tag {
            words.push(format!("#{tag}"));
        }
        words
    }

    fn fixed_labels(&self) -> Vec<&'static str> {
        let mut words = Vec::new();
        match self.state {
            Some(State::Open) => words.push("open"),
            Some(State::Done) => words.push("done"),
            None => {}
        }
        match self.due {
            Some(DueWindow::Overdue) => words.push("overdue"),
            Some(DueWindow::Today) => words.push("due today"),
            Some(DueWindow::ThisWeek) => words.push("due this week"),
            None => {}
        }
        if self.mine {
            words.push("mine");
        }
        words
    }

    /// The filter's bounds on the due date, seen on `today`.
    fn due_bounds(&self, today: NaiveDate) -> (Option<NaiveDate>, Option<NaiveDate>) {
        match self.due {
            None => (None, None),
            Some(DueWindow::Overdue) => (None, today.checked_sub_days(Days::new(1))),
            Some(DueWindow::Today) => (Some(today), Some(today)),
            Some(DueWindow::ThisWeek) => {
                let left = 6 - u64::from(today.weekday().num_days_from_monday());
                (Some(today), today.checked_add_days(Days::new(left)))
            }
        }
    }
}

impl App {
    /// The store's filter for what the pane shows now.
    pub(super) fn task_filter(&self) -> TaskFilter {
        let search = self.search.trim();
        let (due_from, due_until) = self.quick.due_bounds(self.store.clock().today());
        TaskFilter {
            search: (!search.is_empty()).then(|| search.to_string()),
            state: self.quick.state,
            also_assigned: if self.quick.mine { self.me() } else { None },
            due_from,
            due_until,
            tag: self.quick.tag.clone(),
            sort: self.sort,
            ..TaskFilter::assigned_to(self.selected_assignee())
        }
    }

    /// The user the person is, by the name their changes carry.
    pub fn me(&self) -> Option<crate::model::UserId> {
        let name = self.store.author()?;
        self.users
            .iter()
            .find(|u| u.user.username == name)
            .map(|u| u.user.id)
    }

    /// A key in the filter menu: each choice closes it.
    pub(super) fn on_filter_menu(&mut self, action: Action) -> Mode {
        let mut quick = self.quick.clone();
        match action {
            Action::FilterTag if quick.tag.is_some() => quick.tag = None,
            Action::FilterTag => return self.open_tag_filter(),
            Action::FilterOpen => quick.state = Some(State::Open),
            Action::FilterDone => {
                quick.state = Some(State::Done);
                if quick.due == Some(DueWindow::Overdue) {
                    quick.due = None;
                }
            }
            Action::FilterAll => {
                quick.state = None;
                if quick.due == Some(DueWindow::Overdue) {
                    quick.due = None;
                }
            }
            Action::FilterOverdue => {
                quick.due = toggle(quick.due, DueWindow::Overdue);
                if quick.due.is_some() {
                    // Overdue means open: a done task is late no longer.
                    quick.state = Some(State::Open);
                }
            }
            Action::FilterToday => quick.due = toggle(quick.due, DueWindow::Today),
            Action::FilterWeek => quick.due = toggle(quick.due, DueWindow::ThisWeek),
            Action::FilterMine => {
                if !quick.mine && self.me().is_none() {
                    let users = self.key(Context::Panes, Action::FocusUsers);
                    let add = self.key(Context::Panes, Action::Add);
                    self.error(match self.store.author() {
                            Some(name) => format!(
                                "“mine” needs a user named {name}: add one in the Users pane ({users}, then {add}), or set TASKTUI_USER to your username (or me in the config file)"
                            ),
                            None => {
                                "“mine” needs your name: set TASKTUI_USER to your username (or me in the config file)".into()
                            }
                        });
                    return Mode::Browse;
                }
                quick.mine = !quick.mine;
            }
            Action::FilterClear => quick = super::QuickFilter::default(),
            Action::Cancel | Action::Filter => return Mode::Browse,
            Action::ToggleHelp => return Mode::Help(0),
            _ => return Mode::Filter,
        }
        self.show_quick(quick);
        Mode::Browse
    }

    /// Shows the tasks `quick` keeps, from the first, and says which.
    pub(super) fn show_quick(&mut self, quick: super::QuickFilter) {
        self.quick = quick;
        self.tasks.cursor = 0;
        self.refresh_tasks();
        let shown = self.quick.labels();
        self.inform(if shown.is_empty() {
            "showing every task".to_string()
        } else {
            format!("showing only: {}", shown.join(" · "))
        });
    }

    /// A new order, from its first task: the same tasks, so their count stands. (Finding the
    /// selected task's place in the new order would walk every task before it.)
    pub(super) fn set_sort(&mut self, sort: Sort) {
        self.sort = sort;
        self.tasks = super::TaskList {
            filter: self.task_filter(),
            total: self.tasks.total,
            bounded: self.tasks.bounded,
            ..super::TaskList::default()
        };
        self.detail_scroll = 0;
        self.show_task_page();
        let mut said = format!("sorted by {}", sort.label());
        if let Some(file) = &self.state_file
            && let Err(e) = remember_sort(file, self.store.author(), sort)
        {
            said = format!(
                "{said} (not remembered: {} could not be written: {e})",
                file.display()
            );
        }
        self.inform(said);
    }
}

fn toggle(now: Option<DueWindow>, chosen: DueWindow) -> Option<DueWindow> {
    (now != Some(chosen)).then_some(chosen)
}

/// The state file: each person's order, by the name their changes carry ("" for none).
type Remembered = BTreeMap<String, Sort>;

fn read_state(file: &Path) -> Remembered {
    std::fs::read_to_string(file)
        .ok()
        .and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or_default()
}

/// The order the person chose last time; `None` for none (or an unreadable file).
pub fn remembered_sort(file: &Path, person: Option<&str>) -> Option<Sort> {
    read_state(file).get(person.unwrap_or("")).copied()
}

/// Writes the person's order beside the others', through a temporary file and a rename, so a
/// crash leaves the old file or the new one.
fn remember_sort(file: &Path, person: Option<&str>, sort: Sort) -> std::io::Result<()> {
    let mut state = read_state(file);
    state.insert(person.unwrap_or("").to_string(), sort);
    if let Some(folder) = file.parent() {
        std::fs::create_dir_all(folder)?;
    }
    let partial = file.with_extension("json.partial");
    let text = serde_json::to_string_pretty(&state).map_err(std::io::Error::other)?;
    std::fs::write(&partial, text + "\n")?;
    std::fs::rename(&partial, file)
}
