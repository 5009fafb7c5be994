//! Edits of one key or one line: status, priority and the due date prompt. Each acts on the
//! marked tasks (else the selected one) and is one `Change`, so one step of undo.

use super::{App, Mode};
use crate::model::{Status, TaskChanges, TaskId};
use ratatui_textarea::TextArea;

impl App {
    /// Sets the targets' due date from the prompt. A text that is not a date keeps the prompt
    /// open with the way out.
    pub(super) fn set_due(&mut self, line: Box<TextArea<'static>>) -> Mode {
        let typed = line.lines().join("");
        let due = match crate::model::parse_due(&typed, self.store.clock().today()) {
            Ok(due) => due,
            Err(error) => {
                self.error(error.message);
                return Mode::Due(line);
            }
        };
        let when = due.map(|d| d.format("%a %-d %b %Y").to_string());
        self.change_targets(
            |_, _| {
                Some(TaskChanges {
                    due: Some(due),
                    ..TaskChanges::default()
                })
            },
            |what| match (what, &when) {
                (Ok(title), Some(date)) => format!("“{title}” is due {date}"),
                (Ok(title), None) => format!("“{title}” no longer has a due date"),
                (Err(n), Some(date)) => format!("{n} tasks are due {date}"),
                (Err(n), None) => format!("{n} tasks no longer have a due date"),
            },
            "nothing to change",
        );
        Mode::Browse
    }

    /// Raises or lowers the targets' priority by one step; those already at the end stay.
    pub(super) fn step_priority(&mut self, up: bool) {
        let limit = if up { "high" } else { "none" };
        let single = self
            .targets()
            .first()
            .map(|(_, m)| m.priority.step(up).to_string())
            .unwrap_or_default();
        self.change_targets(
            |_, m| {
                let to = m.priority.step(up);
                (to != m.priority).then(|| TaskChanges {
                    priority: Some(to),
                    ..TaskChanges::default()
                })
            },
            |what| match what {
                Ok(title) => format!("“{title}” is now {single} priority"),
                Err(n) => format!(
                    "{n} tasks are a step {}",
                    if up { "higher" } else { "lower" }
                ),
            },
            &format!("the priority is already {limit}"),
        );
    }

    /// `x`: done, or back when every target is done already: to the status each had before
    /// `x` made it done here (a `doing` task is `doing` again), else to todo.
    pub(super) fn toggle_done(&mut self) {
        let targets = self.targets();
        let all_done = targets.iter().all(|(_, m)| m.status == Status::Done);
        if all_done {
            let back: std::collections::HashMap<TaskId, Status> = targets
                .iter()
                .map(|(id, _)| (*id, self.before_done.remove(id).unwrap_or(Status::Todo)))
                .collect();
            let uniform = back
                .values()
                .all(|s| *s == Status::Todo)
                .then_some(Status::Todo);
            self.set_status(
                |id, _| back.get(&id).copied().unwrap_or(Status::Todo),
                uniform,
            );
        } else {
            for (id, m) in &targets {
                if m.status != Status::Done {
                    self.before_done.insert(*id, m.status);
                }
            }
            self.set_status(|_, _| Status::Done, Some(Status::Done));
        }
    }

    /// `s`: each target a step along todo → doing → done.
    pub(super) fn cycle_status(&mut self) {
        self.set_status(|_, status| status.next(), None);
    }

    /// Sets each target's status to `to` of its own; `uniform` when that is the same for all.
    fn set_status(&mut self, to: impl Fn(TaskId, Status) -> Status, uniform: Option<Status>) {
        let single = self.targets().first().map(|(id, m)| to(*id, m.status));
        self.change_targets(
            |id, m| {
                let status = to(id, m.status);
                (status != m.status).then_some(TaskChanges {
                    status: Some(status),
                    ..TaskChanges::default()
                })
            },
            |what| match what {
                Ok(title) => format!("“{title}” is {}", single.unwrap_or_default()),
                Err(n) => match uniform {
                    Some(status) => format!("{n} tasks are {status}"),
                    None => format!("{n} tasks moved a step along todo → doing → done"),
                },
            },
            "nothing to change",
        );
    }
}
