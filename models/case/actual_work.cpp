#include "models/case/actual_work.hpp"

#include <algorithm>

namespace supportsim::models {

ActualWork actual_work(const ReplayedCase &row, std::uint16_t touches_needed) {
  ActualWork work;
  if (row.handle_minutes) work.first = *row.handle_minutes + row.wrap_minutes.value_or(0.0);
  if (!row.total_handle_minutes) return work;
  if (!row.handle_minutes) {
    work.first = work.later = *row.total_handle_minutes / touches_needed;
  } else if (touches_needed > 1) {
    work.later = std::max(*row.total_handle_minutes - work.first, 0.0) / (touches_needed - 1);
  }
  return work;
}

} // namespace supportsim::models
