#!/usr/bin/env bash
# The single-task endpoint once the services are warm: requests a second and CPU per request.
#
# The full benchmark measures the endpoint for 20 s a few minutes after the start, while the JIT
# compilers are still busy with code the earlier scenarios did not run; that figure mixes the
# endpoint's cost with warm-up. This script loads one running system with 64 keep-alive
# connections (wrk), first WARM seconds unmeasured, then ROUNDS rounds of 20 s, and reports per
# round: requests a second, the services process's CPU ms per request (utime + stime from /proc,
# all its threads) and that of its Tomcat threads alone (http-nio-*). Compare two builds by
# starting each in turn on the same machine in the same hour.
#
# Each request submits a task of type bench-parked due in 20 hours. Start the system so that this
# type goes to a pool no worker reads, as for `bin/benchmark --target`:
#   JAVA_OPTS="-Dscheduler.timers.pools.bench-parked=bench" bin/task-scheduler-dev
#
# Usage: benchmarks/warm-single.sh <endpoints.env> <services-pid> [WARM] [ROUNDS] [CONNECTIONS]
#   endpoints.env: the file bin/task-scheduler-dev writes (local-data/endpoints.env by default)
# Needs wrk (Debian: apt-get install wrk).
set -euo pipefail

endpoints=${1:?usage: warm-single.sh <endpoints.env> <services-pid> [WARM] [ROUNDS] [CONNECTIONS]}
pid=${2:?the services process id}
warm=${3:-150}
rounds=${4:-3}
connections=${5:-64}
# shellcheck source=/dev/null
source "$endpoints"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
run_at=$(date -u -d '+20 hours' +%Y-%m-%dT%H:%M:%SZ)
cat > "$work/post.lua" <<LUA
wrk.method = "POST"
wrk.body = '{"type":"bench-parked","runAt":"$run_at","payload":{"n":1}}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $API_KEY"
LUA
ticks=$(getconf CLK_TCK)

process_ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }

tomcat_ticks() {
  local total=0 task
  for task in /proc/"$pid"/task/*; do
    if grep -q '^http-nio' "$task/comm" 2>/dev/null; then
      total=$((total + $(awk '{print $14 + $15}' "$task/stat")))
    fi
  done
  echo "$total"
}

load() { wrk -t2 -c"$connections" -d"$1"s -s "$work/post.lua" "$API_URL/api/v1/tasks"; }

echo "warming up for $warm s"
load "$warm" > /dev/null
printf '%-6s %12s %22s %22s\n' round requests/s "process, ms/request" "Tomcat, ms/request"
for round in $(seq 1 "$rounds"); do
  process_before=$(process_ticks)
  tomcat_before=$(tomcat_ticks)
  load 20 > "$work/round.txt"
  process_after=$(process_ticks)
  tomcat_after=$(tomcat_ticks)
  requests=$(awk '/requests in/ {print $1}' "$work/round.txt")
  if grep -q 'Non-2xx' "$work/round.txt"; then
    echo "round $round: some answers were not 2xx:" >&2
    cat "$work/round.txt" >&2
    exit 1
  fi
  awk -v r="$round" -v n="$requests" -v s=20 -v t="$ticks" -v p=$((process_after - process_before)) \
      -v c=$((tomcat_after - tomcat_before)) \
      'BEGIN { printf "%-6s %12.0f %22.3f %22.3f\n", r, n / s, p * 1000 / t / n, c * 1000 / t / n }'
done
