//! Reads on the server: users with their counts, tags, and pages, counts and positions of the
//! task list under a filter, each a query whose conditions and order match an index.

use super::PgStore;
use super::filter::kept_count;
use super::rows::TAGS_OF_T;
use chrono::NaiveDate;
use postgres::types::ToSql;
use tasktui_core::error::{Result, StoreError};
use tasktui_core::model::{Priority, Status, TagCount, Task, TaskId, User, UserId, UserSummary};
use tasktui_core::query::TaskFilter;
use tasktui_core::seam::{Counts, Tasks, Users};

const TASK_COLUMNS: &str = "t.id, t.title, t.description, t.status, t.priority, t.due_date, \
     t.assignee_id, u.username, t.created_at, t.updated_at, t.completed_at, t.row_version";

fn read_task(row: &postgres::Row) -> Task {
    Task {
        id: TaskId(row.get(0)),
        title: row.get(1),
        description: row.get(2),
        status: Status::from_db(row.get(3)),
        priority: Priority::from_db(row.get(4)),
        due: row
            .get::<_, Option<String>>(5)
            .and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok()),
        assignee: row.get::<_, Option<i64>>(6).map(UserId),
        assignee_name: row.get(7),
        created_at: row.get(8),
        updated_at: row.get(9),
        completed_at: row.get(10),
        version: row.get(11),
        tags: tasktui_core::stored::split_tags(row.get(12)),
    }
}

fn read_user(row: &postgres::Row) -> User {
    User {
        id: UserId(row.get(0)),
        username: row.get(1),
        full_name: row.get(2),
        email: row.get(3),
        created_at: row.get(4),
        version: row.get(5),
    }
}

