#!/usr/bin/env bash
# Usage: rotate-redis-password.sh add (--password-file FILE | --generate FILE) [--user NAME]
#        rotate-redis-password.sh retire --password-file FILE [--user NAME]
#
# The runbook's Redis credential rotation, without a moment in which the services cannot connect.
# Redis (6 or newer) lets a user have several passwords at once:
#
#   add      add the new password to the Redis user (ACL SETUSER … >password); the old one still
#            works. Then put the new one where the services read it (Kubernetes: the Secret
#            redis-credentials, which Redis also reads when it starts) and restart api-server and
#            worker one after another.
#   retire   once every service runs with the new password: remove the old one
#            (ACL SETUSER … <password). Refused when it is the user's only password.
#
# Both check the result with a login. ACL changes made at run time last until Redis restarts;
# from then on its configuration (the Secret) holds the password, so update the Secret before any
# restart of Redis.
#
# Passwords are read from a file or a variable (NEW_REDIS_PASSWORD for add, OLD_REDIS_PASSWORD for
# retire), never from the command line. The connection uses REDIS_URL's current credentials.
#
# Options:
#   --password-file FILE  the password to add or to retire (first line)
#   --generate FILE       add: make a new random password (64 hex characters), write it to FILE
#   --user NAME           the Redis user (default: REDIS_URL's user, else "default", the user of
#                         requirepass)
#   -h, --help            this text
#
# Connection: REDIS_URL (redis://[user]:password@host:port, default redis://localhost:6379).
# Exit codes: 0 done and verified, 1 failed, 2 bad command line, 3 redis-cli or a password missing,
#             4 refused: retiring the only password.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"

command=""
password_file=""
generate=""
user=""
while (($#)); do
  case $1 in
    add | retire) [[ -z $command ]] || usage_error "one command only"; command=$1; shift ;;
    --password-file) require_value "$1" $#; password_file=$2; shift 2 ;;
    --generate) require_value "$1" $#; generate=$2; shift 2 ;;
    --user) require_value "$1" $#; user=$2; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    *) usage_error "unknown argument '$1'" ;;
  esac
done
[[ -n $command ]] || usage_error "say add or retire"
[[ -z $password_file || -z $generate ]] || usage_error "--password-file and --generate exclude each other"
[[ $command == add || -z $generate ]] || usage_error "--generate belongs to add"

redis_settings
user=${user:-${REDIS_USER:-default}}

# Counts the user's passwords (ACL GETUSER lists their hashes after the "passwords" field).
password_count() {
  run_redis ACL GETUSER "$user" | awk 'seen && /^[0-9a-f]+$/ && length($0) == 64 {n++} /^passwords$/ {seen=1} /^(commands|keys|channels|selectors|flags)$/ && seen {seen=0} END {print n+0}'
}

# A login as the user with the password, on a connection of its own.
can_login() { # can_login PASSWORD
  local reply
  reply=$(REDISCLI_AUTH=$1 redis-cli --no-auth-warning "${REDIS_ARGS[@]}" --user "$user" PING 2>&1) || true
  [[ $reply == PONG ]]
}

if [[ $command == add ]]; then
  if [[ -n $generate ]]; then
    generate_secret "$generate"
    password_file=$generate
  fi
  secret=$(read_secret "$password_file" NEW_REDIS_PASSWORD)
  note "adding a password to Redis user $user on $REDIS_TARGET"
  # The password travels on standard input (-x: the last argument), not in redis-cli's argv.
  printf '>%s' "$secret" | run_redis -x ACL SETUSER "$user" on >/dev/null
  can_login "$secret" || die "$EXIT_FAILED" "the password was added, but logging in as $user with it failed"
  note "added and verified; the old password works until 'retire'. Now update the secret and restart api-server and worker"
else
  secret=$(read_secret "$password_file" OLD_REDIS_PASSWORD)
  count=$(password_count)
  [[ $count -ge 2 ]] || die "$EXIT_REFUSED" "user $user has $count password(s); retiring would leave none"
  note "removing a password of Redis user $user on $REDIS_TARGET"
  printf '<%s' "$secret" | run_redis -x ACL SETUSER "$user" >/dev/null
  ! can_login "$secret" || die "$EXIT_FAILED" "the retired password still logs in as $user"
  note "retired; $((count - 1)) password(s) left for $user"
fi
