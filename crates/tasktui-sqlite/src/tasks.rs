//! Reads and writes of tasks.
use tasktui_core::seam::Changes;

use super::counting::Counted;
use super::filter::TaskFilter;
use super::writes::tags_of_t;
use super::{Result, Store, StoreError, count, integer, optional_text, text};
use crate::filter::FilterSql;
use crate::from_sqlite;
use crate::order::OrderSql;
use chrono::NaiveDate;
use rusqlite::types::Value;
use rusqlite::{OptionalExtension, params_from_iter};
use tasktui_core::model::{
    Change, Expect, Priority, Status, TagCount, Task, TaskChanges, TaskFields, TaskId, UserId,
};
use tasktui_core::query::few_enough;
use tasktui_core::seam::{Counts, Tasks};

const TASK_COLUMNS: &str = concat!(
    "t.id, t.title, t.description, t.status, t.priority, t.due_date, t.assignee_id, u.username, \
     t.created_at, t.updated_at, t.completed_at, t.row_version, ",
    tags_of_t!()
);

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
        tags: tasktui_core::stored::split_tags(row.get(12)?),
    })
}

/// How far a page read without a count of its filter counts first (as the interface does).
const COUNTED_BEFORE_A_PAGE: u64 = 10_000;

impl Store {
    pub fn create_task(&self, fields: &TaskFields) -> Result<TaskId> {
        let applied = self.apply(&Change::CreateTask(fields.clone()))?;
        Ok(TaskId(applied.created.unwrap_or_default()))
    }

    fn query_page(
        &self,
        filter: &TaskFilter,
        order: &str,
        offset: u64,
        limit: u64,
    ) -> Result<Vec<Task>> {
        // Few matches: read them through the search or the tag and sort them. Many: walk the
        // order's index and stop at the page, testing each task.
        // The count of this filter, when it was the last counted, says how: its words that name
        // tags were looked up then too.
        let last_counted = || {
            self.counted
                .borrow()
                .as_ref()
                .filter(|(counted, ..)| counted == filter)
                .map(|(_, counted, naming)| (*counted, naming.clone()))
        };
        let mut known = last_counted();
        if known.is_none() && (filter.search_text().is_some() || filter.tag.is_some()) {
            // Read without a count first (a command's one page): counted now, as the interface
            // counts before it reads, so that a rare word is read through its index rather than
            // by walking every task in order and testing each.
            self.count_tasks_up_to(filter, COUNTED_BEFORE_A_PAGE)?;
            known = last_counted();
        }
        let (few, found, naming) = match known {
            Some((Counted { n, exact, found }, naming)) => {
                let tasks = self.tasks_span()?;
                (
                    exact && few_enough(n, offset + limit, tasks),
                    exact && found,
                    naming,
                )
            }
            None => (false, false, self.naming(filter)?),
        };
        let (source, clause, mut values) = if few && found {
            // The count kept the matches' ids: read those (CROSS JOIN keeps them the outer loop,
            // rather than the order's index walked and each task looked for among them), not
            // the search again.
            (
                "temp.found f CROSS JOIN tasks t ON t.id = f.id",
                String::new(),
                Vec::new(),
            )
        } else {
            let (clause, values) = filter.sql_walking(!few, &naming);
            ("tasks t", clause, values)
        };

        let limit_at = values.len() + 1;
        values.push(Value::Integer(i64::try_from(limit).unwrap_or(i64::MAX)));
        values.push(Value::Integer(i64::try_from(offset).unwrap_or(i64::MAX)));
        if few {
            // The sort keeps only the ids: each task's whole row (its tags, its description) is
            // read for the page alone.
            let ids: Vec<i64> = self
                .conn
                .prepare_cached(&format!(
                    "SELECT t.id FROM {source} {clause} {order} LIMIT ?{limit_at} OFFSET ?{}",
                    limit_at + 1
                ))
                .map_err(from_sqlite)?
                .query_map(params_from_iter(values), |row| row.get(0))
                .map_err(from_sqlite)?
                .collect::<rusqlite::Result<_>>()
                .map_err(from_sqlite)?;
            return self.tasks_by_id(ids);
        }
        let mut statement = self
            .conn
            .prepare_cached(&format!(
                "SELECT {TASK_COLUMNS} FROM tasks t LEFT JOIN users u ON u.id = t.assignee_id
             {clause} {order} LIMIT ?{limit_at} OFFSET ?{}",
                limit_at + 1
            ))
            .map_err(from_sqlite)?;
        let rows = statement
            .query_map(params_from_iter(values), read_task)
            .map_err(from_sqlite)?;
        rows.collect::<rusqlite::Result<_>>().map_err(from_sqlite)
    }

