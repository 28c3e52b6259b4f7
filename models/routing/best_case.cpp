// A free agent picks a case (docs/model.md).
#include "models/routing/router.hpp"

#include <algorithm>
#include <tuple>

namespace supportsim::models {

struct Router::Look {
  const Agent &agent;
  sim::SimTime now;
  bool chat_only, front_door_only, on_loan;
  std::array<sim::SimTime, work_type_count> oldest;
  std::array<std::uint32_t, work_type_count> pick;

  /// The backlog has a pick and no other queue has: the backlog wins whatever its score.
  bool only_backlog_picked() const {
    return pick[backlog] != none && std::all_of(pick.begin(), pick.begin() + backlog,
                                                [](std::uint32_t p) { return p == none; });
  }
  static constexpr std::size_t backlog = index_of(WorkType::backlog);
  static_assert(backlog == work_type_count - 1, "buckets come by work type, the backlog last");
};

// Inlined into best_case, as one loop over the buckets (an agent's look for work is the
// model's hottest path).
[[gnu::always_inline]] inline std::uint64_t Router::may_matter(const Look &look, std::size_t w,
                                                               std::uint64_t bits) const {
  // A queue's oldest eligible case counts only against another queue's pick: a queue with the
  // only pick wins whatever its score. Buckets come by work type, and the backlog (where most
  // cases wait) comes last, so once the look reaches it every other queue's pick is known;
  // if there is none, backlog buckets less urgent than its pick so far (mostly P4 behind a P3)
  // are passed over unread.
  const std::vector<std::uint64_t> &front_door = waiting_.of_work(WorkType::front_door);
  if (look.front_door_only) bits &= front_door[w];
  if (look.chat_only) bits &= front_door[w] | waiting_.of_work(WorkType::live)[w];
  if (look.only_backlog_picked())
    bits &= ~waiting_.of_work(WorkType::backlog)[w] |
            waiting_.up_to(cases_[look.pick[Look::backlog]].info.priority)[w];
  return bits;
}

[[gnu::always_inline]] inline bool Router::passed_over(const Look &look,
                                                       const Bucket &bucket) const {
  // Within a work type, buckets come in priority order. One whose oldest case (the head) is
  // neither older than the queue's oldest so far (where that counts) nor better than its pick
  // cannot matter.
  const std::size_t w = index_of(bucket.work);
  if (look.pick[w] == none) return false;
  const sim::SimTime head = bucket.head_queued_at;
  const Case &p = cases_[look.pick[w]];
  if (p.info.priority < bucket.priority && (head >= look.oldest[w] || look.only_backlog_picked()))
    return true;
  return p.info.priority == bucket.priority && head > p.queued_at;
}

[[gnu::always_inline]] inline void Router::look_in_bucket(Look &look, std::uint32_t b) const {
  const Bucket &bucket = waiting_.bucket(b);
  if (passed_over(look, bucket)) return;
  const Agent &agent = look.agent;
  const sim::SimTime now = look.now;
  // In a bucket the group may serve only once a case has overflowed, only the overflowed head
  // of the queue is looked at. An agent on loan works out the rules bucket by bucket.
  bool overflowed_only = false;
  if (!look.on_loan) {
    overflowed_only = !waiting_.serves_now(b, agent.info.group);
  } else {
    const BucketKey &k = waiting_.key(b);
    const Access access = rules_.bucket_access(
        agent.info.group, k, k.region == agent.info.region || k.region == agent.borrowed_region);
    if (access == Access::never) return;
    overflowed_only = access == Access::after_overflow;
  }
  // The shortest overflow_after of the bucket's cases (live first contacts may overflow
  // sooner), so that the scan stops only where no later case can have overflowed.
  const RoutingConfig &routing = config_.routing;
  sim::Duration soonest = routing.overflow_after[index_of(bucket.priority)];
  if (bucket.work == WorkType::front_door || bucket.work == WorkType::live)
    soonest = std::min(soonest, routing.live_overflow_after);
  const std::size_t w = index_of(bucket.work);
  for (std::uint32_t s = bucket.head; s != none; s = cases_[s].next) {
    const Case &c = cases_[s];
    if (overflowed_only && now - c.queued_at < soonest) break;
    // Not on loan, the bucket's rules are the group's (see WaitingCases::build_masks): every
    // case of a bucket it serves at once passes group_may_take, and exactly the overflowed ones
    // of a bucket it serves after overflow.
    if (look.on_loan ? !eligible(agent, c, look.chat_only, now)
                     : !agent_may_take(agent, c, look.chat_only, now) ||
                           (overflowed_only && now - c.queued_at < overflow_after(routing, c)))
      continue;
    look.oldest[w] = std::min(look.oldest[w], c.queued_at);
    const std::uint32_t pick = look.pick[w];
    if (pick == none ||
        std::tie(c.info.priority, c.queued_at, c.info.number) <
            std::tie(cases_[pick].info.priority, cases_[pick].queued_at, cases_[pick].info.number))
      look.pick[w] = s;
    break;
  }
}

[[gnu::always_inline]] inline std::uint32_t Router::choose_queue(const Look &look) const {
  const RoutingConfig &routing = config_.routing;
  std::uint32_t best = none;
  double best_score = 0;
  for (std::size_t w = 0; w < work_type_count; ++w) { // ties to the work type listed first
    if (look.pick[w] == none) continue;
    const double score =
        routing.weights[w] + routing.ageing_per_hour * (look.now - look.oldest[w]).to_hours();
    if (best == none || score > best_score) {
      best = look.pick[w];
      best_score = score;
    }
  }
  return best;
}

std::uint32_t Router::best_case(AgentIndex a, bool chat_only, sim::SimTime now) const {
  const Agent &agent = agents_[a];
  Look look{agent, now, chat_only, front_door_only(agent, now), now < agent.borrowed_until, {}, {}};
  look.oldest.fill(sim::SimTime::max());
  look.pick.fill(none);
  // Only buckets the agent's group may serve, now or (for those holding an overflowed case)
  // after overflow; an agent on loan to another region looks at every non-empty bucket.
  const BucketBits &buckets =
      look.on_loan ? waiting_.nonempty() : waiting_.candidates(agent.info.group);
  for_each_bucket(
      buckets, [&](std::size_t w, std::uint64_t bits) { return may_matter(look, w, bits); },
      [&](std::uint32_t b) { look_in_bucket(look, b); });
  return choose_queue(look);
}

} // namespace supportsim::models
