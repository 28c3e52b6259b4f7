// report.html (analysis/report/html_report.hpp): one self-contained page whose chart data are the
// run's own figures. That the page draws in a browser is checked by
// tests/report/check_in_chromium.sh.
#include "analysis/forecast/capacity.hpp"
#include "analysis/report/html_report.hpp"
#include "analysis/report/report.hpp"
#include "scenarios/scenario.hpp"

#include <catch2/catch.hpp>
#include <chrono>
#include <cmath>
#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

namespace {

using namespace supportsim;
using nlohmann::json;

analysis::ExperimentResult simulate(scenarios::Scenario s, std::uint32_t days) {
  s.organisation.horizon = s.warmup + sim::Duration::days(days);
  analysis::RunOptions options;
  options.replications = 2;
  options.seed = 5;
  return analysis::run_experiment(s, options);
}

const analysis::ExperimentResult &default_result() {
  static const analysis::ExperimentResult result = simulate(scenarios::default_scenario(), 14);
  return result;
}

std::size_t count(const std::string &text, const std::string &what) {
  std::size_t n = 0;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1))
    ++n;
  return n;
}

/// The page's chart data: the JSON inside <script type="application/json">.
json chart_data(const std::string &page) {
  const std::string open = R"(<script type="application/json" id="supportsim-charts">)";
  const std::size_t from = page.find(open);
  REQUIRE(from != std::string::npos);
  const std::size_t start = from + open.size();
  const std::size_t end = page.find("</script>", start);
  REQUIRE(end != std::string::npos);
  return json::parse(page.substr(start, end - start));
}

/// The spec of the chart with element id `id`.
const json &chart(const json &data, const std::string &id) {
  for (const json &c : data["charts"])
    if (c["id"] == id) return c["spec"];
  FAIL("no chart " << id);
  throw std::logic_error("unreachable");
}

} // namespace

TEST_CASE("html: the report is one self-contained page", "[html]") {
  const analysis::ExperimentResult &r = default_result();
  const std::string page = analysis::render_html_report(r, "test-version");
  CHECK(page.rfind("<!DOCTYPE html>", 0) == 0);
  // Nothing to fetch: no external scripts, styles, images or frames.
  for (const char *fetch : {"<script src", "<link", "<img", "<iframe", "@import"}) {
    INFO(fetch);
    CHECK(page.find(fetch) == std::string::npos);
  }
  // Four scripts: the chart data, Vega, Vega-Lite, the code that draws; none ends early.
  CHECK(count(page, "<script") == 4);
  CHECK(count(page, "</script>") == 4);
  CHECK(page.find("sourceMappingURL") == std::string::npos);
  // The libraries are in, with their versions and licences.
  CHECK(page.find(fmt::format("Vega {}", analysis::vega_version())) != std::string::npos);
  CHECK(count(page, "Redistribution and use in source and binary forms") == 2);
  CHECK(page.find("supportsim test-version") != std::string::npos);
  // Same result, same bytes.
  CHECK(page == analysis::render_html_report(r, "test-version"));
}

