#pragma once
// The figures a call centre is judged by, per interval of each region's local time, computed by
// one function for what really happened (a history) and for what the model simulated (its
// records), so that a backtest compares like with like. docs/backtest.md defines each figure.

#include "analysis/backtest/interval_grid.hpp"
#include "analysis/metrics/queue_tally.hpp"
#include "models/organisation.hpp"
#include "sim/clock.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace supportsim::analysis::backtest {

/// One case as a backtest scores it: when it joined the queue and how its first response went.
struct CaseOutcome {
  sim::UtcTime queued{}; ///< joined the queue
  sim::UtcTime ended{};  ///< answered or abandoned; meaningless if neither
  /// Answered: agent work of the first touch, after-call work included, in minutes; < 0 when
  /// not known.
  float handle_minutes = -1.0f;
  std::uint8_t region = 0;
  models::Channel channel = models::Channel::phone;
  bool answered = false, abandoned = false;
  /// Left the queue neither answered nor abandoned (a history's transfer or voicemail): offered,
  /// and out of the backlog at `ended`, but in no other figure.
  bool other = false;
};

/// A span of one agent's time: logged in (taking work), or busy on a case within it.
struct AgentSpan {
  sim::UtcTime start{}, end{};
  std::uint8_t region = 0;
  bool busy = false; ///< working a case; otherwise logged in
};

/// The figures, in the order they are reported. Service levels follow `service_level`, one per
/// threshold of FigureOptions.
enum class Figure : std::uint8_t {
  offered,          ///< cases that joined the queue in the interval
  answered,         ///< of those, answered (at any time)
  abandoned,        ///< of those, abandoned (at any time)
  p_wait_zero,      ///< answered with a wait under one second, ÷ offered
  asa,              ///< mean wait of the answered, seconds
  mean_wait_queued, ///< mean time in queue of those who waited a second or more, answered or not
  p_abandon_queued, ///< abandoned ÷ those who waited a second or more or abandoned
  aht,              ///< mean handle time of the answered, minutes (after-call work included)
  occupancy,        ///< busy agent time ÷ logged-in agent time (region-wide: channel "all")
  backlog,          ///< cases in queue at the interval's end
  service_level,    ///< answered within the threshold ÷ offered; one per threshold
};
inline constexpr std::size_t fixed_figures = 10; ///< the figures before the service levels

struct FigureOptions {
  std::vector<int> sl_seconds{20}; ///< service-level thresholds, seconds
};

/// Names of the figures under `options`: "offered" … "backlog", "sl_20s", "sl_60s" …
std::vector<std::string> figure_names(const FigureOptions &options);

/// Additive counts of one interval, region and channel (or of a whole window): figures are
/// ratios of these, so the overall figure of a window is the figure of its summed tally. The
/// queue's counts are QueueTally's, the same as every `supportsim run` reports.
struct Tally : QueueTally {
  double handled = 0, handle_minutes = 0;
  double busy_minutes = 0, logged_minutes = 0;
  double backlog = 0, backlog_intervals = 0; ///< summed over intervals, and how many
  void add(const Tally &other);
};

/// Every figure of one run (the history, or one replication): per region, channel (the
/// channels of models::Channel, then "all" for occupancy) and interval, a tally.
class Figures {
public:
  Figures(const IntervalGrid &grid, const FigureOptions &options);
  static constexpr std::size_t all_channels = 3; ///< the channel index of region-wide tallies

  /// Counts the cases and the agents' spans of one run into the intervals.
  void add(std::span<const CaseOutcome> cases, std::span<const AgentSpan> agents);

  const Tally &tally(std::size_t region, std::size_t channel, std::size_t interval) const {
    return tallies_[slot(region, channel) + interval];
  }
  /// The window's tally of a region and channel.
  Tally overall(std::size_t region, std::size_t channel) const;
  /// A figure of a tally; NaN where it is undefined (an ASA with nobody answered).
  double value(const Tally &t, std::size_t figure) const;
  std::size_t figure_count() const { return fixed_figures + options_.sl_seconds.size(); }
  const IntervalGrid &grid() const { return *grid_; }
  const FigureOptions &options() const { return options_; }

private:
  std::size_t slot(std::size_t region, std::size_t channel) const {
    return offsets_[region] * 4 + channel * grid_->intervals(region);
  }
  void add_case(const CaseOutcome &c, std::vector<double> &backlog_steps);
  void add_span(const AgentSpan &s);
  const IntervalGrid *grid_;
  FigureOptions options_;
  std::vector<std::size_t> offsets_; // per region: intervals of the regions before it
  std::vector<Tally> tallies_;
};

} // namespace supportsim::analysis::backtest
