//! Deleting tasks and users, after a confirmation; a user's tasks are unassigned or handed on.
//! Each deletion names the row version the person saw, so a row changed elsewhere is kept.

use super::form::Choice;
use super::{After, App, Confirmed, Mode, Pane, Picker};
use crate::keymap::{Action, Context};
use crate::model::Handoff;
use crate::model::{Change, Expect, UserId};

/// The user whose deletion is being decided, as the person saw them.
pub(super) struct Asked {
    pub user: UserId,
    pub version: i64,
    pub username: String,
    pub tasks: u64,
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
            Pane::Tasks if !self.marks.is_empty() => self.delete_marked(),
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
        match what {
            Confirmed::DeleteTask { id, version, title } => self.apply(
                Change::DeleteTask {
                    id,
                    expect: Expect::Version(version),
                },
                After::Say(format!(
                    "deleted “{title}” ({} undoes)",
                    self.key(Context::Panes, Action::Undo)
                )),
            ),
            Confirmed::DeleteUser {
                id,
                version,
                username,
            } => self.apply(
                Change::DeleteUser {
                    id,
                    expect: Expect::Version(version),
                    handoff: Handoff::Unassign,
                },
                After::Say(format!("deleted user {username}")),
            ),
            Confirmed::DeleteMarked => self.deleted_marked(),
        }
    }

    /// Deletes the user asked about, handing their tasks on as chosen.
    fn delete_user(&mut self, asked: Asked, handoff: Handoff, to: Option<String>) {
        self.apply(
            Change::DeleteUser {
                id: asked.user,
                expect: Expect::Version(asked.version),
                handoff,
            },
            After::Handed {
                username: asked.username,
                to,
            },
        );
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
                    self.delete_user(asked, Handoff::Unassign, None);
                    Mode::Browse
                }
                Action::Reassign => {
                    let users: Vec<Choice> = self
                        .choices()
                        .into_iter()
                        .filter(|c| c.id != asked.user)
                        .collect();
                    if users.is_empty() {
                        self.inform(format!(
                            "there is no other user to take the tasks: unassign them ({}) or cancel",
                            self.key(Context::Handoff, Action::Unassign)
                        ));
                        return asked.mode(None);
                    }
                    asked.mode(Some(Box::new(Picker::new(users, false))))
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
            Action::Yes => {
                let Some(Some((heir, name))) = picker
                    .chosen()
                    .map(|c| c.map(|c| (c.id, c.username.clone())))
                else {
                    return asked.mode(Some(picker));
                };
                self.delete_user(asked, Handoff::ReassignTo(heir), Some(name));
                Mode::Browse
            }
            Action::Cancel => {
                self.inform("nothing was deleted");
                Mode::Browse
            }
            other => {
                picker.act(&other);
                asked.mode(Some(picker))
            }
        }
    }
}