TEST_CASE("html: every chart has its element and its data are the run's figures", "[html]") {
  const analysis::ExperimentResult &r = default_result();
  const analysis::VarianceReport v = analysis::forecast_variance(r);
  const std::string page = analysis::render_html_report(r, "x");
  const json data = chart_data(page);
  REQUIRE(data["charts"].size() == 8);
  for (const json &chart : data["charts"]) {
    const std::string id = chart["id"];
    INFO(id);
    CHECK(page.find("<div class=\"chart\" id=\"" + id + "\">") != std::string::npos);
    CHECK(chart["spec"].is_object());
  }
  // One row per region and local day: the 14 days of UTC span 15 local calendar days in each of
  // the 3 regions (the first and last partial), in region order then day order.
  const json &days = data["datasets"]["days"];
  REQUIRE(days.size() == 3 * 15);
  CHECK(days[0]["region"] == "AMER");
  CHECK(days[0]["day"] == "2027-01-10T00:00:00Z"); // the 7-day warm-up from 4 Jan: 18:00 local
  CHECK(days[15]["region"] == "EMEA");
  CHECK(days[17]["day"] == "2027-01-13T00:00:00Z");
  const auto mean = [&](std::size_t q, std::size_t k, double analysis::IntervalFigures::*m) {
    return analysis::across(
               r,
               [&](const analysis::ReplicationFigures &rep) { return rep.regions[q].days[k].*m; })
        .mean;
  };
  CHECK(days[17]["sla"].get<double>() == mean(1, 2, &analysis::IntervalFigures::sla_attainment));
  CHECK(days[17]["backlog"].get<double>() == mean(1, 2, &analysis::IntervalFigures::backlog));
  CHECK(days[44]["utilisation"].get<double>() ==
        mean(2, 14, &analysis::IntervalFigures::utilisation));
  CHECK(days[17]["sla_lo"].get<double>() <= days[17]["sla"].get<double>());
  CHECK(days[17]["sla_hi"].get<double>() >= days[17]["sla"].get<double>());

  // The SLA goal line of each region weights the priorities' targets by its cases: between the
  // lowest (90 %) and the highest (95 %) target.
  const json &goals = chart(data, "sla-chart")["layer"][2]["data"]["values"];
  REQUIRE(goals.size() == 3);
  for (const json &g : goals) {
    CHECK(g["goal"].get<double>() > 0.90);
    CHECK(g["goal"].get<double>() < 0.95);
  }

  // Forecast against simulated: every row of the variance report, flagged ones marked.
  const json &variance = chart(data, "variance-chart")["data"]["values"];
  REQUIRE(variance.size() == v.rows.size());
  std::size_t flagged = 0;
  for (const json &row : variance)
    flagged += row["status"] == "flagged";
  CHECK(flagged == v.flagged);
  CHECK(flagged > 0);
  // ... and the flagged rows' table names causes.
  CHECK(page.find("hand-off gap") != std::string::npos);
}

TEST_CASE("html: names from the scenario cannot break out of the page", "[html]") {
  scenarios::Scenario s = scenarios::default_scenario();
  s.name = "</script><script>alert(1)</script> & co";
  s.organisation.regions[0].name = "AM</script>ER";
  const analysis::ExperimentResult r = simulate(s, 7);
  const std::string page = analysis::render_html_report(r, "x");
  CHECK(count(page, "<script") == 4);
  CHECK(count(page, "</script>") == 4);
  CHECK(page.find("<title>&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; co") !=
        std::string::npos);
  // The data keep the name exactly, written so that no "<" appears in the element.
  const json data = chart_data(page);
  CHECK(data["datasets"]["days"][0]["region"] == "AM</script>ER");
}

