//! Deleting tasks and users, after a confirmation; a user's tasks are unassigned or handed on.
//! Each deletion names the row version the person saw, so a row changed elsewhere is kept.

use super::form::Choice;
use super::{App, Confirmed, Mode, Pane, Picker};
use crate::keymap::Action;
use crate::model::UserId;
use crate::store::Handoff;
use ratatui_textarea::TextArea;

/// The user whose deletion is being decided, as the person saw them.
pub(super) struct Asked {
    pub user: UserId,
    pub version: i64,
    pub username: String,
    pub tasks: u64,
}

/// What became of a deleted user's `n` tasks, in words.
fn handed(n: usize, to: &str) -> String {
    match n {
        1 => format!("their task {to}"),
        n => format!("their {n} tasks {to}"),
    }
}

impl Asked {
    fn mode(self, picker: Option<Box<Picker>>) -> Mode {
        Mode::Handoff {
            user: self.user,
            version: self.version,
            username: self.username,
            tasks: self.tasks,
            picker,
        }
    }
}

impl App {
    pub(super) fn ask_delete(&mut self) -> Mode {
        self.message = None;
        match self.focus {
            Pane::Tasks => match self.selected_task() {
                Some(task) => Mode::Confirm {
                    prompt: format!("Delete the task “{}”?", task.title),
                    on_yes: Confirmed::DeleteTask {
                        id: task.id,
                        version: task.version,
                        title: task.title.clone(),
                    },
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
                        on_yes: Confirmed::DeleteUser {
                            id: user.id,
                            version: user.version,
                            username: user.username.clone(),
                        },
                    },
                    Ok(tasks) => Asked {
                        user: user.id,
                        version: user.version,
                        username: user.username,
                        tasks,
                    }
                    .mode(None),
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
            Confirmed::DeleteTask {
                id,
                version,
                ref title,
            } => self
                .store
                .delete_task(id, version)
                .map(|()| format!("deleted “{title}”")),
            Confirmed::DeleteUser {
                id,
                version,
                ref username,
            } => self
                .store
                .delete_user(id, version, Handoff::Unassign)
                .map(|_| format!("deleted user {username}")),
        };
        self.after_write(result);
    }

    pub(super) fn on_handoff(
        &mut self,
        asked: Asked,
        picker: Option<Box<Picker>>,
        action: Action,
    ) -> Mode {
        let Some(mut picker) = picker else {
            return match action {
                Action::Unassign => {
                    let result = self
                        .store
                        .delete_user(asked.user, asked.version, Handoff::Unassign)
                        .map(|n| {
                            format!(
                                "deleted user {}; {}",
                                asked.username,
                                handed(
                                    n,
                                    if n == 1 {
                                        "is now unassigned"
                                    } else {
                                        "are now unassigned"
                                    }
                                )
                            )
                        });
                    self.after_write(result);
                    Mode::Browse
                }
                Action::Reassign => {
                    let users: Vec<Choice> = self
                        .choices()
                        .into_iter()
                        .filter(|c| c.id != asked.user)
                        .collect();
                    if users.is_empty() {
                        self.inform(
                            "there is no other user to take the tasks: unassign them (u) or cancel",
                        );
                        return asked.mode(None);
                    }
                    asked.mode(Some(Box::new(Picker {
                        query: TextArea::default(),
                        users,
                        cursor: 0,
                    })))
                }
                Action::Cancel | Action::No => {
                    self.inform("nothing was deleted");
                    Mode::Browse
                }
                Action::ToggleHelp => Mode::Help(0),
                _ => asked.mode(None),
            };
        };
        match action {
            Action::MoveDown => {
                picker.cursor = (picker.cursor + 1).min(picker.matches().len().saturating_sub(1))
            }
            Action::MoveUp => picker.cursor = picker.cursor.saturating_sub(1),
            Action::Input(key) if super::form::edit_text(&mut picker.query, key) => {
                picker.cursor = 0
            }
            Action::Yes => {
                let Some((heir, name)) = picker
                    .matches()
                    .get(picker.cursor)
                    .map(|c| (c.id, c.username.clone()))
                else {
                    return asked.mode(Some(picker));
                };
                let result = self
                    .store
                    .delete_user(asked.user, asked.version, Handoff::ReassignTo(heir))
                    .map(|n| {
                        format!(
                            "deleted user {}; {}",
                            asked.username,
                            handed(n, &format!("went to {name}"))
                        )
                    });
                self.after_write(result);
                return Mode::Browse;
            }
            Action::Cancel => {
                self.inform("nothing was deleted");
                return Mode::Browse;
            }
            _ => {}
        }
        asked.mode(Some(picker))
    }
}
