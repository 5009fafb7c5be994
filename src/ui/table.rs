//! The Tasks pane's table: its columns chosen for the width, each row's cells, the selection
//! and what an empty list says.

use super::panes::{due_style, paint_selection, pane_block};
use crate::app::{App, Pane};
use crate::config::Theme;
use crate::keymap::{Action, Context};
use crate::model::{Priority, Status, Task};
use crate::query::Assignee;
use crate::text::{clean, fit};
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Table, TableState, Wrap};
use unicode_width::UnicodeWidthStr;

const STATUS: u16 = 6;
const PRIORITY: u16 = 4;
const DUE: u16 = 10;
/// The title is never cut below this to make room for another column.
const TITLE_AT_LEAST: u16 = 16;
/// The title column takes at most what its longest row needs, and at least this.
const TITLE_AT_MOST_BELOW_NEED: u16 = 24;

/// The task table's columns for an inner width. The title shrinks first; when it would fall
/// below `TITLE_AT_LEAST` the status goes (the detail shows it), then the priority, and only then
/// the assignee: in a team tracker the assignee and the due date are what a lead looks for. The
/// title takes no more than its longest row needs, so the assignee sits beside it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Columns {
    status: bool,
    priority: bool,
    /// Zero: no assignee column.
    assignee: u16,
    title: u16,
}

impl Columns {
    fn plan(inner: u16, longest_title: u16, longest_assignee: u16) -> Columns {
        let assignee = longest_assignee.clamp(8, 16);
        let choices = [
            (true, true, assignee),
            (false, true, assignee),
            (false, false, assignee),
            (false, false, 0),
        ];
        let mut planned = Columns {
            status: false,
            priority: false,
            assignee: 0,
            title: 0,
        };
        for (status, priority, assignee) in choices {
            // The marker, the title, the due date and the empty rest always, and a space
            // between each two columns.
            let mut fixed = 1 + DUE;
            let mut gaps = 3;
            for (shown, width) in [
                (status, STATUS),
                (priority, PRIORITY),
                (assignee > 0, assignee),
            ] {
                if shown {
                    fixed += width;
                    gaps += 1;
                }
            }
            let room = inner.saturating_sub(fixed + gaps);
            planned = Columns {
                status,
                priority,
                assignee,
                title: room,
            };
            if room >= TITLE_AT_LEAST {
                break;
            }
        }
        planned.title = planned
            .title
            .min(longest_title.max(TITLE_AT_MOST_BELOW_NEED));
        planned
    }
}

/// The width a task's title cell would take uncut: its id, its title and its tags.
fn natural_title_width(task: &Task) -> u16 {
    let tags: usize = task.tags.iter().map(|t| clean(t).width() + 2).sum();
    let width = format!("#{} ", task.id.0).len() + clean(&task.title).width() + tags;
    u16::try_from(width).unwrap_or(u16::MAX)
}

fn status_cell(t: &Theme, status: Status) -> Cell<'static> {
    match status {
        // The usual state says nothing: only what differs from it is written.
        Status::Todo => Cell::from(""),
        Status::Doing => Cell::from(Span::styled("doing", Style::default().fg(t.doing))),
        Status::Done => Cell::from(Span::styled("done", Style::default().fg(t.done))),
    }
}

fn priority_cell(t: &Theme, priority: Priority) -> Cell<'static> {
    match priority {
        Priority::None => Cell::from(""),
        Priority::Low => Cell::from(Span::styled("low", Style::default().fg(t.muted))),
        Priority::Medium => Cell::from("med"),
        Priority::High => Cell::from(Span::styled(
            "high",
            Style::default().fg(t.high).add_modifier(Modifier::BOLD),
        )),
    }
}

/// The task's id, dimmed, before its title; the title is cut to what is left.
/// Its tags follow, dimmed, in the room the title leaves (`#backend #ui`).
fn title_cell(t: &Theme, task: &Task, width: usize) -> Cell<'static> {
    let id = format!("#{} ", task.id.0);
    let title = fit(
        &clean(&task.title),
        width.saturating_sub(id.chars().count()),
    )
    .into_owned();
    let mut spans = vec![
        Span::styled(id.clone(), Style::default().fg(t.muted)),
        Span::raw(title.clone()),
    ];
    let left = width.saturating_sub(id.width() + title.width() + 1);
    if !task.tags.is_empty() && left >= 4 {
        let tags: Vec<String> = task.tags.iter().map(|t| format!("#{}", clean(t))).collect();
        spans.push(Span::styled(
            format!(" {}", fit(&tags.join(" "), left)),
            Style::default().fg(t.muted),
        ));
    }
    Cell::from(Line::from(spans))
}

