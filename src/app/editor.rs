//! `E`: the selected task's description in the person's own editor. The App asks for it; the
//! loop suspends the interface, runs the editor and hands back what it left.

use super::{After, App, Editing, Effect};
use crate::model::{Change, Expect, TaskChanges, validate_description};

impl App {
    pub(super) fn edit_description(&mut self) {
        let Some(editing) = self.selected_task().map(|task| Editing {
            id: task.id,
            version: task.version,
            title: task.title.clone(),
            text: task.description.clone(),
        }) else {
            return;
        };
        self.message = None;
        self.pending.push(Effect::Edit(editing));
    }

    /// What the editor left: `Err` says why there is nothing (the editor failed). An unchanged
    /// text changes nothing; a changed one is saved as one change, to the task as it was seen.
    pub fn edited(&mut self, editing: Editing, outcome: Result<String, String>) -> Vec<Effect> {
        let text = match outcome {
            Ok(text) => text,
            Err(why) => {
                self.error(format!(
                    "{why}; the description of “{}” was not changed",
                    editing.title
                ));
                return Vec::new();
            }
        };
        // The text as it would be saved (line ends made plain, trailing space gone), so the line
        // break an editor adds at the end is no change.
        match validate_description(&text) {
            Ok(description) if description == editing.text => self.inform(format!(
                "the description of “{}” is unchanged; nothing was saved",
                editing.title
            )),
            Ok(description) => self.apply(
                Change::UpdateTask {
                    id: editing.id,
                    expect: Expect::Version(editing.version),
                    changes: TaskChanges {
                        description: Some(description),
                        ..TaskChanges::default()
                    },
                },
                After::Say(format!("saved the description of “{}”", editing.title)),
            ),
            Err(error) => {
                self.error(format!("{}; nothing was saved", error.message));
            }
        }
        std::mem::take(&mut self.pending)
    }
}
