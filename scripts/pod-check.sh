#!/usr/bin/env bash
# Builds the model-server image and a baked-model image with Docker (or buildah), then runs the pod check against
# them: each container started the way the generated Deployment starts it (k8s/deployments.yaml: args
# `--host 0.0.0.0 --model ...`, MLOPS_PORT on a non-default port, uid 10001, read-only root file system, /tmp
# writable, the model store mounted read-only), and it must answer /ready 200 on that port, predict the example's
# smoke rows right, turn healthy by the image's HEALTHCHECK, and stop on SIGTERM within the grace period.
# PodRunTest runs the same check without an engine; this script is not part of .ci/run.
#
#   scripts/pod-check.sh                 # docker if it answers, else podman/buildah
#   ENGINE=buildah scripts/pod-check.sh  # force one; JDK_IMAGE=... JRE_IMAGE=... pass base images through
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

die() { echo "pod-check: $*" >&2; exit 2; }

ENGINE=${ENGINE:-}
if [[ -z $ENGINE ]]; then
  if command -v docker >/dev/null && docker info >/dev/null 2>&1; then ENGINE=docker
  elif command -v podman >/dev/null; then ENGINE=podman
  elif command -v buildah >/dev/null; then ENGINE=buildah
  else die "no image engine: needs a running Docker, or podman, or buildah"; fi
fi
command -v curl >/dev/null || die "needs curl"
command -v python3 >/dev/null || die "needs python3 (to turn smoke.csv into a request)"

