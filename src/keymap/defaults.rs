//! The default key bindings: one table per context.

use super::{Action, Default, bind, ch, ctrl, hint, key};
use ratatui::crossterm::event::KeyCode;

pub(super) const GLOBAL: &[Default] = &[
    hint(&[ch('q'), ctrl('c')], Action::Quit, "quit", "quit"),
    bind(
        &[ctrl('z')],
        Action::Suspend,
        "suspend to the shell (fg comes back); works in forms too",
    ),
    hint(
        &[ch('?')],
        Action::ToggleHelp,
        "open or close this help",
        "help",
    ),
];

pub(super) const PANES: &[Default] = &[
    bind(&[key(KeyCode::Tab)], Action::FocusNext, "next pane"),
    bind(
        &[key(KeyCode::BackTab)],
        Action::FocusPrevious,
        "previous pane",
    ),
    bind(
        &[ch('1'), ch('h'), key(KeyCode::Left)],
        Action::FocusUsers,
        "focus the Users pane",
    ),
    bind(
        &[ch('2'), ch('l'), key(KeyCode::Right)],
        Action::FocusTasks,
        "focus the Tasks pane",
    ),
    bind(
        &[ch('j'), key(KeyCode::Down)],
        Action::MoveDown,
        "move down",
    ),
    bind(&[ch('k'), key(KeyCode::Up)], Action::MoveUp, "move up"),
    bind(
        &[ch('g'), key(KeyCode::Home)],
        Action::MoveTop,
        "go to the first row",
    ),
    bind(
        &[ch('G'), key(KeyCode::End)],
        Action::MoveBottom,
        "go to the last row",
    ),
    bind(&[ctrl('d')], Action::HalfPageDown, "half a page down"),
    bind(&[ctrl('u')], Action::HalfPageUp, "half a page up"),
    bind(&[key(KeyCode::PageDown)], Action::PageDown, "a page down"),
    bind(&[key(KeyCode::PageUp)], Action::PageUp, "a page up"),
    hint(
        &[ch('a')],
        Action::Add,
        "add (a task is assigned to the selected user)",
        "add",
    ),
    hint(&[ch('e')], Action::Edit, "edit the selected row", "edit"),
    hint(
        &[ch('d')],
        Action::Delete,
        "delete the selected row, after asking",
        "delete",
    ),
    hint(
        &[ch('u')],
        Action::Undo,
        "undo your last change (many steps)",
        "undo",
    ),
    bind(&[ctrl('r')], Action::Redo, "redo what you undid"),
    hint(
        &[ch('/')],
        Action::Search,
        "filter tasks by title, description and tag names",
        "search",
    ),
    bind(
        &[key(KeyCode::Esc)],
        Action::Cancel,
        "clear the marks, else the search, else the message",
    ),
];

pub(super) const SEARCH: &[Default] = &[
    hint(
        &[key(KeyCode::Enter)],
        Action::Submit,
        "keep the filter",
        "keep",
    ),
    hint(
        &[key(KeyCode::Esc)],
        Action::Cancel,
        "clear the filter",
        "clear",
    ),
];

pub(super) const USERS: &[Default] = &[bind(
    &[key(KeyCode::Enter)],
    Action::ShowTasks,
    "show the selected user's tasks",
)];

pub(super) const DUE: &[Default] = &[
    hint(
        &[key(KeyCode::Enter)],
        Action::Submit,
        "set this due date",
        "set",
    ),
    hint(&[key(KeyCode::Esc)], Action::Cancel, "cancel", "cancel"),
];

