#include "analysis/backtest/render.hpp"

#include "analysis/report/format.hpp"
#include "analysis/report/html_report.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace supportsim::analysis::backtest {

namespace {

using ordered_json = nlohmann::ordered_json;

enum class Unit : std::uint8_t { count, share, seconds, minutes, level };

Unit unit_of(std::size_t figure) {
  if (figure >= fixed_figures) return Unit::share;
  switch (static_cast<Figure>(figure)) {
  case Figure::offered:
  case Figure::answered:
  case Figure::abandoned:
    return Unit::count;
  case Figure::p_wait_zero:
  case Figure::p_abandon_queued:
  case Figure::occupancy:
  case Figure::service_level:
    return Unit::share;
  case Figure::asa:
  case Figure::mean_wait_queued:
    return Unit::seconds;
  case Figure::aht:
    return Unit::minutes;
  case Figure::backlog:
    return Unit::level;
  }
  return Unit::level;
}

/// A figure's value for people: "1,204", "93.1%", "41.2 s", "6.35 min", "3.4"; "-" if undefined.
std::string value_text(std::size_t figure, double x, bool mean = false) {
  if (std::isnan(x)) return "-";
  switch (unit_of(figure)) {
  case Unit::count:
    return mean ? fmt::format("{:.1f}", x) : fmt::format("{:.0f}", x);
  case Unit::share:
    return fmt::format("{:.1f}%", 100 * x);
  case Unit::seconds:
    return fmt::format("{:.1f} s", x);
  case Unit::minutes:
    return fmt::format("{:.2f} min", x);
  case Unit::level:
    return fmt::format("{:.1f}", x);
  }
  return "-";
}

std::string channel_name(std::size_t channel) {
  return channel == Figures::all_channels ? "all" : std::string(models::channel_names[channel]);
}

/// A score's name in the verdict: the figure, with the region and channel where the backtest
/// has more than one of them.
std::string score_name(const BacktestResult &r, const FigureScore &s) {
  std::size_t channels = 0;
  for (const FigureScore &o : r.score.overall)
    if (o.figure == 0) ++channels; // one "offered" per region and channel
  const bool by_channel = channels > r.regions.size() && s.channel != Figures::all_channels;
  return fmt::format("{}{}{}", r.regions.size() > 1 ? r.regions[s.region] + " " : "",
                     r.figures[s.figure],
                     by_channel ? fmt::format(" ({})", channel_name(s.channel)) : "");
}

std::string utc_text(sim::UtcTime t) {
  return sim::Clock(t).format_utc(sim::SimTime::zero());
}

/// How far outside its band an interval's actual lies, in band widths (0 inside).
double outside_by(const IntervalComparison &c) {
  if (std::isnan(c.actual) || std::isnan(c.simulated.mean)) return 0;
  // A band of no width (every replication alike) would make any miss infinitely far: measure
  // against a tenth of the figure at least.
  const double width =
      std::max({c.simulated.high - c.simulated.low, 0.1 * std::abs(c.simulated.mean), 1e-9});
  if (c.actual < c.simulated.low) return (c.simulated.low - c.actual) / width;
  if (c.actual > c.simulated.high) return (c.actual - c.simulated.high) / width;
  return 0;
}

/// Figures worth a line in the "worst intervals" list: those a planner is judged by.
bool judged(std::size_t figure) {
  if (figure >= fixed_figures) return true;
  switch (static_cast<Figure>(figure)) {
  case Figure::offered:
  case Figure::answered:
  case Figure::abandoned:
  case Figure::backlog:
    return false;
  default:
    return true;
  }
}

ordered_json number(double x) {
  return std::isnan(x) ? ordered_json() : ordered_json(x);
}

} // namespace

std::string verdict_line(const BacktestResult &r) {
  std::vector<std::string> good, bad;
  for (const FigureScore &s : r.score.overall) {
    const std::string name = score_name(r, s);
    if (s.reproduced)
      good.push_back(name);
    else
      bad.push_back(std::isnan(s.error) ? name : fmt::format("{} ({:+.1f}%)", name, 100 * s.error));
  }
  const auto list = [](const std::vector<std::string> &v) {
    return v.empty() ? std::string("none") : fmt::format("{}", fmt::join(v, ", "));
  };
  return fmt::format("reproduced within {:.0f}%: {}; not reproduced: {}", 100 * r.score.tolerance,
                     list(good), list(bad));
}

