#!/usr/bin/env bash
# Issue 9's flood: idle connections past the open-file limit, /health probed during (every 100 ms) and after.
#   bench/serve/flood.sh                        # ulimit -n 4096, 8000 idle connections, derived cap and a cap above the limit
#   FILE_LIMIT=1024 FLOOD=3000 bench/serve/flood.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
FILE_LIMIT=${FILE_LIMIT:-4096}
FLOOD=${FLOOD:-8000}
SECONDS_DURING=${SECONDS_DURING:-10}
PORT=${PORT:-18090}
OUT=${OUT:-$ROOT/bench/serve/out}
mkdir -p "$OUT"
[ -f cli/target/mlops.jar ] || ./mvnw -B -q -ntp -DskipTests package -pl cli -am
MODEL=${MODEL:-$OUT/bench-30.tribuo}
[ -f "$MODEL" ] || java -cp "cli/target/mlops.jar:cli/target/lib/*" bench/serve/MakeModel.java "$MODEL" >/dev/null
if [ "$(ulimit -n)" -lt $((FLOOD + 200)) ]; then
  echo "this shell's open-file limit $(ulimit -n) is below the flood ($FLOOD) the client opens; lower FLOOD" >&2
  exit 2
fi
for cap in 0 $((FILE_LIMIT * 5)); do
  ( ulimit -n "$FILE_LIMIT"; exec java "@$ROOT/serve/src/main/resources/dev/mlops/serve/jvm.options" -jar cli/target/mlops.jar \
      serve --model "$MODEL" --port "$PORT" --drain-grace 0 --max-connections "$cap" ) >"$OUT/flood-server-$cap.log" 2>&1 &
  S=$!
  for _ in $(seq 60); do curl -sf "http://127.0.0.1:$PORT/ready" >/dev/null 2>&1 && break; sleep 0.5; done
  line=$(java "$ROOT/bench/serve/Flood.java" "$PORT" "$FLOOD" "$SECONDS_DURING" | grep '^RESULT')
  alive=$(kill -0 "$S" 2>/dev/null && echo yes || echo no)
  printf 'ulimit -n %s, --max-connections %s: %s server_alive=%s\n' "$FILE_LIMIT" \
    "$([ "$cap" = 0 ] && echo "derived ($(grep -o 'up to [0-9]* connections' "$OUT/flood-server-$cap.log" | cut -d' ' -f3))" || echo "$cap")" \
    "${line#RESULT }" "$alive"
  kill "$S" 2>/dev/null; wait "$S" 2>/dev/null || true
done
echo "server logs: $OUT/flood-server-*.log"
