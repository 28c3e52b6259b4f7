// End to end through the code path of `supportsim run`: scenario text -> loader -> model ->
// metrics sink. M/M/c with c = 50 agents at load 0.95 and 1,000,000 customers.
#include "analysis/run/experiment.hpp"
#include "scenarios/scenario.hpp"

#include <benchmark/benchmark.h>
#include <fmt/format.h>

namespace {

using namespace supportsim;

// 50 agents, mean handle 10 minutes, arrivals 285/hour: offered load 47.5 Erlangs, rho 0.95.
// 1,000,000 customers take 1e6 / 285 hours.
scenarios::Scenario mmc_scenario() {
  const double hours = 1'000'000.0 / 285.0;
  // A minimal scenario file: one 24x7 team, every case an email of one touch.
  return scenarios::parse_scenario(
      fmt::format(R"({{"name": "mmc-bench", "horizon_days": {}, "replications": 1,
         "demand": {{"cases_per_month": {}}},
         "agent_groups": [{{"name": "team", "headcount": 50}}],
         "lifecycle": {{"work_minutes": {{"email": {{"type": "exponential", "mean": 10}}}}}}}})",
                  hours / 24, 285.0 * 24 * 365.25 / 12),
      "mmc-bench");
}

void BM_MMc_OneMillionCustomers(benchmark::State &state) {
  const scenarios::Scenario scenario = mmc_scenario();
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
