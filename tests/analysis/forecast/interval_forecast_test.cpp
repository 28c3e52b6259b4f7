// forecast_intervals: required agents per local interval (the WFM requirement table), against
// Erlang C worked out here for a constant-rate M/M/c queue.
#include "analysis/forecast/capacity.hpp"
#include "tests/support/scenarios.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <string>

namespace {

using namespace supportsim;

/// Erlang C: the probability that a case waits, with `servers` servers and `load` Erlangs.
double erlang_c(int servers, double load) {
  double b = 1; // Erlang B by its recursion
  for (int n = 1; n <= servers; ++n)
    b = load * b / (n + load * b);
  const double rho = load / servers;
  return b / (1 - rho * (1 - b));
}

/// P(wait <= t) in M/M/c: 1 - C(c, A) exp(-(c - A) t / s).
double served_within(int servers, double load, double mean_minutes, double t) {
  return 1 - erlang_c(servers, load) * std::exp(-(servers - load) * t / mean_minutes);
}

} // namespace

TEST_CASE("forecast per interval: a constant-rate M/M/c queue against Erlang C",
          "[forecast][intervals]") {
  // 12 emails an hour, 10 minutes each (A = 2 Erlangs), 3 agents 24x7, P4 within 1 minute at
  // 90 %: one week measured after a day's warm-up.
  const scenarios::Scenario s = testing::mmc_scenario(3, 12, 10, 0, 1, 1);
  REQUIRE(s.sla.attainment_target[3] == 0.9);
  // By hand: P(W <= 1 min) is 0.598 with 3 agents (C = 4/9), 0.858 with 4, 0.956 with 5.
  CHECK(served_within(3, 2, 10, 1) == Approx(0.597850).epsilon(1e-5));
  CHECK(served_within(4, 2, 10, 1) == Approx(0.857612).epsilon(1e-5));
  CHECK(served_within(5, 2, 10, 1) == Approx(0.955772).epsilon(1e-5));
  const int minutes = GENERATE(15, 30, 60);
  INFO(minutes << "-minute intervals");
  const std::vector<analysis::RegionIntervalForecast> cells =
      analysis::forecast_intervals(s, minutes);
  REQUIRE(cells.size() == static_cast<std::size_t>(7 * 24 * 60 / minutes));
  for (const analysis::RegionIntervalForecast &c : cells) {
    INFO(c.start_local);
    CHECK(c.hours == Approx(minutes / 60.0));
    CHECK(c.cases == Approx(12.0 * minutes / 60).epsilon(1e-9));
    CHECK(c.agents_on_duty == Approx(3).epsilon(1e-12));
    CHECK(c.utilisation == Approx(2.0 / 3).epsilon(1e-9));
    CHECK(c.sla[3] == Approx(served_within(3, 2, 10, 1)).epsilon(1e-9));
    CHECK(std::isnan(c.sla[0])); // no P1 cases
    CHECK(c.required_on_duty == 5);
  }
  CHECK(cells[0].start_local == "2027-01-05T00:00");
  CHECK(cells[1].start == sim::parse_utc("2027-01-05T00:00:00Z") + std::chrono::minutes(minutes));

  // Summed per local day: 7 days of 24 hours, 5 agents required all day, 3 on duty.
  const std::vector<analysis::DayRequirement> days = analysis::daily_requirements(cells);
  REQUIRE(days.size() == 7);
  CHECK(days[0].hours == Approx(24));
  CHECK(days[0].cases == Approx(288).epsilon(1e-9));
  CHECK(days[0].required_agent_hours == Approx(120));
  CHECK(days[0].on_duty_agent_hours == Approx(72));
  CHECK(days[0].peak_required_on_duty == 5);
  CHECK(days[0].intervals_short == days[0].intervals);

  const std::string csv = analysis::render_requirement_csv(cells, s);
  CHECK(csv.rfind("region,interval_start_local,interval_start_utc,hours,cases,agents_on_duty,"
                  "servers_on_duty,utilisation,P1_sla,P2_sla,P3_sla,P4_sla,required_on_duty\n"
                  "Global,2027-01-05T00:00,2027-01-05T00:00:00Z,",
                  0) == 0);
}

TEST_CASE("forecast per interval: the intervals are a run's, in a half-hour zone",
          "[forecast][intervals]") {
  scenarios::Scenario s = testing::mmc_scenario(3, 12, 10, 0, 1, 1);
  s.organisation.regions[0].time_zone = "Asia/Kolkata";
  const std::vector<analysis::RegionIntervalForecast> hours = analysis::forecast_intervals(s, 60);
  // From 05:30 local: a half hour, 167 whole hours, a half hour.
  REQUIRE(hours.size() == 169);
  CHECK(hours[0].start_local == "2027-01-05T05:30");
  CHECK(hours[0].hours == Approx(0.5));
  CHECK(hours[0].cases == Approx(6).epsilon(1e-9));
  CHECK(hours[1].start_local == "2027-01-05T06:00");
  CHECK(hours[168].hours == Approx(0.5));
  CHECK(hours[0].required_on_duty == 5); // the same rate: the same queue
}
