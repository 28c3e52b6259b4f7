#pragma once
// `supportsim calibrate`: the service side of a scenario estimated from a history of cases
// (handle time, patience, touches, escalation and reopen rates per channel, split by priority or
// local hour-of-day band where the data support it), computed once into a Calibration and
// rendered as a JSON report, a terminal table and a scenario that extends a base. The input is a
// plain struct per case, independent of how history files are read. Formulas, sources and the
// splitting rule: docs/calibrate.md.

#include "analysis/calibrate/fit_distribution.hpp"
#include "analysis/calibrate/patience.hpp"
#include "models/organisation.hpp"
#include "models/priority.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace supportsim::analysis {

/// One case of the history, as far as calibration needs it. Times in minutes.
struct CalibrationCase {
  models::Channel channel = models::Channel::email;
  models::Priority priority = models::Priority::p3;
  std::uint8_t local_hour = 0; ///< hour of day of its creation in its region's local time, 0..23
  std::optional<double> handle_minutes{}; ///< agent work of the first touch (talk + hold [+ wrap])
  std::optional<double> wrap_minutes{};   ///< after-call work, when given apart from handle
  std::optional<double> wait_minutes{};   ///< queued until answered or abandoned (or history end)
  bool abandoned = false;
  bool answered = false;
  std::optional<std::uint16_t> touches{}; ///< touches the case took
  std::optional<bool> escalated{};
  std::optional<bool> reopened{};
};

/// The dimensions a channel's estimate may be split by.
enum class Split : std::uint8_t { none, priority, hour_band };
/// Local hour-of-day bands: night, morning, afternoon, evening.
inline constexpr std::size_t hour_band_count = 4;
inline constexpr std::array<std::string_view, hour_band_count> hour_band_names{"00-06", "06-12",
                                                                               "12-18", "18-24"};
std::string_view name_of(Split split);

/// How to calibrate.
struct CalibrationOptions {
  FitOptions handle; ///< handle-time fits (the smallest sample, the empirical option)
  /// A split is considered only when every non-empty cell has at least this many observations
  /// (handle times, or queued customers for patience)...
  std::size_t min_cell = 200;
  /// ...and is taken only when the sum of the cells' AICs (each cell its own best family) is
  /// lower than the pooled fit's AIC by at least this much (Burnham & Anderson: > 10 leaves the
  /// pooled model essentially no support).
  double min_aic_gain = 10.0;
  /// `handle_minutes` excludes after-call work, and `wrap_minutes` (when given) is added to it:
  /// a touch's work is both. False: handle_minutes already includes it, wrap is ignored.
  bool add_wrap_to_handle = true;
};

/// Whether a channel's estimate is split, with the figures that decided it.
struct SplitDecision {
  Split by = Split::none;
  double pooled_aic = NAN;
  /// Per dimension considered (priority, hour band): the split's total AIC (NaN when some cell
  /// was too small) and why it was or was not taken.
  std::vector<std::pair<Split, double>> split_aic;
  std::vector<std::string> reasons;
};

/// A share with its n: count / n, and the binomial standard error sqrt(p (1 - p) / n).
struct Rate {
  std::size_t n = 0, count = 0;
  double share = NAN, se = NAN;
};

/// Touches per answered case: how many cases took each number of touches.
struct TouchCounts {
  std::size_t n = 0;
  std::vector<std::pair<std::uint16_t, std::size_t>> counts; ///< (touches, cases), increasing
  double mean = NAN;
  std::size_t left_out = 0; ///< answered cases recorded with 0 touches
};

template <class Fit> struct Cell {
  std::string label; ///< "P1" or "06-12"
  Fit fit;
};

/// Everything estimated for one channel.
struct ChannelCalibration {
  models::Channel channel = models::Channel::email;
  std::size_t cases = 0;
  HandleTimeFit handle;                          ///< every handle time of the channel
  SplitDecision handle_split;                    ///< and whether it splits
  std::vector<Cell<HandleTimeFit>> handle_cells; ///< the split's cells, when it splits
  std::optional<PatienceFit> patience;           ///< phone and chat only
  SplitDecision patience_split;
  std::vector<Cell<PatienceFit>> patience_cells;
  TouchCounts touches;
  Rate escalation; ///< escalated / cases with the column
  Rate reopen;     ///< reopened / answered cases with the column
};

/// The calibration of a history: per channel, and the pooled figures a scenario holds once.
struct Calibration {
  std::size_t cases = 0;
  std::array<ChannelCalibration, models::channel_count> channels;
  TouchCounts touches; ///< all channels: the scenario's lifecycle.touches is one distribution
  Rate reopen;         ///< all channels: lifecycle.reopen_probability
  Rate escalation;     ///< all channels, for the report (the scenario's is per tier)
  std::vector<std::string> warnings; ///< named: "phone: handle time: ..."
};

/// Estimates everything from `cases` (any order). Cases that contradict themselves (answered
/// and abandoned) are counted in a warning and left out of patience.
///
///   const Calibration c = calibrate(cases);
///   std::cout << calibration_table(c);
Calibration calibrate(const std::vector<CalibrationCase> &cases,
                      const CalibrationOptions &options = {});

/// The report: every estimate with its n, each family's log-likelihood, AIC and KS distance,
/// the split decisions, the Kaplan-Meier summary and the naive patience beside the censored one.
std::string calibration_json(const Calibration &calibration);

/// The report for a terminal: one line per channel and estimate, then the warnings.
std::string calibration_table(const Calibration &calibration);

/// The calibrated scenario: {"extends": base, "name": name, "lifecycle": {"work_minutes",
/// "patience_minutes", "touches", "reopen_probability"}}, with each channel's pooled estimate
/// (the scenario has one distribution per channel; cells are in the report). When handle time
/// is fitted, "priority_work_factor" and "product_work_factor" are null (back to 1): the
/// observed times already hold every priority's and product's effect. `base_document` is
/// the base as load_scenario_document() returns it: where its distribution has parameters the
/// new one does not (a Weibull's shape under a new lognormal), they are set to null so that
/// "extends" removes them instead of merging them in.
std::string calibrated_scenario(const Calibration &calibration, const std::string &base,
                                const std::string &name, const nlohmann::json &base_document);

} // namespace supportsim::analysis
