//! Overlays: the help, the forms, confirmations and the user-deletion choice.

use super::{ACCENT, DIM, ERROR};
use crate::app::Picker;
use crate::app::form::{Form, Input, matching};
use crate::keymap::{self, Context};
use crate::text::{clean, clean_lines};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Clear, Paragraph, Wrap};

/// A box of at most `width`×`height` in the middle of the screen, cleared and framed; returns
/// the inside.
fn popup(frame: &mut Frame<'_>, title: &str, width: u16, height: u16) -> Rect {
    let screen = frame.area();
    let width = width
        .min(screen.width.saturating_sub(2))
        .max(1)
        .min(screen.width);
    let height = height
        .min(screen.height.saturating_sub(1))
        .max(1)
        .min(screen.height);
    let area = Rect::new(
        screen.x + (screen.width - width) / 2,
        screen.y + (screen.height - height) / 2,
        width,
        height,
    );
    let block = Block::default()
        .borders(Borders::ALL)
        .border_type(BorderType::Rounded)
        .border_style(Style::default().fg(ACCENT))
        .title(Span::styled(
            format!(" {title} "),
            Style::default().add_modifier(Modifier::BOLD),
        ));
    let inner = block.inner(area);
    frame.render_widget(Clear, area);
    frame.render_widget(block, area);
    inner
}

fn hint_line(contexts: &[Context]) -> Line<'static> {
    let mut spans = Vec::new();
    for (key, word) in keymap::hints(contexts) {
        spans.push(Span::styled(key, Style::default().fg(ACCENT)));
        spans.push(Span::styled(format!(" {word}  "), Style::default().fg(DIM)));
    }
    Line::from(spans)
}

/// One row of `area`, if it has that many.
fn row(area: Rect, offset: u16, height: u16) -> Option<Rect> {
    (offset < area.height).then(|| {
        Rect::new(
            area.x,
            area.y + offset,
            area.width,
            height.min(area.height - offset),
        )
    })
}

pub fn help_text() -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    for (section, bindings) in keymap::help() {
        lines.push(Line::from(Span::styled(
            section,
            Style::default().fg(ACCENT).add_modifier(Modifier::BOLD),
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

pub fn help(frame: &mut Frame<'_>, scroll: u16) {
    let lines = help_text();
    let height = u16::try_from(lines.len())
        .unwrap_or(u16::MAX)
        .saturating_add(2);
    let inner = popup(frame, "Keys  (j/k scroll, Esc or ? closes)", 78, height);
    frame.render_widget(Paragraph::new(lines).scroll((scroll, 0)), inner);
}

pub fn confirm(frame: &mut Frame<'_>, prompt: &str) {
    let inner = popup(frame, "Confirm", 60, 5);
    let lines = vec![
        Line::from(clean(prompt).into_owned()),
        Line::default(),
        hint_line(&[Context::Confirm]),
    ];
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), inner);
}

pub fn handoff(frame: &mut Frame<'_>, username: &str, tasks: u64, picker: Option<&Picker>) {
    let name = clean(username).into_owned();
    let Some(picker) = picker else {
        let inner = popup(frame, "Delete user", 64, 5);
        let lines = vec![
            Line::from(format!(
                "{name} has {tasks} task{}. What happens to them?",
                if tasks == 1 { "" } else { "s" }
            )),
            Line::default(),
            hint_line(&[Context::Handoff]),
        ];
        frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), inner);
        return;
    };
    let matches = picker.matches();
    let height = u16::try_from(matches.len())
        .unwrap_or(u16::MAX)
        .min(10)
        .saturating_add(6);
    let inner = popup(frame, &format!("Give {name}'s tasks to"), 64, height);
    let mut lines = vec![Line::from(vec![
        Span::styled("find: ", Style::default().fg(DIM)),
        Span::raw(clean(&picker.query.lines().join("")).into_owned()),
        Span::styled("▏", Style::default().fg(ACCENT)),
    ])];
    let visible = usize::from(inner.height.saturating_sub(3)).max(1);
    let first = picker.cursor.saturating_sub(visible - 1);
    for (index, choice) in matches.iter().enumerate().skip(first).take(visible) {
        let text = format!(
            "  {}  {}",
            clean(&choice.username),
            clean(&choice.full_name)
        );
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
        frame.render_widget(Paragraph::new(hint_line(&[Context::Picker])), foot);
    }
}

const LABEL_WIDTH: u16 = 14;

fn field_height(input: &Input) -> u16 {
    match input {
        Input::Lines(_) => 5,
        Input::Assignee { .. } => 2,
        _ => 1,
    }
}

