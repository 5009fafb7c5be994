-- Users get the row version tasks have had since V1: bumped by every update, so that an edit
-- of a user another process changed or deleted meanwhile is refused instead of overwriting it.
ALTER TABLE users ADD COLUMN row_version INTEGER NOT NULL DEFAULT 1;
