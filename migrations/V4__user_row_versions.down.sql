-- Removes the users' row version; no user data is lost.
ALTER TABLE users DROP COLUMN row_version;
