//! Overlays: the help, the forms, confirmations and the user-deletion choice.

use super::boxes::{frame_popup, hint_line, row, text_popup};
use crate::app::form::{Form, Input, matching};
use crate::app::{App, Picker};
use crate::keymap::Context;
use crate::layout::help;
use crate::layout::popup::{place, text_area};
use crate::text::{clean, clean_lines};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

pub fn help(frame: &mut Frame<'_>, app: &App, scroll: u16) {
    let find = app.help_find.as_deref().unwrap_or_default();
    let lines = help::text(&app.keys, &app.theme, frame.area().width, find);
    let title = match &app.help_find {
        Some(find) => format!(
            "{}  find: {}{}",
            help::title(&app.keys),
            clean(find),
            if app.help_typing { "▏" } else { "" }
        ),
        None => help::title(&app.keys),
    };
    let (area, _) = text_area(frame.area(), &title, &lines);
    let inner = frame_popup(frame, app, area, &title);
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .scroll((scroll, 0)),
        inner,
    );
}

pub fn confirm(frame: &mut Frame<'_>, app: &App, prompt: &str) {
    let lines = vec![
        Line::from(clean(prompt).into_owned()),
        Line::default(),
        hint_line(app, &[Context::Confirm]),
    ];
    text_popup(frame, app, "Confirm", lines);
}

pub fn handoff(
    frame: &mut Frame<'_>,
    app: &App,
    username: &str,
    tasks: u64,
    picker: Option<&Picker>,
) {
    let name = clean(username).into_owned();
    let Some(picker) = picker else {
        let lines = vec![
            Line::from(if tasks == 1 {
                format!("{name} has 1 task. What happens to it?")
            } else {
                format!(
                    "{name} has {}. What happens to them?",
                    crate::text::count(tasks, "task", "tasks")
                )
            }),
            Line::default(),
            hint_line(app, &[Context::Handoff]),
        ];
        text_popup(frame, app, "Delete user", lines);
        return;
    };
    super::menus::picker_popup(
        frame,
        app,
        &format!("Give {name}'s tasks to"),
        picker,
        Context::Picker,
    );
}

const LABEL_WIDTH: u16 = 14;

fn field_height(input: &Input) -> u16 {
    match input {
        Input::Lines(_) => 5,
        Input::Assignee { .. } | Input::Tags { .. } => 2,
        _ => 1,
    }
}

/// The error shown under field `index` (or, `None`, at the foot), wrapped to `width`.
fn error_paragraph(app: &App, form: &Form, index: Option<usize>) -> Option<Paragraph<'static>> {
    let (_, message) = form.errors.iter().find(|(at, _)| *at == index)?;
    Some(
        Paragraph::new(Span::styled(
            format!("↳ {}", clean(message)),
            Style::default().fg(app.theme.error),
        ))
        .wrap(Wrap { trim: false }),
    )
}

fn rows_of(paragraph: &Paragraph<'_>, width: u16) -> u16 {
    u16::try_from(paragraph.line_count(width)).unwrap_or(u16::MAX)
}

