//! Where a popup goes on the screen, and how big it is: as wide as its text wants (within the
//! screen) and as tall as that text wraps to.

use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};

/// A box of at most `width`×`height` in the middle of the screen, a column clear of each edge
/// where there is room.
pub fn place(screen: Rect, width: u16, height: u16) -> Rect {
    let width = width
        .min(screen.width.saturating_sub(2))
        .max(1)
        .min(screen.width);
    let height = height
        .min(screen.height.saturating_sub(1))
        .max(1)
        .min(screen.height);
    Rect::new(
        screen.x + (screen.width - width) / 2,
        screen.y + (screen.height - height) / 2,
        width,
        height,
    )
}

/// The widest line, and the title, plus the frame: how wide a popup wants to be.
pub fn wanted_width(title: &str, lines: &[Line<'_>]) -> u16 {
    let widest = lines.iter().map(Line::width).max().unwrap_or(0);
    let title = Line::from(title).width() + 4;
    u16::try_from(widest.max(title) + 2).unwrap_or(u16::MAX)
}

/// Where a popup of wrapped text goes: as wide as its text (within the screen) and as tall as
/// the text wraps to; also the number of rows the text takes.
pub fn text_area(screen: Rect, title: &str, lines: &[Line<'static>]) -> (Rect, u16) {
    let width = place(screen, wanted_width(title, lines), 1).width;
    let rows = Paragraph::new(lines.to_vec())
        .wrap(Wrap { trim: false })
        .line_count(width.saturating_sub(2));
    let rows = u16::try_from(rows).unwrap_or(u16::MAX);
    (place(screen, width, rows.saturating_add(2)), rows)
}
