#!/usr/bin/env bash
# A sweep split into shards run by GNU parallel, merged, must equal the sweep run whole, byte for
# byte (docs/cluster.md). Here the shards run on this machine; across hosts the same command
# takes --sshlogin (see docs/cluster.md).
#
#   gnu-parallel.sh SUPPORTSIM WORK_DIR
#
# Without GNU parallel it skips (exit 77), unless SUPPORTSIM_REQUIRE_CLUSTER_TOOLS=1 (CI).
set -euo pipefail
supportsim=$(realpath "$1")
work=$2
here=$(cd "$(dirname "$0")" && pwd)
if ! command -v parallel >/dev/null; then
  if [[ ${SUPPORTSIM_REQUIRE_CLUSTER_TOOLS:-0} == 1 ]]; then
    echo "FAIL: GNU parallel is not installed (bash scripts/setup.sh --test installs it)" >&2
    exit 1
  fi
  echo "SKIP: GNU parallel is not installed" >&2
  exit 77
fi
mkdir -p "$work"
rm -rf "$work/parts" "$work/merged" "$work/whole"
# shellcheck source=tests/cluster/sweep-args.sh
source "$here/sweep-args.sh"
shards=4

"$supportsim" sweep "${sweep_args[@]}" --out "$work/whole" >/dev/null 2>"$work/whole.log"
# One job per shard, two at a time; {} is the shard number.
parallel --jobs 2 --halt now,fail=1 \
  "$supportsim" sweep "${sweep_args[@]}" --shard {}/$shards --out "$work/parts" \
  ::: $(seq 1 $shards) >/dev/null 2>"$work/parallel.log"
"$supportsim" merge "$work"/parts/sweep-part-*-of-$shards.json --out "$work/merged" >/dev/null

compare_with_whole "$work" "$shards shards under GNU parallel"
