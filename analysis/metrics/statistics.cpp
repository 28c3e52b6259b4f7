#include "analysis/metrics/statistics.hpp"

#include <boost/math/distributions/students_t.hpp>
#include <cmath>
#include <limits>

namespace supportsim::analysis {

double student_t95(std::uint32_t degrees) {
  boost::math::students_t t(static_cast<double>(degrees));
  return boost::math::quantile(t, 0.975);
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
