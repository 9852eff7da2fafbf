#!/usr/bin/env bash
# Usage: stuck-tasks.sh list|reset [--older-than DURATION] [--csv]
#
# The runbook's recovery from worker node failures, for tasks left 'running' by a worker that is
# gone: status 'running' and updated_at older than DURATION (default 30 minutes). Live workers keep
# updated_at fresh while a task runs, so only stuck tasks match.
#
#   list    show the stuck tasks
#   reset   set them back to 'pending' with worker_id NULL (and updated_at now(), as the
#           api-server's reset does); the attempt is recorded as abandoned and the tasks trigger
#           schedules each task again at the same attempt. Prints the tasks it reset.
#
# Workers also rescue such tasks by themselves (heartbeats, lease); this is the manual procedure.
# `taskctl reset-stuck` does the same through the api-server.
#
# Options:
#   --older-than DURATION  30m (default), 2h, 90s, 1d, a number of minutes, or ISO 8601 (PT30M);
#                          0 matches every running task (after a restore from backup)
#   --csv                  CSV output with a header line, for other programs
#   -h, --help             this text
#
# Connection: PGHOST, PGPORT, PGUSER (taskuser), PGPASSWORD, PGDATABASE (taskdb), or DATABASE_URL.
# Exit codes: 0 done (also when nothing matched), 1 failed, 2 bad command line, 3 psql missing.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"

command=""
older_than="30 minutes"
format=()
while (($#)); do
  case $1 in
    list | reset) [[ -z $command ]] || usage_error "one command only"; command=$1; shift ;;
    --older-than) require_value "$1" $#; older_than=$(pg_interval "$2"); shift 2 ;;
    --csv) format=(--csv); shift ;;
    -h | --help) usage; exit 0 ;;
    *) usage_error "unknown argument '$1'" ;;
  esac
done
[[ -n $command ]] || usage_error "say list or reset"

pg_settings
if [[ $command == list ]]; then
  run_psql "${format[@]}" -v older_than="$older_than" <<'SQL'
SELECT id, type, worker_id, retry_count, updated_at, date_trunc('second', now() - updated_at) AS stuck_for
  FROM tasks
 WHERE status = 'running' AND updated_at < now() - :'older_than'::interval
 ORDER BY updated_at, id;
SQL
else
  note "resetting tasks running and not updated for $older_than on $(pg_target)"
  run_psql "${format[@]}" -v older_than="$older_than" <<'SQL'
UPDATE tasks SET status = 'pending', worker_id = NULL, updated_at = now()
 WHERE status = 'running' AND updated_at < now() - :'older_than'::interval
RETURNING id, type, retry_count;
SQL
fi
