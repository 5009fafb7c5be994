ALTER TABLE tasks DROP CONSTRAINT tasks_title_length;
