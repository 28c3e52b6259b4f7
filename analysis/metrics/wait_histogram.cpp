#include "analysis/metrics/wait_histogram.hpp"

#include <cmath>
#include <limits>

namespace supportsim::analysis {

double WaitHistogram::quantile_minutes(double p) const {
  if (total_ == 0) return std::numeric_limits<double>::quiet_NaN();
  const auto rank =
      static_cast<std::uint64_t>(std::max(1.0, std::ceil(p * static_cast<double>(total_))));
  std::uint64_t seen = 0;
  for (std::size_t i = 0; i < counts_.size(); ++i) {
    seen += counts_[i];
    if (seen < rank) continue;
    if (i < linear_limit)
      return sim::Duration::from_ticks(static_cast<std::int64_t>(i)).to_minutes();
    const std::size_t shift = (i - linear_limit) / linear_limit;
    const std::size_t sub = (i - linear_limit) % linear_limit;
    const double low = std::ldexp(static_cast<double>(linear_limit + sub), static_cast<int>(shift));
    const double width = std::ldexp(1.0, static_cast<int>(shift));
    return (low + width / 2) / sim::Duration::ticks_per_minute;
  }
  return std::numeric_limits<double>::quiet_NaN(); // not reached: counts sum to total_
}

} // namespace supportsim::analysis
