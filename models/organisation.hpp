#pragma once

#include "models/priority.hpp"
#include "sim/distribution.hpp"
#include "sim/time.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace supportsim::models {

/// One queue with its own demand and its own identical agents, staffed around the clock (24x7).
/// The embedded default has one per region (AMER, EMEA, APJC).
struct QueueConfig {
  std::string name;
  std::uint32_t agents = 0;
  /// Poisson arrivals, cases per hour, all priorities together.
  double arrivals_per_hour = 0.0;
  /// Share of arrivals per priority; sums to 1.
  PerPriority<double> priority_mix{0.0, 0.0, 0.0, 1.0};
  /// Work content of a case, in minutes of one agent's time.
  sim::Distribution handle_minutes = sim::Distribution::exponential(30.0);
  /// How long a customer waits before abandoning, in minutes; none means nobody abandons.
  std::optional<sim::Distribution> patience_minutes;
};

/// Everything the model needs to run: the queues and how long to run.
struct OrganisationConfig {
  std::vector<QueueConfig> queues;
  sim::Duration horizon = sim::Duration::days(28);
};

} // namespace supportsim::models
