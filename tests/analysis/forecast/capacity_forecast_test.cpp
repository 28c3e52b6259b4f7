// The analytic capacity forecast (analysis/forecast/capacity.hpp, docs/forecast.md): on M/M/c
// and M/M/c+M organisations it is Erlang C and Erlang A exactly, and the simulation agrees with
// it; the max-flow capacity check finds a known bottleneck; the default scenario forecasts.
#include "analysis/forecast/capacity.hpp"
#include "analysis/forecast/erlang.hpp"
#include "analysis/metrics/statistics.hpp"
#include "analysis/run/experiment.hpp"
#include "scenarios/scenario.hpp"
#include "tests/support/scenarios.hpp"

#include <algorithm>
#include <boost/math/distributions/students_t.hpp>
#include <catch2/catch.hpp>
#include <cmath>
#include <fmt/format.h>
#include <sstream>
#include <string>
#include <vector>

namespace {

using namespace supportsim;
using models::Priority;

using testing::mmc_scenario;

constexpr std::size_t p4 = models::index_of(Priority::p4);

} // namespace

TEST_CASE("forecast: M/M/c is Erlang C exactly", "[forecast]") {
  const scenarios::Scenario s = mmc_scenario(20, 108, 10, 0, 2, 3);
  const analysis::CapacityForecast f = analysis::forecast_capacity(s);
  REQUIRE(f.week_starts.size() == 2);
  REQUIRE(f.cells.size() == 2);
  CHECK_FALSE(f.erlang_a);
  CHECK(f.workload.touches == 1.0);
  CHECK(f.workload.minutes_per_touch == Approx(10.0).epsilon(1e-12));
  for (const analysis::RegionWeekForecast &c : f.cells) {
    INFO("week " << c.week);
    const double rate = c.cases / (7 * 24 * 60);
    CHECK(rate == Approx(108.0 / 60).epsilon(1e-9)); // the demand forecast's volume
    CHECK(c.agents_on_duty == 20.0);
    const analysis::ErlangC erlang{rate, 10.0, 20};
    CHECK(c.sla[p4] == Approx(erlang.service_level(3.0)).epsilon(1e-12));
    CHECK(c.mean_wait_minutes == Approx(erlang.mean_wait()).epsilon(1e-12));
    CHECK(c.utilisation == Approx(erlang.utilisation()).epsilon(1e-12));
    CHECK(c.abandonment == 0.0);
    CHECK(std::isnan(c.sla[0])); // no P1 cases
    CHECK(c.required_by_priority[0] == 0);
    const int required = analysis::erlang_c_required_servers(rate, 10.0, 3.0, 0.90);
    CHECK(c.required_by_priority[p4] == required);
    CHECK(c.required_on_duty == required);
    // 24x7, no shrinkage: an agent is on duty the whole week, so headcount = agents on duty.
    CHECK(c.required_headcount == Approx(required));
    CHECK(c.workload_hours == Approx(c.cases * 10.0 / 60));
  }
  REQUIRE(f.capacity.size() == 2);
  CHECK(f.capacity[0].feasible); // 18 Erlangs of work, 20 agents
  CHECK(f.capacity[0].servable_hours == Approx(f.capacity[0].demand_hours).margin(0.01));
  CHECK(f.capacity[0].bottleneck.empty());
}

TEST_CASE("forecast: M/M/c+M is Erlang A exactly", "[forecast]") {
  // Overloaded (load 1.1): only abandonment keeps the queue finite.
  const scenarios::Scenario s = mmc_scenario(20, 132, 10, 5, 1, 3);
  const analysis::CapacityForecast f = analysis::forecast_capacity(s);
  REQUIRE(f.cells.size() == 1);
  CHECK(f.erlang_a);
  const analysis::RegionWeekForecast &c = f.cells[0];
  const double rate = c.cases / (7 * 24 * 60);
  CHECK(rate == Approx(132.0 / 60).epsilon(1e-9));
  const analysis::ErlangA erlang{rate, 10.0, 20, 5.0};
  CHECK(c.sla[p4] == Approx(erlang.p_served_within(3.0)).epsilon(1e-12));
  CHECK(c.mean_wait_minutes == Approx(erlang.mean_wait()).epsilon(1e-12));
  CHECK(c.abandonment == Approx(erlang.p_abandon()).epsilon(1e-12));
  CHECK(c.utilisation == Approx(1.1).epsilon(1e-9)); // offered load / agents
  CHECK(c.required_on_duty == analysis::erlang_a_required_servers(rate, 10.0, 5.0, 3.0, 0.90));
  CHECK_FALSE(f.capacity[0].feasible); // 22 Erlangs of work for 20 agents
  CHECK(f.capacity[0].bottleneck == std::vector<std::string>{"demand general/en", "group team"});
}

