//! The full default config, every entry with a comment: what `tasktui config --print-default`
//! prints and `assets/config.toml` keeps. Made from the defaults themselves, so it cannot drift.

use super::{Config, FILTER_WORDS, Theme, colour_name};
use crate::keymap::Context;

/// A TOML string, quoted and escaped.
fn quoted(text: &str) -> String {
    toml::Value::String(text.to_string()).to_string()
}

pub fn text() -> String {
    let config = Config::default();
    let mut out = String::new();
    let mut line = |text: &str| {
        out.push_str(text);
        out.push('\n');
    };
    line("# tasktui's config: every entry at its default. Keep only what you change, in");
    line("# ~/.config/tasktui/config.toml (the platform's config folder), or give another file");
    line("# with --config PATH or TASKTUI_CONFIG. `tasktui config check` reports what it cannot");
    line("# use (by line) and keys bound twice; tasktui starts anyway, with defaults for those.");
    line("");
    line("# Your username: the user the \"mine\" filter shows and the author of your changes");
    line("# (undo is per person). TASKTUI_USER overrides it; without either, your login name.");
    line("# me = \"alice\"");
    line("");
    line(
        "# Click to select a row or pane, wheel to scroll; false leaves the mouse to the terminal",
    );
    line("# (selecting text with it).");
    line(&format!("mouse = {}", config.mouse));
    line("");
    line("[dates]");
    line("# Due dates in the Tasks pane: \"relative\" (in 3d, 2d late) or \"absolute\".");
    line(&format!(
        "display = {}",
        quoted(if config.dates.relative {
            "relative"
        } else {
            "absolute"
        })
    ));
    line("# The format of a date shown whole (chrono's strftime: %Y-%m-%d, %d %b, %a %-d %b).");
    line(&format!("format = {}", quoted(&config.dates.format)));
    line("");
    line("[start]");
    line(&format!(
        "# The quick filters in force at start: any of {}, or \"#tag\".",
        FILTER_WORDS.map(|w| format!("\"{w}\"")).join(", ")
    ));
    line("filter = []");
    line("# The order of the Tasks pane at start: due, priority, created, updated, title or");
    line("# status. An order chosen with o and O is remembered for you and wins.");
    line(&format!("sort = {}", quoted(config.sort.key.label())));
    line("# Reversed (done first).");
    line(&format!("reverse = {}", config.sort.reverse));
    line("");
    line("[theme]");
    line("# \"dark\" or \"light\": the colours start from its defaults; an entry below overrides.");
    line("# Colours: a name (black, red, green, yellow, blue, magenta, cyan, gray, dark-gray,");
    line("# white, light-red, …, reset), \"#rrggbb\", or 0-255 from the terminal's palette.");
    line("# NO_COLOR (set to anything) draws without colour: reverse video, bold and markers.");
    line("base = \"dark\"");
    for (name, what) in Theme::ENTRIES {
        let colour = config.theme.get(name).unwrap_or_default();
        line(&format!("# {what}"));
        line(&format!("{name} = {}", quoted(&colour_name(colour))));
    }
    line("");
    line("# Keys, per table: an action and its key or keys. A key is a character (\"G\" is");
    line("# Shift-g), or enter, esc, tab, space, backspace, delete, insert, home, end, pageup,");
    line("# pagedown, up, down, left, right, f1-f12, with ctrl-, alt- or shift- before it");
    line(
        "# (\"ctrl-r\", \"shift-tab\"). [] unbinds an action. A key bound to two actions that are",
    );
    line("# read together is reported as a conflict.");
    for context in Context::ALL {
        line("");
        line(&format!("[keys.{}]", context.name()));
        line(&format!("# {}", context.title()));
        for binding in config.keys.bindings(context) {
            let keys: Vec<String> = binding.keys.iter().map(|k| quoted(&k.notation())).collect();
            line(&format!("# {}", binding.help));
            line(&format!(
                "{} = [{}]",
                binding.action.name().unwrap_or("?"),
                keys.join(", ")
            ));
        }
    }
    out
}
