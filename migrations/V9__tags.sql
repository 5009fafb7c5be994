-- Tags: short words that sort tasks across users (`backend`, `bug`, `area/backend` for a
-- hierarchy). A tag's name is unique without regard to case; the first spelling written is
-- kept. tasktui checks the words themselves (letters, digits, `-`, `_`, `/`); the table refuses
-- what would break the list or a search (spaces, `#`, `,`, too long).
CREATE TABLE tags (
    id     INTEGER PRIMARY KEY,
    name   TEXT NOT NULL COLLATE NOCASE UNIQUE
           CHECK (length(name) BETWEEN 1 AND 40 AND name NOT GLOB '*[ #,]*'),
    -- How many tasks carry the tag, kept by the triggers below, so that the filter menu lists
    -- the tags in use with their counts without counting.
    tasks  INTEGER NOT NULL DEFAULT 0 CHECK (tasks >= 0)
);

-- Which task carries which tag. Deleting a task or a tag removes its rows (the foreign keys,
-- and for a tool that leaves foreign keys off, the trigger on tasks below).
CREATE TABLE task_tags (
    task_id  INTEGER NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    tag_id   INTEGER NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
    PRIMARY KEY (task_id, tag_id)
) WITHOUT ROWID;
-- Filtering by a tag walks its tasks.
CREATE INDEX task_tags_by_tag ON task_tags (tag_id, task_id);

CREATE TRIGGER task_tags_count_insert AFTER INSERT ON task_tags BEGIN
    UPDATE tags SET tasks = tasks + 1 WHERE id = NEW.tag_id;
END;
CREATE TRIGGER task_tags_count_delete AFTER DELETE ON task_tags BEGIN
    UPDATE tags SET tasks = tasks - 1 WHERE id = OLD.tag_id;
END;
CREATE TRIGGER tasks_untag_on_delete AFTER DELETE ON tasks BEGIN
    DELETE FROM task_tags WHERE task_id = OLD.id;
END;