namespace {

/// One figure per replication, as an estimate over replications.
template <class F> analysis::Estimate across(const analysis::ExperimentResult &result, F &&figure) {
  std::vector<double> values;
  for (const auto &rep : result.replications)
    values.push_back(figure(rep));
  return analysis::estimate(values);
}

/// The forecast inside the simulation's interval, widened from 95 % to 99.9 % (as in
/// queueing_theory_test.cpp: a fixed seed lands outside the 95 % one now and then), and the
/// forecast variance, (simulated - forecast) / forecast, about zero.
void inside(const char *what, const analysis::Estimate &e, double forecast_value,
            double max_relative) {
  INFO(what << ": simulated " << e.mean << " ± " << e.half_width << ", forecast "
            << forecast_value);
  REQUIRE(e.n == 20);
  boost::math::students_t t(e.n - 1.0);
  const double widen = boost::math::quantile(t, 0.9995) / boost::math::quantile(t, 0.975);
  CHECK(std::abs(e.mean - forecast_value) <= widen * e.half_width);
  CHECK(std::abs(e.mean - forecast_value) / forecast_value < max_relative);
}

analysis::ExperimentResult simulate(const scenarios::Scenario &s) {
  analysis::RunOptions options;
  options.replications = 20;
  options.seed = 7;
  return analysis::run_experiment(s, options);
}

using Figures = analysis::ReplicationFigures;

} // namespace

TEST_CASE("forecast: the simulated M/M/c agrees with the forecast", "[forecast]") {
  const scenarios::Scenario s = mmc_scenario(20, 108, 10, 0, 1, 3);
  const analysis::CapacityForecast f = analysis::forecast_capacity(s);
  REQUIRE(f.cells.size() == 1);
  const analysis::RegionWeekForecast &forecast = f.cells[0];
  const analysis::ExperimentResult result = simulate(s);
  inside("cases", across(result, [](const Figures &r) { return double(r.all.all.offered); }),
         forecast.cases, 0.01);
  inside("SLA attainment (3 min)",
         across(result, [](const Figures &r) { return r.all.all.sla_attainment; }),
         forecast.sla[p4], 0.03);
  inside("mean wait", across(result, [](const Figures &r) { return r.all.all.mean_wait; }),
         forecast.mean_wait_minutes, 0.15);
  inside("utilisation", across(result, [](const Figures &r) { return r.regions[0].utilisation; }),
         forecast.utilisation, 0.01);
}

TEST_CASE("forecast: the simulated M/M/c+M agrees with the forecast", "[forecast]") {
  const scenarios::Scenario s = mmc_scenario(20, 132, 10, 5, 1, 3);
  const analysis::RegionWeekForecast forecast = analysis::forecast_capacity(s).cells.at(0);
  const analysis::ExperimentResult result = simulate(s);
  inside("SLA attainment (3 min)",
         across(result, [](const Figures &r) { return r.all.all.sla_attainment; }),
         forecast.sla[p4], 0.03);
  inside("mean wait", across(result, [](const Figures &r) { return r.all.all.mean_wait; }),
         forecast.mean_wait_minutes, 0.1);
  inside("abandonment", across(result, [](const Figures &r) { return r.all.all.abandonment; }),
         forecast.abandonment, 0.1);
}

TEST_CASE("forecast: the max flow finds a language bottleneck", "[forecast]") {
  // Half the work is in Japanese (10 Erlangs, 1,680 agent hours a week); one agent speaks it.
  scenarios::Scenario s = mmc_scenario(20, 60, 20, 0, 1, 60);
  models::OrganisationConfig &o = s.organisation;
  o.products = {"DNS"};
  o.languages = {"en", "ja"};
  o.regions[0].language_mix = {0.5, 0.5};
  o.agent_groups[0].name = "en-team";
  o.agent_groups[0].language_proficiency = {1.0, 0.0};
  models::AgentGroupConfig ja = o.agent_groups[0];
  ja.name = "ja-team";
  ja.headcount = 1;
  ja.language_proficiency = {0.2, 1.0}; // below the floor (0.3) in English
  o.agent_groups.push_back(ja);

  SECTION("one Japanese speaker: infeasible, and the cut names the class and the group") {
    const analysis::CapacityForecast f = analysis::forecast_capacity(s);
    REQUIRE(f.capacity.size() == 1);
    const analysis::CapacityCheck &c = f.capacity[0];
    CHECK_FALSE(c.feasible);
    CHECK(c.demand_hours == Approx(60 * 20.0 / 60 * 168).epsilon(1e-6));
    CHECK(c.servable_hours == Approx(1680 + 168).margin(0.02)); // all English, one ja agent
    CHECK(c.bottleneck == std::vector<std::string>{"demand DNS/ja", "group ja-team"});
    const std::string table = analysis::render_forecast_table(f, s);
    CHECK(table.find("INFEASIBLE, bottleneck: demand DNS/ja, group ja-team") != std::string::npos);
  }
  SECTION("twenty Japanese speakers: feasible") {
    o.agent_groups[1].headcount = 20;
    const analysis::CapacityCheck c = analysis::forecast_capacity(s).capacity.at(0);
    CHECK(c.feasible);
    CHECK(c.bottleneck.empty());
  }
  SECTION("English as the fallback language: the English team takes the overflow") {
    o.routing.fallback_language = 0;
    const analysis::CapacityCheck c = analysis::forecast_capacity(s).capacity.at(0);
    CHECK(c.feasible); // 3,360 + 168 hours for 3,360 of work
  }
  SECTION("Japanese speakers below the proficiency floor do not count") {
    o.agent_groups[1].headcount = 20;
    o.agent_groups[1].language_proficiency = {0.0, 0.25};
    const analysis::CapacityCheck c = analysis::forecast_capacity(s).capacity.at(0);
    CHECK_FALSE(c.feasible);
    CHECK(c.servable_hours == Approx(1680).margin(0.02));
    CHECK(c.bottleneck == std::vector<std::string>{"demand DNS/ja"});
  }
}

