-- PostgreSQL twin of V8. SQLite keeps counts of tasks by assignee, state and due date in a
-- table; PostgreSQL counts from the indexes instead (tasktui stops counting at 10,001), so this
-- version adds the index that counts a user's open and done tasks.
CREATE INDEX tasks_by_assignee_state ON tasks (assignee_id, status);
