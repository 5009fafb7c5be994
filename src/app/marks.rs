//! Marks (`v`) and the edits that act on every marked task at once, as one change and one
//! step of undo; with no marks they act on the selected task.

use super::{After, App, Mode, NOBODY, Picker};
use crate::keymap::{Action, Context};
use crate::model::{
    Change, Expect, Priority, Status, Task, TaskChanges, TaskFields, TaskId, UserId,
};

/// The most tasks `V` marks at once: a change of every one is one transaction and one entry
/// of the history.
pub const MARK_ALL_LIMIT: u64 = 10_000;

/// A marked task as the person saw it: the version an edit of it expects, and what the one-key
/// edits start from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Marked {
    pub version: i64,
    pub title: String,
    pub status: Status,
    pub priority: Priority,
    pub assignee: Option<UserId>,
    pub due: Option<chrono::NaiveDate>,
    pub tags: Vec<String>,
}

impl Marked {
    pub fn of(task: &Task) -> Marked {
        Marked {
            version: task.version,
            title: task.title.clone(),
            status: task.status,
            priority: task.priority,
            assignee: task.assignee,
            due: task.due,
            tags: task.tags.clone(),
        }
    }

    /// What an edit of this task expects: the version seen, and what the fields the edit
    /// changes held then, so that another person's edit of other fields meanwhile is merged.
    /// (A mark keeps no description: an edit of it expects the version alone.)
    fn expect(&self, changes: &TaskChanges) -> Expect {
        if changes.description.is_some() {
            return Expect::Version(self.version);
        }
        let seen = TaskFields {
            title: self.title.clone(),
            description: String::new(),
            status: self.status,
            priority: self.priority,
            due: self.due,
            assignee: self.assignee,
            tags: self.tags.clone(),
        };
        Expect::Seen {
            version: self.version,
            before: Box::new(changes.held_in(&seen)),
        }
    }
}

impl App {
    /// What the edit keys act on: the marked tasks, else the selected one.
    pub(super) fn targets(&self) -> Vec<(TaskId, Marked)> {
        if self.marks.is_empty() {
            self.selected_task()
                .map(|t| vec![(t.id, Marked::of(t))])
                .unwrap_or_default()
        } else {
            self.marks.iter().map(|(id, m)| (*id, m.clone())).collect()
        }
    }

    /// Marks or unmarks the selected task and moves to the next, so `v v v` marks a run.
    pub(super) fn toggle_mark(&mut self) {
        let Some((id, marked)) = self.selected_task().map(|t| (t.id, Marked::of(t))) else {
            return;
        };
        if self.marks.remove(&id).is_none() {
            self.marks.insert(id, marked);
        }
        self.message = None;
        self.move_by(1);
    }

    /// `V`: marks every task the list shows (its filter, search and user), or unmarks them
    /// when all are marked already.
    pub(super) fn toggle_mark_all(&mut self) {
        let total = self.tasks.total;
        if total > MARK_ALL_LIMIT {
            self.error(format!(
                    "the list holds {}, too many to mark at once: narrow it to {} or fewer (f, / or a user) first",
                    crate::text::count(total, "task", "tasks"),
                    crate::text::thousands(MARK_ALL_LIMIT)
                ));
            return;
        }
        let listed = match self.store.list_tasks(&self.tasks.filter, 0, total) {
            Ok(listed) => listed,
            Err(e) => {
                self.fail(&e);
                return;
            }
        };
        if !listed.is_empty() && listed.iter().all(|t| self.marks.contains_key(&t.id)) {
            for task in &listed {
                self.marks.remove(&task.id);
            }
            self.inform(format!(
                "unmarked {}",
                crate::text::count(listed.len(), "task", "tasks")
            ));
        } else {
            for task in &listed {
                self.marks.insert(task.id, Marked::of(task));
            }
            let keys: Vec<String> = [
                (Context::Tasks, Action::ToggleDone),
                (Context::Tasks, Action::CycleStatus),
                (Context::Tasks, Action::PriorityUp),
                (Context::Tasks, Action::PriorityDown),
                (Context::Tasks, Action::SetDue),
                (Context::Tasks, Action::Assign),
                (Context::Panes, Action::Delete),
            ]
            .into_iter()
            .map(|(c, a)| self.key(c, a))
            .collect();
            self.inform(format!(
                "marked the {} shown: {} act on them, {} clears",
                crate::text::count(listed.len(), "task", "tasks"),
                keys.join(" "),
                self.key(Context::Panes, Action::Cancel)
            ));
        }
    }