TEST_CASE("forecast: workload per case", "[forecast]") {
  scenarios::Scenario s = mmc_scenario(20, 60, 20, 0, 1, 60);
  models::OrganisationConfig &o = s.organisation;
  SECTION("E[ceil(touches)] is exact") {
    o.lifecycle.touches = sim::Distribution::exponential(2.0);
    // E[ceil X] = sum_k P(X > k) = 1 / (1 - exp(-1/2)) for an exponential of mean 2.
    CHECK(analysis::case_workload(o).touches == Approx(1 / (1 - std::exp(-0.5))).epsilon(1e-12));
    o.lifecycle.touches = sim::Distribution::empirical({1, 1, 2, 2, 3});
    CHECK(analysis::case_workload(o).touches == Approx(1.8).epsilon(1e-12));
    o.lifecycle.touches = sim::Distribution::uniform(0.5, 2.5); // ceil: 1, 2, 3 w.p. 1/4, 1/2, 1/4
    CHECK(analysis::case_workload(o).touches == Approx(2.0).epsilon(1e-12));
  }
  SECTION("reopens, escalation, mixes, experience and proficiency") {
    o.lifecycle.reopen_probability = 0.1;
    o.tiers[0].escalation_probability = 0.2;
    o.tiers[0].to_engineering = true;
    o.demand.priority_mix = {0.5, 0.0, 0.0, 0.5};
    o.lifecycle.priority_work_factor = {2.0, 1.0, 1.0, 1.0};
    o.agent_groups[0].tenure_months = sim::Distribution::constant(6.0);
    o.experience.handle_time = models::LearningCurve{1.5, 6.0, {}};
    o.agent_groups[0].product_proficiency = {0.8};
    const analysis::CaseWorkload w = analysis::case_workload(o);
    CHECK(w.touches == Approx(1.1 / 0.8));
    CHECK(w.experience_factor == Approx(1 + 0.5 * std::exp(-1.0)));
    CHECK(w.proficiency_factor == Approx(1.2));
    CHECK(w.minutes_per_touch == Approx(20 * 1.5 * w.experience_factor * 1.2));
    CHECK(w.minutes == Approx(w.touches * w.minutes_per_touch));
  }
}

TEST_CASE("forecast: the default scenario", "[forecast]") {
  const scenarios::Scenario s = scenarios::default_scenario();
  const analysis::CapacityForecast f = analysis::forecast_capacity(s);
  const std::size_t weeks = f.week_starts.size();
  REQUIRE(weeks >= 12);
  REQUIRE(f.cells.size() == s.organisation.regions.size() * weeks);
  REQUIRE(f.capacity.size() == weeks);
  for (const analysis::RegionWeekForecast &c : f.cells) {
    INFO(s.organisation.regions[c.region].name << " week " << c.week);
    CHECK(c.cases > 0);
    CHECK(std::isfinite(c.workload_hours));
    CHECK(c.agents_on_duty > 0);
    CHECK(std::isfinite(c.utilisation));
    CHECK(std::isfinite(c.required_on_duty));
    CHECK(c.required_on_duty > 0);
    CHECK(std::isfinite(c.required_headcount));
    for (std::size_t p = 0; p < models::priority_count; ++p)
      if (s.organisation.demand.priority_mix[p] > 0) CHECK((c.sla[p] >= 0 && c.sla[p] <= 1));
  }
  for (const analysis::CapacityCheck &c : f.capacity) {
    CHECK(std::isfinite(c.demand_hours));
    CHECK(c.servable_hours <= c.demand_hours + 0.01);
  }
  std::istringstream table(analysis::render_forecast_table(f, s));
  std::size_t lines = 0;
  for (std::string line; std::getline(table, line); ++lines)
    CHECK(line.size() <= 100);
  CHECK(lines >= f.cells.size() + weeks);
}

