//! How many tasks a filter matches: from the counts the database keeps when no search or tag
//! asks, else from the indexes, stopping one past a bound when many match; and the search's few
//! matches kept for its pages.

use super::filter::{Assignee, State, TaskFilter};
use super::words::Naming;
use super::{Result, Store, count};
use crate::filter::FilterSql;
use crate::from_sqlite;
use crate::words::SearchSql;
use rusqlite::params_from_iter;
use rusqlite::types::Value;
use tasktui_core::query::few_enough;
use tasktui_core::seam::Counts;
use tasktui_core::stored::like_escaped;

/// How many tasks a filter matched.
#[derive(Debug, Clone, Copy)]
pub(super) struct Counted {
    pub n: u64,
    /// Not cut short at a bound (which says only "at least", that is "many").
    pub exact: bool,
    /// The ids of the matches are in `temp.found`, gathered as they were counted.
    pub found: bool,
}

impl Counted {
    fn kept(n: u64) -> Counted {
        Counted {
            n,
            exact: true,
            found: false,
        }
    }
}

/// The rows of a page, about: whether a search's matches are few enough to keep for its pages.
const PAGE: u64 = 50;

/// The most tasks holding a search's other words that are each tested for the tags its words
/// name; past it, the tagged tasks are gathered once.
const TEST_EACH_MOST: u64 = 20_000;

impl Store {
    fn count_matching(
        &self,
        filter: &TaskFilter,
        most: Option<u64>,
        naming: &Naming,
    ) -> Result<Counted> {
        if filter.counted_by_kept() {
            return Ok(Counted::kept(self.count_kept(filter)?));
        }
        if let Some((sql, params)) = filter.kept_tag_count() {
            // One tag with none under it: its count is kept (V9), nothing to count.
            let (under, kept): (bool, Option<i64>) = self
                .conn
                .prepare_cached(sql)
                .map_err(from_sqlite)?
                .query_row(params, |row| Ok((row.get(0)?, row.get(1)?)))
                .map_err(from_sqlite)?;
            if !under {
                return Ok(Counted::kept(
                    kept.map_or(0, |n| u64::try_from(n).unwrap_or(0)),
                ));
            }
        }
        self.count_rows(filter, most, naming)
    }

    /// Counts the matching tasks themselves (not the kept counts), stopping one past `most`:
    /// enough to say there are more.
    fn count_rows(
        &self,
        filter: &TaskFilter,
        most: Option<u64>,
        naming: &Naming,
    ) -> Result<Counted> {
        let cut = most.map_or(String::new(), |most| {
            format!(" LIMIT {}", most.saturating_add(1))
        });
        let cut_at = |n: u64| Counted {
            n,
            exact: most.is_none_or(|most| n <= most),
            found: false,
        };
        let mut values = Vec::new();
        if let Some(ids) = filter.tagged_ids(&mut values) {
            // Every id the tag index gives is a task: count them, without visiting the tasks.
            let mut statement = self
                .conn
                .prepare_cached(&format!(
                    "SELECT count(*) FROM (SELECT 1 FROM ({ids}){cut})"
                ))
                .map_err(from_sqlite)?;
            let n = statement
                .query_row(params_from_iter(values), |row| count(row, 0))
                .map_err(from_sqlite)?;
            return Ok(cut_at(n));
        }
        // The tasks whose text holds every word, up to `most` + 1: past `most`, the search
        // matches many, said without gathering the rest (nor the tags that hold the words).
        let mut many = false;
        let mut text_matches = None;
        if let (Some(most), Some(text)) = (most, filter.text_ids(&mut values)) {
            let n = self
                .conn
                .prepare_cached(&format!(
                    "SELECT count(*) FROM (SELECT 1 FROM ({text}) LIMIT {})",
                    most.saturating_add(1)
                ))
                .map_err(from_sqlite)?
                .query_row(params_from_iter(values.drain(..)), |row| count(row, 0))
                .map_err(from_sqlite)?;
            if n > most && filter.counted_by_search() {
                return Ok(cut_at(n));
            }
            many = n > most;
            text_matches = Some(n);
            if many && let Some(met) = self.text_meeting(filter, most, naming.words.is_empty())? {
                return Ok(met);
            }
        }
        let ids = if filter.counted_by_search()
            && let Some(ids) = filter.search_ids(&mut values, naming)
        {
            // Every id the indexes give is a task: count them, without visiting the tasks.
            format!("SELECT id FROM ({ids})")
        } else {
            // Words that many tasks hold, with another condition: walk that condition's index
            // and test each task, rather than gather every task that holds the words.
            let (clause, walked) = filter.sql_walking(many, naming);
            values = walked;
            format!("SELECT t.id FROM tasks t {clause}")
        };
        let tasks = self.tasks_span()?;
        if text_matches.is_some_and(|n| few_enough(n, PAGE, tasks)) {
            // A search's few matches, up to the bound, are kept for its pages (`query_page`);
            // many are walked to, so keeping them would be work for nothing.
            let n = self.gather(&ids, &cut, values)?;
            return Ok(Counted {
                found: true,
                ..cut_at(n)
            });
        }
        let mut statement = self
            .conn
            .prepare_cached(&format!("SELECT count(*) FROM ({ids}{cut})"))
            .map_err(from_sqlite)?;
        let n = statement
            .query_row(params_from_iter(values), |row| count(row, 0))
            .map_err(from_sqlite)?;
        Ok(cut_at(n))
    }

