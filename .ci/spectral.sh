#!/usr/bin/env bash
# Lints the API's OpenAPI document with Spectral's OpenAPI ruleset (.spectral.yaml); any warning
# fails. Also proves the lint can fail: the same document without its contact must be refused.
# Installs Debian's node and npm when missing, and the pinned Spectral CLI from the npm registry
# into a cache folder outside the checkout; safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

SPECTRAL_VERSION=6.16.3
document=ingest-api/openapi.json
prefix="${XDG_CACHE_HOME:-$HOME/.cache}/task-scheduler/spectral-$SPECTRAL_VERSION"
spectral="$prefix/node_modules/.bin/spectral"

if ! command -v npm >/dev/null; then
  SUDO=""; [[ $(id -u) -eq 0 ]] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends nodejs npm
fi
if [[ ! -x "$spectral" ]]; then
  mkdir -p "$prefix"
  npm install --prefix "$prefix" --no-audit --no-fund --loglevel=error "@stoplight/spectral-cli@$SPECTRAL_VERSION"
fi
"$spectral" --version

echo "--- spectral lint $document"
"$spectral" lint --ruleset .spectral.yaml --fail-severity=warn "$document"

echo "--- the lint refuses a document that breaks a rule"
broken=$(mktemp --suffix=.json)
trap 'rm -f "$broken"' EXIT
node -e 'const d = JSON.parse(require("fs").readFileSync(process.argv[1])); delete d.info.contact;
  require("fs").writeFileSync(process.argv[2], JSON.stringify(d));' "$document" "$broken"
if "$spectral" lint --ruleset .spectral.yaml --fail-severity=warn --quiet "$broken" >/dev/null; then
  echo "FAIL: spectral accepted a document without info.contact" >&2
  exit 1
fi
echo "refused, as it should be"
