// Replications, confidence intervals, and the metric definitions on small hand-checked cases.
#include "analysis/metrics/sink.hpp"
#include "analysis/metrics/statistics.hpp"
#include "analysis/report/report.hpp"
#include "analysis/run/experiment.hpp"
#include "scenarios/scenario.hpp"
#include "sim/random.hpp"
#include "tests/support/organisations.hpp"
#include "tests/support/scenarios.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <nlohmann/json.hpp>
#include <vector>

using namespace supportsim;

TEST_CASE("statistics: Student t intervals", "[analysis]") {
  // t_{0.975} for 1, 9 and 29 degrees of freedom (standard tables).
  CHECK(analysis::student_t95(1) == Approx(12.7062).epsilon(1e-5));
  CHECK(analysis::student_t95(9) == Approx(2.26216).epsilon(1e-5));
  CHECK(analysis::student_t95(29) == Approx(2.04523).epsilon(1e-5));

  // 2, 4, 4, 4, 5, 5, 7, 9: mean 5, sample sd sqrt(32/7).
  const std::vector<double> xs{2, 4, 4, 4, 5, 5, 7, 9};
  const analysis::Estimate e = analysis::estimate(xs);
  CHECK(e.n == 8);
  CHECK(e.mean == Approx(5.0));
  CHECK(e.half_width == Approx(analysis::student_t95(7) * std::sqrt(32.0 / 7.0) / std::sqrt(8.0)));

  SECTION("undefined values are left out") {
    const std::vector<double> with_nan{1.0, NAN, 3.0};
    const analysis::Estimate f = analysis::estimate(with_nan);
    CHECK(f.n == 2);
    CHECK(f.mean == Approx(2.0));
  }
  SECTION("one value has no interval; none has no mean") {
    CHECK(std::isnan(analysis::estimate(std::vector<double>{4.0}).half_width));
    CHECK(std::isnan(analysis::estimate(std::vector<double>{}).mean));
  }
}

