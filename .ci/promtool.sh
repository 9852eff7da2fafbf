#!/usr/bin/env bash
# Checks the Prometheus alert rules in ops/prometheus/ and runs their unit tests with promtool:
#   - promtool check rules on the rules file; the PrometheusRule must equal the generated one;
#   - promtool test rules on ops/prometheus/tests/*.yml;
#   - every alert has a runbook with the four sections, links it, and has a test where it fires
#     and one where it does not;
#   - the broken fixtures in ops/prometheus/tests/broken/ must fail, proving the checks can fail.
# Installs promtool (Debian package "prometheus") when it is missing; safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v promtool >/dev/null; then
  SUDO=""; [[ $(id -u) -eq 0 ]] || SUDO="sudo"
  $SUDO apt-get update -qq
  # policy-rc.d 101: the package must not start a Prometheus server here; only promtool is used.
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null
    $SUDO chmod +x /usr/sbin/policy-rc.d
    trap '$SUDO rm -f /usr/sbin/policy-rc.d' EXIT
  fi
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends prometheus
fi
promtool --version | head -1

dir=ops/prometheus
rules=$dir/task-scheduler-rules.yml
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }

echo "--- promtool check rules"
promtool check rules "$rules" || fail "promtool check rules $rules"

echo "--- PrometheusRule is generated from the rules file"
for generated in "$dir/task-scheduler-prometheusrule.yaml" deploy/base/monitoring/prometheus-rules.yaml; do
  diff -u "$generated" <(bash "$dir/generate-prometheusrule.sh" --stdout) \
    || fail "$generated differs from the rules file: run $dir/generate-prometheusrule.sh"
done

echo "--- Grafana dashboard: valid JSON, and every metric it charts is documented in ops/README.md"
dashboard=ops/grafana/task-scheduler-dashboard.json
python3 - "$dashboard" <<'PY' || fail "$dashboard"
import json, re, sys
dashboard = json.load(open(sys.argv[1]))
documented = open("ops/README.md").read() + open("ops/prometheus/task-scheduler-rules.yml").read()
missing = set()
for panel in dashboard["panels"]:
    for target in panel["targets"]:
        for name in re.findall(r"\b([a-z][a-z0-9_]*_(?:total|bucket|size|lag|seconds|timers|bytes|active|usage|status))\b",
                               target["expr"]):
            if re.sub(r"_bucket$", "", name) not in documented:
                missing.add(name)
if missing:
    sys.exit("charted but not documented: " + ", ".join(sorted(missing)))
print(f"{len(dashboard['panels'])} panels, every metric documented")
PY

echo "--- promtool test rules"
promtool test rules "$dir"/tests/*.yml || fail "promtool test rules"

echo "--- runbooks and test coverage of every alert"
base="https://github.com/task-scheduler/task-scheduler/blob/main/ops/runbooks"
# For each alertname in the tests: "fires" when followed by a non-empty exp_alerts, "silent" for [].
coverage=$(awk '/alertname:/ {name=$2} /exp_alerts: *\[\]/ {print name" silent"; next} /exp_alerts:/ {print name" fires"}' \
  "$dir"/tests/*.yml | sort -u)
alerts=$(sed -nE 's/^ *- alert: *([A-Za-z0-9]+) *$/\1/p' "$rules")
[[ -n "$alerts" ]] || fail "no alerts found in $rules"
for alert in $alerts; do
  runbook=ops/runbooks/$alert.md
  [[ -f "$runbook" ]] || { fail "$alert has no runbook $runbook"; continue; }
  for section in Meaning Impact Diagnosis Mitigation; do
    grep -qx "## $section" "$runbook" || fail "$runbook has no '## $section' section"
  done
  grep -qF "runbook_url: $base/$alert.md" "$rules" || fail "$alert does not link $base/$alert.md"
  grep -qx "$alert fires" <<<"$coverage" || fail "$alert has no test in which it fires"
  grep -qx "$alert silent" <<<"$coverage" || fail "$alert has no test in which it stays silent"
done
echo "$(wc -w <<<"$alerts") alerts, each with a runbook and tests firing and not firing"

echo "--- the broken fixtures must fail"
if promtool check rules "$dir/tests/broken/syntax-rules.yml" >/dev/null 2>&1; then
  fail "promtool check rules accepted $dir/tests/broken/syntax-rules.yml"
fi
if promtool test rules "$dir/tests/broken/wrong-threshold-test.yml" >/dev/null 2>&1; then
  fail "promtool test rules passed $dir/tests/broken/wrong-threshold-test.yml"
fi

if ((failures)); then
  echo "promtool: $failures check(s) failed" >&2
  exit 1
fi
echo "promtool: all checks passed"
