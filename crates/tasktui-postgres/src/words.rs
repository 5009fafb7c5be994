//! How a search's words are read on the server: how many tasks hold each (from what is known
//! since the data last changed, the statistics where they measured the word, else a count from
//! its index), which tags name it, and from that the filter's WHERE clause.

use super::PgStore;
use super::filter::{Clause, clause};
use tasktui_core::error::{Result, StoreError};
use tasktui_core::query::TaskFilter;
use tasktui_core::stored::like_escaped;

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
    pub(crate) fn clause(&self, filter: &TaskFilter, rows: u64) -> Result<Clause> {
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
}
