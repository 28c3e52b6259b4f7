#!/usr/bin/env bash
# Builds the fuzz targets in BUILD_DIR (configured with SUPPORTSIM_FUZZ=ON) and runs each, or
# TARGET alone, for SECONDS (default 60) from its committed seeds (tests/fuzz/corpus/TARGET) and
# the inputs earlier runs found (BUILD_DIR/corpus/TARGET), with its dictionary. Any crash, leak,
# sanitizer report, timeout or out-of-memory is a finding: the script prints the reproducer's
# path, a hexdump and its base64, and exits 1 once every target has run.
#   bash tests/fuzz/run.sh build/fuzz [TARGET|all] [SECONDS]
# (./supportsim.sh fuzz sets up, configures and calls this.) Extra libFuzzer flags may be given
# in FUZZ_FLAGS, e.g. FUZZ_FLAGS=-runs=1000000.
set -euo pipefail
cd "$(dirname "$0")/../.."

build=${1:?usage: tests/fuzz/run.sh BUILD_DIR [TARGET|all] [SECONDS]}
only=${2:-all}
seconds=${3:-60}
targets=(scenario arrivals mapping override options merge)
if [[ $only != all ]]; then
  if [[ " ${targets[*]} " != *" $only "* ]]; then
    echo "fuzz: no target '$only'; the targets are: ${targets[*]}" >&2
    exit 2
  fi
  targets=("$only")
fi
if ! [[ $seconds =~ ^[1-9][0-9]*$ ]]; then
  echo "fuzz: SECONDS must be a whole number of seconds, found '$seconds'" >&2
  exit 2
fi

cmake --build "$build" --target "${targets[@]/#/fuzz_}"

dictionary_of() { # TARGET
  [[ $1 == arrivals ]] && echo tests/fuzz/csv.dict || echo tests/fuzz/json.dict
}

failed=()
for target in "${targets[@]}"; do
  corpus=$build/corpus/$target
  crashes=$build/crashes/$target
  log=$build/logs/$target.log
  rm -rf "$crashes" # only this run's reproducers are reported
  mkdir -p "$corpus" "$crashes" "$(dirname "$log")"
  echo "== fuzz $target for ${seconds} s (log: $log)"
  # -timeout: one input taking 25 s is a finding (a hang); -rss_limit_mb: so is 2 GB.
  # shellcheck disable=SC2086 # FUZZ_FLAGS is a list of flags
  if "$build/tests/fuzz/fuzz_$target" -max_total_time="$seconds" -timeout=25 -rss_limit_mb=2048 \
    -dict="$(dictionary_of "$target")" -artifact_prefix="$crashes/" -print_final_stats=1 \
    ${FUZZ_FLAGS:-} "$corpus" "tests/fuzz/corpus/$target" >"$log" 2>&1; then
    grep -E '^stat::number_of_executed_units|^stat::average_exec_per_sec|^stat::peak_rss_mb' "$log" |
      sed "s/^/fuzz $target: /"
    grep -E '^#[0-9]+.*(DONE|INITED)' "$log" | tail -1 | sed "s/^/fuzz $target: /"
  else
    failed+=("$target")
    echo "fuzz $target: FAILED; the end of its log:" >&2
    tail -60 "$log" >&2
    for reproducer in "$crashes"/*; do
      [[ -f $reproducer ]] || continue
      echo "fuzz $target: reproducer $reproducer ($(stat -c %s "$reproducer") bytes);" \
        "rerun: $build/tests/fuzz/fuzz_$target $reproducer" >&2
      echo "-- hexdump (first 4 KiB):" >&2
      head -c 4096 "$reproducer" | od -A x -t x1z -v >&2
      echo "-- base64:" >&2
      base64 "$reproducer" >&2
    done
  fi
done
if [[ ${#failed[@]} -gt 0 ]]; then
  echo "fuzz: findings in ${failed[*]}" >&2
  exit 1
fi
echo "fuzz: no findings in ${targets[*]}"
