//! `tasktui demo`: realistic, deterministic sample data, for trying tasktui and for benchmarks.
use tasktui_core::seam::Session;

use crate::from_sqlite;
use crate::{Store, StoreError};
use chrono::Days;
use rusqlite::params;
use tasktui_core::clock::Clock;

/// What to generate.
#[derive(Debug, Clone, Copy)]
pub struct Spec {
    pub tasks: u64,
    pub users: u32,
    pub seed: u64,
}

/// A small, fast generator: the same seed gives the same data on every machine.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        // splitmix64
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }
}

const FIRST_NAMES: &[&str] = &[
    "alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy", "mallory",
    "niaj", "olivia", "peggy", "rupert", "sybil", "trent", "victor", "walter", "yuki", "zoe",
];
const LAST_NAMES: &[&str] = &[
    "Ahmed",
    "Berg",
    "Costa",
    "Dubois",
    "Eriksen",
    "Fischer",
    "García",
    "Haddad",
    "Ito",
    "Jensen",
    "Kowalski",
    "Lindqvist",
    "Moreau",
    "Nakamura",
    "Okafor",
    "Petrov",
    "Quinn",
    "Rossi",
    "Singh",
];
/// The first word of every sample title.
pub const VERBS: &[&str] = &[
    "Fix",
    "Review",
    "Write",
    "Update",
    "Investigate",
    "Deploy",
    "Refactor",
    "Document",
    "Test",
    "Plan",
    "Design",
    "Migrate",
    "Benchmark",
    "Clean up",
    "Upgrade",
    "Triage",
];
const THINGS: &[&str] = &[
    "the login page",
    "release notes",
    "the billing export",
    "TLS certificates",
    "the backup job",
    "search indexing",
    "the onboarding guide",
    "API rate limits",
    "the CI pipeline",
    "database indexes",
    "the mobile layout",
    "error messages",
    "the payment webhook",
    "user permissions",
    "the nightly report",
    "log rotation",
    "the status page",
    "dark mode",
];
const DETAILS: &[&str] = &[
    "Customers reported it twice this week.",
    "Blocked until the staging environment is back.",
    "See the notes from the last retrospective.",
    "Keep the old behaviour behind a flag for one release.",
    "Measure before and after; attach the numbers.",
    "Pair with someone from the platform team.",
    "Needs a migration with a down script.",
    "Low risk, but touches every page.",
    "Check the edge cases with empty input.",
    "Talk to support before changing the wording.",
];

/// Tags as a team uses them, most used first: a few common ones and a long tail.
const TAGS: &[&str] = &[
    "bug",
    "backend",
    "frontend",
    "ops",
    "docs",
    "security",
    "ux",
    "tech-debt",
    "area/api",
    "area/billing",
    "area/search",
    "area/mobile",
    "customer",
    "performance",
    "release/next",
    "release/later",
    "infra/ci",
    "infra/db",
    "research",
    "design",
    "onboarding",
    "a11y",
    "i18n",
    "flaky-test",
    "good-first-issue",
    "customer/acme",
    "customer/globex",
    "customer/initech",
    "spike",
    "blocked",
    "needs-review",
    "data",
    "privacy",
    "legal",
    "marketing",
    "support",
    "analytics",
    "cleanup",
    "upstream",
    "wontfix-maybe",
];

/// Fills the store with `spec` in one transaction and returns how many users and tasks it added.
pub fn fill(store: &Store, spec: Spec) -> Result<(u64, u64), StoreError> {
    fill_with(store, spec, &mut |_, _, _| {})
}

