#!/usr/bin/env bash
# Run every fuzz target for SECONDS seconds each (default 60) and report
# what was found. Needs a nightly toolchain and cargo-fuzz: cargo-fuzz is
# installed here when missing; a missing nightly is reported, not installed
# behind your back (the property tests in tests/hostile_props.rs check the
# same invariants on stable, in `cargo test`).
#
# Usage: fuzz/run.sh [SECONDS] [TARGET...]
set -u
cd "$(dirname "$0")"
seconds="${1:-60}"
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    targets=(segment cluster align word_diff)
fi

if ! rustup toolchain list 2>/dev/null | grep -q '^nightly'; then
    echo "fuzz/run.sh: no nightly toolchain here (cargo fuzz needs one)." >&2
    echo "Install it with 'rustup toolchain install nightly', or rely on the" >&2
    echo "property tests: cargo test --test hostile_props" >&2
    exit 2
fi
if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
    echo "fuzz/run.sh: installing cargo-fuzz…" >&2
    if ! cargo +nightly install cargo-fuzz --locked; then
        echo "fuzz/run.sh: cargo-fuzz could not be installed; rely on cargo test --test hostile_props" >&2
        exit 2
    fi
fi

# Seeds: the sample and evaluation texts, so the fuzzer starts from real articles.
for t in "${targets[@]}"; do
    mkdir -p "corpus/$t"
    if [ -z "$(ls -A "corpus/$t" 2>/dev/null)" ]; then
        for f in ../assets/corpus/*.txt; do
            cp "$f" "corpus/$t/seed-$(basename "$f")"
        done
    fi
done

status=0
for t in "${targets[@]}"; do
    echo "== $t: ${seconds}s"
    log="$(mktemp)"
    # storydiff has no unsafe code: no address sanitizer, several times the runs.
    cargo +nightly fuzz run --sanitizer none "$t" "corpus/$t" -- \
        -max_total_time="$seconds" -max_len=32768 -timeout=20 -rss_limit_mb=4096 \
        2>&1 | tee "$log" | grep -E '^(#[0-9]+ +(DONE|INITED)|==[0-9]+==|SUMMARY|artifact_prefix|Test unit written)' || true
    if grep -qE 'SUMMARY|Test unit written|panicked' "$log"; then
        echo "!! $t found a problem; the input is under fuzz/artifacts/$t/"
        grep -E 'panicked|SUMMARY' "$log" | head -5
        status=1
    else
        runs=$(grep -oE '^#[0-9]+' "$log" | tail -1)
        echo "ok $t: ${runs:-?} runs, nothing found"
    fi
    rm -f "$log"
done
exit $status
