//! The orders of the task list in SQLite's words: each term of the core's orders (`Term`) as
//! the expression SQLite's indexes are made of, and from them the ORDER BY, its reverse and the
//! position query.

use tasktui_core::query::Term;
pub use tasktui_core::query::{Sort, SortKey};

/// Doing, todo, done: the first term of the order by status, over alias `t`.
pub(super) const STATUS_RANK: &str =
    "(CASE t.status WHEN 'doing' THEN 0 WHEN 'todo' THEN 1 ELSE 2 END)";

/// A term over the task alias `t`, written as the migrations' indexes write it (SQLite uses an
/// index on an expression only for the same expression).
fn expr(term: Term) -> &'static str {
    match term {
        Term::OpenFirst => "t.status = 'done'",
        Term::StatusRank => "CASE t.status WHEN 'doing' THEN 0 WHEN 'todo' THEN 1 ELSE 2 END",
        Term::Due => "ifnull(t.due_date, '9999-12-31')",
        Term::Priority => "t.priority",
        Term::Created => "t.created_at",
        Term::Updated => "t.updated_at",
        Term::Title => "t.title COLLATE NOCASE",
        Term::Id => "t.id",
    }
}

/// The SQL of an order: ORDER BY, its reverse, and the conditions of the position query.
pub(crate) trait OrderSql {
    /// `ORDER BY …` over alias `t`; `backwards` gives the same list from its end.
    fn order_by(self, backwards: bool, one_state: bool) -> String;

    /// The terms over alias `t`, to read a task's place in the order.
    fn key_exprs(self) -> Vec<String>;

    /// The conditions, one per term, that together select the tasks before a task whose
    /// `key_exprs` values are the parameters from `?{first}` on (`Sort::position_conditions`).
    fn before(self, first: usize) -> Vec<String>;
}

impl OrderSql for Sort {
    fn order_by(self, backwards: bool, one_state: bool) -> String {
        let terms: Vec<String> = self
            .order_terms(backwards, one_state)
            .map(|(term, descending)| {
                format!("{} {}", expr(term), if descending { "DESC" } else { "ASC" })
            })
            .collect();
        format!("ORDER BY {}", terms.join(", "))
    }

    fn key_exprs(self) -> Vec<String> {
        self.terms(false)
            .map(|(term, _)| expr(term).to_string())
            .collect()
    }

    fn before(self, first: usize) -> Vec<String> {
        let terms: Vec<Term> = self.terms(false).map(|(term, _)| term).collect();
        self.position_conditions()
            .into_iter()
            .map(|condition| {
                condition
                    .into_iter()
                    .map(|(k, compare)| {
                        format!("({}) {} ?{}", expr(terms[k]), compare.operator(), first + k)
                    })
                    .collect::<Vec<_>>()
                    .join(" AND ")
            })
            .collect()
    }
}
