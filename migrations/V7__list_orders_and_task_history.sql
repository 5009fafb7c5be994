-- The orders of the Tasks pane (`o` cycles them, `O` reverses). Each is walked from its own
-- index, so a page of 100,000 tasks is read without sorting them; the order by due date uses
-- `tasks_by_due` from V1. Open tasks come before done ones in every order.
CREATE INDEX tasks_by_priority ON tasks (status = 'done', priority DESC, ifnull(due_date, '9999-12-31'), id);
CREATE INDEX tasks_by_created ON tasks (status = 'done', created_at DESC, id DESC);
CREATE INDEX tasks_by_updated ON tasks (status = 'done', updated_at DESC, id DESC);
CREATE INDEX tasks_by_title ON tasks (status = 'done', title COLLATE NOCASE, id);
CREATE INDEX tasks_by_status ON tasks (CASE status WHEN 'doing' THEN 0 WHEN 'todo' THEN 1 ELSE 2 END, ifnull(due_date, '9999-12-31'), priority DESC, id);
-- The open and done filters (`f o`, `f d`) are written as the leading term of the indexes above,
-- so V1's index by exact status serves nothing any more, and each write would still pay for it.
DROP INDEX tasks_by_status_due;

-- Which tasks each change in the history touched, so the detail of a task shows its last
-- changes without reading the whole history. Derived from `changes`: filled here from the
-- history already kept, and pruned with it.
CREATE TABLE change_tasks (
    task_id   INTEGER NOT NULL,
    change_id INTEGER NOT NULL REFERENCES changes (id) ON DELETE CASCADE,
    PRIMARY KEY (task_id, change_id)
) WITHOUT ROWID;
CREATE INDEX change_tasks_by_change ON change_tasks (change_id);

INSERT OR IGNORE INTO change_tasks (task_id, change_id)
SELECT j.value, c.id
FROM changes c, json_tree(c.change) j
WHERE j.key = 'id' AND j.type = 'integer'
  AND (j.path LIKE '%.UpdateTask' OR j.path LIKE '%.DeleteTask' OR j.path LIKE '%.RestoreTask')
UNION
SELECT j.value, c.id
FROM changes c, json_tree(c.inverse) j
WHERE j.key = 'id' AND j.type = 'integer'
  AND (j.path LIKE '%.UpdateTask' OR j.path LIKE '%.DeleteTask' OR j.path LIKE '%.RestoreTask');
