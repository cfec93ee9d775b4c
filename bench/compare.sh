#!/usr/bin/env bash
# Compare storydiff with CollateX, difflib and `git diff --no-index --word-diff`
# on the same inputs, and print the ratios.
#
# Usage: bench/compare.sh [OUT_DIR]      (inputs and results go in OUT_DIR,
#        default /tmp/storydiff-bench; generated inputs are reused)
# Env:   COLLATEX_TIMEOUT  seconds allowed to one CollateX run (default 600)
#        SKIP_LARGE_COLLATEX=1  skip CollateX on the 60-paragraph stories
#        PARTS="align diff"  which tables to make (default both)
#
# Alignment: CollateX (Python) aligns each story's versions word by word; it
# gets only the story's lines (from the generator's gold), while storydiff
# gets the whole files and does alignment plus the word diffs of every
# version against the base (examples/bench_probe.rs, best of 5, nothing
# cached). Inputs: the sample's five files; generated stories of 12 and 60
# paragraphs at 5 and 20 versions (the 60-paragraph ones are the inputs of
# `cargo bench --bench align`).
#
# Diff: `storydiff diff A B`, `git diff --no-index --word-diff A B` and a
# difflib word diff (bench/difflib_words.py), as whole processes under
# hyperfine, on the sample pair (000/001), a generated pair of the same size
# and a generated pair 50× that size.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
OUT=${1:-/tmp/storydiff-bench}
COLLATEX_TIMEOUT=${COLLATEX_TIMEOUT:-600}
mkdir -p "$OUT"
RESULTS=$OUT/compare-results${PARTS:+-${PARTS// /-}}.md
need_python
need_hyperfine
build

{
echo "## Comparison run"
echo '```'
machine
echo '```'
} | tee "$RESULTS"

SAMPLE=$ROOT/assets/corpus
gen "$OUT/s12v5" --stories 1 --versions 5 --paragraphs 12 --append 0 --seed 205
gen "$OUT/s12v20" --stories 1 --versions 20 --paragraphs 12 --append 0 --seed 220
gen "$OUT/s60v5" --stories 1 --versions 5 --paragraphs 60 --append 0 --seed 105
gen "$OUT/s60v20" --stories 1 --versions 20 --paragraphs 60 --append 0 --seed 120
gen "$OUT/pair1" --stories 1 --versions 2 --paragraphs 24 --append 0 --seed 102
gen "$OUT/pair50" --stories 1 --versions 2 --paragraphs 24 --scale 50 --append 0 --seed 102

PARTS=${PARTS:-align diff}

# --- Alignment: CollateX vs storydiff
if [[ $PARTS == *align* ]]; then
{
echo
echo "### Alignment (word level), CollateX vs storydiff"
echo
echo "| input | versions | words | CollateX s | storydiff align ms | storydiff align+diffs ms | ratio (CollateX / storydiff align+diffs) |"
echo "|---|---|---|---|---|---|---|"
} | tee -a "$RESULTS"

align_row() {
    local name=$1 probe_paths=$2 witnesses=$3
    local sd a f
    sd=$("$PROBE" align --repeat 5 $probe_paths)
    a=$(json_field "$sd" align_seconds)
    f=$(json_field "$sd" align_and_diff_seconds)
    local words cx status=0
    words=$(json_field "$(python3 "$ROOT/bench/collatex_time.py" --words-only $witnesses)" words)
    cx=$(timeout "$COLLATEX_TIMEOUT" python3 "$ROOT/bench/collatex_time.py" $witnesses) || status=$?
    local cs=$COLLATEX_TIMEOUT
    if [[ $status -eq 0 ]]; then cs=$(json_field "$cx" seconds); fi
    python3 - "$name" "$(json_field "$sd" versions)" "$words" "$cs" "$status" "$a" "$f" <<'PY' | tee -a "$RESULTS"
import sys
name, versions, words, cs, status, a, f = sys.argv[1:]
cs, a, f = float(cs), float(a), float(f)
timed_out = status != "0"
cx = f">{cs:.0f} (timed out)" if timed_out else f"{cs:.2f}"
ratio = (">" if timed_out else "") + f"{cs / f:,.0f}×"
print(f"| {name} | {versions} | {words} | {cx} | {a * 1e3:.2f} | {f * 1e3:.2f} | {ratio} |")
PY
}

align_row "sample (5 files)" "$SAMPLE" "$(ls "$SAMPLE"/*.txt | tr '\n' ' ')"
align_row "generated, 12 paragraphs" "$OUT/s12v5" "$(spans "$OUT/s12v5")"
align_row "generated, 12 paragraphs" "$OUT/s12v20" "$(spans "$OUT/s12v20")"
if [[ ${SKIP_LARGE_COLLATEX:-0} != 1 ]]; then
    align_row "generated, 60 paragraphs" "$OUT/s60v5" "$(spans "$OUT/s60v5")"
    align_row "generated, 60 paragraphs" "$OUT/s60v20" "$(spans "$OUT/s60v20")"
fi
fi

# --- Diff of one pair: storydiff vs git diff vs difflib
if [[ $PARTS == *diff* ]]; then
{
echo
echo "### Diff of one pair (whole process, hyperfine mean)"
echo
echo "| pair | bytes | storydiff diff ms | git diff --word-diff ms | difflib (process) ms | difflib (in-process) ms | storydiff / git |"
echo "|---|---|---|---|---|---|---|"
} | tee -a "$RESULTS"

diff_row() {
    local name=$1 a=$2 b=$3
    local bytes
    bytes=$(( $(stat -c %s "$a") + $(stat -c %s "$b") ))
    # Exit status 1 may mean "the files differ"; an empty output means no diff command yet.
    local sd_ok=1 rc=0 out
    out=$("$BIN" diff "$a" "$b" 2>/dev/null) || rc=$?
    if [[ $rc -gt 1 || -z $out ]]; then sd_ok=0; fi
    local json=$OUT/hyperfine-$name.json
    local cmds=("git diff --no-index --word-diff $a $b" "$PY $ROOT/bench/difflib_words.py $a $b")
    if [[ $sd_ok == 1 ]]; then cmds=("$BIN diff $a $b" "${cmds[@]}"); fi
    hyperfine -N -i --warmup 2 --min-runs 10 --max-runs 30 --export-json "$json" "${cmds[@]}" >/dev/null 2>&1
    local inproc
    inproc=$(python3 "$ROOT/bench/difflib_words.py" "$a" "$b" --time)
    python3 - "$json" "$name" "$bytes" "$sd_ok" "$(json_field "$inproc" seconds)" <<'PY' | tee -a "$RESULTS"
import json, sys
path, name, size, sd_ok, inproc = sys.argv[1:]
res = json.load(open(path))["results"]
ms = [r["mean"] * 1e3 for r in res]
if sd_ok == "1":
    sd, git, dl = ms
    ratio = f"{sd / git:.2f}"
    sd = f"{sd:.2f}"
else:
    git, dl = ms
    sd, ratio = "n/a (storydiff diff failed)", "n/a"
print(f"| {name} | {size} | {sd} | {git:.2f} | {dl:.2f} | {float(inproc) * 1e3:.2f} | {ratio} |")
PY
}

pair() { ls "$1"/*.txt | sed -n "${2}p"; }
diff_row sample "$SAMPLE/000_66b60800ac77cf39.txt" "$SAMPLE/001_3b13e1d28c208596.txt"
diff_row generated-1x "$(pair "$OUT/pair1" 1)" "$(pair "$OUT/pair1" 2)"
diff_row generated-50x "$(pair "$OUT/pair50" 1)" "$(pair "$OUT/pair50" 2)"
fi

echo
echo "Targets: storydiff diff within 2× of git diff --word-diff; CollateX at least 1,000× slower."
echo "Results written to $RESULTS"
