#!/usr/bin/env bash
# Issue 10: `mlops train` against the scikit-learn script a user would otherwise write, doing the same work (read the
# CSV, stratified 80/20 split, standardise, fit once, evaluate on the test split, save), pairwise in one run:
#   1. logistic on the bundled breast-cancer data (569 rows)          target: wall <= 1.0x, peak RSS <= 1.0x
#   2. logistic on generated ROWS x 30 (default 1,000,000)            target: wall <= 1.0x, peak RSS <= 1.0x
#   3. xgboost vs HistGradientBoostingClassifier, forest vs RandomForestClassifier, TREE_ROWS x 30 (100,000),
#      equal settings (50 trees; depth 6, learning rate 0.3 / depth 10, sqrt(p) features per split)   target <= 1.5x
# then the multiclass same-rows comparison (multiclass.py). Each pair runs ROUNDS times, alternating which goes
# first; medians are printed with both test accuracies. Whole processes, measured by GNU time (wall, max RSS).
#
# Usage: bench/train-vs-sklearn/run.sh                  ROUNDS=3 ROWS=1000000 TREE_ROWS=100000 SEEDS=20
#        QUICK=1 bench/train-vs-sklearn/run.sh          smoke run: ROUNDS=1 ROWS=50000 TREE_ROWS=20000 SEEDS=5
#        ROUNDS=1 ROWS=200000 bench/train-vs-sklearn/run.sh   (any of the variables on its own)
# Needs: Debian's /usr/bin/python3 with python3-sklearn and python3-pandas (installs nothing), JDK 17, GNU time.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
HERE="$ROOT/bench/train-vs-sklearn"
if [[ "${QUICK:-0}" == 1 ]]; then
  ROUNDS="${ROUNDS:-1}"; ROWS="${ROWS:-50000}"; TREE_ROWS="${TREE_ROWS:-20000}"; SEEDS="${SEEDS:-5}"
fi
ROUNDS="${ROUNDS:-3}"
ROWS="${ROWS:-1000000}"
TREE_ROWS="${TREE_ROWS:-100000}"
SEEDS="${SEEDS:-20}"         # splits in the multiclass same-rows comparison
TREES="${TREES:-1}"          # TREES=0 skips the tree pairs
MULTICLASS="${MULTICLASS:-1}" # MULTICLASS=0 skips the same-rows comparison
PY=/usr/bin/python3

if ! "$PY" -c 'import sklearn, pandas' 2>/dev/null; then
  echo "scikit-learn is not installed for $PY: sudo apt-get install -y python3-sklearn python3-pandas" >&2
  echo "(this benchmark installs nothing itself)" >&2
  exit 3
fi
if [[ ! -x /usr/bin/time ]]; then
  echo "GNU time is not installed: sudo apt-get install -y time" >&2
  exit 3
fi

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
"$ROOT/mlops" --version >/dev/null   # builds the jar (and its class-data archive) on first use

echo "== machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, load $(cut -d' ' -f1-3 /proc/loadavg)," \
     "$(java -version 2>&1 | head -1), scikit-learn $("$PY" -c 'import sklearn; print(sklearn.__version__)')"

cp "$ROOT/examples/breast-cancer/data/breast_cancer.csv" "$WORK/bundled.csv"
"$ROOT/mlops" generate-data --rows "$ROWS" --features 30 --seed 1 --out "$WORK/big.csv" -q
"$ROOT/mlops" generate-data --rows "$TREE_ROWS" --features 30 --seed 2 --out "$WORK/trees.csv" -q

spec() { # NAME CSV TARGET ALGORITHM GRID
  cat >"$WORK/$1.yaml" <<SPEC
name: $1
data: {path: $2, target: $3}
model: {algorithm: $4, grid: $5, folds: 1, testSplit: 0.2, seed: 42}
tracking: {uri: mlruns}
SPEC
}
spec bundled bundled.csv diagnosis logistic '{C: [1.0]}'
spec big big.csv label logistic '{C: [1.0]}'
spec xgboost trees.csv label xgboost '{trees: [50], maxDepth: [6], eta: [0.3]}'
spec forest trees.csv label forest '{trees: [50], maxDepth: [10]}'

