#pragma once

// report.html: one self-contained page (no network; the charting libraries, Vega and Vega-Lite,
// are compiled into supportsim and inlined) with the run's charts and tables. What each chart
// shows: docs/metrics.md, "report.html".

#include "analysis/report/summary.hpp"
#include "analysis/run/experiment.hpp"
#include "analysis/sweep/sweep.hpp"
#include "analysis/variance/variance.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace supportsim::analysis {

/// One part of a page: a heading, a note in plain text, then a chart and/or a table.
struct HtmlSection {
  std::string id;         ///< the anchor, and the chart's element id: letters, digits, '-'
  std::string heading;    ///< plain text
  std::string note;       ///< plain text: what is shown and how to read it
  std::string chart_spec; ///< a Vega-Lite spec as JSON text, its data inline; empty for none
  std::string table_html; ///< a <table> built with html_escape()d text; empty for none
};

/// Text made safe inside HTML elements and attribute values (& < > " ' escaped).
std::string html_escape(std::string_view text);

/// A whole page: title, a header of plain-text lines, the sections in order with a table of
/// contents, the chart data, and the inlined libraries that draw the charts when it opens.
/// `datasets_json` is a JSON object of named data sets (arrays of rows) that the charts share:
/// a spec reads one with "data": {"name": "..."}; "{}" or empty for none.
/// Once drawn, the body carries data-status="ok" and data-charts="N" (N charts drawn); a
/// failure is shown at the top of the page and sets data-status="error".
std::string render_html_page(std::string_view title, const std::vector<std::string> &header,
                             const std::vector<HtmlSection> &sections,
                             std::string_view datasets_json, std::string_view version);

/// The run's report: a scorecard against the targets; SLA attainment by region and day against
/// the target; the backlog; utilisation against its goal; forecast against simulated per
/// region and week with the variance band and the flagged departures' causes; regional
/// consistency. Deterministic: the same result gives the same bytes.
std::string render_html_report(const Summary &summary, std::string_view version);

/// A sweep's report (report.html of `supportsim sweep --out`): cost against SLA attainment for
/// every option with the Pareto front marked (no other option is both cheaper and better),
/// each option's paired difference from the baseline, and a table of every option against
/// the targets. Deterministic.
std::string render_sweep_html(const SweepSummary &summary, std::string_view version);

/// The versions of the inlined libraries ("6.4.0"), for the page footer and `--version`.
std::string_view vega_version();
std::string_view vega_lite_version();

} // namespace supportsim::analysis
