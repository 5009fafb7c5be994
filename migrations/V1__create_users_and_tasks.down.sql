-- Reverting V1 leaves an empty database: every user and task is dropped.
DROP INDEX tasks_by_status_due;
DROP INDEX tasks_by_assignee_due;
DROP INDEX tasks_by_due;
DROP TABLE tasks;
DROP TABLE users;
