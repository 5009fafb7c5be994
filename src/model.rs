//! Users, tasks and their fields; the validation of what a person types into a form.
// Parsers of typed text must not panic on any input: no indexing or byte slicing here.
#![deny(clippy::indexing_slicing, clippy::string_slice, clippy::panic)]

use chrono::{Datelike, Days, NaiveDate, Weekday};
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UserId(pub i64);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TaskId(pub i64);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Status {
    #[default]
    Todo,
    Doing,
    Done,
}

impl Status {
    pub const ALL: [Status; 3] = [Status::Todo, Status::Doing, Status::Done];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Todo => "todo",
            Status::Doing => "doing",
            Status::Done => "done",
        }
    }

    /// Reads the stored value; anything unknown (written by another tool) counts as todo.
    pub fn from_db(text: &str) -> Status {
        match text {
            "doing" => Status::Doing,
            "done" => Status::Done,
            _ => Status::Todo,
        }
    }

    /// todo → doing → done → todo
    pub fn next(self) -> Status {
        match self {
            Status::Todo => Status::Doing,
            Status::Doing => Status::Done,
            Status::Done => Status::Todo,
        }
    }

    pub fn is_open(self) -> bool {
        self != Status::Done
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
pub enum Priority {
    #[default]
    None = 0,
    Low = 1,
    Medium = 2,
    High = 3,
}

impl Priority {
    pub const ALL: [Priority; 4] = [
        Priority::None,
        Priority::Low,
        Priority::Medium,
        Priority::High,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Priority::None => "none",
            Priority::Low => "low",
            Priority::Medium => "medium",
            Priority::High => "high",
        }
    }

    pub fn as_db(self) -> i64 {
        self as i64
    }

    /// Reads the stored number, clamping anything out of range written by another tool.
    pub fn from_db(value: i64) -> Priority {
        match value {
            i64::MIN..=0 => Priority::None,
            1 => Priority::Low,
            2 => Priority::Medium,
            _ => Priority::High,
        }
    }
}

impl fmt::Display for Priority {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: UserId,
    pub username: String,
    pub full_name: String,
    pub email: Option<String>,
    pub created_at: String,
    /// The row version this copy was read at; an update or a delete must name it.
    pub version: i64,
}

/// A user with the counts the Users pane shows beside the name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserSummary {
    pub user: User,
    pub open_tasks: u64,
    pub overdue_tasks: u64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Task {
    pub id: TaskId,
    pub title: String,
    pub description: String,
    pub status: Status,
    pub priority: Priority,
    /// `None` when not set, or when another tool stored something that is not a date.
    pub due: Option<NaiveDate>,
    pub assignee: Option<UserId>,
    pub assignee_name: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    pub completed_at: Option<String>,
    /// The row version this copy was read at; an update must name it.
    pub version: i64,
}

impl Task {
    /// Who the task is assigned to, as shown: the username, or the missing user's id when the
    /// row points at a user that no longer exists (written with foreign keys off), so that what
    /// is shown is what a save keeps.
    pub fn assignee_label(&self) -> Option<String> {
        match (self.assignee, &self.assignee_name) {
            (_, Some(name)) => Some(name.clone()),
            (Some(id), None) => Some(missing_user(id)),
            (None, None) => None,
        }
    }
}

/// How a user id that points at no user is shown.
pub fn missing_user(id: UserId) -> String {
    format!("missing user #{}", id.0)
}

/// The fields a form edits, validated and ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserFields {
    pub username: String,
    pub full_name: String,
    pub email: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskFields {
    pub title: String,
    pub description: String,
    pub status: Status,
    pub priority: Priority,
    pub due: Option<NaiveDate>,
    pub assignee: Option<UserId>,
}

impl TaskFields {
    /// A todo task with only a title, for code and tests that need one quickly.
    pub fn titled(title: &str) -> TaskFields {
        TaskFields {
            title: title.to_string(),
            description: String::new(),
            status: Status::Todo,
            priority: Priority::None,
            due: None,
            assignee: None,
        }
    }
}

