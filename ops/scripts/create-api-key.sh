#!/usr/bin/env bash
# Usage: create-api-key.sh --name NAME --output FILE [--scope SCOPE]... [--expires-in DAYS]
#
# Creates an API key directly in PostgreSQL: the first admin key of a new installation, which no
# key exists yet to ask the API for (afterwards, `taskctl keys create` does this through the API).
# The key is written to FILE (mode 600), never to the terminal; only its SHA-256 goes into
# api_keys, and the creation is recorded in audit_events.
#
# Options:
#   --name NAME         the key's name, unique among active keys; audit rows show key:NAME
#   --output FILE       where to write the key (must not exist yet)
#   --scope SCOPE       admin (default), tasks:submit, tasks:read, tasks:manage, schedules:read,
#                       schedules:write or dlq:manage; repeatable
#   --expires-in DAYS   validity in days (default 90, at most 730)
#   -h, --help          this text
#
# Connection: PGHOST, PGPORT, PGUSER (taskuser), PGPASSWORD, PGDATABASE (taskdb), or DATABASE_URL.
# The api-server picks the key up at once (unknown keys are remembered for at most 15 s).
# Exit codes: 0 done, 1 failed, 2 bad command line, 3 a tool is missing, 4 the file or name exists.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"

name=""
output=""
scopes=()
days=90
while (($#)); do
  case $1 in
    --name) require_value "$1" $#; name=$2; shift 2 ;;
    --output) require_value "$1" $#; output=$2; shift 2 ;;
    --scope) require_value "$1" $#; scopes+=("$2"); shift 2 ;;
    --expires-in) require_value "$1" $#; days=$2; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    *) usage_error "unknown argument '$1'" ;;
  esac
done
[[ $name =~ ^[A-Za-z0-9][A-Za-z0-9._@-]{0,99}$ ]] || usage_error "--name must be 1 to 100 letters, digits, '.', '_', '@' or '-'"
[[ -n $output ]] || usage_error "--output FILE is required (the key is never printed)"
if ! [[ $days =~ ^[0-9]+$ ]] || ((days < 1 || days > 730)); then
  usage_error "--expires-in must be 1 to 730 days"
fi
((${#scopes[@]})) || scopes=(admin)
for scope in "${scopes[@]}"; do
  case $scope in
    admin | tasks:submit | tasks:read | tasks:manage | schedules:read | schedules:write | dlq:manage) ;;
    *) usage_error "unknown scope '$scope'" ;;
  esac
done
[[ ! -e $output ]] || die "$EXIT_REFUSED" "$output exists already; choose a new file"
require_command sha256sum coreutils
require_command base64 coreutils
require_command od coreutils

# The key's form (ApiKeyFormat): tsk_, 32 random bytes in base64url, 8 hex digits of the SHA-256 of both.
body="tsk_$(head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')"
[[ ${#body} -eq 47 ]] || die "$EXIT_FAILED" "could not read 32 random bytes"
key="$body$(printf '%s' "$body" | sha256sum | cut -c1-8)"
hash=$(printf '%s' "$key" | sha256sum | cut -c1-64)
scope_list=$(IFS=,; echo "${scopes[*]}")

pg_settings
(umask 077 && printf '%s\n' "$key" >"$output") || die "$EXIT_FAILED" "cannot write $output"
if ! psql -X -q --no-password -v ON_ERROR_STOP=1 -v name="$name" -v prefix="${key:0:12}" -v hash="$hash" -v scopes="{$scope_list}" \
    -v days="$days" -v by="script:$(id -un)" >/dev/null <<'SQL'
WITH key AS (
    INSERT INTO api_keys (id, name, key_prefix, key_hash, scopes, expires_at, created_by)
    VALUES (gen_random_uuid(), :'name', :'prefix', decode(:'hash', 'hex'), :'scopes'::text[],
            now() + make_interval(days => :'days'::int), :'by')
    RETURNING id, name, key_prefix, scopes, expires_at)
INSERT INTO audit_events (principal, action, subject, detail)
SELECT :'by', 'api-key.created', id::text,
       jsonb_build_object('name', name, 'prefix', key_prefix, 'scopes', scopes, 'expiresAt', expires_at)
  FROM key;
SQL
then
  rm -f "$output"
  die "$EXIT_FAILED" "the key was not created (an active key named '$name' exists already?)"
fi
note "created API key $name (${key:0:12}…, scopes $scope_list, valid $days days); the key is in $output"
