//! The interface's state and `App::update`, the only place it changes. No terminal code here.

mod browse;
mod deleting;
mod editing;
mod editor;
mod effects;
pub mod form;
mod help;
mod lists;
mod marks;
mod mouse;
mod picker;
mod quick;
mod settings;
mod tagging;
mod view;

pub use effects::{After, Editing, Effect, Op, Write};
pub use lists::MATCH_LIMIT;
pub use marks::Marked;
pub use picker::{NOBODY, Picker};
pub use tagging::{TagEdit, TagPicker};
pub use view::{DueWindow, QuickFilter};

use crate::commands::failure::said;
use crate::error::StoreError;
use crate::keymap::{Action, Context, Keymap};
use crate::layout::Areas;
use crate::model::{TagCount, Task, TaskId, UserId, UserSummary};
use crate::query::Assignee;
use crate::query::Sort;
use crate::query::TaskFilter;
use crate::seam::Database;
use crate::seam::HistoryEntry;
use form::{Choice, Form};
use ratatui::crossterm::event::KeyEvent;
use ratatui_textarea::TextArea;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    Users,
    Tasks,
}

/// A change the person must confirm with `y`; it names exactly what it will do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Confirmed {
    /// The task as the person saw it: deleted only if nobody changed it since.
    DeleteTask {
        id: TaskId,
        version: i64,
        title: String,
    },
    DeleteUser {
        id: UserId,
        version: i64,
        username: String,
    },
    /// Every marked task, each as the person saw it.
    DeleteMarked,
}