    /// Keeps the marks in step with the rows on screen: a marked task read again carries the
    /// version the person now sees.
    pub(super) fn refresh_marks(&mut self) {
        for task in &self.tasks.rows {
            if let Some(mark) = self.marks.get_mut(&task.id) {
                *mark = Marked::of(task);
            }
        }
    }

    /// One edit of every target, as one change: `edit` says what to change in each (`None`
    /// leaves it). `done` words the outcome for one task (its title) or several (their count).
    pub(super) fn change_targets(
        &mut self,
        edit: impl Fn(TaskId, &Marked) -> Option<TaskChanges>,
        done: impl Fn(Result<&str, usize>) -> String,
        unchanged: &str,
    ) {
        let targets = self.targets();
        let changes: Vec<(TaskId, &Marked, TaskChanges)> = targets
            .iter()
            .filter_map(|(id, m)| edit(*id, m).map(|c| (*id, m, c)))
            .collect();
        let message = match changes.as_slice() {
            [] => {
                self.inform(unchanged);
                return;
            }
            [(_, one, _)] if targets.len() == 1 => done(Ok(&one.title)),
            many => done(Err(many.len())),
        };
        let mut all: Vec<Change> = changes
            .into_iter()
            .map(|(id, m, changes)| Change::UpdateTask {
                id,
                expect: m.expect(&changes),
                changes,
            })
            .collect();
        let change = if all.len() == 1 {
            all.remove(0)
        } else {
            Change::Batch(all)
        };
        let after = if self.marks.is_empty() {
            After::Say(message)
        } else {
            After::Marked(message)
        };
        self.apply(change, after);
    }

    /// Deletes every marked task, after asking: one change.
    pub(super) fn delete_marked(&mut self) -> Mode {
        let n = self.marks.len();
        Mode::Confirm {
            prompt: format!(
                "Delete the {}?",
                crate::text::count(n, "marked task", "marked tasks")
            ),
            on_yes: super::Confirmed::DeleteMarked,
        }
    }

    pub(super) fn deleted_marked(&mut self) {
        let changes: Vec<Change> = self
            .marks
            .iter()
            .map(|(id, m)| Change::DeleteTask {
                id: *id,
                expect: Expect::Version(m.version),
            })
            .collect();
        let n = changes.len();
        self.apply(
            Change::Batch(changes),
            After::Marked(format!(
                "deleted {} ({} undoes)",
                crate::text::count(n, "task", "tasks"),
                self.key(Context::Panes, Action::Undo)
            )),
        );
    }

    /// `A`: choose who the targets go to.
    pub(super) fn open_assign(&mut self) -> Mode {
        if self.targets().is_empty() {
            return Mode::Browse;
        }
        self.message = None;
        Mode::Assign(Box::new(Picker::new(self.choices(), true)))
    }

    pub(super) fn on_assign(&mut self, mut picker: Box<Picker>, action: Action) -> Mode {
        match action {
            Action::Yes | Action::Submit => {
                let Some(chosen) = picker.chosen() else {
                    return Mode::Assign(picker);
                };
                let to = chosen.map(|c| (c.id, c.username.clone()));
                let name = to.as_ref().map_or(NOBODY.to_string(), |(_, n)| n.clone());
                let id = to.map(|(id, _)| id);
                self.change_targets(
                    |_, m| {
                        (m.assignee != id).then(|| TaskChanges {
                            assignee: Some(id),
                            ..TaskChanges::default()
                        })
                    },
                    |what| match (what, id) {
                        (Ok(title), Some(_)) => format!("“{title}” is assigned to {name}"),
                        (Ok(title), None) => format!("“{title}” is unassigned"),
                        (Err(n), Some(_)) => format!("{n} tasks are assigned to {name}"),
                        (Err(n), None) => format!("{n} tasks are unassigned"),
                    },
                    &format!("already assigned to {name}"),
                );
                Mode::Browse
            }
            Action::Cancel => {
                self.inform("nothing was changed");
                Mode::Browse
            }
            other => {
                picker.act(&other);
                Mode::Assign(picker)
            }
        }
    }
}
