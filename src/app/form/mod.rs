//! The add/edit forms for users and tasks: their fields, focus, and what the person typed.

use crate::model::{Field, Priority, Status, Task, TaskFields, TaskId, User, UserId};
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui_textarea::TextArea;

mod values;

/// What saving the form does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormTarget {
    NewUser,
    /// The user as they were read: saving is refused if another process changed them since.
    EditUser {
        id: UserId,
        version: i64,
    },
    NewTask,
    /// The task as it was read: saving is refused if another process changed it since.
    EditTask {
        id: TaskId,
        version: i64,
    },
}

/// A user to choose as assignee.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    pub id: UserId,
    pub username: String,
    pub full_name: String,
}

/// A field's input and its kind.
#[derive(Debug, Clone)]
pub enum Input {
    Line(TextArea<'static>),
    Lines(TextArea<'static>),
    /// One of fixed options, changed with ←/→.
    Options {
        options: &'static [&'static str],
        selected: usize,
    },
    /// Space-separated tags; the tags already in use (most used first) are offered for the
    /// word being typed, and → at the end of the text takes the first.
    Tags {
        area: TextArea<'static>,
        known: Vec<String>,
    },
    /// Type to narrow the users; ←/→ move among the matches. `None` is "unassigned".
    Assignee {
        query: TextArea<'static>,
        users: Vec<Choice>,
        selected: Option<UserId>,
        /// The choice before the search began, given back when the search is cleared.
        before_search: Option<Option<UserId>>,
    },
}

#[derive(Debug, Clone)]
pub struct FormField {
    pub label: &'static str,
    /// The model field whose validation errors belong here.
    pub field: Option<Field>,
    pub input: Input,
}

#[derive(Debug, Clone)]
pub struct Form {
    pub target: FormTarget,
    pub fields: Vec<FormField>,
    pub focus: usize,
    /// The problems to show, each beside the field it names (or at the foot of the form).
    pub errors: Vec<(Option<usize>, String)>,
    /// Cancel was pressed once on a form with something typed: a second one discards it.
    pub discarding: bool,
    /// Each field's value when the form opened: only the fields the person changed are saved.
    opened: Vec<String>,
    /// The task as it was read, for an edit: what the fields it changes held then, so that
    /// another person's edit of other fields meanwhile is merged rather than refused.
    pub seen: Option<Box<Task>>,
}

const STATUS_OPTIONS: &[&str] = &["todo", "doing", "done"];
const PRIORITY_OPTIONS: &[&str] = &["none", "low", "medium", "high"];

fn line(text: &str) -> TextArea<'static> {
    let mut area = TextArea::new(vec![text.to_string()]);
    area.move_cursor(ratatui_textarea::CursorMove::End);
    area
}

fn lines(text: &str) -> TextArea<'static> {
    let mut area = TextArea::new(text.lines().map(str::to_string).collect());
    area.move_cursor(ratatui_textarea::CursorMove::Bottom);
    area.move_cursor(ratatui_textarea::CursorMove::End);
    area
}

/// A key in a text field, with readline's meaning where terminal users expect it:
/// `Ctrl-u` deletes to the start of the line (the text area's default would undo). `Ctrl-a`,
/// `Ctrl-e`, `Ctrl-k` and `Ctrl-w` already mean what readline means. Returns whether the text
/// changed.
pub fn edit_text(area: &mut TextArea<'_>, key: KeyEvent) -> bool {
    use ratatui::crossterm::event::KeyModifiers;
    if key.code == KeyCode::Char('u') && key.modifiers == KeyModifiers::CONTROL {
        return area.delete_line_by_head();
    }
    area.input(key)
}

pub fn text_of(area: &TextArea<'_>) -> String {
    area.lines().join("\n")
}

impl Form {
    pub fn user(user: Option<&User>) -> Form {
        let target = user.map_or(FormTarget::NewUser, |u| FormTarget::EditUser {
            id: u.id,
            version: u.version,
        });
        let (username, full_name, email) = user.map_or(("", "", ""), |u| {
            (
                u.username.as_str(),
                u.full_name.as_str(),
                u.email.as_deref().unwrap_or(""),
            )
        });
        Form {
            target,
            fields: vec![
                FormField {
                    label: "Username",
                    field: Some(Field::Username),
                    input: Input::Line(line(username)),
                },
                FormField {
                    label: "Full name",
                    field: Some(Field::FullName),
                    input: Input::Line(line(full_name)),
                },
                FormField {
                    label: "Email",
                    field: Some(Field::Email),
                    input: Input::Line(line(email)),
                },
            ],
            focus: 0,
            errors: Vec::new(),
            discarding: false,
            opened: Vec::new(),
            seen: None,
        }
        .remember_opened()
    }

