#!/usr/bin/env bash
# Opens report.html files in headless Chromium, as a reader would, offline: each must draw
# every chart (the page marks <body data-status="ok" data-charts="N">, each chart's element
# data-drawn="yes", one <svg> per chart) with nothing at all on the browser console. Leaves a
# full-page screenshot of each beside the test's artefacts for a person to look at.
#
#   check_in_chromium.sh SUPPORTSIM ARTEFACT_DIR
#
# Without a Chromium it skips (exit 77), unless SUPPORTSIM_REQUIRE_BROWSER=1 (CI), when it fails.
set -euo pipefail
supportsim=$1
artefacts=$2
mkdir -p "$artefacts"

browser=
for candidate in chromium chromium-browser google-chrome; do
  if command -v "$candidate" >/dev/null; then
    browser=$candidate
    break
  fi
done
if [[ -z $browser ]]; then
  if [[ ${SUPPORTSIM_REQUIRE_BROWSER:-0} == 1 ]]; then
    echo "FAIL: no chromium to open the report in (install it: bash scripts/setup.sh --test)" >&2
    exit 1
  fi
  echo "SKIP: no chromium (bash scripts/setup.sh --test installs it)" >&2
  exit 77
fi

# The browser's own profile and crash files stay in a scratch folder.
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
# --no-sandbox: CI runs as root in a container, where Chromium's sandbox cannot start.
chrome=("$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --no-first-run
  --user-data-dir="$scratch/profile" --enable-logging=stderr --v=0
  --virtual-time-budget=15000)

