#!/usr/bin/env bash
# Usage: db-reindex.sh [--table NAME]... [--concurrently]
#
# The runbook's index maintenance: REINDEX TABLE tasks (or each --table), then the table's indexes
# with their sizes. A plain REINDEX blocks writes to the table while it runs; --concurrently
# rebuilds without blocking them (slower, and it cannot run inside a transaction).
#
# Options:
#   --table NAME     reindex this table instead of tasks; repeatable
#   --concurrently   REINDEX TABLE CONCURRENTLY
#   -h, --help       this text
#
# Connection: PGHOST, PGPORT, PGUSER (taskuser), PGPASSWORD, PGDATABASE (taskdb), or DATABASE_URL.
# Exit codes: 0 done, 1 failed, 2 bad command line, 3 psql missing.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"

tables=()
concurrently=""
while (($#)); do
  case $1 in
    --table) require_value "$1" $#; tables+=("$2"); shift 2 ;;
    --concurrently) concurrently="CONCURRENTLY"; shift ;;
    -h | --help) usage; exit 0 ;;
    *) usage_error "unknown argument '$1'" ;;
  esac
done
((${#tables[@]})) || tables=(tasks)

pg_settings
for table in "${tables[@]}"; do
  note "REINDEX TABLE ${concurrently:+$concurrently }$table on $(pg_target)"
  run_psql -v table="$table" -v concurrently="$concurrently" <<'SQL'
REINDEX TABLE :concurrently :"table";
SELECT indexrelid::regclass AS index, pg_size_pretty(pg_relation_size(indexrelid)) AS size
  FROM pg_index WHERE indrelid = :'table'::regclass ORDER BY 1;
SQL
done
