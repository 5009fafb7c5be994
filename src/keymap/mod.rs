//! Keys: the actions they ask for, the contexts they are read in, and lookup. Key lookup, the
//! help overlay and the status bar hints all read the same tables (`defaults.rs`), so they
//! cannot disagree.

mod defaults;

pub use defaults::TEXT_KEYS;
use defaults::{
    ASSIGN, CONFIRM, DUE, FILTER, FORM, GLOBAL, HANDOFF, HELP, PANES, PICKER, SEARCH, TAG_PICKER,
    TAGS, TASKS, USERS,
};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// Everything a key can ask for. `App::update` is the only place that acts on one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Quit,
    ToggleHelp,
    FocusNext,
    FocusPrevious,
    FocusUsers,
    FocusTasks,
    MoveDown,
    MoveUp,
    MoveTop,
    MoveBottom,
    HalfPageDown,
    HalfPageUp,
    PageDown,
    PageUp,
    Add,
    Edit,
    Delete,
    ToggleDone,
    CycleStatus,
    /// Close a popup or form, or clear the message.
    Cancel,
    NextField,
    PreviousField,
    /// ←/→ in a form: the previous/next choice, or the text cursor in a text field.
    ChoicePrevious,
    ChoiceNext,
    /// Enter in a form: save from a one-line field, a new line in the description.
    Submit,
    Save,
    Yes,
    No,
    Unassign,
    Reassign,
    /// A key that no table binds, for the focused text field.
    Input(KeyEvent),
    Resize(u16, u16),
    /// Time passed: look for changes made by other processes.
    Tick,
    /// Open the filter line.
    Search,
    /// Give the terminal back to the shell until `fg`; the terminal loop carries it out.
    Suspend,
    /// Enter on a user: show that user's tasks in the Tasks pane.
    ShowTasks,
    /// Scroll the detail of the selected task.
    DetailDown,
    DetailUp,
    /// Undo the person's last change, or redo the last one undone.
    Undo,
    Redo,
    /// One key, one change: the selected task's priority a step up or down.
    PriorityUp,
    PriorityDown,
    /// Set the selected task's due date in a one-line prompt.
    SetDue,
    /// Assign the selected (or marked) tasks through the user picker.
    Assign,
    /// Edit the selected task's description in `$VISUAL` / `$EDITOR`.
    EditDescription,
    /// Add or remove tags of the selected (or marked) tasks.
    SetTags,
    /// The filter menu's choice of a tag.
    FilterTag,
    /// Mark or unmark the selected task, or every task the list shows.
    Mark,
    MarkAll,
    /// Open the quick filter menu, and its choices.
    Filter,
    FilterOpen,
    FilterDone,
    FilterAll,
    FilterOverdue,
    FilterToday,
    FilterWeek,
    FilterMine,
    FilterClear,
    /// The next order of the Tasks pane, and the order reversed.
    SortNext,
    SortReverse,
    /// A mouse click at a cell (column, row): not bound to a key.
    Click(u16, u16),
    /// A turn of the wheel at a cell, down or up.
    Wheel(u16, u16, bool),
}

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
    /// The key as the help overlay and status bar write it.
    pub fn label(self) -> String {
        let name = match self.code {
            KeyCode::Char(' ') => "Space".to_string(),
            KeyCode::Char(c) => c.to_string(),
            KeyCode::Enter => "Enter".into(),
            KeyCode::Esc => "Esc".into(),
            KeyCode::Tab => "Tab".into(),
            KeyCode::BackTab => "Shift-Tab".into(),
            KeyCode::Down => "↓".into(),
            KeyCode::Up => "↑".into(),
            KeyCode::Left => "←".into(),
            KeyCode::Right => "→".into(),
            KeyCode::PageDown => "PgDn".into(),
            KeyCode::PageUp => "PgUp".into(),
            other => format!("{other:?}"),
        };
        if self.modifiers.contains(KeyModifiers::CONTROL) {
            format!("Ctrl-{name}")
        } else {
            name
        }
    }

    fn matches(self, event: &KeyEvent) -> bool {
        // Terminals report Shift with capitals and with Shift-Tab; the character already says it.
        let modifiers = match event.code {
            KeyCode::Char(_) | KeyCode::BackTab => event.modifiers - KeyModifiers::SHIFT,
            _ => event.modifiers,
        };
        self.code == event.code && self.modifiers == modifiers
    }
}

#[derive(Debug, Clone, Copy)]
pub struct Binding {
    pub keys: &'static [Key],
    pub action: Action,
    pub help: &'static str,
    /// The short word shown in the status bar, for the bindings worth a hint there.
    pub hint: Option<&'static str>,
}

