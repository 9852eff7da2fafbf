#!/usr/bin/env bash
# Writes task-scheduler-prometheusrule.yaml (a prometheus-operator PrometheusRule) from
# task-scheduler-rules.yml, and the same object into the Kubernetes base
# (deploy/base/monitoring/prometheus-rules.yaml), so none of them can drift: edit the plain file,
# then run this.
# With --stdout it prints the result instead (.ci/promtool.sh compares it with the committed file).
set -euo pipefail
cd "$(dirname "$0")"

render() {
  cat <<'HEADER'
# GENERATED from task-scheduler-rules.yml by generate-prometheusrule.sh: do not edit by hand.
apiVersion: monitoring.coreos.com/v1
kind: PrometheusRule
metadata:
  name: task-scheduler-rules
  namespace: task-scheduler
  labels:
    app.kubernetes.io/name: task-scheduler
    app.kubernetes.io/component: alert-rules
spec:
HEADER
  # The plain file's groups, indented under spec (its leading comment block is left out).
  sed -n '/^groups:/,$p' task-scheduler-rules.yml | sed -e 's/^\(.\)/  \1/'
}

if [[ "${1:-}" == "--stdout" ]]; then
  render
else
  render > task-scheduler-prometheusrule.yaml
  render > ../../deploy/base/monitoring/prometheus-rules.yaml
  echo "Wrote $(pwd)/task-scheduler-prometheusrule.yaml and deploy/base/monitoring/prometheus-rules.yaml"
fi
