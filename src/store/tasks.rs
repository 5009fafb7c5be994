//! Reads and writes of tasks.

use super::{Result, Store, StoreError, count, integer, optional_text, text};
use crate::model::{Priority, Status, Task, TaskFields, TaskId, UserId};
use chrono::NaiveDate;
use rusqlite::types::Value;
use rusqlite::{OptionalExtension, params, params_from_iter};

/// Whose tasks the Tasks pane shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Assignee {
    #[default]
    All,
    Unassigned,
    User(UserId),
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TaskFilter {
    pub assignee: Assignee,
    pub status: Option<Status>,
    /// Text to find in titles and descriptions, ignoring case.
    pub search: Option<String>,
}

/// Queries this short cannot use the trigram index, which needs three characters.
const TRIGRAM: usize = 3;

impl TaskFilter {
    pub fn assigned_to(assignee: Assignee) -> TaskFilter {
        TaskFilter {
            assignee,
            ..TaskFilter::default()
        }
    }

    fn order(&self) -> &'static str {
        if self.status.is_some() {
            LIST_ORDER_ONE_STATUS
        } else {
            LIST_ORDER
        }
    }

    /// The list order backwards, so rows near the end are read from the end of the index.
    fn reverse_order(&self) -> &'static str {
        if self.status.is_some() {
            REVERSE_ORDER_ONE_STATUS
        } else {
            REVERSE_ORDER
        }
    }

    /// The WHERE clause and its parameters. The conditions match the leading columns of the
    /// indexes, so SQLite walks an index in list order instead of sorting.
    fn sql(&self) -> (String, Vec<Value>) {
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
        if let Some(status) = self.status {
            values.push(Value::Text(status.as_str().into()));
            conditions.push(format!("t.status = ?{}", values.len()));
        }
        match self.search.as_deref().map(str::trim) {
            None | Some("") => {}
            Some(text) if text.chars().count() >= TRIGRAM => {
                // One FTS5 string: the user's text quoted, so no character of it is syntax.
                values.push(Value::Text(format!("\"{}\"", text.replace('"', "\"\""))));
                conditions.push(format!(
                    "t.id IN (SELECT rowid FROM tasks_search WHERE tasks_search MATCH ?{})",
                    values.len()
                ));
            }
            Some(text) => {
                let escaped = text
                    .replace('\\', "\\\\")
                    .replace('%', "\\%")
                    .replace('_', "\\_");
                values.push(Value::Text(format!("%{escaped}%")));
                let at = values.len();
                conditions.push(format!(
                    "(t.title LIKE ?{at} ESCAPE '\\' OR t.description LIKE ?{at} ESCAPE '\\')"
                ));
            }
        }
        let clause = if conditions.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", conditions.join(" AND "))
        };
        (clause, values)
    }
}

/// Open tasks before done ones, each by due date (none last), then priority (high first), then
/// creation order. A status filter makes the first term constant, and its index leaves it out.
const LIST_ORDER: &str =
    "ORDER BY t.status = 'done', ifnull(t.due_date, '9999-12-31'), t.priority DESC, t.id";
const LIST_ORDER_ONE_STATUS: &str =
    "ORDER BY ifnull(t.due_date, '9999-12-31'), t.priority DESC, t.id";
const REVERSE_ORDER: &str =
    "ORDER BY t.status = 'done' DESC, ifnull(t.due_date, '9999-12-31') DESC, t.priority, t.id DESC";
const REVERSE_ORDER_ONE_STATUS: &str =
    "ORDER BY ifnull(t.due_date, '9999-12-31') DESC, t.priority, t.id DESC";

const TASK_COLUMNS: &str = "t.id, t.title, t.description, t.status, t.priority, t.due_date, \
     t.assignee_id, u.username, t.created_at, t.updated_at, t.completed_at, t.row_version";

