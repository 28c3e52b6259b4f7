#include "analysis/report/html_report.hpp"

#include "analysis/forecast/capacity.hpp"
#include "analysis/report/format.hpp"
#include "analysis/report/report.hpp"
#include "analysis/report/scorecard.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <fmt/format.h>
#include <map>
#include <nlohmann/json.hpp>
#include <stdexcept>

namespace supportsim::analysis {

// Compiled in by analysis/CMakeLists.txt (cmake/embed.cmake): the page template and the
// charting libraries with their licences, from analysis/report/html/ and its npm packages.
std::string_view html_template_text();
std::string_view vega_script_text();
std::string_view vega_lite_script_text();
std::string_view vega_licence_text();
std::string_view vega_lite_licence_text();

std::string_view vega_version() {
  return SUPPORTSIM_VEGA_VERSION;
}
std::string_view vega_lite_version() {
  return SUPPORTSIM_VEGA_LITE_VERSION;
}

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
    case '&':
      out += "&amp;";
      break;
    case '<':
      out += "&lt;";
      break;
    case '>':
      out += "&gt;";
      break;
    case '"':
      out += "&quot;";
      break;
    case '\'':
      out += "&#39;";
      break;
    default:
      out += c;
    }
  }
  return out;
}

namespace {

using nlohmann::ordered_json;

/// A bundled script without its trailing source-map comment (the map is not shipped, and a
/// browser's developer tools would try to fetch it). The bundles must not contain "</script",
/// which would end the element early; a test checks the page for exactly the expected tags.
std::string_view without_source_map(std::string_view script) {
  const std::size_t at = script.rfind("//# sourceMappingURL=");
  return at == std::string_view::npos ? script : script.substr(0, at);
}

/// JSON for a <script type="application/json"> element: every '<' written as \u003c, so that
/// no text in the data ("</script>" in a scenario's name) can end the element.
std::string json_for_script(const ordered_json &j) {
  const std::string text = j.dump();
  std::string out;
  out.reserve(text.size());
  for (char c : text)
    if (c == '<')
      out += "\\u003c";
    else
      out += c;
  return out;
}

/// Replaces each @@NAME@@ marker of `page` by its value, in one pass over the template (so a
/// value that happens to contain "@@" is left alone). An unknown marker is a bug: it throws.
std::string fill(std::string_view page, const std::map<std::string, std::string_view> &values) {
  std::string out;
  std::size_t at = 0;
  while (true) {
    const std::size_t open = page.find("@@", at);
    if (open == std::string_view::npos) break;
    const std::size_t close = page.find("@@", open + 2);
    if (close == std::string_view::npos) break;
    const std::string name(page.substr(open + 2, close - open - 2));
    const auto value = values.find(name);
    if (value == values.end())
      throw std::logic_error("report.html template: no value for @@" + name + "@@");
    out.append(page.substr(at, open - at));
    out.append(value->second);
    at = close + 2;
  }
  out.append(page.substr(at));
  return out;
}

std::vector<std::string> region_names(const ExperimentResult &r) {
  std::vector<std::string> names;
  if (!r.replications.empty())
    for (const RegionFigures &q : r.replications[0].regions)
      names.push_back(q.name);
  return names;
}

/// The colour of each region, the same in every chart: a fixed domain in scenario order.
ordered_json region_colour(const std::vector<std::string> &regions) {
  return {{"field", "region"},
          {"type", "nominal"},
          {"title", "region"},
          {"scale", {{"domain", regions}}}};
}

ordered_json utc_time_axis(const char *field) {
  return {{"field", field},
          {"type", "temporal"},
          {"title", nullptr},
          {"scale", {{"type", "utc"}}},
          // At least a day between ticks: a short window would otherwise write each date
          // under several ticks.
          {"axis", {{"format", "%d %b"}, {"labelOverlap", true}, {"tickMinStep", 86400000}}}};
}

/// A rate on a y or x axis, as percentages; `title` null for none. The format names no
/// precision, so that the ticks take as many decimals as their step needs (".1%" wrote "95.3%"
/// under several ticks when options differed by hundredths of a point).
ordered_json percent_axis(const char *field, const char *title) {
  return {{"field", field},
          {"type", "quantitative"},
          {"title", title ? ordered_json(title) : ordered_json(nullptr)},
          {"scale", {{"zero", false}}},
          {"axis", {{"format", "%"}}}};
}

ordered_json tooltip(std::initializer_list<std::pair<const char *, const char *>> fields) {
  ordered_json list = ordered_json::array();
  for (const auto &[field, format] : fields) {
    ordered_json f = {{"field", field}};
    if (std::string_view(format) == "utc")
      f.update({{"type", "temporal"}, {"format", "%Y-%m-%d %H:%M UTC"}, {"formatType", "utc"}});
    else if (*format)
      f.update({{"type", "quantitative"}, {"format", format}});
    list.push_back(std::move(f));
  }
  return list;
}

/// The day-by-day series of each region: SLA attainment (with its interval), backlog and
/// utilisation, one row per region and day.
ordered_json daily_rows(const ExperimentResult &r) {
  ordered_json rows = ordered_json::array();
  if (r.replications.empty()) return rows;
  const std::size_t regions = r.replications[0].regions.size();
  for (std::size_t q = 0; q < regions; ++q)
    for (std::size_t k = 0; k < r.replications[0].regions[q].days.size(); ++k) {
      auto est = [&](double IntervalFigures::*member) {
        return across(
            r, [&](const ReplicationFigures &rep) { return rep.regions[q].days[k].*member; });
      };
      const Estimate sla = est(&IntervalFigures::sla_attainment);
      const Estimate utilisation = est(&IntervalFigures::utilisation);
      const double half = std::isnan(sla.half_width) ? 0 : sla.half_width;
      rows.push_back(
          {{"region", r.replications[0].regions[q].name},
           // The region's local date, as midnight UTC so the chart's day axis shows it.
           {"day", r.replications[0].regions[q].day_labels[k].substr(0, 10) + "T00:00:00Z"},
           {"cases", json_number(est(&IntervalFigures::offered).mean)},
           {"sla", json_number(sla.mean)},
           {"sla_lo", json_number(std::isnan(sla.mean) ? NAN : std::max(0.0, sla.mean - half))},
           {"sla_hi", json_number(std::isnan(sla.mean) ? NAN : std::min(1.0, sla.mean + half))},
           {"backlog", json_number(est(&IntervalFigures::backlog).mean)},
           {"backlog_age_hours", json_number(est(&IntervalFigures::backlog_age_hours).mean)},
           {"utilisation", json_number(utilisation.mean)}});
    }
  return rows;
}

ordered_json sla_chart(const Summary &summary) {
  const std::vector<std::string> regions = region_names(summary.run);
  const std::vector<double> &goals = summary.mixed_sla_goal;
  ordered_json goal_rows = ordered_json::array();
  for (std::size_t q = 0; q < regions.size(); ++q)
    goal_rows.push_back({{"region", regions[q]}, {"goal", json_number(goals[q])}});
  const ordered_json x = utc_time_axis("day");
  return {{"width", "container"},
          {"height", 280},
          {"layer",
           // The line first, so that the legend shows its full colours, not the band's.
           {{{"data", {{"name", "days"}}},
             {"mark", {{"type", "line"}, {"strokeWidth", 1.5}}},
             {"encoding",
              {{"x", x},
               {"y", percent_axis("sla", "SLA attainment")},
               {"color", region_colour(regions)},
               {"tooltip", tooltip({{"region", ""},
                                    {"day", "utc"},
                                    {"sla", ".1%"},
                                    {"sla_lo", ".1%"},
                                    {"sla_hi", ".1%"},
                                    {"cases", ".0f"}})}}}},
            {{"data", {{"name", "days"}}},
             {"mark", {{"type", "area"}, {"opacity", 0.15}}},
             {"encoding",
              {{"x", x},
               {"y", percent_axis("sla_lo", "SLA attainment")},
               {"y2", {{"field", "sla_hi"}}},
               {"color", region_colour(regions)}}}},
            {{"data", {{"values", goal_rows}}},
             {"mark", {{"type", "rule"}, {"strokeDash", {6, 4}}, {"strokeWidth", 1.5}}},
             {"encoding",
              {{"y", {{"field", "goal"}, {"type", "quantitative"}}},
               {"color", region_colour(regions)},
               {"tooltip", tooltip({{"region", ""}, {"goal", ".1%"}})}}}}}}};
}

ordered_json backlog_chart(const ExperimentResult &r) {
  return {{"width", "container"},
          {"height", 240},
          {"data", {{"name", "days"}}},
          {"mark", {{"type", "line"}, {"strokeWidth", 1.5}}},
          {"encoding",
           {{"x", utc_time_axis("day")},
            {"y", {{"field", "backlog"}, {"type", "quantitative"}, {"title", "open cases"}}},
            {"color", region_colour(region_names(r))},
            {"tooltip", tooltip({{"region", ""},
                                 {"day", "utc"},
                                 {"backlog", ".0f"},
                                 {"backlog_age_hours", ".1f"}})}}}};
}

ordered_json utilisation_chart(const ExperimentResult &r) {
  return {{"width", "container"},
          {"height", 240},
          {"layer",
           {{{"data", {{"name", "days"}}},
             {"mark", {{"type", "line"}, {"strokeWidth", 1.5}}},
             {"encoding",
              {{"x", utc_time_axis("day")},
               {"y", percent_axis("utilisation", "utilisation")},
               {"color", region_colour(region_names(r))},
               {"tooltip", tooltip({{"region", ""}, {"day", "utc"}, {"utilisation", ".1%"}})}}}},
            {{"data", {{"values", {{{"goal", r.scenario.sla.utilisation_target}}}}}},
             {"mark", {{"type", "rule"}, {"strokeDash", {6, 4}}, {"color", "#616e7c"}}},
             {"encoding",
              {{"y", {{"field", "goal"}, {"type", "quantitative"}}},
               {"tooltip", tooltip({{"goal", ".0%"}})}}}}}}};
}

constexpr std::array<std::string_view, variance_figure_count> variance_figure_titles{
    "volume (cases)", "handled (cases)", "SLA attainment", "utilisation", "workload (FTE)"};

/// Whether a variance figure is a rate (SLA attainment, utilisation), whose departure from the
/// forecast reads in percentage points; the others are counts, read as a relative variance.
bool is_rate(VarianceFigure f) {
  return f == VarianceFigure::sla || f == VarianceFigure::utilisation;
}

/// A row's departure from the forecast as a planner reads it: a rate's difference in percentage
/// points ("-23.8 pp"), a count's relative variance ("+12.3%").
std::string departure_text(const VarianceRow &row) {
  if (is_rate(row.figure))
    return std::isnan(row.forecast) || std::isnan(row.simulated.mean)
               ? std::string("-")
               : fmt::format("{:+.1f} pp", 100 * (row.simulated.mean - row.forecast));
  return format_signed_percent(row.variance);
}

ordered_json variance_chart(const ExperimentResult &r, const VarianceReport &v) {
  const sim::Clock clock(r.scenario.organisation.start);
  ordered_json rows = ordered_json::array();
  for (const VarianceRow &row : v.rows) {
    const double half = std::isnan(row.simulated.half_width) ? 0 : row.simulated.half_width;
    rows.push_back({{"region", v.regions[row.region]},
                    {"figure", variance_figure_titles[static_cast<std::size_t>(row.figure)]},
                    {"week", row.week + 1},
                    {"week_start", clock.format_utc(v.week_starts[row.week])},
                    {"forecast", json_number(row.forecast)},
                    {"band_lo", json_number(row.forecast * (1 - v.threshold))},
                    {"band_hi", json_number(row.forecast * (1 + v.threshold))},
                    {"simulated", json_number(row.simulated.mean)},
                    {"simulated_lo", json_number(row.simulated.mean - half)},
                    {"simulated_hi", json_number(row.simulated.mean + half)},
                    {"variance", json_number(row.variance)},
                    {"departure", departure_text(row)},
                    {"status", row.flagged ? "flagged" : "within the band"}});
  }
  const ordered_json x = {{"field", "week"},
                          {"type", "quantitative"},
                          {"title", "week"},
                          {"axis", {{"tickMinStep", 1}, {"format", "d"}}}};
  auto y = [](const char *field) {
    return ordered_json{{"field", field},
                        {"type", "quantitative"},
                        {"title", nullptr},
                        {"scale", {{"zero", false}}}};
  };
  ordered_json sort = ordered_json::array();
  for (std::string_view t : variance_figure_titles)
    sort.push_back(t);
  return {
      {"data", {{"values", rows}}},
      {"facet",
       {{"row",
         {{"field", "figure"},
          {"type", "nominal"},
          {"sort", sort},
          {"title", nullptr},
          {"header", {{"labelAngle", 0}, {"labelAlign", "left"}, {"labelFontWeight", "bold"}}}}},
        {"column",
         {{"field", "region"},
          {"type", "nominal"},
          {"sort", v.regions},
          {"title", nullptr},
          {"header", {{"labelFontWeight", "bold"}}}}}}},
      {"spec",
       {{"width", 250},
        {"height", 110},
        {"layer",
         {{{"mark", {{"type", "area"}, {"opacity", 0.18}, {"color", "#4c78a8"}}},
           {"encoding", {{"x", x}, {"y", y("band_lo")}, {"y2", {{"field", "band_hi"}}}}}},
          {{"mark", {{"type", "line"}, {"strokeDash", {4, 3}}, {"color", "#4c78a8"}}},
           {"encoding", {{"x", x}, {"y", y("forecast")}}}},
          {{"mark", {{"type", "rule"}, {"color", "#616e7c"}}},
           {"encoding", {{"x", x}, {"y", y("simulated_lo")}, {"y2", {{"field", "simulated_hi"}}}}}},
          {{"mark", {{"type", "point"}, {"filled", true}, {"size", 36}}},
           {"encoding",
            {{"x", x},
             {"y", y("simulated")},
             {"color",
              {{"field", "status"},
               {"type", "nominal"},
               {"title", nullptr},
               {"legend", {{"orient", "top"}}},
               {"scale",
                {{"domain", {"within the band", "flagged"}}, {"range", {"#1f2933", "#b42318"}}}}}},
             {"tooltip", tooltip({{"region", ""},
                                  {"figure", ""},
                                  {"week", ""},
                                  {"week_start", "utc"},
                                  {"forecast", ".4~g"},
                                  {"simulated", ".4~g"},
                                  {"departure", ""}})}}}}}}}},
      {"resolve", {{"scale", {{"y", "independent"}}}}}};
}

ordered_json consistency_chart(const Summary &summary) {
  const double max = summary.run.scenario.sla.regional_spread_max;
  ordered_json rows = ordered_json::array();
  for (const RegionalSpread &s : summary.spread)
    rows.push_back({{"figure", s.figure},
                    {"cv", json_number(s.cv)},
                    {"status", s.above_goal ? "above the goal" : "within"}});
  return {
      {"width", "container"},
      {"height", 200},
      {"layer",
       {{{"data", {{"values", rows}}},
         {"mark", {{"type", "bar"}}},
         {"encoding",
          {{"y", {{"field", "figure"}, {"type", "nominal"}, {"title", nullptr}, {"sort", nullptr}}},
           {"x",
            {{"field", "cv"},
             {"type", "quantitative"},
             {"title", "coefficient of variation across regions"},
             {"axis", {{"format", "%"}}}}},
           {"color",
            {{"field", "status"},
             {"type", "nominal"},
             {"title", nullptr},
             {"scale",
              {{"domain", {"within", "above the goal"}}, {"range", {"#4c78a8", "#b42318"}}}}}},
           {"tooltip", tooltip({{"figure", ""}, {"cv", ".1%"}})}}}},
        {{"data", {{"values", {{{"goal", max}}}}}},
         {"mark", {{"type", "rule"}, {"strokeDash", {6, 4}}, {"color", "#1f2933"}}},
         {"encoding",
          {{"x", {{"field", "goal"}, {"type", "quantitative"}}},
           {"tooltip", tooltip({{"goal", ".0%"}})}}}}}}};
}

// --- The interval charts: the heatmap and staffing against the requirement -----------------------
//
// Each chart's data come from one function (heatmap_data, staffing_data) that lays the run's
// finest local-time figures on a grid of local days x intervals of the day; the charts only
// read that grid.

/// A value rounded for the page: `decimals` digits after the point (JSON prints the shortest
/// form, "0.953"), null where undefined.
ordered_json rounded(double x, int decimals) {
  if (!std::isfinite(x)) return nullptr;
  const double scale = std::pow(10.0, decimals);
  return std::round(x * scale) / scale;
}

/// A weighted mean built up piece by piece: undefined until something with weight is added.
struct WeightedMean {
  double sum = 0, weight = 0;
  void add(double value, double w) {
    if (w > 0 && std::isfinite(value)) {
      sum += value * w;
      weight += w;
    }
  }
  double value() const { return weight > 0 ? sum / weight : NAN; }
};

/// The mean over replications of a figure, leaving out those where it is undefined.
struct ReplicationMean {
  double sum = 0;
  int n = 0;
  void add(double x) {
    if (std::isfinite(x)) {
      sum += x;
      ++n;
    }
  }
  double value() const { return n > 0 ? sum / n : NAN; }
};

/// A region's local time as the interval charts' grid: its local days in order and, for each
/// interval of the sink's local clock (RegionFigures::intervals), where it goes.
struct LocalGrid {
  int minutes = 15;              ///< the intervals' length
  std::size_t per_day = 96;      ///< intervals in a local day of 24 hours
  std::vector<std::string> days; ///< "2027-01-11", in order
  struct Slot {
    std::size_t day = 0;      ///< into days
    std::size_t of_day = 0;   ///< the interval of the local day, from midnight
    std::size_t utc_hour = 0; ///< the hour of the window it starts in (the hourly forecast's)
  };
  std::vector<Slot> slots; ///< one per interval of RegionFigures::intervals
};

/// The grid of region `q` of replication 0: the sink's local intervals ("2027-01-11T09:15"
/// labels; the night the clocks go back has two intervals with one label, which share a cell).
LocalGrid local_grid(const ExperimentResult &r, std::size_t q) {
  LocalGrid grid;
  const ReplicationFigures &first = r.replications[0];
  const RegionFigures &region = first.regions[q];
  grid.minutes = first.interval_minutes;
  grid.per_day = static_cast<std::size_t>(24 * 60 / grid.minutes);
  const sim::UtcTime window_start =
      sim::Clock(r.scenario.organisation.start).to_utc(sim::SimTime::zero() + r.scenario.warmup);
  for (std::size_t i = 0; i < region.interval_labels.size(); ++i) {
    const std::string &label = region.interval_labels[i];
    const std::string day = label.substr(0, 10);
    if (grid.days.empty() || grid.days.back() != day) grid.days.push_back(day);
    const int minute_of_day = std::stoi(label.substr(11, 2)) * 60 + std::stoi(label.substr(14, 2));
    const auto since_start = region.interval_starts[i] - window_start;
    const auto utc_hour = std::chrono::floor<std::chrono::hours>(since_start).count();
    grid.slots.push_back({grid.days.size() - 1,
                          static_cast<std::size_t>(minute_of_day / grid.minutes),
                          static_cast<std::size_t>(std::max<std::int64_t>(0, utc_hour))});
  }
  return grid;
}

/// Per cell of a grid (day-major), one figure's weighted means in one replication, and their
/// mean over the replications.
class GridFigure {
public:
  explicit GridFigure(std::size_t cells) : in_replication_(cells), over_replications_(cells) {}
  void add(std::size_t cell, double value, double weight) {
    in_replication_[cell].add(value, weight);
  }
  /// Closes one replication: its cells' values join the means over replications.
  void end_replication() {
    for (std::size_t c = 0; c < in_replication_.size(); ++c) {
      over_replications_[c].add(in_replication_[c].value());
      in_replication_[c] = {};
    }
  }
  /// The cells of day `d`, rounded for the page.
  ordered_json day(std::size_t d, std::size_t per_day, int decimals) const {
    ordered_json values = ordered_json::array();
    for (std::size_t i = 0; i < per_day; ++i)
      values.push_back(rounded(over_replications_[d * per_day + i].value(), decimals));
    return values;
  }

private:
  std::vector<WeightedMean> in_replication_;
  std::vector<ReplicationMean> over_replications_;
};

/// The channels the heatmap offers: every channel together, then each channel alone.
std::vector<std::string> heatmap_channels() {
  std::vector<std::string> names{"all channels"};
  for (std::string_view c : models::channel_names)
    names.emplace_back(c);
  return names;
}

/// The heatmap's data: one row per region, channel and local day, with each figure as an array
/// over the intervals of the day (null where no case arrived): "sla" (first response within the
/// priority's target), "asa" (seconds), "abandonment", and for all channels "occupancy" (the
/// region's agents', whatever the channel; an empty array for one channel). Means over the
/// replications.
struct HeatmapData {
  int minutes = 15;
  std::size_t days = 0; ///< local days of the region with the most
  ordered_json rows = ordered_json::array();
};

HeatmapData heatmap_data(const ExperimentResult &r) {
  HeatmapData out;
  if (r.replications.empty()) return out;
  const ReplicationFigures &first = r.replications[0];
  const std::vector<std::string> channels = heatmap_channels();
  for (std::size_t q = 0; q < first.regions.size(); ++q) {
    const LocalGrid grid = local_grid(r, q);
    out.minutes = grid.minutes;
    out.days = std::max(out.days, grid.days.size());
    const std::size_t cells = grid.days.size() * grid.per_day;
    for (std::size_t c = 0; c < channels.size(); ++c) {
      GridFigure sla(cells), asa(cells), abandonment(cells), occupancy(cells);
      for (const ReplicationFigures &rep : r.replications) {
        const RegionFigures &region = rep.regions[q];
        for (std::size_t s = 0; s < grid.slots.size() && s < region.intervals.size(); ++s) {
          const LocalGrid::Slot &slot = grid.slots[s];
          const std::size_t cell = slot.day * grid.per_day + slot.of_day;
          const IntervalFigures &i = region.intervals[s];
          if (c == 0) {
            sla.add(cell, i.sla_attainment, i.offered);
            asa.add(cell, 60 * i.asa, i.answered);
            abandonment.add(cell, i.abandonment, i.offered);
            occupancy.add(cell, i.utilisation, i.available_hours);
          } else {
            const IntervalCaseFigures &f = i.by_channel[c - 1];
            sla.add(cell, f.sla_attainment, f.offered);
            asa.add(cell, 60 * f.asa, f.answered);
            abandonment.add(cell, f.abandonment, f.offered);
          }
        }
        for (GridFigure *f : {&sla, &asa, &abandonment, &occupancy})
          f->end_replication();
      }
      for (std::size_t d = 0; d < grid.days.size(); ++d)
        out.rows.push_back({{"region", first.regions[q].name},
                            {"channel", channels[c]},
                            {"day", grid.days[d]},
                            {"sla", sla.day(d, grid.per_day, 2)},
                            {"asa", asa.day(d, grid.per_day, 0)},
                            {"abandonment", abandonment.day(d, grid.per_day, 2)},
                            // Occupancy is the region's agents', whatever the channel: with
                            // every channel only (an empty array, which the page's flatten
                            // reads as no values, elsewhere).
                            {"occupancy", c == 0 ? occupancy.day(d, grid.per_day, 2)
                                                 : ordered_json::array()}});
    }
  }
  return out;
}

/// Staffing against the requirement: one row per region and local day, each figure an array
/// over the intervals of the day: "available" (the run's mean agents available for cases in the
/// interval, IntervalFigures::agents_available, the mean over replications), "on_duty" and
/// "required" (the hourly capacity forecast's agents on duty and agents required to meet every
/// priority's target in the hour the interval starts in, forecast_hours), "sla" (the run's SLA
/// attainment of the interval's arrivals, every priority); "week" the day's week of the window,
/// from 1.
struct StaffingData {
  int minutes = 15;
  std::size_t weeks = 0;
  ordered_json rows = ordered_json::array();
};

StaffingData staffing_data(const ExperimentResult &r) {
  StaffingData out;
  if (r.replications.empty()) return out;
  const ReplicationFigures &first = r.replications[0];
  const std::vector<RegionHourForecast> forecast = forecast_hours(r.scenario);
  const std::size_t regions = first.regions.size();
  for (std::size_t q = 0; q < regions; ++q) {
    const LocalGrid grid = local_grid(r, q);
    out.minutes = grid.minutes;
    const std::size_t cells = grid.days.size() * grid.per_day;
    GridFigure available(cells), sla(cells), on_duty(cells), required(cells);
    for (const ReplicationFigures &rep : r.replications) {
      const RegionFigures &region = rep.regions[q];
      for (std::size_t s = 0; s < grid.slots.size() && s < region.intervals.size(); ++s) {
        const LocalGrid::Slot &slot = grid.slots[s];
        const std::size_t cell = slot.day * grid.per_day + slot.of_day;
        available.add(cell, region.intervals[s].agents_available, 1);
        sla.add(cell, region.intervals[s].sla_attainment, region.intervals[s].offered);
      }
      available.end_replication();
      sla.end_replication();
    }
    for (const LocalGrid::Slot &slot : grid.slots) {
      const std::size_t at = slot.utc_hour * regions + q;
      if (at >= forecast.size()) continue;
      const std::size_t cell = slot.day * grid.per_day + slot.of_day;
      on_duty.add(cell, forecast[at].agents_on_duty, 1);
      required.add(cell, forecast[at].required_on_duty, 1);
    }
    on_duty.end_replication();
    required.end_replication();
    // Weeks of the window from its first local day, whole days of seven.
    for (std::size_t d = 0; d < grid.days.size(); ++d) {
      out.weeks = std::max(out.weeks, d / 7 + 1);
      out.rows.push_back({{"region", first.regions[q].name},
                          {"day", grid.days[d]},
                          {"week", d / 7 + 1},
                          {"available", available.day(d, grid.per_day, 1)},
                          {"on_duty", on_duty.day(d, grid.per_day, 1)},
                          {"required", required.day(d, grid.per_day, 1)},
                          {"sla", sla.day(d, grid.per_day, 2)}});
    }
  }
  return out;
}

/// A select input bound to a parameter of the chart, for the page's own controls (no external
/// script: Vega draws them).
ordered_json select_param(const char *name, const char *label, const ordered_json &options) {
  return {{"name", name},
          {"value", options.empty() ? ordered_json(nullptr) : options[0]},
          {"bind", {{"input", "select"}, {"options", options}, {"name", label}}}};
}

/// Transforms that turn a grid's rows (arrays over the intervals of a local day) into one row
/// per interval, with its start "from" and end "to" in hours of the local day and "at", its
/// local start as a date (the local wall clock read as UTC, so that the chart shows local time).
ordered_json grid_to_intervals(std::initializer_list<const char *> fields, int minutes) {
  ordered_json list = ordered_json::array();
  for (const char *f : fields)
    list.push_back(f);
  const double hours = minutes / 60.0;
  return ordered_json::array(
      {{{"flatten", list}},
       {{"window", {{{"op", "row_number"}, {"as", "interval"}}}}, {"groupby", {"region", "day"}}},
       {{"calculate", fmt::format("(datum.interval - 1) * {}", hours)}, {"as", "from"}},
       {{"calculate", fmt::format("datum.from + {}", hours)}, {"as", "to"}},
       {{"calculate", "toDate(datum.day + 'T00:00:00Z') + datum.from * 3600000"}, {"as", "at"}}});
}

/// The hours of the local day on an x axis: 00:00 to 24:00, every two hours.
ordered_json hour_of_day_axis(const char *field) {
  ordered_json ticks = ordered_json::array();
  for (int h = 0; h <= 24; h += 2)
    ticks.push_back(h);
  return {{"field", field},
          {"type", "quantitative"},
          {"title", "local time of the region"},
          {"scale", {{"domain", {0, 24}}, {"nice", false}}},
          {"axis", {{"values", ticks}, {"labelExpr", "format(datum.value, '02d') + ':00'"}}}};
}

ordered_json heatmap_chart(const HeatmapData &data, const std::vector<std::string> &regions) {
  ordered_json figures = {"SL", "ASA", "abandonment", "occupancy"};
  ordered_json channels = ordered_json::array();
  for (const std::string &c : heatmap_channels())
    channels.push_back(c);
  ordered_json transform = ordered_json::array(
      {{{"filter", "datum.region == heat_region && datum.channel == "
                   "(heat_figure == 'occupancy' ? 'all channels' : heat_channel)"}}});
  for (ordered_json &t :
       grid_to_intervals({"sla", "asa", "abandonment", "occupancy"}, data.minutes))
    transform.push_back(std::move(t));
  transform.push_back({{"calculate", "heat_figure == 'SL' ? datum.sla : heat_figure == 'ASA' ? "
                                     "datum.asa : heat_figure == 'abandonment' ? "
                                     "datum.abandonment : datum.occupancy"},
                       {"as", "value"}});
  transform.push_back({{"filter", "isValid(datum.value)"}});
  const std::string label_expr =
      "heat_figure == 'ASA' ? (datum.value < 120 ? format(datum.value, '.0f') + ' s' : "
      "format(datum.value / 60, '.1f') + ' min') : format(datum.value, '.0%')";
  return {{"width", "container"},
          {"height", 5 * std::max<std::size_t>(data.days, 7)},
          {"params",
           {select_param("heat_figure", "figure ", figures),
            select_param("heat_region", "region ", regions),
            select_param("heat_channel", "channel ", channels)}},
          {"data", {{"name", "heatmap"}}},
          {"transform", transform},
          {"mark", {{"type", "rect"}}},
          {"encoding",
           {{"x", hour_of_day_axis("from")},
            {"x2", {{"field", "to"}}},
            {"y",
             {{"field", "day"},
              {"type", "ordinal"},
              {"title", nullptr},
              {"axis",
               {{"labelExpr", "utcFormat(toDate(datum.value + 'T00:00:00Z'), '%a %d %b')"},
                {"labelOverlap", "parity"}}}}},
            {"color",
             {{"field", "value"},
              {"type", "quantitative"},
              {"title", {{"expr", "heat_figure"}}},
              {"scale",
               {{"scheme", "redyellowgreen"},
                {"reverse", {{"expr", "heat_figure == 'ASA' || heat_figure == 'abandonment'"}}}}},
              {"legend", {{"labelExpr", label_expr}, {"orient", "top"}, {"gradientLength", 240}}}}},
            {"tooltip",
             {{{"field", "day"}, {"title", "local day"}},
              {{"field", "at"},
               {"type", "temporal"},
               {"format", "%H:%M"},
               {"formatType", "utc"},
               {"title", "from (local)"}},
              {{"field", "sla"}, {"format", ".0%"}, {"title", "SL"}},
              {{"field", "asa"}, {"format", ".0f"}, {"title", "ASA (s)"}},
              {{"field", "abandonment"}, {"format", ".0%"}},
              {{"field", "occupancy"}, {"format", ".0%"}}}}}}};
}

ordered_json staffing_chart(const StaffingData &data, const Summary &summary) {
  const std::vector<std::string> regions = region_names(summary.run);
  ordered_json goal_rows = ordered_json::array();
  for (std::size_t q = 0; q < regions.size(); ++q)
    goal_rows.push_back({{"region", regions[q]}, {"goal", json_number(summary.mixed_sla_goal[q])}});
  ordered_json transform = ordered_json::array(
      {{{"filter", "datum.region == staff_region && datum.week == staff_week"}}});
  for (ordered_json &t :
       grid_to_intervals({"available", "on_duty", "required", "sla"}, data.minutes))
    transform.push_back(std::move(t));
  const ordered_json x = {
      {"field", "at"},
      {"type", "temporal"},
      {"title", "local time of the region"},
      {"scale", {{"type", "utc"}}},
      {"axis",
       {{"format", "%a %d %b"}, {"tickCount", {{"interval", "day"}}}, {"labelAlign", "left"}}}};
  const ordered_json series_domain = {"available", "on_duty", "required"};
  ordered_json staffing = {
      {"width", 1000},
      {"height", 220},
      {"transform",
       {{{"fold", {"available", "on_duty", "required"}}, {"as", {"series", "agents"}}},
        {{"filter", "isValid(datum.agents)"}}}},
      {"mark", {{"type", "line"}, {"interpolate", "step-after"}, {"strokeWidth", 1.5}}},
      {"encoding",
       {{"x", x},
        {"y", {{"field", "agents"}, {"type", "quantitative"}, {"title", "agents"}}},
        {"color",
         {{"field", "series"},
          {"type", "nominal"},
          {"title", nullptr},
          {"scale", {{"domain", series_domain}, {"range", {"#1f77b4", "#9aa5b1", "#b42318"}}}},
          {"legend",
           {{"orient", "top"},
            {"labelLimit", 400},
            {"labelExpr", "datum.label == 'available' ? 'available for cases (simulated)' : "
                          "datum.label == 'on_duty' ? 'on duty (forecast)' : "
                          "'required to meet every target (forecast, Erlang)'"}}}}},
        {"strokeDash",
         {{"field", "series"},
          {"type", "nominal"},
          {"scale", {{"domain", series_domain}, {"range", {{1, 0}, {4, 3}, {1, 0}}}}}}},
        {"tooltip",
         {{{"field", "at"},
           {"type", "temporal"},
           {"format", "%a %d %b %H:%M"},
           {"formatType", "utc"},
           {"title", "from (local)"}},
          {{"field", "series"}},
          {{"field", "agents"}, {"format", ".1f"}}}}}}};
  const ordered_json sla_line = {
      {"transform", {{{"filter", "isValid(datum.sla)"}}}},
      {"mark",
       {{"type", "line"},
        {"interpolate", "step-after"},
        {"strokeWidth", 1.5},
        {"color", "#1f2933"}}},
      {"encoding",
       {{"x", x},
        {"y",
         {{"field", "sla"},
          {"type", "quantitative"},
          {"title", "SLA attained"},
          {"scale", {{"domain", {0, 1}}}},
          {"axis", {{"format", "%"}}}}},
        {"tooltip",
         {{{"field", "at"},
           {"type", "temporal"},
           {"format", "%a %d %b %H:%M"},
           {"formatType", "utc"},
           {"title", "from (local)"}},
          {{"field", "sla"}, {"format", ".1%"}, {"title", "SLA attained"}}}}}}};
  const ordered_json goal_rule = {
      {"data", {{"values", goal_rows}}},
      {"transform", {{{"filter", "datum.region == staff_region"}}}},
      {"mark", {{"type", "rule"}, {"strokeDash", {6, 4}}, {"color", "#b42318"}}},
      {"encoding",
       {{"y", {{"field", "goal"}, {"type", "quantitative"}}},
        {"tooltip", ordered_json::array({{{"field", "goal"}, {"format", ".1%"}}})}}}};
  const ordered_json service = {
      {"width", 1000}, {"height", 140}, {"layer", ordered_json::array({sla_line, goal_rule})}};
  ordered_json weeks = {{"name", "staff_week"},
                        {"value", 1},
                        {"bind",
                         {{"input", "range"},
                          {"min", 1},
                          {"max", std::max<std::size_t>(1, data.weeks)},
                          {"step", 1},
                          {"name", "week of the window "}}}};
  return {{"params", {select_param("staff_region", "region ", regions), weeks}},
          {"data", {{"name", "staffing"}}},
          {"transform", transform},
          {"vconcat", {staffing, service}},
          {"resolve", {{"scale", {{"x", "shared"}}}}}};
}

/// A table cell: its text escaped; `css` a class (text, miss, met) or empty.
std::string td(std::string_view text, std::string_view css = "") {
  return css.empty() ? fmt::format("<td>{}</td>", html_escape(text))
                     : fmt::format("<td class=\"{}\">{}</td>", css, html_escape(text));
}

/// A column heading; text columns are aligned left, numbers right.
struct Heading {
  std::string_view name;
  bool text = false;
};

std::string th_row(std::initializer_list<Heading> headings) {
  std::string out = "<tr>";
  for (const Heading &h : headings)
    out += fmt::format("{}{}</th>", h.text ? "<th class=\"text\">" : "<th>", html_escape(h.name));
  return out + "</tr>\n";
}

/// The CSS class of a verdict: "met", "miss", or none where there is nothing to judge.
std::string_view verdict_class(const TargetCheck &t) {
  return t.judged() ? (t.met ? "met" : "miss") : "";
}

/// One row of the scorecard: region q's priority p, or the whole region with its utilisation
/// and cost per resolved case (p == priority_count).
std::string scorecard_row(const Summary &summary, std::size_t q, std::size_t p,
                          const std::string &name) {
  const ExperimentResult &r = summary.run;
  const bool whole = p == models::priority_count;
  auto region = [&](const ReplicationFigures &rep) -> const RegionFigures & {
    return q == rep.regions.size() ? rep.all : rep.regions[q];
  };
  auto est = [&](auto member) {
    return across(r, [&](const ReplicationFigures &rep) {
      const CaseFigures &c = whole ? region(rep).all : region(rep).by_priority[p];
      return static_cast<double>(c.*member);
    });
  };
  std::string out = whole ? "<tr class=\"total\">" : "<tr>";
  out += td(p == 0 ? name : "", "text");
  out += td(whole ? "all" : models::priority_names[p], "text");
  out += td(fmt::format("{:.0f}", est(&CaseFigures::offered).mean));
  if (whole) {
    const Estimate sla = est(&CaseFigures::sla_attainment);
    out += td("") + td(format_percent(sla.mean, sla.half_width), "");
  } else {
    const TargetCheck &t = summary.sla[q][p];
    const bool miss = t.judged() && !t.met;
    out += td(format_goal(t.goal));
    out += td(format_percent(t.value.mean, t.value.half_width) + (miss ? " miss" : ""),
              verdict_class(t));
  }
  out += td(format_minutes(est(&CaseFigures::asa).mean));
  out += td(format_minutes(est(&CaseFigures::p90_wait).mean));
  out += td(format_percent(est(&CaseFigures::abandonment).mean));
  out += td(format_minutes(60 * est(&CaseFigures::p90_resolution).mean));
  if (whole) {
    const TargetCheck &util = summary.utilisation[q];
    out += td(fmt::format("{} (goal {})", format_percent(util.value.mean, util.value.half_width),
                          format_goal(util.goal)),
              verdict_class(util));
    out += td(format_money(across(r, [&](const ReplicationFigures &rep) {
                             return region(rep).cost_per_resolved;
                           }).mean));
  } else {
    out += td("") + td("");
  }
  return out + "</tr>\n";
}

/// Trends per channel and per priority: one row per region, breakdown ("channel" or
/// "priority") and group ("phone", "P1"), with "first_day" (the region's first local day) and
/// each figure an array over its local days: "asa" (minutes) and "abandonment", means over the
/// replications (null on a day without cases of the group).
ordered_json trend_rows(const ExperimentResult &r) {
  ordered_json rows = ordered_json::array();
  if (r.replications.empty()) return rows;
  const ReplicationFigures &first = r.replications[0];
  for (std::size_t q = 0; q < first.regions.size(); ++q) {
    const RegionFigures &region = first.regions[q];
    if (region.days.empty()) continue;
    const std::string first_day = region.day_labels.front().substr(0, 10);
    auto add = [&](const char *by, std::string_view group, auto pick) {
      ordered_json asa = ordered_json::array(), abandonment = ordered_json::array();
      bool any = false;
      for (std::size_t k = 0; k < region.days.size(); ++k) {
        ReplicationMean a, b;
        for (const ReplicationFigures &rep : r.replications) {
          const IntervalCaseFigures &f = pick(rep.regions[q].days[k]);
          if (!(f.offered > 0)) continue;
          a.add(f.asa);
          b.add(f.abandonment);
        }
        any = any || a.n > 0 || b.n > 0;
        asa.push_back(rounded(a.value(), 1));
        abandonment.push_back(rounded(b.value(), 3));
      }
      if (any)
        rows.push_back({{"region", region.name},
                        {"by", by},
                        {"group", group},
                        {"first_day", first_day},
                        {"asa", std::move(asa)},
                        {"abandonment", std::move(abandonment)}});
    };
    for (std::size_t c = 0; c < models::channel_count; ++c)
      add("channel", models::channel_names[c],
          [c](const IntervalFigures &d) -> const IntervalCaseFigures & { return d.by_channel[c]; });
    for (std::size_t p = 0; p < models::priority_count; ++p)
      add("priority", models::priority_names[p],
          [p](const IntervalFigures &d) -> const IntervalCaseFigures & { return d.by_priority[p]; });
  }
  return rows;
}

ordered_json trend_chart(const std::vector<std::string> &regions) {
  ordered_json groups = ordered_json::array();
  for (std::string_view c : models::channel_names)
    groups.push_back(c);
  for (std::string_view p : models::priority_names)
    groups.push_back(p);
  const std::string label_expr =
      "trend_figure == 'ASA' ? (datum.value < 120 ? format(datum.value, '.0f') + ' min' : "
      "format(datum.value / 60, '.1f') + ' h') : format(datum.value, '.0%')";
  return {
      {"width", "container"},
      {"height", 260},
      {"params",
       {select_param("trend_figure", "figure ", {"ASA", "abandonment"}),
        select_param("trend_by", "per ", {"channel", "priority"}),
        select_param("trend_region", "region ", regions)}},
      {"data", {{"name", "trends"}}},
      {"transform",
       {{{"filter", "datum.region == trend_region && datum.by == trend_by"}},
        {{"flatten", {"asa", "abandonment"}}},
        {{"window", {{{"op", "row_number"}, {"as", "n"}}}}, {"groupby", {"region", "by", "group"}}},
        {{"calculate", "toDate(datum.first_day + 'T00:00:00Z') + (datum.n - 1) * 86400000"},
         {"as", "day"}},
        {{"calculate", "trend_figure == 'ASA' ? datum.asa : datum.abandonment"}, {"as", "value"}},
        {{"filter", "isValid(datum.value)"}}}},
      {"mark", {{"type", "line"}, {"strokeWidth", 1.5}}},
      {"encoding",
       {{"x", utc_time_axis("day")},
        {"y",
         {{"field", "value"},
          {"type", "quantitative"},
          {"title", {{"expr", "trend_figure"}}},
          {"axis", {{"labelExpr", label_expr}}}}},
        {"color",
         {{"field", "group"}, {"type", "nominal"}, {"title", nullptr}, {"scale", {{"domain", groups}}}}},
        {"tooltip",
         {{{"field", "group"}},
          {{"field", "day"}, {"type", "temporal"}, {"format", "%a %d %b"}, {"formatType", "utc"},
           {"title", "local day"}},
          {{"field", "asa"}, {"format", ".1f"}, {"title", "ASA (min)"}},
          {{"field", "abandonment"}, {"format", ".1%"}}}}}}};
}

/// One line of a scorecard cell: its label (a priority, a key figure) and value, coloured by
/// its verdict, with its months where the value is a trend; the note on hover.
std::string scorecard_line_html(const ScorecardTarget &t, const ScorecardLine &line) {
  const std::string css = line.verdict == Verdict::met    ? "met"
                          : line.verdict == Verdict::miss ? "miss"
                                                          : "muted";
  std::string text = line.label.empty() ? "" : line.label + " ";
  text += line.verdict == Verdict::not_judged && std::isnan(line.value.mean)
              ? "not judged"
              : format_scorecard_value(line.value, t.unit, false);
  std::string out = line.note.empty()
                        ? fmt::format("<span class=\"{}\">{}</span>", css, html_escape(text))
                        : fmt::format("<span class=\"{}\" title=\"{}\">{}</span>", css,
                                      html_escape(line.note), html_escape(text));
  if (!line.periods.empty()) {
    std::string months;
    for (const ScorecardPeriod &p : line.periods)
      months += (months.empty() ? "" : " · ") + p.label + " " +
                format_scorecard_value(p.value, ScorecardUnit::money, false);
    out += fmt::format("<br><small>{}</small>", html_escape(months));
  }
  return out;
}

/// The mission's seven targets side by side, as judged once in scorecard.cpp: a row per target,
/// a column per region, the organisation and (for regional consistency) across regions; each
/// line met in green or missed in red, the target's verdict last.
std::string targets_table(const Scorecard &card, const std::vector<std::string> &regions) {
  std::vector<std::string> columns = regions;
  columns.push_back("all");
  columns.push_back("");
  std::string out = "<table class=\"targets\">\n<tr><th class=\"text\">target</th>"
                    "<th class=\"text\">goal</th>";
  for (const std::string &c : columns)
    out += fmt::format("<th class=\"text\">{}</th>", c.empty() ? "across regions" : html_escape(c));
  out += "<th class=\"text\">verdict</th></tr>\n";
  for (const ScorecardTarget &t : card.targets) {
    out += fmt::format("<tr><td class=\"text\" title=\"{}\">{}</td>", html_escape(t.rule),
                       html_escape(t.title));
    out += td(format_scorecard_goal(t), "text");
    for (const std::string &c : columns) {
      std::string cell;
      for (const ScorecardLine &line : t.lines)
        if (line.region == c) cell += (cell.empty() ? "" : "<br>") + scorecard_line_html(t, line);
      out += "<td class=\"text\">" + cell + "</td>";
    }
    const std::string verdict = t.verdict == Verdict::met    ? "met"
                                : t.verdict == Verdict::miss ? "MISS"
                                                             : "not judged";
    out += t.note.empty() ? td(verdict, t.verdict == Verdict::miss  ? "text miss"
                                        : t.verdict == Verdict::met ? "text met"
                                                                    : "text")
                          : fmt::format("<td class=\"text\" title=\"{}\">{}</td>",
                                        html_escape(t.note), html_escape(verdict));
    out += "</tr>\n";
  }
  return out + "</table>\n";
}

/// Per region and priority: cases, goal, SLA attained with its interval (misses marked), ASA,
/// p90 wait, abandonment; per region: utilisation against its goal and cost per resolved case.
std::string scorecard_table(const Summary &summary) {
  std::string out = "<table>\n";
  out += th_row({{"region", true},
                 {"priority", true},
                 {"cases/rep"},
                 {"goal"},
                 {"SLA attained"},
                 {"ASA"},
                 {"p90 wait"},
                 {"abandoned"},
                 {"p90 resolution"},
                 {"utilisation"},
                 {"cost/resolved"}});
  const std::size_t regions = summary.region_count();
  for (std::size_t q = 0; q <= regions; ++q) {
    const ReplicationFigures &first = summary.run.replications[0];
    const std::string name = q == regions ? first.all.name : first.regions[q].name;
    for (std::size_t p = 0; p <= models::priority_count; ++p)
      out += scorecard_row(summary, q, p, name);
  }
  return out + "</table>\n";
}

/// A figure's value as the table shows it: a rate as a percentage, a count with four digits.
std::string variance_value(VarianceFigure f, double x, double half_width = NAN) {
  if (is_rate(f)) return format_percent(x, half_width);
  return std::isnan(half_width) ? fmt::format("{:.4g}", x)
                                : fmt::format("{:.4g} ± {:.2g}", x, half_width);
}

/// The mechanism a cause names, without its sizes: "hand-off gap", "incident window: outage"
/// (an incident keeps its name), "bottleneck", "day-to-day demand noise".
std::string cause_kind(const std::string &cause) {
  if (cause.rfind("incident window: ", 0) == 0) return cause.substr(0, cause.find(" from "));
  return cause.substr(0, std::min(cause.find(':'), cause.find(" (")));
}

/// "1-4, 7, 9-13": week numbers (from 1), runs joined.
std::string week_runs(std::vector<std::size_t> weeks) {
  std::sort(weeks.begin(), weeks.end());
  weeks.erase(std::unique(weeks.begin(), weeks.end()), weeks.end());
  std::string out;
  for (std::size_t i = 0; i < weeks.size();) {
    std::size_t j = i;
    while (j + 1 < weeks.size() && weeks[j + 1] == weeks[j] + 1)
      ++j;
    out += (out.empty() ? "" : ", ") + (j == i ? fmt::format("{}", weeks[i] + 1)
                                               : fmt::format("{}-{}", weeks[i] + 1, weeks[j] + 1));
    i = j + 1;
  }
  return out;
}

/// The flagged rows of the variance report folded by cause: one row per mechanism the causes
/// name (a flagged row with several causes counts under each), with the regions, figures and
/// weeks it explains and its largest departure; each opens onto its rows, largest first.
std::string variance_table(const ExperimentResult &r, const VarianceReport &v) {
  std::vector<const VarianceRow *> flagged;
  for (const VarianceRow &row : v.rows)
    if (row.flagged) flagged.push_back(&row);
  if (flagged.empty())
    return fmt::format("<p>No region and week departs from the forecast by more than {:g}%.</p>\n",
                       100 * v.threshold);
  std::stable_sort(flagged.begin(), flagged.end(), [](const VarianceRow *a, const VarianceRow *b) {
    return std::abs(a->variance) > std::abs(b->variance);
  });
  // The causes in the order they first appear, largest departure first.
  std::vector<std::string> kinds;
  std::map<std::string, std::vector<const VarianceRow *>> by_kind;
  for (const VarianceRow *row : flagged) {
    std::vector<std::string> row_kinds;
    for (const std::string &cause : row->causes)
      row_kinds.push_back(cause_kind(cause));
    if (row_kinds.empty()) row_kinds.push_back("no cause the model can name");
    row_kinds.erase(std::unique(row_kinds.begin(), row_kinds.end()), row_kinds.end());
    for (const std::string &kind : row_kinds) {
      if (!by_kind.count(kind)) kinds.push_back(kind);
      by_kind[kind].push_back(row);
    }
  }
  const sim::Clock clock(r.scenario.organisation.start);
  std::string out = "<table class=\"causes\">\n";
  out += th_row({{"likely cause", true},
                 {"flagged rows"},
                 {"where: region, figure and weeks", true},
                 {"largest departure", true}});
  for (const std::string &kind : kinds) {
    const std::vector<const VarianceRow *> &rows = by_kind[kind];
    // Per region and figure, the weeks this cause explains.
    std::map<std::pair<std::size_t, std::size_t>, std::vector<std::size_t>> weeks;
    for (const VarianceRow *row : rows)
      weeks[{row->region, static_cast<std::size_t>(row->figure)}].push_back(row->week);
    std::string where;
    for (const auto &[key, list] : weeks)
      where += fmt::format("{}{} {}: week{} {}", where.empty() ? "" : "; ", v.regions[key.first],
                           variance_figure_titles[key.second], list.size() == 1 ? "" : "s",
                           week_runs(list));
    const VarianceRow &largest = *rows.front();
    std::string details = fmt::format("<details><summary>{} row{}</summary><ul>", rows.size(),
                                      rows.size() == 1 ? "" : "s");
    for (const VarianceRow *row : rows)
      details += fmt::format(
          "<li>{} week {} ({}), {}: {} against {} forecast ({}); {}</li>",
          html_escape(v.regions[row->region]), row->week + 1,
          clock.format_utc(v.week_starts[row->week]).substr(0, 10),
          variance_figure_titles[static_cast<std::size_t>(row->figure)],
          html_escape(variance_value(row->figure, row->simulated.mean, row->simulated.half_width)),
          html_escape(variance_value(row->figure, row->forecast)),
          html_escape(departure_text(*row)),
          html_escape(row->causes.empty() ? "no cause the model can name"
                                          : join(row->causes, "; ")));
    details += "</ul></details>";
    out += "<tr>";
    out += td(kind, "text");
    out += fmt::format("<td>{}</td>", details);
    out += td(where, "text");
    out += td(fmt::format("{} {} week {}: {}", v.regions[largest.region],
                          variance_figure_titles[static_cast<std::size_t>(largest.figure)],
                          largest.week + 1, departure_text(largest)),
              "text miss");
    out += "</tr>\n";
  }
  out += "</table>\n";
  out += fmt::format("<p>{} flagged rows of {}; every row, with each cause's size, is in "
                     "variance.csv.</p>\n",
                     flagged.size(), v.rows.size());
  return out;
}

std::string consistency_table(const Summary &summary) {
  const std::vector<std::string> regions = region_names(summary.run);
  std::string out = "<table>\n<tr><th class=\"text\">figure</th>";
  for (const std::string &q : regions)
    out += fmt::format("<th>{}</th>", html_escape(q));
  out += "<th>CV</th></tr>\n";
  for (const RegionalSpread &s : summary.spread) {
    const bool rate = s.figure != "asa_minutes" && s.figure != "cost_per_resolved";
    out += "<tr>" + td(s.figure, "text");
    for (double m : s.region_means)
      out += td(rate ? format_percent(m)
                     : (s.figure == "asa_minutes" ? format_minutes(m) : format_money(m)));
    out += td(format_percent(s.cv), std::isnan(s.cv) ? "" : (s.above_goal ? "miss" : "met"));
    out += "</tr>\n";
  }
  return out + "</table>\n";
}

/// The call-centre figures: a row per region (then all) and synchronous channel with cases.
std::string callcentre_table(const Summary &summary) {
  std::string out = "<table>\n<tr><th class=\"text\">region</th><th class=\"text\">channel</th>"
                    "<th>cases/rep</th><th>P(wait=0)</th><th>ASA</th><th>queued wait</th>"
                    "<th>P(abandon | queued)</th>";
  for (int t : summary.sl_seconds)
    out += fmt::format("<th>SL {} s</th>", t);
  out += "</tr>\n";
  auto seconds = [](const Estimate &e) {
    return std::isnan(e.mean) ? std::string("-") : fmt::format("{:.0f} s", e.mean);
  };
  for (const CallCentreLine &line : summary.callcentre) {
    if (!(line.offered.mean > 0)) continue;
    out += "<tr>" + td(line.region, "text") +
           td(models::channel_names[models::index_of(line.channel)], "text") +
           td(fmt::format("{:.0f}", line.offered.mean)) +
           td(format_percent(line.p_wait_zero.mean, line.p_wait_zero.half_width)) +
           td(seconds(line.asa_seconds)) + td(seconds(line.mean_wait_queued_seconds)) +
           td(format_percent(line.p_abandon_queued.mean, line.p_abandon_queued.half_width));
    for (const Estimate &e : line.service_level)
      out += td(format_percent(e.mean, e.half_width));
    out += "</tr>\n";
  }
  return out + "</table>\n";
}

/// Whether an option meets the targets, in words the chart's legend uses.
std::string target_status(const OptionSummary &o) {
  if (o.targets_met_with_confidence) return "meets every target (95% CI)";
  if (o.targets_met) return "meets every target on the mean";
  return "misses a target";
}

/// The options on the Pareto front of (cost, SLA attainment): none other is at most as dear and
/// at least as good, and strictly one of the two.
std::vector<bool> pareto_front(const std::vector<OptionSummary> &options) {
  std::vector<bool> front(options.size(), false);
  for (std::size_t i = 0; i < options.size(); ++i) {
    const double ci = options[i].cost.mean, si = options[i].sla.mean;
    if (std::isnan(ci) || std::isnan(si)) continue;
    front[i] = std::none_of(options.begin(), options.end(), [&](const OptionSummary &o) {
      return o.cost.mean <= ci && o.sla.mean >= si && (o.cost.mean < ci || o.sla.mean > si);
    });
  }
  return front;
}

ordered_json sweep_rows(const SweepSummary &summary) {
  const std::vector<bool> front = pareto_front(summary.options);
  ordered_json rows = ordered_json::array();
  for (std::size_t i = 0; i < summary.options.size(); ++i) {
    const OptionSummary &o = summary.options[i];
    const double cost_half = std::isnan(o.cost.half_width) ? 0 : o.cost.half_width;
    const double sla_half = std::isnan(o.sla.half_width) ? 0 : o.sla.half_width;
    ordered_json row = {{"option", o.name},
                        {"index", o.index},
                        {"cost", json_number(o.cost.mean)},
                        {"cost_lo", json_number(o.cost.mean - cost_half)},
                        {"cost_hi", json_number(o.cost.mean + cost_half)},
                        {"sla", json_number(o.sla.mean)},
                        {"sla_lo", json_number(o.sla.mean - sla_half)},
                        {"sla_hi", json_number(o.sla.mean + sla_half)},
                        {"utilisation", json_number(o.utilisation.mean)},
                        {"status", target_status(o)},
                        {"missed", join(missed_targets(o), ", ")},
                        {"pareto", static_cast<bool>(front[i])}};
    if (o.sla_difference) {
      const Estimate &d = o.sla_difference->difference;
      const double half = std::isnan(d.half_width) ? 0 : d.half_width;
      row["sla_difference"] = json_number(d.mean);
      row["sla_difference_lo"] = json_number(d.mean - half);
      row["sla_difference_hi"] = json_number(d.mean + half);
      row["sla_verdict"] = o.sla_difference->verdict;
    }
    if (o.cost_difference) row["cost_difference"] = json_number(o.cost_difference->difference.mean);
    rows.push_back(std::move(row));
  }
  return rows;
}

ordered_json tradeoff_chart() {
  const ordered_json x = {{"field", "cost"},
                          {"type", "quantitative"},
                          {"title", "cost of the window"},
                          {"scale", {{"zero", false}}},
                          {"axis", {{"format", "~s"}}}};
  const ordered_json y = percent_axis("sla", "SLA attainment, every case");
  const ordered_json status = {
      {"field", "status"},
      {"type", "nominal"},
      {"title", nullptr},
      {"legend", {{"labelLimit", 280}}},
      {"scale",
       {{"domain",
         {"meets every target (95% CI)", "meets every target on the mean", "misses a target"}},
        {"range", {"#1b7f3b", "#e09b1b", "#b42318"}}}}};
  const ordered_json on_front = {{"filter", "datum.pareto"}};
  return {
      {"width", "container"},
      {"height", 380},
      {"data", {{"name", "options"}}},
      {"layer",
       {{{"mark", {{"type", "rule"}, {"color", "#9aa5b1"}}},
         {"encoding",
          {{"x", x}, {"y", percent_axis("sla_lo", nullptr)}, {"y2", {{"field", "sla_hi"}}}}}},
        {{"mark", {{"type", "rule"}, {"color", "#9aa5b1"}}},
         {"encoding",
          {{"x", {{"field", "cost_lo"}, {"type", "quantitative"}}},
           {"x2", {{"field", "cost_hi"}}},
           {"y", percent_axis("sla", nullptr)}}}},
        {{"transform", {on_front}},
         {"mark", {{"type", "line"}, {"color", "#1f2933"}, {"strokeDash", {5, 3}}}},
         {"encoding", {{"x", x}, {"y", y}, {"order", {{"field", "cost"}}}}}},
        {{"mark", {{"type", "point"}, {"filled", true}, {"size", 70}, {"opacity", 0.9}}},
         {"encoding",
          {{"x", x},
           {"y", y},
           {"color", status},
           {"shape",
            {{"field", "pareto"},
             {"type", "nominal"},
             {"title", "on the Pareto front"},
             {"scale", {{"domain", {true, false}}, {"range", {"diamond", "circle"}}}}}},
           {"tooltip", tooltip({{"option", ""},
                                {"cost", ",.0f"},
                                {"sla", ".2%"},
                                {"sla_lo", ".2%"},
                                {"sla_hi", ".2%"},
                                {"utilisation", ".1%"},
                                {"status", ""},
                                {"missed", ""},
                                {"pareto", ""}})}}}},
        {{"transform", {{{"filter", "datum.index == 0"}}}},
         {"mark", {{"type", "text"}, {"align", "left"}, {"dx", 8}, {"dy", -8}, {"fontSize", 11}}},
         {"encoding", {{"x", x}, {"y", y}, {"text", {{"value", "baseline"}}}}}}}}};
}

ordered_json paired_chart(std::size_t options) {
  const ordered_json y = {{"field", "option"},
                          {"type", "nominal"},
                          {"title", nullptr},
                          {"sort", {{"field", "index"}}},
                          {"axis", {{"labelLimit", 360}}}};
  const ordered_json x = {{"field", "sla_difference"},
                          {"type", "quantitative"},
                          {"title", "SLA attainment minus the baseline's (paired, 95% CI)"},
                          {"axis", {{"format", "+%"}}}};
  return {{"width", "container"},
          {"height", std::max<std::size_t>(60, 18 * options)},
          {"data", {{"name", "options"}}},
          {"transform", {{{"filter", "isValid(datum.sla_difference)"}}}},
          {"layer",
           {{{"mark", {{"type", "rule"}, {"color", "#616e7c"}}},
             {"encoding",
              {{"y", y},
               {"x", {{"field", "sla_difference_lo"}, {"type", "quantitative"}}},
               {"x2", {{"field", "sla_difference_hi"}}}}}},
            {{"mark", {{"type", "point"}, {"filled", true}, {"size", 40}}},
             {"encoding",
              {{"y", y},
               {"x", x},
               {"color",
                {{"field", "sla_verdict"},
                 {"type", "nominal"},
                 {"title", "against the baseline"},
                 {"scale",
                  {{"domain", {"higher", "indistinguishable", "lower", "undetermined"}},
                   {"range", {"#1b7f3b", "#9aa5b1", "#b42318", "#e09b1b"}}}}}},
               {"tooltip", tooltip({{"option", ""},
                                    {"sla_difference", "+.2%"},
                                    {"sla_difference_lo", "+.2%"},
                                    {"sla_difference_hi", "+.2%"},
                                    {"sla_verdict", ""},
                                    {"cost_difference", "+,.0f"}})}}}},
            {{"data", {{"values", {{{"zero", 0}}}}}},
             {"mark", {{"type", "rule"}, {"strokeDash", {4, 3}}, {"color", "#1f2933"}}},
             {"encoding", {{"x", {{"field", "zero"}, {"type", "quantitative"}}}}}}}}};
}

std::string sweep_table(const SweepSummary &summary) {
  const std::vector<bool> front = pareto_front(summary.options);
  std::string out = "<table>\n";
  out += th_row({{"option", true},
                 {"cost"},
                 {"SLA attained"},
                 {"P1"},
                 {"P2"},
                 {"P3"},
                 {"P4"},
                 {"utilisation"},
                 {"targets", true},
                 {"cost vs baseline"},
                 {"SLA vs baseline"}});
  auto paired = [](const std::optional<PairedDifference> &d, bool rate) {
    if (!d) return std::string("baseline");
    const Estimate &e = d->difference;
    const std::string value =
        rate ? fmt::format("{:+.2f} pp ± {:.2f}", 100 * e.mean, 100 * e.half_width)
             : fmt::format("{:+.0f} ± {:.0f}", e.mean, e.half_width);
    return value + " (" + d->verdict + ")";
  };
  for (std::size_t i = 0; i < summary.options.size(); ++i) {
    const OptionSummary &o = summary.options[i];
    out += "<tr>";
    out += td(o.name + (front[i] ? " ◆" : ""), "text");
    out += td(fmt::format("{:.0f} ± {:.0f}", o.cost.mean, o.cost.half_width));
    out += td(format_percent(o.sla.mean, o.sla.half_width));
    for (const Estimate &p : o.sla_by_priority)
      out += td(format_percent(p.mean));
    out += td(format_percent(o.utilisation.mean));
    out += td(o.targets_met ? target_status(o) : "misses " + join(missed_targets(o), ", "),
              o.targets_met_with_confidence ? "met"
              : o.targets_met               ? ""
                                            : "miss");
    out += td(paired(o.cost_difference, false));
    out += td(paired(o.sla_difference, true));
    out += "</tr>\n";
  }
  return out + "</table>\n<p>◆ on the Pareto front of cost and SLA attainment.</p>\n";
}

} // namespace