pub(super) const TASKS: &[Default] = &[
    bind(
        &[key(KeyCode::Enter)],
        Action::Edit,
        "edit the selected task",
    ),
    hint(
        &[ch('x'), ch(' ')],
        Action::ToggleDone,
        "toggle done",
        "done",
    ),
    hint(
        &[ch('s')],
        Action::CycleStatus,
        "cycle status todo → doing → done",
        "status",
    ),
    bind(
        &[ch('D')],
        Action::SetDue,
        "set the due date (today, fri, next friday, dec 24, +3d, -1d, in 2 weeks, eom, 2026-12-01; empty clears it)",
    ),
    bind(
        &[ch('+'), ch('=')],
        Action::PriorityUp,
        "raise the priority",
    ),
    bind(&[ch('-')], Action::PriorityDown, "lower the priority"),
    bind(
        &[ch('A')],
        Action::Assign,
        "assign to a user (or nobody), through the picker",
    ),
    bind(
        &[ch('T')],
        Action::SetTags,
        "tags: “backend -ui” adds #backend and removes #ui (on every marked task too)",
    ),
    bind(
        &[ch('E')],
        Action::EditDescription,
        "edit the description in $VISUAL or $EDITOR (else vi)",
    ),
    hint(
        &[ch('v')],
        Action::Mark,
        "mark or unmark, then move down; x s + - D A d act on every marked task as one change (Esc clears)",
        "mark",
    ),
    bind(
        &[ch('V')],
        Action::MarkAll,
        "mark every task the list shows (up to 10,000), or unmark them all",
    ),
    hint(
        &[ch('f')],
        Action::Filter,
        "quick filters: open, done, overdue, due today, this week, mine",
        "filter",
    ),
    bind(
        &[ch('o')],
        Action::SortNext,
        "sort by due → priority → created → updated → title → status",
    ),
    bind(&[ch('O')], Action::SortReverse, "reverse the order"),
    bind(&[ch('J')], Action::DetailDown, "scroll the detail down"),
    bind(&[ch('K')], Action::DetailUp, "scroll the detail up"),
];

pub(super) const FORM: &[Default] = &[
    hint(
        &[key(KeyCode::Tab)],
        Action::NextField,
        "next field",
        "next field",
    ),
    bind(
        &[key(KeyCode::BackTab)],
        Action::PreviousField,
        "previous field",
    ),
    bind(
        &[key(KeyCode::Down)],
        Action::MoveDown,
        "next field (in the description: next line)",
    ),
    bind(
        &[key(KeyCode::Up)],
        Action::MoveUp,
        "previous field (in the description: previous line)",
    ),
    bind(
        &[key(KeyCode::Left)],
        Action::ChoicePrevious,
        "previous status, priority or assignee (in text: cursor left)",
    ),
    bind(
        &[key(KeyCode::Right)],
        Action::ChoiceNext,
        "next status, priority or assignee (in text: cursor right)",
    ),
    hint(
        &[key(KeyCode::Enter)],
        Action::Submit,
        "save (in the description: a new line)",
        "save",
    ),
    hint(&[ctrl('s')], Action::Save, "save from any field", "save"),
    hint(
        &[key(KeyCode::Esc)],
        Action::Cancel,
        "cancel, saving nothing",
        "cancel",
    ),
];

pub(super) const CONFIRM: &[Default] = &[
    hint(&[ch('y')], Action::Yes, "yes, do it", "yes"),
    hint(
        &[ch('n'), key(KeyCode::Esc), ch('q')],
        Action::No,
        "no, cancel",
        "no",
    ),
];

pub(super) const HANDOFF: &[Default] = &[
    hint(
        &[ch('u')],
        Action::Unassign,
        "unassign the tasks, then delete the user",
        "unassign",
    ),
    hint(
        &[ch('r')],
        Action::Reassign,
        "reassign the tasks to another user, then delete",
        "reassign",
    ),
    hint(
        &[ch('n'), key(KeyCode::Esc), ch('q')],
        Action::Cancel,
        "cancel",
        "cancel",
    ),
];

pub(super) const PICKER: &[Default] = &[
    hint(
        &[key(KeyCode::Down), ctrl('n')],
        Action::MoveDown,
        "next match",
        "next",
    ),
    hint(
        &[key(KeyCode::Up), ctrl('p')],
        Action::MoveUp,
        "previous match",
        "previous",
    ),
    hint(
        &[key(KeyCode::Enter)],
        Action::Yes,
        "hand the tasks to this user and delete",
        "choose",
    ),
    hint(&[key(KeyCode::Esc)], Action::Cancel, "cancel", "cancel"),
];

pub(super) const ASSIGN: &[Default] = &[
    hint(
        &[key(KeyCode::Down), ctrl('n')],
        Action::MoveDown,
        "next match",
        "next",
    ),
    hint(
        &[key(KeyCode::Up), ctrl('p')],
        Action::MoveUp,
        "previous match",
        "previous",
    ),
    hint(
        &[key(KeyCode::Enter)],
        Action::Yes,
        "assign to this user (type to narrow; “nobody” unassigns)",
        "assign",
    ),
    hint(&[key(KeyCode::Esc)], Action::Cancel, "cancel", "cancel"),
];

