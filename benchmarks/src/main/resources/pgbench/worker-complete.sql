-- The worker's two transactions for one seeded pending task: its claim (TaskRepository.claim) and
-- its completion (TaskRepository.markSucceeded), each committed on its own as the worker does.
-- Claimed rows do not pile up as 'running', as they do not in the system: a worker holds only as
-- many as it has threads.
\set k :k + 1
\set n :client_id * 10000000 + :k
UPDATE tasks
   SET status = 'running', worker_id = 'pgbench-' || :client_id, started_at = now(),
       finished_at = NULL, updated_at = now()
 WHERE id = lpad(to_hex(:n::bigint), 32, '0')::uuid AND status = 'pending' AND retry_count = 0
RETURNING id, type, payload::text AS payload, status, run_at, retry_count, max_retries, worker_id,
       created_at, updated_at, started_at, finished_at, last_error, result::text AS result,
       idempotency_key, request_fingerprint, timeout_ms, backoff_initial_ms, backoff_multiplier,
       backoff_max_ms, replay_count;
UPDATE tasks
   SET status = 'succeeded', result = '{}'::jsonb, last_error = NULL,
       finished_at = now(), updated_at = now()
 WHERE id = lpad(to_hex(:n::bigint), 32, '0')::uuid AND status = 'running' AND retry_count = 0
   AND worker_id = 'pgbench-' || :client_id
RETURNING id, type, payload::text AS payload, status, run_at, retry_count, max_retries, worker_id,
       created_at, updated_at, started_at, finished_at, last_error, result::text AS result,
       idempotency_key, request_fingerprint, timeout_ms, backoff_initial_ms, backoff_multiplier,
       backoff_max_ms, replay_count;
