#include "models/triggers.hpp"

#include "models/events.hpp"

#include <algorithm>

namespace supportsim::models {

Triggers::Triggers(const OrganisationConfig &config, const CaseStore &cases,
                   const WaitingCases &waiting)
    : config_(config), cases_(cases), waiting_(waiting) {
  last_fired_.assign(config.triggers.size() * config.regions.size(), never);
  if (std::any_of(config.triggers.begin(), config.triggers.end(), [](const TriggerConfig &t) {
        return t.condition == TriggerCondition::sla_last_hour_below;
      }))
    recent_.resize(config.regions.size());
}

void Triggers::note_response(std::size_t region, sim::SimTime now, bool met) {
  RecentResponses &recent = recent_[region];
  forget_old_responses(recent, now);
  recent.outcomes.push_back({now, met});
  recent.met += met;
}

void Triggers::forget_old_responses(RecentResponses &recent, sim::SimTime now) {
  while (!recent.outcomes.empty() &&
         now - recent.outcomes.front().first > sim::Duration::hours(1)) {
    recent.met -= recent.outcomes.front().second;
    recent.outcomes.pop_front();
  }
}

std::pair<double, bool> Triggers::observe(const TriggerConfig &trigger, std::size_t r,
                                          sim::SimTime now) {
  switch (trigger.condition) {
  case TriggerCondition::front_door_wait_above: {
    sim::SimTime oldest = now;
    if (waiting_.queued(r, WorkType::front_door) > 0)
      for_each_bucket(
          waiting_.nonempty(),
          [&](std::size_t w, std::uint64_t bits) {
            return bits & waiting_.of_work(WorkType::front_door)[w];
          },
          [&](std::uint32_t b) {
            if (waiting_.key(b).region == r)
              oldest = std::min(oldest, cases_[waiting_.bucket(b).head].queued_at);
          });
    const double observed = (now - oldest).to_minutes();
    return {observed, observed > trigger.threshold};
  }
  case TriggerCondition::backlog_above: {
    const auto observed = static_cast<double>(waiting_.queued(r, WorkType::backlog));
    return {observed, observed > trigger.threshold};
  }
  case TriggerCondition::sla_last_hour_below: {
    // On the wall clock: an operational reading, not the report's business-hours measure.
    RecentResponses &recent = recent_[r];
    forget_old_responses(recent, now);
    if (recent.outcomes.empty()) return {0.0, false}; // nothing to judge by
    const double observed =
        static_cast<double>(recent.met) / static_cast<double>(recent.outcomes.size());
    return {observed, observed < trigger.threshold};
  }
  }
  return {0.0, false};
}

std::optional<double> Triggers::check(std::uint32_t t, std::size_t region, sim::SimTime now) {
  const TriggerConfig &trigger = config_.triggers[t];
  if (trigger.region && *trigger.region != region) return std::nullopt;
  const auto [observed, holds] = observe(trigger, region, now);
  sim::SimTime &last = last_fired_[t * config_.regions.size() + region];
  if (!holds || now - last < trigger.cooldown) return std::nullopt;
  last = now;
  return observed;
}

std::span<const AgentIndex> Triggers::fire(std::uint32_t t, std::uint8_t region, sim::SimTime now,
                                           AgentPool &agents, sim::Calendar &calendar,
                                           sim::SimTime end) {
  const TriggerConfig &trigger = config_.triggers[t];
  const sim::SimTime until = sim::saturating_add(now, trigger.duration);
  moved_.clear();
  for (AgentIndex a = 0; a < agents.size() && moved_.size() < trigger.agents; ++a) {
    Agent &agent = agents[a];
    switch (trigger.action) {
    case TriggerAction::pull_from_backlog:
      if (agent.info.region != region || !takes_work(agent, now) || front_door_only(agent, now))
        continue;
      agent.front_door_only_until = until;
      break;
    case TriggerAction::borrow:
      if (!trigger.from_region || agent.info.region != *trigger.from_region ||
          !takes_work(agent, now) || now < agent.borrowed_until)
        continue;
      agents.lend(agent, region, until);
      break;
    case TriggerAction::overtime:
      // Agents whose shift ends within the action's duration stay that much longer.
      if (agent.info.region != region || !agent.on_shift || !agent.employed || agent.absent ||
          now < agent.ready_at || agent.shift_end != agent.scheduled_shift_end ||
          agent.shift_end - now > trigger.duration)
        continue;
      calendar.cancel(agent.shift_end_event);
      agent.shift_end = sim::saturating_add(agent.shift_end, trigger.duration);
      agent.shift_end_event =
          schedule(calendar, std::min(agent.shift_end, sim::Calendar::max_time()),
                   sim::Phase::release, EventKind::shift_end, a);
      schedule(calendar, agent.scheduled_shift_end, sim::Phase::observe, EventKind::overtime_mark,
               a);
      break;
    }
    if (trigger.action != TriggerAction::overtime && until < end)
      schedule(calendar, until, sim::Phase::release, EventKind::effect_end, a);
    moved_.push_back(a);
  }
  return moved_;
}

} // namespace supportsim::models
