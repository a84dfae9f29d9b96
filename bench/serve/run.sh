#!/usr/bin/env bash
# Serving benchmark: `mlops serve` on loopback under wrk, next to a Flask + scikit-learn + gunicorn peer doing the
# same /predict work, measured in the same run.
#   bench/serve/run.sh                      # 60 s single-row runs, 5 alternating health/predict rounds (~8 min)
#   DURATION=20 ROUNDS=3 bench/serve/run.sh # quick look
#   MODEL=path/to/model.tribuo bench/serve/run.sh
# Knobs: CONNECTIONS (16), WRK_THREADS (2), ROUND_SECONDS (10), PORT (18080), PEER_PORT (18081),
# PEER_WORKERS (2 x cores + 1, gunicorn's advice), SERVER_THREADS (0 = server default), NO_PEER=1.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
DURATION=${DURATION:-60}
ROUNDS=${ROUNDS:-5}
ROUND_SECONDS=${ROUND_SECONDS:-10}
CONNECTIONS=${CONNECTIONS:-16}
WRK_THREADS=${WRK_THREADS:-2}
PORT=${PORT:-18080}
PEER_PORT=${PEER_PORT:-18081}
PEER_WORKERS=${PEER_WORKERS:-$((2 * $(nproc) + 1))}
SERVER_THREADS=${SERVER_THREADS:-0}
OUT=${OUT:-$ROOT/bench/serve/out}
HERE=$ROOT/bench/serve
JVM_OPTIONS=$ROOT/serve/src/main/resources/dev/mlops/serve/jvm.options
mkdir -p "$OUT"

for tool in wrk curl jq jstat; do
  if ! command -v "$tool" >/dev/null; then
    case $tool in
      wrk) echo "wrk is not installed: sudo apt-get install -y wrk   (Debian/Ubuntu package 'wrk')" >&2 ;;
      curl|jq) echo "$tool is not installed: sudo apt-get install -y $tool" >&2 ;;
      jstat) echo "jstat (part of a JDK) is not on PATH: install a JDK 17, e.g. sudo apt-get install -y openjdk-17-jdk-headless" >&2 ;;
    esac
    exit 2
  fi
done

# The peer needs Debian's Flask, scikit-learn and gunicorn (system python, not a virtualenv's).
PEER=yes
PEER_MISSING=
if [ -n "${NO_PEER:-}" ]; then
  PEER=
  PEER_MISSING="NO_PEER is set"
else
  command -v gunicorn >/dev/null || PEER_MISSING="gunicorn"
  /usr/bin/python3 -c 'import flask' 2>/dev/null || PEER_MISSING="$PEER_MISSING python3-flask"
  /usr/bin/python3 -c 'import sklearn' 2>/dev/null || PEER_MISSING="$PEER_MISSING python3-sklearn"
  if [ -n "$PEER_MISSING" ]; then
    PEER=
    echo "NOTE: no Flask+gunicorn peer in this run: missing$([ "${PEER_MISSING:0:1}" = " " ] || echo " ")$PEER_MISSING" >&2
    echo "      install it with: sudo apt-get install -y gunicorn python3-flask python3-sklearn" >&2
  fi
fi

if [ ! -f cli/target/mlops.jar ]; then
  echo "building (./mvnw -q -DskipTests package -pl cli -am) ..."
  ./mvnw -B -q -ntp -DskipTests package -pl cli -am
fi
CP="cli/target/mlops.jar:cli/target/lib/*"

if [ -z "${MODEL:-}" ]; then
  MODEL=$OUT/bench-30.tribuo
  if [ ! -f "$MODEL" ]; then
    echo "no MODEL given: writing a 30-input logistic regression to $MODEL"
    java -cp "$CP" "$HERE/MakeModel.java" "$MODEL" >/dev/null
  fi
fi

BASE=http://127.0.0.1:$PORT
PEER_BASE=http://127.0.0.1:$PEER_PORT
for url in "$BASE" ${PEER:+"$PEER_BASE"}; do
  if curl -s -o /dev/null "$url/health"; then
    echo "something already answers on $url; stop it or set PORT / PEER_PORT" >&2
    exit 3
  fi
done

# Ours exactly as `./mlops serve` starts it: the server's JVM flags file, then the command.
java "@$JVM_OPTIONS" -Dsun.net.httpserver.nodelay=true -jar cli/target/mlops.jar serve --model "$MODEL" \
  --host 127.0.0.1 --port "$PORT" --threads "$SERVER_THREADS" --drain-grace 0 >"$OUT/server.log" 2>&1 &
