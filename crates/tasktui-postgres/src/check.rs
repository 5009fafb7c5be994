//! `db check` on a server: the applied migrations are this binary's, the schema is exactly what
//! they make (replayed into a scratch schema that is rolled back, the catalogs compared), and
//! the counts the triggers keep match a recount.

use super::schema::{MIGRATIONS, history, server_error};
use postgres::{Client, Transaction};
use tasktui_core::schema::AdminError;
use tasktui_core::schema::EmbeddedMigration;
use tasktui_core::schema::Kept;

/// `db check`: the applied migrations are this binary's, and the schema is exactly what they
/// make (replayed into a scratch schema that is rolled back, and the catalogs compared).
pub fn check(client: &mut Client) -> Result<Vec<String>, AdminError> {
    let history = history(client)?;
    let mut problems = Vec::new();
    if let Err(e) = tasktui_core::schema::verify(&history, MIGRATIONS) {
        problems.push(e.to_string());
    }
    let applied: Vec<_> = MIGRATIONS
        .iter()
        .filter(|m| history.iter().any(|h| h.version == m.version))
        .collect();
    let mut tx = client.transaction().map_err(server_error)?;
    problems.extend(drift(&mut tx, &applied)?);
    problems.extend(kept_counts_problems(&mut tx)?.into_iter().map(|(_, p)| p));
    Ok(problems)
}

const TASK_COUNTS_MEND: &str = "TRUNCATE task_counts; INSERT INTO task_counts SELECT coalesce(assignee_id, 0), \
     (status = 'done')::int, coalesce(due_date, ''), count(*) FROM tasks GROUP BY 1, 2, 3";
const TAG_COUNTS_MEND: &str =
    "UPDATE tags g SET tasks = (SELECT count(*) FROM task_tags tt WHERE tt.tag_id = g.id)";

/// `db check --fix`: rebuilds the kept counts that disagree with the tasks, in one transaction
/// under the schema lock; returns what was rebuilt. (The search indexes are the server's own,
/// computed from the rows: nothing to mend.)
pub fn mend(client: &mut Client) -> Result<Vec<&'static str>, AdminError> {
    let mut tx = super::schema::begin_change(client)?;
    let mut mended = Vec::new();
    let mut kinds: Vec<Kept> = kept_counts_problems(&mut tx)?
        .into_iter()
        .map(|(kept, _)| kept)
        .collect();
    kinds.dedup();
    for kept in kinds {
        tx.batch_execute(match kept {
            Kept::Tasks => TASK_COUNTS_MEND,
            Kept::Tags => TAG_COUNTS_MEND,
        })
        .map_err(server_error)?;
        mended.push(kept.name());
    }
    tx.commit().map_err(server_error)?;
    Ok(mended)
}

/// The counts the triggers keep (V8's by assignee, state and due date; V9's by tag), compared
/// with a count of the rows, one line for each that differs.
fn kept_counts_problems(tx: &mut Transaction<'_>) -> Result<Vec<(Kept, String)>, AdminError> {
    let mut problems = Vec::new();
    let kept: bool = tx
        .query_one("SELECT to_regclass('task_counts') IS NOT NULL", &[])
        .map_err(server_error)?
        .get(0);
    if kept {
        for row in tx
            .query(
                "SELECT coalesce(k.assignee, r.assignee), coalesce(k.done, r.done),
                        coalesce(k.due, r.due), coalesce(k.n, 0), coalesce(r.n, 0)
                 FROM (SELECT * FROM task_counts WHERE n <> 0) k
                 FULL JOIN (SELECT coalesce(assignee_id, 0) AS assignee,
                                   (status = 'done')::int AS done,
                                   coalesce(due_date, '') AS due, count(*) AS n
                            FROM tasks GROUP BY 1, 2, 3) r
                   ON (k.assignee, k.done, k.due) = (r.assignee, r.done, r.due)
                 WHERE coalesce(k.n, 0) <> coalesce(r.n, 0) LIMIT 20",
                &[],
            )
            .map_err(server_error)?
        {
            problems.push((Kept::Tasks, format!(
                "the kept count of tasks of assignee {}, done {}, due {:?} is {}, the tasks are {}; \
                 `tasktui db check --fix` recounts (or: {TASK_COUNTS_MEND})",
                row.get::<_, i64>(0),
                row.get::<_, i32>(1),
                row.get::<_, String>(2),
                row.get::<_, i64>(3),
                row.get::<_, i64>(4),
            )));
        }
    }
    let tagged: bool = tx
        .query_one("SELECT to_regclass('task_tags') IS NOT NULL", &[])
        .map_err(server_error)?
        .get(0);
    if tagged {
        for row in tx
            .query(
                "SELECT g.name, g.tasks, (SELECT count(*) FROM task_tags tt WHERE tt.tag_id = g.id)
                 FROM tags g
                 WHERE g.tasks <> (SELECT count(*) FROM task_tags tt WHERE tt.tag_id = g.id)
                 LIMIT 20",
                &[],
            )
            .map_err(server_error)?
        {
            problems.push((Kept::Tags, format!(
                "tag {:?} is counted on {} and carried by {}; `tasktui db check --fix` recounts \
                 (or: {TAG_COUNTS_MEND})",
                row.get::<_, String>(0),
                tasktui_core::text::count(row.get::<_, i64>(1), "task", "tasks"),
                row.get::<_, i64>(2),
            )));
        }
    }
    Ok(problems)
}

