#!/usr/bin/env bash
# Usage: rotate-postgres-password.sh (--password-file FILE | --generate FILE) [--role NAME]
#
# The runbook's PostgreSQL credential rotation, first step: ALTER ROLE … PASSWORD on the server,
# then a test login with the new password. Sessions already open keep working; every new
# connection needs the new password. So, right after it, as the runbook says:
#   1. put the new password where the services read it (Kubernetes: the Secret db-credentials);
#   2. restart every service that connects to PostgreSQL, one after another: api-server, worker and
#      outbox-relay (the scheduler has no database access; restarting it is harmless);
#   3. update deploy/overlays/prod/secrets/db-credentials.env, or the next apply restores the old one.
# Until a service has restarted, a connection it opens anew fails; requests fail rather than being
# accepted and lost, and a task's outcome that cannot be written is recovered as a stuck task.
#
# The new password is read from a file or NEW_PGPASSWORD, never from the command line. The
# connection itself uses the current credentials (PGPASSWORD or DATABASE_URL). On PostgreSQL 15 a
# role with REPLICATION may change its own password only if it is a superuser: deployed, taskuser
# is (the image's POSTGRES_USER); elsewhere connect as an administrator and name the role (--role).
#
# Options:
#   --password-file FILE  the new password (first line); otherwise NEW_PGPASSWORD
#   --generate FILE       make a new random password (64 hex characters), write it to FILE (mode 600)
#   --role NAME           the role to change (default: the connecting user, PGUSER)
#   -h, --help            this text
#
# Connection: PGHOST, PGPORT, PGUSER (taskuser), PGPASSWORD, PGDATABASE (taskdb), or DATABASE_URL.
# Exit codes: 0 rotated and verified, 1 failed, 2 bad command line, 3 psql or the new password
#             missing.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"

password_file=""
generate=""
role=""
while (($#)); do
  case $1 in
    --password-file) require_value "$1" $#; password_file=$2; shift 2 ;;
    --generate) require_value "$1" $#; generate=$2; shift 2 ;;
    --role) require_value "$1" $#; role=$2; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    *) usage_error "unknown argument '$1'" ;;
  esac
done
[[ -z $password_file || -z $generate ]] || usage_error "--password-file and --generate exclude each other"

pg_settings
role=${role:-$PGUSER}
if [[ -n $generate ]]; then
  generate_secret "$generate"
  password_file=$generate
fi
new_password=$(read_secret "$password_file" NEW_PGPASSWORD)

note "changing the password of role $role on $(pg_target)"
# Through a psql variable: the password stays out of argv; psql quotes it as a literal.
run_psql -v role="$role" -v password="$new_password" <<<'ALTER ROLE :"role" WITH PASSWORD :'"'"'password'"'"
PGPASSWORD=$new_password PGUSER=$role psql -X -q --no-password -At -c 'SELECT 1' >/dev/null \
  || die "$EXIT_FAILED" "the password was changed, but logging in as $role with it failed"
note "password of $role rotated and verified; now update the services' secret and restart them"
