COMMENT ON INDEX tasks_search_title IS NULL;
COMMENT ON INDEX tasks_search_description IS NULL;
