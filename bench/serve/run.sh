#!/usr/bin/env bash
# Serving benchmark: starts `mlops serve` on loopback and drives it with wrk.
#   bench/serve/run.sh                      # 60 s per scenario
#   DURATION=10 bench/serve/run.sh          # quick look
#   MODEL=path/to/model.tribuo bench/serve/run.sh
# Other knobs: CONNECTIONS (16), WRK_THREADS (2), PORT (18080), SERVER_THREADS (0 = server default), HEAP (256m).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
DURATION=${DURATION:-60}
CONNECTIONS=${CONNECTIONS:-16}
WRK_THREADS=${WRK_THREADS:-2}
PORT=${PORT:-18080}
SERVER_THREADS=${SERVER_THREADS:-0}
HEAP=${HEAP:-256m}
OUT=${OUT:-$ROOT/bench/serve/out}
HERE=$ROOT/bench/serve
mkdir -p "$OUT"

for tool in wrk curl jstat; do
  if ! command -v "$tool" >/dev/null; then
    case $tool in
      wrk) echo "wrk is not installed: sudo apt-get install -y wrk   (Debian/Ubuntu package 'wrk')" >&2 ;;
      curl) echo "curl is not installed: sudo apt-get install -y curl" >&2 ;;
      jstat) echo "jstat (part of a JDK) is not on PATH: install a JDK 17, e.g. sudo apt-get install -y openjdk-17-jdk-headless" >&2 ;;
    esac
    exit 2
  fi
done

if [ ! -f cli/target/mlops.jar ]; then
  echo "building (./mvnw -q -DskipTests package) ..."
  ./mvnw -q -DskipTests package
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
if curl -s -o /dev/null "$BASE/health"; then
  echo "something already answers on port $PORT; stop it or set PORT" >&2
  exit 3
fi

# `mlops serve` once the root command registers it; the command's own main until then.
if java -jar cli/target/mlops.jar --help 2>/dev/null | grep -q "^ *serve "; then
  LAUNCH=(-jar cli/target/mlops.jar serve)
else
  LAUNCH=(-cp "$CP" dev.mlops.cli.ServeCommand)
fi
java -Dsun.net.httpserver.nodelay=true -Xms"$HEAP" -Xmx"$HEAP" "${LAUNCH[@]}" --model "$MODEL" \
  --host 127.0.0.1 --port "$PORT" --threads "$SERVER_THREADS" --drain-grace 0 >"$OUT/server.log" 2>&1 &
SERVER=$!
JSTAT=
cleanup() {
  [ -n "$JSTAT" ] && kill "$JSTAT" 2>/dev/null || true
  kill "$SERVER" 2>/dev/null && wait "$SERVER" 2>/dev/null || true
}
trap cleanup EXIT

for _ in $(seq 1 120); do
  curl -sf "$BASE/ready" >/dev/null 2>&1 && break
  kill -0 "$SERVER" 2>/dev/null || { echo "server exited:"; cat "$OUT/server.log"; exit 3; }
  sleep 0.5
done
curl -sf "$BASE/ready" >/dev/null || { echo "server not ready after 60 s"; cat "$OUT/server.log"; exit 3; }

# Request bodies from the model's own metadata (numeric inputs only).
NAME=$(curl -s "$BASE/version" | jq -r .model_name)
META=$(curl -s "$BASE/v2/models/$NAME")
if [ "$(jq '[.inputs[] | select(.datatype != "FP64")] | length' <<<"$META")" != 0 ]; then
  echo "this benchmark builds numeric rows; the model has categorical inputs" >&2
  exit 2
fi
N=$(jq '.inputs | length' <<<"$META")
ROW=$(jq -cn --argjson n "$N" '[range($n)] | map((. % 10 + 1) / 10 - 0.45)')
SINGLE="{\"features\":$ROW}"
BATCH=$(jq -cn --argjson r "$ROW" '{instances: [range(32)] | map($r)}')
curl -sf -H 'Content-Type: application/json' -d "$SINGLE" "$BASE/predict" >/dev/null
curl -sf -H 'Content-Type: application/json' -d "$BATCH" "$BASE/predict" >/dev/null

cat "$HERE/post.lua" "$HERE/report.lua" >"$OUT/post.lua"
cat "$HERE/post.lua" "$HERE/paced.lua" "$HERE/report.lua" >"$OUT/paced.lua"
cp "$HERE/report.lua" "$OUT/get.lua"

# Heap: jstat every second for the whole run; columns by name so the collector does not matter.
now() { date +%s; }
JSTAT_T0=$(now)
jstat -gc "$SERVER" 1000 >"$OUT/jstat.txt" &
JSTAT=$!

run() { # name url script body connections seconds
  local name=$1 url=$2 script=$3 body=$4 conns=$5 secs=$6
  local start; start=$(now)
  BODY=$body wrk -t"$WRK_THREADS" -c"$conns" -d"${secs}s" --latency -s "$script" "$url" >"$OUT/$name.txt"
  local line; line=$(grep '^RESULT' "$OUT/$name.txt")
  echo "$name $start $(now) ${line#RESULT }" >>"$OUT/results.txt"
  printf '%-18s %s\n' "$name" "${line#RESULT }"
}
field() { grep "^$1 " "$OUT/results.txt" | tail -1 | tr ' ' '\n' | grep "^$2=" | cut -d= -f2; }

