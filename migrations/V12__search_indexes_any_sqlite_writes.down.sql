-- Back to V5's and V11's indexes, which need SQLite 3.43 to write (contentless_delete).
DROP TRIGGER tasks_grams_update;
DROP TRIGGER tasks_grams_forget;
DROP TRIGGER tasks_grams_delete;
DROP TRIGGER tasks_grams_insert;
DROP TABLE tasks_grams;
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

CREATE VIRTUAL TABLE tasks_grams USING fts5(
    grams, content = '', contentless_delete = 1, detail = 'none', tokenize = 'ascii'
);
INSERT INTO tasks_grams (rowid, grams) SELECT id, grams FROM task_grams;
CREATE TRIGGER tasks_grams_insert AFTER INSERT ON tasks BEGIN
    INSERT OR REPLACE INTO tasks_grams (rowid, grams)
        SELECT id, grams FROM task_grams WHERE id = new.id;
END;
CREATE TRIGGER tasks_grams_delete AFTER DELETE ON tasks BEGIN
    DELETE FROM tasks_grams WHERE rowid = old.id;
END;
-- An UPDATE OR REPLACE that moves a task to another id replaces that id's entry too.
CREATE TRIGGER tasks_grams_update AFTER UPDATE OF id, title, description ON tasks BEGIN
    DELETE FROM tasks_grams WHERE rowid = old.id;
    INSERT OR REPLACE INTO tasks_grams (rowid, grams)
        SELECT id, grams FROM task_grams WHERE id = new.id;
END;
