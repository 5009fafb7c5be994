-- PostgreSQL twin of V5. On SQLite this version made the search index follow writes by other
-- tools; PostgreSQL keeps every index in step with every write by itself, so this version only
-- records that on the indexes.
COMMENT ON INDEX tasks_search_title IS 'kept by PostgreSQL on every write';
COMMENT ON INDEX tasks_search_description IS 'kept by PostgreSQL on every write';
