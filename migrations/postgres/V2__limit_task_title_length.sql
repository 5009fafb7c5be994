-- PostgreSQL twin of V2: a title holds at most 200 characters.
ALTER TABLE tasks ADD CONSTRAINT tasks_title_length CHECK (length(title) <= 200);
