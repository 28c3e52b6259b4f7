// Replications, confidence intervals, and the metric definitions on small hand-checked cases.
#include "analysis/experiment.hpp"
#include "analysis/metrics.hpp"
#include "analysis/report.hpp"
#include "analysis/statistics.hpp"
#include "scenarios/scenario.hpp"

#include <catch2/catch.hpp>
#include <cmath>
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
  // Warm-up of 60 minutes, run to 600 minutes, one queue of 2 agents, P1 target 15 minutes.
  scenarios::SlaPolicy sla;
  analysis::MetricsSink sink(sla, sim::Duration::minutes(60));
  const std::vector<models::QueueInfo> queues{{"Q", 2}};
  auto at = [](int minutes) { return sim::SimTime::zero() + sim::Duration::minutes(minutes); };
  const auto p1 = models::Priority::p1;
  sink.on(models::RunStarted{queues, at(600)});
  // Case 0 arrives in the warm-up: it counts for agent time only.
  sink.on(models::CaseArrived{at(30), 0, 0, p1});
  sink.on(models::FirstResponse{at(40), 0, 0, p1, at(30), 0});
  sink.on(models::CaseResolved{at(100), 0, 0, p1, at(30), at(40), 0}); // 40 minutes in window
  // Case 1: answered after 15 minutes exactly (meets the target), worked 60 minutes.
  sink.on(models::CaseArrived{at(100), 1, 0, p1});
  sink.on(models::FirstResponse{at(115), 1, 0, p1, at(100), 1});
  sink.on(models::CaseResolved{at(175), 1, 0, p1, at(100), at(115), 1});
  // Case 2: answered after 16 minutes (a miss).
  sink.on(models::CaseArrived{at(200), 2, 0, p1});
  sink.on(models::FirstResponse{at(216), 2, 0, p1, at(200), 0});
  sink.on(models::CaseResolved{at(236), 2, 0, p1, at(200), at(216), 0});
  // Case 3: abandons after 5 minutes (a miss).
  sink.on(models::CaseArrived{at(300), 3, 0, p1});
  sink.on(models::CaseAbandoned{at(305), 3, 0, p1, at(300)});
  // Case 4: still waiting at the end, 10 minutes in: undecided. Case 5: in work since 580.
  sink.on(models::CaseArrived{at(590), 4, 0, p1});
  sink.on(models::CaseArrived{at(570), 5, 0, p1});
  sink.on(models::FirstResponse{at(580), 5, 0, p1, at(570), 1});
  sink.on(models::CaseOpenAtEnd{at(600), 4, 0, p1, at(590), sim::SimTime::max(), 0});
  sink.on(models::CaseOpenAtEnd{at(600), 5, 0, p1, at(570), at(580), 1});

  const analysis::ReplicationFigures f = sink.figures();
  const analysis::CaseFigures &c = f.queues[0].by_priority[0];
  CHECK(c.offered == 5);
  CHECK(c.answered == 3);
  CHECK(c.abandoned == 1);
  CHECK(c.open == 2);
  CHECK(c.sla_attainment == Approx(2.0 / 4.0)); // cases 1 and 5 meet; 2 and 3 miss; 4 undecided
  CHECK(c.abandonment == Approx(1.0 / 5.0));
  CHECK(c.mean_wait == Approx((15.0 + 16.0 + 10.0 + 5.0) / 4.0));
  CHECK(c.asa == Approx((15.0 + 16.0 + 10.0) / 3.0));
  CHECK(std::isnan(f.queues[0].by_priority[1].sla_attainment)); // no P2 cases
  // Agent time in the window [60, 600]: 40 + 60 + 20 + 20 = 140 minutes of 2 x 540.
  CHECK(f.queues[0].utilisation == Approx(140.0 / 1080.0));
  CHECK(f.all.offered == 5);
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
    CHECK(a.replications[r].all.offered == b.replications[r].all.offered);
    CHECK(a.replications[r].all.mean_wait == b.replications[r].all.mean_wait);
    CHECK(a.replications[r].queues[2].utilisation == b.replications[r].queues[2].utilisation);
  }
  CHECK(a.replications[0].all.offered != a.replications[1].all.offered);
  CHECK(analysis::render_json(a, "test") ==
        analysis::render_json(analysis::run_experiment(s, three), "test"));
}

TEST_CASE("report: CSV files quote what needs quoting and leave undefined figures empty",
          "[analysis]") {
  const scenarios::Scenario s = scenarios::parse_scenario(
      R"({"name": "csv", "horizon_days": 2, "queues": [{"name": "North, \"East\"", "agents": 2,
          "arrivals_per_hour": 1, "handle_minutes": {"type": "exponential", "mean": 20}}]})",
      "csv.json");
  analysis::RunOptions options;
  options.replications = 2;
  const auto result = analysis::run_experiment(s, options);
  const std::string summary = analysis::render_summary_csv(result);
  // RFC 4180: a field with a comma or quote is quoted, quotes doubled.
  CHECK_THAT(summary, Catch::Contains("\n\"North, \"\"East\"\"\",P1,15,0.95,"));
  // Every case is P4 here, so P1 has no SLA attainment: an empty field, not "nan".
  CHECK_THAT(summary, !Catch::Contains("nan"));
  const std::string reps = analysis::render_replications_csv(result);
  CHECK_THAT(reps, Catch::StartsWith("replication,queue,priority,offered,"));
  CHECK_THAT(reps, Catch::Contains("\n1,all,all,"));
}
