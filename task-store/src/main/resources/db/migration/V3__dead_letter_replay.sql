-- How often a task was taken out of the dead-letter queue by hand; it travels with the task into
-- tasks.dlq if it fails again, so a task that keeps coming back is visible as such.
ALTER TABLE tasks ADD COLUMN replay_count integer NOT NULL DEFAULT 0;

-- Audit of every replay request: who, when, which filter, how many.
CREATE TABLE dlq_replays (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    requested_at timestamptz NOT NULL DEFAULT now(),
    requested_by text        NOT NULL,
    filter       jsonb       NOT NULL,
    dry_run      boolean     NOT NULL,
    matched      integer     NOT NULL,
    replayed     integer     NOT NULL
);

-- Dead-letter listings and replays by filter.
CREATE INDEX tasks_dead_letter_idx ON tasks (type, finished_at) WHERE status = 'dead_letter';

CREATE OR REPLACE FUNCTION task_dead_letter_payload(t tasks)
    RETURNS jsonb
    LANGUAGE sql AS
$$
SELECT jsonb_build_object(
        'taskId', t.id,
        'type', t.type,
        'payload', t.payload,
        'attempts', t.retry_count + 1,
        'maxRetries', t.max_retries,
        'replayCount', t.replay_count,
        'lastError', t.last_error,
        'lastWorkerId', t.worker_id,
        'createdAt', t.created_at,
        'deadLetteredAt', now(),
        'version', nextval('task_event_version'));
$$;
