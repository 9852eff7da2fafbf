# shellcheck shell=bash disable=SC2034
# Shared by the scripts of ops/scripts: help, errors, exit codes and connection settings.
# Sourced, never run. Each script documents itself in its header comment, which --help prints.

# Exit codes, the same for every script.
readonly EXIT_FAILED=1     # the operation failed (database or Redis error, unreachable server)
readonly EXIT_USAGE=2      # bad command line
readonly EXIT_MISSING=3    # a required tool or setting is missing
readonly EXIT_REFUSED=4    # refused on purpose: the target is not as the procedure needs it

SCRIPT_NAME=$(basename "$0")

die() { # die CODE MESSAGE…
  local code=$1
  shift
  echo "$SCRIPT_NAME: $*" >&2
  exit "$code"
}

note() { echo "$SCRIPT_NAME: $*" >&2; }

# Prints the script's header comment (from the line after the shebang to the first line that is
# not a comment), without the leading "# ".
usage() {
  sed -n '2,/^[^#]/{/^#/!q;s/^# \{0,1\}//;p}' "$0"
}

usage_error() { # usage_error MESSAGE…
  echo "$SCRIPT_NAME: $*" >&2
  echo "Try '$SCRIPT_NAME --help'." >&2
  exit "$EXIT_USAGE"
}

require_value() { # require_value OPTION ARGUMENT-COUNT
  [[ $2 -ge 2 ]] || usage_error "$1 needs a value"
}

require_command() { # require_command COMMAND DEBIAN-PACKAGE
  command -v "$1" >/dev/null || die "$EXIT_MISSING" "$1 is not installed (Debian: apt-get install $2)"
}

# Decodes %XX escapes, as URLs carry them in user names and passwords.
url_decode() {
  local encoded=${1//+/ }
  printf '%b' "${encoded//%/\\x}"
}

# --- PostgreSQL ------------------------------------------------------------------------------------
# Settings come from libpq's own variables (PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE, …), or
# from DATABASE_URL (postgresql://user:password@host:port/database?sslmode=…; a jdbc: prefix, as in
# the dev launcher's endpoints.env, is accepted), whose parts fill the PG* variables not set.
# Defaults: database taskdb, user taskuser, as deployed.
pg_settings() {
  require_command psql postgresql-client-15
  if [[ -n ${DATABASE_URL:-} ]]; then
    local url=${DATABASE_URL#jdbc:}
    local pattern='^postgres(ql)?://(([^:@/]*)(:([^@/]*))?@)?([^:/?]*)(:([0-9]+))?(/([^?]*))?(\?(.*))?$'
    [[ $url =~ $pattern ]] || die "$EXIT_MISSING" "DATABASE_URL is not a postgresql:// URL"
    local user=${BASH_REMATCH[3]} password=${BASH_REMATCH[5]} host=${BASH_REMATCH[6]}
    local port=${BASH_REMATCH[8]} database=${BASH_REMATCH[10]} query=${BASH_REMATCH[12]}
    set_default PGUSER "$(url_decode "$user")"
    set_default PGPASSWORD "$(url_decode "$password")"
    set_default PGHOST "$host"
    set_default PGPORT "$port"
    set_default PGDATABASE "$(url_decode "$database")"
    local parameter
    for parameter in ${query//&/ }; do
      case $parameter in
        sslmode=*) set_default PGSSLMODE "${parameter#sslmode=}" ;;
        user=*) set_default PGUSER "$(url_decode "${parameter#user=}")" ;;
        password=*) set_default PGPASSWORD "$(url_decode "${parameter#password=}")" ;;
      esac
    done
  fi
  set_default PGDATABASE taskdb
  set_default PGUSER taskuser
  set_default PGCONNECT_TIMEOUT 10
  set_default PGAPPNAME "ops/$SCRIPT_NAME"
}

# Exports VARIABLE=VALUE unless the variable is set already or the value is empty.
set_default() { # set_default VARIABLE VALUE
  if [[ -z ${!1:-} && -n $2 ]]; then
    export "$1=$2"
  fi
}

# "user@host:port/database", for messages; never the password.
pg_target() {
  echo "${PGUSER}@${PGHOST:-local socket}:${PGPORT:-5432}/${PGDATABASE}"
}

# psql as scripts need it: no ~/.psqlrc, stop at the first error, no password prompt. SQL comes
# from standard input so that psql's :'variables' quote the values given with -v.
run_psql() {
  psql -X -q --no-password -v ON_ERROR_STOP=1 "$@" || die "$EXIT_FAILED" "psql failed against $(pg_target)"
}

# The server's major version, e.g. 15.
pg_server_major() {
  run_psql -At -c "SELECT current_setting('server_version_num')::int / 10000"
}

# pg_dump refuses to dump a newer server; say which client to install instead of its bare error.
require_client_for_server() { # require_client_for_server TOOL
  local client server
  client=$("$1" --version | sed -nE 's/.* ([0-9]+)(\.[0-9]+)*.*/\1/p' | head -1)
  server=$(pg_server_major)
  if [[ $client -lt $server ]]; then
    die "$EXIT_MISSING" "$1 is version $client but the server $(pg_target) is $server;" \
      "install postgresql-client-$server"
  fi
}

# An interval for PostgreSQL from 30m, 2h, 90s, 1d, a bare number of minutes, or ISO 8601 (PT30M).
pg_interval() { # pg_interval TEXT
  local text=$1
  if [[ $text =~ ^([0-9]+)(s|m|h|d)?$ ]]; then
    local unit
    case ${BASH_REMATCH[2]:-m} in
      s) unit=seconds ;; m) unit=minutes ;; h) unit=hours ;; d) unit=days ;;
    esac
    echo "${BASH_REMATCH[1]} $unit"
  elif [[ $text =~ ^P([0-9]+D)?(T([0-9]+H)?([0-9]+M)?([0-9]+S)?)?$ && $text != P && $text != *T ]]; then
    echo "$text"
  else
    usage_error "'$text' is not a duration: use e.g. 30m, 2h, 90s, 1d or PT30M"
  fi
}

