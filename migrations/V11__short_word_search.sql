-- Searches of one or two letters: the trigram index (V5) needs three. tasks_grams holds, for
-- each task, every byte and every pair of bytes of its lower-cased title and description (as
-- hex words: `71` for q, `7175` for qu), so such a word is looked up instead of being read from
-- every task. Bytes up to a space (0x20) are left out: no search word holds one. Only the first
-- 16,384 bytes of a text are read; a task with a longer one also carries the word `x`, and a
-- search tests those tasks' text itself. The index keeps no text (content = '') and, like V5's,
-- is replaced by the task's id on every write.
CREATE TABLE search_positions (n INTEGER PRIMARY KEY);
WITH RECURSIVE counting (n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM counting WHERE n < 16384)
INSERT INTO search_positions (n) SELECT n FROM counting;

CREATE VIRTUAL TABLE tasks_grams USING fts5(
    grams, content = '', contentless_delete = 1, detail = 'none', tokenize = 'ascii'
);

-- The words of one task's texts (`t`: its title and description, lower-cased, as bytes).
CREATE VIEW task_grams AS
SELECT t.id AS id, (
    SELECT group_concat(g, ' ') FROM (
        SELECT hex(substr(s.x, p.n, 1)) AS g
        FROM (SELECT CAST(lower(t.title) AS BLOB) AS x
              UNION ALL SELECT CAST(lower(t.description) AS BLOB)) AS s
        JOIN search_positions AS p ON p.n <= length(s.x)
        WHERE substr(s.x, p.n, 1) > x'20'
        UNION
        SELECT hex(substr(s.x, p.n, 2))
        FROM (SELECT CAST(lower(t.title) AS BLOB) AS x
              UNION ALL SELECT CAST(lower(t.description) AS BLOB)) AS s
        JOIN search_positions AS p ON p.n < length(s.x)
        WHERE substr(s.x, p.n, 1) > x'20' AND substr(s.x, p.n + 1, 1) > x'20'
        UNION
        SELECT 'x'
        FROM (SELECT CAST(lower(t.title) AS BLOB) AS x
              UNION ALL SELECT CAST(lower(t.description) AS BLOB)) AS s
        WHERE length(s.x) > 16384)
) AS grams
FROM tasks AS t;

INSERT INTO tasks_grams (rowid, grams) SELECT id, grams FROM task_grams;

-- A search among open tasks (or one user's, or those due this week) tests each task the index
-- found on what the list's conditions read; this narrow index answers that without reading the
-- task's row, a quarter of the pages.
CREATE INDEX tasks_by_id_conditions ON tasks (id, status, assignee_id, due_date);

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
