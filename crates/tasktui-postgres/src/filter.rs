//! A task filter as PostgreSQL's WHERE clause: the same conditions as SQLite's, over the
//! server's indexes, each search word read either from its matches or by testing each task.

use postgres::types::ToSql;
use tasktui_core::query::SortKey;
use tasktui_core::query::{Assignee, State, TaskFilter};
use tasktui_core::stored::like_escaped;

/// A WHERE clause and its parameters, numbered as they are pushed.
#[derive(Default)]
pub(super) struct Clause {
    pub conditions: Vec<String>,
    values: Vec<Box<dyn ToSql + Sync>>,
}

impl Clause {
    /// Whose tasks: `column` holds the assignee, `unassigned` is the test for none.
    fn whose(&mut self, filter: &TaskFilter, column: &str, unassigned: &str) {
        match filter.assignee {
            Assignee::All => {}
            Assignee::Unassigned => self.conditions.push(unassigned.into()),
            Assignee::User(id) => {
                let p = self.param(id.0);
                self.conditions.push(format!("{column} = {p}"));
            }
        }
        if let Some(user) = filter.also_assigned {
            let p = self.param(user.0);
            self.conditions.push(format!("{column} = {p}"));
        }
    }

    /// The placeholders of the due dates' bounds, when the filter has any (either bound alone
    /// also leaves out tasks without a date).
    fn due_bounds(&mut self, filter: &TaskFilter) -> Option<(String, String)> {
        if filter.due_from.is_none() && filter.due_until.is_none() {
            return None;
        }
        let from = self.param(filter.due_from.map_or(String::new(), |d| d.to_string()));
        let until = self.param(
            filter
                .due_until
                .map_or_else(|| "9999-12-30".to_string(), |d| d.to_string()),
        );
        Some((from, until))
    }

    /// The placeholder of a new parameter.
    pub fn param(&mut self, value: impl ToSql + Sync + 'static) -> String {
        self.values.push(Box::new(value));
        format!("${}", self.values.len())
    }

    pub fn sql(&self) -> String {
        if self.conditions.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", self.conditions.join(" AND "))
        }
    }

    pub fn params(&self) -> Vec<&(dyn ToSql + Sync)> {
        self.values.iter().map(|v| v.as_ref()).collect()
    }
}

/// Ends a subquery that gathers a word's few matches, so that the planner reads them as such
/// and does not fold the word's test into the outer query: folded, it walked the list's order
/// testing every task (a letter no task holds took 20 s at a million tasks). `OFFSET 0` is the
/// server's own way to say so.
const FENCE: &str = "OFFSET 0";

/// The ids of the tag and the tags under it (`area` and `area/…`), names compared as SQLite's
/// NOCASE does.
fn tag_ids(clause: &mut Clause, tag: &str) -> String {
    let name = clause.param(tag.to_lowercase());
    let under = clause.param(format!("{}/%", like_escaped(&tag.to_lowercase())));
    format!("SELECT id FROM tags WHERE lower(name) = {name} OR lower(name) LIKE {under}")
}