std::string render_backtest_table(const BacktestResult &r, const BacktestSources &sources,
                                  std::size_t worst) {
  std::string out;
  out += fmt::format("supportsim backtest · history {} · staffing {}\n", sources.history,
                     sources.staffing);
  out += fmt::format("{} cases · {} replications · seed {} · service {} · {}-minute intervals "
                     "in each region's local time\n",
                     r.cases, r.options.replications, r.options.seed,
                     r.actual_service ? "actual (each case's own handle time)" : "fitted",
                     r.options.interval_minutes);
  out += fmt::format("window {} to {} · band: 2.5-97.5% of replications · error: simulated mean "
                     "vs actual over the window\n\n",
                     utc_text(r.grid->window_start()), utc_text(r.grid->window_end()));
  out +=
      fmt::format("{:<8} {:<7} {:<26} {:>11} {:>11} {:>25} {:>8} {:>7} {:>8}\n", "region",
                  "channel", "figure", "actual", "simulated", "band", "error", "WAPE", "in band");
  for (const FigureScore &s : r.score.overall)
    out += fmt::format("{:<8} {:<7} {:<26} {:>11} {:>11} {:>25} {:>8} {:>7} {:>8}\n",
                       r.regions[s.region], channel_name(s.channel), r.figures[s.figure],
                       value_text(s.figure, s.actual), value_text(s.figure, s.simulated.mean, true),
                       fmt::format("{} - {}", value_text(s.figure, s.simulated.low, true),
                                   value_text(s.figure, s.simulated.high, true)),
                       std::isnan(s.error) ? "-" : fmt::format("{:+.1f}%", 100 * s.error),
                       std::isnan(s.wape) ? "-" : fmt::format("{:.1f}%", 100 * s.wape),
                       std::isnan(s.coverage) ? "-" : fmt::format("{:.0f}%", 100 * s.coverage));
  out += '\n';
  out += wrap_text(verdict_line(r), 100, "");
  for (const std::string &note : r.notes)
    out += wrap_text(fmt::format("note: {}", note), 100, "");

  std::vector<const IntervalComparison *> outside;
  for (const IntervalComparison &c : r.score.intervals)
    if (judged(c.figure) && outside_by(c) > 0) outside.push_back(&c);
  std::stable_sort(outside.begin(), outside.end(),
                   [](const auto *a, const auto *b) { return outside_by(*a) > outside_by(*b); });
  if (outside.empty() || worst == 0) return out;
  out += fmt::format("\nworst intervals (actual furthest outside the band; {} of {} outside):\n",
                     outside.size(), r.score.intervals.size());
  out += fmt::format("{:<17} {:<8} {:<7} {:<26} {:>11} {:>11} {:>25}\n", "local start", "region",
                     "channel", "figure", "actual", "simulated", "band");
  for (std::size_t k = 0; k < std::min(worst, outside.size()); ++k) {
    const IntervalComparison &c = *outside[k];
    out += fmt::format("{:<17} {:<8} {:<7} {:<26} {:>11} {:>11} {:>25}\n",
                       r.grid->local_label(c.region, c.interval), r.regions[c.region],
                       channel_name(c.channel), r.figures[c.figure], value_text(c.figure, c.actual),
                       value_text(c.figure, c.simulated.mean, true),
                       fmt::format("{} - {}", value_text(c.figure, c.simulated.low, true),
                                   value_text(c.figure, c.simulated.high, true)));
  }
  return out;
}

std::string render_backtest_csv(const BacktestResult &r) {
  std::string out = "interval_start_local,interval_start_utc,region,channel,metric,actual,"
                    "simulated,band_low,band_high\n";
  for (const IntervalComparison &c : r.score.intervals)
    out += fmt::format("{},{},{},{},{},{},{},{},{}\n", r.grid->local_label(c.region, c.interval),
                       utc_text(r.grid->start_of(c.region, c.interval)),
                       csv_field(r.regions[c.region]), channel_name(c.channel), r.figures[c.figure],
                       csv_number(c.actual), csv_number(c.simulated.mean),
                       csv_number(c.simulated.low), csv_number(c.simulated.high));
  return out;
}

