// End to end through the code path of `supportsim run`: scenario text -> loader -> model ->
// metrics sink. M/M/c with c = 50 agents at load 0.95 and 1,000,000 customers.
#include "analysis/run/experiment.hpp"
#include "mmc_bench.hpp"

#include <benchmark/benchmark.h>

namespace {

using namespace supportsim;

void BM_MMc_OneMillionCustomers(benchmark::State &state) {
  const scenarios::Scenario scenario = bench::mmc_scenario();
  std::uint64_t customers = 0;
  for (auto _ : state) {
    const auto figures = analysis::run_replication(scenario, 1, 0);
    customers += figures.all.all.offered;
    benchmark::DoNotOptimize(figures.all.all.sla_attainment);
  }
  state.counters["customers/s"] =
      benchmark::Counter(static_cast<double>(customers), benchmark::Counter::kIsRate);
}

} // namespace

BENCHMARK(BM_MMc_OneMillionCustomers)->Unit(benchmark::kMillisecond)->UseRealTime();