SERVER=$!
GUNICORN=
JSTAT=
cleanup() {
  [ -n "$JSTAT" ] && kill "$JSTAT" 2>/dev/null || true
  [ -n "$GUNICORN" ] && kill "$GUNICORN" 2>/dev/null && wait "$GUNICORN" 2>/dev/null || true
  kill "$SERVER" 2>/dev/null && wait "$SERVER" 2>/dev/null || true
}
trap cleanup EXIT

wait_ready() { # url pid log
  for _ in $(seq 1 120); do
    curl -sf "$1" >/dev/null 2>&1 && return 0
    kill -0 "$2" 2>/dev/null || { echo "server exited:"; cat "$3"; exit 3; }
    sleep 0.5
  done
  echo "not ready after 60 s: $1"; cat "$3"; exit 3
}
wait_ready "$BASE/ready" "$SERVER" "$OUT/server.log"
if [ -n "$PEER" ]; then
  /usr/bin/python3 /usr/bin/gunicorn -w "$PEER_WORKERS" -b "127.0.0.1:$PEER_PORT" --chdir "$HERE" \
    --log-level warning peer_app:app >"$OUT/peer.log" 2>&1 &
  GUNICORN=$!
  wait_ready "$PEER_BASE/health" "$GUNICORN" "$OUT/peer.log"
fi

# Request bodies from the model's own metadata (numeric inputs only). A row as clients send it: the bundled data's
# own spellings (examples/breast-cancer/data/smoke.csv) when the model has its 30 inputs.
NAME=$(curl -s "$BASE/version" | jq -r .model_name)
META=$(curl -s "$BASE/v2/models/$NAME")
if [ "$(jq '[.inputs[] | select(.datatype != "FP64")] | length' <<<"$META")" != 0 ]; then
  echo "this benchmark builds numeric rows; the model has categorical inputs" >&2
  exit 2
fi
N=$(jq '.inputs | length' <<<"$META")
SMOKE=$ROOT/examples/breast-cancer/data/smoke.csv
if [ "$N" = 30 ] && [ -f "$SMOKE" ]; then
  ROW="[$(sed -n 2p "$SMOKE" | cut -d, -f1-30)]"
else
  ROW=$(jq -cn --argjson n "$N" '[range($n)] | map((. % 10 + 1) / 10 - 0.45)')
fi
SINGLE="{\"features\":$ROW}"
BATCH=$(jq -cn --argjson r "$ROW" '{instances: [range(32)] | map($r)}')
curl -sf -H 'Content-Type: application/json' -d "$SINGLE" "$BASE/predict" >/dev/null
curl -sf -H 'Content-Type: application/json' -d "$BATCH" "$BASE/predict" >/dev/null
PEER_SINGLE="{\"features\":[$(sed -n 2p "$SMOKE" | cut -d, -f1-30)]}"
[ -n "$PEER" ] && curl -sf -H 'Content-Type: application/json' -d "$PEER_SINGLE" "$PEER_BASE/predict" >/dev/null

cat "$HERE/post.lua" "$HERE/report.lua" >"$OUT/post.lua"
cat "$HERE/post.lua" "$HERE/paced.lua" "$HERE/report.lua" >"$OUT/paced.lua"
cp "$HERE/report.lua" "$OUT/get.lua"

now() { date +%s; }
JSTAT_T0=$(now)
jstat -gc "$SERVER" 1000 >"$OUT/jstat.txt" &
JSTAT=$!

