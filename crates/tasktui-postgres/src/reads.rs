//! Reads on the server: users with their counts, tags, and pages, counts and positions of the
//! task list under a filter, each a query whose conditions and order match an index.

use super::PgStore;
use super::filter::{Clause, clause, kept_count};
use super::rows::TAGS_OF_T;
use chrono::NaiveDate;
use postgres::types::ToSql;
use tasktui_core::error::{Result, StoreError};
use tasktui_core::model::{Priority, Status, TagCount, Task, TaskId, User, UserId, UserSummary};
use tasktui_core::query::TaskFilter;
use tasktui_core::seam::{Counts, Tasks, Users};
use tasktui_core::stored::like_escaped;

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

/// The most tasks holding a word of one or two letters that are read from its index.
const SHORT_WORD_MATCHES_MOST: u64 = 2_000;

impl PgStore {
    /// The filter's WHERE clause for reading `rows` of its list (a page, or a count that stops
    /// at a bound): each search word's matches gathered from its index first when they are few
    /// enough for that many rows (`few_enough`, as on SQLite), else tested as the order's index
    /// (or the count) reaches each task. How many tasks hold each word is the planner's estimate,
    /// looked up once per word until the data changes.
    fn clause(&self, filter: &TaskFilter, rows: u64) -> Result<Clause> {
        let words = filter.words();
        if words.is_empty() {
            return Ok(clause(filter, &|_| true));
        }
        let tasks = self.total_estimate()?;
        let mut few = std::collections::HashMap::new();
        for word in words {
            let known = self.estimates.borrow().get(&word).copied();
            let estimate = match known {
                Some(estimate) => estimate,
                None => {
                    // Unknown (statistics unreadable): taken as every task, so the order is
                    // walked, which cannot go badly wrong for a word most tasks hold.
                    let estimate = self.estimate(&word).unwrap_or(tasks);
                    self.estimates.borrow_mut().insert(word.clone(), estimate);
                    estimate
                }
            };
            let matches = estimate.max(0.0) as u64;
            // For a short word held by many tasks, the planner would test every task's grams
            // (it costs the index's answers as if each were checked again): only a few
            // thousand are read from its index.
            let indexed = word.chars().count() >= 3 || matches < SHORT_WORD_MATCHES_MOST;
            few.insert(
                word,
                indexed && tasktui_core::query::few_enough(matches, rows, tasks.max(1.0) as u64),
            );
        }
        Ok(clause(filter, &|word| {
            few.get(word).copied().unwrap_or(false)
        }))
    }

    /// About how many tasks there are: the server's statistics, else (before the table was
    /// first analysed) the kept counts.
    fn total_estimate(&self) -> Result<f64> {
        if let Some(total) = self.total.get() {
            return Ok(total);
        }
        let row = self.row(
            "SELECT CASE WHEN c.reltuples >= 0 THEN c.reltuples::float8
                    ELSE (SELECT coalesce(sum(n), 0)::float8 FROM task_counts) END
             FROM pg_class c WHERE c.oid = 'tasks'::regclass",
            &[],
        )?;
        let total = row.map_or(0.0, |r| r.get::<_, f64>(0));
        self.total.set(Some(total));
        Ok(total)
    }

    /// How many tasks hold `word`, as the planner estimates it from the indexes' statistics:
    /// planning only, well under a millisecond, where counting would read the matches (and each
    /// one's text).
    pub fn estimate(&self, word: &str) -> Result<f64> {
        let literal = |text: &str| format!("'{}'", text.replace('\'', "''"));
        let test = if word.chars().count() >= 3 {
            let pattern = literal(&format!("%{}%", like_escaped(word)));
            format!("title ILIKE {pattern} OR description ILIKE {pattern}")
        } else {
            format!(
                "tasktui_grams(title, description) @> ARRAY[{}]",
                literal(&word.to_lowercase())
            )
        };
        let row = self.row(
            &format!("EXPLAIN (FORMAT JSON) SELECT 1 FROM tasks WHERE {test}"),
            &[],
        )?;
        row.and_then(|r| r.try_get::<_, serde_json::Value>(0).ok())
            .and_then(|plan| plan[0]["Plan"]["Plan Rows"].as_f64())
            .ok_or(StoreError::Failed {
                what: "the server's plan could not be read",
                detail: String::new(),
            })
    }

    pub(crate) fn rows(
        &self,
        sql: &str,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<Vec<postgres::Row>> {
        let mut client = self.client()?;
        client.query(sql, params).map_err(|e| self.error(&e))
    }

    fn row(&self, sql: &str, params: &[&(dyn ToSql + Sync)]) -> Result<Option<postgres::Row>> {
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
        let counts: Vec<String> = super::order::before(filter.sort, &target)
            .into_iter()
            .map(|before| format!("(SELECT count(*) FROM tasks t {} {and} {before})", c.sql()))
            .collect();
        let row = self.row(&format!("SELECT {}", counts.join(" + ")), &c.params())?;
        Ok(row.map(|r| u64::try_from(r.get::<_, i64>(0)).unwrap_or(0)))
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

impl Counts for PgStore {
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