    /// A form for `task`, or for a new task assigned to `assignee`.
    pub fn task(
        task: Option<&Task>,
        assignee: Option<UserId>,
        users: Vec<Choice>,
        known_tags: Vec<String>,
    ) -> Form {
        let target = task.map_or(FormTarget::NewTask, |t| FormTarget::EditTask {
            id: t.id,
            version: t.version,
        });
        let empty = TaskFields {
            assignee,
            ..TaskFields::titled("")
        };
        let fields = task.map_or(empty, Task::fields);
        let due = fields.due.map(|d| d.to_string()).unwrap_or_default();
        Form {
            target,
            fields: vec![
                FormField {
                    label: "Title",
                    field: Some(Field::Title),
                    input: Input::Line(line(&fields.title)),
                },
                FormField {
                    label: "Description",
                    field: Some(Field::Description),
                    input: Input::Lines(lines(&fields.description)),
                },
                FormField {
                    label: "Status",
                    field: None,
                    input: Input::Options {
                        options: STATUS_OPTIONS,
                        selected: Status::ALL
                            .iter()
                            .position(|s| *s == fields.status)
                            .unwrap_or(0),
                    },
                },
                FormField {
                    label: "Priority",
                    field: None,
                    input: Input::Options {
                        options: PRIORITY_OPTIONS,
                        selected: Priority::ALL
                            .iter()
                            .position(|p| *p == fields.priority)
                            .unwrap_or(0),
                    },
                },
                FormField {
                    label: "Due",
                    field: Some(Field::Due),
                    input: Input::Line(line(&due)),
                },
                FormField {
                    label: "Assignee",
                    field: Some(Field::Assignee),
                    input: Input::Assignee {
                        query: line(""),
                        users,
                        selected: fields.assignee,
                        before_search: None,
                    },
                },
                FormField {
                    label: "Tags",
                    field: Some(Field::Tags),
                    input: Input::Tags {
                        area: line(&fields.tags.join(" ")),
                        known: known_tags,
                    },
                },
            ],
            focus: 0,
            errors: Vec::new(),
            discarding: false,
            opened: Vec::new(),
            seen: task.map(|t| Box::new(t.clone())),
        }
        .remember_opened()
    }

    pub fn is_user_form(&self) -> bool {
        matches!(
            self.target,
            FormTarget::NewUser | FormTarget::EditUser { .. }
        )
    }

