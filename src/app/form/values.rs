//! What a form holds, read back: its values validated (every problem at once where a save is
//! refused), what changed since it opened, and the problems shown beside their fields.

use super::{Form, Input, matching, text_of};
use crate::model::{
    Field, Priority, Status, TaskChanges, TaskFields, UserChanges, UserFields, ValidationError,
    parse_due, parse_tags, validate_description, validate_title, validate_user,
};
use chrono::NaiveDate;

impl Form {
    pub(super) fn remember_opened(mut self) -> Form {
        self.opened = (0..self.fields.len()).map(|i| self.value(i)).collect();
        self
    }

    /// What a field holds, to tell whether the person changed it: the text typed, the option
    /// chosen, the user chosen (not the narrowing query).
    fn value(&self, index: usize) -> String {
        match &self.fields[index].input {
            Input::Assignee { selected, .. } => format!("{selected:?}"),
            _ => self.text(index),
        }
    }

    /// Whether anything differs from what the form opened with.
    pub fn is_changed(&self) -> bool {
        (0..self.fields.len()).any(|index| self.changed(index))
    }

    fn changed(&self, index: usize) -> bool {
        self.opened.get(index) != Some(&self.value(index))
    }

    /// The user form's values, validated, keeping only the fields the person changed.
    pub fn user_changes(&self) -> Result<UserChanges, ValidationError> {
        let fields = self.user_fields()?;
        Ok(UserChanges {
            username: self.changed(0).then_some(fields.username),
            full_name: self.changed(1).then_some(fields.full_name),
            email: self.changed(2).then_some(fields.email),
        })
    }

    /// The task form's values, validated, keeping only the fields the person changed.
    pub fn task_changes(&self, today: NaiveDate) -> Result<TaskChanges, ValidationError> {
        let fields = self.task_fields(today)?;
        Ok(TaskChanges {
            title: self.changed(0).then_some(fields.title),
            description: self.changed(1).then_some(fields.description),
            status: self.changed(2).then_some(fields.status),
            priority: self.changed(3).then_some(fields.priority),
            due: self.changed(4).then_some(fields.due),
            assignee: self.changed(5).then_some(fields.assignee),
            tags: self.changed(6).then_some(fields.tags),
        })
    }

    /// The user form's values, validated.
    pub fn user_fields(&self) -> Result<UserFields, ValidationError> {
        validate_user(&self.text(0), &self.text(1), &self.text(2))
    }

    /// The task form's values, validated against today's date.
    pub fn task_fields(&self, today: NaiveDate) -> Result<TaskFields, ValidationError> {
        let option = |index: usize| match &self.fields[index].input {
            Input::Options { selected, .. } => *selected,
            _ => 0,
        };
        if let Some(unmatched) = self.unmatched_assignee() {
            return Err(unmatched);
        }
        let assignee = match &self.fields[5].input {
            Input::Assignee { selected, .. } => *selected,
            _ => None,
        };
        Ok(TaskFields {
            title: validate_title(&self.text(0))?,
            description: validate_description(&self.text(1))?,
            status: Status::ALL[option(2).min(2)],
            priority: Priority::ALL[option(3).min(3)],
            due: parse_due(&self.text(4), today)?,
            assignee,
            tags: parse_tags(&self.text(6))?,
        })
    }

    /// Everything typed into a text field.
    pub fn text(&self, index: usize) -> String {
        match &self.fields[index].input {
            Input::Line(area) | Input::Lines(area) | Input::Tags { area, .. } => text_of(area),
            Input::Assignee { query, .. } => text_of(query),
            Input::Options { options, selected } => options[*selected].to_string(),
        }
    }

    /// Shows a validation error beside its field and moves the focus there.
    pub fn show_error(&mut self, error: ValidationError) {
        self.show_errors(vec![error]);
    }

    /// Shows every problem beside its field at once, and moves the focus to the first.
    pub fn show_errors(&mut self, errors: Vec<ValidationError>) {
        self.errors = errors
            .into_iter()
            .map(|error| {
                let index = self
                    .fields
                    .iter()
                    .position(|f| f.field == Some(error.field));
                (index, error.message)
            })
            .collect();
        if let Some((Some(index), _)) = self.errors.first() {
            self.focus = *index;
        }
    }

    /// A word at the foot of the form, in place of any other there.
    pub fn say_at_foot(&mut self, text: String) {
        self.errors.retain(|(field, _)| field.is_some());
        self.errors.push((None, text));
    }

    /// Every problem of the form's fields, each checked on its own: what a refused save shows.
    pub fn problems(&self, today: NaiveDate) -> Vec<ValidationError> {
        if self.is_user_form() {
            return crate::model::user_problems(&self.text(0), &self.text(1), &self.text(2));
        }
        [
            validate_title(&self.text(0)).err(),
            validate_description(&self.text(1)).err(),
            parse_due(&self.text(4), today).err(),
            self.unmatched_assignee(),
            parse_tags(&self.text(6)).err(),
        ]
        .into_iter()
        .flatten()
        .collect()
    }

    /// The assignee search, when it matches nobody: refused, as nobody is chosen by it.
    fn unmatched_assignee(&self) -> Option<ValidationError> {
        let Input::Assignee { query, users, .. } = &self.fields[5].input else {
            return None;
        };
        let typed = text_of(query);
        (!typed.trim().is_empty() && matching(users, &typed).is_empty()).then(|| ValidationError {
            field: Field::Assignee,
            message: format!(
                "no user matches '{}': Ctrl-u clears the search, ←/→ choose",
                typed.trim()
            ),
        })
    }
}
