#pragma once
// The figures a call centre is judged by, counted the same way for a simulated run
// (MetricsSink) and for a backtest's history and replays (backtest::Figures), so that the two
// can never disagree on a definition. docs/metrics.md, "Call-centre figures", defines each.

#include <cstddef>
#include <span>
#include <vector>

namespace supportsim::analysis {

/// Additive counts of the first responses of one group of cases (a region, channel and
/// interval, or a whole window). Every figure is a ratio of these, so the figure of a longer
/// interval, or of pooled replications, is the figure of the summed tallies.
///
///   QueueTally t(2);
///   t.offered += 1; t.add_answered(12.0, sl_seconds); // on answer: wait in seconds
///   t.p_abandon_queued();
struct QueueTally {
  QueueTally() = default;
  /// `thresholds`: how many service-level thresholds are counted.
  explicit QueueTally(std::size_t thresholds) : within(thresholds, 0.0) {}

  double offered = 0;   ///< cases that joined the queue (counted by the caller, on arrival)
  double answered = 0;  ///< of those, answered
  double abandoned = 0; ///< of those, abandoned
  double zero_wait = 0; ///< answered with a wait under one second
  double answered_wait_seconds = 0;
  double waited = 0;         ///< waited one second or more (answered or not), or abandoned
  double waited_seconds = 0; ///< their waits, those of a second or more
  double waited_abandoned = 0;
  std::vector<double> within; ///< answered within each threshold (wait <= threshold)

  /// A case answered after `wait_seconds` in the queue; `sl_seconds`: the thresholds, as many
  /// as `within` holds.
  void add_answered(double wait_seconds, std::span<const int> sl_seconds);
  /// A case that gave up after `wait_seconds`.
  void add_abandoned(double wait_seconds);
  void add(const QueueTally &other);

  /// Answered with a wait under one second ÷ offered.
  double p_wait_zero() const;
  /// Mean wait of the answered, seconds.
  double asa_seconds() const;
  /// Mean wait of those who waited a second or more, answered or abandoned, seconds.
  double mean_wait_queued_seconds() const;
  /// Abandoned ÷ those who waited a second or more or abandoned.
  double p_abandon_queued() const;
  /// Answered within threshold k ÷ offered.
  double service_level(std::size_t k) const;
};

} // namespace supportsim::analysis
