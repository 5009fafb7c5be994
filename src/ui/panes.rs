//! The Users pane and the detail of the selected task or user, and what the panes share: their
//! frame and the selection's style.

use crate::app::{App, FIXED_ENTRIES, Pane};
use crate::config::Theme;
use crate::keymap::{Action, Context};
use crate::model::Task;
use crate::text::{clean, clean_lines, fit};
use chrono::NaiveDate;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Paragraph, Wrap};

pub(super) fn pane_block(t: &Theme, title: String, focused: bool) -> Block<'static> {
    let style = if focused {
        Style::default().fg(t.accent)
    } else {
        Style::default().fg(t.muted)
    };
    Block::default()
        .borders(Borders::ALL)
        .border_type(if focused {
            BorderType::Thick
        } else {
            BorderType::Plain
        })
        .border_style(style)
        .title(Span::styled(
            title,
            Style::default().add_modifier(Modifier::BOLD),
        ))
}

/// The selected row drawn in one style over its whole width: the row's own colours (a red
/// `high`, a dim id, a yellow `today`) would otherwise show as patches on the selection, or as
/// dim text on it. Focused: the theme's selection colours, bold; not focused: plain reverse
/// video. Under `NO_COLOR` both become reverse video, the pane's border telling which has focus.
pub(super) fn paint_selection(frame: &mut Frame<'_>, t: &Theme, row: Rect, focused: bool) {
    let buffer = frame.buffer_mut();
    let row = row.intersection(buffer.area);
    for x in row.left()..row.right() {
        for y in row.top()..row.bottom() {
            let cell = &mut buffer[(x, y)];
            if focused {
                cell.set_fg(t.selected_text).set_bg(t.selected);
                cell.modifier = Modifier::BOLD;
            } else {
                cell.set_fg(ratatui::style::Color::Reset)
                    .set_bg(ratatui::style::Color::Reset);
                cell.modifier = Modifier::REVERSED;
            }
        }
    }
}

/// Overdue open tasks in red, those due today in yellow.
pub(super) fn due_style(t: &Theme, task: &Task, today: NaiveDate) -> Style {
    match task.due {
        Some(due) if task.status.is_open() && due < today => {
            Style::default().fg(t.overdue).add_modifier(Modifier::BOLD)
        }
        Some(due) if task.status.is_open() && due == today => Style::default()
            .fg(t.due_today)
            .add_modifier(Modifier::BOLD),
        _ => Style::default(),
    }
}

pub fn users(frame: &mut Frame<'_>, app: &App, area: Rect) {
    let focused = app.focus == Pane::Users;
    let block = pane_block(&app.theme, " 1 Users ".into(), focused);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let rows = usize::from(inner.height);
    let mut lines = Vec::with_capacity(rows);
    for index in app.user_top..(app.user_top + rows).min(app.users.len() + FIXED_ENTRIES) {
        let width = usize::from(inner.width);
        let italic = Style::default().add_modifier(Modifier::ITALIC);
        let line = match index {
            0 => counted_line(&app.theme, "All", app.everyone_counts(), width, italic),
            1 => counted_line(&app.theme, "Unassigned", app.nobody, width, italic),
            _ => {
                let summary = &app.users[index - FIXED_ENTRIES];
                counted_line(
                    &app.theme,
                    &clean(&summary.user.username),
                    (summary.open_tasks, summary.overdue_tasks),
                    width,
                    Style::default(),
                )
            }
        };
        lines.push(line);
    }
    frame.render_widget(Paragraph::new(lines), inner);
    if let Some(at) = app.user_cursor.checked_sub(app.user_top)
        && at < rows
    {
        let y = inner.y + u16::try_from(at).unwrap_or(u16::MAX);
        paint_selection(
            frame,
            &app.theme,
            Rect::new(inner.x, y, inner.width, 1),
            focused,
        );
    }
}

/// An entry of the Users pane and its open and late tasks. The counts are never cut: the name
/// gives up room first, and where even that is not enough the counts drop their words.
fn counted_line(
    t: &Theme,
    name: &str,
    (open, late): (u64, u64),
    width: usize,
    style: Style,
) -> Line<'static> {
    // Tiers: "2 open 1 late", then "2 1 late", then "2 1!".
    let words = |open_long: bool, late_long: bool| {
        let mut counts = Vec::new();
        if open > 0 {
            counts.push((
                format!(" {open}{}", if open_long { " open" } else { "" }),
                false,
            ));
        }
        if late > 0 {
            counts.push((
                format!(" {late}{}", if late_long { " late" } else { "!" }),
                true,
            ));
        }
        counts
    };
    let room = |counts: &[(String, bool)]| {
        width.saturating_sub(counts.iter().map(|(t, _)| t.chars().count()).sum())
    };
    let wanted = name.chars().count().min(6);
    let counts = [(true, true), (false, true), (false, false)]
        .into_iter()
        .map(|(o, l)| words(o, l))
        .find(|c| room(c) >= wanted)
        .unwrap_or_else(|| words(false, false));
    let mut spans = vec![Span::styled(fit(name, room(&counts)).into_owned(), style)];
    for (text, late) in counts {
        let style = if late {
            Style::default().fg(t.overdue).add_modifier(Modifier::BOLD)
        } else {
            Style::default().fg(t.muted)
        };
        spans.push(Span::styled(text, style));
    }
    Line::from(spans)
}