# --- pgBackRest -----------------------------------------------------------------------------------
# pgBackRest reads its settings from its configuration file (PGBACKREST_CONFIG, default
# /etc/pgbackrest/pgbackrest.conf) and from PGBACKREST_<OPTION> variables; the stanza (its name for
# the cluster) defaults to taskdb, as deployed.
pgbackrest_settings() {
  require_command pgbackrest pgbackrest
  set_default PGBACKREST_STANZA taskdb
  if [[ -n ${PGBACKREST_CONFIG:-} && ! -r $PGBACKREST_CONFIG ]]; then
    die "$EXIT_MISSING" "cannot read the pgBackRest configuration $PGBACKREST_CONFIG (PGBACKREST_CONFIG)"
  fi
}

# pgbackrest with its progress on standard error; its own message names the cause of a failure.
run_pgbackrest() { # run_pgbackrest COMMAND [OPTION]…
  pgbackrest --log-level-console=info "$@" >&2 || die "$EXIT_FAILED" "pgbackrest $1 failed for stanza $PGBACKREST_STANZA"
}

# --- Redis ----------------------------------------------------------------------------------------
# REDIS_URL (redis://[user][:password]@host:port[/db], as the services' spring.data.redis.url);
# default redis://localhost:6379. The password reaches redis-cli through REDISCLI_AUTH, not argv.
REDIS_ARGS=()
REDIS_USER=""
redis_settings() {
  require_command redis-cli redis-tools
  local url=${REDIS_URL:-redis://localhost:6379}
  local pattern='^rediss?://(([^:@/]*)(:([^@/]*))?@)?([^:/?]+)(:([0-9]+))?(/([0-9]+))?/?$'
  [[ $url =~ $pattern ]] || die "$EXIT_MISSING" "REDIS_URL is not a redis:// URL"
  REDIS_ARGS=(-h "${BASH_REMATCH[5]}" -p "${BASH_REMATCH[7]:-6379}")
  [[ -n ${BASH_REMATCH[9]} ]] && REDIS_ARGS+=(-n "${BASH_REMATCH[9]}")
  [[ $url == rediss://* ]] && REDIS_ARGS+=(--tls)
  REDIS_USER=$(url_decode "${BASH_REMATCH[2]}")
  export REDISCLI_AUTH
  REDISCLI_AUTH=$(url_decode "${BASH_REMATCH[4]}")
  [[ -n $REDISCLI_AUTH ]] || unset REDISCLI_AUTH
  REDIS_TARGET="${BASH_REMATCH[5]}:${BASH_REMATCH[7]:-6379}"
}

# redis-cli with REDIS_URL's connection; fails on an error reply, which redis-cli reports with exit 0.
# Arguments after a first "-x" are the command, whose last argument comes from standard input.
run_redis() {
  local reply user_args=()
  [[ -n $REDIS_USER ]] && user_args=(--user "$REDIS_USER")
  reply=$(redis-cli --no-auth-warning "${REDIS_ARGS[@]}" "${user_args[@]}" "$@" 2>&1) \
    || die "$EXIT_FAILED" "redis-cli failed against $REDIS_TARGET: $reply"
  if [[ $reply =~ ^(ERR|WRONGPASS|NOAUTH|NOPERM|Could\ not\ connect|AUTH\ failed) ]]; then
    die "$EXIT_FAILED" "Redis $REDIS_TARGET refused the command: $reply"
  fi
  printf '%s\n' "$reply"
}

# --- secrets --------------------------------------------------------------------------------------
# A new password from a file (first line) or a variable; never from the command line, where ps and
# the shell history would show it.
read_secret() { # read_secret FILE-OR-EMPTY VARIABLE-NAME
  local file=$1 variable=$2 secret
  if [[ -n $file ]]; then
    [[ -r $file ]] || die "$EXIT_MISSING" "cannot read the password file $file"
    IFS= read -r secret <"$file" || [[ -n $secret ]] || die "$EXIT_MISSING" "the password file $file is empty"
  else
    secret=${!variable:-}
  fi
  [[ -n $secret ]] || die "$EXIT_MISSING" "no password given: set $variable or pass --password-file FILE"
  printf '%s' "$secret"
}

# 64 hex characters: URL-safe, as the services pass the Redis password inside a redis:// URL.
generate_secret() { # generate_secret FILE
  require_command od coreutils
  (umask 077 && od -An -tx1 -N32 /dev/urandom | tr -d ' \n' >"$1") \
    || die "$EXIT_FAILED" "cannot write the new password to $1"
  note "new password written to $1 (mode 600)"
}
