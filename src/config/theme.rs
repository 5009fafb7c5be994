//! Colours by what they mean, not by the widget that shows them; a dark and a light default.

use ratatui::style::Color;
use std::str::FromStr;

/// Every colour the interface draws with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    /// Focused borders, keys in hints, section titles, the text cursor.
    pub accent: Color,
    /// The background of the selected row and chosen option, and its text.
    pub selected: Color,
    pub selected_text: Color,
    /// What matters less: ids, hints, empty states, low priority.
    pub muted: Color,
    /// Error messages and the banner behind them.
    pub error: Color,
    /// Warnings (read-only, a refused write kept in the form).
    pub warning: Color,
    /// A due date that has passed.
    pub overdue: Color,
    /// A due date that is today.
    pub due_today: Color,
    /// Done tasks.
    pub done: Color,
    /// Tasks being worked on.
    pub doing: Color,
    /// High priority.
    pub high: Color,
}

impl Theme {
    pub const DARK: Theme = Theme {
        accent: Color::Cyan,
        selected: Color::Cyan,
        selected_text: Color::Black,
        muted: Color::DarkGray,
        error: Color::Red,
        warning: Color::Yellow,
        overdue: Color::Red,
        due_today: Color::Yellow,
        done: Color::DarkGray,
        doing: Color::Yellow,
        high: Color::Red,
    };

    /// For a light terminal background: no yellow (unreadable on white), darker accents.
    pub const LIGHT: Theme = Theme {
        accent: Color::Blue,
        selected: Color::Blue,
        selected_text: Color::White,
        muted: Color::DarkGray,
        error: Color::Red,
        warning: Color::Magenta,
        overdue: Color::Red,
        due_today: Color::Magenta,
        done: Color::DarkGray,
        doing: Color::Magenta,
        high: Color::Red,
    };

    /// The names the config file uses (`[theme]`), with what each colours.
    pub const ENTRIES: [(&'static str, &'static str); 11] = [
        (
            "accent",
            "focused borders, keys in hints, titles, the text cursor",
        ),
        (
            "selected",
            "the background of the selected row and chosen option",
        ),
        ("selected-text", "the text on it"),
        (
            "muted",
            "what matters less: ids, hints, empty states, low priority",
        ),
        ("error", "error messages and the banner behind them"),
        ("warning", "warnings"),
        ("overdue", "a due date that has passed"),
        ("due-today", "a due date that is today"),
        ("done", "done tasks"),
        ("doing", "tasks being worked on"),
        ("high", "high priority"),
    ];

    pub fn get(&self, name: &str) -> Option<Color> {
        let mut copy = *self;
        copy.slot_mut(name).map(|colour| *colour)
    }

    /// Sets the colour named `name`; `false` when there is no such entry.
    pub fn set(&mut self, name: &str, colour: Color) -> bool {
        match self.slot_mut(name) {
            Some(slot) => {
                *slot = colour;
                true
            }
            None => false,
        }
    }

    fn slot_mut(&mut self, name: &str) -> Option<&mut Color> {
        Some(match name {
            "accent" => &mut self.accent,
            "selected" => &mut self.selected,
            "selected-text" => &mut self.selected_text,
            "muted" => &mut self.muted,
            "error" => &mut self.error,
            "warning" => &mut self.warning,
            "overdue" => &mut self.overdue,
            "due-today" => &mut self.due_today,
            "done" => &mut self.done,
            "doing" => &mut self.doing,
            "high" => &mut self.high,
            _ => return None,
        })
    }
}

impl Default for Theme {
    fn default() -> Theme {
        Theme::DARK
    }
}

/// The colour names the config file takes, as ratatui reads them.
const NAMED: [(&str, Color); 17] = [
    ("reset", Color::Reset),
    ("black", Color::Black),
    ("red", Color::Red),
    ("green", Color::Green),
    ("yellow", Color::Yellow),
    ("blue", Color::Blue),
    ("magenta", Color::Magenta),
    ("cyan", Color::Cyan),
    ("gray", Color::Gray),
    ("dark-gray", Color::DarkGray),
    ("light-red", Color::LightRed),
    ("light-green", Color::LightGreen),
    ("light-yellow", Color::LightYellow),
    ("light-blue", Color::LightBlue),
    ("light-magenta", Color::LightMagenta),
    ("light-cyan", Color::LightCyan),
    ("white", Color::White),
];

/// A colour as written in the config file: a name (`red`, `dark-gray`), `#rrggbb`, or a number
/// 0–255 of the terminal's palette.
pub fn parse_colour(text: &str) -> Result<Color, String> {
    let lower = text.trim().to_ascii_lowercase();
    if let Some((_, colour)) = NAMED.iter().find(|(name, _)| *name == lower) {
        return Ok(*colour);
    }
    if let Some(hex) = lower.strip_prefix('#')
        && hex.len() == 6
        && hex.chars().all(|c| c.is_ascii_hexdigit())
    {
        return Color::from_str(&lower).map_err(|_| bad_colour(text));
    }
    match lower.parse::<u8>() {
        Ok(index) => Ok(Color::Indexed(index)),
        Err(_) => Err(bad_colour(text)),
    }
}

fn bad_colour(text: &str) -> String {
    format!("{text:?} is not a colour (red, dark-gray, …, #rrggbb or 0-255)")
}

/// The colour as the config file writes it, read back by `parse_colour`.
pub fn colour_name(colour: Color) -> String {
    match colour {
        Color::Rgb(r, g, b) => format!("#{r:02x}{g:02x}{b:02x}"),
        Color::Indexed(i) => i.to_string(),
        other => NAMED
            .iter()
            .find(|(_, c)| *c == other)
            .map_or_else(|| "reset".to_string(), |(name, _)| name.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_read_as_written_and_print_back() {
        for text in ["red", "dark-gray", "#ff8800", "208", "light-cyan"] {
            let colour = parse_colour(text).unwrap();
            assert_eq!(parse_colour(&colour_name(colour)), Ok(colour), "{text}");
        }
        assert_eq!(parse_colour("DARK-GRAY"), Ok(Color::DarkGray));
        for bad in ["redd", "#ff88", "256", "", "#gg0000"] {
            assert!(
                parse_colour(bad).unwrap_err().contains("is not a colour"),
                "{bad}"
            );
        }
    }

    #[test]
    fn every_entry_is_a_slot() {
        let mut theme = Theme::DARK;
        for (name, _) in Theme::ENTRIES {
            assert!(theme.get(name).is_some(), "{name}");
            assert!(theme.set(name, Color::Indexed(7)));
        }
        assert!(!theme.set("borders", Color::Red));
    }
}