: >"$OUT/results.txt"
echo "model $NAME ($N inputs) from $MODEL; ${DURATION}s per scenario, $CONNECTIONS connections, $WRK_THREADS wrk threads"
BODY=$SINGLE wrk -t"$WRK_THREADS" -c"$CONNECTIONS" -d5s -s "$OUT/post.lua" "$BASE/predict" >/dev/null  # JIT warm-up
run health_1      "$BASE/health"  "$OUT/get.lua"   ""        "$CONNECTIONS" "$DURATION"
run predict_1row  "$BASE/predict" "$OUT/post.lua"  "$SINGLE" "$CONNECTIONS" "$DURATION"
run predict_32row "$BASE/predict" "$OUT/post.lua"  "$BATCH"  "$CONNECTIONS" "$DURATION"
run health_2      "$BASE/health"  "$OUT/get.lua"   ""        "$CONNECTIONS" "$DURATION"

# p99 at about half the maximum single-row rate: pace connections with wrk's delay() hook.
MAX=$(field predict_1row rps)
P50=$(field predict_1row p50_ms)
DELAY_MS=2
PACED_CONNS=$(awk -v r="$MAX" -v d="$DELAY_MS" -v l="$P50" 'BEGIN { c = int(r / 2 * (d + l) / 1000 + 0.5); print (c < 1 ? 1 : c) }')
# One short probe, then scale the connection count so the offered rate lands near half of the maximum.
DELAY_MS=$DELAY_MS run calibrate "$BASE/predict" "$OUT/paced.lua" "$SINGLE" "$PACED_CONNS" 5 >/dev/null
PACED_CONNS=$(awk -v r="$MAX" -v a="$(field calibrate rps)" -v c="$PACED_CONNS" 'BEGIN { n = int(c * r / 2 / a + 0.5); print (n < 1 ? 1 : n) }')
DELAY_MS=$DELAY_MS run predict_half "$BASE/predict" "$OUT/paced.lua" "$SINGLE" "$PACED_CONNS" "$DURATION"
kill "$JSTAT" 2>/dev/null || true
JSTAT=

# Heap used (all generations) and old generation, mean of the 1 s jstat samples in the first and last 10 s (or half the duration, if shorter) of the
# single-row run. jstat prints one line per second from JSTAT_T0, so sample k is at about JSTAT_T0 + k seconds.
W=$(( DURATION / 2 < 10 ? DURATION / 2 : 10 ))
read -r P_START P_END < <(awk '$1 == "predict_1row" { print $2, $3 }' "$OUT/results.txt")
read -r FIRST_USED FIRST_OLD LAST_USED LAST_OLD < <(awk -v w="$W" -v f="$((P_START - JSTAT_T0))" -v t="$((P_END - JSTAT_T0))" '
  NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
  $1 == "S0C" { next }
  { k++; used = ($(col["S0U"]) + $(col["S1U"]) + $(col["EU"]) + $(col["OU"])) / 1024; old = $(col["OU"]) / 1024
    if (k > f && k <= f + w) { fu += used; fo += old; fn++ }
    if (k > t - w && k <= t) { lu += used; lo += old; ln++ } }
  END { if (fn && ln) printf "%.1f %.1f %.1f %.1f\n", fu / fn, fo / fn, lu / ln, lo / ln; else print "n/a n/a n/a n/a" }' "$OUT/jstat.txt")

H1=$(field health_1 rps); H2=$(field health_2 rps)
echo
echo "summary"
awk -v p="$MAX" -v h1="$H1" -v h2="$H2" 'BEGIN { printf "  predict(1 row)/health ratio: %.2f  (health %.0f and %.0f req/s before and after)\n", p / ((h1 + h2) / 2), h1, h2 }'
printf '  single row: %s req/s, p50 %s ms, p99 %s ms, errors %s\n' "$MAX" "$P50" "$(field predict_1row p99_ms)" "$(field predict_1row errors)"
printf '  batch of 32: %s req/s (%s rows/s), p50 %s ms, p99 %s ms, errors %s\n' "$(field predict_32row rps)" \
  "$(awk -v r="$(field predict_32row rps)" 'BEGIN { printf "%.0f", r * 32 }')" "$(field predict_32row p50_ms)" \
  "$(field predict_32row p99_ms)" "$(field predict_32row errors)"
printf '  paced (%s connections, %s ms pause): %s req/s = %s of max, p50 %s ms, p99 %s ms, errors %s\n' "$PACED_CONNS" \
  "$DELAY_MS" "$(field predict_half rps)" "$(awk -v a="$(field predict_half rps)" -v m="$MAX" 'BEGIN { printf "%.0f%%", 100 * a / m }')" \
  "$(field predict_half p50_ms)" "$(field predict_half p99_ms)" "$(field predict_half errors)"
printf '  heap during the single-row run (MiB, mean of 1 s jstat samples): first %s s used %s (old %s), last %s s used %s (old %s)\n' \
  "$W" "$FIRST_USED" "$FIRST_OLD" "$W" "$LAST_USED" "$LAST_OLD"
echo "  raw wrk output, jstat samples and server log: $OUT"
