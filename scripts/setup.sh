#!/usr/bin/env bash
# Installs what supportsim needs to build, if anything is missing: Debian packages, and the
# charting libraries that report.html inlines (npm packages pinned in analysis/report/html/).
#   bash scripts/setup.sh            what the build needs
#   bash scripts/setup.sh --test     and what the tests use: Chromium (to open report.html),
#                                    GNU parallel (to run a sharded sweep), pytest, openpyxl
#                                    (to read results.xlsx back) and clang (libFuzzer)
#   bash scripts/setup.sh --fuzz     and clang, for the fuzz targets (tests/fuzz)
#   bash scripts/setup.sh --cluster  and a one-node Slurm with munge, for tests/cluster/slurm-array.sh
# Idempotent: does nothing (and needs no network) when everything is present.
# Works as root on a bare Debian 12 machine; as another user it uses sudo when available.
set -euo pipefail
cd "$(dirname "$0")/.."

test_tools=0
cluster=0
fuzz_tools=0
for arg in "$@"; do
  case $arg in
  --test) test_tools=1 fuzz_tools=1 ;;
  --fuzz) fuzz_tools=1 ;;
  --cluster) cluster=1 ;;
  *)
    echo "usage: bash scripts/setup.sh [--test] [--fuzz] [--cluster]" >&2
    exit 2
    ;;
  esac
done

packages=(
  build-essential cmake ninja-build pkg-config
  libboost-dev libboost-random-dev libboost-program-options-dev libboost-graph-dev
  nlohmann-json3-dev libfmt-dev catch2 libbenchmark-dev libhowardhinnant-date-dev tzdata
  # results.xlsx of `run --out` (analysis/report/workbook.cpp); found through pkg-config.
  libxlsxwriter-dev
  # The Python module (python/, docs/python.md): pybind11 and the headers to build it, pandas to
  # use it.
  python3-dev pybind11-dev python3-pandas
)
# npm fetches the charting libraries; any Node.js and npm will do, Debian's by default.
command -v npm >/dev/null || packages+=(nodejs npm)
if [[ $test_tools == 1 ]]; then
  command -v chromium >/dev/null || packages+=(chromium)
  # openpyxl reads results.xlsx back in tests/python/test_workbook.py.
  packages+=(parallel python3-pytest python3-openpyxl)
fi
# Debian's clang brings libFuzzer and the sanitizers' runtimes (clang 14 on Debian 12).
[[ $fuzz_tools == 1 ]] && packages+=(clang)
[[ $cluster == 1 ]] && packages+=(slurm-wlm munge)

# valijson (JSON Schema validation) is header-only, but Debian's libvalijson-dev depends on Qt5
# and Poco (~120 packages) for adapters we do not use. Unless it is installed system-wide, we
# fetch just its .deb with apt-get and unpack the headers and CMake config into build/deps/.
valijson_prefix=build/deps/valijson
fetch_valijson() {
  [[ -f /usr/include/valijson/validator.hpp || -f $valijson_prefix/usr/include/valijson/validator.hpp ]] && return 0
  echo "setup: unpacking libvalijson-dev (headers only) into $valijson_prefix" >&2
  local tmp
  tmp=$(mktemp -d)
  if ! (cd "$tmp" && apt-get download -qq libvalijson-dev 2>/dev/null); then
    "${sudo[@]}" apt-get update -qq
    (cd "$tmp" && apt-get download -qq libvalijson-dev)
  fi
  mkdir -p "$valijson_prefix"
  dpkg-deb -x "$tmp"/libvalijson-dev_*.deb "$valijson_prefix"
  rm -rf "$tmp"
}

if [[ $(id -u) -eq 0 ]]; then
  sudo=()
elif command -v sudo >/dev/null; then
  sudo=(sudo)
else
  sudo=(false)
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
export DEBIAN_FRONTEND=noninteractive
if [[ ${#missing[@]} -gt 0 ]]; then
  echo "setup: installing ${missing[*]}" >&2
  if [[ ${sudo[0]:-} == false ]]; then
    echo "setup: these Debian packages are missing and I am not root: ${missing[*]}" >&2
    echo "setup: install them with: apt-get install ${missing[*]}" >&2
    exit 1
  fi
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
fetch_valijson

# Vega and Vega-Lite, exactly as analysis/report/html/package-lock.json pins them. The lock file is
# copied beside them once installed, so an unchanged lock needs no network next time.
charts=analysis/report/html
if ! cmp -s "$charts/package-lock.json" "$charts/node_modules/.supportsim-installed-lock"; then
  echo "setup: npm ci --prefix $charts (Vega and Vega-Lite for report.html)" >&2
  npm ci --prefix "$charts" --no-audit --no-fund --loglevel=error >&2
  cp "$charts/package-lock.json" "$charts/node_modules/.supportsim-installed-lock"
fi