/// The fields of an edit that the person changed: `None` leaves the stored value exactly as it
/// is (a title another tool wrote in invalid UTF-8 stays byte for byte when only the priority
/// changes).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TaskChanges {
    pub title: Option<String>,
    pub description: Option<String>,
    pub status: Option<Status>,
    pub priority: Option<Priority>,
    pub due: Option<Option<NaiveDate>>,
    pub assignee: Option<Option<UserId>>,
}

impl From<TaskFields> for TaskChanges {
    /// Every field set: an edit that replaces all of them.
    fn from(fields: TaskFields) -> TaskChanges {
        TaskChanges {
            title: Some(fields.title),
            description: Some(fields.description),
            status: Some(fields.status),
            priority: Some(fields.priority),
            due: Some(fields.due),
            assignee: Some(fields.assignee),
        }
    }
}

/// The user fields an edit changed; `None` leaves the stored value as it is.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct UserChanges {
    pub username: Option<String>,
    pub full_name: Option<String>,
    pub email: Option<Option<String>>,
}

impl From<UserFields> for UserChanges {
    fn from(fields: UserFields) -> UserChanges {
        UserChanges {
            username: Some(fields.username),
            full_name: Some(fields.full_name),
            email: Some(fields.email),
        }
    }
}

/// The form field a validation error belongs to, so the form can show it beside that field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Username,
    FullName,
    Email,
    Title,
    Description,
    Due,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct ValidationError {
    pub field: Field,
    pub message: String,
}

impl ValidationError {
    fn new(field: Field, message: impl Into<String>) -> ValidationError {
        ValidationError {
            field,
            message: message.into(),
        }
    }
}

pub const USERNAME_MAX: usize = 32;
pub const FULL_NAME_MAX: usize = 100;
pub const EMAIL_MAX: usize = 254;
pub const TITLE_MAX: usize = 200;
pub const DESCRIPTION_MAX: usize = 10_000;

/// Text for a one-line field: pasted tabs and line breaks become spaces, the ends are trimmed,
/// and any other control character is refused.
fn single_line(
    field: Field,
    label: &str,
    input: &str,
    max: usize,
) -> Result<String, ValidationError> {
    let text: String = input
        .chars()
        .map(|c| {
            if matches!(c, '\t' | '\n' | '\r') {
                ' '
            } else {
                c
            }
        })
        .collect();
    let text = text.trim();
    if text.chars().any(char::is_control) {
        return Err(ValidationError::new(
            field,
            format!("{label} cannot contain control characters"),
        ));
    }
    let length = text.chars().count();
    if length > max {
        return Err(ValidationError::new(
            field,
            format!("{label} is {length} characters long; the limit is {max}"),
        ));
    }
    Ok(text.to_string())
}

pub fn validate_username(input: &str) -> Result<String, ValidationError> {
    let name = single_line(Field::Username, "username", input, USERNAME_MAX)?;
    if name.is_empty() {
        return Err(ValidationError::new(
            Field::Username,
            "username is required",
        ));
    }
    if !name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
    {
        return Err(ValidationError::new(
            Field::Username,
            "username may hold only letters a-z, digits, '.', '_' and '-'",
        ));
    }
    if !name.starts_with(|c: char| c.is_ascii_alphanumeric()) {
        return Err(ValidationError::new(
            Field::Username,
            "username must start with a letter or a digit",
        ));
    }
    Ok(name)
}

/// An empty email means none.
pub fn validate_email(input: &str) -> Result<Option<String>, ValidationError> {
    let email = single_line(Field::Email, "email", input, EMAIL_MAX)?;
    if email.is_empty() {
        return Ok(None);
    }
    // A zero-width or direction character makes a look-alike of another address.
    if let Some(c) = email.chars().find(|c| crate::text::is_invisible(*c)) {
        return Err(ValidationError::new(
            Field::Email,
            format!(
                "email cannot contain invisible formatting characters (it holds U+{:04X}); type the address again",
                u32::from(c)
            ),
        ));
    }
    let shape_ok = match email.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.contains('@')
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !domain.contains("..")
                && !email.contains(char::is_whitespace)
        }
        None => false,
    };
    if shape_ok {
        Ok(Some(email))
    } else {
        Err(ValidationError::new(
            Field::Email,
            format!("'{email}' is not an email address (like name@example.com)"),
        ))
    }
}