: >"$OUT/results.txt"
run() { # name url script body connections seconds
  local name=$1 url=$2 script=$3 body=$4 conns=$5 secs=$6
  local start; start=$(now)
  BODY=$body wrk -t"$WRK_THREADS" -c"$conns" -d"${secs}s" --latency -s "$script" "$url" >"$OUT/$name.txt"
  local line; line=$(grep '^RESULT' "$OUT/$name.txt")
  echo "$name $start $(now) ${line#RESULT }" >>"$OUT/results.txt"
  printf '%-18s %s\n' "$name" "${line#RESULT }"
}
field() { grep "^$1 " "$OUT/results.txt" | tail -1 | tr ' ' '\n' | grep "^$2=" | cut -d= -f2; }
rss_mib() { awk '/^VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status"; }
# gunicorn: the master and its workers together; RSS counts shared pages once per process, PSS shares them out.
tree_rss() { local s=0; for p in "$1" $(pgrep -P "$1"); do s=$((s + $(awk '/^VmRSS/ {print $2}' "/proc/$p/status"))); done; echo $((s / 1024)); }
tree_pss() { local s=0; for p in "$1" $(pgrep -P "$1"); do s=$((s + $(awk '/^Pss:/ {print $2}' "/proc/$p/smaps_rollup"))); done; echo $((s / 1024)); }

echo "load before: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
echo "model $NAME ($N inputs) from $MODEL; $CONNECTIONS connections, $WRK_THREADS wrk threads"
PEER_DESC="absent ($PEER_MISSING)"
[ -n "$PEER" ] && PEER_DESC="gunicorn -w $PEER_WORKERS (sync workers), Flask, scikit-learn LogisticRegression"
echo "ours: java @$(realpath --relative-to="$ROOT" "$JVM_OPTIONS") -jar cli/target/mlops.jar serve; peer: $PEER_DESC"
BODY=$SINGLE wrk -t"$WRK_THREADS" -c"$CONNECTIONS" -d5s -s "$OUT/post.lua" "$BASE/predict" >/dev/null  # JIT warm-up

# The ratio: short runs alternating /health and /predict, each /predict against the mean of the /health runs on
# either side, so a neighbour's load that comes and goes shifts both.
run health_r0 "$BASE/health" "$OUT/get.lua" "" "$CONNECTIONS" "$ROUND_SECONDS"
for r in $(seq 1 "$ROUNDS"); do
  run "predict_r$r" "$BASE/predict" "$OUT/post.lua" "$SINGLE" "$CONNECTIONS" "$ROUND_SECONDS"
  run "health_r$r" "$BASE/health" "$OUT/get.lua" "" "$CONNECTIONS" "$ROUND_SECONDS"
done
RATIOS=()
for r in $(seq 1 "$ROUNDS"); do
  RATIOS+=("$(awk -v p="$(field "predict_r$r" rps)" -v a="$(field "health_r$((r - 1))" rps)" -v b="$(field "health_r$r" rps)" \
    'BEGIN { printf "%.3f", p / ((a + b) / 2) }')")
done
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
RATIO_MEDIAN=$(median "${RATIOS[@]}")
RATIO_RANGE="$(printf '%s\n' "${RATIOS[@]}" | sort -g | head -1)-$(printf '%s\n' "${RATIOS[@]}" | sort -g | tail -1)"

# The long single-row run: throughput, p99 at c=16, heap, and RSS at its end.
run predict_1row "$BASE/predict" "$OUT/post.lua" "$SINGLE" "$CONNECTIONS" "$DURATION"
RSS=$(rss_mib "$SERVER")
run predict_32row "$BASE/predict" "$OUT/post.lua" "$BATCH" "$CONNECTIONS" "$((DURATION / 3 > 10 ? DURATION / 3 : 10))"

# p99 at about half the maximum single-row rate: pace connections with wrk's delay() hook (wrk2 is not in Debian).
MAX=$(field predict_1row rps)
P50=$(field predict_1row p50_ms)
DELAY_MS=2
PACED_CONNS=$(awk -v r="$MAX" -v d="$DELAY_MS" -v l="$P50" 'BEGIN { c = int(r / 2 * (d + l) / 1000 + 0.5); print (c < 1 ? 1 : c) }')
DELAY_MS=$DELAY_MS run calibrate "$BASE/predict" "$OUT/paced.lua" "$SINGLE" "$PACED_CONNS" 5 >/dev/null
PACED_CONNS=$(awk -v r="$MAX" -v a="$(field calibrate rps)" -v c="$PACED_CONNS" 'BEGIN { n = int(c * r / 2 / a + 0.5); print (n < 1 ? 1 : n) }')
DELAY_MS=$DELAY_MS run predict_half "$BASE/predict" "$OUT/paced.lua" "$SINGLE" "$PACED_CONNS" "$((DURATION / 2 > 10 ? DURATION / 2 : 10))"
kill "$JSTAT" 2>/dev/null || true
JSTAT=

# Heap used (all generations) and old generation, mean of the 1 s jstat samples in the first and last 10 s of the
# long single-row run. jstat prints one line per second from JSTAT_T0, so sample k is at about JSTAT_T0 + k seconds.
W=$(( DURATION / 2 < 10 ? DURATION / 2 : 10 ))
read -r P_START P_END < <(awk '$1 == "predict_1row" { print $2, $3 }' "$OUT/results.txt")
read -r FIRST_USED FIRST_OLD LAST_USED LAST_OLD < <(awk -v w="$W" -v f="$((P_START - JSTAT_T0))" -v t="$((P_END - JSTAT_T0))" '
  NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
  $1 == "S0C" { next }
  { k++; used = ($(col["S0U"]) + $(col["S1U"]) + $(col["EU"]) + $(col["OU"])) / 1024; old = $(col["OU"]) / 1024
    if (k > f && k <= f + w) { fu += used; fo += old; fn++ }
    if (k > t - w && k <= t) { lu += used; lo += old; ln++ } }
  END { if (fn && ln) printf "%.1f %.1f %.1f %.1f\n", fu / fn, fo / fn, lu / ln, lo / ln; else print "n/a n/a n/a n/a" }' "$OUT/jstat.txt")

if [ -n "$PEER" ]; then
  BODY=$PEER_SINGLE wrk -t"$WRK_THREADS" -c"$CONNECTIONS" -d5s -s "$OUT/post.lua" "$PEER_BASE/predict" >/dev/null
  run peer_health "$PEER_BASE/health" "$OUT/get.lua" "" "$CONNECTIONS" "$ROUND_SECONDS"
  run peer_predict "$PEER_BASE/predict" "$OUT/post.lua" "$PEER_SINGLE" "$CONNECTIONS" "$DURATION"
  PEER_RSS=$(tree_rss "$GUNICORN")
  PEER_PSS=$(tree_pss "$GUNICORN")
fi
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"

echo
echo "summary"
printf '  predict(1 row)/health ratio: median %s of %s alternating %s s rounds (range %s)\n' "$RATIO_MEDIAN" "$ROUNDS" \
  "$ROUND_SECONDS" "$RATIO_RANGE"
printf '  single row, %s s: %s req/s, p50 %s ms, p99 %s ms, errors %s; RSS at the end %s MiB\n' "$DURATION" "$MAX" "$P50" \
  "$(field predict_1row p99_ms)" "$(field predict_1row errors)" "$RSS"
printf '  batch of 32: %s req/s (%s rows/s), p50 %s ms, p99 %s ms, errors %s\n' "$(field predict_32row rps)" \
  "$(awk -v r="$(field predict_32row rps)" 'BEGIN { printf "%.0f", r * 32 }')" "$(field predict_32row p50_ms)" \
  "$(field predict_32row p99_ms)" "$(field predict_32row errors)"
printf '  paced (%s connections, %s ms pause): %s req/s = %s of max, p50 %s ms, p99 %s ms, errors %s\n' "$PACED_CONNS" \
  "$DELAY_MS" "$(field predict_half rps)" "$(awk -v a="$(field predict_half rps)" -v m="$MAX" 'BEGIN { printf "%.0f%%", 100 * a / m }')" \
  "$(field predict_half p50_ms)" "$(field predict_half p99_ms)" "$(field predict_half errors)"
printf '  heap during the single-row run (MiB, mean of 1 s jstat samples): first %s s used %s (old %s), last %s s used %s (old %s)\n' \
  "$W" "$FIRST_USED" "$FIRST_OLD" "$W" "$LAST_USED" "$LAST_OLD"
if [ -n "$PEER" ]; then
  printf '  peer (gunicorn -w %s): health %s req/s; single row %s req/s, p50 %s ms, p99 %s ms, errors %s; RSS %s MiB (PSS %s MiB)\n' \
    "$PEER_WORKERS" "$(field peer_health rps)" "$(field peer_predict rps)" "$(field peer_predict p50_ms)" \
    "$(field peer_predict p99_ms)" "$(field peer_predict errors)" "$PEER_RSS" "$PEER_PSS"
  printf '  ours vs peer: single-row throughput %sx, p99 %s vs %s ms, RSS %s vs %s MiB (%sx)\n' \
    "$(awk -v a="$MAX" -v b="$(field peer_predict rps)" 'BEGIN { printf "%.1f", a / b }')" "$(field predict_1row p99_ms)" \
    "$(field peer_predict p99_ms)" "$RSS" "$PEER_RSS" "$(awk -v a="$RSS" -v b="$PEER_RSS" 'BEGIN { printf "%.2f", a / b }')"
else
  echo "  peer: not measured ($PEER_MISSING)"
fi
{
  echo "ratio_median=$RATIO_MEDIAN ratio_range=$RATIO_RANGE rounds=$ROUNDS"
  echo "ours_rps=$MAX ours_p99_ms=$(field predict_1row p99_ms) ours_rss_mib=$RSS"
  [ -n "$PEER" ] && echo "peer_rps=$(field peer_predict rps) peer_p99_ms=$(field peer_predict p99_ms) peer_rss_mib=$PEER_RSS peer_pss_mib=$PEER_PSS"
} >"$OUT/summary.txt"
echo "  raw wrk output, jstat samples, logs and summary.txt: $OUT"
