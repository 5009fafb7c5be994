//! Drawing only: the screen is a function of `App`. Nothing here writes to the database.

mod boxes;
mod menus;
mod panes;
mod popups;
mod status;
mod table;

use crate::app::{App, Mode};
use crate::layout::{Areas, MIN_HEIGHT, MIN_WIDTH};
use crate::text;
use ratatui::Frame;
use ratatui::style::{Color, Modifier};
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
    let areas = app.fit(Areas::new(
        area.width,
        area.height,
        app.folds_users(area.width),
    ));
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
    table::tasks(frame, app, areas.tasks);
    panes::detail(frame, app, areas.detail);
    status::status_bar(frame, app, areas);
    match &app.mode {
        Mode::Browse | Mode::Search(_) | Mode::Due(_) | Mode::Tags(_) => {}
        Mode::TagFilter(picker) => menus::tag_picker(frame, app, picker, &app.tags),
        Mode::Assign(picker) => {
            let what = match app.marks.len() {
                0 => "Assign the task to".to_string(),
                n => format!(
                    "Assign the {} to",
                    crate::text::count(n, "marked task", "marked tasks")
                ),
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

/// What typed due-date words mean, for the prompt and the form: `→ Fri 27 Nov 2026`.
fn due_meaning(typed: &str, today: chrono::NaiveDate) -> String {
    match crate::model::parse_due(typed, today) {
        Ok(Some(date)) => date.format("→ %a %-d %b %Y").to_string(),
        Ok(None) => "→ no due date".to_string(),
        Err(_) => "→ not a date yet".to_string(),
    }
}
