#include "models/workforce/agent_pool.hpp"

#include "models/draws.hpp"

#include <algorithm>

namespace supportsim::models {

AgentPool::AgentPool(const OrganisationConfig &config, std::uint64_t stream_key)
    : config_(config), stream_key_(stream_key) {
  const std::size_t groups = config.agent_groups.size();
  const std::size_t group_words = (groups + 63) / 64;
  idle_.assign(groups, FreeList{});
  working_.assign(groups, 0);
  chat_room_.assign(groups, FreeList{});
  idle_groups_.assign(group_words, 0);
  chat_room_groups_.assign(group_words, 0);
  borrowed_until_.assign(groups, sim::SimTime::zero());
}

AgentIndex AgentPool::add(std::uint32_t group, std::uint32_t number, sim::SimTime hired) {
  const AgentGroupConfig &g = config_.agent_groups[group];
  Agent a{};
  a.info = AgentInfo{group, static_cast<std::uint8_t>(config_.sites[g.site].region), number};
  a.tier = static_cast<std::uint8_t>(g.tier);
  a.hired = hired;
  a.ready_at = hired + sim::Duration::from_minutes(config_.experience.training_weeks * 7 * 24 * 60);
  a.rng =
      sim::SmallStream(mix(stream_key_ ^ mix(group + 1) ^ mix((std::uint64_t{number} << 32) + 7)));
  a.employed = true;
  a.front_door_only_until = a.borrowed_until = sim::SimTime::zero();
  a.borrowed_region = 0xff;
  a.reported = AgentState::off;
  a.shift_end = a.scheduled_shift_end = sim::SimTime::zero();
  const AgentIndex index = static_cast<AgentIndex>(agents_.size());
  agents_.push_back(a);
  return index;
}

void AgentPool::refresh(AgentIndex a, sim::SimTime now) {
  Agent &agent = agents_[a];
  const bool taking = takes_work(agent, now);
  const bool idle = taking && agent.in_hand == 0;
  const bool chat_room = taking && agent.chatting && agent.in_hand > 0 &&
                         agent.in_hand < config_.agent_groups[agent.info.group].chat_concurrency;
  // Joining appends (so the head is the agent free the longest); leaving unlinks in O(1).
  const std::uint32_t group = agent.info.group;
  auto update = [&](FreeList &list, Link Agent::*link, bool member,
                    std::vector<std::uint64_t> &groups) {
    Link &l = agent.*link;
    if (member && !l.in) {
      l = Link{list.tail, no_agent, true};
      if (list.tail != no_agent)
        (agents_[list.tail].*link).next = a;
      else
        list.head = a;
      list.tail = a;
    } else if (!member && l.in) {
      if (l.prev != no_agent)
        (agents_[l.prev].*link).next = l.next;
      else
        list.head = l.next;
      if (l.next != no_agent)
        (agents_[l.next].*link).prev = l.prev;
      else
        list.tail = l.prev;
      l = Link{};
    } else {
      return; // no change: the group's bit in `groups` stands
    }
    const std::uint64_t bit = std::uint64_t{1} << (group % 64);
    if (list.head != no_agent)
      groups[group / 64] |= bit;
    else
      groups[group / 64] &= ~bit;
  };
  update(idle_[group], &Agent::idle, idle, idle_groups_);
  update(chat_room_[group], &Agent::chat_room, chat_room, chat_room_groups_);
}

void AgentPool::report_state(AgentIndex a, sim::SimTime now, RecordSink &sink) {
  Agent &agent = agents_[a];
  AgentState state = AgentState::available;
  bool paid = true, overtime = false;
  if (!agent.on_shift) {
    state = agent.in_hand > 0 ? AgentState::available : AgentState::off;
    overtime = agent.in_hand > 0;
    paid = agent.in_hand > 0;
  } else if (now < agent.ready_at) {
    state = AgentState::training;
  } else if (agent.absent) {
    state = AgentState::absent;
  } else if (agent.pauses > 0) {
    state = AgentState::paused;
    paid = agent.unpaid_pauses == 0;
  } else {
    overtime = now >= agent.scheduled_shift_end;
  }
  if (state == agent.reported && paid == agent.reported_paid && overtime == agent.reported_overtime)
    return;
  // Agents working a shift (taking cases, or paused within it) per group.
  auto working = [](AgentState st) {
    return st == AgentState::available || st == AgentState::paused;
  };
  working_[agent.info.group] +=
      static_cast<int>(working(state)) - static_cast<int>(working(agent.reported));
  agent.reported = state;
  agent.reported_paid = paid;
  agent.reported_overtime = overtime;
  sink.on(AgentStateChanged{now, a, state, paid, overtime});
}

void AgentPool::lend(Agent &agent, std::uint8_t region, sim::SimTime until) {
  agent.borrowed_region = region;
  agent.borrowed_until = until;
  borrowed_until_[agent.info.group] = std::max(borrowed_until_[agent.info.group], until);
  loans_until_ = std::max(loans_until_, until);
}

} // namespace supportsim::models
