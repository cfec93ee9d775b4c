#!/usr/bin/env bash
# Render an exported HTML page to PNG with headless Chromium, to look at it.
# Not run by `cargo test`. Needs /usr/bin/chromium (apt-get install -y chromium);
# without it, says so and exits 0.
#
# Usage: tests/browser/screenshot.sh PAGE.html [OUT_PREFIX] [WIDTH,HEIGHT]
# Writes OUT_PREFIX-light.png and OUT_PREFIX-dark.png (default: PAGE without .html).
set -euo pipefail

chromium=/usr/bin/chromium
if [[ ! -x $chromium ]]; then
    echo "screenshot.sh: $chromium not found; install it with 'apt-get install -y chromium'" >&2
    exit 0
fi
if [[ $# -lt 1 || ! -f $1 ]]; then
    echo "usage: $0 PAGE.html [OUT_PREFIX] [WIDTH,HEIGHT]" >&2
    exit 2
fi

page=$(realpath "$1")
prefix=${2:-${page%.html}}
size=${3:-1400,1800}
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT

shoot() {
    local out=$1
    shift
    "$chromium" --headless --no-sandbox --disable-gpu --disable-background-networking \
        --hide-scrollbars --user-data-dir="$profile" --window-size="$size" \
        "$@" --screenshot="$out" "file://$page" >/dev/null 2>&1
    echo "$out"
}

shoot "$prefix-light.png" --blink-settings=preferredColorScheme=1
shoot "$prefix-dark.png" --force-dark-mode --blink-settings=preferredColorScheme=0
if [[ ${PRINT:-0} == 1 ]]; then
    "$chromium" --headless --no-sandbox --disable-gpu --disable-background-networking \
        --user-data-dir="$profile" --no-pdf-header-footer --print-to-pdf="$prefix.pdf" \
        "file://$page" >/dev/null 2>&1
    echo "$prefix.pdf"
fi