namespace {

ordered_json overall_json(const BacktestResult &r) {
  ordered_json rows = ordered_json::array();
  for (const FigureScore &s : r.score.overall)
    rows.push_back({{"region", r.regions[s.region]},
                    {"channel", channel_name(s.channel)},
                    {"metric", r.figures[s.figure]},
                    {"actual", number(s.actual)},
                    {"simulated",
                     {{"mean", number(s.simulated.mean)},
                      {"band_low", number(s.simulated.low)},
                      {"band_high", number(s.simulated.high)}}},
                    {"error", number(s.error)},
                    {"bias", number(s.bias)},
                    {"wape", number(s.wape)},
                    {"coverage", number(s.coverage)},
                    {"intervals", s.intervals},
                    {"reproduced", s.reproduced}});
  return rows;
}

ordered_json intervals_json(const BacktestResult &r) {
  ordered_json rows = ordered_json::array();
  for (const IntervalComparison &c : r.score.intervals)
    rows.push_back({{"interval_start_local", r.grid->local_label(c.region, c.interval)},
                    {"interval_start_utc", utc_text(r.grid->start_of(c.region, c.interval))},
                    {"region", r.regions[c.region]},
                    {"channel", channel_name(c.channel)},
                    {"metric", r.figures[c.figure]},
                    {"actual", number(c.actual)},
                    {"simulated", number(c.simulated.mean)},
                    {"band_low", number(c.simulated.low)},
                    {"band_high", number(c.simulated.high)}});
  return rows;
}

} // namespace

std::string render_backtest_json(const BacktestResult &r, const BacktestSources &sources,
                                 std::string_view version) {
  ordered_json doc;
  doc["supportsim"] = std::string(version);
  doc["backtest"] = {{"history", sources.history},
                     {"staffing", sources.staffing},
                     {"scenario", sources.scenario},
                     {"cases", r.cases},
                     {"replications", r.options.replications},
                     {"seed", r.options.seed},
                     {"service", r.actual_service ? "actual" : "fitted"},
                     {"interval_minutes", r.options.interval_minutes},
                     {"sl_seconds", r.options.figures.sl_seconds},
                     {"tolerance", r.score.tolerance},
                     {"window_start_utc", utc_text(r.grid->window_start())},
                     {"window_end_utc", utc_text(r.grid->window_end())}};
  doc["verdict"] = verdict_line(r);
  doc["notes"] = r.notes;
  doc["overall"] = overall_json(r);
  doc["intervals"] = intervals_json(r);
  return doc.dump(2) + "\n";
}

