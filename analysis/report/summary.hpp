#pragma once

// Compute once, render many: a run's result with its forecasts, and every figure a report judges
// against a goal, judged here and nowhere else. The table, summary.json, the CSV files and
// report.html only format what a Summary holds; a sweep judges its options' targets with the
// same at_least().

#include "analysis/forecast/capacity.hpp"
#include "analysis/forecast/demand.hpp"
#include "analysis/metrics/statistics.hpp"
#include "analysis/report/scorecard.hpp"
#include "analysis/run/experiment.hpp"
#include "analysis/variance/variance.hpp"
#include "models/priority.hpp"

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

namespace supportsim::analysis {

/// One figure over the replications of `result`: pick(replication) for each, then its mean and
/// 95 % confidence interval (replications where it is NaN left out).
Estimate across(const ExperimentResult &result,
                const std::function<double(const ReplicationFigures &)> &pick);

/// One target a figure is held to (at least `goal`), and whether it meets it.
struct TargetCheck {
  std::string name;       ///< "sla_attainment_P1", "utilisation"
  double goal = 0;        ///< at least
  Estimate value{};       ///< over the replications
  bool met = false;       ///< mean >= goal
  bool confident = false; ///< the interval's lower end >= goal
  /// Whether there is anything to judge: a figure no replication has (no cases of a priority)
  /// meets its target, having nothing to miss, and a report shows no verdict for it.
  bool judged() const { return value.n > 0; }
};

/// The one judgement of "at least": met when the mean reaches the goal, met with confidence
/// when the 95 % interval's lower end does (never without an interval). With no value, met.
TargetCheck at_least(std::string name, double goal, const Estimate &value);

/// Regional consistency of one key figure: the regions' means over the replications and their
/// coefficient of variation (population standard deviation / mean), against the scenario's
/// regional_spread_max.
struct RegionalSpread {
  std::string figure;               ///< sla_attainment, asa_minutes, abandonment, ...
  std::vector<double> region_means; ///< in scenario order; NaN for a region without a value
  double cv = 0;                    ///< NaN with fewer than two regions with a value
  bool above_goal = false;          ///< cv > regional_spread_max (false without a cv)
};

/// The regional spread of every key figure (SLA attainment, ASA, abandonment, utilisation,
/// cost per resolved case), in that order, judged against the scenario's regional_spread_max.
std::vector<RegionalSpread> regional_spread(const ExperimentResult &result);

/// One customer region's simulated (or replayed) cases against the demand forecast.
struct DemandVariance {
  double forecast = 0;               ///< cases forecast over the measured window
  Estimate cases{};                  ///< arrived in the window, over the replications
  double variance = 0;               ///< (cases - forecast) / forecast; NaN without a forecast
  std::vector<double> week_forecast; ///< per week of the window
  std::vector<Estimate> week_cases;  ///< per week
  std::vector<double> week_variance; ///< per week; NaN without a forecast
  std::size_t weeks_off = 0;         ///< weeks whose |variance| > forecast_variance_max
  double largest = 0;                ///< the week variance furthest from 0 (0 without any)
  bool met() const { return weeks_off == 0; }
};

/// (actual - forecast) / forecast, or NaN without a forecast.
double relative_variance(double actual, double forecast);

/// The figures a call centre is judged by (QueueTally, docs/metrics.md) of one region (or the
/// whole organisation) and synchronous channel, over the replications: each replication's
/// figure, then their mean and 95 % interval.
struct CallCentreLine {
  std::string region; ///< a region's name, or "all"
  models::Channel channel = models::Channel::phone;
  Estimate offered{}, answered{}, abandoned{};
  Estimate p_wait_zero{}, asa_seconds{}, mean_wait_queued_seconds{}, p_abandon_queued{};
  std::vector<Estimate> service_level; ///< per threshold of Summary::sl_seconds
};

/// The call-centre figures of every region (then "all") and synchronous channel, in that order.
std::vector<CallCentreLine> call_centre_lines(const ExperimentResult &result);

/// A run as every report shows it: the replications, the forecasts for the measured window,
/// and each target judged. Deterministic: the same result gives the same summary.
struct Summary {
  /// Forecasts and judges `run`. Not explicit: every renderer takes a run result just as
  /// run_experiment returns it.
  Summary(ExperimentResult run);

  ExperimentResult run;
  DemandForecast forecast;   ///< what the scenario forecasts for the measured window
  CapacityForecast capacity; ///< the analytic plan for the same window (capacity.hpp)
  /// First-response attainment against each priority's target: per region in scenario order,
  /// then the whole organisation (index = region count).
  std::vector<models::PerPriority<TargetCheck>> sla;
  /// The agents' utilisation against the goal: per region, then the whole organisation.
  std::vector<TargetCheck> utilisation;
  /// Per region: its SLA goal over every priority, the priorities' targets weighted by the
  /// region's simulated cases of each (NaN without cases): the goal of a daily SLA over every
  /// priority.
  std::vector<double> mixed_sla_goal;
  std::vector<RegionalSpread> spread; ///< regional_spread(run)
  std::vector<DemandVariance> demand; ///< per region; empty without replications
  VarianceReport variance;            ///< forecast_variance(run, capacity)
  /// The service-level thresholds of the call-centre figures, seconds (empty without
  /// replications).
  std::vector<int> sl_seconds;
  std::vector<CallCentreLine> callcentre; ///< call_centre_lines(run)
  /// The mission's seven targets side by side (judge_scorecard, scorecard.hpp), judged last
  /// from the figures above.
  Scorecard scorecard;

  /// Regions of the run (0 without replications).
  std::size_t region_count() const;
};

} // namespace supportsim::analysis
