DROP INDEX tasks_by_assignee_state;
