#pragma once
// Matching free agents and waiting cases (docs/model.md, "A free agent picks a case" and "A case
// picks among free agents"), by the rules of rules.hpp, over the waiting-case index and the
// agents' free lists. The router only chooses; the model starts the touch or queues the case.

#include "models/case/case_store.hpp"
#include "models/organisation.hpp"
#include "models/routing/rules.hpp"
#include "models/routing/waiting_cases.hpp"
#include "models/workforce/agent_pool.hpp"

#include <array>
#include <cstdint>
#include <vector>

namespace supportsim::models {

class Router {
public:
  Router(const OrganisationConfig &config, const RoutingRules &rules, const CaseStore &cases,
         const WaitingCases &waiting, const AgentPool &agents);

  /// The part of eligibility that depends on the agent, not on the group: a chatting agent
  /// (`chat_only`) takes only another live chat, one on call or pulled only front-door work.
  bool agent_may_take(const Agent &agent, const Case &c, bool chat_only, sim::SimTime now) const {
    if (chat_only && !is_live_chat(c)) return false;
    return !front_door_only(agent, now) || c.work_type == WorkType::front_door;
  }
  /// May this agent take this case now?
  bool eligible(const Agent &agent, const Case &c, bool chat_only, sim::SimTime now) const {
    if (!agent_may_take(agent, c, chat_only, now)) return false;
    const bool own = agent.info.region == c.queue_region ||
                     (agent.borrowed_region == c.queue_region && now < agent.borrowed_until);
    return rules_.group_may_take(agent.info.group, c, own,
                                 now - c.queued_at >= overflow_after(config_.routing, c));
  }

  /// The best free eligible agent for the case in `slot` (whose bucket is `bucket`), or
  /// no_agent: among the owner and each group's agent free the longest, by named TAM, TAM
  /// tier, owner, queue region, product and language proficiency; ties to the group listed
  /// first.
  AgentIndex best_agent(std::uint32_t slot, std::uint32_t bucket, sim::SimTime now) const;

  /// The waiting case agent `a` takes next, or none: the work type whose queue scores highest
  /// (weight + ageing of its oldest eligible case), and in it the eligible case of the most
  /// urgent priority, then the longest wait, then the lower number. `chat_only`: the agent
  /// holds chats and may take only another live chat.
  std::uint32_t best_case(AgentIndex a, bool chat_only, sim::SimTime now) const;

  /// Could an agent now working a shift take the case, even after overflow?
  bool anyone_could_take(const Case &c) const;

private:
  using RankKey = std::array<double, 6>;
  RankKey rank(AgentIndex a, const Case &c) const;
  /// The group's first eligible agent: idle, else (a live chat) chatting with room.
  AgentIndex first_free(std::uint32_t group, const Case &c, bool live_chat, sim::SimTime now) const;
  /// Word i of the groups that may have an agent on loan now.
  std::uint64_t groups_on_loan(std::size_t i, sim::SimTime now) const;

  /// One agent's look at the waiting cases: per work type, the oldest eligible case's queue
  /// time and the pick so far.
  struct Look;
  std::uint64_t may_matter(const Look &look, std::size_t word, std::uint64_t bits) const;
  void look_in_bucket(Look &look, std::uint32_t b) const;
  bool passed_over(const Look &look, const Bucket &bucket) const;
  std::uint32_t choose_queue(const Look &look) const;

  const OrganisationConfig &config_;
  const RoutingRules &rules_;
  const CaseStore &cases_;
  const WaitingCases &waiting_;
  const AgentPool &agents_;
  std::vector<std::uint32_t> account_group_; // the group that is each account's named TAM
};

} // namespace supportsim::models