pub fn validate_user(
    username: &str,
    full_name: &str,
    email: &str,
) -> Result<UserFields, ValidationError> {
    Ok(UserFields {
        username: validate_username(username)?,
        full_name: single_line(Field::FullName, "full name", full_name, FULL_NAME_MAX)?,
        email: validate_email(email)?,
    })
}

pub fn validate_title(input: &str) -> Result<String, ValidationError> {
    let title = single_line(Field::Title, "title", input, TITLE_MAX)?;
    if title.is_empty() {
        return Err(ValidationError::new(Field::Title, "title is required"));
    }
    Ok(title)
}

/// Multi-line text: line breaks and tabs are kept, Windows line ends become `\n`, trailing
/// blank space is trimmed, other control characters are refused.
pub fn validate_description(input: &str) -> Result<String, ValidationError> {
    let text = input.replace("\r\n", "\n").replace('\r', "\n");
    let text = text.trim_end();
    if text
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t')
    {
        return Err(ValidationError::new(
            Field::Description,
            "description cannot contain control characters",
        ));
    }
    let length = text.chars().count();
    if length > DESCRIPTION_MAX {
        return Err(ValidationError::new(
            Field::Description,
            format!("description is {length} characters long; the limit is {DESCRIPTION_MAX}"),
        ));
    }
    Ok(text.to_string())
}

/// Parses a due date: empty (none), an ISO date (`2026-12-01`), `today`, `tomorrow`,
/// `yesterday`, a weekday (`fri`, `friday`: the next one after today), `+3d`, `+2w`,
/// or `next week` (Monday of next week).
pub fn parse_due(input: &str, today: NaiveDate) -> Result<Option<NaiveDate>, ValidationError> {
    let text = input.trim().to_lowercase();
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let invalid = || {
        ValidationError::new(
            Field::Due,
            format!(
                "'{}' is not a date: use 2026-12-01, today, tomorrow, fri, +3d, +2w or next week",
                input.trim()
            ),
        )
    };
    let after = |days: u64| today.checked_add_days(Days::new(days)).ok_or_else(invalid);
    let date = match text.as_str() {
        "" | "-" | "none" => return Ok(None),
        "today" | "tod" => today,
        "tomorrow" | "tom" => after(1)?,
        "yesterday" => today.checked_sub_days(Days::new(1)).ok_or_else(invalid)?,
        "next week" => {
            let to_monday = 7 - u64::from(today.weekday().num_days_from_monday());
            after(to_monday)?
        }
        _ => {
            if let Some(day) = parse_weekday(&text) {
                let ahead =
                    (day.num_days_from_monday() + 7 - today.weekday().num_days_from_monday()) % 7;
                after(if ahead == 0 { 7 } else { u64::from(ahead) })?
            } else if let Some(offset) = text.strip_prefix('+') {
                // The unit is a whole character stripped from the end, never a byte index.
                let (count, per_unit) = match (offset.strip_suffix('d'), offset.strip_suffix('w')) {
                    (Some(count), _) => (count, 1),
                    (_, Some(count)) => (count, 7),
                    _ => return Err(invalid()),
                };
                let count: u64 = count.parse().map_err(|_| invalid())?;
                let days = count.checked_mul(per_unit).ok_or_else(invalid)?;
                if days > 36_500 {
                    return Err(invalid());
                }
                after(days)?
            } else if text.get(4..5) == Some("-") && text.get(7..8) == Some("-") && text.len() == 10
            {
                NaiveDate::parse_from_str(&text, "%Y-%m-%d").map_err(|_| invalid())?
            } else {
                return Err(invalid());
            }
        }
    };
    if date.year() < 1000 || date.year() > 9999 {
        return Err(invalid());
    }
    Ok(Some(date))
}

fn parse_weekday(text: &str) -> Option<Weekday> {
    Some(match text {
        "mon" | "monday" => Weekday::Mon,
        "tue" | "tues" | "tuesday" => Weekday::Tue,
        "wed" | "weds" | "wednesday" => Weekday::Wed,
        "thu" | "thur" | "thurs" | "thursday" => Weekday::Thu,
        "fri" | "friday" => Weekday::Fri,
        "sat" | "saturday" => Weekday::Sat,
        "sun" | "sunday" => Weekday::Sun,
        _ => return None,
    })
}

#[cfg(test)]
mod tests;
