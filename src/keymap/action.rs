//! What a key can ask for, and the names a person binds them by.

use ratatui::crossterm::event::KeyEvent;

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

impl Action {
    /// Whether the action changes data: refused on a read-only database before anything opens,
    /// and not offered in the hints there.
    pub fn changes_data(self) -> bool {
        matches!(
            self,
            Action::Add
                | Action::Edit
                | Action::Delete
                | Action::ToggleDone
                | Action::CycleStatus
                | Action::Undo
                | Action::Redo
                | Action::PriorityUp
                | Action::PriorityDown
                | Action::SetDue
                | Action::Assign
                | Action::EditDescription
                | Action::SetTags
        )
    }

    /// The actions a person can bind, by the name the config file uses.
    pub const NAMED: &[(Action, &'static str)] = &[
        (Action::Quit, "quit"),
        (Action::ToggleHelp, "help"),
        (Action::Suspend, "suspend"),
        (Action::FocusNext, "next-pane"),
        (Action::FocusPrevious, "previous-pane"),
        (Action::FocusUsers, "focus-users"),
        (Action::FocusTasks, "focus-tasks"),
        (Action::MoveDown, "down"),
        (Action::MoveUp, "up"),
        (Action::MoveTop, "top"),
        (Action::MoveBottom, "bottom"),
        (Action::HalfPageDown, "half-page-down"),
        (Action::HalfPageUp, "half-page-up"),
        (Action::PageDown, "page-down"),
        (Action::PageUp, "page-up"),
        (Action::Add, "add"),
        (Action::Edit, "edit"),
        (Action::Delete, "delete"),
        (Action::ToggleDone, "toggle-done"),
        (Action::CycleStatus, "cycle-status"),
        (Action::Cancel, "cancel"),
        (Action::NextField, "next-field"),
        (Action::PreviousField, "previous-field"),
        (Action::ChoicePrevious, "previous-choice"),
        (Action::ChoiceNext, "next-choice"),
        (Action::Submit, "submit"),
        (Action::Save, "save"),
        (Action::Yes, "yes"),
        (Action::No, "no"),
        (Action::Unassign, "unassign"),
        (Action::Reassign, "reassign"),
        (Action::Search, "search"),
        (Action::ShowTasks, "show-tasks"),
        (Action::DetailDown, "detail-down"),
        (Action::DetailUp, "detail-up"),
        (Action::Undo, "undo"),
        (Action::Redo, "redo"),
        (Action::PriorityUp, "priority-up"),
        (Action::PriorityDown, "priority-down"),
        (Action::SetDue, "set-due"),
        (Action::Assign, "assign"),
        (Action::EditDescription, "edit-description"),
        (Action::SetTags, "set-tags"),
        (Action::FilterTag, "filter-tag"),
        (Action::Mark, "mark"),
        (Action::MarkAll, "mark-all"),
        (Action::Filter, "filter-menu"),
        (Action::FilterOpen, "filter-open"),
        (Action::FilterDone, "filter-done"),
        (Action::FilterAll, "filter-all"),
        (Action::FilterOverdue, "filter-overdue"),
        (Action::FilterToday, "filter-today"),
        (Action::FilterWeek, "filter-week"),
        (Action::FilterMine, "filter-mine"),
        (Action::FilterClear, "filter-clear"),
        (Action::SortNext, "sort-next"),
        (Action::SortReverse, "sort-reverse"),
    ];

    /// The name a person binds it by; `None` for the internal events (resize, tick, input,
    /// mouse).
    pub fn name(self) -> Option<&'static str> {
        Action::NAMED
            .iter()
            .find(|(a, _)| *a == self)
            .map(|(_, name)| *name)
    }

    pub fn named(name: &str) -> Option<Action> {
        Action::NAMED
            .iter()
            .find(|(_, n)| *n == name)
            .map(|(a, _)| *a)
    }
}
