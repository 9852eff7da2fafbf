-- The update trigger's check for illegal transitions ended in LIMIT 1. Planning for the first row,
-- PostgreSQL joined the statement's old and new rows with a nested loop, which, when no transition
-- is illegal (always, in practice), compares every old row with every new one: n² for a statement
-- of n rows. A batch of 500 outcomes paid 250,000 comparisons; the worker's lease refresh of 85,000
-- running tasks ran for minutes and held back the outcome writes queued behind its row locks.
-- Without the LIMIT the join is hashed and the cost grows with n. PL/pgSQL's SELECT INTO keeps the
-- first row it finds either way.

-- V28's update trigger, without the LIMIT.
CREATE OR REPLACE FUNCTION tasks_after_update()
    RETURNS trigger
    LANGUAGE plpgsql AS
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
    INSERT INTO task_attempts (task_id, attempt, worker_id, started_at, due_at)
    SELECT n.id, n.retry_count, n.worker_id, coalesce(n.started_at, now()), n.run_at
      FROM old_rows o JOIN new_rows n ON n.id = o.id
     WHERE n.status = 'running' AND o.status <> 'running';

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
