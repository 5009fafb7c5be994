//! The task commands for scripts: list, add, edit, done, rm, users, user add and rm, undo, redo,
//! export and import. Each builds
//! the same `Change` values as the interface (same validation, same version checks, the same
//! undo history); bad input exits 2 with one line naming the value and the way out, and writes
//! nothing.

use crate::cli::{EditArgs, ListArgs, UserCommand};
use crate::commands::failure::store_failure as failed;
use crate::commands::{Failure, say};
use crate::error::StoreError;
use crate::model::{
    Change, Expect, Handoff, Priority, Status, Task, TaskChanges, TaskFields, TaskId, parse_due,
    parse_tags, validate_description, validate_title, validate_user,
};
use crate::open::Create;
use crate::open::DbLocation;
use crate::output;
use crate::query::Assignee;
use crate::query::Sort;
use crate::query::SortKey;
use crate::query::State;
use crate::query::TaskFilter;
use crate::seam::Database;
use chrono::Days;
use serde::Serialize;
use std::io::IsTerminal;

mod exchange;
mod table;
pub use exchange::{export, import};

/// Opens the database as the person, a file or a server (see `open::for_command`).
fn open(location: &DbLocation, create: Create) -> Result<Box<dyn Database>, Failure> {
    crate::open::for_command(location, create)
}

fn user_id(store: &dyn Database, name: &str) -> Result<crate::model::UserId, Failure> {
    store
        .list_users()
        .map_err(failed)?
        .into_iter()
        .find(|u| u.user.username.to_lowercase() == name.to_lowercase())
        .map(|u| u.user.id)
        .ok_or_else(|| {
            // `user add` is suggested only for a name it would take, quoted for the shell.
            let add = match validate_user(name, "", "") {
                Ok(fields) => format!(
                    ", `tasktui user add {}{}` adds one",
                    if fields.username.starts_with('-') {
                        "-- "
                    } else {
                        ""
                    },
                    crate::text::shell_word(&fields.username)
                ),
                Err(_) => String::new(),
            };
            Failure::usage(format!(
                "there is no user {name:?}: `tasktui users` lists them{add}"
            ))
        })
}

fn task(store: &dyn Database, id: i64) -> Result<Task, Failure> {
    store.get_task(TaskId(id)).map_err(|e| match e {
        StoreError::NotFound(_) => Failure::usage(format!(
            "there is no task {id}: `tasktui list` shows the ids"
        )),
        other => failed(other),
    })
}

fn priority(text: &str) -> Result<Priority, Failure> {
    match text.to_lowercase().as_str() {
        "none" | "n" | "0" => Ok(Priority::None),
        "low" | "l" | "1" => Ok(Priority::Low),
        "medium" | "med" | "m" | "2" => Ok(Priority::Medium),
        "high" | "h" | "3" => Ok(Priority::High),
        _ => Err(Failure::usage(format!(
            "priority {text:?} is not one of none, low, medium, high"
        ))),
    }
}

fn invalid(error: crate::model::ValidationError) -> Failure {
    Failure::usage(error.message)
}

/// A task as `list --json` prints it: a stable shape, documented in the README.
#[derive(Debug, Serialize)]
struct TaskOut<'a> {
    id: i64,
    title: &'a str,
    description: &'a str,
    status: &'a str,
    priority: &'a str,
    due: Option<String>,
    assignee: Option<&'a str>,
    tags: &'a [String],
    created_at: &'a str,
    updated_at: &'a str,
    completed_at: Option<&'a str>,
}

impl<'a> From<&'a Task> for TaskOut<'a> {
    fn from(t: &'a Task) -> TaskOut<'a> {
        TaskOut {
            id: t.id.0,
            title: &t.title,
            description: &t.description,
            status: t.status.as_str(),
            priority: t.priority.as_str(),
            due: t.due.map(|d| d.to_string()),
            assignee: t.assignee_name.as_deref(),
            tags: &t.tags,
            created_at: &t.created_at,
            updated_at: &t.updated_at,
            completed_at: t.completed_at.as_deref(),
        }
    }
}

