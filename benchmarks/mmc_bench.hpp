#pragma once
// The M/M/c of the engine benchmarks: c = 50 agents, mean handle 10 minutes, arrivals 285 an
// hour (offered load 47.5 Erlangs, rho 0.95), 1,000,000 customers.
#include "scenarios/scenario.hpp"

#include <fmt/format.h>

namespace supportsim::bench {

inline constexpr int mmc_agents = 50;
inline constexpr double mmc_arrivals_per_hour = 285;
inline constexpr double mmc_mean_handle_minutes = 10;
inline constexpr double mmc_customers = 1'000'000;

/// Hours for mmc_customers arrivals on average.
inline double mmc_hours() {
  return mmc_customers / mmc_arrivals_per_hour;
}

/// The M/M/c as a scenario file for the path of `supportsim run`: one 24x7 team, every case an
/// email of one touch with an exponential handle time.
inline scenarios::Scenario mmc_scenario() {
  return scenarios::parse_scenario(
      fmt::format(R"({{"name": "mmc-bench", "horizon_days": {}, "replications": 1,
         "demand": {{"cases_per_month": {}}},
         "agent_groups": [{{"name": "team", "headcount": {}}}],
         "lifecycle": {{"work_minutes": {{"email": {{"type": "exponential", "mean": {}}}}}}}}})",
                  mmc_hours() / 24, mmc_arrivals_per_hour * 24 * 365.25 / 12, mmc_agents,
                  mmc_mean_handle_minutes),
      "mmc-bench");
}

} // namespace supportsim::bench
