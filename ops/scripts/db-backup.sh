#!/usr/bin/env bash
# Usage: db-backup.sh [--output FILE]
#
# A full logical backup of the database with pg_dump, as plain SQL: the schema (tables, triggers,
# functions, the publication) and every row. A name ending in .gz is gzipped. The file appears only
# once complete (written as FILE.partial, then renamed); "-" writes to standard output. Restore it
# with db-restore.sh into an empty database.
#
# pg_dump must be at least the server's major version; the script checks that first.
#
# Options:
#   --output FILE  where to write; default taskdb-YYYYMMDDTHHMMSSZ.sql.gz in the current directory
#   -h, --help     this text
#
# Connection: PGHOST, PGPORT, PGUSER (taskuser), PGPASSWORD, PGDATABASE (taskdb), or DATABASE_URL.
# Exit codes: 0 written, 1 failed (nothing left behind), 2 bad command line,
#             3 pg_dump missing or older than the server.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"

output=""
while (($#)); do
  case $1 in
    --output) require_value "$1" $#; output=$2; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    *) usage_error "unknown argument '$1'" ;;
  esac
done

pg_settings
require_command pg_dump postgresql-client-15
require_client_for_server pg_dump
output=${output:-$PGDATABASE-$(date -u +%Y%m%dT%H%M%SZ).sql.gz}

dump() {
  pg_dump --no-password --format=plain --quote-all-identifiers
}

if [[ $output == - ]]; then
  note "dumping $(pg_target) to standard output"
  dump || die "$EXIT_FAILED" "pg_dump failed against $(pg_target)"
  exit 0
fi

partial="$output.partial"
trap 'rm -f "$partial"' EXIT
note "dumping $(pg_target) to $output"
if [[ $output == *.gz ]]; then
  dump | gzip -6 >"$partial" || die "$EXIT_FAILED" "pg_dump failed against $(pg_target)"
  gzip -t "$partial" || die "$EXIT_FAILED" "the compressed dump does not verify"
else
  dump >"$partial" || die "$EXIT_FAILED" "pg_dump failed against $(pg_target)"
fi
mv "$partial" "$output"
trap - EXIT
note "backup complete: $output ($(du -h "$output" | cut -f1))"
