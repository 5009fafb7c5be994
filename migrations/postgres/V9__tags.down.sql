-- drops data: every tag and which tasks carry it
DROP TABLE task_tags;
DROP TABLE tags;
DROP FUNCTION tasktui_count_tags();
