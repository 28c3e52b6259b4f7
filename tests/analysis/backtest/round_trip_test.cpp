// The backtest's round trip: supportsim itself runs a call centre with known handle-time and
// patience distributions and staffing that varies by hour and date, and writes what happened
// as a history file and a roster file, as a real centre's exports would be. Calibrate recovers
// the distributions from the history; backtest, replaying the history against the roster with
// each call's actual handle time, reproduces the run's per-interval figures within its bands.
#include "analysis/backtest/backtest.hpp"
#include "analysis/backtest/history.hpp"
#include "analysis/calibrate/calibration.hpp"
#include "models/support_model.hpp"
#include "scenarios/staffing.hpp"
#include "tests/support/organisations.hpp"
#include "tests/support/temp_dir.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fmt/format.h>
#include <map>
#include <sstream>

using namespace supportsim;
using namespace supportsim::analysis::backtest;

namespace {

constexpr double handle_mean = 5.0, handle_cv = 0.8, patience_mean = 3.0;
constexpr int days = 14;

/// Agents on duty in local hour h of day d: a day curve, one more every third day.
int on_duty(int d, int h) {
  static constexpr int by_hour[24] = {3, 3, 3, 3, 3, 3, 4, 5, 6, 6, 6, 6,
                                      6, 6, 6, 6, 6, 5, 5, 5, 4, 4, 4, 3};
  return by_hour[h] + (d % 3 == 0 ? 1 : 0);
}

models::OrganisationConfig organisation() {
  models::OrganisationConfig o = testing::mmc(8, 55, handle_mean, patience_mean, days);
  o.start = sim::parse_utc("2027-03-22"); // Lisbon moves to summer time on the 28th
  o.regions[0].time_zone = "Europe/Lisbon";
  o.sites[0].time_zone = "Europe/Lisbon";
  o.demand.channel_mix = {1.0, 0.0, 0.0};
  o.lifecycle.work_minutes = {sim::Distribution::lognormal(handle_mean, handle_cv),
                              sim::Distribution::exponential(30), sim::Distribution::exponential(30)};
  o.lifecycle.patience_minutes[0] = sim::Distribution::exponential(patience_mean);
  // Agent k works each run of local hours with more than k on duty, as one logged-in period.
  const sim::Clock clock(o.start);
  const date::time_zone *lisbon = sim::find_zone("Europe/Lisbon");
  for (std::uint32_t k = 0; k < 8; ++k)
    for (int d = 0; d < days; ++d)
      for (int h = 0; h < 24;) {
        if (on_duty(d, h) <= static_cast<int>(k)) {
          ++h;
          continue;
        }
        const int from = h;
        while (h < 24 && on_duty(d, h) > static_cast<int>(k)) ++h;
        const auto local_day = std::chrono::local_days(std::chrono::year(2027) / 3 / 22) +
                               std::chrono::days(d);
        const auto at = [&](int hour) {
          return clock.to_utc(clock.from_local(lisbon, local_day + std::chrono::hours(hour)));
        };
        o.staffing.periods.push_back({0, k, at(from), at(h)});
      }
  std::sort(o.staffing.periods.begin(), o.staffing.periods.end(), [](const auto &a, const auto &b) {
    return std::tie(a.start, a.group, a.agent) < std::tie(b.start, b.group, b.agent);
  });
  return o;
}

/// What a centre's export would hold, written as the run goes.
class HistoryWriter final : public models::RecordSink {
public:
  explicit HistoryWriter(const sim::Clock &clock) : clock_(clock) {}
  struct Row {
    sim::SimTime created, ended;
    double handle = -1;
    std::uint32_t agent = 0;
    bool answered = false, abandoned = false;
  };
  std::vector<Row> rows;
  // Cases are numbered from 0 in order of arrival: the row of case n is rows[n].
  void on(const models::CaseArrived &r) override { rows.push_back({r.time, r.time}); }
  void on(const models::FirstResponse &r) override {
    Row &row = rows[r.info.number];
    row.answered = true;
    row.ended = r.time;
  }
  void on(const models::TouchStarted &r) override {
    if (r.touch == 0) rows[r.info.number].agent = r.agent;
  }
  void on(const models::TouchCompleted &r) override {
    Row &row = rows[r.info.number];
    if (row.handle < 0) row.handle = (r.time - r.started).to_minutes();
  }
  void on(const models::CaseAbandoned &r) override {
    Row &row = rows[r.info.number];
    row.abandoned = true;
    row.ended = r.time;
  }
  std::string csv() const {
    std::string out = "case_id,created_utc,channel,answered_utc,abandoned_utc,handle_minutes,"
                      "agent,group\n";
    for (std::size_t i = 0; i < rows.size(); ++i) {
      const Row &r = rows[i];
      const std::string ended = clock_.format_utc(r.ended, true);
      out += fmt::format("{},{},phone,{},{},{},{},{}\n", i, clock_.format_utc(r.created, true),
                         r.answered ? ended : "", r.abandoned ? ended : "",
                         r.handle >= 0 ? fmt::format("{:.6f}", r.handle) : "",
                         r.answered ? fmt::format("a{}", r.agent) : "", r.answered ? "team" : "");
    }
    return out;
  }

private:
  sim::Clock clock_;
};

std::string roster_csv(const models::OrganisationConfig &o) {
  const sim::Clock clock(o.start);
  std::string out = "agent,group,start_utc,end_utc\n";
  for (const models::StaffedPeriod &p : o.staffing.periods)
    out += fmt::format("a{},team,{},{}\n", p.agent, clock.format_utc(clock.from_utc(p.start)),
                       clock.format_utc(clock.from_utc(p.end)));
  return out;
}

} // namespace

