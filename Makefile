# The two commands of the README:
#   make run    set up, build (Release) and run `supportsim run` on the embedded default scenario
#   make test   set up, build and run the whole test suite
# Also: make bench (benchmarks), make sanitize (tests under ASan + UBSan), make clean.

BUILD    ?= build/release
ASAN     ?= build/asan
JOBS     ?= $(shell nproc)
CMAKE_GEN = $(shell command -v ninja >/dev/null 2>&1 && echo "-G Ninja")

.PHONY: run test bench sanitize setup build clean

setup:
	@bash scripts/setup.sh

$(BUILD)/CMakeCache.txt: | setup
	cmake -S . -B $(BUILD) $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=Release -DSUPPORTSIM_WERROR=ON

build: setup $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

run: build
	$(BUILD)/cli/supportsim run

test: build
	ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS)

bench: build
	$(BUILD)/benchmarks/supportsim_benchmarks

sanitize: setup
	cmake -S . -B $(ASAN) $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSUPPORTSIM_WERROR=ON \
	  -DSUPPORTSIM_SANITIZE=ON -DSUPPORTSIM_BUILD_BENCHMARKS=OFF
	cmake --build $(ASAN) -j $(JOBS)
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  ctest --test-dir $(ASAN) --output-on-failure -j $(JOBS)

clean:
	rm -rf build
