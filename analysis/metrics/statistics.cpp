#include "analysis/metrics/statistics.hpp"

#include <array>
#include <boost/math/distributions/students_t.hpp>
#include <cmath>
#include <limits>

namespace supportsim::analysis {

namespace {
double t95(std::uint32_t degrees) {
  boost::math::students_t t(static_cast<double>(degrees));
  return boost::math::quantile(t, 0.975);
}
} // namespace

double student_t95(std::uint32_t degrees) {
  // The quantiles of the usual replication counts computed once (a constant table): the tidy
  // files estimate hundreds of thousands of figures, and Boost's quantile is a root search.
  static const std::array<double, 128> small = [] {
    std::array<double, 128> table{};
    for (std::uint32_t d = 1; d < table.size(); ++d)
      table[d] = t95(d);
    return table;
  }();
  return degrees > 0 && degrees < small.size() ? small[degrees] : t95(degrees);
}

Estimate estimate(std::span<const double> values) {
  constexpr double nan = std::numeric_limits<double>::quiet_NaN();
  double sum = 0.0;
  std::uint32_t n = 0;
  for (double v : values)
    if (!std::isnan(v)) sum += v, ++n;
  if (n == 0) return {nan, nan, 0};
  const double mean = sum / n;
  if (n < 2) return {mean, nan, n};
  double ss = 0.0;
  for (double v : values)
    if (!std::isnan(v)) ss += (v - mean) * (v - mean);
  const double sd = std::sqrt(ss / (n - 1));
  return {mean, student_t95(n - 1) * sd / std::sqrt(static_cast<double>(n)), n};
}

} // namespace supportsim::analysis
