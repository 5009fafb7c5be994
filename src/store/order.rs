//! The orders of the task list, each defined once: a list of columns ending in the id, from
//! which the ORDER BY, its reverse and the position query are all derived. The orders
//! themselves are the core crate's (`Sort`, `SortKey`); this is their SQL.

pub use tasktui_core::query::{Sort, SortKey};

/// One term of an order: an expression over the task alias `{a}`, and its direction.
struct Column {
    expr: &'static str,
    descending: bool,
}

const fn asc(expr: &'static str) -> Column {
    Column {
        expr,
        descending: false,
    }
}

const fn desc(expr: &'static str) -> Column {
    Column {
        expr,
        descending: true,
    }
}

const OPEN_FIRST: Column = asc("{a}.status = 'done'");
const DUE: Column = asc("ifnull({a}.due_date, '9999-12-31')");

/// The terms of each order.
trait Columns {
    /// The terms, each order walked by an index of the same terms (V1 and V7). Open tasks come
    /// before done ones, except in the order by status, which is doing, todo, done. The id
    /// ends every order, so no two tasks tie.
    fn columns(self) -> &'static [Column];
}

impl Columns for SortKey {
    fn columns(self) -> &'static [Column] {
        match self {
            SortKey::Due => BY_DUE,
            SortKey::Priority => BY_PRIORITY,
            SortKey::Created => BY_CREATED,
            SortKey::Updated => BY_UPDATED,
            SortKey::Title => BY_TITLE,
            SortKey::Status => BY_STATUS,
        }
    }
}

const BY_DUE: &[Column] = &[OPEN_FIRST, DUE, desc("{a}.priority"), asc("{a}.id")];
const BY_PRIORITY: &[Column] = &[OPEN_FIRST, desc("{a}.priority"), DUE, asc("{a}.id")];
const BY_CREATED: &[Column] = &[OPEN_FIRST, desc("{a}.created_at"), desc("{a}.id")];
const BY_UPDATED: &[Column] = &[OPEN_FIRST, desc("{a}.updated_at"), desc("{a}.id")];
const BY_TITLE: &[Column] = &[OPEN_FIRST, asc("{a}.title COLLATE NOCASE"), asc("{a}.id")];
/// Doing, todo, done: the first term of the order by status, over alias `t`.
pub(super) const STATUS_RANK: &str =
    "(CASE t.status WHEN 'doing' THEN 0 WHEN 'todo' THEN 1 ELSE 2 END)";

const BY_STATUS: &[Column] = &[
    asc("CASE {a}.status WHEN 'doing' THEN 0 WHEN 'todo' THEN 1 ELSE 2 END"),
    DUE,
    desc("{a}.priority"),
    asc("{a}.id"),
];

/// The SQL of an order: ORDER BY, its reverse, and the conditions of the position query.
pub(crate) trait OrderSql {
    /// Each term with the direction it has in this sort (`backwards` reads from the end).
    /// Reversing turns the whole list, done tasks first: one index walked the other way. (With
    /// the open filter, `f o`, the reversed list is of open tasks only.)
    fn terms(self, backwards: bool) -> impl Iterator<Item = (&'static str, bool)>;

    /// `ORDER BY …` over alias `t`; `backwards` gives the same list from its end. Where the
    /// filter keeps one state only (`one_state`), open-before-done is constant and left out,
    /// which lets SQLite see that the index under the state condition is already in order.
    fn order_by(self, backwards: bool, one_state: bool) -> String;

    /// `order_by` with each term written by `dialect` (over the alias `{a}`).
    fn order_by_in(
        self,
        backwards: bool,
        one_state: bool,
        dialect: impl Fn(&str) -> String,
    ) -> String;

    /// The terms over alias `t`, to read a task's place in the order.
    fn key_exprs(self) -> Vec<String>;

    /// The conditions, one per term, that together select the tasks before a task whose
    /// `key_exprs` values are the parameters from `?{first}` on: the first term that differs
    /// decides. Each is an equality on a prefix of an index and a range on the next term, so
    /// the count of each is a range of the index.
    fn before(self, first: usize) -> Vec<String>;

    /// `ORDER BY …` for PostgreSQL, as `order_by` builds it for SQLite (the migrations make
    /// an index of each order's terms on both).
    fn order_by_postgres(self, backwards: bool, one_state: bool) -> String;

    /// `before` for PostgreSQL: the conditions, one per term, that select the tasks before the
    /// task whose id is the parameter `target` (`$3`), each term of it read by a subquery.
    fn before_postgres(self, target: &str) -> Vec<String>;
}

impl OrderSql for Sort {
    fn terms(self, backwards: bool) -> impl Iterator<Item = (&'static str, bool)> {
        let flip = self.reverse != backwards;
        self.key
            .columns()
            .iter()
            .map(move |c| (c.expr, c.descending != flip))
    }

