-- Removes the search index and the open-task index; no task data is lost.
DROP INDEX tasks_open_by_assignee;
DROP TRIGGER tasks_search_update;
DROP TRIGGER tasks_search_delete;
DROP TRIGGER tasks_search_insert;
DROP TABLE tasks_search;