pub fn tasks(frame: &mut Frame<'_>, app: &App, area: Rect) {
    let focused = app.focus == Pane::Tasks;
    let who = match app.selected_assignee() {
        Assignee::All => "all".to_string(),
        Assignee::Unassigned => "unassigned".to_string(),
        Assignee::User(_) => app
            .selected_user()
            .map(|u| clean(&u.user.username).into_owned())
            .unwrap_or_default(),
    };
    let list = &app.tasks;
    let position = if list.total == 0 { 0 } else { list.cursor + 1 };
    let filter = if app.search.is_empty() {
        String::new()
    } else {
        format!(" /{}", clean(&app.search))
    };
    let folded = if area.x == 0 { "· ← Users " } else { "" };
    let quick: String = app
        .quick
        .labels()
        .iter()
        .map(|word| format!(" · {word}"))
        .collect();
    let title = format!(
        " 2 Tasks: {who}{quick}{filter} ({}/{}{}) by {} {folded}",
        crate::text::thousands(position),
        crate::text::thousands(list.total),
        if list.bounded { "+" } else { "" },
        app.sort.label()
    );
    let block = pane_block(&app.theme, title, focused);
    let today = app.store().clock().today();
    let columns = Columns::plan(
        area.width.saturating_sub(2),
        list.rows.iter().map(natural_title_width).max().unwrap_or(0),
        list.rows
            .iter()
            .filter_map(|task| task.assignee_label())
            .map(|name| u16::try_from(clean(&name).width()).unwrap_or(u16::MAX))
            .max()
            .unwrap_or(0),
    );
    let title_width = usize::from(columns.title);
    let assignee_width = usize::from(columns.assignee);
    let rows = list.rows.iter().map(|task| {
        // The marker column: a mark is a bar at the row's edge, a glyph that shows without
        // colour too, and the marked row is bold.
        let marked = app.marks.contains_key(&task.id);
        let mark = if marked {
            Cell::from(Span::styled(
                "▌",
                Style::default()
                    .fg(app.theme.accent)
                    .add_modifier(Modifier::BOLD),
            ))
        } else {
            Cell::from(" ")
        };
        let mut cells = vec![mark];
        if columns.status {
            cells.push(status_cell(&app.theme, task.status));
        }
        if columns.priority {
            cells.push(priority_cell(&app.theme, task.priority));
        }
        cells.push(title_cell(&app.theme, task, title_width));
        if assignee_width > 0 {
            cells.push(Cell::from(
                fit(
                    &clean(&task.assignee_label().unwrap_or_default()),
                    assignee_width,
                )
                .into_owned(),
            ));
        }
        cells.push(Cell::from(Span::styled(
            task.due
                .map(|d| app.dates.show(d, today, task.status))
                .unwrap_or_default(),
            due_style(&app.theme, task, today),
        )));
        let mut style = Style::default();
        if task.status == Status::Done {
            style = style.fg(app.theme.done);
        }
        if marked {
            style = style.add_modifier(Modifier::BOLD);
        }
        Row::new(cells).style(style)
    });
    let mut widths = vec![Constraint::Length(1)];
    let mut header = vec![""];
    if columns.status {
        widths.push(Constraint::Length(STATUS));
        header.push("status");
    }
    if columns.priority {
        widths.push(Constraint::Length(PRIORITY));
        header.push("pri");
    }
    widths.push(Constraint::Length(columns.title));
    header.push("title");
    if columns.assignee > 0 {
        widths.push(Constraint::Length(columns.assignee));
        header.push("assignee");
    }
    widths.push(Constraint::Length(DUE));
    header.push("due");
    // What the columns leave stays empty at the right, not in a gap after the title.
    widths.push(Constraint::Fill(1));
    let table = Table::new(rows, widths)
        .header(
            Row::new(header).style(
                Style::default()
                    .fg(app.theme.muted)
                    .add_modifier(Modifier::UNDERLINED),
            ),
        )
        .block(block);
    let selected = list
        .cursor
        .checked_sub(list.top)
        .and_then(|i| usize::try_from(i).ok())
        .filter(|_| list.total > 0);
    let mut state = TableState::default().with_selected(selected);
    frame.render_stateful_widget(table, area, &mut state);
    if let Some(at) = selected
        && let Ok(at) = u16::try_from(at)
        && at < area.height.saturating_sub(3)
    {
        // Inside the borders, under the header.
        let row = Rect::new(area.x + 1, area.y + 2 + at, area.width.saturating_sub(2), 1);
        paint_selection(frame, &app.theme, row, focused);
    }
    if list.total == 0 && area.height > 4 {
        let text = empty_list_words(app, focused);
        let hint = Paragraph::new(Span::styled(
            clean(&text).into_owned(),
            Style::default().fg(app.theme.muted),
        ))
        .wrap(Wrap { trim: true });
        let inside = Rect::new(
            area.x + 2,
            area.y + 2,
            area.width.saturating_sub(4),
            area.height.saturating_sub(3),
        );
        frame.render_widget(hint, inside);
    }
}

/// What an empty Tasks pane says: what hides the tasks and the keys that bring them back, or on
/// an empty database how to begin. Every key is the one bound now.
fn empty_list_words(app: &App, focused: bool) -> String {
    let mut hiding = Vec::new();
    let mut clearing = Vec::new();
    if !app.search.is_empty() {
        hiding.push(format!("the search /{}", clean(&app.search)));
        clearing.push(format!(
            "{} clears the search",
            app.key(Context::Panes, Action::Cancel)
        ));
    }
    let quick = app.quick.labels();
    if !quick.is_empty() {
        hiding.push(format!("the filter {}", quick.join(" · ")));
        clearing.push(format!(
            "{} then {} clears the filters",
            app.key(Context::Tasks, Action::Filter),
            app.key(Context::Filter, Action::FilterClear)
        ));
    }
    if !hiding.is_empty() {
        return format!(
            "No task matches {}. {}.",
            hiding.join(" and "),
            clearing.join("; ")
        );
    }
    // `a` adds to the focused pane: from the Users pane it would add a user.
    let add = app.key(Context::Panes, Action::Add);
    let tasks = app.key(Context::Panes, Action::FocusTasks);
    let press = if focused {
        format!("Press {add} to add a task.")
    } else {
        format!("Press {tasks}, then {add} to add a task.")
    };
    if !app.users.is_empty() {
        return format!("No tasks here. {press}");
    }
    let demo = app.store().file().map_or(String::new(), |path| {
        format!(
            " To look around first, quit and run: tasktui demo --db {}",
            crate::text::shell_quote(path)
        )
    });
    format!(
        "No tasks here yet. {press} To give tasks to people, add the people first: press {}, then {add}.{demo}",
        app.key(Context::Panes, Action::FocusUsers)
    )
}
