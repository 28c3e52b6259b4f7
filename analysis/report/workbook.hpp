#pragma once

// results.xlsx: the run's tables as one Excel workbook for planners (docs/metrics.md, "Files").
// The sheets are made from the very CSV text the run writes, so each table has one source and
// the workbook holds the same numbers as the CSV files of the same run; a column's format comes
// from its name (column_kind), so whatever columns the CSV renderers write, the sheets follow.

#include "analysis/output/output.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace supportsim::analysis {

struct Summary;

/// What a CSV column holds, and so how its cells are formatted in the workbook.
enum class ColumnKind {
  text,    ///< as written (names, yes/no, causes)
  time,    ///< an ISO 8601 instant or local time ("2027-01-11T00:00:00Z"): an Excel date-time
  number,  ///< a plain number (week, replication, FTE)
  count,   ///< cases, agents, firings: thousands separated
  share,   ///< a fraction shown as a percentage (0.95 -> 95.0%)
  change,  ///< a signed relative change shown as a signed percentage (+3.1%)
  minutes, ///< a duration in minutes ("4.2 min")
  hours,   ///< a duration in hours ("3.5 h")
  seconds, ///< a duration in seconds ("74 s")
  money,   ///< the scenario's currency, two decimals
};

/// The kind of a column by its name (docs/metrics.md, "results.xlsx"): a `_mean` or `_ci95`
/// suffix is dropped first (a half-width is in the figure's unit), then: `*_utc`, `*_local` ->
/// time; `variance` -> change; `*_minutes` -> minutes; `*_hours` -> hours; `*_seconds` ->
/// seconds; `cost*` -> money; a rate (`sla_attainment*`, `abandonment`, `utilisation`,
/// `occupancy`, `*_rate`, `p_*`, `sl_<T>s`, `*_share`) -> share; a count (`offered`, `answered`,
/// `abandoned`, `resolved`, `open_at_end`, `backlog`, `cases`, `forecast`, `headcount`,
/// `agents`, `trigger_firings`, `volume`, `handled`) -> count; else number (text where a cell is
/// not a number).
ColumnKind column_kind(std::string_view column);

/// One sheet: a name and the CSV text of the table it shows, optionally only the rows whose
/// `filter_column` equals `filter_value` (intervals.csv's hour, day or week rows).
struct WorkbookSheet {
  std::string name;     ///< "Intervals" (at most 31 characters, Excel's limit)
  std::string csv_name; ///< the file it comes from, "intervals.csv" (for errors)
  std::string_view csv; ///< the file's text, as written beside the workbook
  std::string filter_column, filter_value;
};

/// The sheets of results.xlsx from the files of one run, in this order: Scorecard
/// (scorecard.csv), Intervals, Daily, Weekly, Agents (agents.csv), Variance (variance.csv).
/// Intervals, Daily and Weekly are intervals_*.csv, daily.csv and weekly.csv where the run
/// writes them, else the hour, day and week rows of intervals.csv. A sheet whose file is not
/// among `files` is left out. The views point into `files`, which must outlive them.
std::vector<WorkbookSheet> workbook_sheets(const NamedFiles &files);

/// results.xlsx as bytes: per sheet a bold header row, frozen, with an autofilter over the
/// table; column widths to the content; every cell formatted by column_kind (a `unit` column
/// sets the kind of `goal` and `value_*` on its row, a `figure` column that of `forecast` and
/// `simulated_*`); misses against `summary`'s goals filled red (a verdict `miss`, a variance
/// `flagged`, an SLA attainment below its goal, a utilisation below the target, a |variance|
/// above forecast_variance_max). The same sheets and summary give the same bytes: the document's
/// creation time is fixed (2000-01-01T00:00:00Z), not the clock's. OutputError if it cannot be
/// made (no space for the temporary file libxlsxwriter writes).
std::string render_workbook(const std::vector<WorkbookSheet> &sheets, const Summary &summary);

} // namespace supportsim::analysis
