#pragma once

#include "analysis/report/summary.hpp"
#include "analysis/run/experiment.hpp"

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace supportsim::analysis {

/// The terminal report: per customer region and priority, SLA attainment against target, waits,
/// abandonment, utilisation; means over replications with 95 % confidence intervals.
/// Fits in 100 columns. Deterministic: no wall-clock facts.
/// With `colour`, misses are shown in bold red (ANSI escapes; the CLI asks for it only on a
/// terminal, and never when NO_COLOR is set).
std::string render_table(const Summary &summary, const std::string &version, bool colour = false);

/// The same figures as one JSON document (described in docs/metrics.md; its schema is
/// summary_schema_text()). Byte-identical for the same scenario, seed and version.
std::string render_json(const Summary &summary, const std::string &version);

/// The JSON Schema (draft 7) of render_json's document (analysis/report/summary.schema.json), as
/// compiled in: every key, its type and unit. `supportsim schema --summary` prints it.
std::string_view summary_schema_text();

/// The summary as CSV, one row per region and priority (and per region, and overall, as "all"):
/// the mean and 95 % half-width of every case figure. For spreadsheets and pandas. The agent and
/// money figures are in render_regions_csv.
std::string render_summary_csv(const ExperimentResult &result);

/// Demand against the forecast as CSV: one row per region and week of the measured window, the
/// forecast, the simulated (or replayed) cases (mean and 95 % half-width over the replications)
/// and the variance (cases - forecast) / forecast.
std::string render_demand_csv(const Summary &summary);

/// The grains of the tidy interval files.
enum class Grain {
  interval, ///< intervals of the run's length (15, 30 or 60 minutes) of the region's local clock
  day,      ///< local calendar days
  week,     ///< DemandForecast's weeks: 7 days of UTC from the window's start
};

/// The file a grain is written to in `--out`: "intervals_15m.csv" (by the run's interval
/// length), "daily.csv", "weekly.csv".
std::string grain_file_name(const ExperimentResult &result, Grain grain);

/// One grain's tidy file: per region, channel (or `all`) and priority (or `all`) and interval
/// of the grain, in order, the mean and 95 % half-width of each figure of IntervalFigures; the
/// agent, backlog and money figures only on the `all,all` rows (docs/metrics.md, "Files").
std::string render_grain_csv(const ExperimentResult &result, Grain grain);

/// Per region (then `all`): the starting headcount and the mean and 95 % half-width of the
/// agent-and-money figures (utilisation, paid, overtime and idle hours, cost, cost per resolved
/// case, trigger firings).
std::string render_regions_csv(const ExperimentResult &result);

/// Per agent group (in scenario order): its region, tier and starting headcount, and the mean
/// and 95 % half-width of its utilisation, paid hours, overtime hours and cost.
std::string render_agents_csv(const ExperimentResult &result);

/// Every replication's own figures as CSV, one row per replication, region and priority.
std::string render_replications_csv(const ExperimentResult &result);

/// callcentre.csv: per region, synchronous channel (phone, chat) and interval of the region's
/// local time, the figures a call centre is judged by (docs/metrics.md), pooled over the
/// replications: counts per replication, rates as ratios of the summed counts.
std::string render_callcentre_csv(const ExperimentResult &result);

} // namespace supportsim::analysis
