#!/usr/bin/env bash
# Starts the system with the README's run command, runs the README's curl and kcat examples
# (extracted from README.md, so they cannot drift), checks both tasks succeed, then stops the
# system with SIGTERM and checks it exits cleanly. Then starts it again, accepts tasks, kills the
# launcher with SIGKILL (its PostgreSQL and Redis are left behind as orphans), starts it once more
# and checks that it comes up and that every task accepted before the kill succeeds.
set -euo pipefail
cd "$(dirname "$0")/.."

RUN_COMMAND='bin/task-scheduler-dev'
grep -qxF "$RUN_COMMAND" README.md || { echo "README.md no longer shows '$RUN_COMMAND'" >&2; exit 1; }

block() { # prints the README lines between <!-- $1 --> and <!-- /$1 -->, without the fences
  sed -n "/<!-- $1 -->/,/<!-- \/$1 -->/p" README.md | grep -v -e '^<!--' -e '^```'
}

log=$(mktemp)
pid=""
cleanup() { [[ -z "$pid" ]] || kill -TERM "$pid" 2>/dev/null || true; }
trap cleanup EXIT

start_system() { # starts the run command in the background and waits until it is up
  local started
  started=$(date +%s)
  $RUN_COMMAND >"$log" 2>&1 &
  pid=$!
  # The launcher writes local-data/endpoints.env once every service is up.
  echo "Waiting for the system to come up (log: $log)"
  for _ in $(seq 1 300); do
    [[ -f local-data/endpoints.env ]] && break
    kill -0 "$pid" 2>/dev/null || { cat "$log"; echo "The run command exited early" >&2; exit 1; }
    sleep 1
  done
  [[ -f local-data/endpoints.env ]] || { tail -200 "$log"; echo "Not up after 300 s" >&2; exit 1; }
  echo "Up after $(( $(date +%s) - started )) s (including the build)"
}

start_system
grep -q '^API_URL=http://localhost:8080$' local-data/endpoints.env
grep -q '^API_KEY=tsk_' local-data/endpoints.env || { echo "endpoints.env has no API_KEY" >&2; exit 1; }
curl -fs http://localhost:8080/readyz
echo
# Safe by default: without the key the API refuses, and the metrics are on the management port only.
status=$(curl -s -o /dev/null -w '%{http_code}' http://localhost:8080/api/v1/tasks)
[[ "$status" == 401 ]] || { echo "GET /api/v1/tasks without a key answered $status, not 401" >&2; exit 1; }
metrics=$(curl -fs http://localhost:8090/actuator/prometheus)
grep -q '^api_requests_total' <<<"$metrics" || { echo "no api-server metrics on the management port 8090" >&2; exit 1; }
# The console: its sign-in page is served, its pages are not without a session.
curl -fs http://localhost:8080/console/login | grep -q 'name="apiKey"' || { echo "no console sign-in page" >&2; exit 1; }
status=$(curl -s -o /dev/null -w '%{http_code}' http://localhost:8080/console/overview)
[[ "$status" == 302 ]] || { echo "GET /console/overview without a session answered $status, not 302" >&2; exit 1; }

echo "--- README: submit over REST and read back"
rest_example=$(mktemp)
# The block as written (it submits once and reads the task back), then its last line, the read,
# again until the task has run.
# shellcheck disable=SC2016 # the echoed lines are for the example's shell
{
  block smoke-rest
  echo 'for _ in $(seq 1 60); do'
  echo "  out=\$($(block smoke-rest | tail -1))"
  echo '  if grep -q "\"status\":\"succeeded\"" <<<"$out"; then break; fi'
  echo '  sleep 0.5'
  echo 'done'
  echo 'echo "$out"'
} > "$rest_example"
out=$(bash "$rest_example")
echo "$out"
grep -q '"status":"succeeded"' <<<"$out" || { echo "REST example did not reach succeeded" >&2; exit 1; }

echo "--- README: produce to tasks.submissions with kcat"
key=$(block smoke-kcat | sed -nE "s/^echo '([^:]+):.*/\1/p")
bash <(block smoke-kcat)
status=""
for _ in $(seq 1 60); do
  status=$(psql "postgresql://taskuser:taskpass@localhost:5432/taskdb" -tAc \
    "SELECT status FROM tasks WHERE idempotency_key = '$key'")
  [[ "$status" == succeeded ]] && break
  sleep 0.5
done
[[ "$status" == succeeded ]] || { echo "kcat example did not reach succeeded (status '$status')" >&2; exit 1; }
echo "task with key $key: $status"

echo "--- taskctl with the launcher's key (read from local-data/endpoints.env)"
listed=$(bin/taskctl list --limit 5)
echo "$listed"
grep -q '^ID ' <<<"$listed" || { echo "taskctl list failed" >&2; exit 1; }

echo "--- SIGTERM"
kill -TERM "$pid"
for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
if kill -0 "$pid" 2>/dev/null; then tail -100 "$log"; echo "Still running 60 s after SIGTERM" >&2; exit 1; fi
trap - EXIT
wait "$pid" || true
grep -q "^Task scheduler stopped" "$log" || { tail -100 "$log"; echo "No clean shutdown in the log" >&2; exit 1; }
! pgrep -f "local-data/(postgres|redis)" >/dev/null || { echo "Infrastructure processes left behind" >&2; exit 1; }

echo "--- SIGKILL of the launcher, then the run command again"
start_system
# shellcheck source=/dev/null
source local-data/endpoints.env
accepted=()
for i in $(seq 1 20); do
  delay=$([[ $((i % 2)) -eq 0 ]] && echo PT0S || echo PT8S)
  accepted+=("$(curl -fs -X POST http://localhost:8080/api/v1/tasks -H 'Content-Type: application/json' \
    -H "Authorization: Bearer $API_KEY" \
    -d "{\"type\":\"noop\",\"delay\":\"$delay\"}" | sed -E 's/.*"id":"([^"]+)".*/\1/')")
done
kill -KILL "$pid"
wait "$pid" 2>/dev/null || true
pgrep -f "local-data/(postgres|redis)" >/dev/null || { echo "Expected the killed launcher to leave orphans" >&2; exit 1; }
rm -f local-data/endpoints.env # the killed launcher could not remove it
start_system
ids=$(printf "'%s'," "${accepted[@]}")
done_count=0
for _ in $(seq 1 120); do
  done_count=$(psql "postgresql://taskuser:taskpass@localhost:5432/taskdb" -tAc \
    "SELECT count(*) FROM tasks WHERE id IN (${ids%,}) AND status = 'succeeded'")
  [[ "$done_count" == "${#accepted[@]}" ]] && break
  sleep 0.5
done
[[ "$done_count" == "${#accepted[@]}" ]] || { tail -100 "$log"; echo "Only $done_count of ${#accepted[@]} tasks accepted before the SIGKILL succeeded" >&2; exit 1; }
echo "all ${#accepted[@]} tasks accepted before the SIGKILL succeeded"
kill -TERM "$pid"
for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
trap - EXIT
wait "$pid" || true
! pgrep -f "local-data/(postgres|redis)" >/dev/null || { echo "Infrastructure processes left behind" >&2; exit 1; }
echo "smoke: 6 passed, 0 failed"
