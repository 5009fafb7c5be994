-- Back to searches of one or two letters that read every task; no task is lost.
DROP TRIGGER tasks_grams_update;
DROP TRIGGER tasks_grams_delete;
DROP TRIGGER tasks_grams_insert;
DROP INDEX tasks_by_id_conditions;
DROP VIEW task_grams;
DROP TABLE tasks_grams;
DROP TABLE search_positions;