std::string render_html_page(std::string_view title, const std::vector<std::string> &header,
                             const std::vector<HtmlSection> &sections,
                             std::string_view datasets_json, std::string_view version) {
  std::string head = fmt::format("<h1>{}</h1>\n", html_escape(title));
  for (const std::string &line : header)
    head += fmt::format("<p>{}</p>\n", html_escape(line));
  std::string body = "<nav>";
  for (const HtmlSection &s : sections)
    body += fmt::format("<a href=\"#{}\">{}</a>", s.id, html_escape(s.heading));
  body += "</nav>\n";
  ordered_json charts = ordered_json::array();
  for (const HtmlSection &s : sections) {
    body += fmt::format("<section id=\"{}\">\n<h2>{}</h2>\n", s.id, html_escape(s.heading));
    if (!s.note.empty()) body += fmt::format("<p class=\"note\">{}</p>\n", html_escape(s.note));
    if (!s.chart_spec.empty()) {
      body += fmt::format("<div class=\"chart\" id=\"{}-chart\"></div>\n", s.id);
      charts.push_back({{"id", s.id + "-chart"}, {"spec", ordered_json::parse(s.chart_spec)}});
    }
    body += s.table_html;
    body += "</section>\n";
  }
  const std::string licences =
      fmt::format("Vega {}:\n{}\nVega-Lite {}:\n{}", vega_version(), vega_licence_text(),
                  vega_lite_version(), vega_lite_licence_text());
  const std::string title_text = html_escape(title);
  ordered_json data;
  data["datasets"] =
      datasets_json.empty() ? ordered_json::object() : ordered_json::parse(datasets_json);
  data["charts"] = std::move(charts);
  const std::string charts_text = json_for_script(data);
  return fill(html_template_text(), {{"TITLE", title_text},
                                     {"VERSION", version},
                                     {"HEADER", head},
                                     {"BODY", body},
                                     {"CHARTS", charts_text},
                                     {"VEGA", without_source_map(vega_script_text())},
                                     {"VEGA_LITE", without_source_map(vega_lite_script_text())},
                                     {"VEGA_VERSION", vega_version()},
                                     {"VEGA_LITE_VERSION", vega_lite_version()},
                                     {"LICENCES", licences}});
}

