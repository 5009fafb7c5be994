-- `INSERT OR REPLACE` and `UPDATE OR REPLACE` delete the row they replace without firing its
-- delete triggers (unless the connection turned recursive triggers on), so the kept counts
-- (V8), the search index (V5) and the tag counts (V9) would go on counting a row that is gone.
-- Another tool's write over a task that exists is refused, saying how to change a task; an
-- insert of a tag a task already carries does nothing (as tasktui's own INSERT OR IGNORE always
-- did); moving a tag row onto a pair that exists is refused; a tag row that changes its tag
-- moves its count with it.
CREATE TRIGGER tasks_refuse_insert_over BEFORE INSERT ON tasks
WHEN NEW.id IS NOT NULL AND EXISTS (SELECT 1 FROM tasks WHERE id = NEW.id)
BEGIN
    SELECT RAISE(ABORT, 'tasks: this id is taken; change a task with UPDATE (INSERT OR REPLACE would skip the triggers that keep counts, tags and the search index)');
END;

CREATE TRIGGER tasks_refuse_update_over BEFORE UPDATE OF id ON tasks
WHEN NEW.id <> OLD.id AND EXISTS (SELECT 1 FROM tasks WHERE id = NEW.id)
BEGIN
    SELECT RAISE(ABORT, 'tasks: this id is taken; delete that task first (UPDATE OR REPLACE would skip the triggers that keep counts, tags and the search index)');
END;

CREATE TRIGGER task_tags_ignore_insert_again BEFORE INSERT ON task_tags
WHEN EXISTS (SELECT 1 FROM task_tags WHERE task_id = NEW.task_id AND tag_id = NEW.tag_id)
BEGIN
    SELECT RAISE(IGNORE);
END;

CREATE TRIGGER task_tags_refuse_update_over BEFORE UPDATE ON task_tags
WHEN (NEW.task_id <> OLD.task_id OR NEW.tag_id <> OLD.tag_id)
 AND EXISTS (SELECT 1 FROM task_tags WHERE task_id = NEW.task_id AND tag_id = NEW.tag_id)
BEGIN
    SELECT RAISE(ABORT, 'task_tags: the task already carries this tag; delete this row instead');
END;

CREATE TRIGGER task_tags_count_update AFTER UPDATE OF tag_id ON task_tags
WHEN NEW.tag_id <> OLD.tag_id
BEGIN
    UPDATE tags SET tasks = tasks - 1 WHERE id = OLD.tag_id;
    UPDATE tags SET tasks = tasks + 1 WHERE id = NEW.tag_id;
END;