/// `tasktui list`.
pub fn list(location: &DbLocation, args: &ListArgs) -> Result<(), Failure> {
    let store = open(location, Create::No)?;
    let today = store.clock().today();
    let mut filter = TaskFilter {
        search: args.search.clone(),
        tag: args.tag.clone(),
        ..TaskFilter::default()
    };
    if let Some(name) = &args.user {
        filter.assignee = Assignee::User(user_id(store.as_ref(), name)?);
    } else if args.unassigned {
        filter.assignee = Assignee::Unassigned;
    } else if args.mine {
        let me = crate::paths::person().ok_or_else(|| {
            Failure::usage(
                "--mine needs your name: set TASKTUI_USER to your username (or me in the config file)",
            )
        })?;
        filter.also_assigned = Some(user_id(store.as_ref(), &me)?);
    }
    match args.status.as_deref().map(str::to_lowercase).as_deref() {
        None => {}
        Some("open") => filter.state = Some(State::Open),
        Some("done") => filter.state = Some(State::Done),
        Some("todo") => filter.status = Some(Status::Todo),
        Some("doing") => filter.status = Some(Status::Doing),
        Some(other) => {
            return Err(Failure::usage(format!(
                "status {other:?} is not one of open, done, todo, doing"
            )));
        }
    }
    if args.overdue {
        filter.state = Some(State::Open);
        filter.due_until = today.checked_sub_days(Days::new(1));
    }
    if let Some(text) = &args.due_before {
        let date = parse_due(text, today)
            .map_err(invalid)?
            .ok_or_else(|| Failure::usage("--due-before needs a date, like 2026-12-01 or fri"))?;
        let before = date.checked_sub_days(Days::new(1));
        filter.due_until = match (filter.due_until, before) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
    }
    if let Some(key) = &args.sort {
        let key = SortKey::ALL
            .into_iter()
            .find(|k| k.label() == key.to_lowercase())
            .ok_or_else(|| {
                Failure::usage(format!(
                    "sort {key:?} is not one of due, priority, created, updated, title, status"
                ))
            })?;
        filter.sort = Sort {
            key,
            reverse: false,
        };
    }
    // Every match, read to the end: never as many as a count says (the kept counts can be
    // wrong for a moment when another tool wrote around their triggers).
    let limit = args.limit.unwrap_or(i64::MAX.unsigned_abs());
    let tasks = store.list_tasks(&filter, 0, limit).map_err(failed)?;
    if args.json {
        let shown: Vec<TaskOut<'_>> = tasks.iter().map(TaskOut::from).collect();
        let text = serde_json::to_string_pretty(&shown).map_err(|e| Failure {
            message: e.to_string(),
            code: 1,
        })?;
        return say(crate::text::json_safe(&text));
    }
    let terminal = std::io::stdout().is_terminal();
    let shown = table::Shown {
        width: terminal.then(|| crate::term::size().0 as usize),
        colour: terminal && !output::no_color(),
    };
    let text = table::render(&tasks, today, shown);
    if shown.colour {
        // Made safe piece by piece before the colour went in.
        Ok(output::raw(format!("{text}\n").as_bytes())?)
    } else {
        say(text)
    }
}

/// `tasktui add`: prints the new task's id.
pub fn add(
    location: &DbLocation,
    title: &str,
    user: Option<&str>,
    due: Option<&str>,
    priority_text: Option<&str>,
    tags: &[String],
    description: Option<&str>,
) -> Result<(), Failure> {
    // What needs no database is checked before one is opened (or created).
    let title = validate_title(title).map_err(invalid)?;
    let description = validate_description(description.unwrap_or("")).map_err(invalid)?;
    let due = match due {
        Some(text) => parse_due(text, crate::clock::Clock::system().today()).map_err(invalid)?,
        None => None,
    };
    let priority = priority_text
        .map(priority)
        .transpose()?
        .unwrap_or(Priority::None);
    let tags = parse_tags(&tags.join(" ")).map_err(invalid)?;
    let store = open(location, Create::Yes)?;
    let fields = TaskFields {
        title,
        description,
        due,
        priority,
        assignee: user.map(|name| user_id(store.as_ref(), name)).transpose()?,
        tags,
        status: Status::Todo,
    };
    let applied = store.apply(&Change::CreateTask(fields)).map_err(failed)?;
    say(applied.created.unwrap_or_default().to_string())
}

