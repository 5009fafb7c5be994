-- Live search over task titles and descriptions, and fast per-user counts at 100,000 tasks.
--
-- tasks_search is an FTS5 index with the trigram tokenizer (case-insensitive substring matches
-- of three characters or more), kept in step with tasks by triggers. It stores no copy of the
-- text (content='tasks').
CREATE VIRTUAL TABLE tasks_search USING fts5(
    title, description, content = 'tasks', content_rowid = 'id', tokenize = 'trigram'
);
INSERT INTO tasks_search (rowid, title, description) SELECT id, title, description FROM tasks;

CREATE TRIGGER tasks_search_insert AFTER INSERT ON tasks BEGIN
    INSERT INTO tasks_search (rowid, title, description) VALUES (new.id, new.title, new.description);
END;
CREATE TRIGGER tasks_search_delete AFTER DELETE ON tasks BEGIN
    INSERT INTO tasks_search (tasks_search, rowid, title, description)
        VALUES ('delete', old.id, old.title, old.description);
END;
CREATE TRIGGER tasks_search_update AFTER UPDATE OF title, description ON tasks BEGIN
    INSERT INTO tasks_search (tasks_search, rowid, title, description)
        VALUES ('delete', old.id, old.title, old.description);
    INSERT INTO tasks_search (rowid, title, description) VALUES (new.id, new.title, new.description);
END;

-- The Users pane counts each user's open and overdue tasks; this index holds only open tasks,
-- so the counts read it alone.
CREATE INDEX tasks_open_by_assignee ON tasks (assignee_id, due_date) WHERE status <> 'done';
