//! Deleting tasks and users, after a confirmation; a user's tasks are unassigned or handed on.

use super::form::Choice;
use super::{App, Confirmed, Mode, Pane, Picker};
use crate::keymap::Action;
use crate::model::UserId;
use crate::store::Handoff;
use ratatui_textarea::TextArea;

impl App {
    pub(super) fn ask_delete(&mut self) -> Mode {
        match self.focus {
            Pane::Tasks => match self.selected_task() {
                Some(task) => Mode::Confirm {
                    prompt: format!("Delete the task “{}”?", task.title),
                    on_yes: Confirmed::DeleteTask(task.id),
                },
                None => Mode::Browse,
            },
            Pane::Users => {
                let Some(user) = self.selected_user().map(|u| u.user.clone()) else {
                    self.inform("choose a user to delete");
                    return Mode::Browse;
                };
                match self.store.count_user_tasks(user.id) {
                    Ok(0) => Mode::Confirm {
                        prompt: format!("Delete the user {}?", user.username),
                        on_yes: Confirmed::DeleteUser(user.id),
                    },
                    Ok(tasks) => Mode::Handoff {
                        user: user.id,
                        username: user.username,
                        tasks,
                        picker: None,
                    },
                    Err(e) => {
                        self.fail(&e);
                        Mode::Browse
                    }
                }
            }
        }
    }

    pub(super) fn confirmed(&mut self, what: Confirmed) {
        let result = match what {
            Confirmed::DeleteTask(id) => self
                .store
                .delete_task(id)
                .map(|()| "deleted the task".to_string()),
            Confirmed::DeleteUser(id) => self
                .store
                .delete_user(id, Handoff::Unassign)
                .map(|_| "deleted the user".to_string()),
        };
        self.after_write(result);
    }

    pub(super) fn on_handoff(
        &mut self,
        user: UserId,
        username: String,
        tasks: u64,
        picker: Option<Box<Picker>>,
        action: Action,
    ) -> Mode {
        let Some(mut picker) = picker else {
            return match action {
                Action::Unassign => {
                    let result = self
                        .store
                        .delete_user(user, Handoff::Unassign)
                        .map(|n| format!("deleted {username}; {n} tasks are unassigned"));
                    self.after_write(result);
                    Mode::Browse
                }
                Action::Reassign => {
                    let users: Vec<Choice> = self
                        .choices()
                        .into_iter()
                        .filter(|c| c.id != user)
                        .collect();
                    if users.is_empty() {
                        self.inform(
                            "there is no other user to take the tasks: unassign them (u) or cancel",
                        );
                        return Mode::Handoff {
                            user,
                            username,
                            tasks,
                            picker: None,
                        };
                    }
                    let picker = Picker {
                        query: TextArea::default(),
                        users,
                        cursor: 0,
                    };
                    Mode::Handoff {
                        user,
                        username,
                        tasks,
                        picker: Some(Box::new(picker)),
                    }
                }
                Action::Cancel | Action::No => {
                    self.inform("nothing was deleted");
                    Mode::Browse
                }
                Action::ToggleHelp => Mode::Help(0),
                _ => Mode::Handoff {
                    user,
                    username,
                    tasks,
                    picker: None,
                },
            };
        };
        match action {
            Action::MoveDown => {
                picker.cursor = (picker.cursor + 1).min(picker.matches().len().saturating_sub(1))
            }
            Action::MoveUp => picker.cursor = picker.cursor.saturating_sub(1),
            Action::Input(key) if picker.query.input(key) => picker.cursor = 0,
            Action::Yes => {
                let Some(heir) = picker
                    .matches()
                    .get(picker.cursor)
                    .map(|c| (c.id, c.username.clone()))
                else {
                    return Mode::Handoff {
                        user,
                        username,
                        tasks,
                        picker: Some(picker),
                    };
                };
                let result = self
                    .store
                    .delete_user(user, Handoff::ReassignTo(heir.0))
                    .map(|n| format!("deleted {username}; {n} tasks went to {}", heir.1));
                self.after_write(result);
                return Mode::Browse;
            }
            Action::Cancel => {
                self.inform("nothing was deleted");
                return Mode::Browse;
            }
            _ => {}
        }
        Mode::Handoff {
            user,
            username,
            tasks,
            picker: Some(picker),
        }
    }
}
