//! Keys: the actions they ask for, the contexts they are read in, and lookup. Key lookup, the
//! help overlay and the status bar hints all read the same tables (`defaults.rs`), so they
//! cannot disagree.

mod action;
mod defaults;
mod notation;
mod tables;

pub use action::Action;
pub use defaults::TEXT_KEYS;
use defaults::{
    ASSIGN, CONFIRM, DUE, FILTER, FORM, GLOBAL, HANDOFF, HELP, PANES, PICKER, SEARCH, TAG_PICKER,
    TAGS, TASKS, USERS,
};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
pub use tables::{Conflict, Keymap};

/// A key as written in the tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    code: KeyCode,
    modifiers: KeyModifiers,
}

pub(super) const fn key(code: KeyCode) -> Key {
    Key {
        code,
        modifiers: KeyModifiers::NONE,
    }
}

pub(super) const fn ch(c: char) -> Key {
    key(KeyCode::Char(c))
}

pub(super) const fn ctrl(c: char) -> Key {
    Key {
        code: KeyCode::Char(c),
        modifiers: KeyModifiers::CONTROL,
    }
}

impl Key {
    fn matches(self, event: &KeyEvent) -> bool {
        // Terminals report Shift with capitals and with Shift-Tab; the character already says it.
        let modifiers = match event.code {
            KeyCode::Char(_) | KeyCode::BackTab => event.modifiers - KeyModifiers::SHIFT,
            _ => event.modifiers,
        };
        self.code == event.code && self.modifiers == modifiers
    }
}

/// A binding of the default tables, as written in `defaults.rs`.
#[derive(Debug, Clone, Copy)]
pub struct Default {
    keys: &'static [Key],
    action: Action,
    help: &'static str,
    hint: Option<&'static str>,
}

pub(super) const fn bind(keys: &'static [Key], action: Action, help: &'static str) -> Default {
    Default {
        keys,
        action,
        help,
        hint: None,
    }
}

pub(super) const fn hint(
    keys: &'static [Key],
    action: Action,
    help: &'static str,
    short: &'static str,
) -> Default {
    Default {
        keys,
        action,
        help,
        hint: Some(short),
    }
}

/// One action of one context, and the keys that ask for it (none when a person unbound it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Binding {
    pub keys: Vec<Key>,
    pub action: Action,
    pub help: &'static str,
    /// The short word shown in the status bar, for the bindings worth a hint there.
    pub hint: Option<&'static str>,
}

/// Where keys are read; each has its own table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    /// Everywhere outside a form.
    Global,
    /// The Users and Tasks panes.
    Panes,
    /// The Users pane only.
    Users,
    /// The Tasks pane only.
    Tasks,
    Form,
    Confirm,
    /// Deleting a user who has tasks.
    Handoff,
    /// Choosing who takes over a deleted user's tasks.
    Picker,
    /// Typing in the filter line.
    Search,
    /// Typing a due date for the selected task.
    Due,
    /// Choosing who the selected or marked tasks go to (`A`).
    Assign,
    /// The quick filter menu (`f`).
    Filter,
    /// The tags prompt (`T`).
    Tags,
    /// Choosing a tag to show (`f #`).
    TagPicker,
    Help,
}

