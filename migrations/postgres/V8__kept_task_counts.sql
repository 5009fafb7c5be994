-- PostgreSQL twin of V8: how many tasks each assignee has, by state and due date, kept as
-- tasks change (as on SQLite), so that the Users pane and the list's count read a row per
-- assignee, state and due date, never every task. 0 stands for no assignee and '' for no due
-- date. Statement triggers see each statement's rows at once (an import's thousands in one
-- update) and change the counts in key order, so that two writers never wait on each other in
-- a circle.
CREATE TABLE task_counts (
    assignee bigint NOT NULL,
    done     int    NOT NULL CHECK (done IN (0, 1)),
    due      text   COLLATE "C" NOT NULL,
    n        bigint NOT NULL,
    PRIMARY KEY (assignee, done, due)
);
INSERT INTO task_counts (assignee, done, due, n)
SELECT coalesce(assignee_id, 0), (status = 'done')::int, coalesce(due_date, ''), count(*)
FROM tasks GROUP BY 1, 2, 3;

CREATE FUNCTION tasktui_count_tasks() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- A write that moves no task between counts (a new title, say) touches none.
    IF TG_OP = 'INSERT' THEN
        INSERT INTO task_counts AS c (assignee, done, due, n)
        SELECT coalesce(assignee_id, 0), (status = 'done')::int, coalesce(due_date, ''), count(*)
        FROM added GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
        ON CONFLICT (assignee, done, due) DO UPDATE SET n = c.n + excluded.n;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO task_counts AS c (assignee, done, due, n)
        SELECT coalesce(assignee_id, 0), (status = 'done')::int, coalesce(due_date, ''), -count(*)
        FROM removed GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
        ON CONFLICT (assignee, done, due) DO UPDATE SET n = c.n + excluded.n;
    ELSIF TG_OP = 'UPDATE' THEN
        INSERT INTO task_counts AS c (assignee, done, due, n)
        SELECT assignee, done, due, sum(n) FROM (
            SELECT coalesce(assignee_id, 0) AS assignee, (status = 'done')::int AS done,
                   coalesce(due_date, '') AS due, 1 AS n FROM added
            UNION ALL
            SELECT coalesce(assignee_id, 0), (status = 'done')::int, coalesce(due_date, ''), -1
            FROM removed
        ) x GROUP BY 1, 2, 3 HAVING sum(n) <> 0 ORDER BY 1, 2, 3
        ON CONFLICT (assignee, done, due) DO UPDATE SET n = c.n + excluded.n;
    ELSE
        DELETE FROM task_counts;
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER tasks_count_insert AFTER INSERT ON tasks
    REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION tasktui_count_tasks();
CREATE TRIGGER tasks_count_update AFTER UPDATE ON tasks
    REFERENCING OLD TABLE AS removed NEW TABLE AS added
    FOR EACH STATEMENT EXECUTE FUNCTION tasktui_count_tasks();
CREATE TRIGGER tasks_count_delete AFTER DELETE ON tasks
    REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION tasktui_count_tasks();
CREATE TRIGGER tasks_count_truncate AFTER TRUNCATE ON tasks
    FOR EACH STATEMENT EXECUTE FUNCTION tasktui_count_tasks();
