#!/usr/bin/env bash
# Usage: db-vacuum.sh [--table NAME]... [--verbose]
#
# The runbook's routine vacuum: VACUUM ANALYZE of the tasks table (or of each --table), then the
# table's statistics (live and dead rows, last vacuum and analyze). It takes no lock that blocks the
# services; schedule it monthly, or more often under heavy traffic.
#
# Options:
#   --table NAME   vacuum this table instead of tasks; repeatable (e.g. --table task_attempts)
#   --verbose      print PostgreSQL's VACUUM VERBOSE report
#   -h, --help     this text
#
# Connection: PGHOST, PGPORT, PGUSER (taskuser), PGPASSWORD, PGDATABASE (taskdb), or DATABASE_URL.
# Exit codes: 0 done, 1 failed, 2 bad command line, 3 psql missing.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"

tables=()
verbose=off
while (($#)); do
  case $1 in
    --table) require_value "$1" $#; tables+=("$2"); shift 2 ;;
    --verbose) verbose=on; shift ;;
    -h | --help) usage; exit 0 ;;
    *) usage_error "unknown argument '$1'" ;;
  esac
done
((${#tables[@]})) || tables=(tasks)

pg_settings
for table in "${tables[@]}"; do
  note "VACUUM ANALYZE $table on $(pg_target)"
  run_psql -v table="$table" -v verbose="$verbose" <<'SQL'
VACUUM (ANALYZE, VERBOSE :verbose) :"table";
SELECT relname AS table, n_live_tup AS live_rows, n_dead_tup AS dead_rows, last_vacuum, last_analyze
  FROM pg_stat_user_tables WHERE relid = :'table'::regclass;
SQL
done
