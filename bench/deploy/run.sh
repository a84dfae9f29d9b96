#!/usr/bin/env bash
# Deploy benchmark: API writes and switch/rollback timings of `mlops deploy` / `mlops rollback`.
#   Kubernetes: fabric8 mock API server in CRUD mode; the bench plays the controllers (no real pods).
#   Local:      real processes - fake model servers and the switchable proxy, each its own JVM, on 127.0.0.1.
# Baselines are measured in the same run: one API GET, one request through the proxy, a do-nothing JVM start,
# and a cold rollback (redeploy of a release that is no longer warm).
# Usage: bench/deploy/run.sh [rounds]     (from anywhere; needs JDK 17 and the Maven wrapper; SKIP_FAULTS=1 skips the
#        fault figures, which run the proxy and local-target fault tests, about 2 minutes)
set -euo pipefail
ROUNDS="${1:-5}"
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

echo "building test classes..." >&2
./mvnw -B -q -ntp -pl engine,serve test-compile >&2
./mvnw -B -q -ntp -pl engine dependency:build-classpath -Dmdep.outputFile="$WORK/cp.txt" -Dmdep.includeScope=test >&2
CP="engine/target/classes:engine/target/test-classes:serve/target/classes:serve/target/test-classes:$(cat "$WORK/cp.txt")"
JAVA=(java -Dsun.net.httpserver.nodelay=true -cp "$CP")

echo
"${JAVA[@]}" dev.mlops.engine.deploy.KubeDeployBench "$ROUNDS" 2>/dev/null | grep -v '^INFO\|MockWebServer'

PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')"
STATE="$WORK/state"
ms() { echo $(( ($2 - $1) / 1000000 )); }
cleanup() { "${JAVA[@]}" dev.mlops.serve.proxy.LocalDeployBench teardown "$STATE" "$PORT" >/dev/null 2>&1 || true; rm -rf "$WORK"; }
trap cleanup EXIT

echo
echo "local target (real processes on 127.0.0.1:$PORT)"
"${JAVA[@]}" dev.mlops.serve.proxy.LocalDeployBench setup "$STATE" "$PORT"

noop=()
for i in 1 2 3; do s=$(date +%s%N); "${JAVA[@]}" dev.mlops.serve.proxy.LocalDeployBench noop; e=$(date +%s%N); noop+=("$(ms "$s" "$e")"); done
warm=()
for i in $(seq 1 "$ROUNDS"); do
  s=$(date +%s%N); "${JAVA[@]}" dev.mlops.serve.proxy.LocalDeployBench rollback "$STATE" "$PORT" previous >/dev/null; e=$(date +%s%N)
  warm+=("$(ms "$s" "$e")")
done
s=$(date +%s%N); "${JAVA[@]}" dev.mlops.serve.proxy.LocalDeployBench rollback "$STATE" "$PORT" 1 >/dev/null; e=$(date +%s%N)
cold="$(ms "$s" "$e")"

median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
W="$(median "${warm[@]}")"; N="$(median "${noop[@]}")"
echo "  warm rollback, whole process (JVM start -> flip -> verify -> ledger -> exit): ${warm[*]} ms, median ${W} ms"
echo "  baseline do-nothing JVM: median ${N} ms; cold rollback (redeploy v1 as a new process): ${cold} ms"
awk -v w="$W" -v n="$N" -v c="$cold" 'BEGIN {
  printf "  ratios: warm/cold %.2f; warm/do-nothing JVM %.1fx; warm vs 5 s target %.0f%%; vs the guides'"'"' 2 min %.1f%%\n",
         w / c, w / n, 100 * w / 5000, 100 * w / 120000 }'

# Faults and abusive clients: the figures the fault tests print while they assert their promises (requests that
# failed during each fault, connections held), so one run reports them beside the timings. SKIP_FAULTS=1 skips.
if [[ "${SKIP_FAULTS:-}" != 1 ]]; then
  echo
  echo "faults (real processes; printed by the fault tests, which fail if a promise is broken)"
  ./mvnw -B -ntp -pl engine,serve test -Dtest='ProxyAbuseTest,LocalTargetFaultTest' -Dsurefire.failIfNoSpecifiedTests=false \
    > "$WORK/faults.log" 2>&1 || { tail -40 "$WORK/faults.log" >&2; echo "fault tests FAILED" >&2; exit 1; }
  grep -E '^(proxy under|after the body timeout|connection flood|300 MB|side by side|corrupt proxy.json)' "$WORK/faults.log" \
    | sed 's/^/  /'
fi
