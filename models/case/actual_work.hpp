#pragma once
// A replayed case's actual work (a backtest with actual service, docs/model.md "Backtest:
// actual staffing and actual service").

#include "models/replay.hpp"

#include <cstdint>

namespace supportsim::models {

/// Minutes of a case's first touch and of each later touch as the history gives them; negative
/// where it does not (the touch is drawn as usual).
struct ActualWork {
  double first = -1, later = -1;

  /// The minutes of touch number `touch` (0: the first): the actual ones, else `drawn`.
  double minutes(std::uint16_t touch, double drawn) const {
    const double actual = touch == 0 ? first : later;
    return actual >= 0 ? actual : drawn;
  }
};

/// The actual work of a replayed row that needs `touches_needed` touches: the first touch is
/// handle + wrap; total_handle_minutes spreads the rest evenly over the later touches (over all
/// touches when the row gives no handle time).
ActualWork actual_work(const ReplayedCase &row, std::uint16_t touches_needed);

} // namespace supportsim::models