TEST_CASE("metrics: exact figures from hand-made records", "[analysis]") {
  // Warm-up of 60 minutes, run to 600 minutes, one region with 2 agents, P1 target 15 minutes
  // on a 24x7 clock.
  const models::OrganisationConfig org = testing::mmc(2, 1, 30, 0, 1);
  analysis::MetricsSink sink(org, sim::Duration::minutes(60));
  const std::vector<models::AgentInfo> agents{{0, 0, 0}, {0, 0, 1}};
  auto at = [](int minutes) { return sim::SimTime::zero() + sim::Duration::minutes(minutes); };
  auto info = [&](models::CaseNumber n, int arrived) {
    models::CaseInfo c;
    c.number = n;
    c.arrived = at(arrived);
    c.priority = models::Priority::p1;
    return c;
  };
  using models::AgentState;
  using models::TouchOutcome;
  sink.on(models::RunStarted{&org, agents, at(600)});
  sink.on(models::AgentStateChanged{at(0), 0, AgentState::available, true, false});
  sink.on(models::AgentStateChanged{at(0), 1, AgentState::available, true, false});
  // Case 0 arrives in the warm-up: it counts for agent time only.
  sink.on(models::CaseArrived{at(30), info(0, 30), models::WorkType::front_door});
  sink.on(models::FirstResponse{at(40), info(0, 30), 0});
  sink.on(
      models::TouchStarted{at(40), info(0, 30), 0, 0, models::WorkType::front_door, false, false});
  sink.on(models::TouchCompleted{at(100), info(0, 30), 0, at(40), TouchOutcome::resolved, 0});
  sink.on(models::CaseResolved{at(100), info(0, 30), 0, 1}); // 40 minutes in the window
  // Case 1: answered after 15 minutes exactly (meets the target), worked 60 minutes in two
  // touches, escalated once.
  sink.on(models::CaseArrived{at(100), info(1, 100), models::WorkType::front_door});
  sink.on(models::FirstResponse{at(115), info(1, 100), 1});
  sink.on(models::TouchStarted{at(115), info(1, 100), 1, 0, models::WorkType::front_door, false,
                               false});
  sink.on(models::TouchCompleted{at(145), info(1, 100), 1, at(115), TouchOutcome::escalated, 0});
  sink.on(models::TouchStarted{at(145), info(1, 100), 1, 1, models::WorkType::front_door, false,
                               false});
  sink.on(models::TouchCompleted{at(175), info(1, 100), 1, at(145), TouchOutcome::resolved, 0});
  sink.on(models::CaseResolved{at(175), info(1, 100), 1, 2});
  // Case 2: answered after 16 minutes (a miss).
  sink.on(models::CaseArrived{at(200), info(2, 200), models::WorkType::front_door});
  sink.on(models::FirstResponse{at(216), info(2, 200), 0});
  sink.on(models::TouchStarted{at(216), info(2, 200), 0, 0, models::WorkType::front_door, false,
                               false});
  sink.on(models::TouchCompleted{at(236), info(2, 200), 0, at(216), TouchOutcome::resolved, 0});
  sink.on(models::CaseResolved{at(236), info(2, 200), 0, 1});
  // Case 3: abandons after 5 minutes (a miss).
  sink.on(models::CaseArrived{at(300), info(3, 300), models::WorkType::front_door});
  sink.on(models::CaseAbandoned{at(305), info(3, 300)});
  // Agent 0 takes a 60-minute paid break: not available, still paid.
  sink.on(models::AgentStateChanged{at(400), 0, AgentState::paused, true, false});
  sink.on(models::AgentStateChanged{at(460), 0, AgentState::available, true, false});
  // Case 4: still waiting at the end, 10 minutes in: undecided. Case 5: in work since 580.
  sink.on(models::CaseArrived{at(590), info(4, 590), models::WorkType::front_door});
  sink.on(models::CaseArrived{at(570), info(5, 570), models::WorkType::front_door});
  sink.on(models::FirstResponse{at(580), info(5, 570), 1});
  sink.on(models::TouchStarted{at(580), info(5, 570), 1, 0, models::WorkType::front_door, false,
                               false});
  sink.on(models::CaseOpenAtEnd{at(600), info(4, 590), models::OpenState::awaiting_first_response,
                                models::no_agent, sim::SimTime::max()});
  sink.on(models::CaseOpenAtEnd{at(600), info(5, 570), models::OpenState::in_work, 1, at(580)});
  sink.on(models::RunEnded{at(600)});

  const analysis::ReplicationFigures f = sink.figures();
  const analysis::CaseFigures &c = f.regions[0].by_priority[0];
  CHECK(c.offered == 5);
  CHECK(c.answered == 3);
  CHECK(c.abandoned == 1);
  CHECK(c.resolved == 2);
  CHECK(c.open == 2);
  CHECK(c.sla_attainment == Approx(2.0 / 4.0)); // cases 1 and 5 meet; 2 and 3 miss; 4 undecided
  CHECK(c.abandonment == Approx(1.0 / 5.0));
  CHECK(c.mean_wait == Approx((15.0 + 16.0 + 10.0 + 5.0) / 4.0));
  CHECK(c.asa == Approx((15.0 + 16.0 + 10.0) / 3.0));
  CHECK(c.touches == Approx(1.5));
  CHECK(c.escalation_rate == Approx(1.0 / 5.0));
  CHECK(std::isnan(f.regions[0].by_priority[1].sla_attainment)); // no P2 cases
  // Agent time in the window [60, 600]: busy 40 + 60 + 20 + 20 = 140 minutes, available
  // 2 x 540 - 60 (the break) = 1020; paid 2 x 540 = 1080 minutes at 40 an hour.
  CHECK(f.regions[0].utilisation == Approx(140.0 / 1020.0));
  CHECK(f.regions[0].paid_hours == Approx(18.0));
  CHECK(f.regions[0].cost == Approx(18.0 * 40));
  CHECK(f.regions[0].cost_per_resolved == Approx(18.0 * 40 / 2));
  CHECK(f.all.all.offered == 5);
  // One day of window (60 to 600 minutes): the same cases, and the two still open at its end.
  REQUIRE(f.regions[0].days.size() == 1);
  const analysis::IntervalFigures &day = f.regions[0].days[0];
  CHECK(day.offered == 5);
  CHECK(day.sla_attainment == Approx(2.0 / 4.0));
  CHECK(day.asa == Approx((15.0 + 16.0 + 10.0) / 3.0));
  CHECK(day.abandonment == Approx(1.0 / 5.0));
  CHECK(day.backlog == 2);
  CHECK(day.utilisation == Approx(140.0 / 1020.0));
}

