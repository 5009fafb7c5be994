-- PostgreSQL twin of V10. On SQLite this version refuses INSERT OR REPLACE, which would skip the
-- triggers that keep counts and the search indexes; PostgreSQL has no such statement and keeps
-- its indexes itself, so this version only records the rule on the table.
COMMENT ON TABLE task_tags IS 'one row per task and tag; rows are never replaced in place';
