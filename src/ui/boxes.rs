//! The frame every popup and menu is drawn in: cleared, bordered, titled, in the middle of the
//! screen, with a line of key hints and rows inside.

use crate::app::App;
use crate::keymap::Context;
use crate::layout::popup::{place, text_area};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Clear, Paragraph, Wrap};

/// Clears and frames `area` as a popup titled `title`; returns the inside.
pub(super) fn frame_popup(frame: &mut Frame<'_>, app: &App, area: Rect, title: &str) -> Rect {
    let block = Block::default()
        .borders(Borders::ALL)
        .border_type(BorderType::Rounded)
        .border_style(Style::default().fg(app.theme.accent))
        .title(Span::styled(
            format!(" {title} "),
            Style::default().add_modifier(Modifier::BOLD),
        ));
    let inner = block.inner(area);
    frame.render_widget(Clear, area);
    frame.render_widget(block, area);
    inner
}

/// A box of at most `width`×`height` in the middle of the screen, cleared and framed; returns
/// the inside.
pub(super) fn popup(
    frame: &mut Frame<'_>,
    app: &App,
    title: &str,
    width: u16,
    height: u16,
) -> Rect {
    let area = place(frame.area(), width, height);
    frame_popup(frame, app, area, title)
}

/// A popup that shows `lines`, wrapped, sized to them.
pub(super) fn text_popup(frame: &mut Frame<'_>, app: &App, title: &str, lines: Vec<Line<'static>>) {
    let (area, _) = text_area(frame.area(), title, &lines);
    let inner = frame_popup(frame, app, area, title);
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}

pub(super) fn hint_line(app: &App, contexts: &[Context]) -> Line<'static> {
    let mut spans = Vec::new();
    for (key, word, _) in app.keys.hints(contexts) {
        spans.push(Span::styled(key, Style::default().fg(app.theme.accent)));
        spans.push(Span::styled(
            format!(" {word}  "),
            Style::default().fg(app.theme.muted),
        ));
    }
    Line::from(spans)
}

/// One row of `area`, if it has that many.
pub(super) fn row(area: Rect, offset: u16, height: u16) -> Option<Rect> {
    (offset < area.height).then(|| {
        Rect::new(
            area.x,
            area.y + offset,
            area.width,
            height.min(area.height - offset),
        )
    })
}
