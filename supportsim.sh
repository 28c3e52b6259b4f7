#!/usr/bin/env bash
# The README's two commands, and a few more for developers:
#   ./supportsim.sh run [ARGS...]  set up, build (Release), run `supportsim run ARGS` (default scenario)
#   ./supportsim.sh test           set up, build, run the whole test suite (ctest)
#   ./supportsim.sh bench [ARGS]   set up, build, run the benchmarks
#   ./supportsim.sh sanitize       set up, build with ASan + UBSan and assertions, run the test suite
#   ./supportsim.sh build          set up and build only
#   ./supportsim.sh fuzz [TARGET|all] [SECONDS]
#                                  set up, build the libFuzzer targets with clang (build/fuzz), run
#                                  each (or TARGET) for SECONDS (default 60); any crash fails, its
#                                  reproducer printed (docs/reliability.md#fuzzing)
# "Set up" installs missing Debian and npm packages (scripts/setup.sh), for the tests also Chromium
# and GNU parallel; it does nothing when all are there.
set -euo pipefail
cd "$(dirname "$0")"

release=build/release
asan=build/asan
fuzz=build/fuzz
jobs=$(nproc)

configure() { # DIR ARGS...
  local dir=$1
  shift
  if [[ ! -f $dir/CMakeCache.txt ]]; then
    # ccache, where a developer has installed it, makes rebuilds across work trees cheap.
    local launcher=()
    command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
    cmake -S . -B "$dir" -G Ninja -DSUPPORTSIM_WERROR=ON "${launcher[@]}" "$@" >/dev/null
  fi
}

build_release() { # SETUP_ARGS...
  bash scripts/setup.sh "$@"
  configure "$release" -DCMAKE_BUILD_TYPE=Release
  cmake --build "$release" -j "$jobs"
}

command=${1:-}
[[ $# -gt 0 ]] && shift
case $command in
run)
  build_release >&2
  exec "$release/cli/supportsim" run "$@"
  ;;
test)
  build_release --test
  ctest --test-dir "$release" --output-on-failure -j "$jobs"
  ;;
bench)
  build_release
  exec "$release/benchmarks/supportsim_benchmarks" "$@"
  ;;
sanitize)
  bash scripts/setup.sh --test
  # Assertions stay on here (no NDEBUG): the model's invariants, such as every case ending
  # exactly once, are checked on every run of the test suite.
  configure "$asan" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g" \
    -DSUPPORTSIM_SANITIZE=ON -DSUPPORTSIM_BUILD_BENCHMARKS=OFF
  cmake --build "$asan" -j "$jobs"
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
    ctest --test-dir "$asan" --output-on-failure -j "$jobs"
  ;;
build)
  build_release
  ;;
fuzz)
  bash scripts/setup.sh --fuzz
  # Every library instrumented for libFuzzer and checked by ASan + UBSan (SUPPORTSIM_FUZZ).
  configure "$fuzz" -DCMAKE_CXX_COMPILER=clang++ -DSUPPORTSIM_FUZZ=ON -DSUPPORTSIM_BUILD_TESTS=OFF \
    -DSUPPORTSIM_BUILD_BENCHMARKS=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g"
  exec bash tests/fuzz/run.sh "$fuzz" "$@"
  ;;
*)
  echo "usage: ./supportsim.sh run [ARGS...] | test | bench [ARGS...] | sanitize | build |" \
    "fuzz [TARGET|all] [SECONDS]" >&2
  exit 2
  ;;
esac
