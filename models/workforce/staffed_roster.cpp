#include "models/workforce/staffed_roster.hpp"

#include "models/case/case.hpp"

#include <algorithm>
#include <cassert>
#include <map>

namespace supportsim::models {

StaffedRoster::StaffedRoster(const OrganisationConfig &config, const sim::Clock &clock,
                             sim::SimTime end, const sim::RandomStreams &streams,
                             AgentPool &agents) {
  const StaffingPlan &plan = config.staffing;
  if (plan.empty()) return;
  active_ = true;
  assert(agents.size() == 0 && "the plan's agents are the run's only agents");
  // Every (group, agent) the plan names, in that order, with its periods within the run.
  std::map<std::pair<std::uint32_t, std::uint32_t>,
           std::vector<std::pair<sim::SimTime, sim::SimTime>>>
      named;
  for (const StaffedPeriod &p : plan.periods) {
    assert(p.group < config.agent_groups.size());
    auto &periods = named[{p.group, p.agent}];
    const sim::SimTime start = std::max(clock.from_utc(p.start), sim::SimTime::zero());
    const sim::SimTime stop = clock.from_utc(p.end);
    if (stop <= start || start >= end) continue;
    if (!periods.empty() && periods.back().second >= start)
      periods.back().second = std::max(periods.back().second, stop); // periods that meet: one
    else
      periods.emplace_back(start, stop);
  }
  for (auto it = named.begin(); it != named.end();) {
    const std::uint32_t group = it->first.first;
    const AgentGroupConfig &g = config.agent_groups[group];
    sim::RandomStream tenure_stream = streams.stream("workforce/" + g.name);
    for (; it != named.end() && it->first.first == group; ++it) {
      if (it->second.empty()) continue; // no period within the run: not in it
      const double months = g.tenure_months.sample(tenure_stream);
      const sim::SimTime hired =
          sim::SimTime::zero() -
          sim::Duration::from_minutes(std::min(months, 1200.0) * days_per_month * 24 * 60);
      agents.add(group, it->first.second, hired);
      periods_.push_back(std::move(it->second));
    }
  }
}

Shift StaffedRoster::next_shift(AgentIndex a, sim::SimTime from) const {
  const auto &periods = periods_[a];
  const auto it = std::upper_bound(
      periods.begin(), periods.end(), from,
      [](sim::SimTime t, const std::pair<sim::SimTime, sim::SimTime> &p) { return t < p.second; });
  Shift s{};
  s.pattern = none;
  if (it == periods.end()) return s;
  s.start = it->first;
  s.end = it->second;
  s.pattern = Shift::staffed;
  return s;
}

} // namespace supportsim::models
