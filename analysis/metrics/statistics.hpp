#pragma once

#include <cstdint>
#include <span>

namespace supportsim::analysis {

/// A mean over replications with its 95 % confidence interval, mean +- half_width, from
/// Student's t with n - 1 degrees of freedom. Replications whose value is undefined (NaN: say, a
/// priority that saw no cases) are left out and n counts the rest. half_width is NaN when n < 2.
struct Estimate {
  double mean;
  double half_width;
  std::uint32_t n;
};

/// Estimate from one value per replication.
Estimate estimate(std::span<const double> values);

/// The two-sided 95 % Student t quantile for `degrees` degrees of freedom (t_{0.975, df}).
double student_t95(std::uint32_t degrees);

} // namespace supportsim::analysis
