#!/usr/bin/env bash
# Takes the README tour's pictures of report.html (docs/images/) in headless Chromium at 1280
# pixels wide: the heatmap of 15-minute intervals and staffing against the requirement, of the
# embedded default's EMEA (its weekend dips), each section alone on the page.
#
#   tests/report/screenshots.sh SUPPORTSIM [IMAGES_DIR]     (default docs/images)
#
# Keeps each PNG small (at most 256 colours, with ImageMagick's convert where installed).
set -euo pipefail
supportsim=$1
images=${2:-$(dirname "$0")/../../docs/images}
browser=$(command -v chromium || command -v chromium-browser || command -v google-chrome)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

# 15-minute intervals where this supportsim has them (run --interval), else its local hours.
interval=()
"$supportsim" run --help 2>&1 | grep -q -- '--interval' && interval=(--interval 15)
"$supportsim" run --replications 2 "${interval[@]}" --out "$scratch/default" >/dev/null 2>&1
shoot() { # SECTION HEIGHT PNG
  local section=$1 height=$2 png=$3 page=$scratch/$1.html
  # The section alone, EMEA chosen in its region menu.
  sed -e 's/"value":"AMER"/"value":"EMEA"/' \
    -e "s|</style>|  body > header, nav, footer, section:not(#$section) { display: none; }\n</style>|" \
    "$scratch/default/report.html" >"$page"
  timeout 120 "$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --no-first-run \
    --user-data-dir="$scratch/profile" --virtual-time-budget=15000 \
    --window-size="1280,$height" --screenshot="$png" "file://$page" >/dev/null 2>&1
  if command -v convert >/dev/null; then convert "$png" -colors 256 "PNG8:$png"; fi
  echo "$png: $(wc -c <"$png") bytes"
}
shoot heatmap 860 "$images/report-heatmap.png"
shoot staffing 720 "$images/report-staffing.png"
