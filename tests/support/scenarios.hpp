#pragma once

// Scenarios built in code for analysis tests (the organisations: organisations.hpp).

#include "scenarios/scenario.hpp"
#include "tests/support/organisations.hpp"

namespace supportsim::testing {

/// testing::mmc as a scenario: `weeks` measured after a one-day warm-up, P4 (all its cases) held
/// to a first response within `target_minutes`.
inline scenarios::Scenario mmc_scenario(std::uint32_t servers, double per_hour, double mean_minutes,
                                        double patience, double weeks, double target_minutes) {
  scenarios::Scenario s;
  s.name = "mmc";
  s.source = "mmc";
  s.warmup = sim::Duration::days(1);
  s.organisation = mmc(servers, per_hour, mean_minutes, patience, 1 + 7 * weeks);
  for (auto &segment : s.organisation.service_levels.first_response)
    segment[models::index_of(models::Priority::p4)] = sim::Duration::from_minutes(target_minutes);
  return s;
}

} // namespace supportsim::testing
