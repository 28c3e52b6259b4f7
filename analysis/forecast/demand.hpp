#pragma once

#include "models/organisation.hpp"
#include "sim/time.hpp"

#include <array>
#include <cstddef>
#include <vector>

namespace supportsim::analysis {

/// Hours of a week, Monday 00:00-01:00 (0) to Sunday 23:00-24:00 (167), in a region's local
/// time.
inline constexpr std::size_t hours_per_week = 168;

/// The demand a planner would forecast from the scenario for the measured window: the
/// scenario's volumes, growth, profiles, holidays and incidents, without the day-to-day
/// multipliers (noise no forecast knows). Per customer region, per week (7-day blocks from the
/// end of the warm-up, the last one possibly shorter), per hour of the window and per local hour
/// of the week.
struct DemandForecast {
  std::vector<sim::SimTime> week_starts; ///< simulated instants; the window ends at the horizon
  struct Region {
    std::vector<double> weeks; ///< forecast cases per week
    std::vector<double> hours; ///< forecast cases per hour of the window (UTC, from its start)
    std::array<double, hours_per_week> hour_of_week{}; ///< forecast cases, summed over the window
    double total = 0;
  };
  std::vector<Region> regions;
};

DemandForecast forecast_demand(const models::OrganisationConfig &organisation,
                               sim::Duration warmup);

/// The week of the measured window an instant falls in (instants before the window have none:
/// the caller checks), and the local hour of the week in a region's zone.
std::size_t week_of(sim::SimTime window_start, sim::SimTime t);

} // namespace supportsim::analysis
