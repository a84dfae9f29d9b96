#!/usr/bin/env bash
# Issue 10 §4: the model server's hand-written row parser (serve's FastRow) against Jackson's streaming parser with its
# fast double parser, on every row of the 1M-row file as a {"features":[...]} body. Each variant in fresh JVMs.
# Usage: bench/csv-load/fastrow.sh [FILE.csv] [ROUNDS]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
ROUNDS="${2:-3}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
./mvnw -B -q -ntp -pl engine,serve test-compile >&2
./mvnw -B -q -ntp -pl engine dependency:build-classpath -Dmdep.outputFile="$WORK/cp.txt" -Dmdep.includeScope=test >&2
CP="serve/target/classes:serve/target/test-classes:engine/target/classes:$(cat "$WORK/cp.txt")"
FILE="${1:-}"
if [[ -z "$FILE" ]]; then
  FILE="$WORK/data.csv"
  ./mlops generate-data --rows 1000000 --features 30 --seed 1 --out "$FILE" -q
fi
for ((r = 0; r < ROUNDS; r++)); do
  for v in fastrow jackson; do java -Xmx3g -cp "$CP" dev.mlops.serve.FastRowBench "$FILE" "$v"; done
done
