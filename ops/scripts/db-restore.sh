#!/usr/bin/env bash
# Usage: db-restore.sh --input FILE [--create]
#
# Loads a backup made by db-backup.sh (plain SQL, gzipped when the name ends in .gz) into an EMPTY
# database, in one transaction: either all of it is restored or nothing. A database that already
# holds tables is refused. With --create the database is created first (it must not exist), owned
# by the connecting user.
#
# Afterwards, before the system runs again (stop api-server, worker and outbox-relay first):
#   1. start the outbox relay (it creates its replication slot; restored rows were never relayed);
#   2. after-restore.sh: publishes the pending tasks again through the tasks trigger and resets the
#      tasks that were running at the time of the backup.
#
# Options:
#   --input FILE         the backup to load
#   --create             create the database named by PGDATABASE first
#   --maintenance-db DB  the database to connect to for --create (default postgres)
#   -h, --help           this text
#
# Connection: PGHOST, PGPORT, PGUSER (taskuser), PGPASSWORD, PGDATABASE (taskdb, the target), or
# DATABASE_URL.
# Exit codes: 0 restored, 1 failed (nothing restored), 2 bad command line, 3 psql or the file
#             missing, 4 refused: the database is not empty, or exists already with --create.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"

input=""
create=false
maintenance_db=postgres
while (($#)); do
  case $1 in
    --input) require_value "$1" $#; input=$2; shift 2 ;;
    --create) create=true; shift ;;
    --maintenance-db) require_value "$1" $#; maintenance_db=$2; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    *) usage_error "unknown argument '$1'" ;;
  esac
done
[[ -n $input ]] || usage_error "--input FILE is required"
[[ -r $input ]] || die "$EXIT_MISSING" "cannot read the backup $input"
# A truncated archive would feed psql a truncated script: check the whole file before touching anything.
[[ $input != *.gz ]] || gzip -t "$input" || die "$EXIT_FAILED" "the compressed backup $input is damaged"

pg_settings
if $create; then
  target=$PGDATABASE
  exists=$(PGDATABASE=$maintenance_db run_psql -At -v name="$target" \
    <<<"SELECT count(*) FROM pg_database WHERE datname = :'name'")
  [[ $exists == 0 ]] || die "$EXIT_REFUSED" "database $target exists already; --create needs a new name"
  note "creating database $target"
  PGDATABASE=$maintenance_db run_psql -v name="$target" -v owner="$PGUSER" \
    <<<'CREATE DATABASE :"name" OWNER :"owner"'
fi

relations=$(run_psql -At <<'SQL'
SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'
   AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f');
SQL
)
[[ $relations == 0 ]] || die "$EXIT_REFUSED" "database $(pg_target) is not empty ($relations tables," \
  "views or sequences); restore into a new one (--create) or drop and recreate it"

note "restoring $input into $(pg_target)"
if [[ $input == *.gz ]]; then
  gzip -dc "$input" | run_psql --single-transaction -o /dev/null
else
  run_psql --single-transaction -o /dev/null -f "$input"
fi
run_psql <<'SQL'
SELECT status, count(*) AS tasks FROM tasks GROUP BY status ORDER BY status;
SQL
note "restored; next: start the outbox relay, then after-restore.sh (see --help)"
