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
curl -fs http://localhost:8080/actuator/health/readiness
echo

echo "--- README: submit over REST and read back"
rest_example=$(mktemp)
block smoke-rest > "$rest_example"
# shellcheck disable=SC2016 # written for the example's shell, which sets TASK_ID
echo 'echo; echo "TASK_ID=$TASK_ID"' >> "$rest_example"
out=$(bash "$rest_example")
echo "$out"
task_id=$(sed -n 's/^TASK_ID=//p' <<<"$out")
[[ -n "$task_id" ]] || { echo "REST example printed no task id" >&2; exit 1; }
# The example reads the task right after submitting it; a moment later it has run.
for _ in $(seq 1 60); do
  out=$(curl -fs "http://localhost:8080/api/v1/tasks/$task_id")
  if grep -q '"status":"succeeded"' <<<"$out"; then break; fi
  sleep 0.5
done
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
accepted=()
for i in $(seq 1 20); do
  delay=$([[ $((i % 2)) -eq 0 ]] && echo PT0S || echo PT8S)
  accepted+=("$(curl -fs -X POST http://localhost:8080/api/v1/tasks -H 'Content-Type: application/json' \
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
echo "smoke: 4 passed, 0 failed"