TEST_CASE("metrics: a business-hours SLA clock stops at night, at weekends and on holidays",
          "[analysis]") {
  // Region in UTC; business hours Mon-Fri 09:00-18:00; 2027-01-04 is a Monday.
  models::OrganisationConfig org = testing::mmc(1, 1, 30, 0, 30);
  org.regions[0].holidays = {models::Date{std::chrono::year{2027} / 1 / 6}}; // Wednesday
  org.service_levels.business_hours_clock[models::index_of(models::Segment::free)] = true;
  const analysis::SlaClock clock(org);
  auto at = [](const char *utc) {
    return sim::Clock(sim::parse_utc("2027-01-04")).from_utc(sim::parse_utc(utc));
  };
  models::CaseInfo c;
  c.segment = models::Segment::free;
  c.arrived = at("2027-01-04T17:00:00Z"); // Monday 17:00
  CHECK(clock.elapsed(c, at("2027-01-04T17:30:00Z")).to_minutes() == Approx(30));
  // Monday 17:00 -> Tuesday 10:00: one hour Monday, one hour Tuesday.
  CHECK(clock.elapsed(c, at("2027-01-05T10:00:00Z")).to_minutes() == Approx(120));
  // -> Thursday 10:00: Wednesday is a holiday, so one more hour only.
  CHECK(clock.elapsed(c, at("2027-01-07T10:00:00Z")).to_minutes() == Approx(60 + 9 * 60 + 60));
  // Friday 17:00 -> Monday 09:30: one hour Friday, 30 minutes Monday.
  c.arrived = at("2027-01-08T17:00:00Z");
  CHECK(clock.elapsed(c, at("2027-01-11T09:30:00Z")).to_minutes() == Approx(90));
  // A 24x7 segment counts the wall clock.
  c.segment = models::Segment::business;
  CHECK(clock.elapsed(c, at("2027-01-11T09:30:00Z")).to_minutes() ==
        Approx(2 * 24 * 60 + 16 * 60 + 30));
}

TEST_CASE("experiment: results depend only on seed and scenario", "[analysis]") {
  const scenarios::Scenario s = scenarios::default_scenario();
  analysis::RunOptions three;
  three.replications = 3;
  three.jobs = 1;
  analysis::RunOptions five = three;
  five.replications = 5;
  five.jobs = 2;
  const auto a = analysis::run_experiment(s, three);
  const auto b = analysis::run_experiment(s, five);
  // Replication r is the same run whether 3 or 5 were asked for, on 1 thread or 2.
  for (std::size_t r = 0; r < 3; ++r) {
    CHECK(a.replications[r].all.all.offered == b.replications[r].all.all.offered);
    CHECK(a.replications[r].all.all.mean_wait == b.replications[r].all.all.mean_wait);
    CHECK(a.replications[r].regions[2].utilisation == b.replications[r].regions[2].utilisation);
  }
  CHECK(a.replications[0].all.all.offered != a.replications[1].all.all.offered);
  CHECK(analysis::render_json(a, "test") ==
        analysis::render_json(analysis::run_experiment(s, three), "test"));
}

TEST_CASE("report: CSV files quote what needs quoting and leave undefined figures empty",
          "[analysis]") {
  const scenarios::Scenario s = scenarios::parse_scenario(
      R"({"name": "csv", "horizon_days": 2, "regions": [{"name": "North, \"East\"",
          "time_zone": "UTC"}], "demand": {"cases_per_month": 720},
          "agent_groups": [{"name": "team", "headcount": 2}]})",
      "csv.json");
  analysis::RunOptions options;
  options.replications = 2;
  const auto result = analysis::run_experiment(s, options);
  const std::string summary = analysis::render_summary_csv(result);
  // RFC 4180: a field with a comma or quote is quoted, quotes doubled.
  CHECK_THAT(summary, Catch::Contains("\n\"North, \"\"East\"\"\",P1,0.95,"));
  // Every case is P4 here, so P1 has no SLA attainment: an empty field, not "nan".
  CHECK_THAT(summary, !Catch::Contains("nan"));
  const std::string reps = analysis::render_replications_csv(result);
  CHECK_THAT(reps, Catch::StartsWith("replication,region,priority,offered,"));
  CHECK_THAT(reps, Catch::Contains("\n1,all,all,"));
}

TEST_CASE("report: misses in colour only when asked, taking no column", "[analysis]") {
  // One agent for a load of 3: the P4 cases miss their 24-hour target.
  scenarios::Scenario s;
  s.name = "overloaded";
  s.source = "overloaded";
  s.organisation = testing::mmc(1, 6, 30, 0, 3);
  analysis::RunOptions options;
  options.replications = 2;
  const auto result = analysis::run_experiment(s, options);
  const std::string plain = analysis::render_table(result, "t");
  const std::string coloured = analysis::render_table(result, "t", true);
  REQUIRE_THAT(plain, Catch::Contains(" MISS"));
  CHECK(plain.find('\x1b') == std::string::npos);
  CHECK_THAT(coloured, Catch::Contains("\x1b[1;31mMISS\x1b[0m"));
  // Without the escapes, the coloured table is the plain one.
  std::string stripped = coloured;
  for (const std::string escape : {"\x1b[1;31m", "\x1b[0m"})
    for (std::size_t at; (at = stripped.find(escape)) != std::string::npos;)
      stripped.erase(at, escape.size());
  CHECK(stripped == plain);
}

