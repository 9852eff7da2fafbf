#!/usr/bin/env bash
# Offline validation of the deployment: renders every kustomize overlay of deploy/, validates each
# object against its schema and the project's rules (deploy/validation), checks the production
# overlay against the operators' runbook and the kubectl commands of deploy/README.md and
# ops/README.md, checks docker-compose.yml against the development overlay, and proves that the
# validator rejects each broken fixture of deploy/validation/fixtures.
#
# Needs: a JDK 17+ (the validator is a small Java program built with ./mvnw; its dependencies come
# from Maven Central on the first run) and kustomize v5, either a `kustomize` binary or the one
# built into kubectl 1.27+ (`kubectl kustomize`). Writes nothing outside deploy/validation/target
# and a temporary directory; safe to re-run.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
started=$(date +%s)
export MAVEN_ARGS="${MAVEN_ARGS:--B -ntp}"

# --- tools ---------------------------------------------------------------------------------------
command -v java >/dev/null || { echo "validate-deploy: java (JDK 17+) is required" >&2; exit 1; }

major() { sed -nE 's/.*v?([0-9]+)\.[0-9]+\.[0-9]+.*/\1/p' | head -1; }
if command -v kustomize >/dev/null && [[ "$(kustomize version 2>/dev/null | major)" -ge 5 ]]; then
  render() { kustomize build "$1"; }
  kustomize_version="kustomize $(kustomize version 2>/dev/null)"
elif command -v kubectl >/dev/null \
    && [[ "$(kubectl version --client -o json 2>/dev/null | grep kustomizeVersion | major)" -ge 5 ]]; then
  render() { kubectl kustomize "$1"; }
  kustomize_version="kubectl kustomize ($(kubectl version --client -o json | grep kustomizeVersion | tr -d ' ",'))"
else
  # Debian's kubernetes-client (kubectl 1.20) embeds kustomize v2, which lacks components, labels
  # and patches; it cannot render these overlays.
  echo "validate-deploy: needs kustomize v5: a kustomize binary or kubectl 1.27+ on the PATH" >&2
  exit 1
fi

# --- the validator -------------------------------------------------------------------------------
validation=deploy/validation
./mvnw -q -f "$validation/pom.xml" compile dependency:build-classpath \
  -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=runtime
classpath="$validation/target/classes:$(cat "$validation/target/classpath.txt")"
# Short-lived runs: C1 only and the serial collector start about twice as fast.
validate() {
  java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp "$classpath" dev.taskscheduler.deploy.validation.DeployValidator "$@"
}

# --- render --------------------------------------------------------------------------------------
# A copy of deploy/, so that the production credentials can be the committed examples (real
# credential files, if a workstation has them, are never read).
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r deploy "$work/deploy"
for example in "$work"/deploy/overlays/prod/secrets/*.env.example; do
  cp -f "$example" "${example%.example}"
done
for overlay in dev prod prod-keda; do
  render "$work/deploy/overlays/$overlay" > "$work/$overlay.yaml"
done
# The production overlay plus the on-demand tools the operator docs use.
{ cat "$work/prod.yaml"; for tool in deploy/tools/*.yaml; do echo "---"; cat "$tool"; done; } > "$work/prod-and-tools.yaml"

# --- the cases ------------------------------------------------------------------------------------
# One line per case for a single validator run: name, expectation ("valid", or "reject:" and a
# text the rejection must contain), then the validator's arguments; tab-separated.
cases="$work/cases.tsv"
case_line() { local IFS=$'\t'; echo "$*" >> "$cases"; }

# What must be valid.
docs=(--docs deploy/README.md)
[[ -f ops/README.md ]] && docs+=(--docs ops/README.md)
case_line "overlay dev" valid manifests "$work/dev.yaml"
case_line "overlay prod, runbook, security, operator docs" valid manifests "$work/prod-and-tools.yaml" --runbook --secure "${docs[@]}" --root "$root"
case_line "overlay prod-keda" valid manifests "$work/prod-keda.yaml" --secure
case_line "docker-compose.yml" valid compose docker-compose.yml --reference "$work/dev.yaml" --root "$root"
case_line "Dockerfiles" valid images deploy/images --reference "$work/prod.yaml"

# What must be rejected: each fixture, for the reason in its expected.txt.
for fixture in "$work"/deploy/validation/fixtures/*/; do
  name=$(basename "$fixture")
  expected="reject:$(cat "$fixture/expected.txt")"
  if [[ -f "$fixture/kustomization.yaml" ]]; then
    render "$fixture" > "$work/fixture-$name.yaml" \
      || { echo "validate-deploy: fixture $name does not render, so it tests nothing" >&2; exit 1; }
    case_line "fixture $name" "$expected" manifests "$work/fixture-$name.yaml" --runbook --secure
  elif [[ -f "$fixture/README.md" ]]; then
    case_line "fixture $name" "$expected" manifests "$work/prod-and-tools.yaml" --runbook --secure \
      --docs "$validation/fixtures/$name/README.md" --root "$root"
  elif [[ -f "$fixture/remove-lines.txt" ]]; then
    grep -vxF -f "$fixture/remove-lines.txt" docker-compose.yml > "$work/compose-$name.yml" || true
    case_line "fixture $name" "$expected" compose "$work/compose-$name.yml" --reference "$work/dev.yaml" --root "$root"
  elif [[ -f "$fixture/compose.sed" ]]; then
    sed -f "$fixture/compose.sed" docker-compose.yml > "$work/compose-$name.yml"
    case_line "fixture $name" "$expected" compose "$work/compose-$name.yml" --reference "$work/dev.yaml" --root "$root"
  elif [[ -f "$fixture/dockerfile.sed" ]]; then
    cp -r deploy/images "$work/images-$name"
    for dockerfile in "$work/images-$name"/*/Dockerfile; do sed -i -f "$fixture/dockerfile.sed" "$dockerfile"; done
    case_line "fixture $name" "$expected" images "$work/images-$name" --reference "$work/prod.yaml"
  else
    echo "validate-deploy: fixture $name has no kustomization.yaml, README.md, remove-lines.txt, compose.sed or dockerfile.sed" >&2
    exit 1
  fi
done

status=0
validate batch "$cases" || status=$?
echo "($kustomize_version, $(( $(date +%s) - started )) s)"
exit $status
