# Shared helpers for the bench/ scripts: build, generate inputs, install tools.
# Sourced, not run.

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
BIN=$CARGO_TARGET_DIR/release/storydiff
GEN=$CARGO_TARGET_DIR/release/examples/gen_corpus
PROBE=$CARGO_TARGET_DIR/release/examples/bench_probe
# The interpreter itself: a pyenv shim adds ~400 ms to every start.
PY=$(python3 -c 'import sys; print(sys.executable)')

build() {
    (cd "$ROOT" && cargo build --release --quiet --bin storydiff --example gen_corpus --example bench_probe)
}

# gen DIR ARGS…: write a generated corpus into DIR unless it is already there.
gen() {
    local dir=$1
    shift
    if [[ ! -f $dir/gold.json ]]; then
        rm -rf "$dir"
        "$GEN" "$@" "$dir" 2>/dev/null
    fi
}

# spans DIR [STORY]: "file:first-last" for every version of a gold story (default s00000).
spans() {
    python3 - "$1" "${2:-s00000}" <<'PY'
import json, sys
d, sid = sys.argv[1], sys.argv[2]
g = json.load(open(f"{d}/gold.json"))
s = next(s for s in g["stories"] if s["id"] == sid)
print(" ".join(f"{d}/{v['file']}:{v['lines'][0]}-{v['lines'][1]}" for v in s["versions"]))
PY
}

# corpus_bytes DIR: bytes of the .txt files in DIR.
corpus_bytes() {
    find "$1" -name '*.txt' -printf '%s\n' | awk '{s+=$1} END {print s}'
}

need_python() {
    if ! python3 -c 'import collatex, Levenshtein' 2>/dev/null; then
        echo "installing collatex (pip)…" >&2
        pip install --quiet collatex python-Levenshtein >&2
    fi
}

need_hyperfine() {
    if ! command -v hyperfine >/dev/null; then
        echo "installing hyperfine (apt-get)…" >&2
        { apt-get install -y hyperfine || { apt-get update && apt-get install -y hyperfine; }; } >/dev/null 2>&1 || true
    fi
}

machine() {
    echo "date: $(date -u +%Y-%m-%dT%H:%MZ)"
    echo "nproc: $(nproc)"
    lscpu | grep -E '^(Model name|CPU\(s\)|Thread|Core|Socket|CPU max MHz|L2|L3)' | sed 's/  */ /g'
    echo "memory: $(free -h | awk '/^Mem:/ {print $2}')"
    echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
}

# json_field JSON KEY
json_field() {
    python3 -c 'import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])' "$1" "$2"
}