fn read_task(row: &rusqlite::Row<'_>) -> rusqlite::Result<Task> {
    Ok(Task {
        id: TaskId(row.get(0)?),
        title: text(row, 1)?,
        description: text(row, 2)?,
        status: Status::from_db(&text(row, 3)?),
        priority: Priority::from_db(integer(row, 4, 0)?),
        due: optional_text(row, 5)?.and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok()),
        assignee: row.get::<_, Option<i64>>(6).ok().flatten().map(UserId),
        assignee_name: optional_text(row, 7)?,
        created_at: text(row, 8)?,
        updated_at: text(row, 9)?,
        completed_at: optional_text(row, 10)?,
        version: integer(row, 11, 1)?,
    })
}

fn due_text(due: Option<NaiveDate>) -> Option<String> {
    due.map(|d| d.format("%Y-%m-%d").to_string())
}

impl Store {
    pub fn create_task(&self, fields: &TaskFields) -> Result<TaskId> {
        let now = self.clock.stamp();
        let completed = (fields.status == Status::Done).then(|| now.clone());
        self.conn.execute(
            "INSERT INTO tasks (title, description, status, priority, due_date, assignee_id,
                                created_at, updated_at, completed_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7, ?8)",
            params![
                fields.title,
                fields.description,
                fields.status.as_str(),
                fields.priority.as_db(),
                due_text(fields.due),
                fields.assignee.map(|a| a.0),
                now,
                completed,
            ],
        )?;
        Ok(TaskId(self.conn.last_insert_rowid()))
    }

    /// `limit` tasks of the filter in list order, skipping the first `offset`.
    pub fn list_tasks(&self, filter: &TaskFilter, offset: u64, limit: u64) -> Result<Vec<Task>> {
        self.query_page(filter, filter.order(), offset, limit)
    }

    /// The same rows as `list_tasks(filter, total - from_end - limit, limit)`, in list order, read
    /// from the end of the index: an OFFSET walks every row it skips, so pages near the end of
    /// a long list are cheap only this way.
    pub fn list_tasks_from_end(
        &self,
        filter: &TaskFilter,
        from_end: u64,
        limit: u64,
    ) -> Result<Vec<Task>> {
        let mut rows = self.query_page(filter, filter.reverse_order(), from_end, limit)?;
        rows.reverse();
        Ok(rows)
    }

    fn query_page(
        &self,
        filter: &TaskFilter,
        order: &str,
        offset: u64,
        limit: u64,
    ) -> Result<Vec<Task>> {
        let (clause, mut values) = filter.sql();
        let limit_at = values.len() + 1;
        values.push(Value::Integer(i64::try_from(limit).unwrap_or(i64::MAX)));
        values.push(Value::Integer(i64::try_from(offset).unwrap_or(i64::MAX)));
        let mut statement = self.conn.prepare_cached(&format!(
            "SELECT {TASK_COLUMNS} FROM tasks t LEFT JOIN users u ON u.id = t.assignee_id
             {clause} {order} LIMIT ?{limit_at} OFFSET ?{}",
            limit_at + 1
        ))?;
        let rows = statement.query_map(params_from_iter(values), read_task)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn count_tasks(&self, filter: &TaskFilter) -> Result<u64> {
        let (clause, values) = filter.sql();
        if filter.assignee == Assignee::All && filter.status.is_none() && clause.contains("MATCH") {
            // Every indexed row is a task: count the index alone, without visiting the tasks.
            let mut statement = self
                .conn
                .prepare_cached("SELECT count(*) FROM tasks_search WHERE tasks_search MATCH ?1")?;
            return Ok(statement.query_row(params_from_iter(values), |row| count(row, 0))?);
        }
        let mut statement = self
            .conn
            .prepare_cached(&format!("SELECT count(*) FROM tasks t {clause}"))?;
        Ok(statement.query_row(params_from_iter(values), |row| count(row, 0))?)
    }

    /// The index of a task in the filter's list order; `None` when the filter does not show it.
    pub fn task_position(&self, filter: &TaskFilter, id: TaskId) -> Result<Option<u64>> {
        let (clause, mut values) = filter.sql();
        let and = if clause.is_empty() { "WHERE" } else { "AND" };
        values.push(Value::Integer(id.0));
        let at = values.len();
        let mut statement = self.conn.prepare_cached(&format!(
            "SELECT (SELECT count(*) FROM tasks t {clause} {and}
                        (t.status = 'done', ifnull(t.due_date, '9999-12-31'), -t.priority, t.id)
                        < (s.status = 'done', ifnull(s.due_date, '9999-12-31'), -s.priority, s.id))
             FROM tasks s WHERE s.id = ?{at}
                AND EXISTS (SELECT 1 FROM tasks t {clause} {and} t.id = s.id)"
        ))?;
        Ok(statement
            .query_row(params_from_iter(values), |row| count(row, 0))
            .optional()?)
    }

    pub fn get_task(&self, id: TaskId) -> Result<Task> {
        self.conn
            .query_row(
                &format!(
                    "SELECT {TASK_COLUMNS} FROM tasks t LEFT JOIN users u ON u.id = t.assignee_id
                     WHERE t.id = ?1"
                ),
                [id.0],
                read_task,
            )
            .optional()?
            .ok_or(StoreError::NotFound("this task"))
    }

    /// Saves an edit made to the task as it was at `version`; refused when another process
    /// changed or deleted it since.
    pub fn update_task(&self, id: TaskId, version: i64, fields: &TaskFields) -> Result<()> {
        let changed = self.conn.execute(
            "UPDATE tasks SET title = ?1, description = ?2, status = ?3, priority = ?4,
                 due_date = ?5, assignee_id = ?6, updated_at = ?7,
                 completed_at = CASE WHEN ?3 = 'done' THEN ifnull(completed_at, ?7) END,
                 row_version = row_version + 1
             WHERE id = ?8 AND row_version = ?9",
            params![
                fields.title,
                fields.description,
                fields.status.as_str(),
                fields.priority.as_db(),
                due_text(fields.due),
                fields.assignee.map(|a| a.0),
                self.clock.stamp(),
                id.0,
                version,
            ],
        )?;
        self.check_changed(id, changed)
    }

    /// Sets the status of the task as it was at `version`, with the same check as an edit.
    pub fn set_status(&self, id: TaskId, version: i64, status: Status) -> Result<()> {
        let changed = self.conn.execute(
            "UPDATE tasks SET status = ?1, updated_at = ?2,
                 completed_at = CASE WHEN ?1 = 'done' THEN ifnull(completed_at, ?2) END,
                 row_version = row_version + 1
             WHERE id = ?3 AND row_version = ?4",
            params![status.as_str(), self.clock.stamp(), id.0, version],
        )?;
        self.check_changed(id, changed)
    }

    fn check_changed(&self, id: TaskId, changed: usize) -> Result<()> {
        if changed == 1 {
            return Ok(());
        }
        let exists: Option<i64> = self
            .conn
            .query_row("SELECT 1 FROM tasks WHERE id = ?1", [id.0], |row| {
                row.get(0)
            })
            .optional()?;
        Err(match exists {
            Some(_) => StoreError::Changed,
            None => StoreError::NotFound("this task"),
        })
    }

    pub fn delete_task(&self, id: TaskId) -> Result<()> {
        if self
            .conn
            .execute("DELETE FROM tasks WHERE id = ?1", [id.0])?
            == 0
        {
            return Err(StoreError::NotFound("this task"));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::Clock;
    use crate::model::validate_user;
    use chrono::DateTime;

    fn store() -> Store {
        let mut store = Store::open_in_memory().unwrap();
        store.set_clock(Clock::fixed(
            DateTime::parse_from_rfc3339("2026-11-23T10:00:00+00:00").unwrap(),
        ));
        store
    }

    fn fields(title: &str, due: Option<&str>, priority: Priority) -> TaskFields {
        TaskFields {
            due: due.map(|d| d.parse().unwrap()),
            priority,
            ..TaskFields::titled(title)
        }
    }

    fn titles(tasks: &[Task]) -> Vec<&str> {
        tasks.iter().map(|t| t.title.as_str()).collect()
    }

    #[test]
    fn create_and_get_a_task_with_every_field() {
        let store = store();
        let alice = store
            .create_user(&validate_user("alice", "", "").unwrap())
            .unwrap();
        let mut f = fields("Write docs", Some("2026-12-01"), Priority::High);
        f.description = "line one\nline two".into();
        f.assignee = Some(alice);
        let id = store.create_task(&f).unwrap();
        let task = store.get_task(id).unwrap();
        assert_eq!(task.title, "Write docs");
        assert_eq!(task.description, "line one\nline two");
        assert_eq!(task.status, Status::Todo);
        assert_eq!(task.priority, Priority::High);
        assert_eq!(task.due, Some("2026-12-01".parse().unwrap()));
        assert_eq!(task.assignee, Some(alice));
        assert_eq!(task.assignee_name.as_deref(), Some("alice"));
        assert_eq!(task.created_at, "2026-11-23T10:00:00Z");
        assert_eq!(task.updated_at, task.created_at);
        assert_eq!(task.completed_at, None);
        assert_eq!(task.version, 1);
    }

    #[test]
    fn list_orders_by_due_date_then_priority_with_undated_last() {
        let store = store();
        store
            .create_task(&fields("undated", None, Priority::High))
            .unwrap();
        store
            .create_task(&fields("dec low", Some("2026-12-01"), Priority::Low))
            .unwrap();
        store
            .create_task(&fields("dec high", Some("2026-12-01"), Priority::High))
            .unwrap();
        store
            .create_task(&fields("nov", Some("2026-11-30"), Priority::None))
            .unwrap();
        let all = store.list_tasks(&TaskFilter::default(), 0, 10).unwrap();
        assert_eq!(titles(&all), ["nov", "dec high", "dec low", "undated"]);
        let page = store.list_tasks(&TaskFilter::default(), 1, 2).unwrap();
        assert_eq!(titles(&page), ["dec high", "dec low"]);
        assert_eq!(store.count_tasks(&TaskFilter::default()).unwrap(), 4);
    }

    #[test]
    fn done_tasks_come_after_open_ones() {
        let store = store();
        let done = store
            .create_task(&fields("shipped", Some("2026-01-01"), Priority::High))
            .unwrap();
        store.set_status(done, 1, Status::Done).unwrap();
        store
            .create_task(&fields("open, undated", None, Priority::None))
            .unwrap();
        let all = store.list_tasks(&TaskFilter::default(), 0, 10).unwrap();
        assert_eq!(titles(&all), ["open, undated", "shipped"]);
        assert_eq!(
            store.task_position(&TaskFilter::default(), done).unwrap(),
            Some(1)
        );
    }

    #[test]
    fn list_filters_by_assignee_and_status() {
        let store = store();
        let alice = store
            .create_user(&validate_user("alice", "", "").unwrap())
            .unwrap();
        let bob = store
            .create_user(&validate_user("bob", "", "").unwrap())
            .unwrap();
        for (title, who, status) in [
            ("a1", Some(alice), Status::Todo),
            ("a2", Some(alice), Status::Done),
            ("b1", Some(bob), Status::Doing),
            ("n1", None, Status::Todo),
        ] {
            store
                .create_task(&TaskFields {
                    assignee: who,
                    status,
                    ..TaskFields::titled(title)
                })
                .unwrap();
        }
        let list = |assignee, status| {
            let filter = TaskFilter {
                assignee,
                status,
                search: None,
            };
            let tasks = store.list_tasks(&filter, 0, 10).unwrap();
            assert_eq!(store.count_tasks(&filter).unwrap(), tasks.len() as u64);
            tasks.iter().map(|t| t.title.clone()).collect::<Vec<_>>()
        };
        assert_eq!(list(Assignee::All, None), ["a1", "b1", "n1", "a2"]);
        assert_eq!(list(Assignee::Unassigned, None), ["n1"]);
        assert_eq!(list(Assignee::User(alice), None), ["a1", "a2"]);
        assert_eq!(list(Assignee::User(alice), Some(Status::Done)), ["a2"]);
        assert_eq!(list(Assignee::All, Some(Status::Todo)), ["a1", "n1"]);
        assert_eq!(
            list(Assignee::User(bob), Some(Status::Todo)),
            Vec::<String>::new()
        );
    }

    #[test]
    fn task_position_follows_list_order_within_the_filter() {
        let store = store();
        let alice = store
            .create_user(&validate_user("alice", "", "").unwrap())
            .unwrap();
        let late = store
            .create_task(&fields("late", None, Priority::None))
            .unwrap();
        let first = store
            .create_task(&fields("first", Some("2026-11-01"), Priority::Low))
            .unwrap();
        let urgent = store
            .create_task(&fields("urgent", Some("2026-11-01"), Priority::High))
            .unwrap();
        let theirs = store
            .create_task(&TaskFields {
                assignee: Some(alice),
                ..fields("theirs", Some("2026-12-01"), Priority::None)
            })
            .unwrap();
        let all = TaskFilter::default();
        let positions: Vec<_> = [urgent, first, theirs, late]
            .iter()
            .map(|id| store.task_position(&all, *id).unwrap())
            .collect();
        assert_eq!(positions, [Some(0), Some(1), Some(2), Some(3)]);
        let unassigned = TaskFilter::assigned_to(Assignee::Unassigned);
        assert_eq!(store.task_position(&unassigned, late).unwrap(), Some(2));
        assert_eq!(store.task_position(&unassigned, theirs).unwrap(), None);
        assert_eq!(store.task_position(&all, TaskId(999)).unwrap(), None);
    }

    fn search(store: &Store, assignee: Assignee, text: &str) -> Vec<String> {
        let filter = TaskFilter {
            assignee,
            search: Some(text.into()),
            ..TaskFilter::default()
        };
        let tasks = store.list_tasks(&filter, 0, 100).unwrap();
        assert_eq!(
            store.count_tasks(&filter).unwrap(),
            tasks.len() as u64,
            "count of {text:?}"
        );
        tasks.iter().map(|t| t.title.clone()).collect()
    }

    #[test]
    fn search_finds_text_in_titles_and_descriptions_ignoring_case() {
        let store = store();
        let alice = store
            .create_user(&validate_user("alice", "", "").unwrap())
            .unwrap();
        store
            .create_task(&TaskFields {
                description: "renew the TLS certificate".into(),
                ..TaskFields::titled("Ops chores")
            })
            .unwrap();
        store
            .create_task(&TaskFields {
                assignee: Some(alice),
                ..TaskFields::titled("Certificate of origin")
            })
            .unwrap();
        store
            .create_task(&TaskFields::titled(
                "Write 100% of the docs, \"quoted\" *stars* a_b",
            ))
            .unwrap();
        assert_eq!(
            search(&store, Assignee::All, "CERTIF"),
            ["Ops chores", "Certificate of origin"]
        );
        assert_eq!(
            search(&store, Assignee::User(alice), "certif"),
            ["Certificate of origin"]
        );
        assert_eq!(
            search(&store, Assignee::Unassigned, "certif"),
            ["Ops chores"]
        );
        assert_eq!(
            search(&store, Assignee::All, "nothing like it"),
            Vec::<String>::new()
        );
        assert_eq!(
            search(&store, Assignee::All, "   "),
            search(&store, Assignee::All, "")
        );
    }

    #[test]
    fn short_queries_still_match_and_user_text_is_never_syntax() {
        let store = store();
        store
            .create_task(&TaskFields::titled("Write 100% of the docs"))
            .unwrap();
        store
            .create_task(&TaskFields::titled("say \"hi\" OR NEAR(x y) *stars* a_b"))
            .unwrap();
        store.create_task(&TaskFields::titled("plain")).unwrap();
        assert_eq!(
            search(&store, Assignee::All, "%"),
            ["Write 100% of the docs"]
        );
        assert_eq!(
            search(&store, Assignee::All, "_"),
            ["say \"hi\" OR NEAR(x y) *stars* a_b"]
        );
        assert_eq!(search(&store, Assignee::All, "PL"), ["plain"]);
        for hostile in [
            "\"hi\"",
            "OR NEAR(",
            "*stars*",
            "\"",
            "\"\"\"",
            "NEAR(x y)",
            "a_b",
            "^sa",
            "col:umn",
            "\\",
        ] {
            let found = search(&store, Assignee::All, hostile);
            assert!(found.len() <= 1, "{hostile}: {found:?}");
        }
        assert_eq!(
            search(&store, Assignee::All, "OR NEAR("),
            ["say \"hi\" OR NEAR(x y) *stars* a_b"]
        );
    }

    #[test]
    fn search_follows_edits_and_deletions() {
        let store = store();
        let id = store.create_task(&TaskFields::titled("before")).unwrap();
        store
            .update_task(
                id,
                1,
                &TaskFields {
                    description: "now about kittens".into(),
                    ..TaskFields::titled("after")
                },
            )
            .unwrap();
        assert_eq!(search(&store, Assignee::All, "kitten"), ["after"]);
        assert_eq!(
            search(&store, Assignee::All, "before"),
            Vec::<String>::new()
        );
        store.set_status(id, 2, Status::Done).unwrap();
        assert_eq!(search(&store, Assignee::All, "kitten"), ["after"]);
        store.delete_task(id).unwrap();
        assert_eq!(
            search(&store, Assignee::All, "kitten"),
            Vec::<String>::new()
        );
    }

    #[test]
    fn pages_read_from_the_end_match_pages_read_from_the_start() {
        let store = store();
        let alice = store
            .create_user(&validate_user("alice", "", "").unwrap())
            .unwrap();
        for i in 0..40u32 {
            let due = [None, Some("2026-12-01"), Some("2026-11-01")][(i % 3) as usize];
            let mut f = fields(&format!("t{i}"), due, Priority::ALL[(i % 4) as usize]);
            f.status = if i % 5 == 0 {
                Status::Done
            } else {
                Status::Todo
            };
            f.assignee = (i % 2 == 0).then_some(alice);
            store.create_task(&f).unwrap();
        }
        let filters = [
            TaskFilter::default(),
            TaskFilter::assigned_to(Assignee::User(alice)),
            TaskFilter {
                status: Some(Status::Todo),
                ..TaskFilter::default()
            },
        ];
        for filter in filters {
            let total = store.count_tasks(&filter).unwrap();
            for (top, limit) in [(0, 7), (total - 7, 7), (total - 3, 3), (5, total - 5)] {
                let forward = store.list_tasks(&filter, top, limit).unwrap();
                let backward = store
                    .list_tasks_from_end(&filter, total - top - limit, limit)
                    .unwrap();
                assert_eq!(
                    titles(&forward),
                    titles(&backward),
                    "{filter:?} {top}+{limit}"
                );
            }
        }
    }

    #[test]
    fn update_needs_the_version_it_was_read_at() {
        let store = store();
        let id = store.create_task(&TaskFields::titled("first")).unwrap();
        store
            .update_task(id, 1, &TaskFields::titled("second"))
            .unwrap();
        let task = store.get_task(id).unwrap();
        assert_eq!((task.title.as_str(), task.version), ("second", 2));
        // Someone else saved version 2 meanwhile: an edit of version 1 is refused.
        let err = store
            .update_task(id, 1, &TaskFields::titled("stale"))
            .unwrap_err();
        assert!(matches!(err, StoreError::Changed), "{err}");
        assert_eq!(store.get_task(id).unwrap().title, "second");
        store.delete_task(id).unwrap();
        let err = store
            .update_task(id, 2, &TaskFields::titled("gone"))
            .unwrap_err();
        assert!(matches!(err, StoreError::NotFound(_)), "{err}");
    }

    #[test]
    fn set_status_records_completion_and_clears_it_on_reopen() {
        let store = store();
        let id = store.create_task(&TaskFields::titled("t")).unwrap();
        store.set_status(id, 1, Status::Done).unwrap();
        let done = store.get_task(id).unwrap();
        assert_eq!(done.status, Status::Done);
        assert_eq!(done.completed_at.as_deref(), Some("2026-11-23T10:00:00Z"));
        store.set_status(id, 2, Status::Todo).unwrap();
        let reopened = store.get_task(id).unwrap();
        assert_eq!(
            (reopened.status, reopened.completed_at, reopened.version),
            (Status::Todo, None, 3)
        );
        assert!(matches!(
            store.set_status(id, 1, Status::Doing),
            Err(StoreError::Changed)
        ));
    }

    #[test]
    fn delete_removes_the_task_once() {
        let store = store();
        let id = store.create_task(&TaskFields::titled("t")).unwrap();
        store.delete_task(id).unwrap();
        assert!(matches!(store.get_task(id), Err(StoreError::NotFound(_))));
        assert!(matches!(
            store.delete_task(id),
            Err(StoreError::NotFound(_))
        ));
    }

    #[test]
    fn the_database_refuses_an_empty_title_or_a_missing_assignee() {
        let store = store();
        assert!(store.create_task(&TaskFields::titled("   ")).is_err());
        let mut f = TaskFields::titled("x");
        f.assignee = Some(UserId(404));
        let err = store.create_task(&f).unwrap_err();
        assert!(matches!(err, StoreError::NotFound("the assignee")), "{err}");
    }

    #[test]
    fn rows_written_by_other_tools_still_read() {
        let store = store();
        store
            .connection()
            .execute_batch(
                "INSERT INTO tasks (title) VALUES ('bare');
                 PRAGMA ignore_check_constraints = ON;
                 INSERT INTO tasks (title, status, priority, due_date)
                     VALUES (CAST(X'6869FF' AS TEXT), 'weird', 9, 'someday');
                 PRAGMA ignore_check_constraints = OFF;",
            )
            .unwrap();
        let tasks = store.list_tasks(&TaskFilter::default(), 0, 10).unwrap();
        assert_eq!(tasks.len(), 2);
        let bare = tasks.iter().find(|t| t.title == "bare").unwrap();
        assert_eq!(
            (bare.status, bare.priority, bare.version),
            (Status::Todo, Priority::None, 1)
        );
        let odd = tasks.iter().find(|t| t.title != "bare").unwrap();
        assert_eq!(odd.title, "hi\u{FFFD}");
        assert_eq!(
            (odd.status, odd.priority, odd.due),
            (Status::Todo, Priority::High, None)
        );
    }

    #[test]
    fn the_list_walks_an_index_instead_of_sorting() {
        let store = store();
        for filter in [
            TaskFilter::default(),
            TaskFilter::assigned_to(Assignee::Unassigned),
            TaskFilter::assigned_to(Assignee::User(UserId(1))),
            TaskFilter {
                assignee: Assignee::All,
                status: Some(Status::Todo),
                search: None,
            },
        ] {
            let (clause, values) = filter.sql();
            let plan: Vec<String> = store
                .connection()
                .prepare(&format!(
                    "EXPLAIN QUERY PLAN SELECT t.id FROM tasks t {clause} {} LIMIT 50",
                    filter.order()
                ))
                .unwrap()
                .query_map(params_from_iter(values), |row| row.get::<_, String>(3))
                .unwrap()
                .collect::<rusqlite::Result<_>>()
                .unwrap();
            let plan = plan.join("; ");
            assert!(!plan.contains("TEMP B-TREE"), "{filter:?} sorts: {plan}");
            assert!(plan.contains(" INDEX tasks_by_"), "{filter:?}: {plan}");
        }
    }
}