# run KIND NAME CMD... : appends "wall rss_mib accuracy cpu" to $WORK/KIND-NAME.txt
run() {
  local kind="$1" name="$2"; shift 2
  local out="$WORK/out-$kind-$name"
  rm -rf "$out"
  if ! /usr/bin/time -f "%e %M %U %S" -o "$WORK/time.txt" "$@" "$out" >"$WORK/stdout.txt" 2>"$WORK/stderr.txt"; then
    echo "FAILED: $kind $name: $*"; tail -20 "$WORK/stderr.txt"; exit 1
  fi
  local acc
  if [[ "$kind" == sklearn ]]; then
    acc="$("$PY" -c 'import json,sys; print(json.loads(open(sys.argv[1]).read().splitlines()[-1])["accuracy"])' "$WORK/stdout.txt")"
  else
    acc="$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["metrics"]["accuracy"])' "$out/metrics.json")"
  fi
  read -r wall rss_kb user sys <"$WORK/time.txt"
  echo "$wall $((rss_kb / 1024)) $acc $(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')" >>"$WORK/$kind-$name.txt"
}
mlops_cmd() { echo "$ROOT/mlops" train -f "$WORK/$1.yaml" --no-track -q --out; }

pair() { # NAME CSV TARGET SKLEARN_ALGORITHM SKLEARN_PARAMS...
  local name="$1" csv="$2" target="$3" algo="$4"; shift 4
  for ((r = 1; r <= ROUNDS; r++)); do
    if (( r % 2 )); then
      run sklearn "$name" "$PY" "$HERE/sklearn_train.py" "$WORK/$csv" "$target" "$algo" "$@"
      run mlops "$name" $(mlops_cmd "$name")
    else
      run mlops "$name" $(mlops_cmd "$name")
      run sklearn "$name" "$PY" "$HERE/sklearn_train.py" "$WORK/$csv" "$target" "$algo" "$@"
    fi
  done
}

median_col() { awk -v c="$1" '{print $c}' "$2" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
report() { # NAME LABEL TARGET_RATIO
  local name="$1" label="$2" target="$3"
  local sw sr sa sc mw mr ma mc
  sw=$(median_col 1 "$WORK/sklearn-$name.txt"); sr=$(median_col 2 "$WORK/sklearn-$name.txt"); sa=$(median_col 3 "$WORK/sklearn-$name.txt")
  mw=$(median_col 1 "$WORK/mlops-$name.txt"); mr=$(median_col 2 "$WORK/mlops-$name.txt"); ma=$(median_col 3 "$WORK/mlops-$name.txt")
  sc=$(median_col 4 "$WORK/sklearn-$name.txt"); mc=$(median_col 4 "$WORK/mlops-$name.txt")
  awk -v l="$label" -v sw="$sw" -v sr="$sr" -v sa="$sa" -v mw="$mw" -v mr="$mr" -v ma="$ma" -v t="$target" \
      -v sc="$sc" -v mc="$mc" \
      -v walls="$(awk '{printf "%s ", $1}' "$WORK/mlops-$name.txt")/$(awk '{printf "%s ", $1}' "$WORK/sklearn-$name.txt")" 'BEGIN {
    printf "%-44s wall %6.2f s vs %6.2f s = %.2fx (target %s)   peak RSS %5d MiB vs %5d MiB = %.2fx\n", l, mw, sw, mw / sw, t, mr, sr, mr / sr
    printf "%-44s CPU (user+sys) %6.2f s vs %6.2f s = %.2fx; test accuracy %.4f vs %.4f (diff %+.2f pt)\n", "", mc, sc, mc / sc, ma, sa, 100 * (ma - sa)
    printf "%-44s walls mlops / sklearn: %s\n", "", walls }'
}

echo "== logistic: bundled data, $ROUNDS rounds"
pair bundled bundled.csv diagnosis logistic C=1.0
echo "== logistic: $ROWS x 30, $ROUNDS rounds"
pair big big.csv label logistic C=1.0
if [[ "$TREES" == 1 ]]; then
  echo "== trees: $TREE_ROWS x 30, $ROUNDS rounds"
  pair xgboost trees.csv label hgb trees=50 maxDepth=6 eta=0.3
  pair forest trees.csv label forest trees=50 maxDepth=10 jobs=1
fi

echo
echo "== results (medians; mlops train vs the scikit-learn script, whole process; CPU time is printed too because"
echo "   wall time on a shared machine also measures the neighbours)"
report bundled "logistic, bundled 569 rows" "<= 1.0x"
report big "logistic, $ROWS x 30" "<= 1.0x"
if [[ "$TREES" == 1 ]]; then
  report xgboost "xgboost vs HistGradientBoosting, $TREE_ROWS x 30" "<= 1.5x"
  report forest "forest vs RandomForest, $TREE_ROWS x 30" "<= 1.5x"
fi
[[ "$MULTICLASS" == 1 ]] || exit 0

echo
CP_FILE="$WORK/cp.txt"
(cd "$ROOT" && ./mvnw -B -q -ntp -pl engine test-compile dependency:build-classpath -Dmdep.outputFile="$CP_FILE" \
  -Dmdep.includeScope=test >&2)
"$PY" "$HERE/multiclass.py" "$ROOT/engine/target/classes:$ROOT/engine/target/test-classes:$(cat "$CP_FILE")" "$SEEDS"
