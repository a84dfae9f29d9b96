#!/usr/bin/env bash
# Issue 10 §4: the 1M-row CSV load, hand-written parsing against libraries (ch.randelshofer:fastdoubleparser, FastCSV,
# Jackson CSV). Each variant runs in its own fresh JVM per round: one cold load (as `mlops train` does) and three warm
# ones. The figures are CPU seconds of the loading thread (a load is single-threaded; wall time on a shared machine
# measures the neighbours), with the cold load's wall time for reference. Rounds rotate the order; medians are
# printed with each variant's ratio to the first. Checksums must agree.
#
# Usage: bench/csv-load/run.sh [FILE.csv] [ROUNDS]     (default: a generated 1,000,000 x 30 file, 5 rounds)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
ROUNDS="${2:-5}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
./mvnw -B -q -ntp -pl engine test-compile dependency:build-classpath -Dmdep.outputFile="$WORK/cp.txt" \
  -Dmdep.includeScope=test >&2
CP="engine/target/classes:engine/target/test-classes:$(cat "$WORK/cp.txt")"
FILE="${1:-}"
if [[ -z "$FILE" ]]; then
  FILE="$WORK/data.csv"
  ./mlops generate-data --rows 1000000 --features 30 --seed 1 --out "$FILE" -q
fi
mapfile -t VARIANTS < <(java -cp "$CP" dev.mlops.engine.data.CsvLoadBench list)
echo "== $FILE: $(($(wc -l <"$FILE") - 1)) rows, $(($(stat -c %s "$FILE") >> 20)) MiB; $ROUNDS rounds; load $(cut -d' ' -f1-3 /proc/loadavg)"
n=${#VARIANTS[@]}
for ((r = 0; r < ROUNDS; r++)); do
  for ((i = 0; i < n; i++)); do
    v="${VARIANTS[$(((i + r) % n))]}"
    java -Xmx4g -cp "$CP" dev.mlops.engine.data.CsvLoadBench "$FILE" "$v" >>"$WORK/results.txt"
  done
done
if [[ $(awk '{print $5}' "$WORK/results.txt" | sort -u | wc -l) -ne 1 ]]; then
  echo "checksums differ: the variants did not parse the same numbers"; cat "$WORK/results.txt"; exit 1
fi
med() { awk -v v="$1" -v c="$2" '$1 == v {print $c}' "$WORK/results.txt" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
printf '  %-36s %14s %14s %14s\n' variant "warm CPU s" "cold CPU s" "cold wall s"
base=""
for v in "${VARIANTS[@]}"; do
  w=$(med "$v" 4); c=$(med "$v" 3); cw=$(med "$v" 2)
  [[ -z "$base" ]] && base="$w"
  awk -v v="$v" -v w="$w" -v c="$c" -v cw="$cw" -v b="$base" \
    'BEGIN { printf "  %-36s %7.2f %5.2fx %7.2f %13.2f\n", v, w, w / b, c, cw }'
done
echo "  load after: $(cut -d' ' -f1-3 /proc/loadavg)"