pub(super) const fn bind(keys: &'static [Key], action: Action, help: &'static str) -> Binding {
    Binding {
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
) -> Binding {
    Binding {
        keys,
        action,
        help,
        hint: Some(short),
    }
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
            Context::Due => "The due date prompt (D)",
            Context::Assign => "Assigning tasks (A)",
            Context::Filter => "The quick filter menu (f)",
            Context::Tags => "The tags prompt (T)",
            Context::TagPicker => "Choosing a tag to show (f #)",
            Context::Help => "This help",
        }
    }

    pub fn bindings(self) -> &'static [Binding] {
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

pub fn lookup(contexts: &[Context], event: &KeyEvent) -> Option<Action> {
    contexts
        .iter()
        .flat_map(|c| c.bindings())
        .find(|b| b.keys.iter().any(|k| k.matches(event)))
        .map(|b| b.action)
}

/// ("a", "add"), … for the status bar.
pub fn hints(contexts: &[Context]) -> Vec<(String, &'static str)> {
    contexts
        .iter()
        .flat_map(|c| c.bindings())
        .filter_map(|b| Some((b.keys[0].label(), b.hint?)))
        .collect()
}

/// Every binding of every context, for the help overlay: (section, [(keys, what it does)]).
pub fn help() -> Vec<(&'static str, Vec<(String, &'static str)>)> {
    Context::ALL
        .iter()
        .map(|c| {
            let rows = c
                .bindings()
                .iter()
                .map(|b| {
                    let keys: Vec<String> = b.keys.iter().map(|k| k.label()).collect();
                    (keys.join(", "), b.help)
                })
                .collect();
            (c.title(), rows)
        })
        .chain(std::iter::once((
            "In text fields",
            TEXT_KEYS
                .iter()
                .map(|(k, what)| (k.to_string(), *what))
                .collect(),
        )))
        .collect()
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
            lookup(&panes, &press(KeyCode::Char('G'), KeyModifiers::SHIFT)),
            Some(Action::MoveBottom)
        );
        assert_eq!(
            lookup(&panes, &press(KeyCode::Char('G'), KeyModifiers::NONE)),
            Some(Action::MoveBottom)
        );
        assert_eq!(
            lookup(&panes, &press(KeyCode::BackTab, KeyModifiers::SHIFT)),
            Some(Action::FocusPrevious)
        );
        assert_eq!(
            lookup(&panes, &press(KeyCode::Char('d'), KeyModifiers::CONTROL)),
            Some(Action::HalfPageDown)
        );
        assert_eq!(
            lookup(&panes, &press(KeyCode::Char('d'), KeyModifiers::NONE)),
            Some(Action::Delete)
        );
        assert_eq!(
            lookup(&panes, &press(KeyCode::Char('d'), KeyModifiers::ALT)),
            None
        );
    }

    #[test]
    fn no_key_is_bound_twice_in_contexts_read_together() {
        // Overlays shadow `q` on purpose (it closes them, as in less); they are checked alone.
        for group in [
            vec![Context::Tasks, Context::Panes, Context::Global],
            vec![Context::Users, Context::Panes, Context::Global],
            vec![Context::Form],
            vec![Context::Confirm],
            vec![Context::Handoff],
            vec![Context::Picker],
            vec![Context::Search],
            vec![Context::Due],
            vec![Context::Help],
        ] {
            let keys: Vec<Key> = group
                .iter()
                .flat_map(|c| c.bindings())
                .flat_map(|b| b.keys.iter().copied())
                .collect();
            for (i, k) in keys.iter().enumerate() {
                assert!(
                    !keys[i + 1..].contains(k),
                    "{} bound twice in {group:?}",
                    k.label()
                );
            }
        }
    }

    #[test]
    fn q_closes_an_overlay_instead_of_quitting() {
        let q = press(KeyCode::Char('q'), KeyModifiers::NONE);
        assert_eq!(
            lookup(&[Context::Help, Context::Global], &q),
            Some(Action::ToggleHelp)
        );
        assert_eq!(
            lookup(&[Context::Confirm, Context::Global], &q),
            Some(Action::No)
        );
        assert_eq!(
            lookup(&[Context::Handoff, Context::Global], &q),
            Some(Action::Cancel)
        );
        assert_eq!(
            lookup(&[Context::Tasks, Context::Panes, Context::Global], &q),
            Some(Action::Quit)
        );
    }

    #[test]
    fn help_lists_every_binding_with_its_keys() {
        let help = help();
        let total: usize = help.iter().map(|(_, rows)| rows.len()).sum();
        let bound: usize = Context::ALL
            .iter()
            .map(|c| c.bindings().len())
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
        let hints = hints(&[Context::Tasks, Context::Panes, Context::Global]);
        let words: Vec<_> = hints.iter().map(|(k, w)| format!("{k} {w}")).collect();
        assert_eq!(
            words,
            [
                "x done", "s status", "v mark", "f filter", "a add", "e edit", "d delete",
                "u undo", "/ search", "q quit", "? help"
            ]
        );
    }
}
