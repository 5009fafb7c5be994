//! The help overlay's text and its size on a screen: drawn by the interface, and scrolled by
//! the app only as far as its last line.

use super::popup::text_area;
use crate::config::Theme;
use crate::keymap::{Action, Context, Keymap};
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};

/// Every binding of the keymap, by section, as the help lists them.
pub fn text(keys: &Keymap, theme: &Theme) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    for (section, bindings) in keys.help() {
        lines.push(Line::from(Span::styled(
            section,
            Style::default()
                .fg(theme.accent)
                .add_modifier(Modifier::BOLD),
        )));
        for (keys, what) in bindings {
            lines.push(Line::from(vec![
                Span::styled(
                    format!("  {keys:<22}"),
                    Style::default().add_modifier(Modifier::BOLD),
                ),
                Span::raw(what),
            ]));
        }
        lines.push(Line::default());
    }
    lines
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

/// How far the help can scroll on a `width`×`height` screen: to its last line, not past it.
pub fn scroll_limit(keys: &Keymap, width: u16, height: u16) -> u16 {
    // The colours do not change how the text wraps.
    let lines = text(keys, &Theme::default());
    let (area, rows) = text_area(Rect::new(0, 0, width, height), &title(keys), &lines);
    rows.saturating_sub(area.height.saturating_sub(2))
}
