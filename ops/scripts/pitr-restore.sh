#!/usr/bin/env bash
# Usage: pitr-restore.sh --target-time TIME --pg-path DIR [--delta]
#
# Restores the PostgreSQL cluster as it was at TIME, with pgBackRest: the newest backup that
# finished before TIME, plus the archived WAL up to TIME. Transactions committed at or before TIME
# are kept, later ones are not. The server must be stopped. DIR must be empty or missing (a new
# data directory) unless --delta is given, which rewrites the stopped cluster in DIR in place,
# copying only what differs from the backup.
#
# The restore writes the recovery settings into DIR. When the server is started on DIR, it
# replays the archived WAL up to TIME, promotes itself and continues on a new timeline (whose WAL
# is archived like before). The restored cluster has no replication slot (backups never hold one).
#
# Then, with the server up, before the system takes work again:
#   1. start the outbox relay: it creates its slot, and drops its stored Kafka offsets since they
#      point into WAL the restored cluster never wrote (it logs that);
#   2. after-restore.sh: publishes the pending tasks again and resets the running ones;
#   3. start api-server, scheduler and worker;
#   4. pitr-backup.sh: a full backup of the new timeline.
#
# Options:
#   --target-time TIME  ISO 8601 with a zone, e.g. 2026-01-15T09:30:00Z or
#                       '2026-01-15 10:30:00.250+01:00'
#   --pg-path DIR       the data directory to restore into (deployed: /var/lib/postgresql/data)
#   --delta             restore over the existing cluster in DIR instead of into an empty one
#   -h, --help          this text
#
# Settings: pgBackRest's own: PGBACKREST_CONFIG (its configuration file), PGBACKREST_STANZA
#           (default taskdb) and any other PGBACKREST_<OPTION> variable.
# Exit codes: 0 restored (start the server next), 1 failed, 2 bad command line,
#             3 pgbackrest or its configuration missing, 4 refused: a server may run on DIR, DIR is
#             not empty (without --delta), or no backup finished before TIME.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"

target=""
pg_path=""
delta=false
while (($#)); do
  case $1 in
    --target-time) require_value "$1" $#; target=$2; shift 2 ;;
    --pg-path) require_value "$1" $#; pg_path=$2; shift 2 ;;
    --delta) delta=true; shift ;;
    -h | --help) usage; exit 0 ;;
    *) usage_error "unknown argument '$1'" ;;
  esac
done
[[ -n $target ]] || usage_error "--target-time TIME is required"
[[ -n $pg_path ]] || usage_error "--pg-path DIR is required"

# A time without a zone would be read in the server's zone: refuse the ambiguity. pgBackRest and
# PostgreSQL both read "YYYY-MM-DD HH:MM:SS[.fraction]+HH[:MM]".
time_pattern='^([0-9]{4}-[0-9]{2}-[0-9]{2})[T ]([0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,6})?)(Z|[+-][0-9]{2}(:?[0-9]{2})?)$'
[[ $target =~ $time_pattern ]] \
  || usage_error "'$target' is not a time with a zone: use e.g. 2026-01-15T09:30:00Z or '2026-01-15 10:30:00+01:00'"
day=${BASH_REMATCH[1]} clock=${BASH_REMATCH[2]} zone=${BASH_REMATCH[4]}
[[ $zone == Z ]] && zone=+00
[[ $zone =~ ^([+-][0-9]{2})([0-9]{2})$ ]] && zone="${BASH_REMATCH[1]}:${BASH_REMATCH[2]}"
date -d "$day ${clock%.*}" >/dev/null 2>&1 || usage_error "'$target' is not a valid date and time"
target_time="$day $clock$zone"

pgbackrest_settings

if [[ -e $pg_path/postmaster.pid ]]; then
  die "$EXIT_REFUSED" "$pg_path/postmaster.pid exists: stop the server first (a server that crashed leaves it" \
    "behind too; make sure none runs, then remove it)"
fi
if $delta; then
  [[ -d $pg_path ]] || die "$EXIT_REFUSED" "$pg_path does not exist; --delta restores over an existing cluster"
elif [[ -d $pg_path ]]; then
  [[ -z $(ls -A "$pg_path") ]] || die "$EXIT_REFUSED" "$pg_path is not empty: restore into an empty directory," \
    "or over this cluster with --delta"
else
  # PostgreSQL starts only on a data directory its owner alone may enter.
  (umask 077 && mkdir -p "$pg_path") || die "$EXIT_FAILED" "cannot create $pg_path"
fi
chmod 700 "$pg_path" || die "$EXIT_FAILED" "cannot set the permissions of $pg_path"

# Given on the command line, the stanza and the configuration file also go into the restore_command
# that pgBackRest writes for the server, which then finds the archive without these variables.
options=(--stanza="$PGBACKREST_STANZA" --pg1-path="$pg_path" --type=time --target="$target_time"
  --target-action=promote)
[[ -n ${PGBACKREST_CONFIG:-} ]] && options=(--config="$PGBACKREST_CONFIG" "${options[@]}")
$delta && options+=(--delta)
note "restoring stanza $PGBACKREST_STANZA as of $target_time into $pg_path"
if ! output=$(pgbackrest --log-level-console=info restore "${options[@]}" 2>&1); then
  printf '%s\n' "$output" >&2
  # [075]: pgBackRest found no backup whose stop time lies before the target.
  if [[ $output == *"[075]"* ]]; then
    die "$EXIT_REFUSED" "no backup of stanza $PGBACKREST_STANZA finished before $target_time; the earliest" \
      "time to restore to is just after the oldest backup's stop time (pgbackrest info)"
  fi
  die "$EXIT_FAILED" "pgbackrest restore failed for stanza $PGBACKREST_STANZA"
fi
printf '%s\n' "$output" >&2
note "restored; start the server on $pg_path (it replays the WAL up to $target_time and promotes itself)," \
  "then the outbox relay, then after-restore.sh (see --help)"
