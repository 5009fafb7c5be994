//! Drawing only: the screen is a function of `App`. Nothing here writes to the database.

mod boxes;
mod menus;
mod panes;
mod popups;

use crate::app::{App, Mode};
use crate::layout::{Areas, MIN_HEIGHT, MIN_WIDTH};
use crate::text;
use ratatui::Frame;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

pub fn draw(frame: &mut Frame<'_>, app: &App) {
    draw_screen(frame, app);
    make_safe(frame);
    if app.no_color {
        drop_colors(frame);
    }
}

/// Without colour, a highlight drawn as a background (the selected row, a chosen option, the
/// read-only banner) becomes reverse video, and no colour is written at all: a colour command
/// under `NO_COLOR` comes out as a bare reset that would wipe the reverse video beside it.
fn drop_colors(frame: &mut Frame<'_>) {
    for cell in &mut frame.buffer_mut().content {
        if cell.bg != Color::Reset {
            cell.modifier |= Modifier::REVERSED;
        }
        cell.fg = Color::Reset;
        cell.bg = Color::Reset;
    }
}

/// The last line of defence: text fields draw what the person is editing as it is, so any
/// invisible or control character still in a cell is removed before the frame is written.
fn make_safe(frame: &mut Frame<'_>) {
    for cell in &mut frame.buffer_mut().content {
        // Nearly every cell is one printable ASCII character: skip those without a look.
        if matches!(cell.symbol().as_bytes(), [b' '..=b'~']) {
            continue;
        }
        if cell.symbol().chars().any(text::needs_placeholder) {
            let kept: String = cell
                .symbol()
                .chars()
                .filter(|c| !text::needs_placeholder(*c))
                .collect();
            cell.set_symbol(if kept.is_empty() { "·" } else { &kept });
        }
    }
}

fn draw_screen(frame: &mut Frame<'_>, app: &App) {
    let area = frame.area();
    let areas = Areas::new(area.width, area.height, app.folds_users(area.width));
    if areas.too_small {
        let text = format!(
            "Terminal too small ({}×{}): tasktui needs {MIN_WIDTH}×{MIN_HEIGHT}. Enlarge it, or press q to quit.",
            area.width, area.height
        );
        frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), area);
        return;
    }
    if areas.users.width > 0 {
        panes::users(frame, app, areas.users);
    }
    panes::tasks(frame, app, areas.tasks);
    panes::detail(frame, app, areas.detail);
    status_bar(frame, app, areas);
    match &app.mode {
        Mode::Browse | Mode::Search(_) | Mode::Due(_) | Mode::Tags(_) => {}
        Mode::TagFilter(picker) => menus::tag_picker(frame, app, picker, &app.tags),
        Mode::Assign(picker) => {
            let what = match app.marks.len() {
                0 => "Assign the task to".to_string(),
                n => format!("Assign the {n} marked tasks to"),
            };
            menus::picker_popup(frame, app, &what, picker, crate::keymap::Context::Assign);
        }
        Mode::Filter => menus::filter_menu(frame, app, &app.quick),
        Mode::Help(scroll) => popups::help(frame, app, *scroll),
        Mode::Form(form) => popups::form(frame, app, form),
        Mode::Confirm { prompt, .. } => popups::confirm(frame, app, prompt),
        Mode::Handoff {
            username,
            tasks,
            picker,
            ..
        } => popups::handoff(frame, app, username, *tasks, picker.as_deref()),
    }
}

/// The last message, then the keys of the current context.
fn status_bar(frame: &mut Frame<'_>, app: &App, areas: Areas) {
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
        let meaning = match crate::model::parse_due(&typed, app.store().clock().today()) {
            Ok(Some(date)) => date.format("→ %a %-d %b %Y").to_string(),
            Ok(None) => "→ no due date".to_string(),
            Err(_) => "→ not a date yet".to_string(),
        };
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
    if let Some(message) = &app.message {
        let color = if message.is_error { t.error } else { t.accent };
        spans.push(Span::styled(
            text::clean(&message.text).into_owned(),
            Style::default().fg(color).add_modifier(Modifier::BOLD),
        ));
        spans.push(Span::raw("  "));
    }
    for (key, word) in app.keys.hints(&app.contexts()) {
        spans.push(Span::styled(key, Style::default().fg(t.accent)));
        spans.push(Span::styled(
            format!(" {word}  "),
            Style::default().fg(t.muted),
        ));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), areas.status);
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
        (n, false) => format!("{n} matches"),
    }
}

/// 10000 as 10,000.
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}