TEST_CASE("backtest: a history supportsim wrote is calibrated and reproduced", "[backtest]") {
  models::OrganisationConfig generating = organisation();
  const sim::Clock clock(generating.start);
  HistoryWriter writer(clock);
  models::SupportModel(generating, sim::RandomStreams(7, 0), writer).run();
  REQUIRE(writer.rows.size() > 15000);
  const testing::TempDir dir;
  const std::string history_path = dir.write("calls.csv", writer.csv());
  const std::string roster_path = dir.write("roster.csv", roster_csv(generating));
  // SUPPORTSIM_ROUND_TRIP_OUT=DIR keeps a copy of both files (docs/backtest.md's example).
  if (const char *keep = std::getenv("SUPPORTSIM_ROUND_TRIP_OUT")) {
    std::filesystem::create_directories(keep);
    std::filesystem::copy_file(history_path, std::filesystem::path(keep) / "calls.csv",
                               std::filesystem::copy_options::overwrite_existing);
    std::filesystem::copy_file(roster_path, std::filesystem::path(keep) / "roster.csv",
                               std::filesystem::copy_options::overwrite_existing);
  }

  // The scenario a planner would start from: the same organisation without its staffing, and
  // with other distributions than the truth.
  scenarios::Scenario scenario;
  scenario.name = "round trip";
  scenario.source = "test";
  scenario.organisation = generating;
  scenario.organisation.staffing = {};
  scenario.organisation.lifecycle.work_minutes[0] = sim::Distribution::exponential(9);
  scenario.organisation.lifecycle.patience_minutes[0] = sim::Distribution::exponential(10);

  HistoryReadOptions reading;
  reading.mapping = scenarios::arrivals_preset(scenarios::ArrivalsFormat::native);
  SECTION("calibrate recovers handle time and patience") {
    std::vector<std::string> warnings;
    const auto cases =
        read_calibration_cases(history_path, scenario.organisation, reading, warnings);
    // The only warning: the few calls still waiting when the generating run ended.
    REQUIRE(warnings.size() == 1);
    CHECK_THAT(warnings[0], Catch::Contains("with nothing to replay"));
    const analysis::Calibration c = analysis::calibrate(cases);
    const auto &phone = c.channels[models::index_of(models::Channel::phone)];
    REQUIRE(phone.handle.distribution);
    CHECK(phone.handle.chosen == analysis::Family::lognormal);
    CHECK(phone.handle.distribution->mean() == Approx(handle_mean).epsilon(0.03));
    REQUIRE(phone.patience);
    REQUIRE(phone.patience->distribution);
    CHECK(phone.patience->abandoned > 1000);
    CHECK(phone.patience->distribution->mean() == Approx(patience_mean).epsilon(0.03));
    CHECK(phone.patience->naive_mean < 0.7 * patience_mean); // and the naive estimate is not
  }
  SECTION("backtest with actual service reproduces the run interval by interval") {
    HistoryReading history = read_history(history_path, scenario.organisation, reading);
    scenario.organisation.staffing = scenarios::load_staffing(roster_path, scenario.organisation);
    CHECK(scenario.organisation.staffing.periods.size() == generating.staffing.periods.size());
    scenario.organisation.actual_service = true;
    // As calibrated (the section above): patience for every call, and handle time for the calls
    // the history has none for (abandoned there, answered in a replication).
    scenario.organisation.lifecycle.patience_minutes[0] =
        sim::Distribution::exponential(patience_mean);
    scenario.organisation.lifecycle.work_minutes[0] =
        sim::Distribution::lognormal(handle_mean, handle_cv);
    BacktestOptions options;
    options.replications = 30;
    options.jobs = 2;
    options.figures.sl_seconds = {20, 60};
    const BacktestResult result = run_backtest(scenario, history.history, options);
    std::size_t compared = 0, inside = 0;
    std::map<std::string, std::pair<std::size_t, std::size_t>> by_figure;
    for (const IntervalComparison &i : result.score.intervals) {
      if (std::isnan(i.actual) || std::isnan(i.simulated.mean)) continue;
      const bool in = i.actual >= i.simulated.low && i.actual <= i.simulated.high;
      ++compared;
      inside += in;
      auto &[n, k] = by_figure[result.figures[i.figure]];
      ++n;
      k += in;
    }
    for (const auto &[name, counts] : by_figure)
      UNSCOPED_INFO(name << ": " << counts.second << " of " << counts.first << " inside");
    REQUIRE(compared > 3000);
    CHECK(static_cast<double>(inside) / compared >= 0.9);
    for (const FigureScore &s : result.score.overall)
      if (s.figure != static_cast<std::size_t>(Figure::backlog)) {
        INFO(result.figures[s.figure] << " actual " << s.actual << " simulated " << s.simulated.mean);
        CHECK(s.reproduced);
      }
  }
}
