#pragma once
// Actual beside simulated: per interval and overall, the simulated mean and 95 % band over
// replications, and how far the simulation is from what happened (docs/backtest.md).

#include "analysis/backtest/figures.hpp"

#include <cstddef>
#include <span>
#include <string>
#include <vector>

namespace supportsim::analysis::backtest {

/// A figure over replications: their mean, and the 2.5 % and 97.5 % quantiles of the
/// replications' values (a prediction band: where one run such as the real one falls).
struct Band {
  double mean = 0, low = 0, high = 0;
  std::size_t replications = 0; ///< replications where the figure is defined
};
/// The band of `values`, NaNs left out (all NaN: mean, low and high NaN).
Band band_of(std::vector<double> values);

/// One figure of one interval, region and channel (channel Figures::all_channels: region-wide).
struct IntervalComparison {
  std::size_t region, channel, interval, figure;
  double actual;
  Band simulated;
};

/// One figure of a region and channel over the whole window.
struct FigureScore {
  std::size_t region, channel, figure;
  double actual;         ///< the window's figure, from the summed tallies
  Band simulated;        ///< over the replications' window figures
  double error;          ///< (simulated mean - actual) / actual; NaN when actual is 0
  double bias;           ///< mean over intervals of (simulated mean - actual), in the figure's unit
  double wape;           ///< sum over intervals |simulated mean - actual| / sum |actual|
  double coverage;       ///< share of intervals whose actual lies in the band
  std::size_t intervals; ///< intervals where both are defined
  bool reproduced;       ///< |error| within the tolerance
};

struct Score {
  std::vector<FigureScore> overall;
  std::vector<IntervalComparison> intervals;
  double tolerance = 0.10;
};

/// Scores the replications against the history. Figures are compared for each region and
/// channel the history has cases in, and occupancy region-wide where it has logged-in time.
Score score(const Figures &actual, std::span<const Figures> replications, double tolerance = 0.10);

} // namespace supportsim::analysis::backtest