pub fn detail(frame: &mut Frame<'_>, app: &App, area: Rect) {
    if area.height == 0 {
        return;
    }
    let lines = if app.focus == Pane::Users {
        app.selected_user().map(|u| user_detail(&app.theme, u))
    } else {
        app.selected_task().map(|task| task_detail(app, task))
    };
    let Some(lines) = lines else {
        frame.render_widget(
            Paragraph::new("").block(pane_block(&app.theme, " Detail ".into(), false)),
            area,
        );
        return;
    };
    let paragraph = Paragraph::new(lines).wrap(Wrap { trim: false });
    let rows =
        u16::try_from(paragraph.line_count(area.width.saturating_sub(2))).unwrap_or(u16::MAX);
    let visible = area.height.saturating_sub(2);
    let scroll = app.detail_scroll.min(rows.saturating_sub(visible));
    // Say when there is more than the pane shows, and how to see it.
    let (down, up) = (
        app.key(Context::Tasks, Action::DetailDown),
        app.key(Context::Tasks, Action::DetailUp),
    );
    let more = match (scroll > 0, scroll + visible < rows) {
        (true, true) => format!(" ↑↓ {down}/{up} "),
        (true, false) => format!(" ↑ {up} "),
        (false, true) => format!(" ↓ more: {down} "),
        (false, false) => String::new(),
    };
    let block = pane_block(&app.theme, " Detail ".into(), false)
        .title_bottom(Line::from(more).right_aligned());
    frame.render_widget(paragraph.block(block).scroll((scroll, 0)), area);
}

fn label(t: &Theme, text: &'static str) -> Span<'static> {
    Span::styled(text, Style::default().fg(t.muted))
}

fn task_detail(app: &App, task: &Task) -> Vec<Line<'static>> {
    let clock = app.store().clock();
    let mut lines = vec![
        Line::from(vec![
            Span::styled(
                format!("#{} ", task.id.0),
                Style::default().fg(app.theme.muted),
            ),
            Span::styled(
                clean(&task.title).into_owned(),
                Style::default().add_modifier(Modifier::BOLD),
            ),
        ]),
        Line::from(vec![
            label(&app.theme, "status "),
            Span::raw(task.status.as_str()),
            label(&app.theme, "  priority "),
            Span::raw(task.priority.as_str()),
            label(&app.theme, "  due "),
            Span::styled(
                task.due.map_or("-".into(), |d| {
                    format!(
                        "{} ({})",
                        app.dates.whole(d),
                        crate::config::relative_due(d, clock.today(), task.status)
                    )
                }),
                due_style(&app.theme, task, clock.today()),
            ),
            label(&app.theme, "  assignee "),
            Span::raw(clean(&task.assignee_label().unwrap_or_else(|| "-".into())).into_owned()),
        ]),
        Line::from(vec![
            label(&app.theme, "created "),
            Span::raw(clock.local(&task.created_at)),
            label(&app.theme, "  updated "),
            Span::raw(clock.local(&task.updated_at)),
            label(
                &app.theme,
                if task.completed_at.is_some() {
                    "  completed "
                } else {
                    ""
                },
            ),
            Span::raw(
                task.completed_at
                    .as_deref()
                    .map(|c| clock.local(c))
                    .unwrap_or_default(),
            ),
        ]),
    ];
    if !task.tags.is_empty() {
        let tags: Vec<String> = task.tags.iter().map(|t| format!("#{}", clean(t))).collect();
        lines.push(Line::from(vec![
            label(&app.theme, "tags "),
            Span::raw(tags.join(" ")),
        ]));
    }
    lines.extend(clean_lines(&task.description).into_iter().map(Line::from));
    if !app.history.is_empty() {
        lines.push(Line::from(Span::styled(
            format!(
                "last changes ({} undoes yours):",
                app.key(Context::Panes, Action::Undo)
            ),
            Style::default().fg(app.theme.muted),
        )));
    }
    for entry in &app.history {
        let who = entry
            .author
            .as_deref()
            .map_or_else(|| "(no name)".to_string(), |name| clean(name).into_owned());
        let mut spans = vec![
            Span::styled(
                format!("{}  ", clock.local(&entry.at)),
                Style::default().fg(app.theme.muted),
            ),
            Span::raw(format!("{who}: ")),
            Span::raw(clean(&entry.summary).into_owned()),
        ];
        if entry.undone {
            spans.push(label(&app.theme, " (undone)"));
        }
        lines.push(Line::from(spans));
    }
    lines
}

/// The selected user, with what the Users pane has no room for.
fn user_detail(t: &Theme, summary: &crate::model::UserSummary) -> Vec<Line<'static>> {
    let user = &summary.user;
    vec![
        Line::from(Span::styled(
            clean(&user.username).into_owned(),
            Style::default().add_modifier(Modifier::BOLD),
        )),
        Line::from(vec![
            label(t, "full name "),
            Span::raw(if user.full_name.is_empty() {
                "-".to_string()
            } else {
                clean(&user.full_name).into_owned()
            }),
        ]),
        Line::from(vec![
            label(t, "email "),
            Span::raw(clean(user.email.as_deref().unwrap_or("-")).into_owned()),
        ]),
        Line::from(vec![
            label(t, "open tasks "),
            Span::raw(summary.open_tasks.to_string()),
            label(t, "  late "),
            Span::raw(summary.overdue_tasks.to_string()),
        ]),
    ]
}
