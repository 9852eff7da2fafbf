#!/usr/bin/env bash
# Usage: pitr-backup.sh [--type full|diff|incr] [--if-older-than DURATION]
#
# A physical backup of the PostgreSQL cluster with pgBackRest, into the repository that receives
# its archived WAL. Together they are what pitr-restore.sh restores to any point in time after the
# backup finished. The first run on a new repository (or a new cluster) creates pgBackRest's
# stanza; later runs find it in place. Prints the repository's backups when done.
#
# Runs where pgBackRest reaches the data directory: in the postgres pod's pgbackrest container
# (where the daily CronJob runs it), or on this machine for the dev launcher's --wal-archive.
# The server must be running and archiving (archive_mode on, archive_command pgbackrest).
#
# Options:
#   --type TYPE  full (default): every file; diff: what changed since the last full backup;
#                incr: what changed since the last backup of any type
#   --if-older-than DURATION
#                only if the newest full backup finished longer ago than DURATION (24h, 90m,
#                1d, 3600s), or there is none; the backup container uses it when it starts, to
#                make up for a daily backup it missed
#   -h, --help   this text
#
# Settings: pgBackRest's own: PGBACKREST_CONFIG (its configuration file), PGBACKREST_STANZA
#           (default taskdb) and any other PGBACKREST_<OPTION> variable.
# Exit codes: 0 backed up, 1 failed (pgBackRest says why), 2 bad command line,
#             3 pgbackrest or its configuration missing.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"

type=full
max_age=""
max_age_text=""
while (($#)); do
  case $1 in
    --type)
      require_value "$1" $#
      [[ $2 =~ ^(full|diff|incr)$ ]] || usage_error "--type is full, diff or incr, not '$2'"
      type=$2
      shift 2
      ;;
    --if-older-than)
      require_value "$1" $#
      [[ $2 =~ ^([0-9]+)([smhd])$ ]] || usage_error "'$2' is not a duration: use e.g. 24h, 90m, 1d or 3600s"
      max_age_text=$2
      case ${BASH_REMATCH[2]} in
        s) max_age=${BASH_REMATCH[1]} ;; m) max_age=$((BASH_REMATCH[1] * 60)) ;;
        h) max_age=$((BASH_REMATCH[1] * 3600)) ;; d) max_age=$((BASH_REMATCH[1] * 86400)) ;;
      esac
      shift 2
      ;;
    -h | --help) usage; exit 0 ;;
    *) usage_error "unknown argument '$1'" ;;
  esac
done

# Stop time (seconds since the epoch) of the newest full backup in the repository; empty if none.
newest_full_backup() {
  local info
  info=$(pgbackrest --output=json info) || die "$EXIT_FAILED" "pgbackrest info failed for stanza $PGBACKREST_STANZA"
  { grep -oE '"timestamp":\{"start":[0-9]+,"stop":[0-9]+\},"type":"full"' <<<"$info" || true; } \
    | sed -E 's/.*"stop":([0-9]+).*/\1/' | sort -n | tail -1
}

pgbackrest_settings
if [[ -n $max_age ]]; then
  newest=$(newest_full_backup)
  if [[ -n $newest ]] && (($(date +%s) - newest < max_age)); then
    note "the newest full backup finished $(date -u -d "@$newest" '+%Y-%m-%d %H:%M:%S UTC')," \
      "less than $max_age_text ago: no backup taken"
    exit 0
  fi
fi
# Idempotent: on an existing stanza pgBackRest only checks that it matches the cluster.
run_pgbackrest stanza-create
note "taking a $type backup of stanza $PGBACKREST_STANZA"
run_pgbackrest backup --type="$type"
pgbackrest info || die "$EXIT_FAILED" "pgbackrest info failed for stanza $PGBACKREST_STANZA"
note "backup complete"
