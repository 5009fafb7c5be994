//! The help overlay's text and its size on a screen: drawn by the interface, and scrolled by
//! the app only as far as its last line.

use super::popup::{place, text_area, wanted_width};
use crate::config::Theme;
use crate::keymap::{Action, Context, Keymap};
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};

/// The column where a binding's words start: two spaces, the keys, the gap after them.
const WORDS_AT: usize = 24;

/// Every binding of the keymap, by section, as the help lists them on a screen `screen_width`
/// wide: a description too long for the popup goes on under itself, not back at its edge.
/// Only the bindings whose keys or words hold `find` (any case) are listed when it is not empty.
pub fn text(keys: &Keymap, theme: &Theme, screen_width: u16, find: &str) -> Vec<Line<'static>> {
    let whole = lines(keys, theme, usize::MAX, find);
    let width = place(
        Rect::new(0, 0, screen_width, 1),
        wanted_width(&title(keys), &whole),
        1,
    )
    .width;
    lines(keys, theme, usize::from(width.saturating_sub(2)), find)
}

fn lines(keys: &Keymap, theme: &Theme, inner: usize, find: &str) -> Vec<Line<'static>> {
    let room = inner.saturating_sub(WORDS_AT).max(12);
    let find = find.to_lowercase();
    let mut lines = Vec::new();
    for (section, bindings) in keys.help() {
        let bindings: Vec<_> = bindings
            .into_iter()
            .filter(|(keys, what)| {
                find.is_empty()
                    || keys.to_lowercase().contains(&find)
                    || what.to_lowercase().contains(&find)
            })
            .collect();
        if bindings.is_empty() {
            continue;
        }
        lines.push(Line::from(Span::styled(
            section,
            Style::default()
                .fg(theme.accent)
                .add_modifier(Modifier::BOLD),
        )));
        for (keys, what) in bindings {
            let mut parts = wrap(what, room).into_iter();
            lines.push(Line::from(vec![
                Span::styled(
                    format!("  {keys:<width$}", width = WORDS_AT - 2),
                    Style::default().add_modifier(Modifier::BOLD),
                ),
                Span::raw(parts.next().unwrap_or_default()),
            ]));
            for more in parts {
                lines.push(Line::from(format!("{:WORDS_AT$}{more}", "")));
            }
        }
        lines.push(Line::default());
    }
    if lines.is_empty() {
        lines.push(Line::from(format!("No key does “{find}”.")));
    }
    lines
}

/// `text` in lines of at most `width` columns, broken between words (a word longer than a line
/// is a line of its own).
fn wrap(text: &str, width: usize) -> Vec<String> {
    use unicode_width::UnicodeWidthStr;
    let mut out: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split(' ') {
        if !line.is_empty() && line.width() + 1 + word.width() > width {
            out.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    out.push(line);
    out
}

/// The help's title, with its own keys as the tables have them ("Keys  (j/k scroll, Esc or q
/// closes)" by default).
pub fn title(keys: &Keymap) -> String {
    let all = |action: Action| -> Vec<String> {
        keys.bindings(Context::Help)
            .iter()
            .filter(|b| b.action == action)
            .flat_map(|b| b.keys.iter().map(|k| k.label()))
            .collect()
    };
    let first = |action: Action| all(action).into_iter().next().unwrap_or_default();
    format!(
        "Keys  ({}/{} scroll, {} closes)",
        first(Action::MoveDown),
        first(Action::MoveUp),
        all(Action::ToggleHelp).join(" or ")
    )
}

/// How far the help can scroll on a `width`×`height` screen (to its last line, not past it),
/// and how many of its lines show at once.
pub fn scroll_limit(keys: &Keymap, width: u16, height: u16, find: &str) -> (u16, u16) {
    // The colours do not change how the text wraps.
    let lines = text(keys, &Theme::default(), width, find);
    let (area, rows) = text_area(Rect::new(0, 0, width, height), &title(keys), &lines);
    let shown = area.height.saturating_sub(2);
    (rows.saturating_sub(shown), shown.max(1))
}