/// The form, as tall as its fields and errors where the screen allows; where it does not, the
/// description gives up rows first, then the form scrolls so the focused field always shows.
pub fn form(frame: &mut Frame<'_>, app: &App, form: &Form) {
    let screen = frame.area();
    let width = place(screen, 76, 1).width;
    let inner_width = width.saturating_sub(2);
    // An error sits under its field's input, or across the whole form where that is narrow.
    let error_x = if inner_width >= LABEL_WIDTH + 20 {
        LABEL_WIDTH
    } else {
        0
    };
    let error_width = inner_width - error_x;
    let mut heights: Vec<(u16, u16)> = form
        .fields
        .iter()
        .enumerate()
        .map(|(index, field)| {
            let error =
                error_paragraph(app, form, Some(index)).map_or(0, |p| rows_of(&p, error_width));
            (field_height(&field.input), error)
        })
        .collect();
    let foot_error = error_paragraph(app, form, None).map_or(0, |p| rows_of(&p, inner_width));
    let most = place(screen, width, u16::MAX).height.saturating_sub(2);
    // Rows for the fields: all but the hint line at the foot and a form-level error.
    let room = most.saturating_sub(1 + foot_error);
    let total = |heights: &[(u16, u16)]| heights.iter().map(|(f, e)| f + e).sum::<u16>();
    for (index, field) in form.fields.iter().enumerate() {
        if let Input::Lines(_) = field.input {
            let over = total(&heights).saturating_sub(room);
            let height = &mut heights[index].0;
            *height = height.saturating_sub(over).max(1);
        }
    }
    let content = total(&heights);
    let shown = content.min(room);
    // Scroll just enough to show the focused field and its error.
    let start: u16 = heights[..form.focus].iter().map(|(f, e)| f + e).sum();
    let end = start + heights[form.focus].0 + heights[form.focus].1;
    let scroll = end.saturating_sub(shown).min(start);
    let more = match (scroll > 0, scroll + shown < content) {
        (true, true) => " ↑↓",
        (true, false) => " ↑",
        (false, true) => " ↓",
        (false, false) => "",
    };
    let area = place(screen, width, shown + foot_error + 1 + 2);
    let inner = frame_popup(frame, app, area, &format!("{}{more}", form.title()));
    let mut y: u16 = 0;
    for (index, field) in form.fields.iter().enumerate() {
        let (height, error_rows) = heights[index];
        let top = y;
        y += height + error_rows;
        // Only whole fields are drawn, inside the window that scrolled to the focused one.
        if top < scroll || y > scroll + shown {
            continue;
        }
        let Some(area) = row(inner, top - scroll, height) else {
            continue;
        };
        let focused = index == form.focus;
        let label_style = if focused {
            Style::default()
                .fg(app.theme.accent)
                .add_modifier(Modifier::BOLD)
        } else {
            Style::default().fg(app.theme.muted)
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
        draw_input(frame, app, &field.input, focused, input_area);
        underline_text_field(frame, &field.input, input_area);
        if field.field == Some(crate::model::Field::Due)
            && let Input::Line(text) = &field.input
        {
            due_meaning(frame, app, &text.lines().join(""), input_area);
        }
        if let (Some(error), Some(line)) = (
            error_paragraph(app, form, Some(index)),
            row(inner, top - scroll + height, error_rows),
        ) {
            let line = Rect::new(line.x + error_x, line.y, error_width, line.height);
            frame.render_widget(error, line);
        }
    }
    if let (Some(error), Some(line)) = (
        error_paragraph(app, form, None),
        row(inner, shown, foot_error),
    ) {
        frame.render_widget(error, line);
    }
    if let Some(foot) = row(inner, inner.height.saturating_sub(1), 1) {
        frame.render_widget(Paragraph::new(hint_line(app, &[Context::Form])), foot);
    }
}

/// A text field's rows underlined across their width, so that an empty field shows where to
/// type, in colour and without (the choices and the assignee's hint line are not text fields).
fn underline_text_field(frame: &mut Frame<'_>, input: &Input, area: Rect) {
    let rows = match input {
        Input::Line(_) | Input::Tags { .. } | Input::Assignee { .. } => area.height.min(1),
        Input::Lines(_) => area.height,
        Input::Options { .. } => 0,
    };
    let buffer = frame.buffer_mut();
    let area =
        Rect::new(area.x, area.y, area.width.saturating_sub(1), rows).intersection(buffer.area);
    for y in area.top()..area.bottom() {
        for x in area.left()..area.right() {
            buffer[(x, y)].modifier |= Modifier::UNDERLINED;
        }
    }
}

/// What the typed due date means, after it (`fri  → Fri 27 Nov 2026`), where there is room.
fn due_meaning(frame: &mut Frame<'_>, app: &App, typed: &str, area: Rect) {
    use unicode_width::UnicodeWidthStr;
    // Nothing to add to an empty field or to a date typed as the date it is.
    let today = app.store().clock().today();
    match crate::model::parse_due(typed, today) {
        Ok(None) => return,
        Ok(Some(date)) if typed.trim() == date.format("%Y-%m-%d").to_string() => return,
        _ => {}
    }
    let meaning = super::due_meaning(typed, today);
    let at = u16::try_from(clean(typed).width() + 3).unwrap_or(u16::MAX);
    let width = u16::try_from(meaning.width()).unwrap_or(u16::MAX);
    if at.saturating_add(width) > area.width {
        return;
    }
    frame.render_widget(
        Paragraph::new(Span::styled(meaning, Style::default().fg(app.theme.muted))),
        Rect::new(area.x + at, area.y, width, 1),
    );
}

fn draw_input(frame: &mut Frame<'_>, app: &App, input: &Input, focused: bool, area: Rect) {
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
            frame.render_widget(
                Paragraph::new(lines).style(Style::default().fg(app.theme.muted)),
                area,
            );
        }
        Input::Tags { area: text, known } => {
            let first = Rect::new(area.x, area.y, area.width, 1);
            if focused {
                frame.render_widget(text, first);
            } else {
                frame.render_widget(
                    Paragraph::new(clean(&text.lines().join(" ")).into_owned()),
                    first,
                );
            }
            let typed = text.lines().join("");
            let offer = match crate::app::form::tag_completion(&typed, known) {
                Some((_, offered)) if focused => format!(
                    "→ {}   {}",
                    clean(offered.first().map_or("", String::as_str)),
                    clean(
                        &offered
                            .iter()
                            .skip(1)
                            .take(5)
                            .cloned()
                            .collect::<Vec<_>>()
                            .join(" ")
                    )
                ),
                _ if focused => "space-separated: bug area/backend".to_string(),
                _ => String::new(),
            };
            if let Some(second) = row(area, 1, 1) {
                frame.render_widget(
                    Paragraph::new(Span::styled(offer, Style::default().fg(app.theme.muted))),
                    second,
                );
            }
        }
        Input::Options { options, selected } => {
            let mut spans = Vec::new();
            let every: usize = options.iter().map(|o| o.chars().count() + 2).sum();
            let arrows = if focused { 5 } else { 0 };
            if every + arrows > usize::from(area.width) {
                // Too narrow for every option: the chosen one whole, with the way to the others.
                let chosen = options.get(*selected).copied().unwrap_or_default();
                let style = if focused {
                    Style::default()
                        .fg(app.theme.selected_text)
                        .bg(app.theme.selected)
                } else {
                    Style::default().add_modifier(Modifier::BOLD)
                };
                spans.push(Span::styled("‹", Style::default().fg(app.theme.muted)));
                spans.push(Span::styled(format!(" {chosen} "), style));
                spans.push(Span::styled("›", Style::default().fg(app.theme.muted)));
                frame.render_widget(Paragraph::new(Line::from(spans)), area);
                return;
            }
            for (index, option) in options.iter().enumerate() {
                let style = match (index == *selected, focused) {
                    (true, true) => Style::default()
                        .fg(app.theme.selected_text)
                        .bg(app.theme.selected),
                    (true, false) => {
                        Style::default().add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
                    }
                    _ => Style::default().fg(app.theme.muted),
                };
                spans.push(Span::styled(format!(" {option} "), style));
            }
            if focused {
                spans.push(Span::styled("  ←/→", Style::default().fg(app.theme.muted)));
            }
            frame.render_widget(Paragraph::new(Line::from(spans)), area);
        }
        Input::Assignee {
            query,
            users,
            selected,
            ..
        } => {
            let typed = query.lines().join("");
            // A search that finds nobody chooses nobody: the one chosen before is not shown as
            // if it were the answer.
            let unmatched = !typed.trim().is_empty() && matching(users, &typed).is_empty();
            let chosen = match selected {
                _ if unmatched => "(nobody matches)".to_string(),
                None => "unassigned".to_string(),
                Some(id) => users.iter().find(|c| c.id == *id).map_or_else(
                    || crate::model::missing_user(*id),
                    |c| clean(&c.username).into_owned(),
                ),
            };
            let first = Rect::new(area.x, area.y, area.width, 1);
            let mut spans = vec![Span::styled(
                chosen,
                Style::default().add_modifier(Modifier::BOLD),
            )];
            if focused {
                spans.push(Span::styled(
                    "   find: ",
                    Style::default().fg(app.theme.muted),
                ));
                spans.push(Span::raw(clean(&typed).into_owned()));
                spans.push(Span::styled("▏", Style::default().fg(app.theme.accent)));
            }
            frame.render_widget(Paragraph::new(Line::from(spans)), first);
            if focused && let Some(second) = row(area, 1, 1) {
                let mut names: Vec<String> = Vec::new();
                if typed.trim().is_empty() {
                    names.push("unassigned".into());
                }
                names.extend(
                    matching(users, &typed)
                        .iter()
                        .take(8)
                        .map(|c| clean(&c.username).into_owned()),
                );
                let text = if names.is_empty() {
                    "no user matches".to_string()
                } else {
                    format!("←/→ choose: {}", names.join(" · "))
                };
                frame.render_widget(
                    Paragraph::new(Span::styled(text, Style::default().fg(app.theme.muted))),
                    second,
                );
            }
        }
    }
}
