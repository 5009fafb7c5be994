DROP TRIGGER tasks_count_truncate ON tasks;
DROP TRIGGER tasks_count_delete ON tasks;
DROP TRIGGER tasks_count_update ON tasks;
DROP TRIGGER tasks_count_insert ON tasks;
DROP FUNCTION tasktui_count_tasks();
DROP TABLE task_counts;