    /// Keeps the ids `ids` selects (up to `cut`) in `temp.found` and says how many there are.
    fn gather(&self, ids: &str, cut: &str, values: Vec<Value>) -> Result<u64> {
        self.conn
            .execute_batch(
                "CREATE TEMP TABLE IF NOT EXISTS found (id INTEGER PRIMARY KEY);
             DELETE FROM temp.found;",
            )
            .map_err(from_sqlite)?;
        let n = self
            .conn
            .prepare_cached(&format!("INSERT OR IGNORE INTO temp.found {ids}{cut}"))
            .map_err(from_sqlite)?
            .execute(params_from_iter(values))
            .map_err(from_sqlite)?;
        Ok(u64::try_from(n).unwrap_or(u64::MAX))
    }

    /// The words of the search that some tag's name holds (only those look at tags), and
    /// whether fewer tasks hold the other words than carry those tags.
    pub(super) fn naming(&self, filter: &TaskFilter) -> Result<Naming> {
        let mut statement = self
            .conn
            .prepare_cached(
                "SELECT ifnull(sum(tasks), 0), count(*) FROM tags WHERE name LIKE ?1 ESCAPE '\\'",
            )
            .map_err(from_sqlite)?;
        let mut naming = Naming::default();
        let mut tagged: u64 = 0;
        for word in filter.words() {
            let pattern = format!("%{}%", like_escaped(&word));
            let (tasks, tags): (i64, i64) = statement
                .query_row([pattern], |row| Ok((row.get(0)?, row.get(1)?)))
                .map_err(from_sqlite)?;
            if tags > 0 {
                tagged = tagged.saturating_add(u64::try_from(tasks).unwrap_or(0));
                naming.words.push(word);
            }
        }
        let mut values = Vec::new();
        if !naming.words.is_empty()
            && let Some(others) = filter.text_ids_besides(&naming.words, &mut values)
        {
            // Counted no further than the tagged tasks, nor than a count that stays cheap.
            let bound = tagged.min(TEST_EACH_MOST);
            let others: u64 = self
                .conn
                .prepare_cached(&format!(
                    "SELECT count(*) FROM (SELECT 1 FROM ({others}) LIMIT {})",
                    bound.saturating_add(1)
                ))
                .map_err(from_sqlite)?
                .query_row(params_from_iter(values), |row| count(row, 0))
                .map_err(from_sqlite)?;
            naming.test_each = others <= bound;
        }
        Ok(naming)
    }

    /// The tasks whose text holds the search's words and that meet the filter's other
    /// conditions, up to `most` + 1, kept in `temp.found`, when the text matches many tasks and
    /// the conditions are not met by few: the text's matches are read from the index and each
    /// tested, which stops after `most` + 1 when the two overlap widely, and costs the text's
    /// matches at most. `None` when the condition's own index is the cheaper walk, or when the
    /// count could not be exact and is not past `most` (the words name tags too: the tasks
    /// carrying those are not among the text's matches).
    fn text_meeting(&self, filter: &TaskFilter, most: u64, exact: bool) -> Result<Option<Counted>> {
        let Some(plain) = filter.without_search() else {
            return Ok(None);
        };
        // A condition few tasks meet (one person's, say): walking its index is cheaper.
        if plain.counted_by_kept() && self.count_kept(&plain)? <= most.saturating_mul(4) {
            return Ok(None);
        }
        // The text's matches drive (CROSS JOIN keeps them the outer loop), each task looked up in
        // the narrow index of V11 (its conditions' columns and its id for its tags), not in the
        // table.
        let (clause, mut values) = plain.sql_walking(true, &Naming::default());
        let Some(text) = filter.text_ids(&mut values) else {
            return Ok(None);
        };
        let n = self.gather(
            &format!(
                "SELECT t.id FROM ({text}) AS m
                 CROSS JOIN tasks t INDEXED BY tasks_by_id_conditions ON t.id = m.id {clause}"
            ),
            &format!(" LIMIT {}", most.saturating_add(1)),
            values,
        )?;
        Ok((n > most || exact).then_some(Counted {
            n,
            exact: n <= most,
            found: true,
        }))
    }

