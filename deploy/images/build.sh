#!/usr/bin/env bash
# Builds the images and tags them ${REGISTRY_HOST}/task-scheduler/<image>:<tag> (plus :latest,
# which the runbook's image scan uses; the manifests always name the version tag): the four
# services from their Spring Boot jars, and postgres (PostgreSQL with pgBackRest and ops/scripts).
#
#   REGISTRY_HOST=registry.example.com TAG=0.1.0 deploy/images/build.sh [--push] [--skip-maven] [image...]
#
# Each image's software bill of materials (CycloneDX JSON) is written to
# target/sbom/<image>-<tag>.cdx.json: a service's is the one Maven builds into its jar (and so into
# the image, /app/META-INF/sbom/application.cdx.json); postgres's is made from the built image by
# trivy, when trivy is installed.
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
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) services+=("$arg") ;;
  esac
done
((${#services[@]})) || services=(api-server outbox-relay scheduler worker postgres)

module_of() {
  case "$1" in
    api-server) echo ingest-api ;;
    outbox-relay) echo outbox-relay ;;
    scheduler) echo scheduler-streams ;;
    worker) echo worker ;;
    postgres) echo "" ;;
    *) echo "unknown image $1 (api-server, outbox-relay, scheduler, worker, postgres)" >&2; return 1 ;;
  esac
}

if $maven; then
  modules=$(for s in "${services[@]}"; do module_of "$s"; done | sed '/^$/d' | paste -sd, -)
  [[ -z "$modules" ]] || ./mvnw -B -ntp -DskipTests -pl "$modules" -am package
fi

revision=$(git rev-parse HEAD 2>/dev/null || echo unknown)
mkdir -p target/sbom
for service in "${services[@]}"; do
  module=$(module_of "$service")
  image="$REGISTRY_HOST/task-scheduler/$service"
  labels=(--label "org.opencontainers.image.title=$service" --label "org.opencontainers.image.version=$TAG"
    --label "org.opencontainers.image.revision=$revision")
  sbom="target/sbom/$service-$TAG.cdx.json"
  if [[ -z "$module" ]]; then
    echo "--- $image:$TAG from deploy/images/$service/Dockerfile"
    docker build --file "deploy/images/$service/Dockerfile" "${labels[@]}" \
      --tag "$image:$TAG" --tag "$image:latest" ops/scripts
    if command -v trivy >/dev/null; then
      trivy image --quiet --format cyclonedx --output "$sbom" "$image:$TAG"
    else
      echo "trivy is not installed: no $sbom (trivy image --format cyclonedx makes it)" >&2
    fi
  else
    jars=("$module"/target/"$module"-*-exec.jar)
    [[ -f "${jars[0]}" ]] || { echo "no $module/target/$module-*-exec.jar: build without --skip-maven" >&2; exit 1; }
    bom="$module/target/classes/META-INF/sbom/application.cdx.json"
    [[ -f "$bom" ]] || { echo "no $bom: build without --skip-maven" >&2; exit 1; }
    echo "--- $image:$TAG from ${jars[0]}"
    docker build \
      --file "deploy/images/$service/Dockerfile" \
      --build-arg "JAR_FILE=$(basename "${jars[0]}")" \
      "${labels[@]}" \
      --tag "$image:$TAG" \
      --tag "$image:latest" \
      "$module/target"
    cp "$bom" "$sbom"
  fi
  [[ ! -f "$sbom" ]] || echo "    software bill of materials: $sbom"
  if $push; then
    docker push "$image:$TAG"
    docker push "$image:latest"
  fi
done
