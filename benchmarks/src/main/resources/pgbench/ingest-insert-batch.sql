-- ingest-insert.sql for 100 tasks in one statement and one transaction: what a batched ingest (a
-- group commit of many submissions) writes. The outbox trigger still fires once per row.
INSERT INTO tasks (id, type, payload, status, run_at, max_retries,
                   idempotency_key, request_fingerprint, timeout_ms,
                   backoff_initial_ms, backoff_multiplier, backoff_max_ms)
SELECT gen_random_uuid(), 'noop', '{"n": 1}'::jsonb, 'pending', now(), 3,
       NULL, '5f2b1c0e8a3d4b6f9e7c1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d', 300000,
       1000, 2.0, 300000
  FROM generate_series(1, 100) g
ON CONFLICT DO NOTHING
RETURNING id, type, payload::text AS payload, status, run_at, retry_count, max_retries, worker_id,
       created_at, updated_at, started_at, finished_at, last_error, result::text AS result,
       idempotency_key, request_fingerprint, timeout_ms, backoff_initial_ms, backoff_multiplier,
       backoff_max_ms, replay_count;
