-- The search index, right for every way SQL can change a task.
--
-- V3's index read its text from tasks (content = 'tasks') and removing a row's entry needed the
-- old text, which a trigger sees only when one fires: `INSERT OR REPLACE` by another tool
-- deletes the old row without a delete trigger, so its words stayed in the index. This index
-- keeps no text (content = '') and deletes by rowid (contentless_delete = 1), so every trigger
-- replaces an entry by the task's id, whatever happened to the row before.
DROP TRIGGER tasks_search_update;
DROP TRIGGER tasks_search_delete;
DROP TRIGGER tasks_search_insert;
DROP TABLE tasks_search;

CREATE VIRTUAL TABLE tasks_search USING fts5(
    title, description, content = '', contentless_delete = 1, tokenize = 'trigram'
);
INSERT INTO tasks_search (rowid, title, description) SELECT id, title, description FROM tasks;

CREATE TRIGGER tasks_search_insert AFTER INSERT ON tasks BEGIN
    INSERT OR REPLACE INTO tasks_search (rowid, title, description)
        VALUES (new.id, new.title, new.description);
END;
CREATE TRIGGER tasks_search_delete AFTER DELETE ON tasks BEGIN
    DELETE FROM tasks_search WHERE rowid = old.id;
END;
-- An UPDATE OR REPLACE that moves a task to another id replaces that id's entry too.
CREATE TRIGGER tasks_search_update AFTER UPDATE OF id, title, description ON tasks BEGIN
    DELETE FROM tasks_search WHERE rowid = old.id;
    INSERT OR REPLACE INTO tasks_search (rowid, title, description)
        VALUES (new.id, new.title, new.description);
END;
