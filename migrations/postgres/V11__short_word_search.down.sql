DROP INDEX tasks_short_words;
DROP FUNCTION tasktui_grams(text, text);
