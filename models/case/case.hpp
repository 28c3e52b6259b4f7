#pragma once
// A case in the model: what it is (CaseInfo) and where it stands in its life (docs/model.md,
// "A case's life").

#include "models/records.hpp"
#include "sim/calendar.hpp"
#include "sim/random.hpp"
#include "sim/time.hpp"

#include <cstdint>

namespace supportsim::models {

/// No case slot, bucket or pattern: the end of an intrusive list, an empty reference.
inline constexpr std::uint32_t none = 0xffffffffu;
/// Case::tier of a case any front-line tier may take.
inline constexpr std::uint8_t front_line = 0xff;

enum class CaseState : std::uint8_t {
  free, ///< the slot holds no case
  queued,
  in_work,
  waiting_customer,
  waiting_engineering,
};

/// One open case, in a slot of the CaseStore (slots are reused once a case ends).
struct Case {
  CaseInfo info;
  std::uint64_t seed;         // the case's own randomness (common random numbers)
  sim::SmallStream touch_rng; // draws of the current touch
  sim::SimTime queued_at;     // joined its current queue (overflow, ageing)
  sim::SimTime touch_started;
  sim::EventHandle patience_timer, overflow_timer;
  std::uint32_t prev, next; // in its bucket (doubly linked: O(1) removal on abandonment)
  std::uint32_t bucket;
  AgentIndex agent;       // working it now, else the last agent who did
  double escalation_draw; // uniform draw of the current touch, against the escalation chance
  std::uint16_t touches_done, touches_needed;
  std::uint8_t tier;         // who takes the next touch: a tier index or front_line
  std::uint8_t owner_region; // region of the agent who last worked it
  std::uint8_t queue_region; // the region whose agents it waits for first
  std::uint16_t touches_started;
  WorkType work_type;
  CaseState state;
  bool first_response_done;
  bool will_reopen, reopened, reopen_pending;
  bool overflowed; // queued past its overflow_after (counted by WaitingCases)
};

/// A chat awaiting its first response: the only work an agent may hold several of at once.
inline bool is_live_chat(const Case &c) {
  return c.info.channel == Channel::chat && !c.first_response_done;
}

/// A phone or chat case awaiting its first response: the customer is on the line.
inline bool is_live_first_contact(const Case &c) {
  return is_synchronous(c.info.channel) && !c.first_response_done;
}

/// A backlog touch after the first response (back from the customer or engineering, reopened):
/// the hand-off rules of its priority apply.
inline bool is_follow_up(const Case &c) {
  return c.first_response_done && c.work_type == WorkType::backlog;
}

} // namespace supportsim::models
