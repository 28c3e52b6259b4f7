#include "analysis/run/experiment.hpp"
#include "analysis/sweep/sweep.hpp"
#include "scenarios/override.hpp"
#include "tests/support/scenarios.hpp"

#include <atomic>
#include <catch2/catch.hpp>
#include <string>
#include <vector>

using namespace supportsim;

// The Python module's Ctrl-C: a flag another thread sets, checked before each replication.

TEST_CASE("parallel_for: once cancelled, no task starts and Cancelled is thrown", "[analysis]") {
  std::atomic<bool> cancel{false};
  std::vector<int> ran(100, 0);
  SECTION("set by the third task, one thread") {
    CHECK_THROWS_AS(analysis::parallel_for(100, 1, &cancel,
                                           [&](std::size_t i) {
                                             ++ran[i];
                                             if (i == 2) cancel = true;
                                           }),
                    analysis::Cancelled);
    CHECK(std::vector<int>(ran.begin(), ran.begin() + 4) == std::vector<int>{1, 1, 1, 0});
    CHECK(std::count(ran.begin(), ran.end(), 1) == 3);
  }
  SECTION("set by the third task, four threads: at most the running ones finish") {
    CHECK_THROWS_AS(analysis::parallel_for(100, 4, &cancel,
                                           [&](std::size_t i) {
                                             ++ran[i];
                                             if (i == 2) cancel = true;
                                           }),
                    analysis::Cancelled);
    CHECK(std::count(ran.begin(), ran.end(), 1) < 100);
    CHECK(std::count(ran.begin(), ran.end(), 2) == 0);
  }
  SECTION("never set: every task runs once, nothing thrown") {
    analysis::parallel_for(100, 4, &cancel, [&](std::size_t i) { ++ran[i]; });
    CHECK(std::count(ran.begin(), ran.end(), 1) == 100);
  }
}

TEST_CASE("experiment and sweep: a cancelled run has no result", "[analysis]") {
  const scenarios::Scenario s = testing::mmc_scenario(3, 6, 20, 30, 1, 10);
  std::atomic<bool> cancel{true};
  analysis::RunOptions run;
  run.replications = 4;
  run.cancel = &cancel;
  CHECK_THROWS_AS(analysis::run_experiment(s, run), analysis::Cancelled);
  cancel = false;
  CHECK(analysis::run_experiment(s, run).replications.size() == 4);

  // A sweep stopped from its progress callback after its first replication.
  const scenarios::SweepPlan plan =
      scenarios::plan_sweep("(embedded default)", scenarios::load_scenario_document(""),
                            {"agent_groups.austin-l1.headcount=18,22"});
  analysis::SweepRunOptions options;
  options.replications = 2;
  options.jobs = 1;
  options.cancel = &cancel;
  std::size_t done = 0;
  options.progress = [&](std::size_t d, std::size_t) {
    done = d;
    cancel = true;
  };
  CHECK_THROWS_AS(analysis::run_sweep(plan, options), analysis::Cancelled);
  CHECK(done == 1);
}
