-- Per-task execution policy, stored with the task so every worker applies the same one.
ALTER TABLE tasks
    ADD COLUMN timeout_ms         bigint           NOT NULL DEFAULT 300000,
    ADD COLUMN backoff_initial_ms bigint           NOT NULL DEFAULT 1000,
    ADD COLUMN backoff_multiplier double precision NOT NULL DEFAULT 2.0,
    ADD COLUMN backoff_max_ms     bigint           NOT NULL DEFAULT 300000,
    ADD CONSTRAINT tasks_timeout_check CHECK (timeout_ms > 0),
    ADD CONSTRAINT tasks_backoff_check
        CHECK (backoff_initial_ms >= 0 AND backoff_multiplier >= 1 AND backoff_max_ms >= backoff_initial_ms);

-- One row per execution attempt, written by triggers so that every path (workers, rescues, the
-- runbook's hand-written SQL) leaves the same history.
CREATE TABLE task_attempts (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    task_id     uuid        NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    attempt     integer     NOT NULL,  -- tasks.retry_count when it started
    worker_id   text,
    started_at  timestamptz NOT NULL,
    finished_at timestamptz,
    outcome     text        NOT NULL DEFAULT 'running',
    error       text,
    CONSTRAINT task_attempts_outcome_check
        CHECK (outcome IN ('running', 'succeeded', 'failed', 'abandoned'))
);
CREATE INDEX task_attempts_task_idx ON task_attempts (task_id, started_at);
-- At most one open attempt per task.
CREATE UNIQUE INDEX task_attempts_open_uq ON task_attempts (task_id) WHERE finished_at IS NULL;

-- The task state machine. TaskLifecycle in task-model lists the same pairs (a test keeps the two
-- equal); here it also guards hand-written SQL.
CREATE TABLE task_status_transitions (
    from_status text NOT NULL,
    to_status   text NOT NULL,
    PRIMARY KEY (from_status, to_status)
);
INSERT INTO task_status_transitions (from_status, to_status) VALUES
    ('pending', 'running'),
    ('pending', 'cancelled'),
    ('pending', 'dead_letter'),
    ('running', 'succeeded'),
    ('running', 'pending'),
    ('running', 'dead_letter'),
    ('dead_letter', 'pending');

CREATE FUNCTION tasks_refuse_illegal_transition()
    RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    IF NEW.status <> OLD.status AND NOT EXISTS (
            SELECT 1 FROM task_status_transitions
             WHERE from_status = OLD.status AND to_status = NEW.status) THEN
        RAISE EXCEPTION 'illegal task transition % -> % for task %', OLD.status, NEW.status, OLD.id
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER tasks_state_machine
    BEFORE UPDATE OF status ON tasks
    FOR EACH ROW EXECUTE FUNCTION tasks_refuse_illegal_transition();

CREATE FUNCTION tasks_record_attempt()
    RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    IF NEW.status = 'running' AND OLD.status <> 'running' THEN
        INSERT INTO task_attempts (task_id, attempt, worker_id, started_at)
        VALUES (NEW.id, NEW.retry_count, NEW.worker_id, coalesce(NEW.started_at, now()));
    ELSIF OLD.status = 'running' AND NEW.status <> 'running' THEN
        UPDATE task_attempts
           SET finished_at = now(),
               error = CASE WHEN NEW.status = 'succeeded' THEN NULL ELSE NEW.last_error END,
               outcome = CASE
                   WHEN NEW.status = 'succeeded' THEN 'succeeded'
                   -- Back to pending at the same attempt: handed back (shutdown) or reset by hand.
                   WHEN NEW.status = 'pending' AND NEW.retry_count = OLD.retry_count THEN 'abandoned'
                   ELSE 'failed'
               END
         WHERE task_id = NEW.id AND finished_at IS NULL;
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER tasks_attempt_history
    AFTER UPDATE OF status ON tasks
    FOR EACH ROW EXECUTE FUNCTION tasks_record_attempt();

-- The record a dead-lettered task leaves on tasks.dlq: enough to understand and replay it even if
-- its row is gone by then.
CREATE FUNCTION task_dead_letter_payload(t tasks)
    RETURNS jsonb
    LANGUAGE sql AS
$$
SELECT jsonb_build_object(
        'taskId', t.id,
        'type', t.type,
        'payload', t.payload,
        'attempts', t.retry_count + 1,
        'maxRetries', t.max_retries,
        'lastError', t.last_error,
        'lastWorkerId', t.worker_id,
        'createdAt', t.created_at,
        'deadLetteredAt', now(),
        'version', nextval('task_event_version'));
$$;

-- Replaces V1's publisher: retries travel on tasks.retry, dead letters on tasks.dlq, everything
-- else that makes a task due or cancels it on task.events.
CREATE OR REPLACE FUNCTION tasks_publish_lifecycle_event()
    RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    IF NEW.status = 'pending' AND (TG_OP = 'INSERT'
            OR OLD.status <> 'pending'
            OR OLD.run_at <> NEW.run_at
            OR OLD.retry_count <> NEW.retry_count) THEN
        IF TG_OP = 'UPDATE' AND OLD.status = 'running' AND NEW.retry_count > OLD.retry_count THEN
            PERFORM outbox_emit('tasks.retry', NEW.id::text, 'TaskScheduled', task_event_payload(NEW));
        ELSE
            PERFORM outbox_emit('task.events', NEW.id::text, 'TaskScheduled', task_event_payload(NEW));
        END IF;
    ELSIF TG_OP = 'UPDATE' AND NEW.status = 'cancelled' AND OLD.status <> 'cancelled' THEN
        PERFORM outbox_emit('task.events', NEW.id::text, 'TaskCancelled', task_event_payload(NEW));
    ELSIF TG_OP = 'UPDATE' AND NEW.status = 'dead_letter' AND OLD.status <> 'dead_letter' THEN
        PERFORM outbox_emit('tasks.dlq', NEW.id::text, 'TaskDeadLettered', task_dead_letter_payload(NEW));
    END IF;
    RETURN NULL;
END;
$$;

-- Finds running tasks by worker (dead-worker rescue, lease refresh).
CREATE INDEX tasks_running_worker_idx ON tasks (worker_id) WHERE status = 'running';