impl Context {
    pub const ALL: [Context; 15] = [
        Context::Panes,
        Context::Users,
        Context::Tasks,
        Context::Global,
        Context::Search,
        Context::Due,
        Context::Filter,
        Context::TagPicker,
        Context::Tags,
        Context::Assign,
        Context::Form,
        Context::Confirm,
        Context::Handoff,
        Context::Picker,
        Context::Help,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Context::Global => "Anywhere outside a form",
            Context::Panes => "Users and Tasks panes",
            Context::Users => "Users pane",
            Context::Tasks => "Tasks pane",
            Context::Form => "Forms",
            Context::Confirm => "Confirmation",
            Context::Handoff => "Deleting a user who has tasks",
            Context::Picker => "Choosing the user who takes over",
            Context::Search => "The filter line",
            Context::Due => "The due date prompt",
            Context::Assign => "Assigning tasks",
            Context::Filter => "The quick filter menu",
            Context::Tags => "The tags prompt",
            Context::TagPicker => "Choosing a tag to show",
            Context::Help => "This help",
        }
    }

    /// The name of its table in the config file (`[keys.tasks]`).
    pub fn name(self) -> &'static str {
        match self {
            Context::Global => "global",
            Context::Panes => "panes",
            Context::Users => "users",
            Context::Tasks => "tasks",
            Context::Form => "form",
            Context::Confirm => "confirm",
            Context::Handoff => "handoff",
            Context::Picker => "picker",
            Context::Search => "search",
            Context::Due => "due",
            Context::Assign => "assign",
            Context::Filter => "filter",
            Context::Tags => "tags",
            Context::TagPicker => "tag-picker",
            Context::Help => "help",
        }
    }

    pub fn named(name: &str) -> Option<Context> {
        Context::ALL.into_iter().find(|c| c.name() == name)
    }

    /// The contexts read together, first to last, while this one is in front. An overlay
    /// (help, a confirmation, the filter menu) shadows the global keys on purpose: its `q`
    /// closes it rather than quitting.
    pub fn groups() -> [&'static [Context]; 13] {
        [
            &[Context::Tasks, Context::Panes, Context::Global],
            &[Context::Users, Context::Panes, Context::Global],
            &[Context::Help],
            &[Context::Search],
            &[Context::Due],
            &[Context::Assign],
            &[Context::Filter],
            &[Context::Tags],
            &[Context::TagPicker],
            &[Context::Form],
            &[Context::Confirm],
            &[Context::Handoff],
            &[Context::Picker],
        ]
    }

    fn defaults(self) -> &'static [Default] {
        match self {
            Context::Global => GLOBAL,
            Context::Panes => PANES,
            Context::Users => USERS,
            Context::Tasks => TASKS,
            Context::Form => FORM,
            Context::Confirm => CONFIRM,
            Context::Handoff => HANDOFF,
            Context::Picker => PICKER,
            Context::Search => SEARCH,
            Context::Due => DUE,
            Context::Assign => ASSIGN,
            Context::Filter => FILTER,
            Context::Tags => TAGS,
            Context::TagPicker => TAG_PICKER,
            Context::Help => HELP,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::crossterm::event::KeyEvent;

    fn press(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, modifiers)
    }

    #[test]
    fn capitals_and_shift_tab_match_with_or_without_the_shift_flag() {
        let panes = [Context::Panes];
        assert_eq!(
            Keymap::default().lookup(&panes, &press(KeyCode::Char('G'), KeyModifiers::SHIFT)),
            Some(Action::MoveBottom)
        );
        assert_eq!(
            Keymap::default().lookup(&panes, &press(KeyCode::Char('G'), KeyModifiers::NONE)),
            Some(Action::MoveBottom)
        );
        assert_eq!(
            Keymap::default().lookup(&panes, &press(KeyCode::BackTab, KeyModifiers::SHIFT)),
            Some(Action::FocusPrevious)
        );
        assert_eq!(
            Keymap::default().lookup(&panes, &press(KeyCode::Char('d'), KeyModifiers::CONTROL)),
            Some(Action::HalfPageDown)
        );
        assert_eq!(
            Keymap::default().lookup(&panes, &press(KeyCode::Char('d'), KeyModifiers::NONE)),
            Some(Action::Delete)
        );
        assert_eq!(
            Keymap::default().lookup(&panes, &press(KeyCode::Char('d'), KeyModifiers::ALT)),
            None
        );
    }

    #[test]
    fn the_defaults_bind_no_key_twice_in_contexts_read_together() {
        assert_eq!(Keymap::default().conflicts(), []);
    }

    #[test]
    fn a_key_bound_twice_where_both_are_read_is_a_conflict_naming_both_actions() {
        let mut keys = Keymap::default();
        keys.bind(Context::Panes, Action::Undo, vec![ch('x')])
            .unwrap();
        keys.bind(Context::Form, Action::Save, vec![ctrl('z')])
            .unwrap();
        // An overlay's own keys may shadow the global ones: not a conflict.
        keys.bind(Context::Confirm, Action::Yes, vec![ctrl('c')])
            .unwrap();
        let found: Vec<String> = keys.conflicts().iter().map(ToString::to_string).collect();
        assert_eq!(
            found,
            [
                "\"x\" is bound to both toggle-done [keys.tasks] and undo [keys.panes]",
                "\"ctrl-z\" is bound to both suspend [keys.global] and save [keys.form]",
            ]
        );
        // Taking the keys of an action away leaves it unbound, and the help says so.
        keys.bind(Context::Panes, Action::Undo, Vec::new()).unwrap();
        assert_eq!(keys.key_for(Context::Panes, Action::Undo), "(unbound)");
        assert!(keys.help().iter().any(|(_, rows)| rows.contains(&(
            "(unbound)".to_string(),
            "undo your last change (many steps)"
        ))));
    }

    #[test]
    fn an_action_bound_in_a_context_without_it_names_where_it_is() {
        let error = Keymap::default()
            .bind(Context::Users, Action::ToggleDone, vec![ch('x')])
            .unwrap_err();
        assert_eq!(
            error,
            "toggle-done is not an action of [keys.users]; it is one of [keys.tasks]"
        );
    }

    #[test]
    fn every_bound_action_has_a_name_and_every_name_one_action() {
        for &c in &Context::ALL {
            for b in Keymap::default().bindings(c) {
                let name = b
                    .action
                    .name()
                    .unwrap_or_else(|| panic!("{:?} has no name", b.action));
                assert_eq!(Action::named(name), Some(b.action));
            }
            assert_eq!(Context::named(c.name()), Some(c));
        }
    }

    #[test]
    fn q_closes_an_overlay_instead_of_quitting() {
        let q = press(KeyCode::Char('q'), KeyModifiers::NONE);
        assert_eq!(
            Keymap::default().lookup(&[Context::Help, Context::Global], &q),
            Some(Action::ToggleHelp)
        );
        assert_eq!(
            Keymap::default().lookup(&[Context::Confirm, Context::Global], &q),
            Some(Action::No)
        );
        assert_eq!(
            Keymap::default().lookup(&[Context::Handoff, Context::Global], &q),
            Some(Action::Cancel)
        );
        assert_eq!(
            Keymap::default().lookup(&[Context::Tasks, Context::Panes, Context::Global], &q),
            Some(Action::Quit)
        );
    }

    #[test]
    fn help_lists_every_binding_with_its_keys() {
        let help = Keymap::default().help();
        let total: usize = help.iter().map(|(_, rows)| rows.len()).sum();
        let bound: usize = Context::ALL
            .iter()
            .map(|&c| Keymap::default().bindings(c).len())
            .sum::<usize>()
            + TEXT_KEYS.len();
        assert_eq!(total, bound);
        let panes = &help
            .iter()
            .find(|(t, _)| *t == "Users and Tasks panes")
            .unwrap()
            .1;
        assert!(panes.contains(&("j, ↓".to_string(), "move down")));
        assert!(panes.contains(&("e".to_string(), "edit the selected row")));
        assert!(panes.contains(&("2, l, →".to_string(), "focus the Tasks pane")));
        let global = &help
            .iter()
            .find(|(t, _)| *t == "Anywhere outside a form")
            .unwrap()
            .1;
        assert!(
            global.iter().any(|(keys, _)| keys == "Ctrl-z"),
            "{global:?}"
        );
        let global = &help
            .iter()
            .find(|(t, _)| *t == "Anywhere outside a form")
            .unwrap()
            .1;
        assert_eq!(global[0], ("q, Ctrl-c".to_string(), "quit"));
    }

    #[test]
    fn hints_use_short_words() {
        let hints = Keymap::default().hints(&[Context::Tasks, Context::Panes, Context::Global]);
        let words: Vec<_> = hints.iter().map(|(k, w, _)| format!("{k} {w}")).collect();
        assert_eq!(
            words,
            [
                "x done", "s status", "v mark", "f filter", "a add", "e edit", "d delete",
                "u undo", "/ search", "q quit", "? help"
            ]
        );
    }
}