namespace {

/// The lines under the report's title: the scenario, the organisation, the window.
std::vector<std::string> report_header(const scenarios::Scenario &s) {
  const models::OrganisationConfig &org = s.organisation;
  std::uint32_t agents = 0;
  for (const auto &g : org.agent_groups)
    agents += g.headcount;
  const sim::Clock clock(org.start);
  std::vector<std::string> header;
  if (!s.description.empty()) header.push_back(s.description);
  header.push_back(
      fmt::format("{} · {} agents in {} groups at {} sites · seed {} · {} replication{}", s.source,
                  agents, org.agent_groups.size(), org.sites.size(), s.seed, s.replications,
                  s.replications == 1 ? "" : "s"));
  header.push_back(fmt::format(
      "{} days warm-up, then {} days measured from {}. Means over the replications; ± and the "
      "shaded areas are 95% confidence intervals. SLA is first response within target.",
      format_days(s.warmup), format_days(org.horizon - s.warmup),
      clock.format_utc(sim::SimTime::zero() + s.warmup)));
  return header;
}

} // namespace

std::string render_html_report(const Summary &summary, std::string_view version) {
  const ExperimentResult &r = summary.run;
  const scenarios::Scenario &s = r.scenario;
  const VarianceReport &v = summary.variance;
  ordered_json datasets;
  datasets["days"] = daily_rows(r);
  const HeatmapData heatmap = heatmap_data(r);
  datasets["heatmap"] = heatmap.rows;
  const StaffingData staffing = staffing_data(r);
  datasets["staffing"] = staffing.rows;
  datasets["trends"] = trend_rows(r);
  std::vector<HtmlSection> sections;
  sections.push_back(
      {"targets", "The seven targets",
       "The operating targets side by side, each judged once for every report (docs/metrics.md, "
       "\"Scorecard\"): per region, for the organisation (all) and, for regional consistency, "
       "across regions; met in green, missed in red, grey where there is nothing to judge "
       "(hover a value or a verdict for why, a target for its exact rule).",
       "", targets_table(summary.scorecard, region_names(r))});
  sections.push_back({"scorecard", "Scorecard by priority",
                      "Each customer region's cases by priority against the share that must meet "
                      "the first-response target; misses in red. Utilisation is the region's "
                      "agents' time on cases over their time available for cases.",
                      "", scorecard_table(summary)});
  sections.push_back(
      {"heatmap", "Service by interval of the local day",
       fmt::format(
           "Each region's days (rows) and {}-minute intervals of its local day (columns), "
           "coloured by the figure chosen: SL (first response within the priority's target), "
           "ASA, abandonment or occupancy (the region's agents' time on cases over their time "
           "available, whatever the channel); every channel together or one alone. White where "
           "no case arrived. Means over the replications; hover for every figure of a cell.",
           heatmap.minutes),
       heatmap_chart(heatmap, region_names(r)).dump(), ""});
  sections.push_back(
      {"staffing", "Agents available against required",
       "One week of a region at a time (the slider), in the region's local time: the agents "
       "available for cases in the run (the interval's mean), "
       "the agents the capacity forecast puts on duty (dashed), and the agents it requires to "
       "meet every priority's target (Erlang C, or Erlang A where customers hang up; "
       "docs/forecast.md). Beneath, on the same time axis, the run's SLA attainment of the "
       "interval's arrivals, against the region's goal (dashed).",
       staffing_chart(staffing, summary).dump(), ""});
  sections.push_back(
      {"sla", "SLA attainment by region, per day",
       "The share of each day's arrivals answered within target, over every priority; the shaded "
       "band is the 95% confidence interval, the dashed line the region's goal (each priority's "
       "target weighted by the region's cases of that priority).",
       sla_chart(summary).dump(), ""});
  sections.push_back({"backlog", "Backlog",
                      "The region's customers' cases open at the end of each day (hover for their "
                      "mean age).",
                      backlog_chart(r).dump(), ""});
  sections.push_back(
      {"utilisation", "Utilisation by region, per day",
       fmt::format("The region's agents' time on cases over their time available for cases, "
                   "each day; the dashed line is the goal ({}).",
                   format_goal(s.sla.utilisation_target)),
       utilisation_chart(r).dump(), ""});
  sections.push_back(
      {"trends", "ASA and abandonment per day, per channel and priority",
       "Each local day of a region (the menu): the mean wait to first response of the answered "
       "(ASA) or the share abandoned, per channel or per priority (the menus), of the day's "
       "arrivals. Means over the replications; a day without cases of a group has no point.",
       trend_chart(region_names(r)).dump(), ""});
  sections.push_back(
      {"variance", "Forecast against simulated",
       fmt::format(
           "Per region and week: the capacity forecast (dashed) with its ±{} band, and "
           "the simulated mean with its 95% interval; weeks outside the band are flagged "
           "in red. Beneath, the flagged rows folded by the cause the model names: the regions, "
           "figures and weeks each explains and its largest departure (rates in "
           "percentage points, counts relative to the forecast); open a cause for its "
           "rows. Definitions: docs/metrics.md, \"Forecast variance\".",
           format_goal(v.threshold)),
       variance_chart(r, v).dump(), variance_table(r, v)});
  sections.push_back(
      {"callcentre", "Call-centre figures",
       "Phone and chat, per customer region: P(wait=0) is answered in under a second over "
       "offered; ASA the mean wait of the answered; queued wait the mean wait of those who "
       "waited a second or more; P(abandon | queued) abandoned over those queued; SL T s "
       "answered within T seconds over offered. Per hour of each region's local time: "
       "callcentre.csv. Definitions: docs/metrics.md, \"Call-centre figures\".",
       "", callcentre_table(summary)});
  sections.push_back(
      {"consistency", "Regional consistency",
       fmt::format("How much each key figure differs between regions: the coefficient of "
                   "variation of the regions' means (standard deviation over mean); the goal is "
                   "at most {} (dashed).",
                   format_goal(s.sla.regional_spread_max)),
       consistency_chart(summary).dump(), consistency_table(summary)});
  return render_html_page(fmt::format("{} · supportsim report", s.name), report_header(s), sections,
                          datasets.dump(), version);
}

