DROP INDEX tasks_by_id_conditions;
