#pragma once
// A backtest's result as a planner reads it: the terminal table (overall, the verdict and the
// worst intervals), backtest.csv (one row per interval and figure), backtest.json and the
// report.html page. Renderers only format: every figure and verdict is in BacktestResult.

#include "analysis/backtest/backtest.hpp"

#include <string>
#include <string_view>

namespace supportsim::analysis::backtest {

/// Where the history and staffing came from, for the headers.
struct BacktestSources {
  std::string history;  ///< the history file
  std::string staffing; ///< the staffing file, or how it was inferred
  std::string scenario; ///< the scenario's source
};

/// The one-line verdict: which figures are reproduced within the tolerance, and which not.
std::string verdict_line(const BacktestResult &result);

/// The terminal report: overall actual against simulated per region, channel and figure, the
/// verdict, and the `worst` intervals whose actual lies furthest outside the band.
std::string render_backtest_table(const BacktestResult &result, const BacktestSources &sources,
                                  std::size_t worst = 10);

/// backtest.csv: interval_start_local,interval_start_utc,region,channel,metric,actual,simulated,
/// band_low,band_high — one row per interval, region, channel and figure; empty where undefined.
std::string render_backtest_csv(const BacktestResult &result);

/// backtest.json: the options, every overall score, every interval and the verdict.
std::string render_backtest_json(const BacktestResult &result, const BacktestSources &sources,
                                 std::string_view version);

/// report.html: the verdict table, actual against simulated (with the band) over the intervals
/// for the figures a call centre is judged by, and a scatter of simulated against actual.
std::string render_backtest_html(const BacktestResult &result, const BacktestSources &sources,
                                 std::string_view version);

} // namespace supportsim::analysis::backtest
