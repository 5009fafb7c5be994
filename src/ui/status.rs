//! The status bar: the banner and the line being typed, the last message, then the keys in
//! force, chosen for the width with the way to the help always last and never cut.

use crate::app::{App, Mode};
use crate::config::Theme;
use crate::keymap::Action;
use crate::layout::Areas;
use crate::text;
use crate::text::thousands;
use ratatui::Frame;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

/// The last message, then the keys of the current context.
pub(super) fn status_bar(frame: &mut Frame<'_>, app: &App, areas: Areas) {
    let t = &app.theme;
    let mut spans = Vec::new();
    if app.store().read_only_reason().is_some() {
        spans.push(Span::styled(
            " READ-ONLY ",
            Style::default()
                .fg(Color::White)
                .bg(t.error)
                .add_modifier(Modifier::BOLD),
        ));
        spans.push(Span::raw(" "));
    }
    if let Mode::Due(line) = &app.mode {
        // What the words mean, as they are typed: `fri → Fri 27 Nov 2026`.
        let typed = line.lines().join("");
        let meaning = super::due_meaning(&typed, app.store().clock().today());
        spans.push(Span::styled(
            "due: ",
            Style::default().fg(t.accent).add_modifier(Modifier::BOLD),
        ));
        spans.push(Span::raw(text::clean(&typed).into_owned()));
        spans.push(Span::styled("▏", Style::default().fg(t.accent)));
        spans.push(Span::styled(
            format!(" {meaning}  "),
            Style::default().fg(t.muted),
        ));
    } else if let Mode::Tags(line) = &app.mode {
        let typed = line.lines().join("");
        spans.push(Span::styled(
            "tags: ",
            Style::default().fg(t.accent).add_modifier(Modifier::BOLD),
        ));
        spans.push(Span::raw(text::clean(&typed).into_owned()));
        spans.push(Span::styled("▏", Style::default().fg(t.accent)));
        let offer = match crate::app::form::tag_completion(
            &typed,
            &app.tags.iter().map(|t| t.name.clone()).collect::<Vec<_>>(),
        ) {
            Some((_, offered)) => format!(" → {}", offered.first().map_or("", String::as_str)),
            None => " (-tag removes)".to_string(),
        };
        spans.push(Span::styled(
            format!("{}  ", text::clean(&offer)),
            Style::default().fg(t.muted),
        ));
    } else if let Mode::Search(line) = &app.mode {
        spans.push(Span::styled(
            "/",
            Style::default().fg(t.accent).add_modifier(Modifier::BOLD),
        ));
        spans.push(Span::raw(text::clean(&line.lines().join("")).into_owned()));
        spans.push(Span::styled("▏", Style::default().fg(t.accent)));
        spans.push(Span::styled(
            format!("  {}  ", matches(app)),
            Style::default().fg(t.muted),
        ));
    } else if !app.search.is_empty() {
        spans.push(Span::styled(
            format!("/{}", text::clean(&app.search)),
            Style::default().fg(t.accent),
        ));
        spans.push(Span::styled(
            format!(" {}  ", matches(app)),
            Style::default().fg(t.muted),
        ));
    }
    if !app.marks.is_empty() {
        spans.push(Span::styled(
            format!(" {} marked ", app.marks.len()),
            Style::default().add_modifier(Modifier::REVERSED | Modifier::BOLD),
        ));
        spans.push(Span::raw(" "));
    }
    let width = usize::from(areas.status.width);
    let hints = hints(app);
    // The way to the help is never cut: its hint is kept back for the end, and the message and
    // the other hints share what is left.
    let help = hints.iter().position(|h| h.2 == Action::ToggleHelp);
    let help = help.map(|at| &hints[at]);
    let help_width = help.map_or(0, |(key, word, _)| hint_width(key, word));
    let used: usize = spans.iter().map(Span::width).sum();
    let mut room = width.saturating_sub(used + help_width);
    if let Some(message) = &app.message {
        let color = if message.is_error { t.error } else { t.accent };
        let said = text::clean(&message.text).into_owned();
        let said = text::fit(&said, room.saturating_sub(2)).into_owned();
        room = room.saturating_sub(said.width() + 2);
        spans.push(Span::styled(
            said,
            Style::default().fg(color).add_modifier(Modifier::BOLD),
        ));
        spans.push(Span::raw("  "));
    }
    for (key, word, action) in &hints {
        if *action == Action::ToggleHelp {
            continue;
        }
        let needs = hint_width(key, word);
        if needs > room {
            // Hints come in the order of what matters: the first that does not fit ends them.
            break;
        }
        room -= needs;
        push_hint(&mut spans, t, key, word);
    }
    if let Some((key, word, _)) = help {
        push_hint(&mut spans, t, key, word);
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), areas.status);
}

/// The hints of the keys in force, less those for changes on a database that takes none.
fn hints(app: &App) -> Vec<(String, &'static str, Action)> {
    let read_only = app.store().read_only_reason().is_some();
    app.keys
        .hints(&app.contexts())
        .into_iter()
        .filter(|(_, _, action)| !(read_only && action.changes_data()))
        .collect()
}

/// `a add  `: the key, its word and the gap after it.
fn hint_width(key: &str, word: &str) -> usize {
    key.width() + 1 + word.width() + 2
}

fn push_hint(spans: &mut Vec<Span<'static>>, t: &Theme, key: &str, word: &str) {
    spans.push(Span::styled(key.to_string(), Style::default().fg(t.accent)));
    spans.push(Span::styled(
        format!(" {word}  "),
        Style::default().fg(t.muted),
    ));
}

/// The count of the search's matches; while the search is typed but not yet read, an ellipsis.
fn matches(app: &App) -> String {
    if app.search_waiting {
        return "searching…".into();
    }
    let list = &app.tasks;
    match (list.total, list.bounded) {
        (n, true) => format!("{}+ matches", thousands(n)),
        (1, false) => "1 match".into(),
        (n, false) => format!("{} matches", thousands(n)),
    }
}
