-- drops data: every tag and which tasks carry it
DROP TRIGGER tasks_untag_on_delete;
DROP TRIGGER task_tags_count_delete;
DROP TRIGGER task_tags_count_insert;
DROP INDEX task_tags_by_tag;
DROP TABLE task_tags;
DROP TABLE tags;
