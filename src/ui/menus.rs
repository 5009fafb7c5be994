//! The popups that choose: a user from a narrowed list, a quick filter from the menu.

use super::boxes::{hint_line, popup, row, text_popup};
use crate::app::{App, NOBODY, Picker, QuickFilter, TagPicker};
use crate::keymap::Context;
use crate::model::TagCount;
use crate::text::clean;
use ratatui::Frame;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// A popup to choose a user: the query, the matches, the keys of `context`.
pub fn picker_popup(
    frame: &mut Frame<'_>,
    app: &App,
    title: &str,
    picker: &Picker,
    context: Context,
) {
    let rows = picker
        .matches()
        .iter()
        .map(|choice| match choice {
            Some(choice) => format!(
                "  {}  {}",
                clean(&choice.username),
                clean(&choice.full_name)
            ),
            None => format!("  {NOBODY}"),
        })
        .collect();
    let list = Choosing {
        title,
        width: 64,
        most: 10,
        query: &picker.query.lines().join(""),
        cursor: picker.cursor,
        rows,
        none: "  no user matches",
        app,
        context,
    };
    list.draw(frame);
}

/// A popup that chooses from a list narrowed by typing: the query on top, the rows (the one
/// under the cursor highlighted, scrolled to stay in view), the keys of `context` at the foot.
struct Choosing<'a> {
    title: &'a str,
    width: u16,
    /// The most rows shown at once.
    most: u16,
    query: &'a str,
    cursor: usize,
    /// Each row's text, already made safe.
    rows: Vec<String>,
    /// What shows when nothing matches.
    none: &'static str,
    app: &'a App,
    context: Context,
}

impl Choosing<'_> {
    fn draw(self, frame: &mut Frame<'_>) {
        let height = u16::try_from(self.rows.len())
            .unwrap_or(u16::MAX)
            .min(self.most)
            .saturating_add(6);
        let inner = popup(frame, self.app, self.title, self.width, height);
        let mut lines = vec![Line::from(vec![
            Span::styled("find: ", Style::default().fg(self.app.theme.muted)),
            Span::raw(clean(self.query).into_owned()),
            Span::styled("▏", Style::default().fg(self.app.theme.accent)),
        ])];
        let visible = usize::from(inner.height.saturating_sub(3)).max(1);
        let first = self.cursor.saturating_sub(visible - 1);
        for (index, text) in self.rows.into_iter().enumerate().skip(first).take(visible) {
            let style = if index == self.cursor {
                Style::default()
                    .fg(self.app.theme.selected_text)
                    .bg(self.app.theme.selected)
            } else {
                Style::default()
            };
            lines.push(Line::from(Span::styled(text, style)));
        }
        if lines.len() == 1 {
            lines.push(Line::from(Span::styled(
                self.none,
                Style::default().fg(self.app.theme.muted),
            )));
        }
        frame.render_widget(Paragraph::new(lines), inner);
        if let Some(foot) = row(inner, inner.height.saturating_sub(1), 1) {
            frame.render_widget(Paragraph::new(hint_line(self.app, &[self.context])), foot);
        }
    }
}

/// The quick filter menu: each letter and what it shows, the filters in force marked.
pub fn filter_menu(frame: &mut Frame<'_>, app: &App, quick: &QuickFilter) {
    let in_force = quick.labels();
    let mut lines = Vec::new();
    for binding in app.keys.bindings(Context::Filter) {
        let Some(key) = binding.keys.first() else {
            continue;
        };
        let on = binding
            .hint
            .is_some_and(|word| in_force.iter().any(|f| f.ends_with(word)));
        lines.push(Line::from(vec![
            Span::styled(
                format!(" {:<5}", key.label()),
                Style::default()
                    .fg(app.theme.accent)
                    .add_modifier(Modifier::BOLD),
            ),
            Span::raw(if on { "● " } else { "  " }),
            Span::raw(binding.help),
        ]));
    }
    text_popup(frame, app, "Quick filters", lines);
}

/// Choosing a tag to show: the tags in use that hold the query, each with its count.
pub fn tag_picker(frame: &mut Frame<'_>, app: &App, picker: &TagPicker, tags: &[TagCount]) {
    const WIDTH: u16 = 48;
    // The name column: the popup less its borders, the margin and the count.
    let width = usize::from(WIDTH).saturating_sub(14).max(8);
    let rows = picker
        .matches(tags)
        .iter()
        .map(|tag| {
            let name = crate::text::fit(&clean(&format!("#{}", tag.name)), width).into_owned();
            format!("  {name:<width$} {:>7}", tag.tasks)
        })
        .collect();
    let list = Choosing {
        title: "Show the tasks tagged",
        width: WIDTH,
        most: 12,
        query: &picker.query.lines().join(""),
        cursor: picker.cursor,
        rows,
        none: "  no tag matches",
        app,
        context: Context::TagPicker,
    };
    list.draw(frame);
}
