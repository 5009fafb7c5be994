-- Without the changes' tokens, and back to V11's definition of the short words (the same words; their cost grows with the square
-- of a text's length).
CREATE OR REPLACE FUNCTION tasktui_grams(title text, description text) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT string_to_array(x.s, NULL)
           || array(SELECT substr(x.s, i, 2) FROM generate_series(1, length(x.s) - 1) AS i)
    FROM (SELECT lower(title || E'\n' || description) AS s) x
$$;

DROP INDEX changes_by_token;
ALTER TABLE changes DROP COLUMN token;
