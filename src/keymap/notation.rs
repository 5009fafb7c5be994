//! Keys as a person writes them in the config file (`"ctrl-r"`, `"shift-tab"`, `"G"`,
//! `"space"`), and as the help overlay and status bar show them (`Ctrl-r`, `Shift-Tab`).

use super::Key;
use ratatui::crossterm::event::{KeyCode, KeyModifiers};

/// The named keys, as the config file writes them (the first of a row is the one printed).
const NAMES: &[(&[&str], KeyCode)] = &[
    (&["enter", "return"], KeyCode::Enter),
    (&["esc", "escape"], KeyCode::Esc),
    (&["tab"], KeyCode::Tab),
    (&["backtab"], KeyCode::BackTab),
    (&["space"], KeyCode::Char(' ')),
    (&["backspace"], KeyCode::Backspace),
    (&["delete", "del"], KeyCode::Delete),
    (&["insert", "ins"], KeyCode::Insert),
    (&["home"], KeyCode::Home),
    (&["end"], KeyCode::End),
    (&["pageup", "pgup"], KeyCode::PageUp),
    (&["pagedown", "pgdn"], KeyCode::PageDown),
    (&["up"], KeyCode::Up),
    (&["down"], KeyCode::Down),
    (&["left"], KeyCode::Left),
    (&["right"], KeyCode::Right),
];

impl Key {
    /// Reads one key: modifiers `ctrl-`, `alt-`, `shift-` before a character or a key name
    /// (`enter`, `esc`, `tab`, `space`, `up`, `pgdn`, `f5`, …), in any case; a single character
    /// stands for itself (`G` is Shift-g). `Err` says what is wrong with it.
    pub fn parse(text: &str) -> Result<Key, String> {
        if text.is_empty() {
            return Err("an empty key name".into());
        }
        if text.split_whitespace().count() > 1 {
            return Err(format!(
                "{text:?} is a sequence of keys; tasktui binds single keys (with ctrl-, alt-, shift-)"
            ));
        }
        let mut modifiers = KeyModifiers::NONE;
        let mut rest = text;
        loop {
            let lower = rest.to_ascii_lowercase();
            let (modifier, length) = if lower.starts_with("ctrl-") {
                (KeyModifiers::CONTROL, 5)
            } else if lower.starts_with("alt-") {
                (KeyModifiers::ALT, 4)
            } else if lower.starts_with("shift-") {
                (KeyModifiers::SHIFT, 6)
            } else {
                break;
            };
            if rest.len() == length {
                break;
            }
            modifiers |= modifier;
            rest = &rest[length..];
        }
        let shift = modifiers.contains(KeyModifiers::SHIFT);
        modifiers -= KeyModifiers::SHIFT;
        let mut chars = rest.chars();
        let code = match (chars.next(), chars.next()) {
            (Some(c), None) if shift => match c.to_uppercase().collect::<Vec<_>>()[..] {
                [upper] if c.is_alphabetic() => KeyCode::Char(upper),
                _ => return Err(format!("{text:?}: shift- is for letters and named keys")),
            },
            (Some(c), None) => KeyCode::Char(if modifiers.contains(KeyModifiers::CONTROL) {
                c.to_ascii_lowercase()
            } else {
                c
            }),
            _ => {
                let lower = rest.to_ascii_lowercase();
                if let Some(n) = lower
                    .strip_prefix('f')
                    .and_then(|n| n.parse::<u8>().ok())
                    .filter(|n| (1..=12).contains(n))
                {
                    KeyCode::F(n)
                } else if let Some((_, code)) = NAMES
                    .iter()
                    .find(|(names, _)| names.contains(&lower.as_str()))
                {
                    match (*code, shift) {
                        (KeyCode::Tab, true) => KeyCode::BackTab,
                        (code, true) => {
                            return Err(format!(
                                "{text:?}: tasktui reads shift- with letters and tab only, not {code:?}"
                            ));
                        }
                        (code, false) => code,
                    }
                } else {
                    return Err(format!(
                        "{text:?} is not a key name (a character, or enter, esc, tab, space, \
                         backspace, delete, insert, home, end, pageup, pagedown, up, down, left, \
                         right, f1–f12, with ctrl-, alt- or shift- before it)"
                    ));
                }
            }
        };
        Ok(Key { code, modifiers })
    }

    /// The key as the config file writes it, read back by `parse`.
    pub fn notation(self) -> String {
        let name = match self.code {
            KeyCode::BackTab => "shift-tab".to_string(),
            KeyCode::Char(c) if c != ' ' => c.to_string(),
            KeyCode::F(n) => format!("f{n}"),
            code => NAMES.iter().find(|(_, c)| *c == code).map_or_else(
                || format!("{code:?}").to_lowercase(),
                |(names, _)| names[0].to_string(),
            ),
        };
        let mut out = String::new();
        if self.modifiers.contains(KeyModifiers::CONTROL) {
            out.push_str("ctrl-");
        }
        if self.modifiers.contains(KeyModifiers::ALT) {
            out.push_str("alt-");
        }
        out + &name
    }

    /// The key as the help overlay and status bar write it.
    pub fn label(self) -> String {
        let name = match self.code {
            KeyCode::Char(' ') => "Space".to_string(),
            KeyCode::Char(c) => c.to_string(),
            KeyCode::Enter => "Enter".into(),
            KeyCode::Esc => "Esc".into(),
            KeyCode::Tab => "Tab".into(),
            KeyCode::BackTab => "Shift-Tab".into(),
            KeyCode::Down => "↓".into(),
            KeyCode::Up => "↑".into(),
            KeyCode::Left => "←".into(),
            KeyCode::Right => "→".into(),
            KeyCode::PageDown => "PgDn".into(),
            KeyCode::PageUp => "PgUp".into(),
            KeyCode::F(n) => format!("F{n}"),
            other => format!("{other:?}"),
        };
        let mut out = String::new();
        if self.modifiers.contains(KeyModifiers::CONTROL) {
            out.push_str("Ctrl-");
        }
        if self.modifiers.contains(KeyModifiers::ALT) {
            out.push_str("Alt-");
        }
        out + &name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_read_as_written_and_print_back_the_same() {
        for (text, label) in [
            ("ctrl-r", "Ctrl-r"),
            ("CTRL-R", "Ctrl-r"),
            ("shift-tab", "Shift-Tab"),
            ("G", "G"),
            ("shift-g", "G"),
            ("space", "Space"),
            ("enter", "Enter"),
            ("esc", "Esc"),
            ("pgdn", "PgDn"),
            ("f5", "F5"),
            ("alt-x", "Alt-x"),
            ("-", "-"),
            ("ctrl--", "Ctrl--"),
            ("é", "é"),
        ] {
            let key = Key::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(key.label(), label, "{text}");
            assert_eq!(Key::parse(&key.notation()), Ok(key), "{text}");
        }
    }

    #[test]
    fn what_is_not_a_key_is_named() {
        for (text, says) in [
            ("", "empty"),
            ("ctrl-foo", "not a key name"),
            ("hyper-a", "not a key name"),
            ("g g", "sequence"),
            ("shift-1", "shift-"),
            ("shift-enter", "shift-"),
            ("f13", "not a key name"),
        ] {
            let error = Key::parse(text).unwrap_err();
            assert!(error.contains(says), "{text}: {error}");
        }
    }
}