    /// The highest task id: about how many tasks there are, read from the end of an index.
    pub(super) fn tasks_span(&self) -> Result<u64> {
        let span: i64 = self
            .conn
            .prepare_cached("SELECT ifnull(max(id), 0) FROM tasks")
            .map_err(from_sqlite)?
            .query_row([], |row| row.get(0))
            .map_err(from_sqlite)?;
        Ok(u64::try_from(span).unwrap_or(0))
    }

    /// The count of a filter without a search, from the counts the database keeps (V8): a sum
    /// over assignees, states and due dates, never a walk over the tasks.
    fn count_kept(&self, filter: &TaskFilter) -> Result<u64> {
        self.count_kept_where(filter, None, Vec::new())
    }

    /// The same count, of the rows of the kept counts that also meet `also` (over the counts'
    /// columns, with its parameters after the filter's: `?{first}` on, `first` given to it).
    pub(super) fn count_kept_where(
        &self,
        filter: &TaskFilter,
        also: Option<&dyn Fn(usize) -> String>,
        also_values: Vec<Value>,
    ) -> Result<u64> {
        let mut conditions = Vec::new();
        let mut values = Vec::new();
        let assignee = |id: i64, values: &mut Vec<Value>| {
            values.push(Value::Integer(id));
            format!("assignee = ?{}", values.len())
        };
        match filter.assignee {
            Assignee::All => {}
            Assignee::Unassigned => conditions.push(assignee(0, &mut values)),
            Assignee::User(id) => conditions.push(assignee(id.0, &mut values)),
        }
        if let Some(user) = filter.also_assigned {
            conditions.push(assignee(user.0, &mut values));
        }
        if let Some(state) = filter.state {
            conditions.push(format!("done = {}", i64::from(state == State::Done)));
        }
        if filter.due_from.is_some() || filter.due_until.is_some() {
            values.push(Value::Text(
                filter.due_from.map_or(String::new(), |d| d.to_string()),
            ));
            values.push(Value::Text(
                filter
                    .due_until
                    .map_or_else(|| "9999-12-30".to_string(), |d| d.to_string()),
            ));
            conditions.push(format!(
                "due <> '' AND due BETWEEN ?{} AND ?{}",
                values.len() - 1,
                values.len()
            ));
        }
        if let Some(also) = also {
            conditions.push(format!("({})", also(values.len() + 1)));
            values.extend(also_values);
        }
        let clause = if conditions.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", conditions.join(" AND "))
        };
        let mut statement = self
            .conn
            .prepare_cached(&format!(
                "SELECT ifnull(sum(n), 0) FROM task_counts {clause}"
            ))
            .map_err(from_sqlite)?;
        statement
            .query_row(params_from_iter(values), |row| count(row, 0))
            .map_err(from_sqlite)
    }
}

impl Counts for Store {
    fn count_tasks(&self, filter: &TaskFilter) -> Result<u64> {
        let naming = self.naming(filter)?;
        let counted = self.count_matching(filter, None, &naming)?;
        *self.counted.borrow_mut() = Some((filter.clone(), counted, naming));
        Ok(counted.n)
    }

    /// The count and whether it is exact: a search that matches a huge number of tasks stops
    /// counting one past `most` (any number above it means "more"); the counts the database
    /// keeps are exact and read whole, however large.
    fn count_tasks_up_to(&self, filter: &TaskFilter, most: u64) -> Result<(u64, bool)> {
        let naming = self.naming(filter)?;
        let counted = self.count_matching(filter, Some(most), &naming)?;
        *self.counted.borrow_mut() = Some((filter.clone(), counted, naming));
        Ok((counted.n, counted.exact))
    }

    /// When the filter's count is read from the counts the database keeps, the same count made
    /// from the tasks themselves; `None` for a filter whose count is made that way anyway.
    fn recount_kept(&self, filter: &TaskFilter) -> Result<Option<u64>> {
        if !filter.counted_by_kept() && filter.kept_tag_count().is_none() {
            return Ok(None);
        }
        let naming = self.naming(filter)?;
        Ok(Some(self.count_rows(filter, None, &naming)?.n))
    }
}

#[cfg(test)]
mod tests;
