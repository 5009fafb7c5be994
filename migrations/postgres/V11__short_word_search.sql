-- PostgreSQL twin of V11: searches of one and two letters through an index, as on SQLite. The
-- trigram indexes (V3) answer words of three letters and more; this one holds every letter and
-- every pair of letters of each task's lower-cased title and description, so a short word that
-- few tasks hold is found without reading every task's text.
-- (Repeated grams are left in: the index keeps each once.)
CREATE FUNCTION tasktui_grams(title text, description text) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT string_to_array(x.s, NULL)
           || array(SELECT substr(x.s, i, 2) FROM generate_series(1, length(x.s) - 1) AS i)
    FROM (SELECT lower(title || E'\n' || description) AS s) x
$$;
CREATE INDEX tasks_short_words ON tasks USING gin (tasktui_grams(title, description));
