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

    /// The conditions of `before` whose terms the kept counts hold (open or done, the due
    /// date), over the columns of `task_counts`, the task's values the same parameters; `None`
    /// for one that needs a term they do not keep.
    fn before_in_counts(self, first: usize) -> Vec<Option<String>>;

    /// The same conditions as `before` for the tasks after that task.
    fn after(self, first: usize) -> Vec<String>;
}

/// The conditions of the tasks before (or after) a task, its key's terms the parameters from
/// `?{first}` on.
fn beside(sort: Sort, first: usize, after: bool) -> Vec<String> {
    let terms: Vec<Term> = sort.terms(false).map(|(term, _)| term).collect();
    let conditions = if after {
        sort.after_conditions()
    } else {
        sort.position_conditions()
    };
    conditions
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
        beside(self, first, false)
    }

    fn after(self, first: usize) -> Vec<String> {
        beside(self, first, true)
    }

    fn before_in_counts(self, first: usize) -> Vec<Option<String>> {
        let terms: Vec<Term> = self.terms(false).map(|(term, _)| term).collect();
        let kept = |term: Term| match term {
            Term::OpenFirst => Some("done"),
            Term::Due => Some("(CASE due WHEN '' THEN '9999-12-31' ELSE due END)"),
            _ => None,
        };
        self.position_conditions()
            .into_iter()
            .map(|condition| {
                condition
                    .into_iter()
                    .map(|(k, compare)| {
                        Some(format!(
                            "{} {} ?{}",
                            kept(terms[k])?,
                            compare.operator(),
                            first + k
                        ))
                    })
                    .collect::<Option<Vec<_>>>()
                    .map(|all| all.join(" AND "))
            })
            .collect()
    }
}
