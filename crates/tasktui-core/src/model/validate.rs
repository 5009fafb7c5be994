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

/// Every problem of a user's fields, each field checked on its own (a form shows them all).
pub fn user_problems(username: &str, full_name: &str, email: &str) -> Vec<ValidationError> {
    [
        validate_username(username).err(),
        single_line(Field::FullName, "full name", full_name, FULL_NAME_MAX).err(),
        validate_email(email).err(),
    ]
    .into_iter()
    .flatten()
    .collect()
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

/// The words a due date can be typed in, for messages and the prompt.
pub const DUE_WORDS: &str = "2026-12-01, today, tomorrow, fri, next friday, dec 24, +3d, -1d, +2w, +1m, in 2 weeks, eow, eom or next week";

/// Parses what a person types for a due date, relative to `today`: an ISO date; `today`,
/// `tomorrow`, `yesterday`; a weekday (`fri`, `next friday`: the coming one, never today);
/// `next week` (Monday), `next month` (the 1st); a day of a month (`dec 24`, `24 december`: the
/// next one to come); an offset (`+3d`, `-1d`, `+2w`, `+1m`, `+1y`, `in 2 weeks`, `3 days
/// ago`); taskwarrior's ends and starts (`eod`, `eow`, `eom`, `eoy`, `sow`, `som`, `soy`).
/// Empty, `-` or `none` clears the date. Never panics, whatever the text.
pub fn parse_due(input: &str, today: NaiveDate) -> Result<Option<NaiveDate>, ValidationError> {
    let text = input.trim().to_lowercase();
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let invalid = || {
        ValidationError::new(
            Field::Due,
            format!("'{}' is not a date: use {DUE_WORDS}", input.trim()),
        )
    };
    if matches!(text.as_str(), "" | "-" | "none") {
        return Ok(None);
    }
    let date = due_date(&text, today).ok_or_else(invalid)?;
    if date.year() < 1000 || date.year() > 9999 {
        return Err(invalid());
    }
    Ok(Some(date))
}

/// The date `text` (lowercase, single spaces) names, if it names one.
fn due_date(text: &str, today: NaiveDate) -> Option<NaiveDate> {
    let after = |days: i64| shift_days(today, days);
    let weekday_from_monday = i64::from(today.weekday().num_days_from_monday());
    let first_of = |year: i32, month: u32| NaiveDate::from_ymd_opt(year, month, 1);
    let next_month = || {
        let (year, month) = if today.month() == 12 {
            (today.year().checked_add(1)?, 1)
        } else {
            (today.year(), today.month() + 1)
        };
        first_of(year, month)
    };
    Some(match text {
        "today" | "tod" | "eod" | "now" => today,
        "tomorrow" | "tom" => after(1)?,
        "yesterday" => after(-1)?,
        "next week" | "sow" => after(7 - weekday_from_monday)?,
        "eow" => after(6 - weekday_from_monday)?,
        "next month" | "som" => next_month()?,
        "eom" => next_month()?.pred_opt()?,
        "soy" | "next year" => NaiveDate::from_ymd_opt(today.year().checked_add(1)?, 1, 1)?,
        "eoy" => NaiveDate::from_ymd_opt(today.year(), 12, 31)?,
        _ => {
            let day = text
                .strip_prefix("next ")
                .or_else(|| text.strip_prefix("this "))
                .unwrap_or(text);
            if let Some(day) = parse_weekday(day) {
                let ahead = (i64::from(day.num_days_from_monday()) + 7 - weekday_from_monday) % 7;
                return after(if ahead == 0 { 7 } else { ahead });
            }
            if let Some(date) = offset(text, today) {
                return Some(date);
            }
            if let Some(date) = day_of_month(text, today) {
                return Some(date);
            }
            if text.get(4..5) == Some("-") && text.get(7..8) == Some("-") && text.len() == 10 {
                return NaiveDate::parse_from_str(text, "%Y-%m-%d").ok();
            }
            return None;
        }
    })
}

/// `today` moved by `days`, when that is a date.
fn shift_days(today: NaiveDate, days: i64) -> Option<NaiveDate> {
    if days.unsigned_abs() > 36_500 {
        return None;
    }
    let by = Days::new(days.unsigned_abs());
    if days < 0 {
        today.checked_sub_days(by)
    } else {
        today.checked_add_days(by)
    }
}

/// `+3d`, `-1d`, `+2w`, `+1m`, `+1y`, `in 2 weeks`, `3 days ago`, `2 weeks`.
fn offset(text: &str, today: NaiveDate) -> Option<NaiveDate> {
    let (sign, rest) = if let Some(rest) = text.strip_prefix('+') {
        (1, rest.to_string())
    } else if let Some(rest) = text.strip_prefix('-') {
        (-1, rest.to_string())
    } else if let Some(rest) = text.strip_prefix("in ") {
        (1, rest.to_string())
    } else if let Some(rest) = text.strip_suffix(" ago") {
        (-1, rest.to_string())
    } else {
        (1, text.to_string())
    };
    let rest = rest.replace(' ', "");
    let split = rest.find(|c: char| !c.is_ascii_digit())?;
    let (count, unit) = rest.split_at(split);
    let count: i64 = if count.is_empty() {
        // `in a week`, `a month ago`: the article is the count (a bare `d` or `+d` is no date).
        if !unit.starts_with('a') {
            return None;
        }
        1
    } else {
        count.parse().ok()?
    };
    if count > 36_500 {
        return None;
    }
    let count = count * sign;
    match unit.trim_start_matches('a') {
        "d" | "day" | "days" => shift_days(today, count),
        "w" | "wk" | "wks" | "week" | "weeks" => shift_days(today, count.checked_mul(7)?),
        "m" | "mo" | "month" | "months" => shift_months(today, count),
        "y" | "yr" | "year" | "years" => shift_months(today, count.checked_mul(12)?),
        _ => None,
    }
}

/// `today` moved by whole months, on the same day or the month's last when it is shorter.
fn shift_months(today: NaiveDate, months: i64) -> Option<NaiveDate> {
    let by = chrono::Months::new(u32::try_from(months.unsigned_abs()).ok()?);
    if months < 0 {
        today.checked_sub_months(by)
    } else {
        today.checked_add_months(by)
    }
}

/// `dec 24`, `24 dec`, `december 24`, `24 december`, `dec 24 2027`: the next such day to come
/// (today counts), or in the year given.
fn day_of_month(text: &str, today: NaiveDate) -> Option<NaiveDate> {
    let words: Vec<&str> = text.split(' ').collect();
    let (month, day, year) = match words.as_slice() {
        [a, b] => match (parse_month(a), parse_month(b)) {
            (Some(month), None) => (month, b.parse::<u32>().ok()?, None),
            (None, Some(month)) => (month, a.parse::<u32>().ok()?, None),
            _ => return None,
        },
        [a, b, y] => match (parse_month(a), parse_month(b)) {
            (Some(month), None) => (month, b.parse::<u32>().ok()?, Some(y.parse::<i32>().ok()?)),
            (None, Some(month)) => (month, a.parse::<u32>().ok()?, Some(y.parse::<i32>().ok()?)),
            _ => return None,
        },
        _ => return None,
    };
    if let Some(year) = year {
        return NaiveDate::from_ymd_opt(year, month, day);
    }
    let this_year = NaiveDate::from_ymd_opt(today.year(), month, day);
    match this_year {
        Some(date) if date >= today => Some(date),
        _ => NaiveDate::from_ymd_opt(today.year().checked_add(1)?, month, day),
    }
}

fn parse_month(text: &str) -> Option<u32> {
    const MONTHS: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    if text.len() < 3 {
        return None;
    }
    let at = MONTHS
        .iter()
        .position(|m| m.starts_with(text) || (text == "sept" && *m == "september"))?;
    u32::try_from(at + 1).ok()
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
