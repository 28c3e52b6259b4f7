#!/usr/bin/env bash
# Installs the Debian packages supportsim needs to build and test, if any are missing.
# Idempotent: does nothing (and needs no network) when everything is present.
# Works as root on a bare Debian 12 machine; as another user it uses sudo when available.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config
  libboost-dev libboost-random-dev libboost-program-options-dev libboost-graph-dev
  nlohmann-json3-dev libfmt-dev catch2 libbenchmark-dev libhowardhinnant-date-dev tzdata
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

echo "setup: installing ${missing[*]}" >&2
if [[ $(id -u) -eq 0 ]]; then
  sudo=()
elif command -v sudo >/dev/null; then
  sudo=(sudo)
else
  echo "setup: these Debian packages are missing and I am not root: ${missing[*]}" >&2
  echo "setup: install them with: apt-get install ${missing[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