/// How the schema the tables live in differs from what `migrations` make, one line each. The
/// replay runs in a savepoint of the caller's transaction that is rolled back: nothing of it
/// stays, whatever the caller does next.
pub(super) fn drift(
    tx: &mut Transaction<'_>,
    migrations: &[&EmbeddedMigration],
) -> Result<Vec<String>, AdminError> {
    tx.batch_execute("SAVEPOINT tasktui_drift")
        .map_err(server_error)?;
    let found = replay_and_compare(tx, migrations);
    tx.batch_execute("ROLLBACK TO SAVEPOINT tasktui_drift")
        .map_err(server_error)?;
    found
}

fn replay_and_compare(
    tx: &mut Transaction<'_>,
    migrations: &[&EmbeddedMigration],
) -> Result<Vec<String>, AdminError> {
    let schema: String = tx
        .query_one("SELECT current_schema()", &[])
        .map_err(server_error)?
        .get(0);
    let have = catalog(tx, &schema)?;
    let scratch = format!("tasktui_check_{}", std::process::id());
    tx.batch_execute(&format!(
        "CREATE SCHEMA {scratch}; SET LOCAL search_path TO {scratch}, {schema}"
    ))
    .map_err(server_error)?;
    for m in migrations {
        tx.batch_execute(m.up).map_err(|e| {
            AdminError::Server(format!(
                "replaying V{}__{} to compare: {}",
                m.version,
                m.name,
                super::errors::detail(&e)
            ))
        })?;
    }
    let want = catalog(tx, &scratch)?;
    let mut problems: Vec<String> = want
        .iter()
        .filter(|w| !have.contains(w))
        .map(|w| format!("the migrations make {w}, the database lacks it"))
        .collect();
    problems.extend(
        have.iter()
            .filter(|h| !want.contains(h))
            .map(|h| format!("the database has {h}, no migration makes it")),
    );
    Ok(problems)
}

/// The tables, columns, indexes, constraints and triggers of `schema`, one line each, with the
/// schema's name left out (the history table aside).
fn catalog(tx: &mut Transaction<'_>, schema: &str) -> Result<Vec<String>, AdminError> {
    let rows = tx
        .query(
            "SELECT 'column ' || c.table_name || '.' || c.column_name || ' ' || c.data_type
                    || coalesce(' collate ' || c.collation_name, '') || ' nullable ' || c.is_nullable
                    || coalesce(' default ' || c.column_default, '')
                    || coalesce(' identity ' || c.identity_generation, '')
             FROM information_schema.columns c
             WHERE c.table_schema = $1 AND c.table_name <> 'refinery_schema_history'
             UNION ALL
             SELECT 'index ' || indexdef FROM pg_indexes
             WHERE schemaname = $1 AND tablename <> 'refinery_schema_history'
             UNION ALL
             SELECT 'constraint ' || r.relname || '.' || k.conname || ' ' || pg_get_constraintdef(k.oid)
             FROM pg_constraint k JOIN pg_class r ON r.oid = k.conrelid
                  JOIN pg_namespace n ON n.oid = r.relnamespace
             WHERE n.nspname = $1 AND r.relname <> 'refinery_schema_history'
             UNION ALL
             SELECT 'trigger ' || r.relname || '.' || t.tgname
             FROM pg_trigger t JOIN pg_class r ON r.oid = t.tgrelid
                  JOIN pg_namespace n ON n.oid = r.relnamespace
             WHERE n.nspname = $1 AND NOT t.tgisinternal
             UNION ALL
             SELECT 'function ' || p.proname FROM pg_proc p
                  JOIN pg_namespace n ON n.oid = p.pronamespace
             WHERE n.nspname = $1 AND p.proname LIKE 'tasktui%'",
            &[&schema],
        )
        .map_err(server_error)?;
    let prefix = format!("{schema}.");
    let mut lines: Vec<String> = rows
        .iter()
        .map(|row| row.get::<_, String>(0).replace(&prefix, ""))
        .collect();
    lines.sort();
    Ok(lines)
}
