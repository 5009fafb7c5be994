-- `change_tasks` is derived from the history of changes, which stays: nothing is lost.
DROP INDEX change_tasks_by_change;
DROP TABLE change_tasks;
DROP INDEX tasks_by_status;
DROP INDEX tasks_by_title;
DROP INDEX tasks_by_updated;
DROP INDEX tasks_by_created;
DROP INDEX tasks_by_priority;
CREATE INDEX tasks_by_status_due ON tasks (status, ifnull(due_date, '9999-12-31'), priority DESC, id);