TEST_CASE("report: regional spread is the coefficient of variation of the regions' means",
          "[analysis]") {
  // Three regions whose SLA attainment averages 0.90, 0.95 and 1.00 over two replications.
  scenarios::Scenario s = scenarios::default_scenario();
  s.replications = 2;
  analysis::ExperimentResult result{s, {}, false, std::nullopt};
  for (const double shift : {-0.01, 0.01}) {
    analysis::ReplicationFigures rep;
    for (const double sla : {0.90, 0.95, 1.00}) {
      analysis::RegionFigures region;
      region.name = "R";
      region.all.sla_attainment = sla + shift;
      rep.regions.push_back(region);
    }
    result.replications.push_back(rep);
  }
  const nlohmann::json doc = nlohmann::json::parse(analysis::render_json(result, "t"));
  // Population standard deviation sqrt((0.05^2 + 0 + 0.05^2) / 3) over the mean 0.95.
  CHECK(doc["regional_spread"]["sla_attainment"].get<double>() ==
        Approx(std::sqrt(2 * 0.0025 / 3) / 0.95));
  const std::vector<analysis::RegionalSpread> spread = analysis::regional_spread(result);
  REQUIRE(spread[0].figure == "sla_attainment");
  CHECK(spread[0].region_means[1] == Approx(0.95));
  CHECK(spread[0].cv == Approx(std::sqrt(2 * 0.0025 / 3) / 0.95));
}

TEST_CASE("experiment: an overloaded run stops at its limit of open cases, naming the queue",
          "[analysis][memory]") {
  // 2 agents serving 30 an hour (4-minute emails) against 600 arriving an hour: the queue grows
  // by about 570 cases an hour, without bound.
  scenarios::Scenario s = testing::mmc_scenario(2, 600, 4, 0, 1, 60);
  s.organisation.max_open_cases = 2000;
  try {
    analysis::run_replication(s, 1, 0);
    FAIL("the run went on past its limit of open cases");
  } catch (const analysis::OverloadError &e) {
    const std::string message = e.what();
    CHECK_THAT(message, Catch::StartsWith("mmc: the run stopped at 2027-01-0"));
    CHECK_THAT(message, Catch::Contains("with 2000 cases open") &&
                            Catch::Contains("(--max-open-cases 2000)") &&
                            Catch::Contains("the Global backlog queue had "));
  }

  SECTION("the model holds exactly its limit, and the queue named is the one that grew") {
    models::OrganisationConfig o = testing::mmc(2, 600, 4, 0, 8);
    o.max_open_cases = 500;
    analysis::MetricsSink sink(o, sim::Duration::days(0));
    try {
      models::SupportModel(o, sim::RandomStreams(1, 0), sink).run();
      FAIL("no OpenCaseLimit");
    } catch (const models::OpenCaseLimit &e) {
      CHECK(e.where().open == 500);
      CHECK(e.where().limit == 500);
      CHECK(e.where().region == 0);
      CHECK(e.where().work_type == models::WorkType::backlog); // emails
      // Two cases are in the agents' hands; the rest wait.
      CHECK(e.where().waiting == 498);
      // About 500 / 570 of an hour after the start.
      const auto after = e.where().at - o.start;
      CHECK(after > std::chrono::minutes(40));
      CHECK(after < std::chrono::minutes(65));
    }
  }
  SECTION("a run within its limit is not touched by it") {
    scenarios::Scenario light = testing::mmc_scenario(2, 20, 4, 0, 1, 60);
    light.organisation.max_open_cases = 100;
    const analysis::ReplicationFigures limited = analysis::run_replication(light, 1, 0);
    light.organisation.max_open_cases = models::default_max_open_cases;
    const analysis::ReplicationFigures free = analysis::run_replication(light, 1, 0);
    CHECK(limited.all.all.offered == free.all.all.offered);
    CHECK(limited.all.all.sla_attainment == free.all.all.sla_attainment);
    CHECK(limited.all.all.offered > 3000);
  }
}