/// The tasks named by `ids`, each once (`done 2 2` is one change, not a conflict with itself),
/// as it is now, or the first id that does not exist.
fn tasks(store: &dyn Database, ids: &[i64]) -> Result<Vec<Task>, Failure> {
    let mut seen = std::collections::HashSet::new();
    ids.iter()
        .filter(|id| seen.insert(**id))
        .map(|&id| task(store, id))
        .collect()
}

/// One change for several: a batch is one undo step.
fn one_change(mut changes: Vec<Change>) -> Change {
    if changes.len() == 1 {
        changes.remove(0)
    } else {
        Change::Batch(changes)
    }
}

/// `tasktui done ID…`.
pub fn done(location: &DbLocation, ids: &[i64]) -> Result<(), Failure> {
    let store = open(location, Create::No)?;
    let found = tasks(store.as_ref(), ids)?;
    let changes = found
        .iter()
        .filter(|t| t.status != Status::Done)
        .map(|t| {
            let changes = TaskChanges {
                status: Some(Status::Done),
                ..TaskChanges::default()
            };
            Change::UpdateTask {
                id: t.id,
                expect: Expect::seen(t, &changes),
                changes,
            }
        })
        .collect::<Vec<_>>();
    if changes.is_empty() {
        return say("already done; nothing changed");
    }
    let applied = store.apply(&one_change(changes)).map_err(failed)?;
    say(applied.summary)
}

/// `tasktui rm ID… [--yes]`.
pub fn rm(location: &DbLocation, ids: &[i64], yes: bool) -> Result<(), Failure> {
    let store = open(location, Create::No)?;
    let found = tasks(store.as_ref(), ids)?;
    let named: Vec<String> = found
        .iter()
        .map(|t| format!("#{} “{}”", t.id.0, t.title))
        .collect();
    if !yes {
        if !std::io::stdin().is_terminal() {
            return Err(Failure::usage(format!(
                "deleting {} needs a yes: run again with --yes (tasktui undo brings them back)",
                named.join(", ")
            )));
        }
        output::ask(&format!("Delete {}? [y/N] ", named.join(", ")));
        let mut answer = String::new();
        let _ = std::io::stdin().read_line(&mut answer);
        if !matches!(answer.trim(), "y" | "Y" | "yes") {
            return say("nothing was deleted");
        }
    }
    let changes = found
        .iter()
        .map(|t| Change::DeleteTask {
            id: t.id,
            expect: Expect::Version(t.version),
        })
        .collect();
    let applied = store.apply(&one_change(changes)).map_err(failed)?;
    say(applied.summary)
}

/// A user as `users --json` prints it.
#[derive(Debug, Serialize)]
struct UserOut<'a> {
    username: &'a str,
    full_name: &'a str,
    email: Option<&'a str>,
    open_tasks: u64,
    overdue_tasks: u64,
}

/// `tasktui users [--json]`.
pub fn users(location: &DbLocation, json: bool) -> Result<(), Failure> {
    let store = open(location, Create::No)?;
    let users = store.list_users().map_err(failed)?;
    if json {
        let shown: Vec<UserOut<'_>> = users
            .iter()
            .map(|u| UserOut {
                username: &u.user.username,
                full_name: &u.user.full_name,
                email: u.user.email.as_deref(),
                open_tasks: u.open_tasks,
                overdue_tasks: u.overdue_tasks,
            })
            .collect();
        let text = serde_json::to_string_pretty(&shown).map_err(|e| Failure {
            message: e.to_string(),
            code: 1,
        })?;
        return say(crate::text::json_safe(&text));
    }
    let mut lines = vec![format!(
        "{:<20} {:>5} {:>5}  {}",
        "username", "open", "late", "name"
    )];
    for u in &users {
        lines.push(format!(
            "{:<20} {:>5} {:>5}  {}",
            u.user.username, u.open_tasks, u.overdue_tasks, u.user.full_name
        ));
    }
    say(lines.join("\n"))
}

