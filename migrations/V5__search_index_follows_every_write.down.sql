-- Back to V3's search index, read from tasks; it is rebuilt from the tasks, no task is lost.
DROP TRIGGER tasks_search_update;
DROP TRIGGER tasks_search_delete;
DROP TRIGGER tasks_search_insert;
DROP TABLE tasks_search;

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