    fn order_by(self, backwards: bool, one_state: bool) -> String {
        self.order_by_in(backwards, one_state, |expr| expr.replace("{a}", "t"))
    }

    fn order_by_in(
        self,
        backwards: bool,
        one_state: bool,
        dialect: impl Fn(&str) -> String,
    ) -> String {
        let terms: Vec<String> = self
            .terms(backwards)
            .filter(|(expr, _)| !(one_state && *expr == OPEN_FIRST.expr))
            .map(|(expr, descending)| {
                format!(
                    "{} {}",
                    dialect(expr),
                    if descending { "DESC" } else { "ASC" }
                )
            })
            .collect();
        format!("ORDER BY {}", terms.join(", "))
    }

    fn key_exprs(self) -> Vec<String> {
        self.terms(false)
            .map(|(expr, _)| expr.replace("{a}", "t"))
            .collect()
    }

    fn before(self, first: usize) -> Vec<String> {
        let terms: Vec<(String, String, bool)> = self
            .terms(false)
            .enumerate()
            .map(|(k, (expr, descending))| {
                (
                    expr.replace("{a}", "t"),
                    format!("?{}", first + k),
                    descending,
                )
            })
            .collect();
        before_terms(&terms)
    }

    fn order_by_postgres(self, backwards: bool, one_state: bool) -> String {
        self.order_by_in(backwards, one_state, |expr| postgres(expr, "t"))
    }

    fn before_postgres(self, target: &str) -> Vec<String> {
        let terms: Vec<(String, String, bool)> = self
            .terms(false)
            .map(|(expr, descending)| {
                let of_target = format!(
                    "(SELECT {} FROM tasks x WHERE x.id = {target})",
                    postgres(expr, "x")
                );
                (postgres(expr, "t"), of_target, descending)
            })
            .collect();
        before_terms(&terms)
    }
}

/// A term in PostgreSQL's words, over alias `t`: open-before-done as a number (the migrations'
/// indexes lead with `(status = 'done')::int`), `coalesce` for `ifnull`, and titles folded with
/// `lower()` and compared byte by byte (`COLLATE "C"`), as SQLite's NOCASE does for ASCII.
fn postgres(expr: &str, alias: &str) -> String {
    expr.replace("{a}.status = 'done'", "({a}.status = 'done')::int")
        .replace("ifnull(", "coalesce(")
        .replace("{a}.title COLLATE NOCASE", "lower({a}.title) COLLATE \"C\"")
        .replace("{a}", alias)
}

/// The conditions, one per term, that together select the tasks before one: each term is its
/// expression over `t`, that task's value of it, and its direction; the first term that differs
/// decides.
fn before_terms(terms: &[(String, String, bool)]) -> Vec<String> {
    (0..terms.len())
        .map(|i| {
            let mut all: Vec<String> = terms[..i]
                .iter()
                .map(|(t, value, _)| format!("({t}) = {value}"))
                .collect();
            let (t, value, descending) = &terms[i];
            all.push(format!(
                "({t}) {} {value}",
                if *descending { ">" } else { "<" }
            ));
            all.join(" AND ")
        })
        .collect()
}
