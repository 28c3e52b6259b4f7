#pragma once

// How every report writes a number: percentages, money, durations, estimates, CSV fields and
// JSON numbers. The terminal table, JSON, CSV and HTML renderers of run, sweep, plan and
// forecast all format through these, so one figure reads the same wherever it is shown. Where
// two reports really write a figure differently (a share with one decimal in a table, a whole
// percentage inside a sentence), each way is its own named function here.

#include "analysis/metrics/statistics.hpp"
#include "sim/time.hpp"

#include <cmath>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace supportsim::analysis {

// --- For people (terminal tables, HTML) ---------------------------------------------------------

/// A rate as a percentage with one decimal and its 95 % half-width, "95.1% ± 0.4"; without a
/// half-width "95.1%"; "-" when undefined.
std::string format_percent(double mean, double half_width = NAN);
/// A share as a whole percentage inside a sentence, "31%" (variance causes).
std::string format_whole_percent(double share);
/// A signed change as a percentage, "+12.3%", "-4.0%", "0.0%" (never "-0.0%"); "-" when NaN.
std::string format_signed_percent(double x);
/// A goal or a limit given as a share, as the scenario states it: 0.95 -> "95%", 0.075 ->
/// "7.5%" (shortest form, no fixed decimals).
std::string format_goal(double share);
/// A difference of shares in percentage points with two decimals and its 95 % half-width,
/// "+0.85 ± 0.07"; without a half-width "+0.85"; "-" when undefined.
std::string format_points(double mean, double half_width = NAN);
/// A length of time given in minutes, in the unit that reads best: "4.2 min", "3.5 h", "2.1 d".
std::string format_minutes(double minutes);
/// A span in days, shortest form: "7", "0.5".
std::string format_days(sim::Duration span);
/// Money with two decimals, "41.37"; "-" when undefined.
std::string format_money(double x);
/// A sum of money in whole units with its 95 % half-width, "48211 ± 310"; without a
/// half-width "48211"; "-" when undefined.
std::string format_amount(const Estimate &e);
/// A signed change of money in whole units with its half-width, "+1210 ± 95"; without a
/// half-width "+1210"; "-" when undefined.
std::string format_signed_amount(const Estimate &e);
/// The items joined by `separator`: "a; b; c" (empty for none).
std::string join(const std::vector<std::string> &items, std::string_view separator);
/// `text` broken at spaces into lines of at most `width` characters (a longer word stands
/// alone), the first line starting with `indent`, the next ones with `indent` and two spaces;
/// each line ends with a newline.
std::string wrap_text(const std::string &text, std::size_t width, const std::string &indent);

// --- For files (CSV, JSON) ----------------------------------------------------------------------

/// Text as one CSV field (RFC 4180): quoted, with quotes doubled, when it holds a comma, a quote
/// or a line break; as it is otherwise.
std::string csv_field(std::string_view text);
/// A number as a CSV field: its shortest exact form ("0.95", "1e-05"), or empty when undefined
/// (NaN), which pandas and spreadsheets read as missing.
std::string csv_number(double x);
/// A JSON number, or null where undefined (NaN): JSON has no NaN, and Vega-Lite leaves nulls
/// out of a chart.
nlohmann::ordered_json json_number(double x);
/// An estimate as {"mean", "ci95", "n"} (summary.json, sweep.json).
nlohmann::ordered_json estimate_json(const Estimate &e);
/// An estimate as {"mean", "ci95"}, without the count (plan.json).
nlohmann::ordered_json mean_ci_json(const Estimate &e);

} // namespace supportsim::analysis
