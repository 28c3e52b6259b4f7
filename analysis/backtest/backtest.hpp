#pragma once
// A backtest: a history's cases replayed against the staffing that was really on the floor,
// R replications, scored per interval of local time against what really happened
// (docs/backtest.md).

#include "analysis/backtest/figures.hpp"
#include "analysis/backtest/interval_grid.hpp"
#include "analysis/backtest/score.hpp"
#include "models/replay.hpp"
#include "scenarios/scenario.hpp"

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace supportsim::analysis::backtest {

/// A history in memory: the cases to replay (in creation order, as the model takes them) and
/// what really happened to each (in the same order).
struct History {
  std::vector<models::ReplayedCase> cases;
  std::vector<CaseOutcome> outcomes;
  /// Agents' actual work: from each answer to the end of its handle (and after-call) time.
  std::vector<AgentSpan> work;
  std::string source; ///< the file, for messages
};

struct BacktestOptions {
  int interval_minutes = 60;
  FigureOptions figures;
  std::uint32_t replications = 30;
  std::uint64_t seed = 1;
  unsigned jobs = 0;       ///< threads; 0: one per core
  double tolerance = 0.10; ///< a figure is reproduced when within this share of the actual
  /// How long past the last arrival the model runs, so that the last cases are answered or
  /// abandoned as they really were.
  sim::Duration drain = sim::Duration::hours(24);
  /// Stops the backtest between replications once set (analysis::RunOptions::cancel):
  /// analysis::Cancelled is thrown.
  const std::atomic<bool> *cancel = nullptr;
};

/// What a backtest found.
struct BacktestResult {
  std::unique_ptr<IntervalGrid> grid;
  std::unique_ptr<Figures> actual;
  Score score;
  BacktestOptions options;
  std::vector<std::string> regions; ///< names, by index
  std::vector<std::string> figures; ///< names, by index (figure_names)
  bool actual_service = false;      ///< each case's own handle time, or the fitted distributions
  std::size_t cases = 0;
  std::vector<std::string> notes; ///< approximations the user should know of
};

/// Replays `history` against `scenario` (whose organisation carries the staffing plan and
/// whether service is actual) over the history's window, and scores it. The scenario's start,
/// horizon and warm-up are set from the history.
BacktestResult run_backtest(const scenarios::Scenario &scenario, const History &history,
                            const BacktestOptions &options);

/// The window a backtest scores: from the first case's queue entry, rounded down to the
/// interval, to one interval past the last (UTC; the grid then follows local time).
std::pair<sim::UtcTime, sim::UtcTime> history_window(const History &history, int interval_minutes);

/// The time zone of each region, by index (an IntervalGrid's zones).
std::vector<const date::time_zone *> region_zones(const models::OrganisationConfig &organisation);

/// The logged-in spans of a staffing plan, each in its group's region.
std::vector<AgentSpan> staffed_spans(const models::OrganisationConfig &organisation);

} // namespace supportsim::analysis::backtest

namespace supportsim::analysis::backtest {

/// One run of the model (replication 0 of `seed`) written down as a history would be: each
/// case's queue entry, answer or abandonment and handle time, and the agents' work. Benchmarks
/// and tests replay it; it is what an export of that run would hold.
History simulated_history(const models::OrganisationConfig &organisation, std::uint64_t seed);

} // namespace supportsim::analysis::backtest