/// `tasktui user …`.
pub fn user(location: &DbLocation, command: &UserCommand) -> Result<(), Failure> {
    match command {
        UserCommand::Add {
            name,
            full_name,
            email,
        } => {
            let fields = validate_user(
                name,
                full_name.as_deref().unwrap_or(""),
                email.as_deref().unwrap_or(""),
            )
            .map_err(invalid)?;
            let store = open(location, Create::Yes)?;
            let applied = store.apply(&Change::CreateUser(fields)).map_err(failed)?;
            say(applied.summary)
        }
        UserCommand::Rm {
            name,
            reassign,
            unassign,
        } => {
            let store = open(location, Create::No)?;
            let id = user_id(store.as_ref(), name)?;
            let user = store.get_user(id).map_err(failed)?;
            let tasks = store.count_user_tasks(id).map_err(failed)?;
            let handoff = match (reassign, unassign) {
                (Some(other), _) => Handoff::ReassignTo(user_id(store.as_ref(), other)?),
                (None, true) => Handoff::Unassign,
                (None, false) if tasks == 0 => Handoff::Unassign,
                (None, false) => {
                    return Err(Failure::usage(format!(
                        "{name} has {tasks} task{}: add --unassign, or --reassign OTHER to hand them on",
                        if tasks == 1 { "" } else { "s" }
                    )));
                }
            };
            let applied = store
                .apply(&Change::DeleteUser {
                    id,
                    expect: Expect::Version(user.version),
                    handoff,
                })
                .map_err(failed)?;
            say(applied.summary)
        }
    }
}

/// `tasktui edit ID …`: only the fields given change, as one change.
pub fn edit(location: &DbLocation, args: &EditArgs) -> Result<(), Failure> {
    let store = open(location, Create::No)?;
    let task = task(store.as_ref(), args.id)?;
    let today = store.clock().today();
    let status = |text: &str| {
        Status::ALL
            .into_iter()
            .find(|s| s.as_str() == text.to_lowercase())
            .ok_or_else(|| {
                Failure::usage(format!("status {text:?} is not one of todo, doing, done"))
            })
    };
    let names = |list: &[String]| -> Vec<String> {
        list.iter()
            .map(|t| t.strip_prefix('#').unwrap_or(t).to_string())
            .collect()
    };
    let edit = crate::app::TagEdit {
        add: names(&args.tags),
        remove: names(&args.untags),
    };
    for name in edit.add.iter().chain(&edit.remove) {
        crate::model::check_tag(name).map_err(invalid)?;
    }
    let tags = edit.applied_to(&task.tags);
    let changes = TaskChanges {
        title: args
            .title
            .as_deref()
            .map(validate_title)
            .transpose()
            .map_err(invalid)?,
        description: args
            .description
            .as_deref()
            .map(validate_description)
            .transpose()
            .map_err(invalid)?,
        status: args.status.as_deref().map(status).transpose()?,
        priority: args.priority.as_deref().map(priority).transpose()?,
        due: args
            .due
            .as_deref()
            .map(|d| parse_due(d, today))
            .transpose()
            .map_err(invalid)?,
        assignee: match (&args.user, args.unassign) {
            (Some(name), _) => Some(Some(user_id(store.as_ref(), name)?)),
            (None, true) => Some(None),
            (None, false) => None,
        },
        tags: Some(tags),
    };
    let asked = changes
        != TaskChanges {
            tags: Some(task.tags.clone()),
            ..TaskChanges::default()
        }
        || !args.tags.is_empty()
        || !args.untags.is_empty();
    if !asked {
        return Err(Failure::usage(
            "nothing to change: give --title, --description, --due, --priority, --status, --user, --unassign, --tag or --untag",
        ));
    }
    let changes = changes.differing_from(&task);
    if changes == TaskChanges::default() {
        // Nothing differs from what the task holds: no change, and no undo step.
        return say(format!("#{} is unchanged; nothing was saved", task.id.0));
    }
    let applied = store
        .apply(&Change::UpdateTask {
            id: task.id,
            expect: Expect::seen(&task, &changes),
            changes,
        })
        .map_err(failed)?;
    say(applied.summary)
}

/// `tasktui undo` (`redo` with `undo` false).
pub fn step(location: &DbLocation, undo: bool) -> Result<(), Failure> {
    let store = open(location, Create::No)?;
    let done = if undo { store.undo() } else { store.redo() };
    match done.map_err(|e| Failure {
        message: format!(
            "cannot {}: {}",
            if undo { "undo" } else { "redo" },
            crate::commands::failure::said(&e)
        ),
        code: 1,
    })? {
        Some(summary) => say(format!(
            "{}: {summary}",
            if undo { "undid" } else { "redid" }
        )),
        None => say(if undo {
            "nothing to undo"
        } else {
            "nothing to redo"
        }),
    }
}
