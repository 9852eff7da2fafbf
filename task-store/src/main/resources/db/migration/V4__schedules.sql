-- Recurring schedules. Each firing becomes a normal task, submitted by the scheduler through
-- tasks.submissions with the idempotency key 'schedule:<id>:<fire time>', so a replay or a
-- failover of the scheduler cannot create the same instance twice.
CREATE TABLE schedules (
    id             uuid        PRIMARY KEY,
    name           text        NOT NULL,
    cron           text        NOT NULL,
    time_zone      text        NOT NULL,
    task_type      text        NOT NULL,
    task_payload   jsonb       NOT NULL DEFAULT '{}'::jsonb,
    max_retries    integer,
    misfire_policy text        NOT NULL DEFAULT 'skip',
    paused         boolean     NOT NULL DEFAULT false,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT schedules_name_uq UNIQUE (name),
    CONSTRAINT schedules_misfire_check CHECK (misfire_policy IN ('skip', 'run_once'))
);

CREATE FUNCTION schedules_publish_change()
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
            'maxRetries', NEW.max_retries,
            'misfirePolicy', NEW.misfire_policy,
            'paused', NEW.paused,
            'version', nextval('task_event_version')));
    RETURN NULL;
END;
$$;

CREATE TRIGGER schedules_changes
    AFTER INSERT OR UPDATE OR DELETE ON schedules
    FOR EACH ROW EXECUTE FUNCTION schedules_publish_change();
