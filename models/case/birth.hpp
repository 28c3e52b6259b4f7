#pragma once
// A new case: its first work type and the draws fixed at its birth (docs/model.md, "A case's
// life" 1, and "Abandonment").

#include "models/case/case.hpp"
#include "models/organisation.hpp"

#include <optional>

namespace supportsim::models {

/// The work type a new case is queued as: front_door for P1/P2, live for P3/P4 on phone or
/// chat, backlog for P3/P4 email.
WorkType first_work_type(const CaseInfo &info);

/// Makes the case's birth draws from its own seed, in this order: touches needed (the draw
/// rounded up, 1 to 1000), patience (phone and chat, when the channel has a patience
/// distribution), whether it will reopen. Sets touches_needed and will_reopen; returns how long
/// the customer waits before hanging up, or nothing if they never do.
std::optional<sim::Duration> draw_birth(Case &c, const LifecycleConfig &life);

} // namespace supportsim::models
