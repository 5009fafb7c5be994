use super::*;
use crate::keymap::{Action, Context};
use crate::query::SortKey;
use ratatui::style::Color;

#[test]
fn the_default_text_reads_back_as_the_defaults() {
    let (config, problems) = parse(&default_text());
    assert_eq!(problems, []);
    assert_eq!(config, Config::default());
    assert_eq!(parse("").0, Config::default());
}

#[test]
fn each_entry_takes_effect() {
    let (config, problems) = parse(
        r##"
me = "alice"
mouse = false
[dates]
display = "absolute"
format = "%d %b"
[start]
filter = ["open", "mine", "#backend"]
sort = "priority"
reverse = true
[theme]
accent = "#ff8800"
base = "light"
[keys.panes]
undo = "U"
redo = ["ctrl-r", "R"]
[keys.tasks]
toggle-done = []
"##,
    );
    assert_eq!(problems, []);
    assert_eq!(config.me.as_deref(), Some("alice"));
    assert!(!config.mouse);
    assert!(!config.dates.relative);
    assert_eq!(config.dates.format, "%d %b");
    assert_eq!(config.filter, ["open", "mine", "#backend"]);
    assert_eq!(
        config.sort,
        Sort {
            key: SortKey::Priority,
            reverse: true
        }
    );
    assert_eq!(config.base, Base::Light);
    assert_eq!(
        config.theme.accent,
        Color::Rgb(0xff, 0x88, 0x00),
        "set beside the base, it wins"
    );
    assert_eq!(config.theme.doing, Theme::LIGHT.doing);
    assert_eq!(config.keys.key_for(Context::Panes, Action::Undo), "U");
    assert_eq!(config.keys.key_for(Context::Panes, Action::Redo), "Ctrl-r");
    assert_eq!(
        config.keys.key_for(Context::Tasks, Action::ToggleDone),
        "(unbound)"
    );
}

#[test]
fn each_mistake_is_named_by_its_line_and_the_rest_still_applies() {
    let text = r##"mouse = "no"
colour = "red"

[keys.panes]
add-tsk = "n"
undo = "hyper-u"
redo = "R"
toggle-done = "t"

[keys.screen]
quit = "Q"

[theme]
accent = "redd"
borders = "blue"

[dates]
display = "sideways"
format = "%Q"

[start]
filter = ["later"]
sort = "size"
"##;
    let (config, problems) = parse(text);
    let said: Vec<String> = problems.iter().map(ToString::to_string).collect();
    assert_eq!(
        said,
        [
            "line 1: mouse must be true or false, not string",
            "line 2: unknown entry \"colour\" (the entries are me, mouse, [dates], [start], [theme], [keys.…])",
            "line 5: unknown action \"add-tsk\" in [keys.panes] (tasktui config --print-default lists them)",
            "line 6: undo: unknown key: \"hyper-u\" is not a key name (a character, or enter, esc, tab, space, backspace, delete, insert, home, end, pageup, pagedown, up, down, left, right, f1–f12, with ctrl-, alt- or shift- before it)",
            "line 8: toggle-done is not an action of [keys.panes]; it is one of [keys.tasks]",
            "line 10: unknown key table [keys.screen] (the tables are panes, users, tasks, global, search, due, filter, tag-picker, tags, assign, form, confirm, handoff, picker, help)",
            "line 14: accent: \"redd\" is not a colour (red, dark-gray, …, #rrggbb or 0-255)",
            "line 15: unknown entry \"borders\" in [theme] (it takes base, accent, selected, selected-text, muted, error, warning, overdue, due-today, done, doing, high)",
            "line 18: display \"sideways\" is not relative or absolute",
            "line 19: format \"%Q\" is not a date format (chrono's strftime, like %Y-%m-%d or %a %-d %b)",
            "line 22: filter \"later\" is not one of open, done, overdue, today, week, mine, or #tag",
            "line 23: sort \"size\" is not one of due, priority, created, updated, title, status",
        ]
    );
    // What could be read applies; the rest keeps its default.
    assert_eq!(config.keys.key_for(Context::Panes, Action::Redo), "R");
    assert_eq!(config.keys.key_for(Context::Panes, Action::Undo), "u");
    assert!(config.mouse);
    assert_eq!(config.theme, Theme::DARK);
}

#[test]
fn a_file_that_is_not_toml_is_named_by_its_line_and_every_default_applies() {
    let (config, problems) = parse("mouse = false\n[keys.panes\nundo = \"U\"\n");
    assert_eq!(config, Config::default());
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].line, Some(2), "{}", problems[0]);
    assert!(
        problems[0]
            .message
            .ends_with("not TOML, so every default applies"),
        "{}",
        problems[0]
    );
}

#[test]
fn conflicting_bindings_name_the_key_and_both_actions() {
    let text = "[keys.panes]\nundo = \"x\"\n";
    let (config, problems) = parse(text);
    let said: Vec<String> = problems.iter().map(ToString::to_string).collect();
    assert_eq!(
        said,
        ["line 2: conflict: \"x\" is bound to both toggle-done [keys.tasks] and undo [keys.panes]"]
    );
    // Bound as written: the conflict is reported, not silently undone.
    assert_eq!(config.keys.key_for(Context::Panes, Action::Undo), "x");
}

#[test]
fn the_summary_names_the_file_the_first_problem_and_how_many_more() {
    let (config, problems) = parse("mouse = 1\ncolour = 2\n");
    let loaded = Loaded {
        config,
        path: Some("/home/a/.config/tasktui/config.toml".into()),
        problems,
    };
    assert_eq!(
        loaded.summary().unwrap(),
        "config: line 1: mouse must be true or false, not integer (tasktui config check, 1 more)"
    );
}

/// Thousands of entries are each named by their own line (read in one pass: 10,000 unknown
/// bindings took 7 s when each was looked for from the top of the file).
#[test]
fn thousands_of_mistakes_are_each_named_by_their_line() {
    let mut text = String::from("[keys.tasks]\n");
    for i in 0..10_000 {
        text.push_str(&format!("nope{i} = \"x\"\n"));
    }
    text.push_str("[keys.panes]\nquit = \"hyper-q\"\n");
    let (_, problems) = parse(&text);
    assert_eq!(problems.len(), 10_001);
    for (i, problem) in problems.iter().take(10_000).enumerate() {
        assert_eq!(problem.line, Some(i + 2), "{}", problem.message);
    }
    assert_eq!(problems[10_000].line, Some(10_003));
}
