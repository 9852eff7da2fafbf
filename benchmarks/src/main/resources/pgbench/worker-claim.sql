-- The worker's claim (TaskRepository.claim) of one seeded pending task. Each client walks its own
-- rows (k persists between a client's transactions), so every claim finds its row. The claimed
-- rows stay 'running' here; the completion is measured with its claim (worker-complete.sql).
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