TEST_CASE("html: html_escape escapes markup and quotes", "[html]") {
  CHECK(analysis::html_escape(R"(a<b>&"c'd)") == "a&lt;b&gt;&amp;&quot;c&#39;d");
  CHECK(analysis::html_escape("plain text, 95% ± 1") == "plain text, 95% ± 1");
}

TEST_CASE("html: a sweep's page marks the Pareto front of cost and SLA attainment", "[html]") {
  analysis::SweepSummary summary;
  summary.scenario = "toy";
  summary.source = "toy.json";
  summary.replications = 3;
  summary.settings = {"agent_groups.a.headcount"};
  struct Point {
    const char *name;
    double cost, sla;
    bool met;
  };
  // A dominates the baseline (cheaper and better); C is dominated by B; D ties A exactly, so
  // neither dominates the other and both are on the front.
  const std::vector<Point> points{{"baseline", 100, 0.90, false},
                                  {"A", 90, 0.92, false},
                                  {"B", 120, 0.95, true},
                                  {"C", 130, 0.94, true},
                                  {"D", 90, 0.92, false}};
  for (std::size_t i = 0; i < points.size(); ++i) {
    analysis::OptionSummary o;
    o.index = i;
    o.name = points[i].name;
    o.cost = {points[i].cost, 2, 3};
    o.sla = {points[i].sla, 0.01, 3};
    o.targets = {{"sla_attainment_P4", 0.93, o.sla, points[i].sla >= 0.93, false}};
    o.targets_met = points[i].met;
    if (i > 0)
      o.sla_difference = analysis::PairedDifference{{points[i].sla - 0.90, 0.004, 3}, "higher"};
    summary.options.push_back(o);
  }
  const std::string page = analysis::render_sweep_html(summary, "x");
  const json data = chart_data(page);
  REQUIRE(data["charts"].size() == 2);
  const json &rows = data["datasets"]["options"];
  REQUIRE(rows.size() == 5);
  std::vector<bool> front;
  for (const json &row : rows)
    front.push_back(row["pareto"].get<bool>());
  CHECK(front == std::vector<bool>{false, true, true, false, true});
  CHECK(rows[0]["status"] == "misses a target");
  CHECK(rows[0]["missed"] == "sla_attainment_P4");
  CHECK(rows[2]["status"] == "meets every target on the mean");
  CHECK(rows[0].count("sla_difference") == 0); // the baseline is not compared with itself
  CHECK(rows[1]["sla_difference"].get<double>() == Approx(0.02));
  CHECK(page.find("<title>toy · supportsim sweep</title>") != std::string::npos);
  CHECK(page.find("misses sla_attainment_P4") != std::string::npos);
  CHECK(count(page, "</script>") == 4);
}

namespace {

/// The rows of a data set of the page for one region (and channel, where given).
std::vector<json> rows_of(const json &rows, const std::string &region,
                          const std::string &channel = "") {
  std::vector<json> out;
  for (const json &row : rows)
    if (row["region"] == region && (channel.empty() || row["channel"] == channel))
      out.push_back(row);
  return out;
}

/// The row of `day` among `rows`.
const json &row_of_day(const std::vector<json> &rows, const std::string &day) {
  for (const json &row : rows)
    if (row["day"] == day) return row;
  FAIL("no row for " << day);
  throw std::logic_error("unreachable");
}

/// A figure's mean over the replications where it is defined, rounded as the page writes it.
double page_mean(const std::vector<double> &values, int decimals) {
  double sum = 0;
  int n = 0;
  for (double x : values)
    if (std::isfinite(x)) sum += x, ++n;
  const double scale = std::pow(10.0, decimals);
  return n == 0 ? NAN : std::round(sum / n * scale) / scale;
}

} // namespace

TEST_CASE("html: the heatmap holds every local day and interval of each region and channel",
          "[html]") {
  const analysis::ExperimentResult &r = default_result();
  const std::string page = analysis::render_html_report(r, "x");
  const json data = chart_data(page);
  const json &rows = data["datasets"]["heatmap"];
  const json &channels = chart(data, "heatmap-chart")["params"][2]["bind"]["options"];
  REQUIRE(channels.size() == 1 + models::channel_count); // every channel together, each alone
  const analysis::ReplicationFigures &first = r.replications[0];
  const std::size_t per_day = static_cast<std::size_t>(24 * 60 / first.interval_minutes);
  std::size_t expected = 0;
  for (const analysis::RegionFigures &q : first.regions) {
    std::set<std::string> days;
    for (const std::string &label : q.interval_labels)
      days.insert(label.substr(0, 10));
    expected += days.size() * channels.size();
  }
  REQUIRE(rows.size() == expected);
  for (const json &row : rows)
    for (const char *figure : {"sla", "asa", "abandonment"}) {
      INFO(row["region"] << " " << row["channel"] << " " << row["day"] << " " << figure);
      CHECK(row[figure].size() == per_day); // the local day's intervals
    }

  // EMEA's phone calls in its local interval 400 of the window (Berlin), as the sink counted
  // them: the page's cell is the mean over replications of each one's SLA attainment and
  // abandonment.
  const std::size_t emea = 1, interval = 400;
  const std::string label = first.regions[emea].interval_labels[interval];
  const std::size_t of_day = static_cast<std::size_t>(
      (std::stoi(label.substr(11, 2)) * 60 + std::stoi(label.substr(14, 2))) /
      first.interval_minutes);
  std::vector<double> sl, abandoned;
  for (const analysis::ReplicationFigures &rep : r.replications) {
    const analysis::IntervalCaseFigures &f = rep.regions[emea].intervals[interval].by_channel[0];
    sl.push_back(f.offered > 0 ? f.sla_attainment : NAN);
    abandoned.push_back(f.offered > 0 ? f.abandonment : NAN);
  }
  const std::vector<json> phone = rows_of(rows, "EMEA", "phone");
  const json &cell_day = row_of_day(phone, label.substr(0, 10));
  INFO(label);
  REQUIRE(cell_day["sla"][of_day].is_number());
  CHECK(cell_day["sla"][of_day].get<double>() == page_mean(sl, 2));
  CHECK(cell_day["abandonment"][of_day].get<double>() == page_mean(abandoned, 2));
  // Occupancy is the region's, with every channel only.
  CHECK(cell_day["occupancy"].empty());
  CHECK(
      row_of_day(rows_of(rows, "EMEA", "all channels"), label.substr(0, 10))["occupancy"].size() ==
      per_day);
}

TEST_CASE("html: staffing shows the run's available agents and the forecast's required ones",
          "[html]") {
  const analysis::ExperimentResult &r = default_result();
  const json data = chart_data(analysis::render_html_report(r, "x"));
  const json &rows = data["datasets"]["staffing"];
  const std::vector<analysis::RegionHourForecast> forecast = analysis::forecast_hours(r.scenario);
  const analysis::ReplicationFigures &first = r.replications[0];
  const std::size_t regions = first.regions.size();
  const sim::UtcTime window_start =
      sim::Clock(r.scenario.organisation.start).to_utc(sim::SimTime::zero() + r.scenario.warmup);
  std::size_t compared = 0;
  for (std::size_t q = 0; q < regions; ++q) {
    const analysis::RegionFigures &region = first.regions[q];
    const std::vector<json> days = rows_of(rows, region.name);
    for (std::size_t h = 30; h < region.interval_labels.size(); h += 37) {
      const std::string &label = region.interval_labels[h];
      const auto utc_hour = static_cast<std::size_t>(
          std::chrono::floor<std::chrono::hours>(region.interval_starts[h] - window_start)
              .count());
      const std::size_t of_day = static_cast<std::size_t>(
          (std::stoi(label.substr(11, 2)) * 60 + std::stoi(label.substr(14, 2))) /
          first.interval_minutes);
      const json &day = row_of_day(days, label.substr(0, 10));
      INFO(region.name << " " << label);
      const analysis::RegionHourForecast &f = forecast[utc_hour * regions + q];
      CHECK(day["required"][of_day].get<double>() == Approx(f.required_on_duty).margin(0.05));
      CHECK(day["on_duty"][of_day].get<double>() == Approx(f.agents_on_duty).margin(0.05));
      std::vector<double> available;
      for (const analysis::ReplicationFigures &rep : r.replications)
        available.push_back(rep.regions[q].intervals[h].agents_available);
      CHECK(day["available"][of_day].get<double>() == page_mean(available, 1));
      ++compared;
    }
  }
  CHECK(compared > 20);
}

TEST_CASE("html: the variance table is folded by cause, rates in percentage points", "[html]") {
  const analysis::Summary summary(default_result());
  const std::string page = analysis::render_html_report(summary, "x");
  const std::size_t table = page.find("<table class=\"causes\">");
  REQUIRE(table != std::string::npos);
  const std::string causes = page.substr(table, page.find("</table>", table) - table);
  // One row per mechanism: the 14 days of the default have flagged rows with several causes
  // each, but no mechanism is repeated.
  std::set<std::string> kinds;
  for (std::size_t at = causes.find("<tr><td class=\"text\">"); at != std::string::npos;
       at = causes.find("<tr><td class=\"text\">", at + 1)) {
    const std::size_t from = at + std::string("<tr><td class=\"text\">").size();
    CHECK(kinds.insert(causes.substr(from, causes.find('<', from) - from)).second);
  }
  CHECK(kinds.size() >= 2);
  CHECK(kinds.size() < summary.variance.flagged);
  // Every flagged row is listed under its causes; a rate's departure is in points.
  std::size_t sla_rows = 0;
  for (std::size_t at = causes.find("<li>"); at != std::string::npos;
       at = causes.find("<li>", at + 1)) {
    const std::string item = causes.substr(at, causes.find("</li>", at) - at);
    if (item.find(", SLA attainment:") == std::string::npos) continue;
    ++sla_rows;
    INFO(item);
    CHECK(item.find(" pp)") != std::string::npos);
  }
  CHECK(sla_rows > 0);
}

TEST_CASE("html: the seven targets side by side, as the scorecard judged them", "[html]") {
  const analysis::Summary summary(default_result());
  const std::string page = analysis::render_html_report(summary, "x");
  const std::size_t table = page.find("<table class=\"targets\">");
  REQUIRE(table != std::string::npos);
  const std::string targets = page.substr(table, page.find("</table>", table) - table);
  REQUIRE(summary.scorecard.targets.size() == 7);
  CHECK(count(targets, "<tr>") == 1 + 7);
  for (const analysis::ScorecardTarget &t : summary.scorecard.targets) {
    INFO(t.key);
    // (Built piece by piece: GCC 12 warns falsely on "literal" + string + "literal".)
    std::string cell(">");
    cell += analysis::html_escape(t.title);
    cell += '<';
    CHECK(targets.find(cell) != std::string::npos);
  }
  CHECK(count(targets, ">MISS<") ==
        static_cast<std::size_t>(std::count_if(summary.scorecard.targets.begin(),
                                               summary.scorecard.targets.end(),
                                               [](const analysis::ScorecardTarget &t) {
                                                 return t.verdict == analysis::Verdict::miss;
                                               })));
}

TEST_CASE("html: trends per channel and priority are the run's daily figures", "[html]") {
  const analysis::ExperimentResult &r = default_result();
  const json data = chart_data(analysis::render_html_report(r, "x"));
  const json &rows = data["datasets"]["trends"];
  const analysis::ReplicationFigures &first = r.replications[0];
  // Every region has phone, chat and email cases of every priority in the default.
  REQUIRE(rows.size() == first.regions.size() * (models::channel_count + models::priority_count));
  for (const json &row : rows) {
    INFO(row["region"] << " " << row["group"]);
    CHECK(row["asa"].size() == first.regions[0].days.size());
    CHECK(row["abandonment"].size() == row["asa"].size());
  }
  // EMEA's P2 on its fourth local day: the mean over replications of the day's ASA.
  const std::vector<json> emea = rows_of(rows, "EMEA");
  const json *p2 = nullptr;
  for (const json &row : emea)
    if (row["group"] == "P2") p2 = &row;
  REQUIRE(p2 != nullptr);
  std::vector<double> asa, abandoned;
  for (const analysis::ReplicationFigures &rep : r.replications) {
    asa.push_back(rep.regions[1].days[3].by_priority[1].asa);
    abandoned.push_back(rep.regions[1].days[3].by_priority[1].abandonment);
  }
  CHECK((*p2)["asa"][3].get<double>() == page_mean(asa, 1));
  CHECK((*p2)["abandonment"][3].get<double>() == page_mean(abandoned, 3));
  CHECK((*p2)["first_day"] == first.regions[1].day_labels[0].substr(0, 10));
}
