DROP TABLE tasks;
DROP TABLE users;
DROP FUNCTION tasktui_notify();