impl PgStore {
    pub(crate) fn rows(
        &self,
        sql: &str,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<Vec<postgres::Row>> {
        let mut client = self.client()?;
        client.query(sql, params).map_err(|e| self.error(&e))
    }

    pub(crate) fn row(
        &self,
        sql: &str,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<Option<postgres::Row>> {
        let mut client = self.client()?;
        client.query_opt(sql, params).map_err(|e| self.error(&e))
    }

    fn page(
        &self,
        filter: &TaskFilter,
        backwards: bool,
        skip: u64,
        limit: u64,
    ) -> Result<Vec<Task>> {
        let mut c = self.clause(filter, skip.saturating_add(limit))?;
        let order = super::order::order_by(filter.sort, backwards, filter.state.is_some());
        let limit = c.param(i64::try_from(limit).unwrap_or(i64::MAX));
        let offset = c.param(i64::try_from(skip).unwrap_or(i64::MAX));
        // The rows an OFFSET skips are walked as ids only (the order's index): the whole row,
        // with its tags, is read for the page alone. Reading it for every skipped row made a
        // page 60,000 rows down take 200 ms at 100,000 tasks.
        let rows = self.rows(
            &format!(
                "SELECT {TASK_COLUMNS}, {TAGS_OF_T}
                 FROM unnest(ARRAY(SELECT t.id FROM tasks t {} {order} LIMIT {limit} OFFSET {offset}))
                      WITH ORDINALITY AS page(id, n)
                 JOIN tasks t ON t.id = page.id
                 LEFT JOIN users u ON u.id = t.assignee_id
                 ORDER BY page.n",
                c.sql()
            ),
            &c.params(),
        )?;
        Ok(rows.iter().map(read_task).collect())
    }
}

impl Users for PgStore {
    /// Every user by username, with their open tasks and the open ones past due.
    fn list_users(&self) -> Result<Vec<UserSummary>> {
        let today = self.clock.today().to_string();
        // From the counts kept by assignee, state and due date (V8), never the tasks.
        let rows = self.rows(
            "SELECT u.id, u.username, u.full_name, u.email, u.created_at, u.row_version,
                    coalesce(sum(c.n), 0)::bigint,
                    coalesce(sum(c.n) FILTER (WHERE c.due > '' AND c.due < $1), 0)::bigint
             FROM users u LEFT JOIN task_counts c ON c.assignee = u.id AND c.done = 0
             GROUP BY u.id ORDER BY u.username, u.id",
            &[&today],
        )?;
        Ok(rows
            .iter()
            .map(|row| UserSummary {
                user: read_user(row),
                open_tasks: u64::try_from(row.get::<_, i64>(6)).unwrap_or(0),
                overdue_tasks: u64::try_from(row.get::<_, i64>(7)).unwrap_or(0),
            })
            .collect())
    }

    fn get_user(&self, id: UserId) -> Result<User> {
        self.row(
            "SELECT id, username, full_name, email, created_at, row_version FROM users WHERE id = $1",
            &[&id.0],
        )?
        .map(|row| read_user(&row))
        .ok_or(StoreError::NotFound("this user"))
    }

    fn count_user_tasks(&self, id: UserId) -> Result<u64> {
        let row = self.row(
            "SELECT count(*) FROM tasks WHERE assignee_id = $1",
            &[&id.0],
        )?;
        Ok(row.map_or(0, |r| u64::try_from(r.get::<_, i64>(0)).unwrap_or(0)))
    }
}

impl Tasks for PgStore {
    fn list_tasks(&self, filter: &TaskFilter, offset: u64, limit: u64) -> Result<Vec<Task>> {
        self.page(filter, false, offset, limit)
    }

    /// The rows `list_tasks(filter, total - from_end - limit, limit)` gives, read from the end
    /// of the order's index.
    fn list_tasks_from_end(
        &self,
        filter: &TaskFilter,
        from_end: u64,
        limit: u64,
    ) -> Result<Vec<Task>> {
        let mut tasks = self.page(filter, true, from_end, limit)?;
        tasks.reverse();
        Ok(tasks)
    }

    /// The index of a task in the filter's order: the tasks before it on each term, counted
    /// from the order's index.
    fn task_position(&self, filter: &TaskFilter, id: TaskId) -> Result<Option<u64>> {
        let mut c = self.clause(filter, u64::MAX)?;
        let target = c.param(id.0);
        let and = if c.conditions.is_empty() {
            "WHERE"
        } else {
            "AND"
        };
        let shown = self.row(
            &format!("SELECT 1 FROM tasks t {} {and} t.id = {target}", c.sql()),
            &c.params(),
        )?;
        if shown.is_none() {
            return Ok(None);
        }
        // The tasks before it on the terms the kept counts hold, from those counts, where the
        // filter is one they answer; the others from the order's indexes.
        let mut kept = kept_count(filter);
        let mut from_counts = Vec::new();
        let in_counts = match &mut kept {
            Some(kept) => super::order::before_in_counts(filter.sort, &kept.param(id.0)),
            None => Vec::new(),
        };
        let mut counts: Vec<String> = Vec::new();
        for (k, before) in super::order::before(filter.sort, &target)
            .into_iter()
            .enumerate()
        {
            match in_counts.get(k).cloned().flatten() {
                Some(condition) => from_counts.push(condition),
                None => counts.push(format!(
                    "(SELECT count(*) FROM tasks t {} {and} {before})",
                    c.sql()
                )),
            }
        }
        let mut position = 0;
        if let (Some(kept), false) = (&kept, from_counts.is_empty()) {
            let row = self.row(&kept.sql_among(&from_counts), &kept.params())?;
            position += row.map_or(0, |r| u64::try_from(r.get::<_, i64>(0)).unwrap_or(0));
        }
        if !counts.is_empty() {
            let row = self.row(&format!("SELECT {}", counts.join(" + ")), &c.params())?;
            position += row.map_or(0, |r| u64::try_from(r.get::<_, i64>(0)).unwrap_or(0));
        }
        Ok(Some(position))
    }

    /// The page around a task from its place in the order's indexes: the tasks before it are
    /// those of each `before` condition (nearest first: the same terms but the last, then …),
    /// each a range of an index read backwards and stopped at the page; the tasks after it the
    /// same way forwards. No row above the page is walked.
    fn list_tasks_around(
        &self,
        filter: &TaskFilter,
        id: TaskId,
        _position: u64,
        before: u64,
        limit: u64,
    ) -> Result<Vec<Task>> {
        let mut c = self.clause(filter, limit)?;
        let target = c.param(id.0);
        let and = if c.conditions.is_empty() {
            "WHERE"
        } else {
            "AND"
        };
        let one_state = filter.state.is_some();
        let backwards = super::order::order_by(filter.sort, true, one_state);
        let forwards = super::order::order_by(filter.sort, false, one_state);
        let above = c.param(i64::try_from(before).unwrap_or(i64::MAX));
        let below = c.param(i64::try_from(limit).unwrap_or(i64::MAX));
        let arrays = |conditions: Vec<String>, order: &str, most: &str| -> Vec<String> {
            conditions
                .into_iter()
                .rev()
                .map(|condition| {
                    format!(
                        "ARRAY(SELECT t.id FROM tasks t {} {and} {condition} {order} LIMIT {most})",
                        c.sql()
                    )
                })
                .collect()
        };
        let mut parts = arrays(
            super::order::before(filter.sort, &target),
            &backwards,
            &above,
        );
        let nearer = parts.len();
        parts.extend(arrays(
            super::order::after(filter.sort, &target),
            &forwards,
            &below,
        ));
        let row = self.row(&format!("SELECT {}", parts.join(", ")), &c.params())?;
        let Some(row) = row else {
            return Ok(Vec::new());
        };
        let mut ids: Vec<i64> = (0..nearer)
            .flat_map(|i| row.get::<_, Vec<i64>>(i))
            .take(usize::try_from(before).unwrap_or(usize::MAX))
            .collect();
        ids.reverse();
        ids.push(id.0);
        ids.extend(
            (nearer..parts.len())
                .flat_map(|i| row.get::<_, Vec<i64>>(i))
                .take(usize::try_from(limit).unwrap_or(usize::MAX)),
        );
        ids.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
        let rows = self.rows(
            &format!(
                "SELECT {TASK_COLUMNS}, {TAGS_OF_T}
                 FROM unnest($1::bigint[]) WITH ORDINALITY AS page(id, n)
                 JOIN tasks t ON t.id = page.id
                 LEFT JOIN users u ON u.id = t.assignee_id
                 ORDER BY page.n"
            ),
            &[&ids],
        )?;
        Ok(rows.iter().map(read_task).collect())
    }

    fn get_task(&self, id: TaskId) -> Result<Task> {
        self.row(
            &format!(
                "SELECT {TASK_COLUMNS}, {TAGS_OF_T} FROM tasks t
                 LEFT JOIN users u ON u.id = t.assignee_id WHERE t.id = $1"
            ),
            &[&id.0],
        )?
        .map(|row| read_task(&row))
        .ok_or(StoreError::NotFound("this task"))
    }

    /// The tags that some task carries, most used first.
    fn list_tags(&self) -> Result<Vec<TagCount>> {
        let rows = self.rows(
            "SELECT name, tasks FROM tags WHERE tasks > 0
             ORDER BY tasks DESC, lower(name) COLLATE \"C\"",
            &[],
        )?;
        Ok(rows
            .iter()
            .map(|row| TagCount {
                name: row.get(0),
                tasks: u64::try_from(row.get::<_, i64>(1)).unwrap_or(0),
            })
            .collect())
    }
}

/// How many of a search's matches a server counts: each is read from the table to be counted
/// (no index of the server counts them alone), and a thousand are read within a keystroke's
/// time where ten thousand took up to 190 ms at a million tasks.
const MATCHES_COUNTED_ON_A_SERVER: u64 = 1_000;

impl Counts for PgStore {
    fn matches_counted(&self) -> u64 {
        MATCHES_COUNTED_ON_A_SERVER
    }

    fn count_tasks(&self, filter: &TaskFilter) -> Result<u64> {
        if let Some(kept) = kept_count(filter) {
            let row = self.row(&kept.sql(), &kept.params())?;
            return Ok(row.map_or(0, |r| u64::try_from(r.get::<_, i64>(0)).unwrap_or(0)));
        }
        let c = self.clause(filter, u64::MAX)?;
        let row = self.row(
            &format!("SELECT count(*) FROM tasks t {}", c.sql()),
            &c.params(),
        )?;
        Ok(row.map_or(0, |r| u64::try_from(r.get::<_, i64>(0)).unwrap_or(0)))
    }

    /// The count, stopping one past `most`, and whether it is exact. Without words or tags the
    /// conditions are those of an index, and the count is read whole: the list's end is its end.
    fn count_tasks_up_to(&self, filter: &TaskFilter, most: u64) -> Result<(u64, bool)> {
        if filter.words().is_empty() && filter.required_tags().is_empty() {
            return Ok((self.count_tasks(filter)?, true));
        }
        let mut c = self.clause(filter, most.saturating_add(1))?;
        let cut = c.param(i64::try_from(most.saturating_add(1)).unwrap_or(i64::MAX));
        let row = self.row(
            &format!(
                "SELECT count(*) FROM (SELECT 1 FROM tasks t {} LIMIT {cut}) s",
                c.sql()
            ),
            &c.params(),
        )?;
        let n = row.map_or(0, |r| u64::try_from(r.get::<_, i64>(0)).unwrap_or(0));
        Ok((n, n <= most))
    }

    /// When the filter's count is read from the kept counts, the same count made from the
    /// tasks themselves; `None` for a filter counted that way anyway.
    fn recount_kept(&self, filter: &TaskFilter) -> Result<Option<u64>> {
        if kept_count(filter).is_none() {
            return Ok(None);
        }
        let c = self.clause(filter, u64::MAX)?;
        let row = self.row(
            &format!("SELECT count(*) FROM tasks t {}", c.sql()),
            &c.params(),
        )?;
        Ok(Some(row.map_or(0, |r| {
            u64::try_from(r.get::<_, i64>(0)).unwrap_or(0)
        })))
    }
}
