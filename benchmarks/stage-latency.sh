#!/usr/bin/env bash
# Where the time between a submission and its handler's start goes, stage by stage.
#
# Produces N noop submissions to tasks.submissions at RATE a second, waits until all succeeded,
# then joins each task's timestamps: the submission record's, the row's created_at, its
# TaskScheduled event's on task.events, its release's on the ready topic, and the row's
# started_at and finished_at. Record timestamps are the producers' (CreateTime); a release is
# visible to the worker only once the scheduler's transaction commits, so that wait counts in
# ready->started. Run it against a warm system (a first run warms it up).
#
# Usage: benchmarks/stage-latency.sh <endpoints.env> [N] [RATE]
#   endpoints.env: the file bin/task-scheduler-dev writes (local-data/endpoints.env by default)
# Needs kcat, psql and python3.
set -euo pipefail

endpoints=${1:?usage: stage-latency.sh <endpoints.env> [N] [RATE]}
n=${2:-3000}
rate=${3:-250}
# shellcheck source=/dev/null
source "$endpoints"
run=$(date +%s%N)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
psql_url="postgresql://$DB_USER:$DB_PASSWORD@${JDBC_URL#jdbc:postgresql://}"

python3 - "$n" "$rate" "$run" <<'PY' | kcat -P -b "$KAFKA_BOOTSTRAP" -t tasks.submissions -K: -X linger.ms=0
import sys, time
n, rate, run = int(sys.argv[1]), float(sys.argv[2]), sys.argv[3]
start = time.time()
for i in range(n):
    wait = start + i / rate - time.time()
    if wait > 0:
        time.sleep(wait)
    sys.stdout.write('stage-%s-%d:{"type":"noop"}\n' % (run, i))
    sys.stdout.flush()
PY

until [[ $(psql "$psql_url" -tAc "SELECT count(*) FROM tasks WHERE idempotency_key LIKE 'stage-$run-%' AND status = 'succeeded'") -ge $n ]]; do
  sleep 1
done

kcat -C -b "$KAFKA_BOOTSTRAP" -t tasks.submissions -o "-$((n + 50))" -e -q -f '%k %T\n' 2>/dev/null > "$work/submitted" || true
kcat -C -b "$KAFKA_BOOTSTRAP" -t task.events -o "-$((n * 2 + 50))" -e -q -f '%k %T\n' 2>/dev/null > "$work/events" || true
kcat -C -b "$KAFKA_BOOTSTRAP" -t tasks.ready.default -o "-$((n + 50))" -e -q -X isolation.level=read_committed \
  -f '%k %T\n' 2>/dev/null > "$work/ready" || true
psql "$psql_url" -tAc "SELECT idempotency_key, id, floor(extract(epoch FROM created_at) * 1000)::bigint,
    floor(extract(epoch FROM started_at) * 1000)::bigint, floor(extract(epoch FROM finished_at) * 1000)::bigint
  FROM tasks WHERE idempotency_key LIKE 'stage-$run-%'" > "$work/rows"

python3 - "$work" <<'PY'
import sys
work = sys.argv[1]

def first_timestamps(name):
    stamps = {}
    for line in open(f"{work}/{name}"):
        key, stamp = line.split()
        stamps.setdefault(key, int(stamp))
    return stamps

submitted, events, ready = (first_timestamps(f) for f in ("submitted", "events", "ready"))
stages = {name: [] for name in ("submitted->created", "created->event", "event->ready", "ready->started",
                                "started->finished", "submitted->started")}
for line in open(f"{work}/rows"):
    if not line.strip():
        continue
    key, task, created, started, finished = line.strip().split("|")
    if key not in submitted or task not in events or task not in ready:
        continue
    created, started, finished = int(created), int(started), int(finished)
    stages["submitted->created"].append(created - submitted[key])
    stages["created->event"].append(events[task] - created)
    stages["event->ready"].append(ready[task] - events[task])
    stages["ready->started"].append(started - ready[task])
    stages["started->finished"].append(finished - started)
    stages["submitted->started"].append(started - submitted[key])
for name, values in stages.items():
    values.sort()
    if values:
        pick = lambda q: values[min(len(values) - 1, int(len(values) * q))]
        print(f"{name:20s} n={len(values)} p50={pick(0.5)} p90={pick(0.9)} p99={pick(0.99)} max={values[-1]} ms")
PY
