#include "models/workforce/headcount.hpp"

#include "models/draws.hpp"

#include <algorithm>
#include <cmath>

namespace supportsim::models {

std::vector<std::uint32_t> add_starting_headcount(const OrganisationConfig &config,
                                                  const sim::RandomStreams &streams,
                                                  AgentPool &agents) {
  std::vector<std::uint32_t> next_number(config.agent_groups.size(), 0);
  for (std::uint32_t g = 0; g < config.agent_groups.size(); ++g) {
    const AgentGroupConfig &group = config.agent_groups[g];
    sim::RandomStream tenure_stream = streams.stream("workforce/" + group.name);
    for (std::uint32_t i = 0; i < group.headcount; ++i) {
      const double months = group.tenure_months.sample(tenure_stream);
      const sim::SimTime hired =
          sim::SimTime::zero() -
          sim::Duration::from_minutes(std::min(months, 1200.0) * days_per_month * 24 * 60);
      agents.add(g, next_number[g]++, hired);
    }
  }
  return next_number;
}

std::vector<Hire> plan_hires(const OrganisationConfig &config, const sim::Clock &clock,
                             const Roster &roster, sim::SimTime end,
                             std::vector<std::uint32_t> &next_number) {
  std::vector<Hire> hires;
  for (std::uint32_t g = 0; g < config.agent_groups.size(); ++g) {
    const AgentGroupConfig &group = config.agent_groups[g];
    const date::time_zone *zone = roster.site_zone(group.site);
    for (const HiringConfig &h : group.hiring_plan) {
      const sim::SimTime at =
          clock.from_local(zone, sim::LocalTime(std::chrono::local_days(
                                     std::chrono::sys_days(h.date).time_since_epoch())));
      if (at < sim::SimTime::zero() || at >= end) continue;
      for (std::uint32_t k = 0; k < h.hires; ++k)
        hires.push_back(Hire{at, g, 0});
    }
  }
  std::stable_sort(hires.begin(), hires.end(),
                   [](const Hire &a, const Hire &b) { return a.at < b.at; });
  for (Hire &h : hires)
    h.number = next_number[h.group]++;
  return hires;
}

std::optional<sim::SimTime> draw_leave(const AgentGroupConfig &g, Agent &agent, sim::SimTime now) {
  if (!(g.attrition_per_year > 0)) return std::nullopt;
  const double per_day = -std::log1p(-g.attrition_per_year) / 365.25;
  const double u = agent.rng.uniform01();
  return sim::saturating_add(now, hours(-std::log1p(-u) / per_day * 24));
}

} // namespace supportsim::models
