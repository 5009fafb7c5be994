//! What the person's config file changes in the interface: keys, theme, mouse, dates and the
//! view at start.

use super::view::DueWindow;
use super::{App, QuickFilter};
use crate::config::Config;
use crate::keymap::{Action, Context};
use crate::query::State;

impl App {
    /// Takes the config in force: its keys and colours, and its view at start (an order
    /// remembered for the person, read later, wins over the config's).
    pub fn configure(&mut self, config: &Config) {
        self.keys = config.keys.clone();
        self.theme = config.theme;
        self.mouse = config.mouse;
        self.dates = config.dates.clone();
        let quick = start_filter(&config.filter);
        if quick != self.quick || config.sort != self.sort {
            self.quick = quick;
            self.sort = config.sort;
            self.tasks.cursor = 0;
            self.refresh_tasks();
        }
    }

    /// The key that asks for `action` in `context`, as the screen shows it: what every message
    /// that names a key says, so that it follows a rebinding.
    pub fn key(&self, context: Context, action: Action) -> String {
        self.keys.key_for(context, action)
    }

    /// A warning in the status bar (shown as an error: something the person should fix).
    pub fn warn(&mut self, text: impl Into<String>) {
        self.error(text.into());
    }
}

/// The quick filters `[start] filter` names, in the order written (a later state wins).
fn start_filter(words: &[String]) -> QuickFilter {
    let mut quick = QuickFilter::default();
    for word in words {
        match word.as_str() {
            "open" => quick.state = Some(State::Open),
            "done" => quick.state = Some(State::Done),
            "overdue" => {
                quick.due = Some(DueWindow::Overdue);
                quick.state = Some(State::Open);
            }
            "today" => quick.due = Some(DueWindow::Today),
            "week" => quick.due = Some(DueWindow::ThisWeek),
            "mine" => quick.mine = true,
            tag => quick.tag = tag.strip_prefix('#').map(str::to_string),
        }
    }
    quick
}
