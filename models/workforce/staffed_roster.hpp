#pragma once

#include "models/organisation.hpp"
#include "models/workforce/agent_pool.hpp"
#include "models/workforce/roster.hpp"
#include "sim/clock.hpp"
#include "sim/random.hpp"

#include <utility>
#include <vector>

namespace supportsim::models {

/// Staffing as it really was (OrganisationConfig::staffing, a backtest's roster): the agents
/// the plan names, each on shift exactly in its periods, in place of the groups' headcount,
/// shift patterns, breaks, shrinkage, hiring and attrition (docs/model.md, "Backtest: actual
/// staffing and actual service").
class StaffedRoster {
public:
  /// Adds the plan's agents to the pool (none if the plan is empty): every (group, agent) pair
  /// it names, by group then agent number, each numbered as the plan numbers it, with tenure at
  /// the start drawn from the group's tenure distribution in that order, from the group's own
  /// stream. Periods are clipped to the run: those ending at or before its start and those
  /// starting at or after its end are left out (and an agent with no period left is not in the
  /// run); an agent's periods that meet are joined. Agent indices follow that order, so the
  /// pool must be empty before.
  StaffedRoster(const OrganisationConfig &config, const sim::Clock &clock, sim::SimTime end,
                const sim::RandomStreams &streams, AgentPool &agents);

  /// Whether the run is staffed from the plan.
  bool active() const { return active_; }

  /// The agent's first period ending after `from` (one in progress included), as a Shift of
  /// pattern Shift::staffed; pattern `none` if there is none.
  Shift next_shift(AgentIndex a, sim::SimTime from) const;

private:
  bool active_ = false;
  /// Per agent (by index), its periods within the run, in time order.
  std::vector<std::vector<std::pair<sim::SimTime, sim::SimTime>>> periods_;
};

} // namespace supportsim::models