    /// Saves the fields an edit changed, to the task as it was at `version`; refused when
    /// another process changed or deleted it since. Fields left as `None` are not written.
    pub fn update_task(&self, id: TaskId, version: i64, changes: &TaskChanges) -> Result<()> {
        // Nothing changed, nothing written: not even a step of undo.
        if *changes == TaskChanges::default() {
            return Ok(());
        }
        self.apply(&Change::UpdateTask {
            id,
            expect: Expect::Version(version),
            changes: changes.clone(),
        })
        .map(|_| ())
    }

    /// Sets the status of the task as it was at `version`, with the same check as an edit.
    pub fn set_status(&self, id: TaskId, version: i64, status: Status) -> Result<()> {
        let changes = TaskChanges {
            status: Some(status),
            ..TaskChanges::default()
        };
        self.update_task(id, version, &changes)
    }

    /// Deletes the task as it was at `version`: one changed or deleted elsewhere since is kept.
    pub fn delete_task(&self, id: TaskId, version: i64) -> Result<()> {
        self.apply(&Change::DeleteTask {
            id,
            expect: Expect::Version(version),
        })
        .map(|_| ())
    }
}

/// A task's place in a filter's order: the filter as SQL (`clause` over alias `t`, its
/// `values`), and the task's values of the order's terms (`key`), which the position
/// conditions take as parameters after the filter's.
struct Placed {
    clause: String,
    values: Vec<Value>,
    key: Vec<Value>,
}

impl Store {
    /// Where task `id` stands in the filter's order; `None` when the filter leaves it out.
    fn place(&self, filter: &TaskFilter, id: TaskId) -> Result<Option<Placed>> {
        let naming = self.naming(filter)?;
        let (clause, mut values) = filter.sql(&naming);
        let and = if clause.is_empty() { "WHERE" } else { "AND" };
        let exprs = filter.sort.key_exprs();
        values.push(Value::Integer(id.0));
        let key: Option<Vec<Value>> = self
            .conn
            .prepare_cached(&format!(
                "SELECT {} FROM tasks t {clause} {and} t.id = ?{}",
                exprs.join(", "),
                values.len()
            ))
            .map_err(from_sqlite)?
            .query_row(params_from_iter(values.iter()), |row| {
                (0..exprs.len()).map(|i| row.get::<_, Value>(i)).collect()
            })
            .optional()
            .map_err(from_sqlite)?;
        values.pop();
        Ok(key.map(|key| Placed {
            clause,
            values,
            key,
        }))
    }

    /// The tasks of `ids`, whole, in that order (one gone meanwhile is left out).
    fn tasks_by_id(&self, ids: Vec<i64>) -> Result<Vec<Task>> {
        let mut statement = self
            .conn
            .prepare_cached(&format!(
                "SELECT {TASK_COLUMNS} FROM tasks t LEFT JOIN users u ON u.id = t.assignee_id
                 WHERE t.id = ?1"
            ))
            .map_err(from_sqlite)?;
        let mut rows = Vec::with_capacity(ids.len());
        for id in ids {
            if let Some(task) = statement
                .query_row([id], read_task)
                .optional()
                .map_err(from_sqlite)?
            {
                rows.push(task);
            }
        }
        Ok(rows)
    }
}

impl Tasks for Store {
    /// `limit` tasks of the filter in list order, skipping the first `offset`.
    fn list_tasks(&self, filter: &TaskFilter, offset: u64, limit: u64) -> Result<Vec<Task>> {
        self.query_page(
            filter,
            &filter.sort.order_by(false, filter.state.is_some()),
            offset,
            limit,
        )
    }

    /// The same rows as `list_tasks(filter, total - from_end - limit, limit)`, in list order, read
    /// from the end of the index: an OFFSET walks every row it skips, so pages near the end of
    /// a long list are cheap only this way.
    fn list_tasks_from_end(
        &self,
        filter: &TaskFilter,
        from_end: u64,
        limit: u64,
    ) -> Result<Vec<Task>> {
        let mut rows = self.query_page(
            filter,
            &filter.sort.order_by(true, filter.state.is_some()),
            from_end,
            limit,
        )?;
        rows.reverse();
        Ok(rows)
    }

