-- PostgreSQL twin of V4: users carry a row version, so an edit of a user changed meanwhile is refused.
ALTER TABLE users ADD COLUMN row_version bigint NOT NULL DEFAULT 1;
