//! The validation of what a person types into a form: names, emails, titles, descriptions and
//! due dates in everyday words.
// Parsers of typed text must not panic on any input: no indexing or byte slicing here.
#![deny(clippy::indexing_slicing, clippy::string_slice, clippy::panic)]

use super::UserFields;
use chrono::{Datelike, Days, NaiveDate, Weekday};

/// The form field a validation error belongs to, so the form can show it beside that field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Username,
    FullName,
    Email,
    Title,
    Description,
    Due,
    Assignee,
    Tags,
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
/// The longest tag name.
pub const TAG_MAX: usize = 40;

/// Space-separated tag names (a leading `#` is allowed and dropped): letters, digits, `-`, `_`
/// and `/` between parts (`area/backend`). Each once, without regard to case, the first
/// spelling kept, in the order typed.
pub fn parse_tags(input: &str) -> Result<Vec<String>, ValidationError> {
    let mut tags: Vec<String> = Vec::new();
    for word in input.split_whitespace() {
        let name = word.strip_prefix('#').unwrap_or(word);
        check_tag(name)?;
        if !tags.iter().any(|t| t.to_lowercase() == name.to_lowercase()) {
            tags.push(name.to_string());
        }
    }
    Ok(tags)
}

/// Whether `name` is a tag name, and if not, why.
pub fn check_tag(name: &str) -> Result<(), ValidationError> {
    let fail = |why: String| Err(ValidationError::new(Field::Tags, why));
    let shown: String = name
        .chars()
        .filter(|c| !c.is_control())
        .take(TAG_MAX)
        .collect();
    if name.is_empty() {
        return fail("a tag needs a name after #".into());
    }
    if name.chars().count() > TAG_MAX {
        return fail(format!(
            "tag “{shown}…” is longer than {TAG_MAX} characters"
        ));
    }
    if let Some(bad) = name
        .chars()
        .find(|c| !(c.is_alphanumeric() || matches!(c, '-' | '_' | '/')))
    {
        return fail(format!(
            "tag “{shown}” cannot hold “{}”: use letters, digits, -, _ and / (area/backend)",
            bad.escape_default()
        ));
    }
    if name.starts_with('/') || name.ends_with('/') || name.contains("//") {
        return fail(format!(
            "tag “{shown}”: / goes between two parts, as in area/backend"
        ));
    }
    Ok(())
}

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
