-- PostgreSQL twin of V8. SQLite keeps counts of tasks by assignee, state and due date in a table;
-- on a server the Users pane counts each user's open and late tasks from this index alone (an
-- index-only scan; `status` is included so that the scan needs no table rows), without writes
-- to a shared counter on every edit.
CREATE INDEX tasks_by_assignee_state ON tasks (assignee_id, ((status = 'done')::int), due_date)
    INCLUDE (status);
