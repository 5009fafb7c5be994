//! Adding and editing users and tasks through the forms.

use super::form::{Form, FormTarget};
use super::{After, App, Mode, Pane};
use crate::keymap::{Action, Context};
use crate::model::{Change, Expect, TaskChanges, TaskId, UserChanges};
use crate::query::Assignee;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

impl App {
    pub(super) fn open_add_form(&mut self) -> Mode {
        // A message belongs to the moment it describes, not to the form that follows it.
        self.message = None;
        let form = match self.focus {
            Pane::Users => Form::user(None),
            Pane::Tasks => {
                let assignee = match self.selected_assignee() {
                    Assignee::User(id) => Some(id),
                    _ => None,
                };
                Form::task(None, assignee, self.choices(), self.tag_names())
            }
        };
        Mode::Form(Box::new(form))
    }

    pub(super) fn open_edit_form(&mut self) -> Mode {
        self.message = None;
        match self.focus {
            Pane::Users => match self.selected_user() {
                Some(user) => Mode::Form(Box::new(Form::user(Some(&user.user)))),
                None => {
                    self.inform("choose a user to edit");
                    Mode::Browse
                }
            },
            // Read the task again: the form must carry the version it edits.
            Pane::Tasks => match self.selected_task().map(|t| self.store.get_task(t.id)) {
                Some(Ok(task)) => Mode::Form(Box::new(Form::task(
                    Some(&task),
                    None,
                    self.choices(),
                    self.tag_names(),
                ))),
                Some(Err(e)) => {
                    self.fail(&e);
                    self.refresh();
                    Mode::Browse
                }
                None => Mode::Browse,
            },
        }
    }

    pub(super) fn on_form(&mut self, mut form: Box<Form>, action: Action) -> Mode {
        if action != Action::Cancel && form.discarding {
            // Any other key answers the question: the form stays, and so does what was typed.
            form.discarding = false;
            form.errors.retain(|(field, _)| field.is_some());
        }
        match action {
            Action::NextField => form.next_field(),
            Action::PreviousField => form.previous_field(),
            Action::MoveDown | Action::MoveUp => {
                let down = action == Action::MoveDown;
                if form.arrow_stays_in_field(down) {
                    form.input(KeyEvent::new(
                        if down { KeyCode::Down } else { KeyCode::Up },
                        KeyModifiers::NONE,
                    ));
                } else if down {
                    form.next_field();
                } else {
                    form.previous_field();
                }
            }
            Action::ChoicePrevious => form.input(KeyEvent::new(KeyCode::Left, KeyModifiers::NONE)),
            Action::ChoiceNext => form.input(KeyEvent::new(KeyCode::Right, KeyModifiers::NONE)),
            Action::Submit if form.focused_is_multiline() => {
                form.input(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE));
            }
            Action::Submit | Action::Save => return self.save(form),
            // What was typed is not thrown away on one key: the first Esc asks.
            Action::Cancel if form.is_changed() && !form.discarding => {
                form.discarding = true;
                form.say_at_foot(format!(
                    "{} again discards what you typed; {} saves it",
                    self.keys.key_for(Context::Form, Action::Cancel),
                    self.keys.key_for(Context::Form, Action::Save)
                ));
                return Mode::Form(form);
            }
            Action::Cancel => {
                self.inform("cancelled; nothing was saved");
                return Mode::Browse;
            }
            Action::Input(key)
                if key.modifiers.contains(KeyModifiers::CONTROL)
                    && key.code == KeyCode::Char('c') =>
            {
                form.say_at_foot(format!(
                    "{} cancels the form, {} saves it",
                    self.keys.key_for(Context::Form, Action::Cancel),
                    self.keys.key_for(Context::Form, Action::Save)
                ));
            }
            Action::Input(key) => form.input(key),
            _ => {}
        }
        Mode::Form(form)
    }

    /// Checks the form and asks for the change it makes; the form stays open until the write
    /// succeeds, so a refusal shows beside what was typed.
    pub(super) fn save(&mut self, mut form: Box<Form>) -> Mode {
        let today = self.store.clock().today();
        let planned = match form.target {
            FormTarget::NewUser => form.user_fields().map(|fields| {
                let name = fields.username.clone();
                (Change::CreateUser(fields), After::SavedUser(name))
            }),
            FormTarget::EditUser { id, version } => form.user_changes().map(|changes| {
                let name = form.text(0).trim().to_string();
                (
                    Change::UpdateUser {
                        id,
                        expect: Expect::Version(version),
                        changes,
                    },
                    After::SavedUser(name),
                )
            }),
            FormTarget::NewTask => form.task_fields(today).map(|fields| {
                let title = fields.title.clone();
                (
                    Change::CreateTask(fields),
                    After::SavedTask { id: None, title },
                )
            }),
            FormTarget::EditTask { id, version } => form.task_changes(today).map(|changes| {
                (
                    Change::UpdateTask {
                        id,
                        expect: form
                            .seen
                            .as_deref()
                            .map_or(Expect::Version(version), |t| Expect::seen(t, &changes)),
                        changes,
                    },
                    After::SavedTask {
                        id: Some(id),
                        title: form.text(0).trim().to_string(),
                    },
                )
            }),
        };
        self.message = None;
        match planned {
            // Nothing changed, nothing written: not even a step of undo.
            Ok((Change::UpdateTask { changes, .. }, After::SavedTask { title, .. }))
                if changes == TaskChanges::default() =>
            {
                self.inform(format!("“{title}” is unchanged; nothing was saved"));
                Mode::Browse
            }
            Ok((Change::UpdateUser { changes, .. }, After::SavedUser(name)))
                if changes == UserChanges::default() =>
            {
                self.inform(format!("{name} is unchanged; nothing was saved"));
                Mode::Browse
            }
            Ok((change, after)) => {
                self.apply(change, after);
                Mode::Form(form)
            }
            Err(error) => {
                // Every problem at once, not one per save.
                let mut problems = form.problems(today);
                if problems.is_empty() {
                    problems.push(error);
                }
                form.show_errors(problems);
                Mode::Form(form)
            }
        }
    }

    /// Moves the cursor to the task if the current filter shows it.
    pub(super) fn select_task(&mut self, id: TaskId) {
        if let Ok(Some(position)) = self.store.task_position(&self.tasks.filter, id) {
            self.tasks.cursor = position;
            self.show_task_page();
        }
    }
}