pub fn form(frame: &mut Frame<'_>, form: &Form) {
    let error_rows = u16::from(form.error.is_some());
    let height: u16 = form
        .fields
        .iter()
        .map(|f| field_height(&f.input))
        .sum::<u16>()
        + error_rows
        + 4;
    let inner = popup(frame, form.title(), 76, height);
    let mut y = 0;
    for (index, field) in form.fields.iter().enumerate() {
        let focused = index == form.focus;
        let Some(area) = row(inner, y, field_height(&field.input)) else {
            break;
        };
        let label_style = if focused {
            Style::default().fg(ACCENT).add_modifier(Modifier::BOLD)
        } else {
            Style::default().fg(DIM)
        };
        let marker = if focused { "› " } else { "  " };
        frame.render_widget(
            Paragraph::new(Span::styled(
                format!("{marker}{}", field.label),
                label_style,
            )),
            area,
        );
        let input_area = Rect::new(
            area.x + LABEL_WIDTH.min(area.width),
            area.y,
            area.width.saturating_sub(LABEL_WIDTH),
            area.height,
        );
        draw_input(frame, &field.input, focused, input_area);
        y += area.height;
        if let Some((Some(at), message)) = &form.error
            && *at == index
            && let Some(line) = row(inner, y, 1)
        {
            let text = format!(
                "{:width$}↳ {}",
                "",
                clean(message),
                width = usize::from(LABEL_WIDTH)
            );
            frame.render_widget(
                Paragraph::new(Span::styled(text, Style::default().fg(ERROR))),
                line,
            );
            y += 1;
        }
    }
    if let Some((None, message)) = &form.error
        && let Some(line) = row(inner, y, 1)
    {
        frame.render_widget(
            Paragraph::new(Span::styled(
                clean(message).into_owned(),
                Style::default().fg(ERROR),
            )),
            line,
        );
    }
    if let Some(foot) = row(inner, inner.height.saturating_sub(1), 1) {
        frame.render_widget(Paragraph::new(hint_line(&[Context::Form])), foot);
    }
}

fn draw_input(frame: &mut Frame<'_>, input: &Input, focused: bool, area: Rect) {
    match input {
        Input::Line(text) | Input::Lines(text) if focused => frame.render_widget(text, area),
        Input::Line(text) => frame.render_widget(
            Paragraph::new(clean(&text.lines().join(" ")).into_owned()),
            area,
        ),
        Input::Lines(text) => {
            let lines: Vec<Line<'_>> = clean_lines(&text.lines().join("\n"))
                .into_iter()
                .map(Line::from)
                .collect();
            frame.render_widget(Paragraph::new(lines).style(Style::default().fg(DIM)), area);
        }
        Input::Options { options, selected } => {
            let mut spans = Vec::new();
            for (index, option) in options.iter().enumerate() {
                let style = match (index == *selected, focused) {
                    (true, true) => Style::default().fg(ratatui::style::Color::Black).bg(ACCENT),
                    (true, false) => {
                        Style::default().add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
                    }
                    _ => Style::default().fg(DIM),
                };
                spans.push(Span::styled(format!(" {option} "), style));
            }
            if focused {
                spans.push(Span::styled("  ←/→", Style::default().fg(DIM)));
            }
            frame.render_widget(Paragraph::new(Line::from(spans)), area);
        }
        Input::Assignee {
            query,
            users,
            selected,
        } => {
            let chosen = match selected {
                None => "unassigned".to_string(),
                Some(id) => users.iter().find(|c| c.id == *id).map_or_else(
                    || crate::model::missing_user(*id),
                    |c| clean(&c.username).into_owned(),
                ),
            };
            let typed = query.lines().join("");
            let first = Rect::new(area.x, area.y, area.width, 1);
            let mut spans = vec![Span::styled(
                chosen,
                Style::default().add_modifier(Modifier::BOLD),
            )];
            if focused {
                spans.push(Span::styled("   find: ", Style::default().fg(DIM)));
                spans.push(Span::raw(clean(&typed).into_owned()));
                spans.push(Span::styled("▏", Style::default().fg(ACCENT)));
            }
            frame.render_widget(Paragraph::new(Line::from(spans)), first);
            if focused && let Some(second) = row(area, 1, 1) {
                let names: Vec<String> = matching(users, &typed)
                    .iter()
                    .take(8)
                    .map(|c| clean(&c.username).into_owned())
                    .collect();
                let text = if names.is_empty() {
                    "no user matches".to_string()
                } else {
                    format!("←/→ choose: {}", names.join(" · "))
                };
                frame.render_widget(
                    Paragraph::new(Span::styled(text, Style::default().fg(DIM))),
                    second,
                );
            }
        }
    }
}
