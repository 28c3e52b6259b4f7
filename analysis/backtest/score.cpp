#include "analysis/backtest/score.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace supportsim::analysis::backtest {

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

/// The q-quantile of sorted values, linear between order statistics (Hyndman & Fan type 7, the
/// default of R and numpy).
double quantile(const std::vector<double> &sorted, double q) {
  const double h = (static_cast<double>(sorted.size()) - 1.0) * q;
  const auto below = static_cast<std::size_t>(std::floor(h));
  const std::size_t above = std::min(below + 1, sorted.size() - 1);
  return sorted[below] + (h - static_cast<double>(below)) * (sorted[above] - sorted[below]);
}

bool compared(std::size_t channel, std::size_t figure) {
  // Occupancy is region-wide (agents serve every channel); the rest are per channel.
  return (figure == static_cast<std::size_t>(Figure::occupancy)) ==
         (channel == Figures::all_channels);
}

/// Whether the history has anything to compare for this region and channel.
bool present(const Figures &actual, std::size_t region, std::size_t channel) {
  const Tally t = actual.overall(region, channel);
  return channel == Figures::all_channels ? t.logged_minutes > 0 : t.offered > 0;
}

struct Accumulated {
  double difference = 0, absolute = 0, actual = 0, inside = 0;
  std::size_t intervals = 0;
};

} // namespace

Band band_of(std::vector<double> values) {
  values.erase(std::remove_if(values.begin(), values.end(), [](double v) { return std::isnan(v); }),
               values.end());
  if (values.empty()) return {nan, nan, nan, 0};
  std::sort(values.begin(), values.end());
  const double mean =
      std::accumulate(values.begin(), values.end(), 0.0) / static_cast<double>(values.size());
  return {mean, quantile(values, 0.025), quantile(values, 0.975), values.size()};
}

Score score(const Figures &actual, std::span<const Figures> replications, double tolerance) {
  Score result;
  result.tolerance = tolerance;
  const IntervalGrid &grid = actual.grid();
  std::vector<double> values(replications.size());
  for (std::size_t r = 0; r < grid.regions(); ++r)
    for (std::size_t ch = 0; ch <= Figures::all_channels; ++ch) {
      if (!present(actual, r, ch)) continue;
      for (std::size_t f = 0; f < actual.figure_count(); ++f) {
        if (!compared(ch, f)) continue;
        Accumulated acc;
        for (std::size_t i = 0; i < grid.intervals(r); ++i) {
          const double a = actual.value(actual.tally(r, ch, i), f);
          for (std::size_t k = 0; k < replications.size(); ++k)
            values[k] = replications[k].value(replications[k].tally(r, ch, i), f);
          const Band b = band_of(values);
          result.intervals.push_back({r, ch, i, f, a, b});
          if (std::isnan(a) || std::isnan(b.mean)) continue;
          ++acc.intervals;
          acc.difference += b.mean - a;
          acc.absolute += std::abs(b.mean - a);
          acc.actual += std::abs(a);
          acc.inside += (a >= b.low && a <= b.high) ? 1 : 0;
        }
        const double a = actual.value(actual.overall(r, ch), f);
        for (std::size_t k = 0; k < replications.size(); ++k)
          values[k] = replications[k].value(replications[k].overall(r, ch), f);
        FigureScore s{r, ch, f, a, band_of(values), nan, nan, nan, nan, acc.intervals, false};
        if (a != 0 && !std::isnan(a)) s.error = (s.simulated.mean - a) / a;
        if (acc.intervals > 0) {
          const double n = static_cast<double>(acc.intervals);
          s.bias = acc.difference / n;
          s.wape = acc.actual > 0 ? acc.absolute / acc.actual : nan;
          s.coverage = acc.inside / n;
        }
        s.reproduced = a == 0 ? s.simulated.mean == 0 : std::abs(s.error) <= tolerance;
        result.overall.push_back(s);
      }
    }
  return result;
}

} // namespace supportsim::analysis::backtest
