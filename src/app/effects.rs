//! What `App::update` asks the loop to do: apply a change (or undo or redo one), suspend, run
//! the editor, quit. The App decides; the loop performs; the outcome comes back to the App.

use super::{App, Message, Mode};
use crate::commands::failure::said;
use crate::error::StoreError;
use crate::model::{Change, TaskId};
use crate::seam::Applied;

/// How many times a write that found the database busy is tried before the person is told:
/// about a second in all, the store waiting 0.3 s each time.
const BUSY_TRIES: usize = 4;

/// One thing for the loop to carry out.
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub enum Effect {
    /// A write to the database, and what to show after it.
    Write(Write),
    /// Give the terminal back to the shell until `fg`.
    Suspend,
    /// Open a task's description in the person's editor, then `App::edited`.
    Edit(Editing),
    Quit,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Write {
    pub op: Op,
    pub after: After,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Op {
    Apply(Box<Change>),
    Undo,
    Redo,
}

/// What the person sees once a write succeeded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum After {
    /// A message in the status bar.
    Say(String),
    /// The marks were acted on: clear them, then say this.
    Marked(String),
    /// A user was deleted and this many of their tasks handed on: say so, with `to` (`None`:
    /// unassigned).
    Handed {
        username: String,
        to: Option<String>,
    },
    /// A form saved a task (the one made, or this one): close the form, select it.
    SavedTask { id: Option<TaskId>, title: String },
    /// A form saved a user: close the form, select them.
    SavedUser(String),
}

/// A description to edit outside: the task as the person saw it, and the text it had.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Editing {
    pub id: TaskId,
    pub version: i64,
    pub title: String,
    pub text: String,
}

impl App {
    /// Queues a write for the loop.
    pub(super) fn write(&mut self, op: Op, after: After) {
        self.pending.push(Effect::Write(Write { op, after }));
    }

    pub(super) fn apply(&mut self, change: Change, after: After) {
        self.write(Op::Apply(Box::new(change)), after);
    }

    /// Carries out the writes among `effects` and returns the rest (suspend, editor, quit),
    /// which only a terminal can carry out. Tests and benchmarks run the interface this way.
    pub fn settle(&mut self, effects: Vec<Effect>) -> Vec<Effect> {
        let mut rest = Vec::new();
        for effect in effects {
            match effect {
                Effect::Write(write) => self.perform(write),
                other => rest.push(other),
            }
        }
        rest
    }

    /// Carries out one write and shows its outcome.
    pub fn perform(&mut self, write: Write) {
        let attempt = |app: &Self| match &write.op {
            Op::Apply(change) => app.store.apply(change).map(Some),
            Op::Undo => app.store.undo().map(|s| s.map(summary_only)),
            Op::Redo => app.store.redo().map(|s| s.map(summary_only)),
        };
        // Another program's write holds the file for a moment: tried again (each try waits
        // the store's short busy time) before the person is told.
        let mut outcome = attempt(self);
        for _ in 1..BUSY_TRIES {
            if !matches!(outcome, Err(StoreError::Busy)) {
                break;
            }
            outcome = attempt(self);
        }
        self.refresh();
        match outcome {
            Ok(applied) => self.written(&write, applied),
            Err(error) => self.refused(&write, &error),
        }
    }

    fn written(&mut self, write: &Write, applied: Option<Applied>) {
        let Some(applied) = applied else {
            self.inform(match write.op {
                Op::Redo => "nothing to redo",
                _ => "nothing to undo",
            });
            return;
        };
        match (&write.op, &write.after) {
            (Op::Undo, _) => self.inform(format!("undid: {}", applied.summary)),
            (Op::Redo, _) => self.inform(format!("redid: {}", applied.summary)),
            (_, After::Say(text)) => self.inform(text.clone()),
            (_, After::Marked(text)) => {
                self.marks.clear();
                self.inform(text.clone());
            }
            (_, After::Handed { username, to }) => {
                let n = applied.moved;
                let tasks = if n == 1 {
                    "their task".to_string()
                } else {
                    format!("their {}", crate::text::count(n, "task", "tasks"))
                };
                let fate = match (to, n) {
                    (Some(name), _) => format!("went to {name}"),
                    (None, 1) => "is now unassigned".into(),
                    (None, _) => "are now unassigned".into(),
                };
                self.inform(format!("deleted user {username}; {tasks} {fate}"));
            }
            (_, After::SavedTask { id, title }) => {
                self.mode = Mode::Browse;
                let made = applied.created.map(TaskId);
                if let Some(id) = made.or(*id) {
                    self.select_task(id);
                }
                self.inform(format!("saved “{title}”"));
            }
            (_, After::SavedUser(name)) => {
                self.mode = Mode::Browse;
                if let Some(index) = self.users.iter().position(|u| &u.user.username == name) {
                    self.select_user_entry(index + super::FIXED_ENTRIES);
                }
                self.inform(format!("saved user {name}"));
            }
        }
    }

    /// A refused write: a form keeps what was typed and shows why; elsewhere the status bar.
    fn refused(&mut self, write: &Write, error: &StoreError) {
        tracing::error!(cause = ?error, "refused: {error}");
        if let Mode::Form(form) = &mut self.mode {
            self.message = None;
            match error {
                StoreError::Invalid(invalid) => form.show_error(invalid.clone()),
                other => form.say_at_foot(said(other)),
            }
            return;
        }
        let text = match write.op {
            Op::Undo => format!("cannot undo: {}", said(error)),
            Op::Redo => format!("cannot redo: {}", said(error)),
            Op::Apply(_) => said(error),
        };
        self.message = Some(Message {
            text,
            is_error: true,
        });
    }
}

fn summary_only(summary: String) -> Applied {
    Applied {
        created: None,
        moved: 0,
        summary,
    }
}
