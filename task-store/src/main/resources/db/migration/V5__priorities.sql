-- Task priorities. Each priority of a pool has its own ready topic (tasks.ready.<pool>.high,
-- tasks.ready.<pool>, tasks.ready.<pool>.low) and its own worker threads, so a flood of one
-- priority cannot hold back another. Existing rows and omitted fields are 'normal'; adding a
-- column with a constant default does not rewrite the table.
ALTER TABLE tasks
    ADD COLUMN priority text NOT NULL DEFAULT 'normal',
    ADD CONSTRAINT tasks_priority_check CHECK (priority IN ('high', 'normal', 'low'));

ALTER TABLE schedules
    ADD COLUMN task_priority text NOT NULL DEFAULT 'normal',
    ADD CONSTRAINT schedules_task_priority_check CHECK (task_priority IN ('high', 'normal', 'low'));

-- The scheduler routes by priority, so the lifecycle events carry it.
CREATE OR REPLACE FUNCTION task_event_payload(t tasks)
    RETURNS jsonb
    LANGUAGE sql AS
$$
SELECT jsonb_build_object(
        'taskId', t.id,
        'type', t.type,
        'attempt', t.retry_count,
        'runAt', (extract(epoch FROM t.run_at) * 1000)::bigint,
        'version', nextval('task_event_version'),
        'priority', t.priority);
$$;

-- A task replayed from the tasks.dlq topic keeps its priority.
CREATE OR REPLACE FUNCTION task_dead_letter_payload(t tasks)
    RETURNS jsonb
    LANGUAGE sql AS
$$
SELECT jsonb_build_object(
        'taskId', t.id,
        'type', t.type,
        'payload', t.payload,
        'priority', t.priority,
        'attempts', t.retry_count + 1,
        'maxRetries', t.max_retries,
        'replayCount', t.replay_count,
        'lastError', t.last_error,
        'lastWorkerId', t.worker_id,
        'createdAt', t.created_at,
        'deadLetteredAt', now(),
        'version', nextval('task_event_version'));
$$;

-- Recurring schedules fire their instances with the template's priority.
CREATE OR REPLACE FUNCTION schedules_publish_change()
    RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    IF TG_OP = 'DELETE' THEN
        PERFORM outbox_emit('schedules.events', OLD.id::text, 'ScheduleDeleted', jsonb_build_object(
                'scheduleId', OLD.id, 'version', nextval('task_event_version')));
        RETURN NULL;
    END IF;
    PERFORM outbox_emit('schedules.events', NEW.id::text, 'ScheduleUpserted', jsonb_build_object(
            'scheduleId', NEW.id,
            'cron', NEW.cron,
            'timeZone', NEW.time_zone,
            'taskType', NEW.task_type,
            'taskPayload', NEW.task_payload,
            'taskPriority', NEW.task_priority,
            'maxRetries', NEW.max_retries,
            'misfirePolicy', NEW.misfire_policy,
            'paused', NEW.paused,
            'version', nextval('task_event_version')));
    RETURN NULL;
END;
$$;
