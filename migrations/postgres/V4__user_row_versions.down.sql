ALTER TABLE users DROP COLUMN row_version;
