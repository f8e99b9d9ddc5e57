#!/bin/sh
# Screenshot an apacore report in headless Chromium, for a person to look at.
#
#   scripts/screenshot_report.sh REPORT.html OUT.png [WIDTHxHEIGHT]
#
# Needs chromium (Debian: apt-get install chromium). The page loads nothing from outside;
# networking is switched off anyway so that a screenshot never depends on the network.
set -eu
if [ $# -lt 2 ]; then
    echo "usage: $0 REPORT.html OUT.png [WIDTHxHEIGHT]" >&2
    exit 2
fi
html=$1
png=$2
size=${3:-1400x1800}
browser=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
if [ -z "$browser" ]; then
    echo "$0: no chromium found (apt-get install chromium)" >&2
    exit 2
fi
abs=$(cd "$(dirname "$html")" && pwd)/$(basename "$html")
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
"$browser" --headless --no-sandbox --disable-gpu --disable-background-networking \
    --disable-component-update --disable-sync --no-first-run --hide-scrollbars \
    --user-data-dir="$profile" --window-size="${size%x*},${size#*x}" \
    --screenshot="$png" "file://$abs" 2>/dev/null
echo "wrote $png"
