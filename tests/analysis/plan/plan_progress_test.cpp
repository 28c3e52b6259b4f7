// plan's progress: after each headcount simulated, the count so far and the search's estimate of
// its whole length, which the CLI draws as sweep's progress bar with an ETA.
#include "analysis/plan/plan.hpp"
#include "scenarios/scenario.hpp"
#include "tests/support/scenarios.hpp"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

using namespace supportsim;

namespace {

struct Call {
  std::uint32_t evaluations, expected;
  std::string step;
};

} // namespace

TEST_CASE("plan: progress counts every simulation and ends at its estimate", "[plan]") {
  // M/M/c, 18 Erlangs, from 30 agents: Erlang C's 21 meet 80 % within 3 minutes.
  const scenarios::Scenario s = testing::mmc_scenario(30, 108, 10, 0, 2, 3);
  analysis::PlanOptions o;
  o.groups = analysis::match_groups(s.organisation, {"*"});
  o.targets = s.sla.attainment_target;
  o.targets[models::index_of(models::Priority::p4)] = 0.80;
  o.seed = 3;
  o.replications = 6;
  std::vector<Call> calls;
  o.progress = [&](std::uint32_t evaluations, std::uint32_t expected, std::string_view step) {
    calls.push_back({evaluations, expected, std::string(step)});
  };
  const analysis::PlanResult r = analysis::plan_headcount(s, o);
  REQUIRE(r.plan);
  REQUIRE(calls.size() == r.evaluations);
  for (std::size_t i = 0; i < calls.size(); ++i) {
    INFO("call " << i << ": " << calls[i].step);
    CHECK(calls[i].evaluations == i + 1);               // one call per simulation
    CHECK(calls[i].expected >= calls[i].evaluations);   // never past 100 %
    CHECK(calls[i].expected <= 2 * r.evaluations + 10); // an estimate, not the budget of 400
  }
  CHECK(calls.front().step == "the scenario as it is");
  CHECK(calls.back().step == "confirming on a fresh seed");
  // The last call is the last simulation: the bar ends full.
  CHECK(calls.back().expected == calls.back().evaluations);
  // The first estimate, before anything ran: the scenario, the Erlang start, one round of
  // adding (one group), lowering 30 agents (1 + 2 ceil(log2(30 / 5 + 1)) = 7) and the
  // confirmation: 2 + 1 + 7 + 1 = 11.
  CHECK(calls.front().expected == 11);
}
