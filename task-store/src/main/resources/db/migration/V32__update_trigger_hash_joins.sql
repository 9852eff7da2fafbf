-- The update trigger joins the statement's old and new rows. PL/pgSQL plans each of its queries
-- once per database session, for the transition tables' size at that first call, and keeps the
-- plan. A worker session whose first outcome write was one row therefore joined old and new rows
-- with a nested loop for good: every later batch of n rows cost n² comparisons. 400 outcomes paid
-- 159,000 in the state-machine check alone, 30 ms instead of 0.4, and the attempt and event
-- queries as much again. With nested loops off for the trigger's own queries, the planner hashes
-- those joins whatever the first call's size; task_attempts is then read through its partial index
-- of open attempts, one pass for the whole statement. The setting holds inside the function only.
ALTER FUNCTION tasks_after_update() SET enable_nestloop = off;
-- A later CREATE OR REPLACE of the function drops this setting unless it says SET enable_nestloop = off too.
