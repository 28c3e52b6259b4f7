#pragma once

// Forecast variance: the simulation (or replay) against the analytic capacity forecast, per
// customer region and week of the measured window, for the five figures a planner commits to.
// Where a figure departs by more than the threshold, the row is flagged and carries the causes
// the model can name. Definitions: docs/metrics.md, "Forecast variance".

#include "analysis/forecast/capacity.hpp"
#include "analysis/metrics/statistics.hpp"
#include "analysis/run/experiment.hpp"

#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace supportsim::analysis {

/// The figures compared, in the order of VarianceReport's rows.
enum class VarianceFigure : std::uint8_t {
  volume,       ///< cases arriving
  handled,      ///< of those, given a first response
  sla,          ///< first-response attainment over every priority
  utilisation,  ///< the region's agents: busy / available
  workload_fte, ///< agent hours of work on the region's cases / available hours per agent
};
inline constexpr std::size_t variance_figure_count = 5;
inline constexpr std::array<std::string_view, variance_figure_count> variance_figure_names{
    "volume", "handled", "sla_attainment", "utilisation", "workload_fte"};

/// One figure of one region in one week.
struct VarianceRow {
  std::size_t region = 0;
  std::size_t week = 0;
  VarianceFigure figure = VarianceFigure::volume;
  double forecast = 0;  ///< NaN where the forecast has none (a week without cases)
  Estimate simulated{}; ///< over the replications
  double variance = 0;  ///< (simulated.mean - forecast) / forecast; NaN without a forecast
  bool flagged = false; ///< |variance| > the report's threshold
  /// Why, where the model knows: for instance "bottleneck: group EMEA-L1" or "follow-the-sun:
  /// 31% of the work on these cases done by other regions' agents". Only on flagged rows.
  std::vector<std::string> causes;
};

struct VarianceReport {
  double threshold = 0.10;               ///< the scenario's forecast_variance_max
  std::vector<std::string> regions;      ///< names, in scenario order
  std::vector<sim::SimTime> week_starts; ///< as CapacityForecast's
  /// Region-major, then week, then figure in VarianceFigure order:
  /// rows[(region * weeks + week) * variance_figure_count + figure].
  std::vector<VarianceRow> rows;
  std::size_t flagged = 0; ///< rows flagged
};

/// The variance of `result` against `capacity`, its scenario's capacity forecast, flagged beyond
/// the scenario's forecast_variance_max.
VarianceReport forecast_variance(const ExperimentResult &result, const CapacityForecast &capacity);

/// The same, forecasting the capacity of `result.scenario` first (forecast_capacity).
VarianceReport forecast_variance(const ExperimentResult &result);

/// The report as CSV (variance.csv): one row per region, week and figure; causes joined by "; ".
std::string render_variance_csv(const VarianceReport &report, const ExperimentResult &result);

} // namespace supportsim::analysis
