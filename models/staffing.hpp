#pragma once
// Staffing as it really was: who was logged in, when. A backtest replays a history against it
// instead of the agent groups' shift patterns (docs/backtest.md).

#include "sim/clock.hpp"

#include <cstdint>
#include <vector>

namespace supportsim::models {

/// One agent logged in and taking work from `start` to `end` (UTC). Breaks and not-ready time
/// are gaps between an agent's periods.
struct StaffedPeriod {
  std::uint32_t group = 0; ///< OrganisationConfig::agent_groups
  std::uint32_t agent = 0; ///< the agent within the group, numbered from 0 (a roster's agents
                           ///< in order of first appearance; an interval table's k-th agent)
  sim::UtcTime start{}, end{};
};

/// The staffing of a run as periods, sorted by (start, group, agent), none empty, an agent's
/// periods never overlapping. When `periods` is not empty the model staffs from it alone: each
/// group's agents are those the periods name, on shift exactly in their periods, with no
/// shift patterns, breaks, absence, hiring or attrition (the roster already says who was there).
struct StaffingPlan {
  std::vector<StaffedPeriod> periods;
  bool empty() const { return periods.empty(); }
};

} // namespace supportsim::models
