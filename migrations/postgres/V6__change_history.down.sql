-- drops data: the history of changes (undo and redo)
DROP TABLE changes;
