#include "models/case/touch.hpp"

#include "models/draws.hpp"

#include <algorithm>
#include <cmath>

namespace supportsim::models {

double LearningCurve::at(double tenure_months) const {
  if (table.empty())
    return 1.0 + (at_hire - 1.0) * std::exp(-std::max(tenure_months, 0.0) / time_constant_months);
  if (tenure_months <= table.front().first) return table.front().second;
  for (std::size_t i = 1; i < table.size(); ++i) {
    const auto [m1, v1] = table[i];
    if (tenure_months <= m1) {
      const auto [m0, v0] = table[i - 1];
      return v0 + (v1 - v0) * (tenure_months - m0) / (m1 - m0);
    }
  }
  return table.back().second;
}

double draw_touch(Case &c, const OrganisationConfig &config, double product_proficiency,
                  double tenure_months, unsigned chats_in_hand) {
  c.touch_rng = sim::SmallStream(mix(c.seed + 0x9e3779b97f4a7c15ull * (c.touches_started + 1u)));
  const LifecycleConfig &life = config.lifecycle;
  double work =
      life.work_minutes[index_of(c.info.channel)].sample(c.touch_rng) *
      life.priority_work_factor[index_of(c.info.priority)] *
      (life.product_work_factor.empty() ? 1.0 : life.product_work_factor[c.info.product]) *
      config.experience.handle_time.at(tenure_months) * (2.0 - product_proficiency);
  if (chats_in_hand > 0) work *= 1.0 + life.chat_slowdown_per_extra_chat * (chats_in_hand - 1);
  c.escalation_draw = c.touch_rng.uniform01();
  return work;
}

TouchEnd end_touch(Case &c, const OrganisationConfig &config, std::size_t agent_tier,
                   std::uint8_t agent_region, double tenure_months) {
  const TierConfig &tier = config.tiers[agent_tier];
  const LifecycleConfig &life = config.lifecycle;
  const double p_escalate =
      tier.escalation_probability * config.experience.escalation.at(tenure_months);
  const bool escalates =
      (tier.escalates_to || tier.to_engineering) && c.escalation_draw < p_escalate;
  // The next touch is for the agent's tier (any front-line agent, if a front-line tier) in the
  // agent's region.
  auto owned_by_agent = [&] {
    c.tier = tier.role == TierRole::front_line ? front_line : static_cast<std::uint8_t>(agent_tier);
    c.owner_region = agent_region;
    c.queue_region = agent_region;
    c.work_type = WorkType::backlog;
  };
  if (escalates && tier.escalates_to) {
    const std::size_t to = *tier.escalates_to;
    c.tier =
        config.tiers[to].role == TierRole::front_line ? front_line : static_cast<std::uint8_t>(to);
    c.work_type = WorkType::escalations;
    c.queue_region = c.info.region;
    c.owner_region = agent_region;
    // An escalating touch does not count: the case needs at least one more.
    c.touches_needed = std::max<std::uint16_t>(c.touches_needed, c.touches_done + 1);
    c.state = CaseState::waiting_customer; // between queues for an instant
    return {TouchOutcome::escalated, static_cast<std::uint8_t>(to)};
  }
  if (escalates) {
    owned_by_agent();
    c.touches_needed = std::max<std::uint16_t>(c.touches_needed, c.touches_done + 1);
    c.state = CaseState::waiting_engineering;
    return {TouchOutcome::to_engineering, 0,
            hours(life.engineering_turnaround_hours.sample(c.touch_rng))};
  }
  if (++c.touches_done < c.touches_needed) {
    owned_by_agent();
    c.state = CaseState::waiting_customer;
    return {TouchOutcome::follow_up, 0, hours(life.customer_wait_hours.sample(c.touch_rng))};
  }
  if (c.will_reopen && !c.reopened) {
    owned_by_agent();
    c.reopened = true;
    c.reopen_pending = true;
    ++c.touches_needed;
    c.state = CaseState::waiting_customer;
    return {TouchOutcome::solved_reopens, 0, hours(life.reopen_after_hours.sample(c.touch_rng))};
  }
  return {TouchOutcome::resolved, 0};
}

} // namespace supportsim::models
