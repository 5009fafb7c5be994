-- Lifts the title limit again: tasks is rebuilt as V1 made it. Titles that V2 shortened stay
-- shortened (their full text is in the description); no row is lost.

CREATE TABLE new_tasks (
    id            INTEGER PRIMARY KEY,
    title         TEXT NOT NULL CHECK (length(trim(title)) > 0),
    description   TEXT NOT NULL DEFAULT '',
    status        TEXT NOT NULL DEFAULT 'todo'
                  CHECK (status IN ('todo', 'doing', 'done')),
    -- 0 none, 1 low, 2 medium, 3 high: a number so that the list can sort by it from an index.
    priority      INTEGER NOT NULL DEFAULT 0 CHECK (priority BETWEEN 0 AND 3),
    due_date      TEXT CHECK (due_date IS NULL OR date(due_date) IS due_date),
    assignee_id   INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    updated_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    completed_at  TEXT,
    -- Bumped by every update, so an edit of a row another process changed meanwhile is refused.
    row_version   INTEGER NOT NULL DEFAULT 1
);

INSERT INTO new_tasks (id, title, description, status, priority, due_date, assignee_id,
                       created_at, updated_at, completed_at, row_version)
SELECT id, title, description, status, priority, due_date, assignee_id,
       created_at, updated_at, completed_at, row_version
FROM tasks;

DROP TABLE tasks;
ALTER TABLE new_tasks RENAME TO tasks;

CREATE INDEX tasks_by_due ON tasks (status = 'done', ifnull(due_date, '9999-12-31'), priority DESC, id);
CREATE INDEX tasks_by_assignee_due ON tasks (assignee_id, status = 'done', ifnull(due_date, '9999-12-31'), priority DESC, id);
CREATE INDEX tasks_by_status_due ON tasks (status, ifnull(due_date, '9999-12-31'), priority DESC, id);
