-- Each attempt row is written once, when the attempt ends, instead of inserted at the claim and
-- updated at the outcome. That was two of the five row writes of a task's life, each with its index
-- entries, WAL and a dead row for vacuum; at 2,000 tasks/s the two statements took 0.21 of the
-- 0.72 ms of statement time per task. While a task runs, its attempt is its row in tasks, which
-- holds the attempt's worker, start, number and due time until the attempt ends. The view
-- all_task_attempts puts the two together for readers that want the running attempt too.

-- Open attempts of running tasks are the task rows from now on: the trigger writes their rows at the end.
DELETE FROM task_attempts a
 USING tasks t
 WHERE a.task_id = t.id AND a.finished_at IS NULL AND t.status = 'running';
DROP INDEX task_attempts_open_uq;

-- V30's update trigger, with the attempt written once.
CREATE OR REPLACE FUNCTION tasks_after_update()
    RETURNS trigger
    LANGUAGE plpgsql
    -- V32: hash joins whatever the size of the session's first statement.
    SET enable_nestloop = off AS
$$
DECLARE
    illegal record;
    chunk   record;
BEGIN
    -- The state machine (task_status_transitions), for the services and hand-written SQL alike.
    SELECT o.id, o.status AS from_status, n.status AS to_status INTO illegal
      FROM old_rows o JOIN new_rows n ON n.id = o.id
     WHERE n.status <> o.status
       AND NOT EXISTS (SELECT 1 FROM task_status_transitions t
                        WHERE t.from_status = o.status AND t.to_status = n.status);
    IF FOUND THEN
        RAISE EXCEPTION 'illegal task transition % -> % for task %', illegal.from_status, illegal.to_status,
            illegal.id USING ERRCODE = 'check_violation';
    END IF;

    -- Attempt history: one row per attempt, written when the attempt ends (the task leaves running).
    -- The running attempt is the task row itself: started_at, worker_id, retry_count and run_at are
    -- the attempt's until then (all_task_attempts shows both).
    INSERT INTO task_attempts (task_id, attempt, worker_id, started_at, due_at, finished_at, outcome, error)
    SELECT n.id, o.retry_count, o.worker_id, coalesce(o.started_at, o.updated_at), o.run_at, now(),
           CASE
               WHEN n.status = 'succeeded' THEN 'succeeded'
               -- Back to pending at the same attempt: handed back (shutdown) or reset by hand.
               WHEN n.status = 'pending' AND n.retry_count = o.retry_count THEN 'abandoned'
               ELSE 'failed'
           END,
           CASE WHEN n.status = 'succeeded' THEN NULL ELSE n.last_error END
      FROM old_rows o JOIN new_rows n ON n.id = o.id
     WHERE o.status = 'running' AND n.status <> 'running';

    -- Events: due again (retry, reset, replay, moved run_at), cancelled, dead-lettered.
    FOR chunk IN
        SELECT jsonb_agg(e.event) AS events
          FROM (SELECT CASE
                           WHEN n.status = 'pending' AND o.status = 'running' AND n.retry_count > o.retry_count
                               THEN task_event('tasks.retry', n.id::text, 'TaskScheduled', task_event_payload(n))
                           WHEN n.status = 'pending'
                               THEN task_event('task.events', n.id::text, 'TaskScheduled', task_event_payload(n))
                           WHEN n.status = 'cancelled'
                               THEN task_event('task.events', n.id::text, 'TaskCancelled', task_event_payload(n))
                           ELSE task_event('tasks.dlq', n.id::text, 'TaskDeadLettered', task_dead_letter_payload(n))
                       END AS event,
                       (row_number() OVER () - 1) / 1000 AS part
                  FROM old_rows o JOIN new_rows n ON n.id = o.id
                 WHERE (n.status = 'pending' AND (o.status <> 'pending' OR o.run_at <> n.run_at
                                                  OR o.retry_count <> n.retry_count))
                    OR (n.status = 'cancelled' AND o.status <> 'cancelled')
                    OR (n.status = 'dead_letter' AND o.status <> 'dead_letter')) e
         GROUP BY e.part
    LOOP
        PERFORM emit_events(chunk.events);
    END LOOP;
    RETURN NULL;
END;
$$;

CREATE VIEW all_task_attempts AS
SELECT task_id, attempt, worker_id, started_at, due_at, finished_at, outcome, error
  FROM task_attempts
 UNION ALL
SELECT id, retry_count, worker_id, coalesce(started_at, updated_at), run_at, NULL, 'running', NULL
  FROM tasks
 WHERE status = 'running';

-- The api-server shows a task's attempts, the running one included (V23's function, extended).
CREATE OR REPLACE FUNCTION grant_service_roles() RETURNS void
    LANGUAGE plpgsql AS
$$
BEGIN
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'ts_api_server') THEN
        GRANT USAGE ON SCHEMA public TO ts_api_server;
        GRANT SELECT, INSERT, UPDATE ON tasks TO ts_api_server;
        GRANT SELECT, INSERT, UPDATE, DELETE ON schedules TO ts_api_server;
        GRANT SELECT, INSERT, DELETE ON outbox TO ts_api_server;
        GRANT SELECT, INSERT, UPDATE ON task_attempts TO ts_api_server;
        GRANT SELECT ON all_task_attempts TO ts_api_server;
        GRANT SELECT ON task_status_transitions TO ts_api_server;
        GRANT SELECT, INSERT ON dlq_replays, audit_events TO ts_api_server;
        GRANT SELECT, INSERT, UPDATE ON api_keys TO ts_api_server;
        -- Live workers, for operators.
        GRANT SELECT ON worker_heartbeats TO ts_api_server;
        GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ts_api_server;
    END IF;
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'ts_worker') THEN
        GRANT USAGE ON SCHEMA public TO ts_worker;
        GRANT SELECT, UPDATE ON tasks TO ts_worker;
        GRANT SELECT, INSERT, DELETE ON outbox TO ts_worker;
        GRANT SELECT, INSERT, UPDATE ON task_attempts TO ts_worker;
        GRANT SELECT ON all_task_attempts TO ts_worker;
        GRANT SELECT ON task_status_transitions TO ts_worker;
        GRANT SELECT, INSERT, UPDATE, DELETE ON worker_heartbeats TO ts_worker;
        GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ts_worker;
    END IF;
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'ts_outbox_relay') THEN
        GRANT USAGE ON SCHEMA public TO ts_outbox_relay;
        GRANT SELECT ON outbox TO ts_outbox_relay;
    END IF;
END;
$$;

SELECT grant_service_roles();
