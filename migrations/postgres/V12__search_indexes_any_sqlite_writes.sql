-- PostgreSQL twin of V12. SQLite's V12 makes its search indexes writable by older SQLite; a
-- server has no such limit. What it changes here: a token for each change (below), and the
-- cost of the short words: V11 took each
-- pair of letters with substr(), which walks the text from its start each time, so a long
-- description cost the square of its length (16 KB: 1.4 s, 1 MB: over ten minutes while holding
-- the row's lock). The same words, in the same order, from one walk over the letters.
CREATE OR REPLACE FUNCTION tasktui_grams(title text, description text) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT x.c || array(SELECT u.a || u.b FROM unnest(x.c[1:cardinality(x.c) - 1], x.c[2:]) AS u(a, b))
    FROM (SELECT string_to_array(lower(title || E'\n' || description), NULL) AS c) x
$$;

-- Each change carries a token of its own, so that when the reply to its COMMIT is lost the
-- client can find out whether it was saved (and never apply it twice) instead of guessing.
ALTER TABLE changes ADD COLUMN token text;
CREATE UNIQUE INDEX changes_by_token ON changes (token) WHERE token IS NOT NULL;
