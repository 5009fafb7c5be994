-- The counts the screen shows, kept by the database as tasks change, so that neither start-up
-- nor a keystroke counts tasks one by one: tasks per assignee (0: unassigned), state (done or
-- not) and due date ('': none). The rows are bounded by assignees × due dates in use, not by
-- the number of tasks. Today's overdue counts are sums over a range of due dates.
CREATE TABLE task_counts (
    assignee INTEGER NOT NULL,
    done     INTEGER NOT NULL CHECK (done IN (0, 1)),
    due      TEXT    NOT NULL,
    n        INTEGER NOT NULL CHECK (n > 0),
    PRIMARY KEY (assignee, done, due)
) WITHOUT ROWID;

-- V3's index of open tasks by assignee served only the counts this table now keeps.
DROP INDEX tasks_open_by_assignee;

INSERT INTO task_counts (assignee, done, due, n)
SELECT ifnull(assignee_id, 0), status = 'done', ifnull(due_date, ''), count(*)
FROM tasks GROUP BY 1, 2, 3;

CREATE TRIGGER task_counts_insert AFTER INSERT ON tasks BEGIN
    INSERT INTO task_counts (assignee, done, due, n)
    VALUES (ifnull(NEW.assignee_id, 0), NEW.status = 'done', ifnull(NEW.due_date, ''), 1)
    ON CONFLICT (assignee, done, due) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER task_counts_delete AFTER DELETE ON tasks BEGIN
    DELETE FROM task_counts
    WHERE assignee = ifnull(OLD.assignee_id, 0) AND done = (OLD.status = 'done')
      AND due = ifnull(OLD.due_date, '') AND n = 1;
    UPDATE task_counts SET n = n - 1
    WHERE assignee = ifnull(OLD.assignee_id, 0) AND done = (OLD.status = 'done')
      AND due = ifnull(OLD.due_date, '');
END;

CREATE TRIGGER task_counts_update AFTER UPDATE OF status, assignee_id, due_date ON tasks
WHEN ifnull(OLD.assignee_id, 0) <> ifnull(NEW.assignee_id, 0)
  OR (OLD.status = 'done') <> (NEW.status = 'done')
  OR ifnull(OLD.due_date, '') <> ifnull(NEW.due_date, '')
BEGIN
    DELETE FROM task_counts
    WHERE assignee = ifnull(OLD.assignee_id, 0) AND done = (OLD.status = 'done')
      AND due = ifnull(OLD.due_date, '') AND n = 1;
    UPDATE task_counts SET n = n - 1
    WHERE assignee = ifnull(OLD.assignee_id, 0) AND done = (OLD.status = 'done')
      AND due = ifnull(OLD.due_date, '');
    INSERT INTO task_counts (assignee, done, due, n)
    VALUES (ifnull(NEW.assignee_id, 0), NEW.status = 'done', ifnull(NEW.due_date, ''), 1)
    ON CONFLICT (assignee, done, due) DO UPDATE SET n = n + 1;
END;
