#!/usr/bin/env bash
# Builds the four service images from the Spring Boot jars and tags them
# ${REGISTRY_HOST}/task-scheduler/<service>:<tag> (plus :latest, which the runbook's image scan
# uses; the manifests always name the version tag).
#
#   REGISTRY_HOST=registry.example.com TAG=0.1.0 deploy/images/build.sh [--push] [--skip-maven] [service...]
#
# Needs a JDK 17 (Maven runs through ./mvnw) and Docker with BuildKit.
set -euo pipefail
cd "$(dirname "$0")/../.."

: "${REGISTRY_HOST:?set REGISTRY_HOST, e.g. registry.example.com}"
: "${TAG:?set TAG, the release version, e.g. 0.1.0}"
[[ "$TAG" != latest ]] || { echo "TAG must be a version, not latest" >&2; exit 1; }

push=false
maven=true
services=()
for arg in "$@"; do
  case "$arg" in
    --push) push=true ;;
    --skip-maven) maven=false ;;
    -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
    *) services+=("$arg") ;;
  esac
done
((${#services[@]})) || services=(api-server outbox-relay scheduler worker)

module_of() {
  case "$1" in
    api-server) echo ingest-api ;;
    outbox-relay) echo outbox-relay ;;
    scheduler) echo scheduler-streams ;;
    worker) echo worker ;;
    *) echo "unknown service $1 (api-server, outbox-relay, scheduler, worker)" >&2; return 1 ;;
  esac
}

if $maven; then
  modules=$(for s in "${services[@]}"; do module_of "$s"; done | paste -sd, -)
  ./mvnw -B -ntp -DskipTests -pl "$modules" -am package
fi

revision=$(git rev-parse HEAD 2>/dev/null || echo unknown)
for service in "${services[@]}"; do
  module=$(module_of "$service")
  jars=("$module"/target/"$module"-*-exec.jar)
  [[ -f "${jars[0]}" ]] || { echo "no $module/target/$module-*-exec.jar: build without --skip-maven" >&2; exit 1; }
  image="$REGISTRY_HOST/task-scheduler/$service"
  echo "--- $image:$TAG from ${jars[0]}"
  docker build \
    --file "deploy/images/$service/Dockerfile" \
    --build-arg "JAR_FILE=$(basename "${jars[0]}")" \
    --label "org.opencontainers.image.title=$service" \
    --label "org.opencontainers.image.version=$TAG" \
    --label "org.opencontainers.image.revision=$revision" \
    --tag "$image:$TAG" \
    --tag "$image:latest" \
    "$module/target"
  if $push; then
    docker push "$image:$TAG"
    docker push "$image:latest"
  fi
done
