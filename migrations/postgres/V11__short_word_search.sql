-- PostgreSQL twin of V11. On SQLite this version indexes every letter and pair of letters for
-- searches of one and two letters; pg_trgm's trigram indexes answer three letters and more, and
-- shorter words are read from the narrow index below with the text tested as it comes.
CREATE INDEX tasks_by_id_conditions ON tasks (id, status, assignee_id, due_date);
