#pragma once
// Escalation triggers: what they observe, when they fire, and what they do to agents
// (docs/model.md, "Escalation triggers").

#include "models/case/case_store.hpp"
#include "models/organisation.hpp"
#include "models/routing/waiting_cases.hpp"
#include "models/workforce/agent_pool.hpp"
#include "sim/calendar.hpp"
#include "sim/ring_buffer.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <utility>
#include <vector>

namespace supportsim::models {

class Triggers {
public:
  Triggers(const OrganisationConfig &config, const CaseStore &cases, const WaitingCases &waiting);

  /// Does trigger t fire for `region` now? It does when its condition holds and its last firing
  /// for the region is at least its cooldown ago; then the firing is noted and the observed
  /// value returned.
  std::optional<double> check(std::uint32_t t, std::size_t region, sim::SimTime now);

  /// Applies trigger t's action for `region` to up to its number of agents, in agent order,
  /// scheduling the end of each effect (or the moved shift end) on the calendar. Returns the
  /// agents moved (valid until the next firing).
  std::span<const AgentIndex> fire(std::uint32_t t, std::uint8_t region, sim::SimTime now,
                                   AgentPool &agents, sim::Calendar &calendar, sim::SimTime end);

  /// Whether a trigger watches first responses (sla_last_hour_below), so note_response matters.
  bool watches_responses() const { return !recent_.empty(); }
  /// A first response (met: within its wall-clock target) or an abandonment (never met) of a
  /// customer of `region`.
  void note_response(std::size_t region, sim::SimTime now, bool met);

private:
  /// First responses and abandonments of the last hour per region, for sla_last_hour_below:
  /// (when, met the wall-clock target), oldest first, with running counts.
  struct RecentResponses {
    sim::RingBuffer<std::pair<sim::SimTime, bool>> outcomes;
    std::uint32_t met = 0;
  };
  void forget_old_responses(RecentResponses &recent, sim::SimTime now);
  /// The trigger's observed value for the region now, and whether its condition holds.
  std::pair<double, bool> observe(const TriggerConfig &trigger, std::size_t region,
                                  sim::SimTime now);

  const OrganisationConfig &config_;
  const CaseStore &cases_;
  const WaitingCases &waiting_;
  std::vector<sim::SimTime> last_fired_; // per trigger and region
  std::vector<RecentResponses> recent_;  // empty unless a trigger watches SLA
  std::vector<AgentIndex> moved_;        // by the firing in hand (a member: no allocation each)
  static constexpr sim::SimTime never = sim::SimTime::from_ticks(-(std::int64_t{1} << 62));
};

} // namespace supportsim::models
