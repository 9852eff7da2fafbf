-- worker-complete.sql for 100 seeded pending tasks: one claim statement and one completion
-- statement, each committed on its own, as a batched worker would write them.
\set k :k + 100
\set n :client_id * 10000000 + :k
UPDATE tasks t
   SET status = 'running', worker_id = 'pgbench-' || :client_id, started_at = now(),
       finished_at = NULL, updated_at = now()
  FROM (SELECT lpad(to_hex(:n::bigint - g), 32, '0')::uuid AS id, 0 AS attempt
          FROM generate_series(0, 99) g) c
 WHERE t.id = c.id AND t.status = 'pending' AND t.retry_count = c.attempt
RETURNING t.id, t.type, t.payload::text AS payload, t.status, t.run_at, t.retry_count, t.max_retries, t.worker_id,
       t.created_at, t.updated_at, t.started_at, t.finished_at, t.last_error, t.result::text AS result,
       t.idempotency_key, t.request_fingerprint, t.timeout_ms, t.backoff_initial_ms, t.backoff_multiplier,
       t.backoff_max_ms, t.replay_count;
UPDATE tasks t
   SET status = 'succeeded', result = '{}'::jsonb, last_error = NULL,
       finished_at = now(), updated_at = now()
  FROM (SELECT lpad(to_hex(:n::bigint - g), 32, '0')::uuid AS id, 0 AS attempt
          FROM generate_series(0, 99) g) c
 WHERE t.id = c.id AND t.status = 'running' AND t.retry_count = c.attempt
   AND t.worker_id = 'pgbench-' || :client_id
RETURNING t.id, t.type, t.payload::text AS payload, t.status, t.run_at, t.retry_count, t.max_retries, t.worker_id,
       t.created_at, t.updated_at, t.started_at, t.finished_at, t.last_error, t.result::text AS result,
       t.idempotency_key, t.request_fingerprint, t.timeout_ms, t.backoff_initial_ms, t.backoff_multiplier,
       t.backoff_max_ms, t.replay_count;
