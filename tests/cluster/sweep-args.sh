# The sweep the cluster tests split and merge (sourced): the baseline and a 4 x 2 grid of a
# one-week scenario (9 options; the second --vary is a group set, the total headcount of APJC's
# three L1 groups), 3 replications each: small enough to run in seconds, large enough that every
# shard has work.
# shellcheck disable=SC2034  # used by the scripts that source this file
sweep_args=(
  "$here/../scenarios/good/three_regions_week.json"
  --vary agent_groups.london-l1.headcount=12..15
  --vary agent_groups.APJC-L1.headcount=24,28
  --replications 3 --seed 11
)

# Compares every file of the whole sweep ($1/whole) with the merged one ($1/merged), byte for
# byte; $2 says how the parts were made. Returns 1 if any differs.
compare_with_whole() {
  local work=$1 how=$2 status=0 file name
  for file in "$work"/whole/*; do
    name=$(basename "$file")
    if cmp -s "$file" "$work/merged/$name"; then
      echo "ok: $name: $how, merged, equals the whole sweep"
    else
      echo "FAIL: $name differs between the whole sweep and $how, merged" >&2
      status=1
    fi
  done
  return $status
}
