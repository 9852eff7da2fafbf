#!/usr/bin/env bash
# How fast a running system drains a burst of submissions, and what each process pays per task.
#
# Produces N keyed noop submissions to tasks.submissions at once (kcat, a few tenths of a second),
# then waits until all of them have succeeded, and reports the time from the first record to the
# last success, tasks a second, and CPU ms per task of PostgreSQL (every postgres process), the
# services' process and Redis (utime + stime from /proc, so the system must run on this machine, as
# bin/task-scheduler-dev does). Unlike a step of the benchmark at a fixed rate, nothing here waits
# for a clock: the figure is the pipeline's capacity with every stage batching as much as it can.
# Compare two builds by starting each in turn on the same machine in the same hour, and run a burst
# or two first: a freshly started system is still compiling.
#
# Usage: benchmarks/topic-burst.sh <endpoints.env> <services-pid> [N] [ROUNDS]
#   endpoints.env: the file bin/task-scheduler-dev writes (local-data/endpoints.env by default)
# Needs kcat, psql and python3.
set -euo pipefail

endpoints=${1:?usage: topic-burst.sh <endpoints.env> <services-pid> [N] [ROUNDS]}
pid=${2:?the services process id}
n=${3:-150000}
rounds=${4:-1}
# shellcheck source=/dev/null
source "$endpoints"
psql_url="postgresql://$DB_USER:$DB_PASSWORD@${JDBC_URL#jdbc:postgresql://}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

succeeded() { psql "$psql_url" -tAc "SELECT count(*) FROM tasks WHERE status = 'succeeded'"; }
# Ticks of every process whose command name starts with $1.
ticks_of() {
  local total=0 stat
  for stat in /proc/[0-9]*/stat; do
    read -r _ comm rest < "$stat" 2>/dev/null || continue
    if [[ $comm == "($1"* ]]; then
      # shellcheck disable=SC2086
      set -- "$1" $rest
      total=$((total + ${13} + ${14}))
    fi
  done
  echo "$total"
}
service_ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }

printf '%-6s %10s %10s %12s %12s %12s\n' round seconds tasks/s "PostgreSQL" services Redis
for round in $(seq 1 "$rounds"); do
  run=$(date +%s%N)
  python3 -c "
import sys
for i in range($n):
    sys.stdout.write('burst-$run-%d:{\"type\":\"noop\"}\n' % i)" > "$work/records"
  before=$(succeeded)
  pg_before=$(ticks_of postgres)
  redis_before=$(ticks_of redis-server)
  services_before=$(service_ticks)
  start=$(date +%s.%N)
  kcat -P -b "$KAFKA_BOOTSTRAP" -t tasks.submissions -K: -l "$work/records"
  while (($(succeeded) - before < n)); do
    sleep 0.5
  done
  end=$(date +%s.%N)
  python3 - "$n" "$start" "$end" "$(getconf CLK_TCK)" \
    "$pg_before" "$(ticks_of postgres)" "$services_before" "$(service_ticks)" \
    "$redis_before" "$(ticks_of redis-server)" "$round" <<'PY'
import sys
n, start, end, hz = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
pg, services, redis = (int(sys.argv[i + 1]) - int(sys.argv[i]) for i in (5, 7, 9))
per_task = lambda ticks: f'{ticks * 1000 / hz / n:.4f} ms'
print(f'{sys.argv[11]:<6} {end - start:10.1f} {n / (end - start):10.0f} '
      f'{per_task(pg):>12} {per_task(services):>12} {per_task(redis):>12}')
PY
done
