//! The orders of the task list in PostgreSQL's words: each term of the core's orders (`Term`)
//! as the expression the PostgreSQL twins' indexes are made of.

use tasktui_core::query::{Sort, Term};

/// A term over `alias`: open-before-done as a number (the indexes lead with
/// `(status = 'done')::int`), `coalesce` for a missing due date, and titles folded with
/// `lower()` and compared byte by byte (`COLLATE "C"`), as SQLite's NOCASE does for ASCII.
fn expr(term: Term, alias: &str) -> String {
    match term {
        Term::OpenFirst => format!("({alias}.status = 'done')::int"),
        Term::StatusRank => {
            format!("CASE {alias}.status WHEN 'doing' THEN 0 WHEN 'todo' THEN 1 ELSE 2 END")
        }
        Term::Due => format!("coalesce({alias}.due_date, '9999-12-31')"),
        Term::Priority => format!("{alias}.priority"),
        Term::Created => format!("{alias}.created_at"),
        Term::Updated => format!("{alias}.updated_at"),
        Term::Title => format!("lower({alias}.title) COLLATE \"C\""),
        Term::Id => format!("{alias}.id"),
    }
}

/// `ORDER BY …` over alias `t`; `backwards` gives the same list from its end.
pub(super) fn order_by(sort: Sort, backwards: bool, one_state: bool) -> String {
    let terms: Vec<String> = sort
        .order_terms(backwards, one_state)
        .map(|(term, descending)| {
            format!(
                "{} {}",
                expr(term, "t"),
                if descending { "DESC" } else { "ASC" }
            )
        })
        .collect();
    format!("ORDER BY {}", terms.join(", "))
}

/// The conditions, one per term, that select the tasks before the task whose id is the
/// parameter `target`, each of its terms read by a subquery (`Sort::position_conditions`).
pub(super) fn before(sort: Sort, target: &str) -> Vec<String> {
    beside(sort, target, false)
}

/// The same conditions for the tasks after it: the last comparison of each turned around.
pub(super) fn after(sort: Sort, target: &str) -> Vec<String> {
    beside(sort, target, true)
}

fn beside(sort: Sort, target: &str, after: bool) -> Vec<String> {
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
                    format!(
                        "({}) {} (SELECT {} FROM tasks x WHERE x.id = {target})",
                        expr(terms[k], "t"),
                        compare.operator(),
                        expr(terms[k], "x")
                    )
                })
                .collect::<Vec<_>>()
                .join(" AND ")
        })
        .collect()
}

/// The conditions of [`before`] whose terms the kept counts hold (open or done, and the due
/// date: the list's default order leads with them), over the counts' alias `c`; `None` for one
/// that needs a term they do not keep. The tasks before one in those conditions are most of
/// them when it is far down the list (a task just done, after every open one): counted from a
/// row per assignee, state and due date rather than from the tasks.
pub(super) fn before_in_counts(sort: Sort, target: &str) -> Vec<Option<String>> {
    let terms: Vec<Term> = sort.terms(false).map(|(term, _)| term).collect();
    let kept = |term: Term| match term {
        Term::OpenFirst => Some(("c.done", "(x.status = 'done')::int")),
        Term::Due => Some((
            "(CASE c.due WHEN '' THEN '9999-12-31' ELSE c.due END)",
            "coalesce(x.due_date, '9999-12-31')",
        )),
        _ => None,
    };
    sort.position_conditions()
        .into_iter()
        .map(|condition| {
            condition
                .into_iter()
                .map(|(k, compare)| {
                    let (count, task) = kept(terms[k])?;
                    Some(format!(
                        "{count} {} (SELECT {task} FROM tasks x WHERE x.id = {target})",
                        compare.operator()
                    ))
                })
                .collect::<Option<Vec<_>>>()
                .map(|all| all.join(" AND "))
        })
        .collect()
}
