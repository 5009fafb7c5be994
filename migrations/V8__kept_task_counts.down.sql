-- `task_counts` is derived from the tasks, which stay: nothing is lost.
DROP TRIGGER task_counts_update;
DROP TRIGGER task_counts_delete;
DROP TRIGGER task_counts_insert;
DROP TABLE task_counts;
CREATE INDEX tasks_open_by_assignee ON tasks (assignee_id, due_date) WHERE status <> 'done';