/// `fill`, saying how far it is: `progress(step, done, total)` every thousand rows.
pub fn fill_with(
    store: &Store,
    spec: Spec,
    progress: &mut dyn FnMut(&str, u64, u64),
) -> Result<(u64, u64), StoreError> {
    let mut random = Random(spec.seed);
    let clock: Clock = store.clock();
    let today = clock.today();
    let now = clock.stamp();
    let conn = store.connection();
    // One big transaction: a larger page cache keeps it from spilling to the WAL page by page.
    conn.pragma_update(None, "cache_size", -131_072)
        .map_err(from_sqlite)?;
    let tx = conn.unchecked_transaction().map_err(from_sqlite)?;
    // The search trigger (and into an empty list the order indexes) lifted for the load and put
    // back at the end, inside the transaction.
    let before: i64 = tx
        .query_row("SELECT ifnull(max(id), 0) FROM tasks", [], |r| r.get(0))
        .map_err(from_sqlite)?;
    let lifted = super::bulk::lift(&tx).map_err(from_sqlite)?;
    let mut users = Vec::new();
    {
        let mut insert = tx.prepare("INSERT OR IGNORE INTO users (username, full_name, email, created_at) VALUES (?1, ?2, ?3, ?4)").map_err(from_sqlite)?;
        for i in 0..spec.users {
            let first = FIRST_NAMES[i as usize % FIRST_NAMES.len()];
            let round = i as usize / FIRST_NAMES.len();
            let username = if round == 0 {
                first.to_string()
            } else {
                format!("{first}{round}")
            };
            let last = random.pick(LAST_NAMES);
            let mut display = first.to_string();
            display[..1].make_ascii_uppercase();
            let email = format!("{username}@example.com");
            if insert
                .execute(params![username, format!("{display} {last}"), email, now])
                .map_err(from_sqlite)?
                == 1
            {
                users.push(tx.last_insert_rowid());
            }
        }
    }
    let mut tagged: Vec<Vec<usize>> = Vec::new();
    {
        let mut insert = tx
            .prepare(
                "INSERT INTO tasks (title, description, status, priority, due_date, assignee_id,
                                created_at, updated_at, completed_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7, ?8)",
            )
            .map_err(from_sqlite)?;
        for n in 0..spec.tasks {
            if n % 1000 == 0 {
                progress("tasks", n, spec.tasks);
            }
            // The list shows the id beside the title: the title does not repeat it.
            let title = format!("{} {}", random.pick(VERBS), random.pick(THINGS));
            let description = match random.below(4) {
                0 => String::new(),
                1 => random.pick(DETAILS).to_string(),
                _ => format!("{}\n{}", random.pick(DETAILS), random.pick(DETAILS)),
            };
            let status = match random.below(20) {
                0..=11 => "todo",
                12..=14 => "doing",
                _ => "done",
            };
            let priority = [0, 0, 1, 1, 2, 2, 3][random.below(7) as usize];
            let due = match random.below(10) {
                0..=2 => None,
                _ => {
                    let offset = random.below(90);
                    if offset < 30 {
                        today.checked_sub_days(Days::new(30 - offset))
                    } else {
                        today.checked_add_days(Days::new(offset - 30))
                    }
                }
            };
            let assignee = match random.below(5) {
                0 => None,
                _ if users.is_empty() => None,
                _ => Some(users[random.below(users.len() as u64) as usize]),
            };
            let completed = (status == "done").then_some(now.as_str());
            tagged.push(pick_tags(&mut random));
            insert
                .execute(params![
                    title,
                    description,
                    status,
                    priority,
                    due.map(|d| d.format("%Y-%m-%d").to_string()),
                    assignee,
                    now,
                    completed,
                ])
                .map_err(from_sqlite)?;
        }
    }
    {
        let mut tag = tx
            .prepare("INSERT INTO tags (name) VALUES (?1) ON CONFLICT (name) DO NOTHING")
            .map_err(from_sqlite)?;
        let mut tag_id = tx
            .prepare("SELECT id FROM tags WHERE name = ?1")
            .map_err(from_sqlite)?;
        let mut ids = Vec::new();
        for name in TAGS {
            tag.execute([name]).map_err(from_sqlite)?;
            ids.push(
                tag_id
                    .query_row([name], |r| r.get::<_, i64>(0))
                    .map_err(from_sqlite)?,
            );
        }
        let mut carry = tx
            .prepare("INSERT OR IGNORE INTO task_tags (task_id, tag_id) VALUES (?1, ?2)")
            .map_err(from_sqlite)?;
        for (offset, tags) in tagged.iter().enumerate() {
            if offset % 1000 == 0 {
                progress("tags", offset as u64, spec.tasks);
            }
            for &t in tags {
                carry
                    .execute(params![before + 1 + offset as i64, ids[t]])
                    .map_err(from_sqlite)?;
            }
        }
    }
    progress("search index", 0, 0);
    lifted
        .restore(&tx, &format!("id > {before}"))
        .map_err(from_sqlite)?;
    tx.commit().map_err(from_sqlite)?;
    conn.pragma_update(None, "cache_size", super::open::CACHE_KIB)
        .map_err(from_sqlite)?;
    Ok((users.len() as u64, spec.tasks))
}

/// Up to three tags for a task: none for some, one or two for most; the first tags of `TAGS`
/// far more often than the last (a long tail).
fn pick_tags(random: &mut Random) -> Vec<usize> {
    let how_many = match random.below(20) {
        0..=2 => 0,
        3..=10 => 1,
        11..=16 => 2,
        _ => 3,
    };
    let mut tags = Vec::new();
    for _ in 0..how_many {
        let r = random.below(1000);
        let index = (r * r * TAGS.len() as u64 / 1_000_000) as usize;
        let index = index.min(TAGS.len() - 1);
        if !tags.contains(&index) {
            tags.push(index);
        }
    }
    tags
}

#[cfg(test)]
mod tests {
    use super::*;
    use tasktui_core::seam::{Tasks, Users};

    fn titles(store: &Store) -> Vec<String> {
        store
            .connection()
            .prepare("SELECT title || '|' || description || '|' || status || '|' || ifnull(assignee_id, '-') FROM tasks ORDER BY id")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    }