/// The filter as a WHERE clause over alias `t`, in PostgreSQL's words.
/// `few` says whether few tasks hold a word, `naming` the ids of the tags whose names hold it
/// (none: the tags are not looked at for it).
pub(super) fn clause(
    filter: &TaskFilter,
    few: &dyn Fn(&str) -> bool,
    naming: &dyn Fn(&str) -> Vec<i64>,
) -> Clause {
    let mut c = Clause::default();
    c.whose(filter, "t.assignee_id", "t.assignee_id IS NULL");
    if let Some(state) = filter.state {
        c.conditions.push(match (filter.sort.key, state) {
            (SortKey::Status, State::Open) => {
                "(CASE t.status WHEN 'doing' THEN 0 WHEN 'todo' THEN 1 ELSE 2 END) < 2".into()
            }
            (SortKey::Status, State::Done) => {
                "(CASE t.status WHEN 'doing' THEN 0 WHEN 'todo' THEN 1 ELSE 2 END) >= 2".into()
            }
            (_, state) => format!(
                "((t.status = 'done')::int) = {}",
                i32::from(state == State::Done)
            ),
        });
    }
    if let Some(status) = filter.status {
        let p = c.param(status.as_str().to_string());
        c.conditions.push(format!("t.status = {p}"));
    }
    if let Some((from, until)) = c.due_bounds(filter) {
        c.conditions.push(format!(
            "coalesce(t.due_date, '9999-12-31') BETWEEN {from} AND {until}"
        ));
    }
    for word in filter.words() {
        let pattern = format!("%{}%", like_escaped(&word));
        // The tags whose names hold the word, looked up once (a handful of names), so a task
        // is tested against their ids rather than every tag's name read again for each task.
        let named = naming(&word);
        let (tagged, tested) = if named.is_empty() {
            (String::new(), String::new())
        } else {
            let ids = c.param(named);
            (
                format!(" UNION SELECT tt.task_id FROM task_tags tt WHERE tt.tag_id = ANY({ids})"),
                format!(
                    " OR EXISTS (SELECT 1 FROM task_tags tt WHERE tt.task_id = t.id AND tt.tag_id = ANY({ids}))"
                ),
            )
        };
        let condition = if !few(&word) {
            // Many tasks hold the word: each is tested as the order's index (or a count that
            // stops at a bound) reaches it, and matches come at once.
            let p = c.param(pattern);
            format!("(t.title ILIKE {p} OR t.description ILIKE {p}{tested})")
        } else if word.chars().count() >= 3 {
            // Few do: their ids drive the query, from the trigram indexes and the tags.
            let p = c.param(pattern);
            format!(
                "t.id IN (SELECT id FROM tasks WHERE title ILIKE {p} OR description ILIKE {p}{tagged} {FENCE})"
            )
        } else {
            let gram = c.param(vec![word.to_lowercase()]);
            format!(
                "t.id IN (SELECT id FROM tasks WHERE tasktui_grams(title, description) @> {gram}::text[]{tagged} {FENCE})"
            )
        };
        c.conditions.push(condition);
    }
    for tag in filter.required_tags() {
        let ids = tag_ids(&mut c, &tag);
        c.conditions.push(format!(
            "t.id IN (SELECT tt.task_id FROM task_tags tt WHERE tt.tag_id IN ({ids}))"
        ));
    }
    c
}

/// The count of a filter that asks only for assignee, state and due dates, from the counts kept
/// by those (V8): a query over a row per assignee, state and due date, never the tasks.
pub(super) fn kept_count(filter: &TaskFilter) -> Option<KeptCount> {
    if !filter.words().is_empty() || !filter.required_tags().is_empty() || filter.status.is_some() {
        return None;
    }
    let mut c = Clause::default();
    c.whose(filter, "c.assignee", "c.assignee = 0");
    if let Some(state) = filter.state {
        c.conditions
            .push(format!("c.done = {}", i32::from(state == State::Done)));
    }
    if let Some((from, until)) = c.due_bounds(filter) {
        c.conditions
            .push(format!("c.due <> '' AND c.due BETWEEN {from} AND {until}"));
    }
    Some(KeptCount(c))
}

pub(super) struct KeptCount(Clause);

impl KeptCount {
    pub fn sql(&self) -> String {
        format!(
            "SELECT coalesce(sum(c.n), 0)::bigint FROM task_counts c {}",
            self.0.sql()
        )
    }

    /// The sum of the counts that meet any of `conditions` (over `c`, exclusive of each other)
    /// besides the filter's.
    pub fn sql_among(&self, conditions: &[String]) -> String {
        let any = format!("(({}))", conditions.join(") OR ("));
        let and = if self.0.conditions.is_empty() {
            "WHERE"
        } else {
            "AND"
        };
        format!(
            "SELECT coalesce(sum(c.n), 0)::bigint FROM task_counts c {} {and} {any}",
            self.0.sql()
        )
    }

    /// The placeholder of a new parameter.
    pub fn param(&mut self, value: impl ToSql + Sync + 'static) -> String {
        self.0.param(value)
    }

    pub fn params(&self) -> Vec<&(dyn ToSql + Sync)> {
        self.0.params()
    }
}
