-- PostgreSQL twin of V3: substring search of titles and descriptions through trigram indexes
-- (pg_trgm, a trusted extension since PostgreSQL 13: the database's owner may create it).
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX tasks_search_title ON tasks USING gin (title gin_trgm_ops);
CREATE INDEX tasks_search_description ON tasks USING gin (description gin_trgm_ops);
