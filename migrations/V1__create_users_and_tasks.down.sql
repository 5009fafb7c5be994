-- drops data: every user and every task
-- Reverting V1 leaves an empty database.
DROP INDEX tasks_by_status_due;
DROP INDEX tasks_by_assignee_due;
DROP INDEX tasks_by_due;
DROP TABLE tasks;
DROP TABLE users;
