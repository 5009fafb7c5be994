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

/// How many tasks hold a search word, as counted from its index: `count`, or at least `most`
/// when the count stopped there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Matches {
    pub count: u64,
    pub most: u64,
}

/// What ANALYZE measured of the short words' index: the share of tasks holding each of its
/// most common letters and pairs, and the share every other one is rarer than.
#[derive(Debug, Default)]
pub(crate) struct GramStatistics {
    common: std::collections::HashMap<String, f64>,
    rarer_than: f64,
    measured: bool,
}

impl Matches {
    /// Whether the count is the whole count (it stopped short of its bound), or an estimate
    /// taken as one (`most` unbounded).
    pub fn exact(&self) -> bool {
        self.count < self.most
    }
}

impl PgStore {
    /// The filter's WHERE clause for reading `rows` of its list (a page, or a count that stops
    /// at a bound): each search word's matches gathered from its index first when they are few
    /// enough for that many rows (`few_enough`, as on SQLite), else tested as the order's index
    /// (or the count) reaches each task. How many tasks hold a word is counted from its index,
    /// never taken from the planner's estimate (which put a letter no task holds at thousands
    /// of tasks and walked a million of them for it): the count stops where the answer is
    /// known, and is kept until the data changes.
    fn clause(&self, filter: &TaskFilter, rows: u64) -> Result<Clause> {
        let words = filter.words();
        if words.is_empty() {
            return Ok(clause(filter, &|_| true, &|_| Vec::new()));
        }
        let tasks = self.total_estimate()?.max(1.0) as u64;
        let mut few = std::collections::HashMap::new();
        for word in words {
            // The fewest matches that are too many: read from the index below it.
            let mut most = 2 * (rows.max(1).saturating_mul(tasks) as f64).sqrt() as u64 + 1;
            if word.chars().count() < 3 {
                // A short word's matches are tested again on the server as they are read
                // (its index keeps letters, not places): only a few thousand are read so.
                most = most.min(SHORT_WORD_MATCHES_MOST);
            }
            let found = self.how_many(&word, most, tasks)?;
            few.insert(word, found.count < most);
        }
        let mut named = std::collections::HashMap::new();
        for word in filter.words() {
            let ids = self.naming(&word)?;
            named.insert(word, ids);
        }
        Ok(clause(
            filter,
            &|word| few.get(word).copied().unwrap_or(false),
            &|word| named.get(word).cloned().unwrap_or_default(),
        ))
    }