failures=0
# The tick labels of every axis in a dumped page that appear more than once on that axis (a
# format with too few decimals for the ticks' step writes "95.3%" under several ticks).
repeated_tick_labels() { # DOM
  local axis labels
  # Each axis's labels end at its first </g>; sed cuts there (bash's ${axis%%</g>*} is
  # quadratic on the megabytes of a heatmap that can follow an axis).
  sed 's/role-axis-label/\n&/g' "$1" | tail -n +2 | sed 's|</g>.*||' | while IFS= read -r axis; do
    labels=$(grep -o '<text[^>]*>[^<]*</text>' <<<"$axis" | sed 's/<[^>]*>//g' || true)
    sort <<<"$labels" | uniq -d | grep -v '^$' || true
  done
}
# CHART=MIN: the chart's <section> must hold at least MIN drawn marks (rects, lines, areas,
# rules, points, bars), so that a chart that draws an empty frame fails too.
check() { # NAME REPORT_HTML EXPECTED_CHARTS [CHART=MIN ...]
  local name=$1 page=$2 charts=$3
  shift 3
  local dom=$artefacts/$name.dom.html log=$artefacts/$name.console.log
  # A copy of the page that notes, once drawn, how wide the document is: the page must fit a
  # 1,280-pixel window without scrolling sideways.
  local measured=$scratch/$name.html
  head -n -2 "$page" >"$measured"
  cat >>"$measured" <<'MEASURE'
<script>
(function measure() {
  if (document.body.dataset.status === "loading") return setTimeout(measure, 50);
  document.body.dataset.scrollWidth = String(document.documentElement.scrollWidth);
})();
</script>
</body>
</html>
MEASURE
  timeout 120 "${chrome[@]}" --window-size=1280,1000 --dump-dom "file://$measured" >"$dom" \
    2>"$log" || true
  local status drawn svgs console width problems=()
  status=$(grep -o '<body[^>]*data-status="[a-z]*"' "$dom" | grep -o 'status="[a-z]*"' || true)
  drawn=$(grep -o 'data-drawn="yes"' "$dom" | wc -l)
  svgs=$(grep -o '<svg' "$dom" | wc -l)
  console=$(grep ':CONSOLE' "$log" || true)
  width=$(grep -o 'data-scroll-width="[0-9]*"' "$dom" | grep -o '[0-9]*' || echo unknown)
  # The screenshot is for people; CI skips it (SUPPORTSIM_REPORT_SCREENSHOTS=0) to save a
  # second drawing of every page.
  if [[ ${SUPPORTSIM_REPORT_SCREENSHOTS:-1} != 0 ]]; then
    timeout 120 "${chrome[@]}" --window-size=1280,5200 --screenshot="$artefacts/$name.png" \
      "file://$page" >/dev/null 2>&1 || true
  fi
  [[ $status != 'status="ok"' || $drawn -ne $charts || $svgs -lt $charts ]] &&
    problems+=("$status, $drawn of $charts charts drawn, $svgs <svg> elements")
  [[ -n $console ]] && problems+=("browser console: $console")
  local repeated
  repeated=$(repeated_tick_labels "$dom" | sort -u | tr '\n' ' ')
  [[ -n $repeated ]] && problems+=("tick labels repeated on an axis: $repeated")
  [[ $width == unknown || $width -gt 1280 ]] && problems+=("$width px wide in a 1280 px window")
  local expected id min marks
  for expected in "$@"; do
    id=${expected%=*} min=${expected#*=}
    marks=$(sed 's/<section/\n<section/g' "$dom" | grep "id=\"$id\"" |
      grep -o 'aria-roledescription="\(rect mark\|line mark\|area mark\|rule mark\|point\|bar\)"' |
      wc -l || true)
    ((marks >= min)) || problems+=("chart $id: $marks marks drawn, expected at least $min")
  done
  if ((${#problems[@]} > 0)); then
    echo "FAIL: $name:" >&2
    printf '  %s\n' "${problems[@]}" >&2
    sed -n '/<pre id="errors"/,/<\/pre>/p' "$dom" >&2
    failures=$((failures + 1))
  else
    echo "ok: $name: $charts charts drawn, $width px wide, no console messages;" \
      "screenshot $artefacts/$name.png"
  fi
}

# Run reports: the default scenario, and one with an incident (flagged weeks with causes).
"$supportsim" run --replications 2 --out "$scratch/default" >/dev/null 2>&1
run_charts=(heatmap-chart=100 staffing-chart=4 sla-chart=3 backlog-chart=3
  utilisation-chart=3 trends-chart=3 variance-chart=15 consistency-chart=5)
check default "$scratch/default/report.html" 8 "${run_charts[@]}"
# (At hourly intervals: the default's page checks the 15-minute heatmap; this one the 60-minute
# grid, at a third of the drawing time.)
"$supportsim" run "$(dirname "$0")/../../scenarios/major-incident.json" --replications 2 \
  --interval 60 --out "$scratch/incident" >/dev/null 2>&1
check major-incident "$scratch/incident/report.html" 8 "${run_charts[@]}"
# A sweep's report: the cost-SLA trade-off with its Pareto front, and the paired differences.
"$supportsim" sweep "$(dirname "$0")/../scenarios/good/three_regions_week.json" \
  --vary agent_groups.london-l1.headcount=10..16/3 --replications 2 --out "$scratch/sweep" \
  >/dev/null 2>&1
check sweep "$scratch/sweep/report.html" 2
# A backtest's report: a small call centre's four hours (a call a minute, every seventh
# abandoned), against its roster: actual beside simulated for 9 figures and the scatter.
{
  echo "case_id,created_utc,channel,answered_utc,abandoned_utc,handle_minutes,agent,group"
  for i in $(seq 0 239); do
    at() { printf '2027-02-01T%02d:%02d:%02dZ' $((8 + i / 60)) $((i % 60)) "$1"; }
    if ((i % 7 == 3)); then
      echo "$i,$(at 0),phone,,$(at 50),,,"
    else
      echo "$i,$(at 0),phone,$(at $((i % 5 * 10))),,$((2 + i % 4)),a$((i % 3)),agents"
    fi
  done
} >"$scratch/calls.csv"
printf '%s\n' "agent,group,start_utc,end_utc" "a0,agents,2027-02-01T08:00:00Z,2027-02-01T12:30:00Z" \
  "a1,agents,2027-02-01T08:00:00Z,2027-02-01T12:30:00Z" >"$scratch/roster.csv"
"$supportsim" backtest "$scratch/calls.csv" --staffing "$scratch/roster.csv" \
  --scenario "$(dirname "$0")/../../scenarios/single-queue.json" --replications 5 \
  --out "$scratch/backtest" >/dev/null 2>&1
check backtest "$scratch/backtest/report.html" 10
exit $((failures > 0))
