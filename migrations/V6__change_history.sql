-- The history of changes, for undo and redo that survive a restart. Each row holds a change
-- and its inverse as JSON (computed from the rows as they were), who made it and when, and a
-- summary in words; `undone` rows are what can be redone. tasktui keeps the last 10,000.
CREATE TABLE changes (
    id       INTEGER PRIMARY KEY,
    author   TEXT,
    at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    summary  TEXT NOT NULL,
    change   TEXT NOT NULL,
    inverse  TEXT NOT NULL,
    undone   INTEGER NOT NULL DEFAULT 0 CHECK (undone IN (0, 1))
);
-- Undo and redo look for one author's latest change, done or undone.
CREATE INDEX changes_by_author ON changes (author, undone, id);
