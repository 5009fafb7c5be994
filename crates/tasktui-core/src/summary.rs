//! Changes in words, for the status bar and the history: "mark #4 “Fix login” done",
//! "assign 3 tasks to bob".

use crate::model::TaskChanges;

/// Several changes in words: "mark 12 tasks done", "delete 3 tasks", else "5 changes".
pub fn batch_summary(summaries: &[String]) -> String {
    let [first, ..] = summaries else {
        return "no change".into();
    };
    if summaries.len() == 1 {
        return first.clone();
    }
    // The words around the task ("mark", "done"): the same in every summary means the same act.
    let shape = |s: &str| -> Option<(String, String)> {
        let start = s.find(" #")?;
        let end = s.rfind('”')?;
        Some((
            s[..start].to_string(),
            s[end + '”'.len_utf8()..].to_string(),
        ))
    };
    let first_shape = shape(first);
    let same = first_shape.is_some() && summaries.iter().all(|s| shape(s) == first_shape);
    let same_verb = summaries
        .iter()
        .all(|s| shape(s).map(|(verb, _)| verb) == first_shape.as_ref().map(|(v, _)| v.clone()));
    match first_shape {
        Some((verb, rest)) if same && !rest.starts_with(':') => {
            format!(
                "{verb} {}{rest}",
                crate::text::count(summaries.len(), "task", "tasks")
            )
        }
        Some((verb, _)) if same_verb => format!(
            "{verb} {}",
            crate::text::count(summaries.len(), "task", "tasks")
        ),
        _ => crate::text::count(summaries.len(), "change", "changes"),
    }
}

/// An edit in words, naming what it set when it set one thing: "mark #4 “Fix login” done",
/// "assign #4 “Fix login” to bob", "edit #4 “Fix login”: title, description".
pub fn describe_edit(
    assignee_name: Option<&str>,
    id: i64,
    title: &str,
    changes: &TaskChanges,
) -> String {
    let task = format!("#{id} “{title}”");
    let set: Vec<&str> = [
        (changes.title.is_some(), "title"),
        (changes.description.is_some(), "description"),
        (changes.status.is_some(), "status"),
        (changes.priority.is_some(), "priority"),
        (changes.due.is_some(), "due date"),
        (changes.assignee.is_some(), "assignee"),
        (changes.tags.is_some(), "tags"),
    ]
    .into_iter()
    .filter_map(|(is_set, name)| is_set.then_some(name))
    .collect();
    if set.len() != 1 {
        return format!("edit {task}: {}", set.join(", "));
    }
    if let Some(status) = changes.status {
        format!("mark {task} {status}")
    } else if let Some(priority) = changes.priority {
        format!("set the priority of {task} to {priority}")
    } else if let Some(due) = changes.due {
        match due {
            Some(date) => format!("set {task} due {}", date.format("%a %-d %b %Y")),
            None => format!("clear the due date of {task}"),
        }
    } else if let Some(assignee) = changes.assignee {
        match assignee.and(assignee_name) {
            Some(name) => format!("assign {task} to {name}"),
            None => format!("unassign {task}"),
        }
    } else if let Some(tags) = &changes.tags {
        if tags.is_empty() {
            format!("clear the tags of {task}")
        } else {
            let named: Vec<String> = tags.iter().map(|t| format!("#{t}")).collect();
            format!("tag {task}: {}", named.join(" "))
        }
    } else {
        format!("edit {task}: {}", set.join(", "))
    }
}