#[derive(Debug, Clone)]
pub enum Mode {
    Browse,
    /// The help overlay, scrolled down by this many lines.
    Help(u16),
    /// Typing in the filter line; each change narrows the Tasks pane.
    Search(Box<TextArea<'static>>),
    /// Typing a due date for the selected (or marked) tasks.
    Due(Box<TextArea<'static>>),
    /// Choosing who the selected (or marked) tasks go to.
    Assign(Box<Picker>),
    /// The quick filter menu (`f`).
    Filter,
    /// Adding and removing tags of the selected (or marked) tasks (`T`).
    Tags(Box<TextArea<'static>>),
    /// Choosing a tag to show (`f #`).
    TagFilter(Box<TagPicker>),
    Form(Box<Form>),
    Confirm {
        prompt: String,
        on_yes: Confirmed,
    },
    /// Deleting a user who has tasks: unassign them or hand them to someone.
    Handoff {
        user: UserId,
        /// The user's row version when the question was asked.
        version: i64,
        username: String,
        tasks: u64,
        picker: Option<Box<Picker>>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub text: String,
    pub is_error: bool,
}

/// The slice of the task list on screen. Only these rows are read from the database, so a
/// keystroke costs the same at a hundred tasks as at a million.
#[derive(Debug, Clone, Default)]
pub struct TaskList {
    pub filter: TaskFilter,
    /// The tasks the list holds: all that match, or `MATCH_LIMIT` of them when a search's
    /// count was cut short there (counts the database keeps are exact, however large).
    pub total: u64,
    /// More tasks match than `MATCH_LIMIT`: the list holds the first of them, in order.
    pub bounded: bool,
    /// The selected row's index in the whole list.
    pub cursor: u64,
    /// The index of the first row on screen.
    pub top: u64,
    pub rows: Vec<Task>,
}

#[derive(Debug)]
pub struct App {
    store: Box<dyn Database>,
    pub focus: Pane,
    pub users: Vec<UserSummary>,
    /// 0 is *All*, 1 *Unassigned*, then `users[i]` at `i + 2`.
    pub user_cursor: usize,
    pub user_top: usize,
    pub tasks: TaskList,
    pub mode: Mode,
    /// The filter on titles and descriptions; empty for none.
    pub search: String,
    /// The search was typed but not yet run: the frame shows the letter at once, the matches
    /// when `run_waiting_search` has read them (unless another key came first).
    pub search_waiting: bool,
    pub message: Option<Message>,
    pub quit: bool,
    pub size: (u16, u16),
    /// `NO_COLOR` is set: distinctions are drawn without colour.
    pub no_color: bool,
    /// The word the help is narrowed to (`/` in the help), and whether it is being typed.
    pub help_find: Option<String>,
    pub help_typing: bool,
    /// The open and late tasks assigned to nobody, for the Users pane's Unassigned line.
    pub nobody: (u64, u64),
    /// The status each task had before `x` made it done in this session, for `x` again.
    before_done: std::collections::HashMap<crate::model::TaskId, crate::model::Status>,
    /// The key tables in force: the defaults patched by the config file.
    pub keys: Keymap,
    /// The colours, by meaning.
    pub theme: crate::config::Theme,
    /// Whether the terminal reports the mouse to tasktui.
    pub mouse: bool,
    /// How due dates show.
    pub dates: crate::config::Dates,
    /// How far the detail of the selected task is scrolled; back to the top on another task.
    pub detail_scroll: u16,
    /// The marked tasks, as the person saw them; what the edit keys act on while there are any.
    pub marks: BTreeMap<TaskId, Marked>,
    /// The quick filters (`f`) and the order (`o`, `O`).
    pub quick: QuickFilter,
    pub sort: Sort,
    /// The tags in use, most used first: offered in the tags field, listed by the tag filter.
    pub tags: Vec<TagCount>,
    /// The selected task's last changes, for the detail; read when the selection moves.
    pub history: Vec<HistoryEntry>,
    history_of: Option<(TaskId, i64)>,
    /// Where the order is remembered between runs; `None` keeps it for this run only.
    state_file: Option<std::path::PathBuf>,
    /// What `update` decided the loop must do.
    pending: Vec<Effect>,
    data_version: i64,
    /// The list whose kept count was last made again from its tasks (`check_kept_count`), at
    /// which data version, and by how much the kept count was off.
    recounted: Option<(TaskFilter, i64, i64)>,
}

/// The entries above the users in the Users pane.
pub const FIXED_ENTRIES: usize = 2;

impl App {
    /// The interface over any backend behind the seam.
    pub fn new(store: impl Database + 'static, size: (u16, u16)) -> Result<App, StoreError> {
        App::with_store(Box::new(store), size)
    }

    /// The interface on a store whose backend was chosen at run time (`open::for_interface`).
    pub fn with_store(store: Box<dyn Database>, size: (u16, u16)) -> Result<App, StoreError> {
        let data_version = store.change_counter()?;
        let mut app = App {
            store,
            focus: Pane::Tasks,
            users: Vec::new(),
            user_cursor: 0,
            user_top: 0,
            tasks: TaskList::default(),
            mode: Mode::Browse,
            search: String::new(),
            search_waiting: false,
            message: None,
            quit: false,
            size,
            no_color: false,
            help_find: None,
            help_typing: false,
            nobody: (0, 0),
            before_done: std::collections::HashMap::new(),
            keys: Keymap::default(),
            theme: crate::config::Theme::default(),
            mouse: true,
            dates: crate::config::Dates::default(),
            detail_scroll: 0,
            marks: BTreeMap::new(),
            quick: QuickFilter::default(),
            sort: Sort::default(),
            tags: Vec::new(),
            history: Vec::new(),
            history_of: None,
            state_file: None,
            pending: Vec::new(),
            data_version,
            recounted: None,
        };
        app.reload()?;
        Ok(app)
    }

    /// Remembers the order in `file` (read now, written on each change), under the person's
    /// name.
    pub fn remember_sort_in(&mut self, file: std::path::PathBuf) {
        if let Some(sort) = view::remembered_sort(&file, self.store.author()) {
            self.sort = sort;
            self.refresh_tasks();
        }
        self.state_file = Some(file);
    }

    pub fn store(&self) -> &dyn Database {
        self.store.as_ref()
    }

    /// The key tables in force, most specific first.
    pub fn contexts(&self) -> Vec<Context> {
        match &self.mode {
            Mode::Browse if self.focus == Pane::Tasks => {
                vec![Context::Tasks, Context::Panes, Context::Global]
            }
            Mode::Browse => vec![Context::Users, Context::Panes, Context::Global],
            Mode::Help(_) => vec![Context::Help, Context::Global],
            Mode::Search(_) => vec![Context::Search],
            Mode::Due(_) => vec![Context::Due],
            Mode::Assign(_) => vec![Context::Assign],
            Mode::Filter => vec![Context::Filter, Context::Global],
            Mode::Tags(_) => vec![Context::Tags],
            Mode::TagFilter(_) => vec![Context::TagPicker],
            Mode::Form(_) => vec![Context::Form],
            Mode::Confirm { .. } => vec![Context::Confirm, Context::Global],
            Mode::Handoff { picker: None, .. } => vec![Context::Handoff, Context::Global],
            Mode::Handoff {
                picker: Some(_), ..
            } => vec![Context::Picker],
        }
    }

    /// A key: what it means in the contexts in force, and what the loop must do about it.
    #[must_use]
    pub fn handle_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        if self.areas().too_small {
            // Nothing can be seen: only quitting (and resizing) does anything.
            if self.keys.lookup(&[Context::Global], &key) == Some(Action::Quit) {
                return self.update(Action::Quit);
            }
            return Vec::new();
        }
        // The help's find takes the text; Ctrl-z, Ctrl-c and the like keep their meaning.
        let control = key
            .modifiers
            .contains(ratatui::crossterm::event::KeyModifiers::CONTROL)
            && key.code != ratatui::crossterm::event::KeyCode::Char('u');
        if matches!(self.mode, Mode::Help(_)) && self.help_typing && !control {
            self.type_in_help(key);
            return Vec::new();
        }
        let contexts = self.contexts();
        match self.keys.lookup(&contexts, &key) {
            Some(action) => self.update(action),
            // Text fields take every key that no table binds.
            None if matches!(
                contexts[0],
                Context::Form
                    | Context::Picker
                    | Context::Assign
                    | Context::Tags
                    | Context::TagPicker
                    | Context::Search
                    | Context::Due
            ) =>
            {
                self.update(Action::Input(key))
            }
            None => Vec::new(),
        }
    }

    /// A key, with the writes it asks for carried out at once; what is left (suspend, the
    /// editor, quit) is returned. The way tests and benchmarks drive the interface.
    pub fn press(&mut self, key: KeyEvent) -> Vec<Effect> {
        let effects = self.handle_key(key);
        let left = self.settle(effects);
        self.run_waiting_search();
        left
    }

    /// Text pasted into the terminal: it goes to the focused text field, whole.
    pub fn paste(&mut self, text: &str) {
        match &mut self.mode {
            Mode::Form(form) => form.paste(text),
            Mode::Search(line) => {
                line.insert_str(form::one_line(text));
                let query = line.lines().join("");
                self.type_search(query);
            }
            Mode::Handoff {
                picker: Some(picker),
                ..
            } => {
                picker.query.insert_str(form::one_line(text));
                picker.cursor = 0;
            }
            Mode::Due(line) => {
                line.insert_str(form::one_line(text));
            }
            Mode::Assign(picker) => {
                picker.query.insert_str(form::one_line(text));
                picker.cursor = 0;
            }
            Mode::Tags(line) => {
                line.insert_str(form::one_line(text));
            }
            Mode::TagFilter(picker) => {
                picker.query.insert_str(form::one_line(text));
                picker.cursor = 0;
            }
            _ => {}
        }
    }

    pub fn selected_task(&self) -> Option<&Task> {
        let index = self.tasks.cursor.checked_sub(self.tasks.top)?;
        self.tasks.rows.get(usize::try_from(index).ok()?)
    }

    pub fn selected_user(&self) -> Option<&UserSummary> {
        self.users.get(self.user_cursor.checked_sub(FIXED_ENTRIES)?)
    }

    /// Whose tasks the Users pane selection shows.
    pub fn selected_assignee(&self) -> Assignee {
        match self.user_cursor {
            0 => Assignee::All,
            1 => Assignee::Unassigned,
            _ => self
                .selected_user()
                .map_or(Assignee::All, |u| Assignee::User(u.user.id)),
        }
    }

    /// Where each part of the screen goes at the current size and focus, with the task list
    /// its whole pane: what a page of rows is read for.
    pub fn areas(&self) -> Areas {
        let (width, height) = self.size;
        Areas::new(width, height, self.folds_users(width))
    }

    /// Where each part is drawn: the rows a short list does not need go to the detail. The
    /// rows read count too, so a kept count that is short hides no task.
    pub fn fit(&self, areas: Areas) -> Areas {
        let rows = u64::try_from(self.tasks.rows.len()).unwrap_or(u64::MAX);
        areas.fitted_to(self.tasks.total.max(rows))
    }

    /// Whether the Users pane folds away at `width`: narrow, and the Tasks pane has the focus.
    pub fn folds_users(&self, width: u16) -> bool {
        width < crate::layout::FOLD_WIDTH && self.focus == Pane::Tasks
    }

    fn task_rows(&self) -> u64 {
        u64::from(self.areas().task_rows()).max(1)
    }

    /// The only place interface state changes. Returns what the loop must carry out.
    #[must_use]
    pub fn update(&mut self, action: Action) -> Vec<Effect> {
        self.step(action);
        std::mem::take(&mut self.pending)
    }

    fn step(&mut self, action: Action) {
        match action {
            Action::Quit => {
                self.quit = true;
                self.pending.push(Effect::Quit);
                return;
            }
            Action::Suspend => {
                self.pending.push(Effect::Suspend);
                return;
            }
            Action::Resize(width, height) => {
                self.size = (width, height);
                self.show_task_page();
                self.keep_user_visible();
                return;
            }
            Action::Tick => {
                self.poll_changes();
                return;
            }
            Action::Click(column, row) => {
                self.click(column, row);
                return;
            }
            Action::Wheel(column, row, down) => {
                self.wheel(column, row, down);
                return;
            }
            _ => {}
        }
        let mode = std::mem::replace(&mut self.mode, Mode::Browse);
        let message_before = self.message.clone();
        let was_browsing = matches!(mode, Mode::Browse);
        self.step_mode(mode, action);
        // A prompt, a form or a menu opened from the panes starts clean: the last message was
        // about what came before it (`cancelled; nothing was saved` is not about the search).
        if was_browsing && !matches!(self.mode, Mode::Browse) && self.message == message_before {
            self.message = None;
        }
    }

    fn step_mode(&mut self, mode: Mode, action: Action) {
        self.mode = match mode {
            Mode::Browse => self.browse(action),
            Mode::Help(scroll) => self.in_help(scroll, action),
            Mode::Form(form) => self.on_form(form, action),
            Mode::Search(mut line) => match action {
                Action::Submit => Mode::Browse,
                Action::Cancel => {
                    self.set_search(String::new());
                    Mode::Browse
                }
                Action::Input(key) => {
                    if form::edit_text(&mut line, key) {
                        let query = line.lines().join("");
                        self.type_search(query);
                    }
                    Mode::Search(line)
                }
                _ => Mode::Search(line),
            },
            Mode::Assign(picker) => self.on_assign(picker, action),
            Mode::Filter => self.on_filter_menu(action),
            Mode::Tags(line) => self.on_tags(line, action),
            Mode::TagFilter(picker) => self.on_tag_filter(picker, action),
            Mode::Due(mut line) => match action {
                Action::Submit => self.set_due(line),
                Action::Cancel => {
                    self.inform("nothing was changed");
                    Mode::Browse
                }
                Action::Input(key) => {
                    form::edit_text(&mut line, key);
                    Mode::Due(line)
                }
                _ => Mode::Due(line),
            },
            Mode::Confirm { prompt, on_yes } => match action {
                Action::Yes => {
                    self.confirmed(on_yes);
                    Mode::Browse
                }
                Action::No | Action::Cancel => {
                    self.inform("nothing was deleted");
                    Mode::Browse
                }
                Action::ToggleHelp => Mode::Help(0),
                _ => Mode::Confirm { prompt, on_yes },
            },
            Mode::Handoff {
                user,
                version,
                username,
                tasks,
                picker,
            } => self.on_handoff(
                deleting::Asked {
                    user,
                    version,
                    username,
                    tasks,
                },
                picker,
                action,
            ),
        };
    }

    /// Whether the data is on a server (see `term`: a write may wait there).
    pub fn on_a_server(&self) -> bool {
        self.store.on_a_server()
    }

    /// Stops the store's running statement from another thread (`Database::interrupter`).
    pub fn interrupter(&self) -> Option<crate::seam::Interrupt> {
        self.store.interrupter()
    }

    pub fn inform(&mut self, text: impl Into<String>) {
        self.message = Some(Message {
            text: text.into(),
            is_error: false,
        });
    }

    /// An error in the status bar, logged.
    pub(crate) fn error(&mut self, text: impl Into<String>) {
        let text = text.into();
        tracing::warn!("status bar: {text}");
        self.message = Some(Message {
            text,
            is_error: true,
        });
    }

    /// A store's refusal in the status bar, logged with its cause.
    fn fail(&mut self, error: &StoreError) {
        tracing::error!(cause = ?error, "status bar: {error}");
        self.message = Some(Message {
            text: said(error),
            is_error: true,
        });
    }

    /// The names of the tags in use, most used first.
    pub(super) fn tag_names(&self) -> Vec<String> {
        self.tags.iter().map(|t| t.name.clone()).collect()
    }

    fn choices(&self) -> Vec<Choice> {
        self.users
            .iter()
            .map(|u| Choice {
                id: u.user.id,
                username: u.user.username.clone(),
                full_name: u.user.full_name.clone(),
            })
            .collect()
    }
}