    /// The index of a task in the filter's list order; `None` when the filter does not show it.
    /// Counted as a sum of index ranges (the tasks before it on each term of the order), so it
    /// costs what the rows before it cost, never a sort.
    fn task_position(&self, filter: &TaskFilter, id: TaskId) -> Result<Option<u64>> {
        let Some(Placed {
            clause,
            mut values,
            key,
        }) = self.place(filter, id)?
        else {
            return Ok(None);
        };
        let and = if clause.is_empty() { "WHERE" } else { "AND" };
        let filtered = values.len();
        // The tasks before it on the terms the kept counts hold (open or done, the due date:
        // most of the list when a task just done went after every open one), from those
        // counts where they answer the filter; the others from the order's indexes.
        let in_counts = |first: usize| -> Vec<Option<String>> {
            if filter.counted_by_kept() {
                filter.sort.before_in_counts(first)
            } else {
                Vec::new()
            }
        };
        let kept: Vec<bool> = in_counts(1).iter().map(Option::is_some).collect();
        let (mut from_counts, mut counts) = (Vec::new(), Vec::new());
        for (k, before) in filter.sort.before(filtered + 1).into_iter().enumerate() {
            if kept.get(k).copied().unwrap_or(false) {
                from_counts.push(k);
            } else {
                counts.push(format!(
                    "(SELECT count(*) FROM tasks t {clause} {and} {before})"
                ));
            }
        }
        let mut position = 0;
        if !from_counts.is_empty() {
            let also = |first: usize| {
                let conditions = in_counts(first);
                from_counts
                    .iter()
                    .filter_map(|&k| conditions[k].clone())
                    .collect::<Vec<_>>()
                    .join(") OR (")
            };
            // Condition k reads the task's first k + 1 terms.
            let read = from_counts.iter().max().map_or(0, |k| k + 1);
            position += self.count_kept_where(
                filter,
                Some(&|first| format!("({})", also(first))),
                key[..read].to_vec(),
            )?;
        }
        if !counts.is_empty() {
            values.extend(key);
            let mut statement = self
                .conn
                .prepare_cached(&format!("SELECT {}", counts.join(" + ")))
                .map_err(from_sqlite)?;
            position += statement
                .query_row(params_from_iter(values), |row| count(row, 0))
                .map_err(from_sqlite)?;
        }
        Ok(Some(position))
    }

    /// The page around a task from its place in the order's indexes: the tasks before it are
    /// those of each `before` condition (nearest first), each a range of an index read
    /// backwards and stopped at the page; the tasks after it the same way forwards. No row
    /// above the page is walked (an OFFSET walked 750,000 for a task just done at a million).
    fn list_tasks_around(
        &self,
        filter: &TaskFilter,
        id: TaskId,
        position: u64,
        before: u64,
        limit: u64,
    ) -> Result<Vec<Task>> {
        let Some(Placed {
            clause,
            values,
            key,
        }) = self.place(filter, id)?
        else {
            return self.list_tasks(filter, position.saturating_sub(before), limit);
        };
        let and = if clause.is_empty() { "WHERE" } else { "AND" };
        let filtered = values.len();
        let one_state = filter.state.is_some();
        let ids_of = |conditions: Vec<String>, backwards: bool, most: u64| -> Result<Vec<i64>> {
            let order = filter.sort.order_by(backwards, one_state);
            let mut ids = Vec::new();
            // Nearest first: the same terms but the last, then one term fewer, …
            for (k, condition) in conditions.into_iter().enumerate().rev() {
                let wanted = most.saturating_sub(ids.len() as u64);
                if wanted == 0 {
                    break;
                }
                let mut statement = self
                    .conn
                    .prepare_cached(&format!(
                        "SELECT t.id FROM tasks t {clause} {and} {condition} {order} LIMIT {wanted}"
                    ))
                    .map_err(from_sqlite)?;
                // Condition k reads the task's first k + 1 terms.
                let all = values.iter().chain(key.iter().take(k + 1));
                let found = statement
                    .query_map(params_from_iter(all), |row| row.get::<_, i64>(0))
                    .map_err(from_sqlite)?
                    .collect::<rusqlite::Result<Vec<i64>>>()
                    .map_err(from_sqlite)?;
                ids.extend(found);
            }
            Ok(ids)
        };
        let mut ids = ids_of(filter.sort.before(filtered + 1), true, before)?;
        ids.reverse();
        ids.push(id.0);
        let after = limit.saturating_sub(ids.len() as u64);
        ids.extend(ids_of(filter.sort.after(filtered + 1), false, after)?);
        ids.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
        self.tasks_by_id(ids)
    }

    fn get_task(&self, id: TaskId) -> Result<Task> {
        self.conn
            .query_row(
                &format!(
                    "SELECT {TASK_COLUMNS} FROM tasks t LEFT JOIN users u ON u.id = t.assignee_id
                     WHERE t.id = ?1"
                ),
                [id.0],
                read_task,
            )
            .optional()
            .map_err(from_sqlite)?
            .ok_or(StoreError::NotFound("this task"))
    }

    /// The tags that some task carries, most used first: one row per tag, never a count.
    fn list_tags(&self) -> Result<Vec<TagCount>> {
        let mut statement = self.conn.prepare_cached(
            "SELECT name, tasks FROM tags WHERE tasks > 0 ORDER BY tasks DESC, name COLLATE NOCASE",
        ).map_err(from_sqlite)?;
        let rows = statement
            .query_map([], |row| {
                Ok(TagCount {
                    name: text(row, 0)?,
                    tasks: count(row, 1)?,
                })
            })
            .map_err(from_sqlite)?;
        rows.collect::<rusqlite::Result<_>>().map_err(from_sqlite)
    }
}

#[cfg(test)]
mod tests;
