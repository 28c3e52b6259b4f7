#pragma once
// A touch of work on a case: how long it takes and how it ends (docs/model.md, "Touches").

#include "models/case/case.hpp"
#include "models/organisation.hpp"

#include <cstdint>

namespace supportsim::models {

/// Seeds the touch's stream from (case seed, touch number), so the same touch of the same case
/// draws the same work whoever does it, and makes its draws: the work content, then the
/// escalation draw (kept in the case). Returns the touch's minutes: the channel's work draw ×
/// priority and product factors × the handle-time curve at the agent's tenure × (2 − product
/// proficiency), and for a live chat × (1 + slowdown × (chats in hand − 1)); `chats_in_hand`
/// counts the new chat, 0 when the touch is not a live chat.
double draw_touch(Case &c, const OrganisationConfig &config, double product_proficiency,
                  double tenure_months, unsigned chats_in_hand);

/// How a touch ended, and the wait that follows it (to_engineering, follow_up, solved_reopens).
struct TouchEnd {
  TouchOutcome outcome;
  std::uint8_t to_tier = 0; ///< escalated: the tier it goes to
  sim::Duration wait{};
};

/// Decides the outcome of the touch just finished by an agent of `agent_tier` in
/// `agent_region`, in the order escalation, follow-up, solved-will-reopen, resolved, and moves
/// the case on: who owns it, its work type, its queue region, its touch counts and state, and
/// the wait drawn from the touch's stream.
TouchEnd end_touch(Case &c, const OrganisationConfig &config, std::size_t agent_tier,
                   std::uint8_t agent_region, double tenure_months);

} // namespace supportsim::models
