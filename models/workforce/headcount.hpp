#pragma once
// Who is employed when: the starting headcount and its tenure, the hiring plan, and attrition
// (docs/model.md, "Headcount and tenure").

#include "models/organisation.hpp"
#include "models/workforce/agent_pool.hpp"
#include "models/workforce/roster.hpp"
#include "sim/clock.hpp"
#include "sim/random.hpp"

#include <cstdint>
#include <optional>
#include <vector>

namespace supportsim::models {

/// A hire of the plan: joins `group` at `at` as agent `number` of the group.
struct Hire {
  sim::SimTime at;
  std::uint32_t group, number;
};

/// Adds every group's starting headcount to the pool, group by group, each agent's tenure at
/// the start drawn in agent order from the group's own stream (capped at 100 years). Returns per
/// group the number the next agent will get.
std::vector<std::uint32_t> add_starting_headcount(const OrganisationConfig &config,
                                                  const sim::RandomStreams &streams,
                                                  AgentPool &agents);

/// The hiring plan's hires within [0, end): each at local midnight of its date in its site's
/// zone, in date order, numbered after their group's agents (`next_number` counts on).
std::vector<Hire> plan_hires(const OrganisationConfig &config, const sim::Clock &clock,
                             const Roster &roster, sim::SimTime end,
                             std::vector<std::uint32_t> &next_number);

/// The agent's one attrition draw, from its own stream: the instant it leaves, an exponential
/// delay from `now` (the start, or the hire) with daily rate −ln(1 − attrition_per_year) /
/// 365.25; nothing (and no draw) when the group has no attrition.
std::optional<sim::SimTime> draw_leave(const AgentGroupConfig &g, Agent &agent, sim::SimTime now);

} // namespace supportsim::models
