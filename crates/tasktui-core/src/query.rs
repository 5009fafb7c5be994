//! What the task list asks of a database: which tasks (`TaskFilter`) and in what order
//! (`Sort`), as plain values. Each backend reads them as its own SQL.

use crate::model::{Status, UserId};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Whose tasks the Tasks pane shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Assignee {
    #[default]
    All,
    Unassigned,
    User(UserId),
}

/// Open (todo or doing) or done tasks only.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    Open,
    Done,
}

/// Which tasks the list shows, and in what order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TaskFilter {
    pub assignee: Assignee,
    pub state: Option<State>,
    /// Exactly this status (the command line's `--status todo`).
    pub status: Option<Status>,
    /// Only tasks assigned to this user as well ("mine"), whatever `assignee` says.
    pub also_assigned: Option<UserId>,
    /// Only tasks due on or after this date…
    pub due_from: Option<NaiveDate>,
    /// …and on or before this one; either bound alone also leaves out tasks without a date.
    pub due_until: Option<NaiveDate>,
    /// Only tasks with this tag, or a tag under it (`area` takes `area/backend` too).
    pub tag: Option<String>,
    /// Words to find in titles, descriptions and tag names, ignoring case; a `#word` narrows to
    /// that tag as `tag` does.
    pub search: Option<String>,
    pub sort: Sort,
}

impl TaskFilter {
    pub fn assigned_to(assignee: Assignee) -> TaskFilter {
        TaskFilter {
            assignee,
            ..TaskFilter::default()
        }
    }

    /// The search text, if there is any besides spaces. Control characters (which no title or
    /// description tasktui wrote can hold, and which end an FTS5 query early) become spaces.
    pub fn search_text(&self) -> Option<String> {
        let text: String = self
            .search
            .as_deref()?
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        let text = text.trim();
        (!text.is_empty()).then(|| text.to_string())
    }

    /// The words of the search: a task matches when its title, description or a tag name
    /// holds every one ("bill exp" finds "billing export").
    pub fn words(&self) -> Vec<String> {
        self.search_text()
            .map(|t| {
                t.split_whitespace()
                    .filter(|w| !w.starts_with('#'))
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The `#tag` words of the search, without their `#` (a lone `#` is no tag yet).
    pub fn tag_words(&self) -> Vec<String> {
        self.search_text()
            .map(|t| {
                t.split_whitespace()
                    .filter_map(|w| w.strip_prefix('#'))
                    .filter(|w| !w.is_empty())
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Whether the search's matches can be counted from the indexes alone: no `#tag`, and
    /// nothing else to filter by.
    pub fn counted_by_search(&self) -> bool {
        self.search_text().is_some()
            && self.tag_words().is_empty()
            && self.tag.is_none()
            && self.no_other_condition()
    }

    /// The filter's other conditions, without its search; `None` when the search names tags
    /// (`#word`), a condition the search alone carries.
    pub fn without_search(&self) -> Option<TaskFilter> {
        self.tag_words().is_empty().then(|| TaskFilter {
            search: None,
            ..self.clone()
        })
    }

    /// Whether the filter asks nothing of the assignee, the state, the status or the due date.
    pub fn no_other_condition(&self) -> bool {
        self.assignee == Assignee::All
            && self.state.is_none()
            && self.status.is_none()
            && self.also_assigned.is_none()
            && self.due_from.is_none()
            && self.due_until.is_none()
    }

    /// The tags every task must carry (the chosen one and the search's `#words`).
    pub fn required_tags(&self) -> Vec<String> {
        self.tag.iter().cloned().chain(self.tag_words()).collect()
    }

    /// Whether tags are all the filter asks for (besides the order).
    pub fn only_tags(&self) -> bool {
        self.words().is_empty() && self.no_other_condition()
    }

    /// Whether the filter needs only the kept counts (no search, no tag, no exact status).
    pub fn counted_by_kept(&self) -> bool {
        self.search_text().is_none() && self.tag.is_none() && self.status.is_none()
    }
}

/// What the Tasks pane is sorted by; `o` cycles through them in this order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SortKey {
    #[default]
    Due,
    Priority,
    Created,
    Updated,
    Title,
    Status,
}

/// A sort and its direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Sort {
    pub key: SortKey,
    pub reverse: bool,
}

impl SortKey {
    pub const ALL: [SortKey; 6] = [
        SortKey::Due,
        SortKey::Priority,
        SortKey::Created,
        SortKey::Updated,
        SortKey::Title,
        SortKey::Status,
    ];

    pub fn next(self) -> SortKey {
        let at = SortKey::ALL.iter().position(|&k| k == self).unwrap_or(0);
        SortKey::ALL[(at + 1) % SortKey::ALL.len()]
    }

    /// The word in the pane title.
    pub fn label(self) -> &'static str {
        match self {
            SortKey::Due => "due",
            SortKey::Priority => "priority",
            SortKey::Created => "created",
            SortKey::Updated => "updated",
            SortKey::Title => "title",
            SortKey::Status => "status",
        }
    }
}

impl Sort {
    /// The next order of `o`, in the same direction.
    pub fn cycled(self) -> Sort {
        Sort {
            key: self.key.next(),
            ..self
        }
    }

    /// The words in the pane title: "due", "title ↑"…
    pub fn label(self) -> String {
        if self.reverse {
            format!("{} (reversed)", self.key.label())
        } else {
            self.key.label().to_string()
        }
    }
}

/// Whether `n` matches of `tasks` are few enough to read them all and sort them for a page of
/// `rows`, rather than walk the order's index testing each task: sorting costs about one step a
/// match, walking about `rows · tasks / n` steps, and the two meet near `√(rows · tasks)`.
pub fn few_enough(n: u64, rows: u64, tasks: u64) -> bool {
    n.saturating_mul(n) < rows.max(1).saturating_mul(tasks).saturating_mul(4)
}

/// One term of a list's order, as each backend writes it (the migrations make an index of each
/// order's terms on both).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Term {
    /// Open tasks before done ones.
    OpenFirst,
    /// Doing, then todo, then done.
    StatusRank,
    /// The due date, tasks without one after every dated one.
    Due,
    Priority,
    Created,
    Updated,
    /// The title, ignoring case.
    Title,
    Id,
}

/// How a term of the task whose position is asked compares in a condition of the position
/// query: the same, or before it in the list (`<` for an ascending term, `>` descending).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compare {
    Equal,
    Less,
    Greater,
}

impl SortKey {
    /// The terms, and whether each is descending: each order walked by an index of the same
    /// terms (V1 and V7). Open tasks come before done ones, except in the order by status,
    /// which is doing, todo, done. The id ends every order, so no two tasks tie.
    pub fn columns(self) -> &'static [(Term, bool)] {
        use Term::*;
        match self {
            SortKey::Due => &[
                (OpenFirst, false),
                (Due, false),
                (Priority, true),
                (Id, false),
            ],
            SortKey::Priority => &[
                (OpenFirst, false),
                (Priority, true),
                (Due, false),
                (Id, false),
            ],
            SortKey::Created => &[(OpenFirst, false), (Created, true), (Id, true)],
            SortKey::Updated => &[(OpenFirst, false), (Updated, true), (Id, true)],
            SortKey::Title => &[(OpenFirst, false), (Title, false), (Id, false)],
            SortKey::Status => &[
                (StatusRank, false),
                (Due, false),
                (Priority, true),
                (Id, false),
            ],
        }
    }
}

