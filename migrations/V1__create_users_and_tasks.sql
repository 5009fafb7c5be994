-- Users and their tasks. Every column but a task's title and a user's username has a default,
-- so a row written by another tool (sqlite3, a script) is valid and shows up in tasktui.

CREATE TABLE users (
    id          INTEGER PRIMARY KEY,
    username    TEXT NOT NULL COLLATE NOCASE UNIQUE
                CHECK (length(trim(username)) > 0),
    full_name   TEXT NOT NULL DEFAULT '',
    email       TEXT COLLATE NOCASE UNIQUE
                CHECK (email IS NULL OR email LIKE '%_@_%'),
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);

CREATE TABLE tasks (
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

-- The task list shows open tasks before done ones, each by due date (none last), then priority
-- (high first), then id; these indexes serve that order for every filter without sorting.
CREATE INDEX tasks_by_due ON tasks (status = 'done', ifnull(due_date, '9999-12-31'), priority DESC, id);
CREATE INDEX tasks_by_assignee_due ON tasks (assignee_id, status = 'done', ifnull(due_date, '9999-12-31'), priority DESC, id);
CREATE INDEX tasks_by_status_due ON tasks (status, ifnull(due_date, '9999-12-31'), priority DESC, id);