TEST_CASE("forecast: every hour of M/M/c is Erlang C at the hour's rate", "[forecast]") {
  const scenarios::Scenario s = mmc_scenario(20, 108, 10, 0, 1, 3);
  const std::vector<analysis::RegionHourForecast> hours = analysis::forecast_hours(s);
  REQUIRE(hours.size() == 168); // one region, one week of hours
  const double rate = 108.0 / 60;
  const analysis::ErlangC erlang{rate, 10.0, 20};
  const int required = analysis::erlang_c_required_servers(rate, 10.0, 3.0, 0.90);
  for (const analysis::RegionHourForecast &h : hours) {
    INFO("hour " << h.hour);
    CHECK(h.region == 0);
    CHECK(h.cases == Approx(108).epsilon(1e-9)); // a flat profile: the same every hour
    CHECK(h.agents_on_duty == Approx(20).epsilon(1e-12));
    CHECK(h.servers_on_duty == Approx(20).epsilon(1e-12));
    CHECK(h.utilisation == Approx(erlang.utilisation()).epsilon(1e-9));
    CHECK(h.sla[p4] == Approx(erlang.service_level(3.0)).epsilon(1e-9));
    CHECK(std::isnan(h.sla[0]));
    CHECK(h.required_on_duty == required);
  }
  const std::string table = analysis::render_staffing_table(hours, s);
  // 20 on duty and 22 needed for 90 % within 3 minutes, every hour alike.
  CHECK(required == 22);
  CHECK(table.find("Global (UTC): 168 of 168 hours short; 100.0% of the cases arrive in them") !=
        std::string::npos);
  CHECK(table.find(fmt::format("Mon {:>4}", fmt::format("{:+}", 20 - required))) !=
        std::string::npos);
}

TEST_CASE("forecast: hourly agents follow local shifts and breaks across DST", "[forecast]") {
  // Ten agents in London, 09:00-17:00 Monday to Friday with an hour's break at 12:00; the week
  // of 2027-03-22 measured, whose Sunday the clocks go forward (GMT to BST).
  scenarios::Scenario s = mmc_scenario(10, 6, 10, 0, 2, 60);
  models::OrganisationConfig &o = s.organisation;
  o.start = sim::parse_utc("2027-03-21"); // a Sunday; the one-day warm-up ends Monday 00:00 UTC
  o.regions[0].time_zone = "Europe/London";
  o.sites[0].time_zone = "Europe/London";
  models::ShiftConfig day;
  day.name = "day";
  day.days = {true, true, true, true, true, false, false};
  day.start = models::TimeOfDay{9 * 60};
  day.end = models::TimeOfDay{17 * 60};
  day.breaks.push_back(models::BreakConfig{models::TimeOfDay{12 * 60}, 60, false});
  o.shifts = {day};
  o.agent_groups[0].shifts = {0};
  o.agent_groups[0].shrinkage.absence = 0.1;
  const std::vector<analysis::RegionHourForecast> hours = analysis::forecast_hours(s);
  REQUIRE(hours.size() == 336);
  auto on_duty = [&](std::size_t day_of_window, std::size_t utc_hour) {
    return hours.at(day_of_window * 24 + utc_hour).agents_on_duty;
  };
  // Monday 22 March, GMT: 09:00-12:00 and 13:00-17:00 UTC, 90 % present.
  CHECK(on_duty(0, 8) == 0);
  CHECK(on_duty(0, 9) == Approx(9));
  CHECK(on_duty(0, 11) == Approx(9));
  CHECK(on_duty(0, 12) == 0);
  CHECK(on_duty(0, 16) == Approx(9));
  CHECK(on_duty(0, 17) == 0);
  CHECK(on_duty(5, 10) == 0); // Saturday
  // Monday 29 March, BST (UTC+1): the same local shift is an hour earlier in UTC.
  CHECK(on_duty(7, 7) == 0);
  CHECK(on_duty(7, 8) == Approx(9));
  CHECK(on_duty(7, 11) == 0);
  CHECK(on_duty(7, 15) == Approx(9));
  CHECK(on_duty(7, 16) == 0);
  // Hours with cases and nobody on duty are short, and the table says how many.
  const std::string table = analysis::render_staffing_table(hours, s);
  CHECK(table.find("Global (Europe/London): 266 of 336 hours short") != std::string::npos);
}