std::string render_sweep_html(const SweepSummary &summary, std::string_view version) {
  std::vector<std::string> header;
  header.push_back(fmt::format("{} · {} options · {} replications each, seed {}, the same "
                               "random numbers for every option",
                               summary.source, summary.options.size(), summary.replications,
                               summary.seed));
  std::string settings;
  for (const std::string &path : summary.settings)
    settings += (settings.empty() ? "" : ", ") + path;
  if (!settings.empty()) header.push_back("varied: " + settings);
  ordered_json datasets;
  datasets["options"] = sweep_rows(summary);
  std::vector<HtmlSection> sections;
  sections.push_back(
      {"tradeoff", "Cost against SLA attainment",
       "Each option's cost over the measured window and its first-response SLA attainment over "
       "every case, with 95% intervals (grey). Diamonds joined by the dashed line are the Pareto "
       "front: for each, no other option is both cheaper and better. Colour: whether the option "
       "meets every target (each priority's attainment target and the utilisation goal).",
       tradeoff_chart().dump(), ""});
  sections.push_back(
      {"paired", "Against the baseline",
       "Each option's SLA attainment minus the baseline's, replication by replication (the same "
       "cases in both), with its 95% interval: common random numbers make these intervals much "
       "tighter than the options' own. Grey: statistically indistinguishable from the baseline.",
       paired_chart(summary.options.size()).dump(), ""});
  sections.push_back({"options", "Every option",
                      "Means ± 95% half-widths over the replications; pp = percentage points.", "",
                      sweep_table(summary)});
  return render_html_page(fmt::format("{} · supportsim sweep", summary.scenario), header, sections,
                          datasets.dump(), version);
}

} // namespace supportsim::analysis