pub(super) const FILTER: &[Default] = &[
    hint(
        &[ch('o')],
        Action::FilterOpen,
        "open tasks (todo, doing)",
        "open",
    ),
    hint(&[ch('d')], Action::FilterDone, "done tasks", "done"),
    hint(&[ch('a')], Action::FilterAll, "every status", "all"),
    hint(
        &[ch('l')],
        Action::FilterOverdue,
        "overdue (late): open, due before today; again to drop",
        "overdue",
    ),
    hint(
        &[ch('t')],
        Action::FilterToday,
        "due today; again to drop",
        "today",
    ),
    hint(
        &[ch('w')],
        Action::FilterWeek,
        "due this week (today to Sunday); again to drop",
        "week",
    ),
    hint(
        &[ch('m')],
        Action::FilterMine,
        "mine: assigned to the user named like you (TASKTUI_USER, else the config file's me, else your login); again to drop",
        "mine",
    ),
    hint(
        &[ch('#')],
        Action::FilterTag,
        "by tag: choose from the tags in use, with their counts; again to drop",
        "tag",
    ),
    hint(
        &[ch('c')],
        Action::FilterClear,
        "clear every quick filter",
        "clear",
    ),
    hint(
        &[key(KeyCode::Esc), ch('f'), ch('q')],
        Action::Cancel,
        "close the menu",
        "close",
    ),
];

pub(super) const TAGS: &[Default] = &[
    hint(
        &[key(KeyCode::Enter)],
        Action::Submit,
        "add the tags typed, remove those after -",
        "apply",
    ),
    hint(&[key(KeyCode::Esc)], Action::Cancel, "cancel", "cancel"),
];

pub(super) const TAG_PICKER: &[Default] = &[
    hint(
        &[key(KeyCode::Down), ctrl('n')],
        Action::MoveDown,
        "next tag",
        "next",
    ),
    hint(
        &[key(KeyCode::Up), ctrl('p')],
        Action::MoveUp,
        "previous tag",
        "previous",
    ),
    hint(
        &[key(KeyCode::Enter)],
        Action::Yes,
        "show the tasks with this tag (type to narrow)",
        "show",
    ),
    hint(&[key(KeyCode::Esc)], Action::Cancel, "cancel", "cancel"),
];

pub(super) const HELP: &[Default] = &[
    hint(
        &[key(KeyCode::Esc), ch('q')],
        Action::ToggleHelp,
        "close this help",
        "close",
    ),
    hint(
        &[ch('j'), key(KeyCode::Down)],
        Action::MoveDown,
        "scroll down",
        "scroll",
    ),
    bind(&[ch('k'), key(KeyCode::Up)], Action::MoveUp, "scroll up"),
    bind(
        &[key(KeyCode::PageDown), ch(' ')],
        Action::PageDown,
        "a page down",
    ),
    bind(&[key(KeyCode::PageUp)], Action::PageUp, "a page up"),
    bind(&[ctrl('d')], Action::HalfPageDown, "half a page down"),
    bind(&[ctrl('u')], Action::HalfPageUp, "half a page up"),
    bind(
        &[ch('g'), key(KeyCode::Home)],
        Action::MoveTop,
        "to the top",
    ),
    bind(
        &[ch('G'), key(KeyCode::End)],
        Action::MoveBottom,
        "to the end",
    ),
    hint(
        &[ch('/')],
        Action::Search,
        "find a key by a word of what it does (Enter keeps it, Esc clears it)",
        "find",
    ),
];

/// The action a key means in the given contexts, searched in order.
/// The keys every text field (forms, the filter line, the user picker) understands, as readline
/// does; the fields carry them out (`app::form::edit_text`), the help lists them from here.
pub const TEXT_KEYS: &[(&str, &str)] = &[
    ("Ctrl-a, Home", "to the start of the line"),
    ("Ctrl-e, End", "to the end of the line"),
    ("Ctrl-u", "delete to the start of the line"),
    ("Ctrl-k", "delete to the end of the line"),
    ("Ctrl-w", "delete the word before the cursor"),
];
