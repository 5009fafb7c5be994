-- The extension stays: other schemas of the database may use it.
DROP INDEX tasks_search_description;
DROP INDEX tasks_search_title;
