#!/usr/bin/env bash
# Benchmark of `mlops run` (issue #3): the bundled example end to end, and a generated 1,000,000-row x 30-feature
# binary data set. Prints whole-process wall time and peak RSS, and rows/s for load, train and evaluate, each next
# to a baseline measured in the same run (JVM start for the small run, reading the file with `cat` for the load).
#
# Usage: bench/pipeline/run.sh              (ROWS=1000000 FEATURES=30 HEAP=4g by default)
#        ROWS=200000 bench/pipeline/run.sh  (a quicker look)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
ROWS="${ROWS:-1000000}"
FEATURES="${FEATURES:-30}"
HEAP="${HEAP:-4g}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

"$ROOT/mlops" --version >/dev/null          # builds the jar on first use
JAR="$ROOT/cli/target/mlops.jar"

# measure NAME CMD... : runs CMD under GNU time, sets WALL (s) and RSS (MiB)
measure() {
  local name="$1"; shift
  /usr/bin/time -f "%e %M" -o "$WORK/time.txt" "$@" >"$WORK/$name.out" 2>"$WORK/$name.err" || {
    echo "FAILED: $name (exit $?)"; tail -20 "$WORK/$name.err"; exit 1; }
  read -r WALL RSS_KB <"$WORK/time.txt"
  RSS=$((RSS_KB / 1024))
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
json() { python3 -c "import json,sys; d=json.load(open('$1')); print($2)" 2>/dev/null || echo "?"; }

echo "== machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(java -version 2>&1 | head -1)"

# 1. Bundled example, end to end, against the JVM's own start-up.
measure jvm java -jar "$JAR" --version
JVM_WALL=$WALL
cp -r "$ROOT/examples/breast-cancer" "$WORK/example"
rm -rf "$WORK/example/out" "$WORK/example/mlruns"
measure example java -jar "$JAR" run -f "$WORK/example/mlops.yaml" -q --json
echo "== bundled example (569 rows, 4-point grid x 5 folds, data checks + drift, local MLflow store, gate, register)"
printf "   wall %.2f s (target < 3 s), peak RSS %d MiB; JVM start alone %.2f s; ratio run/JVM-start %s\n" \
  "$WALL" "$RSS" "$JVM_WALL" "$(ratio "$WALL" "$JVM_WALL")"

# 2. Generated data: ROWS x FEATURES, logistic regression, one fit.
mkdir -p "$WORK/big"
java -jar "$JAR" generate-data --rows "$ROWS" --features "$FEATURES" --seed 1 --out "$WORK/big/data.csv" -q
cat >"$WORK/big/mlops.yaml" <<SPEC
name: bench
data:
  path: data.csv
  target: label
  checks: {minRows: 1000, maxDuplicateShare: 0.01, minClassShare: 0.1}
model:
  algorithm: logistic
  grid: {C: [1.0]}
  folds: 1
  testSplit: 0.2
gate:
  metrics:
    accuracy: {min: 0.8}
tracking: {uri: mlruns}
SPEC
SIZE_MB=$(( $(stat -c %s "$WORK/big/data.csv") / 1048576 ))
sync
measure cat cat "$WORK/big/data.csv"
CAT_WALL=$WALL
measure big java "-Xmx$HEAP" -jar "$JAR" run -f "$WORK/big/mlops.yaml" -q --json
RUN_JSON="$WORK/big/out/run.json"
LOAD_MS=$(json "$RUN_JSON" "d['timingsMillis']['load']")
CHECK_MS=$(json "$RUN_JSON" "d['timingsMillis']['checks']")
FIT_MS=$(json "$RUN_JSON" "d['timingsMillis']['refit'] + d['timingsMillis']['search']")
EVAL_MS=$(json "$RUN_JSON" "d['timingsMillis']['evaluate']")
ACC=$(json "$RUN_JSON" "round(d['metrics']['accuracy'], 4)")
TRAIN_ROWS=$((ROWS * 8 / 10)); TEST_ROWS=$((ROWS - TRAIN_ROWS))
echo "== generated $ROWS rows x $FEATURES features ($SIZE_MB MiB CSV), logistic, heap -Xmx$HEAP"
printf "   whole process: wall %.2f s, peak RSS %d MiB (target: load+train+evaluate < 30 s, heap < 4 GiB)\n" "$WALL" "$RSS"
awk -v l="$LOAD_MS" -v c="$CHECK_MS" -v f="$FIT_MS" -v e="$EVAL_MS" -v r="$ROWS" -v tr="$TRAIN_ROWS" -v te="$TEST_ROWS" \
    -v cat="$CAT_WALL" -v mb="$SIZE_MB" 'BEGIN {
  printf "   load      %6.2f s  %9.0f rows/s  %6.0f MiB/s   (baseline: cat reads %.0f MiB/s; ratio load/cat %.2f)\n", l/1000, r/(l/1000), mb/(l/1000), mb/(cat>0?cat:0.01), (mb/(l/1000))/(mb/(cat>0?cat:0.01));
  printf "   checks    %6.2f s  %9.0f rows/s\n", c/1000, r/(c/1000);
  printf "   train     %6.2f s  %9.0f rows/s\n", f/1000, tr/(f/1000);
  printf "   evaluate  %6.2f s  %9.0f rows/s   (includes 1,000 single-row latency probes)\n", e/1000, te/(e/1000);
  printf "   load+train+evaluate %.2f s\n", (l+f+e)/1000 }'
BAYES=$(awk -v f="$FEATURES" 'BEGIN { h = 0; for (j = 1; j <= f; j++) h += 1 / j; rho = sqrt(h / (h + 0.25));
  printf "%.4f", 1 - atan2(sqrt(1 - rho * rho), rho) / 3.141592653589793 }')
echo "   test accuracy $ACC (Bayes-optimal for this generator: $BAYES = 1 - arccos(rho)/pi, rho = sqrt(H_$FEATURES/(H_$FEATURES + 0.5^2)))"
echo "   all phases (ms): $(json "$RUN_JSON" "d['timingsMillis']")"
