DROP TABLE change_tasks;
DROP INDEX tasks_by_status;
DROP INDEX tasks_by_title;
DROP INDEX tasks_by_updated;
DROP INDEX tasks_by_created;
DROP INDEX tasks_by_priority;
