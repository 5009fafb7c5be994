-- drops data: every user and every task
DROP TABLE tasks;
DROP TABLE users;
DROP FUNCTION tasktui_notify();