TAG=podcheck-$$
SERVER=mlops-serve:$TAG
BAKED=mlops-serve-breast-cancer-classifier:$TAG
WORK=$(mktemp -d)
CONTAINERS=()
cleanup() {
  for c in "${CONTAINERS[@]:-}"; do [[ -n $c ]] && stop_container "$c" >/dev/null 2>&1 || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

build_args=(--build-arg "GIT_SHA=$(git rev-parse HEAD 2>/dev/null || echo unknown)")
[[ -n ${JDK_IMAGE:-} ]] && build_args+=(--build-arg "JDK_IMAGE=$JDK_IMAGE")
[[ -n ${JRE_IMAGE:-} ]] && build_args+=(--build-arg "JRE_IMAGE=$JRE_IMAGE")

build() { # build <tag> <dockerfile> <context> [args...]
  local tag=$1 file=$2 ctx=$3; shift 3
  if [[ $ENGINE == buildah ]]; then buildah bud --layers -f "$file" -t "$tag" "$@" "$ctx"
  else "$ENGINE" build -f "$file" -t "$tag" "$@" "$ctx"; fi
}

# run_container <name> <port> <image> <mount-or-empty> <env...> -- <args...>: prints an id to stop it by.
run_container() {
  local name=$1 port=$2 image=$3 mount=$4; shift 4
  local envs=() args=()
  while [[ $1 != -- ]]; do envs+=(-e "$1"); shift; done; shift
  args=("$@")
  local vol=()
  [[ -n $mount ]] && vol=(-v "$mount")
  if [[ $ENGINE == buildah ]]; then
    # buildah runs a command in a working container; ENTRYPOINT is not applied, so it is read from the image.
    local ctr entry
    ctr=$(buildah from "$image")
    entry=$(buildah inspect --format '{{range .OCIv1.Config.Entrypoint}}{{.}} {{end}}' "$image")
    # shellcheck disable=SC2086
    buildah run --network=host --user 10001:10001 "${vol[@]}" "${envs[@]}" "$ctr" -- $entry "${args[@]}" \
      >"$WORK/$name.log" 2>&1 &
    echo "buildah:$ctr:$!"
  else
    "$ENGINE" run -d --name "$name-$TAG" --user 10001:10001 --read-only --tmpfs /tmp:rw,mode=1777 \
      --cap-drop ALL --security-opt no-new-privileges -p "127.0.0.1:$port:$port" "${vol[@]}" "${envs[@]}" \
      "$image" "${args[@]}"
  fi
}

stop_container() {
  local id=$1
  if [[ $id == buildah:* ]]; then
    IFS=: read -r _ ctr pid <<<"$id"
    kill -TERM "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true
    buildah rm "$ctr" >/dev/null
  else
    "$ENGINE" stop -t 30 "$id" >/dev/null; "$ENGINE" rm "$id" >/dev/null
  fi
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

smoke_request() { # the smoke rows as {"instances": [...]}, and the expected labels, one per line
  python3 - "$1" "$WORK/expected.txt" <<'PY'
import csv, json, sys
rows = list(csv.reader(open(sys.argv[1])))[1:]
open(sys.argv[2], "w").write("\n".join(r[-1] for r in rows) + "\n")
print(json.dumps({"instances": [[float(v) for v in r[:-1]] for r in rows]}))
PY
}

check_pod() { # check_pod <what> <id> <port> <expected model_version>
  local what=$1 id=$2 port=$3 version=$4 url="http://127.0.0.1:$3" start=$SECONDS
  until curl -fsS -o /dev/null "$url/ready"; do
    (( SECONDS - start > 180 )) && { echo "FAIL $what: /ready not 200 on port $port after 180 s"; return 1; }
    sleep 1
  done
  local served
  served=$(curl -fsS -D - -o /dev/null "$url/ready" | tr -d '\r' | awk -F': ' 'tolower($1)=="x-model-version"{print $2}')
  [[ $served == "$version" ]] || { echo "FAIL $what: serves model_version '$served', expected $version"; return 1; }
  curl -fsS -H 'Content-Type: application/json' --data-binary @"$WORK/smoke.json" "$url/predict" \
    | python3 -c 'import json,sys; print("\n".join(str(p) for p in json.load(sys.stdin)["predictions"]))' >"$WORK/got.txt"
  local right total
  total=$(wc -l <"$WORK/expected.txt"); right=$(paste -d' ' "$WORK/got.txt" "$WORK/expected.txt" | awk '$1==$2' | wc -l)
  (( right == total )) || { echo "FAIL $what: $right of $total smoke rows right"; return 1; }
  local health=n/a
  if [[ $id != buildah:* ]]; then
    local t=$SECONDS
    until health=$("$ENGINE" inspect --format '{{.State.Health.Status}}' "$id"); [[ $health == healthy ]]; do
      (( SECONDS - t > 90 )) && { echo "FAIL $what: HEALTHCHECK says $health"; return 1; }
      sleep 2
    done
  fi
  local s0=$SECONDS
  stop_container "$id"
  echo "ok   $what: /ready 200 on port $port, model_version $version, $right of $total smoke rows right," \
       "HEALTHCHECK $health, stopped in $(( SECONDS - s0 )) s"
}

echo "== engine: $ENGINE"
echo "== building $SERVER"
build "$SERVER" Dockerfile . "${build_args[@]}"

echo "== training the example into a model store"
cp -r examples/breast-cancer "$WORK/proj"
rm -rf "$WORK/proj/mlruns" "$WORK/proj/out"
./mlops run -f "$WORK/proj/mlops.yaml" -q
chmod -R a+rX "$WORK"
smoke_request "$WORK/proj/data/smoke.csv" >"$WORK/smoke.json"
MODEL="$WORK/proj/out/model.tribuo"
SHA=$(sha256sum "$MODEL" | cut -c1-64)

echo "== building $BAKED (Dockerfile.model, context: the model's folder)"
build "$BAKED" Dockerfile.model "$WORK/proj/out" --build-arg "SERVER_IMAGE=$SERVER" \
  --build-arg MODEL_NAME=breast-cancer-classifier --build-arg MODEL_VERSION=1 --build-arg "MODEL_SHA256=$SHA"

status=0
P=$(free_port)
id=$(run_container registry "$P" "$SERVER" "$WORK/proj/mlruns:/mlruns:ro" "MLOPS_PORT=$P" MLFLOW_TRACKING_URI=/mlruns \
  -- --host 0.0.0.0 --model models:/breast-cancer-classifier/1)
CONTAINERS+=("$id")
check_pod "registry model (store mounted read-only)" "$id" "$P" 1 || status=1

P=$(free_port)
id=$(run_container baked "$P" "$BAKED" "" "MLOPS_PORT=$P" -- --host 0.0.0.0 --model /models/model.tribuo)
CONTAINERS+=("$id")
check_pod "baked-in model" "$id" "$P" 1 || status=1

if [[ $ENGINE != buildah ]]; then
  echo "== labels of $BAKED"
  "$ENGINE" inspect --format '{{range $k, $v := .Config.Labels}}{{$k}}={{$v}}{{"\n"}}{{end}}' "$BAKED" | grep dev.mlops
fi
exit $status