    #[test]
    fn the_same_seed_gives_the_same_data_and_another_seed_other_data() {
        let spec = Spec {
            tasks: 200,
            users: 30,
            seed: 7,
        };
        let (a, b, c) = (
            Store::open_in_memory().unwrap(),
            Store::open_in_memory().unwrap(),
            Store::open_in_memory().unwrap(),
        );
        assert_eq!(fill(&a, spec).unwrap(), (30, 200));
        fill(&b, spec).unwrap();
        fill(&c, Spec { seed: 8, ..spec }).unwrap();
        assert_eq!(titles(&a), titles(&b));
        assert_ne!(titles(&a), titles(&c));
        let users = a.list_users().unwrap();
        assert_eq!(users.len(), 30);
        assert!(
            users.iter().any(|u| u.user.username == "alice1"),
            "names repeat with a number"
        );
    }

    #[test]
    fn the_data_is_varied_like_real_work() {
        let store = Store::open_in_memory().unwrap();
        fill(
            &store,
            Spec {
                tasks: 2000,
                users: 10,
                seed: 1,
            },
        )
        .unwrap();
        let count =
            |sql: &str| -> i64 { store.connection().query_row(sql, [], |r| r.get(0)).unwrap() };
        assert!(count("SELECT count(*) FROM tasks WHERE assignee_id IS NULL") > 200);
        assert!(count("SELECT count(*) FROM tasks WHERE status = 'done'") > 300);
        assert!(count("SELECT count(*) FROM tasks WHERE due_date IS NULL") > 300);
        assert!(count("SELECT count(DISTINCT priority) FROM tasks") == 4);
        assert!(
            count("SELECT count(*) FROM tasks WHERE status = 'done' AND completed_at IS NULL") == 0
        );
    }

    #[test]
    fn every_sample_tag_is_a_valid_tag_name() {
        for tag in TAGS {
            assert!(tasktui_core::model::check_tag(tag).is_ok(), "{tag}");
        }
    }

    #[test]
    fn tasks_get_a_few_tags_each_with_a_long_tail() {
        let store = Store::open_in_memory().unwrap();
        fill(
            &store,
            Spec {
                tasks: 2000,
                users: 5,
                seed: 3,
            },
        )
        .unwrap();
        let tags = store.list_tags().unwrap();
        let most = tags.first().unwrap().tasks;
        let least = tags.last().unwrap().tasks;
        assert!(tags.len() >= 30, "{tags:?}");
        assert!(most > 8 * least, "a long tail: {most} against {least}");
        let per_task: Vec<(i64, i64)> = store
            .connection()
            .prepare(
                "SELECT n, count(*) FROM (SELECT (SELECT count(*) FROM task_tags WHERE task_id = t.id) AS n
                 FROM tasks t) GROUP BY n ORDER BY n",
            )
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(
            per_task.iter().map(|(n, _)| *n).collect::<Vec<_>>(),
            [0, 1, 2, 3]
        );
        // The kept counts agree with the rows.
        let recount: i64 = store
            .connection()
            .query_row("SELECT count(*) FROM task_tags", [], |r| r.get(0))
            .unwrap();
        assert_eq!(tags.iter().map(|t| t.tasks as i64).sum::<i64>(), recount);
    }

    #[test]
    fn the_search_index_covers_the_sample_and_its_trigger_is_back() {
        let store = Store::open_in_memory().unwrap();
        let before = crate::schema::read(store.connection()).unwrap();
        fill(
            &store,
            Spec {
                tasks: 500,
                users: 5,
                seed: 3,
            },
        )
        .unwrap();
        assert_eq!(
            crate::schema::read(store.connection()).unwrap(),
            before,
            "schema unchanged"
        );
        // The load's settings of the search indexes are back to FTS5's defaults.
        for index in ["tasks_search", "tasks_grams"] {
            let settings: Vec<(String, i64)> = store
                .connection()
                .prepare(&format!(
                    "SELECT k, v FROM {index}_config WHERE k IN ('hashsize', 'automerge') ORDER BY k"
                ))
                .unwrap()
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
                .unwrap()
                .collect::<rusqlite::Result<_>>()
                .unwrap();
            assert_eq!(
                settings,
                [
                    ("automerge".to_string(), 4),
                    ("hashsize".to_string(), 1_048_576)
                ],
                "{index}"
            );
        }
        assert!(crate::check::check(store.connection()).unwrap().is_empty());
        let matched: i64 = store
            .connection()
            .query_row(
                "SELECT count(*) FROM tasks_search WHERE tasks_search MATCH '\"the\"'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        let expected: i64 = store
            .connection()
            .query_row(
                "SELECT count(*) FROM tasks WHERE title LIKE '%the%' OR description LIKE '%the%'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(matched, expected);
        let id = store
            .create_task(&tasktui_core::model::TaskFields::titled("zebra crossing"))
            .unwrap();
        let found: i64 = store
            .connection()
            .query_row(
                "SELECT rowid FROM tasks_search WHERE tasks_search MATCH 'zebra'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(found, id.0, "the trigger indexes new tasks again");
    }
}
