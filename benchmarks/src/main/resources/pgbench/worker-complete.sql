-- The worker's completion (TaskRepository.markSucceeded) of a task it claimed in worker-claim.sql.
\set k :k + 1
\set n :client_id * 10000000 + :k
UPDATE tasks
   SET status = 'succeeded', result = '{}'::jsonb, last_error = NULL,
       finished_at = now(), updated_at = now()
 WHERE id = lpad(to_hex(:n::bigint), 32, '0')::uuid AND status = 'running' AND retry_count = 0 AND worker_id = 'pgbench'
RETURNING id, type, payload::text AS payload, status, run_at, retry_count, max_retries, worker_id,
       created_at, updated_at, started_at, finished_at, last_error, result::text AS result,
       idempotency_key, request_fingerprint, timeout_ms, backoff_initial_ms, backoff_multiplier,
       backoff_max_ms, replay_count;
