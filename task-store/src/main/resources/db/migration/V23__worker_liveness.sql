-- Worker liveness kept in PostgreSQL. Each worker stamps its row every heartbeat with the
-- database's clock; a worker is taken for dead only when its row has gone stale AND its Redis key
-- is gone. Redis restarted, flushed or unreachable therefore no longer makes live workers look
-- dead (their tasks would run twice), and a clock jump on a worker's host changes nothing.
CREATE TABLE worker_heartbeats (
    worker_id  text        PRIMARY KEY,
    started_at timestamptz NOT NULL DEFAULT now(),
    seen_at    timestamptz NOT NULL DEFAULT now()
);

-- The safety net for a release lost on any path: pending tasks long overdue and untouched for as
-- long get their TaskScheduled event again. Duplicates are harmless (the claim is fenced); the
-- updated_at stamp keeps concurrent sweeps and the next sweep from publishing them again at once.
CREATE FUNCTION republish_overdue(p_age interval, p_limit integer)
    RETURNS integer
    LANGUAGE plpgsql AS
$$
DECLARE
    events      jsonb;
    republished integer;
BEGIN
    WITH overdue AS (
        SELECT id FROM tasks
         WHERE status = 'pending' AND run_at < now() - p_age AND updated_at < now() - p_age
         ORDER BY run_at
         LIMIT p_limit
           FOR UPDATE SKIP LOCKED
    ), touched AS (
        UPDATE tasks t SET updated_at = now() FROM overdue o WHERE t.id = o.id RETURNING t AS task
    )
    SELECT count(*), jsonb_agg(task_event('task.events', (task).id::text, 'TaskScheduled', task_event_payload(task)))
      INTO republished, events
      FROM touched;
    PERFORM emit_events(events);
    RETURN republished;
END;
$$;

-- The services' roles get what the new table and function need (V22's function, extended).
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

-- The overdue sweep's range scan: pending tasks by due time, so it reads only what is overdue,
-- however many tasks wait for the future.
CREATE INDEX tasks_pending_run_at_idx ON tasks (run_at) WHERE status = 'pending';
