//! The popups that choose: a user from a narrowed list, a quick filter from the menu.

use super::popups::{hint_line, popup, row, text_popup};
use super::{ACCENT, DIM};
use crate::app::{NOBODY, Picker, QuickFilter, TagPicker};
use crate::keymap::Context;
use crate::model::TagCount;
use crate::text::clean;
use ratatui::Frame;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// A popup to choose a user: the query, the matches, the keys of `context`.
pub fn picker_popup(frame: &mut Frame<'_>, title: &str, picker: &Picker, context: Context) {
    let matches = picker.matches();
    let height = u16::try_from(matches.len())
        .unwrap_or(u16::MAX)
        .min(10)
        .saturating_add(6);
    let inner = popup(frame, title, 64, height);
    let mut lines = vec![Line::from(vec![
        Span::styled("find: ", Style::default().fg(DIM)),
        Span::raw(clean(&picker.query.lines().join("")).into_owned()),
        Span::styled("▏", Style::default().fg(ACCENT)),
    ])];
    let visible = usize::from(inner.height.saturating_sub(3)).max(1);
    let first = picker.cursor.saturating_sub(visible - 1);
    for (index, choice) in matches.iter().enumerate().skip(first).take(visible) {
        let text = match choice {
            Some(choice) => format!(
                "  {}  {}",
                clean(&choice.username),
                clean(&choice.full_name)
            ),
            None => format!("  {NOBODY}"),
        };
        let style = if index == picker.cursor {
            Style::default().fg(ratatui::style::Color::Black).bg(ACCENT)
        } else {
            Style::default()
        };
        lines.push(Line::from(Span::styled(text, style)));
    }
    if matches.is_empty() {
        lines.push(Line::from(Span::styled(
            "  no user matches",
            Style::default().fg(DIM),
        )));
    }
    frame.render_widget(Paragraph::new(lines), inner);
    if let Some(foot) = row(inner, inner.height.saturating_sub(1), 1) {
        frame.render_widget(Paragraph::new(hint_line(&[context])), foot);
    }
}

/// The quick filter menu: each letter and what it shows, the filters in force marked.
pub fn filter_menu(frame: &mut Frame<'_>, quick: &QuickFilter) {
    let in_force = quick.labels();
    let mut lines = Vec::new();
    for binding in Context::Filter.bindings() {
        let Some(key) = binding.keys.first() else {
            continue;
        };
        let on = binding
            .hint
            .is_some_and(|word| in_force.iter().any(|f| f.ends_with(word)));
        lines.push(Line::from(vec![
            Span::styled(
                format!(" {:<5}", key.label()),
                Style::default().fg(ACCENT).add_modifier(Modifier::BOLD),
            ),
            Span::raw(if on { "● " } else { "  " }),
            Span::raw(binding.help),
        ]));
    }
    text_popup(frame, "Quick filters", lines);
}

/// Choosing a tag to show: the tags in use that hold the query, each with its count.
pub fn tag_picker(frame: &mut Frame<'_>, picker: &TagPicker, tags: &[TagCount]) {
    let matches = picker.matches(tags);
    let height = u16::try_from(matches.len())
        .unwrap_or(u16::MAX)
        .min(12)
        .saturating_add(6);
    let inner = popup(frame, "Show the tasks tagged", 48, height);
    let mut lines = vec![Line::from(vec![
        Span::styled("find: ", Style::default().fg(DIM)),
        Span::raw(clean(&picker.query.lines().join("")).into_owned()),
        Span::styled("▏", Style::default().fg(ACCENT)),
    ])];
    let visible = usize::from(inner.height.saturating_sub(3)).max(1);
    let first = picker.cursor.saturating_sub(visible - 1);
    let width = usize::from(inner.width).saturating_sub(12).max(8);
    for (index, tag) in matches.iter().enumerate().skip(first).take(visible) {
        let name = crate::text::fit(&clean(&format!("#{}", tag.name)), width).into_owned();
        let text = format!("  {name:<width$} {:>7}", tag.tasks);
        let style = if index == picker.cursor {
            Style::default().fg(ratatui::style::Color::Black).bg(ACCENT)
        } else {
            Style::default()
        };
        lines.push(Line::from(Span::styled(text, style)));
    }
    if matches.is_empty() {
        lines.push(Line::from(Span::styled(
            "  no tag matches",
            Style::default().fg(DIM),
        )));
    }
    frame.render_widget(Paragraph::new(lines), inner);
    if let Some(foot) = row(inner, inner.height.saturating_sub(1), 1) {
        frame.render_widget(Paragraph::new(hint_line(&[Context::TagPicker])), foot);
    }
}
