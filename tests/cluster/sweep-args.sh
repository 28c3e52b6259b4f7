# The sweep the cluster tests split and merge (sourced): the baseline and a 4 x 2 grid of a
# one-week scenario (9 options), 3 replications each — small enough to run in seconds, large
# enough that every shard has work.
# shellcheck disable=SC2034  # used by the scripts that source this file
sweep_args=(
  "$here/../scenarios/good/three_regions_week.json"
  --vary agent_groups.london-l1.headcount=12..15
  --vary agent_groups.tokyo-l1.headcount=5,7
  --replications 3 --seed 11
)
