//! Adding and editing users and tasks through the forms.

use super::form::{Form, FormTarget};
use super::{App, FIXED_ENTRIES, Mode, Pane};
use crate::keymap::Action;
use crate::model::{TaskId, UserId};
use crate::store::{Assignee, StoreError};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

enum Saved {
    User(UserId, String),
    Task(TaskId, String),
}

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
                Form::task(None, assignee, self.choices())
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
                Some(Ok(task)) => {
                    Mode::Form(Box::new(Form::task(Some(&task), None, self.choices())))
                }
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
            Action::Cancel => {
                self.inform("cancelled; nothing was saved");
                return Mode::Browse;
            }
            Action::Input(key)
                if key.modifiers.contains(KeyModifiers::CONTROL)
                    && key.code == KeyCode::Char('c') =>
            {
                form.error = Some((None, "Esc cancels the form, Ctrl-s saves it".into()));
            }
            Action::Input(key) => form.input(key),
            _ => {}
        }
        Mode::Form(form)
    }

    pub(super) fn save(&mut self, mut form: Box<Form>) -> Mode {
        let today = self.store.clock().today();
        let saved = match form.target {
            FormTarget::NewUser => {
                form.user_fields()
                    .map_err(StoreError::from)
                    .and_then(|fields| {
                        Ok(Saved::User(
                            self.store.create_user(&fields)?,
                            fields.username,
                        ))
                    })
            }
            FormTarget::EditUser { id, version } => form
                .user_changes()
                .map_err(StoreError::from)
                .and_then(|changes| {
                    self.store.update_user(id, version, &changes)?;
                    let name = form.text(0);
                    Ok(Saved::User(id, name.trim().to_string()))
                }),
            FormTarget::NewTask => form
                .task_fields(today)
                .map_err(StoreError::from)
                .and_then(|fields| Ok(Saved::Task(self.store.create_task(&fields)?, fields.title))),
            FormTarget::EditTask { id, version } => form
                .task_changes(today)
                .map_err(StoreError::from)
                .and_then(|changes| {
                    self.store.update_task(id, version, &changes)?;
                    Ok(Saved::Task(id, form.text(0).trim().to_string()))
                }),
        };
        match saved {
            Ok(Saved::User(id, name)) => {
                self.refresh();
                if let Some(index) = self.users.iter().position(|u| u.user.id == id) {
                    self.select_user_entry(index + FIXED_ENTRIES);
                }
                self.inform(format!("saved user {name}"));
                Mode::Browse
            }
            Ok(Saved::Task(id, title)) => {
                self.refresh();
                self.select_task(id);
                self.inform(format!("saved “{title}”"));
                Mode::Browse
            }
            Err(StoreError::Invalid(error)) => {
                self.message = None;
                form.show_error(error);
                Mode::Form(form)
            }
            Err(error) => {
                self.message = None;
                form.error = Some((None, error.to_string()));
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
