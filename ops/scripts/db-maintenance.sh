#!/usr/bin/env bash
# Usage: db-maintenance.sh vacuum [--table NAME]... [--verbose]
#        db-maintenance.sh reindex [--table NAME]... [--concurrently]
#
# The runbook's routine database maintenance, on the tasks table (or each --table):
#
#   vacuum    VACUUM ANALYZE, then the table's live and dead rows and its last vacuum and analyze.
#             Takes no lock that blocks the services. Monthly, or more often under heavy traffic.
#   reindex   REINDEX TABLE, then the table's indexes and their sizes. A plain REINDEX blocks
#             writes to the table while it runs; --concurrently rebuilds without blocking them
#             (slower; it cannot run inside a transaction).
#
# Options:
#   --table NAME     work on this table instead of tasks; repeatable (e.g. --table task_attempts)
#   --verbose        vacuum: print PostgreSQL's VACUUM VERBOSE report
#   --concurrently   reindex: REINDEX TABLE CONCURRENTLY
#   -h, --help       this text
#
# Connection: PGHOST, PGPORT, PGUSER (taskuser), PGPASSWORD, PGDATABASE (taskdb), or DATABASE_URL.
# Exit codes: 0 done, 1 failed, 2 bad command line, 3 psql missing.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"

command=""
tables=()
verbose=off
concurrently=""
while (($#)); do
  case $1 in
    vacuum | reindex) [[ -z $command ]] || usage_error "one command only"; command=$1; shift ;;
    --table) require_value "$1" $#; tables+=("$2"); shift 2 ;;
    --verbose) verbose=on; shift ;;
    --concurrently) concurrently=CONCURRENTLY; shift ;;
    -h | --help) usage; exit 0 ;;
    *) usage_error "unknown argument '$1'" ;;
  esac
done
[[ -n $command ]] || usage_error "say vacuum or reindex"
[[ $command == vacuum || $verbose == off ]] || usage_error "--verbose belongs to vacuum"
[[ $command == reindex || -z $concurrently ]] || usage_error "--concurrently belongs to reindex"
((${#tables[@]})) || tables=(tasks)

pg_settings
for table in "${tables[@]}"; do
  if [[ $command == vacuum ]]; then
    note "VACUUM ANALYZE $table on $(pg_target)"
    run_psql -v table="$table" -v verbose="$verbose" <<'SQL'
VACUUM (ANALYZE, VERBOSE :verbose) :"table";
SELECT relname AS table, n_live_tup AS live_rows, n_dead_tup AS dead_rows, last_vacuum, last_analyze
  FROM pg_stat_user_tables WHERE relid = :'table'::regclass;
SQL
  else
    note "REINDEX TABLE ${concurrently:+$concurrently }$table on $(pg_target)"
    run_psql -v table="$table" -v concurrently="$concurrently" <<'SQL'
REINDEX TABLE :concurrently :"table";
SELECT indexrelid::regclass AS index, pg_size_pretty(pg_relation_size(indexrelid)) AS size
  FROM pg_index WHERE indrelid = :'table'::regclass ORDER BY 1;
SQL
  fi
done
