//! How values look in a row, the same on both backends: a due date as text, the tag names a
//! query joins with spaces, a tag as the prefix of a LIKE pattern.

pub fn due_text(due: Option<chrono::NaiveDate>) -> Option<String> {
    due.map(|d| d.format("%Y-%m-%d").to_string())
}

/// Tag names from `TAGS_OF_T`.
pub fn split_tags(joined: Option<String>) -> Vec<String> {
    joined
        .map(|j| {
            j.split(' ')
                .filter(|n| !n.is_empty())
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

/// `text` for a LIKE pattern: its own `%`, `_` and `\\` match only themselves.
pub fn like_escaped(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}
