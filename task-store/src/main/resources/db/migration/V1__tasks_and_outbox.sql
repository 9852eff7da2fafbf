-- The system of record for every task. Column and status names are the ones the operators'
-- runbook uses in its SQL, so those procedures keep working verbatim.
CREATE TABLE tasks (
    id                  uuid        PRIMARY KEY,
    type                text        NOT NULL,
    payload             jsonb       NOT NULL DEFAULT '{}'::jsonb,
    status              text        NOT NULL,
    run_at              timestamptz NOT NULL,
    retry_count         integer     NOT NULL DEFAULT 0,
    max_retries         integer     NOT NULL DEFAULT 3,
    worker_id           text,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    started_at          timestamptz,
    finished_at         timestamptz,
    last_error          text,
    result              jsonb,
    idempotency_key     text,
    request_fingerprint text,
    CONSTRAINT tasks_status_check
        CHECK (status IN ('pending', 'running', 'succeeded', 'dead_letter', 'cancelled')),
    CONSTRAINT tasks_retry_count_check CHECK (retry_count >= 0),
    CONSTRAINT tasks_max_retries_check CHECK (max_retries >= 0),
    CONSTRAINT tasks_type_check CHECK (length(type) BETWEEN 1 AND 100)
);

-- Idempotent submission: one task per key, over REST and the submission topic alike.
CREATE UNIQUE INDEX tasks_idempotency_key_uq ON tasks (idempotency_key) WHERE idempotency_key IS NOT NULL;
-- Runbook queries: "status = 'dead_letter'", "status = 'running' AND updated_at < ...".
CREATE INDEX tasks_status_updated_at_idx ON tasks (status, updated_at);
-- Listing newest first.
CREATE INDEX tasks_created_at_idx ON tasks (created_at DESC);

-- Transactional outbox in the shape Debezium's outbox EventRouter reads. Rows are deleted in the
-- same transaction that inserts them: the relay reads the INSERT from the WAL, so the table
-- itself never grows.
CREATE TABLE outbox (
    id            uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    destination   text        NOT NULL,  -- Kafka topic the event is routed to
    aggregatetype text        NOT NULL,
    aggregateid   text        NOT NULL,  -- becomes the Kafka record key
    type          text        NOT NULL,  -- event type, copied to the eventType header
    payload       jsonb       NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT clock_timestamp()
);

-- Appends one event to the outbox and removes the row again: only the WAL carries it.
CREATE FUNCTION outbox_emit(p_destination text, p_aggregate_id text, p_type text, p_payload jsonb)
    RETURNS uuid
    LANGUAGE plpgsql AS
$$
DECLARE
    event_id uuid := gen_random_uuid();
BEGIN
    INSERT INTO outbox (id, destination, aggregatetype, aggregateid, type, payload)
    VALUES (event_id, p_destination, 'task', p_aggregate_id, p_type, p_payload);
    DELETE FROM outbox WHERE id = event_id;
    RETURN event_id;
END;
$$;

-- Orders the lifecycle events of a task. Updates of one row are serialised by its row lock, so a
-- later change always draws a larger number; the scheduler uses it to ignore a replayed, older
-- event instead of letting it replace a newer timer.
CREATE SEQUENCE task_event_version;

-- The value of a task.events record: what the scheduler needs to time and route the task.
CREATE FUNCTION task_event_payload(t tasks)
    RETURNS jsonb
    LANGUAGE sql AS
$$
SELECT jsonb_build_object(
        'taskId', t.id,
        'type', t.type,
        'attempt', t.retry_count,
        'runAt', (extract(epoch FROM t.run_at) * 1000)::bigint,
        'version', nextval('task_event_version'));
$$;

-- Every change that makes a task due (new task, retry, manual reset by an operator, moved run_at)
-- or cancels it is published from here, inside the changing transaction. Application code and the
-- runbook's hand-written SQL therefore reach the scheduler the same way, and no service writes
-- PostgreSQL and Kafka as two separate steps.
CREATE FUNCTION tasks_publish_lifecycle_event()
    RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    IF NEW.status = 'pending' AND (TG_OP = 'INSERT'
            OR OLD.status <> 'pending'
            OR OLD.run_at <> NEW.run_at
            OR OLD.retry_count <> NEW.retry_count) THEN
        PERFORM outbox_emit('task.events', NEW.id::text, 'TaskScheduled', task_event_payload(NEW));
    ELSIF TG_OP = 'UPDATE' AND NEW.status = 'cancelled' AND OLD.status <> 'cancelled' THEN
        PERFORM outbox_emit('task.events', NEW.id::text, 'TaskCancelled', task_event_payload(NEW));
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER tasks_lifecycle_events
    AFTER INSERT OR UPDATE ON tasks
    FOR EACH ROW EXECUTE FUNCTION tasks_publish_lifecycle_event();