    /// The ids of the tags whose names hold `word`, read once until the data changes.
    fn naming(&self, word: &str) -> Result<Vec<i64>> {
        if let Some(ids) = self.named.borrow().get(word) {
            return Ok(ids.clone());
        }
        let pattern = format!("%{}%", like_escaped(word));
        let ids: Vec<i64> = self
            .rows(
                "SELECT id FROM tags WHERE name ILIKE $1 ORDER BY id",
                &[&pattern],
            )?
            .iter()
            .map(|r| r.get(0))
            .collect();
        self.named
            .borrow_mut()
            .insert(word.to_string(), ids.clone());
        Ok(ids)
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

    /// How many tasks hold `word` (`count`), or that they are at least `most`: from what is
    /// known of the word since the data last changed, else from the statistics where they know
    /// it, else counted from its index. The statistics are trusted only where they measured: a
    /// letter or pair among the short words' index's most common elements, or a longer word the
    /// planner finds in many of the tasks it sampled. A word they did not meet is counted (the
    /// planner put a letter no task holds at 5,000 tasks, and a million were walked for it).
    fn how_many(&self, word: &str, most: u64, tasks: u64) -> Result<Matches> {
        let known = self.matches.borrow().get(word).copied();
        if let Some(m) = known.filter(|m| m.exact() || m.count >= most) {
            return Ok(m);
        }
        let at_least_most = Matches { count: most, most };
        let judged = if word.chars().count() < 3 {
            let grams = self.gram_statistics()?;
            match grams.common.get(&word.to_lowercase()) {
                Some(&share) => {
                    let n = (share * tasks as f64) as u64;
                    Some(if n >= most {
                        at_least_most
                    } else {
                        Matches {
                            count: n,
                            most: u64::MAX,
                        }
                    })
                }
                // Rarer than every common one: when even that many are few, no need to count.
                None if grams.measured && ((grams.rarer_than * tasks as f64) as u64) < most => {
                    Some(Matches {
                        count: (grams.rarer_than * tasks as f64) as u64,
                        most: u64::MAX,
                    })
                }
                None => None,
            }
        } else {
            let estimate = self.estimate(word).unwrap_or(0.0).max(0.0) as u64;
            (estimate >= most).then_some(at_least_most)
        };
        let found = match judged {
            Some(m) => m,
            None => self.count_matches(word, most)?,
        };
        self.matches.borrow_mut().insert(word.to_string(), found);
        Ok(found)
    }

    /// How many tasks hold a word of three letters or more, as the planner estimates it from
    /// the statistics of the texts (planning only, well under a millisecond).
    fn estimate(&self, word: &str) -> Result<f64> {
        let pattern = format!("'%{}%'", like_escaped(word).replace('\'', "''"));
        let row = self.row(
            &format!(
                "EXPLAIN (FORMAT JSON) SELECT 1 FROM tasks
                 WHERE title ILIKE {pattern} OR description ILIKE {pattern}"
            ),
            &[],
        )?;
        row.and_then(|r| r.try_get::<_, serde_json::Value>(0).ok())
            .and_then(|plan| plan[0]["Plan"]["Plan Rows"].as_f64())
            .ok_or(StoreError::Failed {
                what: "the server's plan could not be read",
                detail: String::new(),
            })
    }

    /// The short words' index's statistics, read once until the data changes.
    fn gram_statistics(&self) -> Result<std::rc::Rc<GramStatistics>> {
        if let Some(known) = self.grams.borrow().as_ref() {
            return Ok(std::rc::Rc::clone(known));
        }
        // The frequencies list has three more numbers after one for each element: the least
        // and greatest frequency, and that of empty arrays.
        let row = self.row(
            "SELECT most_common_elems::text::text[], most_common_elem_freqs
             FROM pg_stats WHERE schemaname = current_schema() AND tablename = 'tasks_short_words'
             AND most_common_elems IS NOT NULL",
            &[],
        )?;
        let stats = match row {
            Some(row) => {
                let elements: Vec<String> = row.get(0);
                let shares: Vec<f32> = row.get(1);
                GramStatistics {
                    rarer_than: shares.get(elements.len()).copied().unwrap_or(1.0).into(),
                    common: elements
                        .into_iter()
                        .zip(shares.into_iter().map(f64::from))
                        .collect(),
                    measured: true,
                }
            }
            None => GramStatistics::default(),
        };
        let stats = std::rc::Rc::new(stats);
        *self.grams.borrow_mut() = Some(std::rc::Rc::clone(&stats));
        Ok(stats)
    }

    /// How many tasks hold `word` in their text or a tag's name, counted up to `most`: the
    /// text's matches read from the word's index (trigrams for three letters or more, the
    /// short words' grams below), so a word no task holds costs a lookup, and one most tasks
    /// hold stops at `most`; the tags' from the counts they keep. One round trip: the server is
    /// told to read the index (a plan that walked the table would test every task's text).
    pub fn count_matches(&self, word: &str, most: u64) -> Result<Matches> {
        let literal = |text: &str| format!("'{}'", text.replace('\'', "''"));
        let pattern = literal(&format!("%{}%", like_escaped(word)));
        let test = if word.chars().count() >= 3 {
            format!("title ILIKE {pattern} OR description ILIKE {pattern}")
        } else {
            format!(
                "tasktui_grams(title, description) @> ARRAY[{}]",
                literal(&word.to_lowercase())
            )
        };
        let sql = format!(
            "BEGIN READ ONLY;
             SET LOCAL enable_seqscan = off;
             SET LOCAL enable_indexscan = off;
             SELECT (SELECT count(*) FROM (SELECT 1 FROM tasks WHERE {test} LIMIT {most}) s)
                  + (SELECT coalesce(sum(tasks), 0) FROM tags WHERE name ILIKE {pattern});
             COMMIT"
        );
        let mut client = self.client()?;
        let answers = client.simple_query(&sql).map_err(|e| {
            let _ = client.batch_execute("ROLLBACK");
            self.error(&e)
        })?;
        let count = answers
            .iter()
            .find_map(|m| match m {
                postgres::SimpleQueryMessage::Row(row) => row.get(0)?.parse::<u64>().ok(),
                _ => None,
            })
            .ok_or(StoreError::Failed {
                what: "the server's count of a search word could not be read",
                detail: String::new(),
            })?;
        Ok(Matches { count, most })
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
