#!/usr/bin/env bash
# Usage: pitr-backup.sh [--type full|diff|incr]
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
#   -h, --help   this text
#
# Settings: pgBackRest's own: PGBACKREST_CONFIG (its configuration file), PGBACKREST_STANZA
#           (default taskdb) and any other PGBACKREST_<OPTION> variable.
# Exit codes: 0 backed up, 1 failed (pgBackRest says why), 2 bad command line,
#             3 pgbackrest or its configuration missing.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"

type=full
while (($#)); do
  case $1 in
    --type)
      require_value "$1" $#
      [[ $2 =~ ^(full|diff|incr)$ ]] || usage_error "--type is full, diff or incr, not '$2'"
      type=$2
      shift 2
      ;;
    -h | --help) usage; exit 0 ;;
    *) usage_error "unknown argument '$1'" ;;
  esac
done

pgbackrest_settings
# Idempotent: on an existing stanza pgBackRest only checks that it matches the cluster.
run_pgbackrest stanza-create
note "taking a $type backup of stanza $PGBACKREST_STANZA"
run_pgbackrest backup --type="$type"
pgbackrest info || die "$EXIT_FAILED" "pgbackrest info failed for stanza $PGBACKREST_STANZA"
note "backup complete"
