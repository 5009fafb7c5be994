-- PostgreSQL twin of V7: an index for each order of the list, and which changes touched a task.
CREATE INDEX tasks_by_priority ON tasks (((status = 'done')::int), priority DESC, coalesce(due_date, '9999-12-31'), id);
CREATE INDEX tasks_by_created ON tasks (((status = 'done')::int), created_at DESC, id DESC);
CREATE INDEX tasks_by_updated ON tasks (((status = 'done')::int), updated_at DESC, id DESC);
CREATE INDEX tasks_by_title ON tasks (((status = 'done')::int), (lower(title) COLLATE "C"), id);
CREATE INDEX tasks_by_status ON tasks ((CASE status WHEN 'doing' THEN 0 WHEN 'todo' THEN 1 ELSE 2 END), coalesce(due_date, '9999-12-31'), priority DESC, id);
CREATE TABLE change_tasks (
    task_id   bigint NOT NULL,
    change_id bigint NOT NULL REFERENCES changes (id) ON DELETE CASCADE,
    PRIMARY KEY (task_id, change_id)
);
CREATE INDEX change_tasks_by_change ON change_tasks (change_id);