    pub fn title(&self) -> &'static str {
        match self.target {
            FormTarget::NewUser => "New user",
            FormTarget::EditUser { .. } => "Edit user",
            FormTarget::NewTask => "New task",
            FormTarget::EditTask { .. } => "Edit task",
        }
    }

    pub fn focused_is_multiline(&self) -> bool {
        matches!(self.fields[self.focus].input, Input::Lines(_))
    }

    pub fn next_field(&mut self) {
        self.focus_field((self.focus + 1) % self.fields.len());
    }

    pub fn previous_field(&mut self) {
        self.focus_field((self.focus + self.fields.len() - 1) % self.fields.len());
    }

    /// Moves the focus; a due date is selected whole on arrival, so typing `fri` replaces
    /// `2026-10-25` instead of extending it (arrows keep it and move the cursor).
    fn focus_field(&mut self, index: usize) {
        self.focus = index;
        let field = &mut self.fields[index];
        if field.field == Some(Field::Due)
            && let Input::Line(area) = &mut field.input
            && !text_of(area).is_empty()
        {
            area.select_all();
        }
    }

    /// ↓/↑ in the description move between its lines, and leave it from the last/first line.
    pub fn arrow_stays_in_field(&self, down: bool) -> bool {
        match &self.fields[self.focus].input {
            Input::Lines(area) => {
                let row = area.cursor().0;
                if down {
                    row + 1 < area.lines().len()
                } else {
                    row > 0
                }
            }
            _ => false,
        }
    }

    /// Hands a key to the focused field.
    pub fn input(&mut self, key: KeyEvent) {
        // What is said about a field is about what it held: an edit takes it back (a save
        // checks again).
        let focus = self.focus;
        self.errors.retain(|(field, _)| *field != Some(focus));
        match &mut self.fields[self.focus].input {
            Input::Line(area) => {
                // One line: Enter never reaches here (it saves), and pasted breaks are refused
                // by validation with the text kept.
                edit_text(area, key);
            }
            Input::Lines(area) => {
                edit_text(area, key);
            }
            Input::Tags { area, known } => {
                let at_end = area.cursor().1 >= text_of(area).chars().count();
                match tag_completion(&text_of(area), known) {
                    Some((rest, _)) if key.code == KeyCode::Right && at_end => {
                        area.insert_str(rest + " ");
                    }
                    _ => {
                        edit_text(area, key);
                    }
                }
            }
            Input::Options { options, selected } => match key.code {
                KeyCode::Right => *selected = (*selected + 1) % options.len(),
                KeyCode::Left => *selected = (*selected + options.len() - 1) % options.len(),
                _ => {}
            },
            Input::Assignee {
                query,
                users,
                selected,
                before_search,
            } => match key.code {
                KeyCode::Right | KeyCode::Left => {
                    // The choices shown: the matches of a search, or everyone and "unassigned".
                    let typed = text_of(query);
                    let mut ids: Vec<Option<UserId>> = Vec::new();
                    if typed.trim().is_empty() {
                        ids.push(None);
                    }
                    ids.extend(matching(users, &typed).iter().map(|c| Some(c.id)));
                    if ids.is_empty() {
                        return;
                    }
                    let at = ids.iter().position(|id| id == selected).unwrap_or(0);
                    let step = if key.code == KeyCode::Right {
                        1
                    } else {
                        ids.len() - 1
                    };
                    *selected = ids[(at + step) % ids.len()];
                }
                _ => {
                    if edit_text(query, key) {
                        follow_search(query, users, selected, before_search);
                    }
                }
            },
        }
    }

    /// Inserts pasted text into the focused field. One-line fields get spaces for line breaks
    /// and tabs; anything else that cannot be stored is left for validation to point out.
    pub fn paste(&mut self, text: &str) {
        match &mut self.fields[self.focus].input {
            Input::Line(area) => {
                area.insert_str(one_line(text));
            }
            Input::Lines(area) => {
                area.insert_str(text.replace("\r\n", "\n").replace('\r', "\n"));
            }
            Input::Tags { area, .. } => {
                area.insert_str(one_line(text));
            }
            Input::Assignee {
                query,
                users,
                selected,
                before_search,
            } => {
                query.insert_str(one_line(text));
                follow_search(query, users, selected, before_search);
            }
            Input::Options { .. } => {}
        }
    }
}

/// The choice follows the search: the best match while there is one; a search that matches
/// nobody keeps the choice (saving then says so); clearing the search gives back the choice
/// from before it.
fn follow_search(
    query: &TextArea<'_>,
    users: &[Choice],
    selected: &mut Option<UserId>,
    before_search: &mut Option<Option<UserId>>,
) {
    let typed = text_of(query);
    if typed.trim().is_empty() {
        if let Some(before) = before_search.take() {
            *selected = before;
        }
        return;
    }
    before_search.get_or_insert(*selected);
    if let Some(best) = matching(users, &typed).first() {
        *selected = Some(best.id);
    }
}

/// Pasted text for a one-line field: line breaks and tabs become spaces.
pub fn one_line(text: &str) -> String {
    text.replace("\r\n", " ").replace(['\n', '\r', '\t'], " ")
}

/// What the tags field offers for the word at the end of `typed`: the rest of the first known
/// tag that starts with it (ignoring case) and is not typed already, and every such tag.
pub fn tag_completion(typed: &str, known: &[String]) -> Option<(String, Vec<String>)> {
    if typed.ends_with(char::is_whitespace) {
        return None;
    }
    let word = typed.split_whitespace().last()?;
    // In the `T` prompt a word may say `-` (remove) or `+` (add) first.
    let word = word.trim_start_matches(['-', '+']);
    let word = word.strip_prefix('#').unwrap_or(word).to_lowercase();
    if word.is_empty() {
        return None;
    }
    let taken: Vec<String> = typed
        .split_whitespace()
        .map(|w| w.trim_start_matches(['-', '+', '#']).to_lowercase())
        .collect();
    let offered: Vec<String> = known
        .iter()
        .filter(|k| {
            let lower = k.to_lowercase();
            lower.starts_with(&word) && lower != word && !taken.contains(&lower)
        })
        .cloned()
        .collect();
    let first = offered.first()?;
    let rest: String = first.chars().skip(word.chars().count()).collect();
    Some((rest, offered))
}

/// The users whose username or full name contains `query`, ignoring case.
pub fn matching<'a>(users: &'a [Choice], query: &str) -> Vec<&'a Choice> {
    let query = query.trim().to_lowercase();
    users
        .iter()
        .filter(|c| {
            c.username.to_lowercase().contains(&query)
                || c.full_name.to_lowercase().contains(&query)
        })
        .collect()
}
