#pragma once
// An agent in the model: who they are (AgentInfo), their shift and what they hold
// (docs/model.md, "Agents").

#include "models/organisation.hpp"
#include "models/records.hpp"
#include "sim/calendar.hpp"
#include "sim/random.hpp"
#include "sim/time.hpp"

#include <cstdint>

namespace supportsim::models {

/// A place in one of a group's lists of free agents (intrusive, doubly linked).
struct Link {
  AgentIndex prev = no_agent, next = no_agent;
  bool in = false;
};
/// Free agents of one group, in the order they became free.
struct FreeList {
  AgentIndex head = no_agent, tail = no_agent;
};

struct Agent {
  AgentInfo info;
  std::uint8_t tier;
  sim::SimTime hired;    // tenure counts from here (before zero for the starting headcount)
  sim::SimTime ready_at; // training over
  sim::SmallStream rng;  // absence, off-queue and attrition draws
  bool employed, leaving;
  bool on_shift, absent, on_call;
  std::uint8_t pauses, unpaid_pauses;
  sim::SimTime shift_end;           // current shift's end (overtime moves it)
  sim::SimTime scheduled_shift_end; // as rostered
  sim::EventHandle shift_end_event;
  std::uint8_t in_hand; // touches being worked
  bool chatting;        // the touches in hand are live chats
  Link idle;            // in its group's idle list
  Link chat_room;       // in its group's chat-room list
  sim::SimTime front_door_only_until;
  sim::SimTime borrowed_until;
  std::uint8_t borrowed_region;
  AgentState reported;
  bool reported_paid, reported_overtime;
};

/// Takes new work now: employed, on shift, not absent, not paused, past training.
inline bool takes_work(const Agent &agent, sim::SimTime now) {
  return agent.employed && agent.on_shift && !agent.absent && agent.pauses == 0 &&
         now >= agent.ready_at;
}

/// On call or pulled by a trigger: takes only front_door work.
inline bool front_door_only(const Agent &agent, sim::SimTime now) {
  return agent.on_call || now < agent.front_door_only_until;
}

/// Months since the hire (a month being 30.4375 days), for the learning curves.
inline double tenure_months(const Agent &agent, sim::SimTime now) {
  return (now - agent.hired).to_minutes() / (days_per_month * 24 * 60);
}

} // namespace supportsim::models
