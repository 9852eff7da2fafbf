#!/usr/bin/env bash
# Usage: after-restore.sh [--slot NAME] [--wait DURATION]
#
# Brings a restored database back into the system, after pitr-restore.sh (a point in time) or
# db-restore.sh (a dump). Run it with the restored server up and the outbox relay started on it,
# before the api-server takes tasks again (the scheduler and workers may already run):
#
#   1. refuses while the server still recovers (replays WAL) or is a standby;
#   2. waits until the relay's replication slot exists: the relay creates it when it starts, and
#      only events written after that reach Kafka;
#   3. in one transaction:
#      - moves the event version sequence a trillion past its value, beyond any version the lost
#        history after the restore point may have used, so that the scheduler takes the events
#        below as newer than the timers it still holds from that history;
#      - publishes every pending task again (run_at + 1 ms, which the tasks trigger turns into a
#        fresh TaskScheduled event): the restored rows were relayed from the old cluster's WAL,
#        if at all, and the scheduler may hold other timers for them;
#      - sets every running task back to pending (worker_id NULL): the workers that ran them belong
#        to the lost history; the attempt is recorded as abandoned and the trigger schedules the
#        task again at the same attempt;
#      - publishes every recurring schedule again;
#   4. prints the tasks per status.
#
# Tasks accepted after the restore point are gone; tasks the lost history ran after it run again.
#
# Options:
#   --slot NAME      the relay's replication slot (default task_outbox_slot, scheduler.relay.slot-name)
#   --wait DURATION  how long to wait for the slot: 5m (default), 90s, 0 not at all, or ISO 8601
#   -h, --help       this text
#
# Connection: PGHOST, PGPORT, PGUSER (taskuser), PGPASSWORD, PGDATABASE (taskdb), or DATABASE_URL.
# Exit codes: 0 done, 1 failed (nothing changed), 2 bad command line, 3 psql missing,
#             4 refused: the server is in recovery, or the slot did not appear in time.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"

slot=task_outbox_slot
wait_for="5 minutes"
while (($#)); do
  case $1 in
    --slot)
      require_value "$1" $#
      [[ $2 =~ ^[a-z0-9_]{1,63}$ ]] || usage_error "'$2' is not a replication slot name"
      slot=$2
      shift 2
      ;;
    --wait) require_value "$1" $#; wait_for=$(pg_interval "$2"); shift 2 ;;
    -h | --help) usage; exit 0 ;;
    *) usage_error "unknown argument '$1'" ;;
  esac
done

pg_settings
in_recovery=$(run_psql -At <<<"SELECT pg_is_in_recovery()")
[[ $in_recovery == f ]] || die "$EXIT_REFUSED" "$(pg_target) is in recovery (replaying WAL, or a standby);" \
  "wait until it has promoted itself (pg_is_in_recovery() false)"

wait_seconds=$(run_psql -At -v wait_for="$wait_for" <<<"SELECT extract(epoch FROM :'wait_for'::interval)::bigint")
deadline=$((SECONDS + wait_seconds))
note "waiting up to $wait_for for the outbox relay to create slot $slot on $(pg_target)"
until [[ $(run_psql -At -v slot="$slot" <<<"SELECT count(*) FROM pg_replication_slots WHERE slot_name = :'slot'") == 1 ]]; do
  ((SECONDS < deadline)) || die "$EXIT_REFUSED" "slot $slot does not exist: start the outbox relay on this database" \
    "first (events written before its slot exists are never relayed)"
  sleep 1
done

note "publishing pending tasks and schedules again, resetting running tasks"
run_psql <<'SQL'
BEGIN;
SELECT setval('task_event_version', (SELECT last_value FROM task_event_version) + 1000000000000) AS event_version;
WITH republished AS (
  UPDATE tasks SET run_at = run_at + interval '1 millisecond' WHERE status = 'pending' RETURNING 1
) SELECT count(*) AS pending_published_again FROM republished;
WITH reset AS (
  UPDATE tasks SET status = 'pending', worker_id = NULL, updated_at = now() WHERE status = 'running' RETURNING 1
) SELECT count(*) AS running_reset_to_pending FROM reset;
WITH schedules_published AS (
  UPDATE schedules SET updated_at = updated_at RETURNING 1
) SELECT count(*) AS schedules_published_again FROM schedules_published;
COMMIT;
SELECT status, count(*) AS tasks FROM tasks GROUP BY status ORDER BY status;
SQL
note "done; start the api-server (and scheduler and workers, if not running), then take a full backup"
