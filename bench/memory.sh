#!/usr/bin/env bash
# Peak memory and end-to-end time of `storydiff stories PATH --json` on the
# generated corpora of `cargo bench --bench load` (10 versions a story,
# seed 42), measured with /usr/bin/time -v: without the model cache, then
# with a fresh one (the first open, which also keeps the model), then
# reopened from it (docs/cache.md). The cache is kept in OUT_DIR/cache.
#
# Usage: bench/memory.sh [OUT_DIR] [SIZES]   (default /tmp/storydiff-bench,
#        sizes "1000 10000 50000"; generated inputs are reused)
# If the CLI cannot list stories yet, examples/bench_probe.rs (Engine::open
# only) is measured instead and the table says so.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
OUT=${1:-/tmp/storydiff-bench}
SIZES=${2:-"1000 10000 50000"}
mkdir -p "$OUT"
RESULTS=$OUT/memory-results.md
build

{
echo "## Peak memory"
echo '```'
machine
echo '```'
echo
echo "| files | corpus MB | command | wall s | peak RSS MB | RSS / corpus |"
echo "|---|---|---|---|---|---|"
} | tee "$RESULTS"

measure() {
    local label=$1
    shift
    local log
    log=$(mktemp)
    local rc=0
    /usr/bin/time -v "$@" >/dev/null 2>"$log" || rc=$?
    if [[ $rc -ne 0 ]]; then
        rm -f "$log"
        return 1
    fi
    local rss wall
    rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$log")
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$log")
    rm -f "$log"
    python3 - "$files" "$bytes" "$label" "$wall" "$rss" <<'PY' | tee -a "$RESULTS"
import sys
files, size, label, wall, rss = sys.argv[1:]
parts = [float(p) for p in wall.split(":")]
secs = sum(p * 60 ** i for i, p in enumerate(reversed(parts)))
mb = int(size) / 1e6
rss_mb = int(rss) / 1024
print(f"| {files} | {mb:.1f} | {label} | {secs:.2f} | {rss_mb:.0f} | {rss_mb / mb:.2f}× |")
PY
}

for n in $SIZES; do
    dir=$OUT/load$n
    gen "$dir" --stories $(( (n + 9) / 10 )) --versions 10 --seed 42
    files=$(find "$dir" -name '*.txt' | wc -l)
    bytes=$(corpus_bytes "$dir")
    # Read once so every command finds the files in the page cache.
    cat "$dir"/*.txt >/dev/null 2>&1 || find "$dir" -name '*.txt' -exec cat {} + >/dev/null
    measure "storydiff stories --json --no-cache" "$BIN" stories "$dir" --json --no-cache ||
        echo "| $files | | storydiff stories --json failed | | | |" | tee -a "$RESULTS"
    rm -rf "$OUT/cache"
    export STORYDIFF_CACHE_DIR=$OUT/cache
    measure "the same, first open keeping the model" "$BIN" stories "$dir" --json || true
    measure "the same, reopened from the cache" "$BIN" stories "$dir" --json || true
    unset STORYDIFF_CACHE_DIR
    measure "bench_probe open (Engine::open)" "$PROBE" open "$dir" || true
done
echo
echo "Target: peak memory < 3× corpus size. Results written to $RESULTS"
