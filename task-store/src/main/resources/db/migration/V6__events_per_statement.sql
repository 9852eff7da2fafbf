-- Lifecycle events, attempt history and the state machine, once per statement instead of once per
-- row, so that a batch of tasks written by one statement costs one trigger call, and its events
-- reach the relay as one logical decoding message instead of an outbox insert and delete per task.
--
-- What stays the same: every change that makes a task due, cancels it or dead-letters it emits its
-- event in the changing transaction, whoever makes it (the services, or an operator's hand-written
-- UPDATE from the runbook); task_attempts keeps one row per attempt; illegal status changes are
-- refused. The outbox table is no longer written. It stays, empty, so that the relay's publication
-- remains valid and events an older version wrote into it are still relayed.

-- The due time as the events carry it and the worker's claim compares it: epoch milliseconds,
-- rounded up, so a timer never fires before the moment stored (which may hold microseconds).
CREATE FUNCTION task_due_millis(run_at timestamptz)
    RETURNS bigint
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
$$
SELECT ceil(extract(epoch FROM run_at) * 1000)::bigint;
$$;

-- One event for the relay: which topic, which record key, which event type, and its value.
CREATE FUNCTION task_event(p_topic text, p_key text, p_type text, p_payload jsonb)
    RETURNS jsonb
    LANGUAGE sql VOLATILE AS
$$
SELECT jsonb_build_object('id', gen_random_uuid(), 'topic', p_topic, 'key', p_key, 'type', p_type,
                          'payload', p_payload);
$$;

-- Hands a statement's events to the relay as one transactional logical decoding message: it is
-- decoded only if the transaction commits, and in commit order.
CREATE FUNCTION emit_events(p_events jsonb)
    RETURNS void
    LANGUAGE plpgsql AS
$$
BEGIN
    IF p_events IS NOT NULL AND jsonb_array_length(p_events) > 0 THEN
        PERFORM pg_logical_emit_message(true, 'task-scheduler-events', p_events::text);
    END IF;
END;
$$;

CREATE OR REPLACE FUNCTION task_event_payload(t tasks)
    RETURNS jsonb
    LANGUAGE sql AS
$$
SELECT jsonb_build_object(
        'taskId', t.id,
        'type', t.type,
        'attempt', t.retry_count,
        'runAt', task_due_millis(t.run_at),
        'version', nextval('task_event_version'),
        'priority', t.priority);
$$;

-- The row-level triggers of V1, V2 and V5 give way to the statement-level ones below.
DROP TRIGGER tasks_lifecycle_events ON tasks;
DROP TRIGGER tasks_state_machine ON tasks;
DROP TRIGGER tasks_attempt_history ON tasks;
DROP FUNCTION tasks_publish_lifecycle_event();
DROP FUNCTION tasks_refuse_illegal_transition();
DROP FUNCTION tasks_record_attempt();

-- New pending tasks are due: TaskScheduled on task.events.
CREATE FUNCTION tasks_after_insert()
    RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    PERFORM emit_events((
        SELECT jsonb_agg(task_event('task.events', n.id::text, 'TaskScheduled', task_event_payload(n)))
          FROM new_rows n
         WHERE n.status = 'pending'));
    RETURN NULL;
END;
$$;

CREATE TRIGGER tasks_after_insert
    AFTER INSERT ON tasks
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION tasks_after_insert();

CREATE FUNCTION tasks_after_update()
    RETURNS trigger
    LANGUAGE plpgsql AS
$$
DECLARE
    illegal record;
BEGIN
    -- The state machine (task_status_transitions), for the services and hand-written SQL alike.
    SELECT o.id, o.status AS from_status, n.status AS to_status INTO illegal
      FROM old_rows o JOIN new_rows n ON n.id = o.id
     WHERE n.status <> o.status
       AND NOT EXISTS (SELECT 1 FROM task_status_transitions t
                        WHERE t.from_status = o.status AND t.to_status = n.status)
     LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'illegal task transition % -> % for task %', illegal.from_status, illegal.to_status,
            illegal.id USING ERRCODE = 'check_violation';
    END IF;

    -- Attempt history: a row opens when a task starts running and closes when it leaves running.
    UPDATE task_attempts a
       SET finished_at = now(),
           error = CASE WHEN n.status = 'succeeded' THEN NULL ELSE n.last_error END,
           outcome = CASE
               WHEN n.status = 'succeeded' THEN 'succeeded'
               -- Back to pending at the same attempt: handed back (shutdown) or reset by hand.
               WHEN n.status = 'pending' AND n.retry_count = o.retry_count THEN 'abandoned'
               ELSE 'failed'
           END
      FROM old_rows o JOIN new_rows n ON n.id = o.id
     WHERE o.status = 'running' AND n.status <> 'running'
       AND a.task_id = n.id AND a.finished_at IS NULL;
    INSERT INTO task_attempts (task_id, attempt, worker_id, started_at)
    SELECT n.id, n.retry_count, n.worker_id, coalesce(n.started_at, now())
      FROM old_rows o JOIN new_rows n ON n.id = o.id
     WHERE n.status = 'running' AND o.status <> 'running';

    -- Events: due again (retry, reset, replay, moved run_at), cancelled, dead-lettered.
    PERFORM emit_events((
        SELECT jsonb_agg(CASE
                   WHEN n.status = 'pending' AND o.status = 'running' AND n.retry_count > o.retry_count
                       THEN task_event('tasks.retry', n.id::text, 'TaskScheduled', task_event_payload(n))
                   WHEN n.status = 'pending'
                       THEN task_event('task.events', n.id::text, 'TaskScheduled', task_event_payload(n))
                   WHEN n.status = 'cancelled'
                       THEN task_event('task.events', n.id::text, 'TaskCancelled', task_event_payload(n))
                   ELSE task_event('tasks.dlq', n.id::text, 'TaskDeadLettered', task_dead_letter_payload(n))
               END)
          FROM old_rows o JOIN new_rows n ON n.id = o.id
         WHERE (n.status = 'pending' AND (o.status <> 'pending' OR o.run_at <> n.run_at
                                          OR o.retry_count <> n.retry_count))
            OR (n.status = 'cancelled' AND o.status <> 'cancelled')
            OR (n.status = 'dead_letter' AND o.status <> 'dead_letter')));
    RETURN NULL;
END;
$$;

CREATE TRIGGER tasks_after_update
    AFTER UPDATE ON tasks
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION tasks_after_update();

-- Schedules change rarely, one row at a time; their events take the same way to the relay.
CREATE OR REPLACE FUNCTION schedules_publish_change()
    RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    IF TG_OP = 'DELETE' THEN
        PERFORM emit_events(jsonb_build_array(task_event('schedules.events', OLD.id::text, 'ScheduleDeleted',
                jsonb_build_object('scheduleId', OLD.id, 'version', nextval('task_event_version')))));
        RETURN NULL;
    END IF;
    PERFORM emit_events(jsonb_build_array(task_event('schedules.events', NEW.id::text, 'ScheduleUpserted',
            jsonb_build_object(
                'scheduleId', NEW.id,
                'cron', NEW.cron,
                'timeZone', NEW.time_zone,
                'taskType', NEW.task_type,
                'taskPayload', NEW.task_payload,
                'taskPriority', NEW.task_priority,
                'maxRetries', NEW.max_retries,
                'misfirePolicy', NEW.misfire_policy,
                'paused', NEW.paused,
                'version', nextval('task_event_version')))));
    RETURN NULL;
END;
$$;