impl Sort {
    /// Each term with the direction it has in this sort (`backwards` reads from the end).
    /// Reversing turns the whole list, done tasks first: one index walked the other way. (With
    /// the open filter, `f o`, the reversed list is of open tasks only.)
    pub fn terms(self, backwards: bool) -> impl Iterator<Item = (Term, bool)> {
        let flip = self.reverse != backwards;
        self.key
            .columns()
            .iter()
            .map(move |&(term, descending)| (term, descending != flip))
    }

    /// The terms of the list's ORDER BY. Where the filter keeps one state only (`one_state`),
    /// open-before-done is constant and left out, which lets a database see that the index
    /// under the state condition is already in order.
    pub fn order_terms(
        self,
        backwards: bool,
        one_state: bool,
    ) -> impl Iterator<Item = (Term, bool)> {
        self.terms(backwards)
            .filter(move |(term, _)| !(one_state && *term == Term::OpenFirst))
    }

    /// The conditions that together select the tasks before a given one, as (index of the
    /// term, comparison with that task's value of it): in the k-th, the first k terms are the
    /// same and the next comes before, so the first term that differs decides. Each is an
    /// equality on a prefix of an index and a range on the next term: the count of each is a
    /// range of the index.
    pub fn position_conditions(self) -> Vec<Vec<(usize, Compare)>> {
        self.conditions_beside(false)
    }

    /// The same conditions for the tasks after a given one: the last comparison of each turned
    /// around. Nearest first when read from the last.
    pub fn after_conditions(self) -> Vec<Vec<(usize, Compare)>> {
        self.conditions_beside(true)
    }

    fn conditions_beside(self, after: bool) -> Vec<Vec<(usize, Compare)>> {
        let terms: Vec<(Term, bool)> = self.terms(false).collect();
        (0..terms.len())
            .map(|k| {
                let mut all: Vec<(usize, Compare)> = (0..k).map(|j| (j, Compare::Equal)).collect();
                all.push((
                    k,
                    if terms[k].1 != after {
                        Compare::Greater
                    } else {
                        Compare::Less
                    },
                ));
                all
            })
            .collect()
    }
}

impl Compare {
    /// The SQL operator, the same in every dialect tasktui speaks.
    pub fn operator(self) -> &'static str {
        match self {
            Compare::Equal => "=",
            Compare::Less => "<",
            Compare::Greater => ">",
        }
    }
}
