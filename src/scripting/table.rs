//! `tasktui list`'s table: one task a line. At a terminal each line fits its width and, unless
//! `NO_COLOR` is set, its columns carry colour (status, priority, a late or due-today date,
//! tags); piped, the text is whole and plain. Every piece of text from the database is made safe
//! before it is measured or coloured.

use crate::model::{Priority, Status, Task};
use crate::text::clean;
use chrono::NaiveDate;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// How a piece of a line looks at a terminal with colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Look {
    Plain,
    Header,
    Muted,
    Doing,
    High,
    Late,
    Today,
    Tag,
}

impl Look {
    /// The SGR parameters that start it (none for plain text).
    fn sgr(self) -> Option<&'static str> {
        match self {
            Look::Plain => None,
            Look::Header => Some("1"),
            Look::Muted => Some("2"),
            Look::Doing => Some("33"),
            Look::High => Some("31"),
            Look::Late => Some("31;1"),
            Look::Today => Some("33;1"),
            Look::Tag => Some("36"),
        }
    }
}

/// Where the table goes: the terminal's width (`None` when piped) and whether to colour it.
#[derive(Debug, Clone, Copy)]
pub struct Shown {
    pub width: Option<usize>,
    pub colour: bool,
}

/// The table as text, coloured with SGR sequences when `shown.colour`.
pub fn render(tasks: &[Task], today: NaiveDate, shown: Shown) -> String {
    let header = format!(
        "{:>6}  {:<6} {:<6} {:<10} {:<12} {}",
        "id", "status", "pri", "due", "assignee", "title"
    );
    let mut lines = vec![vec![(header, Look::Header)]];
    for t in tasks {
        let mut pieces = vec![(format!("{:>6}  ", t.id.0), Look::Muted)];
        let status = match t.status {
            Status::Doing => Look::Doing,
            Status::Done => Look::Muted,
            Status::Todo => Look::Plain,
        };
        pieces.push((format!("{:<6} ", t.status.as_str()), status));
        let priority = match t.priority {
            Priority::High => Look::High,
            Priority::None => Look::Muted,
            _ => Look::Plain,
        };
        pieces.push((format!("{:<6} ", t.priority.as_str()), priority));
        let (due, look) = match t.due {
            Some(d) => {
                let look = if t.status == Status::Done {
                    Look::Muted
                } else if d < today {
                    Look::Late
                } else if d == today {
                    Look::Today
                } else {
                    Look::Plain
                };
                (crate::config::relative_due(d, today, t.status), look)
            }
            None => (String::new(), Look::Plain),
        };
        pieces.push((format!("{due:<10} "), look));
        let assignee = clean(&t.assignee_label().unwrap_or_default()).into_owned();
        pieces.push((
            format!("{:<12} ", crate::text::fit(&assignee, 12)),
            Look::Plain,
        ));
        pieces.push((clean(&t.title).into_owned(), Look::Plain));
        for tag in &t.tags {
            pieces.push((format!(" #{}", clean(tag)), Look::Tag));
        }
        lines.push(pieces);
    }
    let lines: Vec<String> = lines
        .into_iter()
        .map(|pieces| {
            let pieces = match shown.width {
                Some(width) => fit(pieces, width),
                None => pieces,
            };
            paint(&pieces, shown.colour)
        })
        .collect();
    lines.join("\n")
}

/// The pieces cut to `width` columns, an ellipsis where text was cut.
fn fit(pieces: Vec<(String, Look)>, width: usize) -> Vec<(String, Look)> {
    let total: usize = pieces.iter().map(|(text, _)| text.width()).sum();
    if total <= width || width == 0 {
        return if width == 0 { Vec::new() } else { pieces };
    }
    let budget = width - 1;
    let mut used = 0;
    let mut out = Vec::new();
    for (text, look) in pieces {
        let mut kept = String::new();
        for c in text.chars() {
            let w = c.width().unwrap_or(0);
            if used + w > budget {
                break;
            }
            kept.push(c);
            used += w;
        }
        let whole = kept.len() == text.len();
        out.push((kept, look));
        if !whole {
            out.push(("…".to_string(), look));
            break;
        }
    }
    out
}

/// The pieces as one line, each coloured when `colour`.
fn paint(pieces: &[(String, Look)], colour: bool) -> String {
    let mut line = String::new();
    for (text, look) in pieces {
        match look.sgr().filter(|_| colour && !text.is_empty()) {
            Some(sgr) => {
                // A trailing pad stays outside the colour (a coloured blank shows on some
                // terminals' backgrounds).
                let body = text.trim_end_matches(' ');
                line.push_str(&format!("\x1b[{sgr}m{body}\x1b[0m"));
                line.push_str(&text[body.len()..]);
            }
            None => line.push_str(text),
        }
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{TaskId, UserId};

    fn task(title: &str, status: Status, priority: Priority, due: Option<NaiveDate>) -> Task {
        Task {
            id: TaskId(7),
            title: title.into(),
            status,
            priority,
            due,
            assignee: Some(UserId(1)),
            assignee_name: Some("alice".into()),
            tags: vec!["backend".into()],
            description: String::new(),
            created_at: String::new(),
            updated_at: String::new(),
            completed_at: None,
            version: 1,
        }
    }

    /// The text without its SGR sequences (`ESC [ … m`), as a terminal shows it.
    fn without_sgr(text: &str) -> String {
        text.split('\x1b')
            .enumerate()
            .map(|(i, part)| {
                if i == 0 {
                    part
                } else {
                    &part[part.find('m').unwrap() + 1..]
                }
            })
            .collect()
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 25).unwrap()
    }

    #[test]
    fn plain_text_has_no_escape_sequences_and_coloured_text_only_tasktui_s() {
        let late = today().pred_opt();
        let tasks = [task(
            "Fix \x1b[31mlogin",
            Status::Doing,
            Priority::High,
            late,
        )];
        let plain = render(
            &tasks,
            today(),
            Shown {
                width: None,
                colour: false,
            },
        );
        assert!(!plain.contains('\x1b'), "{plain:?}");
        let shown_title = format!("Fix {}[31mlogin #backend", clean("\x1b"));
        assert!(plain.ends_with(&shown_title), "{plain}");
        let coloured = render(
            &tasks,
            today(),
            Shown {
                width: None,
                colour: true,
            },
        );
        for sgr in [
            "\x1b[1m    id  status",
            "\x1b[33mdoing\x1b[0m",
            "\x1b[31mhigh\x1b[0m",
            "\x1b[31;1m1d late",
            "\x1b[36m #backend\x1b[0m",
        ] {
            assert!(coloured.contains(sgr), "{sgr:?} in {coloured:?}");
        }
        // Without tasktui's colour codes, both say the same: the title's escape is shown made
        // safe, never passed on.
        assert_eq!(without_sgr(&coloured), plain);
    }

    #[test]
    fn a_narrow_terminal_cuts_each_line_to_its_width_with_an_ellipsis() {
        let tasks = [task(
            "A rather long title that will not fit",
            Status::Todo,
            Priority::Low,
            None,
        )];
        for colour in [false, true] {
            let text = render(
                &tasks,
                today(),
                Shown {
                    width: Some(60),
                    colour,
                },
            );
            for line in text.lines() {
                let visible = without_sgr(line);
                assert!(visible.width() <= 60, "{visible:?}");
            }
            assert!(
                text.lines().nth(1).unwrap().contains("A rather long…"),
                "{text}"
            );
        }
    }
}
