#pragma once
// The kinds of event the model puts on the calendar (the `kind` byte of a sim::Event), shared by
// the model's parts that schedule them. Dispatch is SupportModel::handle's switch.

#include "sim/calendar.hpp"

#include <cstdint>

namespace supportsim::models {

/// Event kinds, with the phase each runs in (see sim::Phase): agents becoming free run in the
/// release phase, so that a case arriving at the same instant finds them.
enum class EventKind : std::uint8_t {
  arrival,            ///< id: arrival source; phase arrive
  replayed_arrival,   ///< id: 0; phase arrive (the case read ahead from the replay)
  touch_done,         ///< id: case slot; phase release
  patience_end,       ///< id: case slot; phase arrive
  overflow,           ///< id: case slot; phase arrive (more agents may now take it)
  case_ready,         ///< id: case slot; phase arrive (back from the customer or engineering)
  shift_start,        ///< id: agent; phase release
  shift_end,          ///< id: agent; phase release
  pause_start,        ///< id: agent; phase release (a paid break, a meeting)
  pause_end,          ///< id: agent; phase release
  unpaid_pause_start, ///< id: agent; phase release (an unpaid break)
  unpaid_pause_end,   ///< id: agent; phase release
  training_done,      ///< id: agent; phase release
  effect_end,         ///< id: agent; phase release (a trigger's action on the agent expires)
  overtime_mark,      ///< id: agent; phase observe (the scheduled shift end, now overtime)
  hire,               ///< id: index into the hiring plan; phase release
  leave,              ///< id: agent; phase release
  trigger_check,      ///< id: trigger; phase observe
};

/// Puts an event of `kind` for `id` on the calendar.
inline sim::EventHandle schedule(sim::Calendar &calendar, sim::SimTime at, sim::Phase phase,
                                 EventKind kind, std::uint32_t id) {
  return calendar.schedule(at, phase, static_cast<std::uint8_t>(kind), id);
}

} // namespace supportsim::models
