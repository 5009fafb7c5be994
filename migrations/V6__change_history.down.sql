-- drops data: the history of changes (undo and redo)
DROP INDEX changes_by_author;
DROP TABLE changes;
