#!/usr/bin/env bash
# Usage: dead-letters.sh list [--type T] [--limit N] [--csv]
#        dead-letters.sh retry (ID... | --all [--type T] [--limit N]) [--operator NAME] [--csv]
#
# The runbook's handling of failed tasks, straight on the database (works while the api-server is
# down; `taskctl dlq list|replay` is the same through the api-server, with pacing and dry runs).
#
#   list    dead-lettered tasks, most recently dead-lettered first, with their last error
#   retry   set the given dead letters (or all, or all of --type) back to 'pending' with
#           retry_count 0 and updated_at now(), as the runbook does; also worker_id NULL and
#           replay_count + 1, and one audit row in dlq_replays, as the api-server's replay does.
#           The tasks trigger schedules each task again, so it runs with its full retry budget.
#           Prints the tasks it retried. IDs that are not dead letters are named and skipped.
#
# Options:
#   --type T          only tasks of this type
#   --limit N         at most N tasks (list: default 20; retry --all: default no limit)
#   --all             retry: every dead letter (of --type, up to --limit); required without IDs
#   --operator NAME   retry: who asks, for the audit row (default: $USER)
#   --csv             CSV output with a header line, for other programs
#   -h, --help        this text
#
# Connection: PGHOST, PGPORT, PGUSER (taskuser), PGPASSWORD, PGDATABASE (taskdb), or DATABASE_URL.
# Exit codes: 0 done, 1 failed, 2 bad command line, 3 psql missing,
#             4 some given IDs were not retried (not found, or not dead letters).
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"

uuid='^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$'
command=""
type=""
limit=""
all=false
operator=${USER:-$(id -un)}
format=()
ids=()
while (($#)); do
  case $1 in
    list | retry) [[ -z $command ]] || usage_error "one command only"; command=$1; shift ;;
    --type) require_value "$1" $#; type=$2; shift 2 ;;
    --limit)
      require_value "$1" $#
      [[ $2 =~ ^[1-9][0-9]*$ ]] || usage_error "--limit needs a positive number, not '$2'"
      limit=$2; shift 2 ;;
    --all) all=true; shift ;;
    --operator) require_value "$1" $#; operator=$2; shift 2 ;;
    --csv) format=(--csv); shift ;;
    -h | --help) usage; exit 0 ;;
    -*) usage_error "unknown option '$1'" ;;
    *)
      [[ -n $command ]] || usage_error "say list or retry first"
      [[ $1 =~ $uuid ]] || usage_error "'$1' is not a task id"
      ids+=("${1,,}"); shift ;;
  esac
done
[[ -n $command ]] || usage_error "say list or retry"
if [[ $command == list ]]; then
  if ((${#ids[@]})) || $all; then usage_error "list takes no IDs and no --all"; fi
elif ((${#ids[@]})); then
  if $all || [[ -n $type || -n $limit ]]; then usage_error "give IDs, or --all with --type/--limit, not both"; fi
elif ! $all; then
  usage_error "retry needs task IDs, or --all to retry every dead letter"
fi

pg_settings
if [[ $command == list ]]; then
  run_psql "${format[@]}" -v type="$type" -v limit="${limit:-20}" <<'SQL'
SELECT id, type, retry_count, max_retries, replay_count, finished_at AS dead_lettered_at,
       left(last_error, 120) AS last_error
  FROM tasks
 WHERE status = 'dead_letter' AND (:'type' = '' OR type = :'type')
 ORDER BY finished_at DESC NULLS LAST, id
 LIMIT :'limit'::int;
SQL
  exit 0
fi

id_list=$(IFS=,; echo "${ids[*]}")
retried=$(run_psql --csv -t -v ids="$id_list" -v type="$type" -v limit="${limit:-0}" \
  -v operator="$operator" <<'SQL'
WITH chosen AS (
    SELECT id FROM tasks
     WHERE status = 'dead_letter'
       AND (:'ids' = '' OR id = ANY (string_to_array(:'ids', ',')::uuid[]))
       AND (:'type' = '' OR type = :'type')
     ORDER BY finished_at, id
     LIMIT nullif(:'limit'::int, 0)
       FOR UPDATE),
retried AS (
    UPDATE tasks t
       SET status = 'pending', retry_count = 0, updated_at = now(),
           worker_id = NULL, replay_count = t.replay_count + 1
      FROM chosen WHERE t.id = chosen.id
    RETURNING t.id, t.type),
audit AS (
    INSERT INTO dlq_replays (requested_by, filter, dry_run, matched, replayed)
    SELECT :'operator',
           jsonb_build_object('taskIds', string_to_array(nullif(:'ids', ''), ','),
                              'type', nullif(:'type', ''), 'limit', nullif(:'limit'::int, 0),
                              'source', 'ops/scripts/dead-letters.sh'),
           false, count(*), count(*)
      FROM retried)
SELECT id, type FROM retried ORDER BY id;
SQL
)
if ((${#format[@]})); then
  echo "id,type"
  [[ -z $retried ]] || echo "$retried"
else
  echo "retried $(grep -c . <<<"$retried" || true) task(s):"
  [[ -z $retried ]] || echo "${retried//,/  }"
fi

missing=()
for id in "${ids[@]}"; do
  grep -q "^$id," <<<"$retried" || missing+=("$id")
done
if ((${#missing[@]})); then
  die "$EXIT_REFUSED" "not retried (no such task, or not a dead letter): ${missing[*]}"
fi
