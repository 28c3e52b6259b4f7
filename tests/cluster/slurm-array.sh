#!/usr/bin/env bash
# A sweep run as a Slurm job array on a one-node Slurm cluster started here, on localhost:
# starts munged (if not running), slurmctld and slurmd with a private configuration, submits
# one array task per shard with `sbatch --array`, waits, merges the parts and checks that they
# equal the sweep run whole, byte for byte. Stops what it started. docs/cluster.md explains it.
#
#   slurm-array.sh SUPPORTSIM WORK_DIR
#
# Needs root (slurmd runs jobs as their user) and Debian's slurm-wlm and munge
# (bash scripts/setup.sh --cluster). Skips (exit 77) without them unless
# SUPPORTSIM_REQUIRE_CLUSTER_TOOLS=1 (CI), when it fails.
set -euo pipefail
supportsim=$(realpath "$1")
work=$(mkdir -p "$2" && realpath "$2")
here=$(cd "$(dirname "$0")" && pwd)

skip() {
  if [[ ${SUPPORTSIM_REQUIRE_CLUSTER_TOOLS:-0} == 1 ]]; then
    echo "FAIL: $1" >&2
    exit 1
  fi
  echo "SKIP: $1" >&2
  exit 77
}
[[ $(id -u) -eq 0 ]] || skip "a local Slurm needs root"
for tool in slurmctld slurmd sbatch munged; do
  command -v "$tool" >/dev/null || [[ -x /usr/sbin/$tool ]] ||
    skip "$tool is missing (bash scripts/setup.sh --cluster installs slurm-wlm and munge)"
done
export PATH=$PATH:/usr/sbin

rm -rf "$work/slurm" "$work/parts" "$work/merged" "$work/whole"
mkdir -p "$work/slurm/state" "$work/slurm/spool"
# shellcheck source=tests/cluster/sweep-args.sh
source "$here/sweep-args.sh"
shards=4
started=()
cleanup() {
  for pidfile in "$work/slurm/slurmd.pid" "$work/slurm/slurmctld.pid"; do
    [[ -f $pidfile ]] && kill "$(cat "$pidfile")" 2>/dev/null || true
  done
  if [[ " ${started[*]} " == *" munged "* ]]; then
    pkill -x munged || true
  fi
}
trap cleanup EXIT

# munge authenticates Slurm's messages; Debian's package creates the key.
if ! pgrep -x munged >/dev/null; then
  [[ -f /etc/munge/munge.key ]] || runuser -u munge -- mungekey --create
  mkdir -p /run/munge && chown munge:munge /run/munge
  runuser -u munge -- munged
  started+=(munged)
fi

host=$(hostname -s)
cpus=$(nproc)
conf=$work/slurm/slurm.conf
cat >"$conf" <<CONF
ClusterName=supportsim-test
SlurmctldHost=$host(127.0.0.1)
SlurmUser=root
AuthType=auth/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MpiDefault=none
ReturnToService=2
SlurmctldPort=16817
SlurmdPort=16818
StateSaveLocation=$work/slurm/state
SlurmdSpoolDir=$work/slurm/spool
SlurmctldPidFile=$work/slurm/slurmctld.pid
SlurmdPidFile=$work/slurm/slurmd.pid
SlurmctldLogFile=$work/slurm/slurmctld.log
SlurmdLogFile=$work/slurm/slurmd.log
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus State=UNKNOWN
PartitionName=local Nodes=$host Default=YES MaxTime=60 State=UP
CONF
export SLURM_CONF=$conf
slurmctld -f "$conf"
slurmd -f "$conf"
for _ in $(seq 1 30); do
  sinfo -h -o %T 2>/dev/null | grep -q idle && break
  sleep 1
done
sinfo -h -o %T | grep -q idle || {
  echo "FAIL: the local Slurm node did not come up; see $work/slurm/*.log" >&2
  exit 1
}

# The job array: task K runs shard K of N. (A real cluster runs the same script; see
# docs/cluster.md.)
{
  echo '#!/bin/bash'
  echo "#SBATCH --job-name=supportsim-sweep"
  echo "#SBATCH --cpus-per-task=1"
  printf '%q ' "$supportsim" sweep "${sweep_args[@]}"
  echo "--jobs 1 --shard \"\$SLURM_ARRAY_TASK_ID/$shards\" --out $(printf %q "$work/parts")"
} >"$work/sweep-array.sh"
timeout 300 sbatch --wait --array=1-$shards --output="$work/slurm/task-%a.log" \
  "$work/sweep-array.sh" >/dev/null
"$supportsim" merge "$work"/parts/sweep-part-*-of-$shards.json --out "$work/merged" >/dev/null
"$supportsim" sweep "${sweep_args[@]}" --out "$work/whole" >/dev/null 2>&1

compare_with_whole "$work" "a $shards-task Slurm job array"
