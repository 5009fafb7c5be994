-- The search indexes as any SQLite from 3.37 (Ubuntu 22.04's) can write them. V5 and V11 made
-- them with `contentless_delete = 1`, which needs SQLite 3.43: with an older one (Debian 12's
-- sqlite3 and Python module, 3.40) every insert, update or delete of a task failed with
-- `unrecognized option: "contentless_delete"`. These indexes keep no text either (content = ''),
-- and remove a task's entry with FTS5's 'delete' command and the text it was indexed with: the
-- row's old values, which every delete and update trigger sees since V10 refuses the writes that
-- replace a row without firing them. The short words of the old text are computed before the
-- row changes (BEFORE triggers), while `task_grams` still reads it.
DROP TRIGGER tasks_search_update;
DROP TRIGGER tasks_search_delete;
DROP TRIGGER tasks_search_insert;
DROP TABLE tasks_search;
DROP TRIGGER tasks_grams_update;
DROP TRIGGER tasks_grams_delete;
DROP TRIGGER tasks_grams_insert;
DROP TABLE tasks_grams;

CREATE VIRTUAL TABLE tasks_search USING fts5(
    title, description, content = '', tokenize = 'trigram'
);
INSERT INTO tasks_search (rowid, title, description) SELECT id, title, description FROM tasks;

CREATE TRIGGER tasks_search_insert AFTER INSERT ON tasks BEGIN
    INSERT INTO tasks_search (rowid, title, description)
        VALUES (new.id, new.title, new.description);
END;
CREATE TRIGGER tasks_search_delete AFTER DELETE ON tasks BEGIN
    INSERT INTO tasks_search (tasks_search, rowid, title, description)
        VALUES ('delete', old.id, old.title, old.description);
END;
CREATE TRIGGER tasks_search_update AFTER UPDATE OF id, title, description ON tasks BEGIN
    INSERT INTO tasks_search (tasks_search, rowid, title, description)
        VALUES ('delete', old.id, old.title, old.description);
    INSERT INTO tasks_search (rowid, title, description)
        VALUES (new.id, new.title, new.description);
END;

CREATE VIRTUAL TABLE tasks_grams USING fts5(
    grams, content = '', detail = 'none', tokenize = 'ascii'
);
INSERT INTO tasks_grams (rowid, grams) SELECT id, grams FROM task_grams WHERE grams IS NOT NULL;

CREATE TRIGGER tasks_grams_insert AFTER INSERT ON tasks BEGIN
    INSERT INTO tasks_grams (rowid, grams)
        SELECT id, grams FROM task_grams WHERE id = new.id AND grams IS NOT NULL;
END;
CREATE TRIGGER tasks_grams_delete BEFORE DELETE ON tasks BEGIN
    INSERT INTO tasks_grams (tasks_grams, rowid, grams)
        SELECT 'delete', id, grams FROM task_grams WHERE id = old.id AND grams IS NOT NULL;
END;
CREATE TRIGGER tasks_grams_forget BEFORE UPDATE OF id, title, description ON tasks BEGIN
    INSERT INTO tasks_grams (tasks_grams, rowid, grams)
        SELECT 'delete', id, grams FROM task_grams WHERE id = old.id AND grams IS NOT NULL;
END;
CREATE TRIGGER tasks_grams_update AFTER UPDATE OF id, title, description ON tasks BEGIN
    INSERT INTO tasks_grams (rowid, grams)
        SELECT id, grams FROM task_grams WHERE id = new.id AND grams IS NOT NULL;
END;
