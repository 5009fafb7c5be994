//! Which tasks the list shows: whose, which state, which due dates, which tag, which words,
//! and in what order, as the WHERE clause every list, count and position query shares. The
//! filter is the core crate's (`TaskFilter`); this is how SQLite reads it.

use super::order::STATUS_RANK;
use super::words::Naming;
use super::words::SearchSql;
use super::words::word_test;
use rusqlite::types::Value;
use tasktui_core::query::SortKey;
pub use tasktui_core::query::{Assignee, State, TaskFilter};
use tasktui_core::stored::like_escaped;

/// A filter as SQLite's WHERE clause, and the shortcuts its kept counts and tag index give.
pub(crate) trait FilterSql {
    /// When one tag is all the filter asks for: the query that reads its kept count (V9) and
    /// whether tags sit under it (then the count is not enough: a task may carry two of them),
    /// with its two parameters.
    fn kept_tag_count(&self) -> Option<(&'static str, [Value; 2])>;

    /// When tags are all the filter asks for: the ids of the tasks that carry every one, from
    /// the tag index alone, with their parameters appended to `values`.
    fn tagged_ids(&self, values: &mut Vec<Value>) -> Option<String>;

    /// The WHERE clause and its parameters. The conditions match the leading columns of the
    /// indexes, so SQLite walks an index in list order instead of sorting.
    fn sql(&self, naming: &Naming) -> (String, Vec<Value>);

    /// The same, with the search and tag conditions kept from driving the query when `walk`
    /// (a unary `+`), so that SQLite walks the order's index and tests each task: the faster
    /// way when many tasks match. Otherwise the search's or the tag's matches drive it.
    /// `naming`: the search's words that some tag's name holds (the store looks them up).
    fn sql_walking(&self, walk: bool, naming: &Naming) -> (String, Vec<Value>);
}

impl FilterSql for TaskFilter {
    fn kept_tag_count(&self) -> Option<(&'static str, [Value; 2])> {
        let [tag] = self.required_tags().try_into().ok()?;
        self.only_tags().then(|| {
            (
                "SELECT EXISTS (SELECT 1 FROM tags WHERE name LIKE ?2 ESCAPE '\\'),
                        (SELECT tasks FROM tags WHERE name = ?1)",
                [
                    Value::Text(tag.clone()),
                    Value::Text(format!("{}/%", like_escaped(&tag))),
                ],
            )
        })
    }

    fn tagged_ids(&self, values: &mut Vec<Value>) -> Option<String> {
        let tags = self.required_tags();
        if !self.only_tags() || tags.is_empty() {
            return None;
        }
        let parts: Vec<String> = tags
            .iter()
            .map(|tag| {
                format!(
                    "SELECT DISTINCT task_id FROM task_tags WHERE tag_id IN ({})",
                    tag_ids(tag, values)
                )
            })
            .collect();
        Some(parts.join(" INTERSECT "))
    }

    fn sql(&self, naming: &Naming) -> (String, Vec<Value>) {
        self.sql_walking(false, naming)
    }

    fn sql_walking(&self, walk: bool, naming: &Naming) -> (String, Vec<Value>) {
        let id = if walk { "+t.id" } else { "t.id" };
        let mut conditions = Vec::new();
        let mut values = Vec::new();
        match self.assignee {
            Assignee::All => {}
            Assignee::Unassigned => conditions.push("t.assignee_id IS NULL".to_string()),
            Assignee::User(id) => {
                values.push(Value::Integer(id.0));
                conditions.push(format!("t.assignee_id = ?{}", values.len()));
            }
        }
        if let Some(user) = self.also_assigned {
            values.push(Value::Integer(user.0));
            conditions.push(format!("t.assignee_id = ?{}", values.len()));
        }
        if let Some(state) = self.state {
            // Written as the leading term of the order's index, so SQLite seeks instead of
            // filtering, and the rows come in order.
            conditions.push(match (self.sort.key, state) {
                (SortKey::Status, State::Open) => format!("{STATUS_RANK} < 2"),
                (SortKey::Status, State::Done) => format!("{STATUS_RANK} >= 2"),
                (_, state) => format!("(t.status = 'done') = {}", i64::from(state == State::Done)),
            });
        }
        if let Some(status) = self.status {
            values.push(Value::Text(status.as_str().into()));
            conditions.push(format!("t.status = ?{}", values.len()));
        }
        if self.due_from.is_some() || self.due_until.is_some() {
            let from = self.due_from.map_or(String::new(), |d| d.to_string());
            let until = self
                .due_until
                .map_or_else(|| "9999-12-30".to_string(), |d| d.to_string());
            values.push(Value::Text(from));
            values.push(Value::Text(until));
            conditions.push(format!(
                "ifnull(t.due_date, '9999-12-31') BETWEEN ?{} AND ?{}",
                values.len() - 1,
                values.len()
            ));
        }
        let words = self.words();
        if !walk && !words.is_empty() {
            // The matches of the words drive the query: the other conditions are kept
            // from using an index (a unary `+`), lest SQLite walk every open task, say, testing
            // whether it is one of a handful of matches.
            for condition in &mut conditions {
                *condition = format!("+({condition})");
            }
        }
        if walk {
            // Walking the order's index, each task is tested as it comes: gathering every match
            // first would read tens of thousands at a million tasks.
            for word in &words {
                conditions.push(word_test(word, naming.words.contains(word), &mut values));
            }
        } else if let Some(ids) = self.search_ids(&mut values, naming) {
            conditions.push(format!("{id} IN ({ids})"));
        }
        for tag in self.required_tags() {
            let ids = tag_ids(&tag, &mut values);
            conditions.push(if walk {
                // Walking the order's index: look each task's tags up by its key, rather than
                // gather every tagged task first (100,000 of them for a common tag at a million).
                format!(
                    "EXISTS (SELECT 1 FROM task_tags tt WHERE tt.task_id = t.id AND tt.tag_id IN ({ids}))"
                )
            } else {
                format!("{id} IN (SELECT tt.task_id FROM task_tags tt WHERE tt.tag_id IN ({ids}))")
            });
        }
        let clause = if conditions.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", conditions.join(" AND "))
        };
        (clause, values)
    }
}

/// The ids of the tag and the tags under it (`area` and `area/…`), as a SELECT whose two
/// parameters are appended to `values`.
fn tag_ids(tag: &str, values: &mut Vec<Value>) -> String {
    values.push(Value::Text(tag.to_string()));
    values.push(Value::Text(format!("{}/%", like_escaped(tag))));
    format!(
        "SELECT id FROM tags WHERE name = ?{} OR name LIKE ?{} ESCAPE '\\'",
        values.len() - 1,
        values.len()
    )
}
