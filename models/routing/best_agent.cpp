// A case picks among free agents (docs/model.md).
#include "models/routing/router.hpp"

#include <algorithm>
#include <bit>

namespace supportsim::models {

Router::Router(const OrganisationConfig &config, const RoutingRules &rules, const CaseStore &cases,
               const WaitingCases &waiting, const AgentPool &agents)
    : config_(config), rules_(rules), cases_(cases), waiting_(waiting), agents_(agents) {
  // Accounts are numbered over every group's list, in group order (CaseInfo::account).
  for (std::uint32_t g = 0; g < config.agent_groups.size(); ++g)
    account_group_.insert(account_group_.end(), config.agent_groups[g].accounts.size(), g);
}

// Inlined into best_agent, which runs for every case offered.
[[gnu::always_inline]] inline Router::RankKey Router::rank(AgentIndex a, const Case &c) const {
  // The named TAM, then a TAM for a premium account, then the agent who owns the case, then
  // one of its region, then the most proficient (in the case's own language: the fallback
  // language does not count here).
  const Agent &agent = agents_[a];
  const AgentGroupConfig &g = config_.agent_groups[agent.info.group];
  const bool premium = c.info.account != no_account;
  const bool named = premium && account_group_[c.info.account] == agent.info.group;
  return {named ? 1.0 : 0.0,
          premium && config_.tiers[agent.tier].role == TierRole::tam ? 1.0 : 0.0,
          c.agent == a ? 1.0 : 0.0,
          agent.info.region == c.queue_region ? 1.0 : 0.0,
          product_proficiency(g, c.info.product),
          language_proficiency(config_.routing, g, c.info.language, false)};
}

[[gnu::always_inline]] inline AgentIndex
Router::first_free(std::uint32_t group, const Case &c, bool live_chat, sim::SimTime now) const {
  // Within a group, the agent free the longest (as an ACD routes calls to the longest-idle
  // agent); an idle agent before one already chatting.
  for (AgentIndex a = agents_.idle(group).head; a != no_agent; a = agents_[a].idle.next)
    if (eligible(agents_[a], c, false, now)) return a;
  if (live_chat)
    for (AgentIndex a = agents_.chat_room(group).head; a != no_agent; a = agents_[a].chat_room.next)
      if (eligible(agents_[a], c, true, now)) return a;
  return no_agent;
}

[[gnu::always_inline]] inline std::uint64_t Router::groups_on_loan(std::size_t i,
                                                                   sim::SimTime now) const {
  std::uint64_t on_loan = 0;
  if (now < agents_.loans_until())
    for (std::size_t g = i * 64; g < std::min(agents_.groups(), i * 64 + 64); ++g)
      if (now < agents_.borrowed_until(static_cast<std::uint32_t>(g)))
        on_loan |= std::uint64_t{1} << (g % 64);
  return on_loan;
}

AgentIndex Router::best_agent(std::uint32_t slot, std::uint32_t bucket, sim::SimTime now) const {
  const Case &c = cases_[slot];
  const bool live_chat = is_live_chat(c);
  AgentIndex best = no_agent;
  RankKey best_key{};
  auto consider = [&](AgentIndex a) {
    const RankKey key = rank(a, c);
    if (best == no_agent || key > best_key) {
      best = a;
      best_key = key;
    }
  };
  // The owner, if free: it may outrank the head of its group's list.
  if (c.agent != no_agent) {
    const Agent &owner = agents_[c.agent];
    if ((owner.idle.in && eligible(owner, c, false, now)) ||
        (live_chat && owner.chat_room.in && eligible(owner, c, true, now)))
      consider(c.agent);
  }
  // Agent-independent rules first: groups with nobody free, and those the case's bucket rules
  // out (what group_may_take says, now or once the case has overflowed), are passed over
  // without a look at their agents. A group with an agent on loan counts as possibly in every
  // region, which the bucket's sets do not cover: its rules are checked case by case.
  const bool overflowed = now - c.queued_at >= overflow_after(config_.routing, c);
  for (std::size_t i = 0; i < waiting_.group_words(); ++i) {
    const std::uint64_t free =
        agents_.idle_groups(i) | (live_chat ? agents_.chat_room_groups(i) : 0);
    if (free == 0) continue; // busy hours: nobody to offer to, no need to read the bucket's sets
    const std::uint64_t on_loan = groups_on_loan(i, now);
    const std::uint64_t served = waiting_.served_now(bucket, i) |
                                 (overflowed ? waiting_.served_after_overflow(bucket, i) : 0);
    for (std::uint64_t groups = free & (served | on_loan); groups != 0; groups &= groups - 1) {
      const auto bit = static_cast<std::uint32_t>(std::countr_zero(groups));
      const auto g = static_cast<std::uint32_t>(i * 64 + bit);
      if (((on_loan >> bit) & 1) && !rules_.group_may_take(g, c, true, overflowed)) continue;
      const AgentIndex found = first_free(g, c, live_chat, now);
      if (found != no_agent) consider(found);
    }
  }
  return best;
}

bool Router::anyone_could_take(const Case &c) const {
  for (std::uint32_t g = 0; g < agents_.groups(); ++g)
    if (agents_.working(g) > 0 && rules_.group_may_take(g, c, true, true)) return true;
  return false;
}

} // namespace supportsim::models
