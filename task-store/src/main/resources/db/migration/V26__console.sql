-- What the operators' console reads.
--
-- Each worker reports, with every heartbeat, its handler pools (handlers and how many are busy, per
-- priority) and the shared limits it applies per task type: pool sizes and limits are the workers'
-- own settings, which no other service knows.
ALTER TABLE worker_heartbeats ADD COLUMN capacity jsonb;

-- Throughput and failures over the last hour: attempts by the minute they ended.
CREATE INDEX task_attempts_finished_idx ON task_attempts (finished_at) WHERE finished_at IS NOT NULL;