namespace {

/// Actual against simulated over the intervals for one figure: the band as an area, the
/// simulated mean as a line, the actual as points joined by a line.
ordered_json figure_chart(const std::string &metric, bool share) {
  const ordered_json x = {{"field", "interval_start_local"},
                          {"type", "temporal"},
                          {"title", "interval start (local time)"}};
  const ordered_json y_format = share ? ordered_json{{"format", ".0%"}} : ordered_json::object();
  ordered_json y = {{"type", "quantitative"}, {"title", metric}, {"axis", y_format}};
  ordered_json y_actual = y, y_mean = y, y_low = y;
  y_actual["field"] = "actual";
  y_mean["field"] = "simulated";
  y_low["field"] = "band_low";
  const ordered_json filter = {{"filter", fmt::format("datum.metric == '{}'", metric)}};
  return {{"width", "container"},
          {"height", 220},
          {"data", {{"name", "intervals"}}},
          {"transform", {filter}},
          {"layer",
           {{{"mark", {{"type", "area"}, {"opacity", 0.2}, {"color", "#4c78a8"}}},
             {"encoding", {{"x", x}, {"y", y_low}, {"y2", {{"field", "band_high"}}}}}},
            {{"mark", {{"type", "line"}, {"color", "#4c78a8"}, {"strokeWidth", 1.5}}},
             {"encoding", {{"x", x}, {"y", y_mean}}}},
            {{"mark",
              {{"type", "line"},
               {"color", "#e45756"},
               {"strokeWidth", 1.2},
               {"point", {{"size", 14}, {"color", "#e45756"}}}}},
             {"encoding",
              {{"x", x},
               {"y", y_actual},
               {"tooltip",
                {{{"field", "interval_start_local"}, {"title", "local"}},
                 {{"field", "region"}},
                 {{"field", "channel"}},
                 {{"field", "actual"}, {"format", ".4~g"}},
                 {{"field", "simulated"}, {"format", ".4~g"}},
                 {{"field", "band_low"}, {"format", ".4~g"}},
                 {{"field", "band_high"}, {"format", ".4~g"}}}}}}}}}};
}

ordered_json scatter_chart() {
  return {
      {"width", "container"},
      {"height", 320},
      {"data", {{"name", "intervals"}}},
      {"transform",
       {{{"filter", "datum.actual != null && datum.simulated != null && "
                    "(datum.metric == 'p_abandon_queued' || "
                    "datum.metric == 'p_wait_zero' || "
                    "indexof(datum.metric, 'sl_') == 0)"}}}},
      {"layer",
       {{{"mark", {{"type", "point"}, {"filled", true}, {"size", 24}, {"opacity", 0.6}}},
         {"encoding",
          {{"x", {{"field", "actual"}, {"type", "quantitative"}, {"axis", {{"format", ".0%"}}}}},
           {"y", {{"field", "simulated"}, {"type", "quantitative"}, {"axis", {{"format", ".0%"}}}}},
           {"color", {{"field", "metric"}, {"type", "nominal"}}},
           {"tooltip",
            {{{"field", "interval_start_local"}, {"title", "local"}},
             {{"field", "metric"}},
             {{"field", "actual"}, {"format", ".1%"}},
             {{"field", "simulated"}, {"format", ".1%"}}}}}}},
        {{"data", {{"values", {{{"v", 0}}, {{"v", 1}}}}}},
         {"mark", {{"type", "line"}, {"color", "#9aa5b1"}, {"strokeDash", {4, 3}}}},
         {"encoding",
          {{"x", {{"field", "v"}, {"type", "quantitative"}}},
           {"y", {{"field", "v"}, {"type", "quantitative"}}}}}}}}};
}

std::string overall_table_html(const BacktestResult &r) {
  std::string t = "<table><thead><tr><th>region</th><th>channel</th><th>figure</th>"
                  "<th>actual</th><th>simulated</th><th>band</th><th>error</th><th>WAPE</th>"
                  "<th>in band</th><th>reproduced</th></tr></thead><tbody>";
  for (const FigureScore &s : r.score.overall)
    t += fmt::format(
        "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{} – {}</td><td>{}</td>"
        "<td>{}</td><td>{}</td><td>{}</td></tr>",
        html_escape(r.regions[s.region]), channel_name(s.channel), r.figures[s.figure],
        value_text(s.figure, s.actual), value_text(s.figure, s.simulated.mean, true),
        value_text(s.figure, s.simulated.low, true), value_text(s.figure, s.simulated.high, true),
        std::isnan(s.error) ? "-" : fmt::format("{:+.1f}%", 100 * s.error),
        std::isnan(s.wape) ? "-" : fmt::format("{:.1f}%", 100 * s.wape),
        std::isnan(s.coverage) ? "-" : fmt::format("{:.0f}%", 100 * s.coverage),
        s.reproduced ? "yes" : "no");
  t += "</tbody></table>";
  return t;
}

} // namespace

std::string render_backtest_html(const BacktestResult &r, const BacktestSources &sources,
                                 std::string_view version) {
  std::vector<HtmlSection> sections;
  sections.push_back({"verdict", "Actual against simulated, over the window", verdict_line(r), "",
                      overall_table_html(r)});
  for (std::size_t f = 0; f < r.figures.size(); ++f) {
    if (static_cast<Figure>(f) == Figure::answered || static_cast<Figure>(f) == Figure::abandoned)
      continue;
    const bool share = unit_of(f) == Unit::share;
    sections.push_back({fmt::format("figure-{}", r.figures[f]), r.figures[f],
                        "Per interval of local time: the actual figure (red) against the "
                        "simulated mean (blue line) and its 95% band over replications (blue "
                        "area).",
                        figure_chart(r.figures[f], share).dump(), ""});
  }
  sections.push_back({"scatter", "Simulated against actual, every interval",
                      "Each point is one interval's rate (P(wait = 0), P(abandon | queued), "
                      "service levels): on the dashed diagonal the simulation is exact.",
                      scatter_chart().dump(), ""});
  ordered_json datasets;
  datasets["intervals"] = intervals_json(r);
  const std::vector<std::string> header{
      fmt::format("history {} · staffing {}", sources.history, sources.staffing),
      fmt::format("{} cases · {} replications · service {} · {}-minute intervals", r.cases,
                  r.options.replications, r.actual_service ? "actual" : "fitted",
                  r.options.interval_minutes)};
  return render_html_page("supportsim backtest", header, sections, datasets.dump(), version);
}

} // namespace supportsim::analysis::backtest
