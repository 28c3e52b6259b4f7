// supportsim plan (analysis/plan/plan.hpp): on an M/M/c organisation, where Erlang C gives the
// exact least number of agents for a target, the search finds that number; group patterns and
// targets are read strictly.
#include "analysis/forecast/erlang.hpp"
#include "analysis/plan/plan.hpp"
#include "scenarios/scenario.hpp"
#include "tests/support/scenarios.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace {

using namespace supportsim;

std::vector<std::string> names(const models::OrganisationConfig &org,
                               const std::vector<std::size_t> &groups) {
  std::vector<std::string> out;
  for (std::size_t g : groups)
    out.push_back(org.agent_groups[g].name);
  return out;
}

/// M/M/c: 108 cases an hour, 10 minutes each (18 Erlangs), two weeks after a day's warm-up,
/// every case P4 with a first response due within 3 minutes; `servers` agents to start with.
scenarios::Scenario mmc(std::uint32_t servers) {
  return testing::mmc_scenario(servers, 108, 10, 0, 2, 3);
}

analysis::PlanOptions options_for(const scenarios::Scenario &s, double p4_target) {
  analysis::PlanOptions o;
  o.groups = analysis::match_groups(s.organisation, {"*"});
  o.targets = s.sla.attainment_target;
  o.targets[models::index_of(models::Priority::p4)] = p4_target;
  o.seed = 3;
  o.replications = 6;
  return o;
}

/// Erlang C's least number of servers answering `target` of 108 cases an hour of 10 minutes
/// (18 Erlangs) within 3 minutes.
std::uint32_t erlang_c_minimum(double target) {
  return static_cast<std::uint32_t>(analysis::erlang_c_required_servers(108.0 / 60, 10, 3, target));
}

} // namespace

TEST_CASE("plan: groups by name or REGION-TIER, with wildcards", "[plan]") {
  const scenarios::Scenario s = scenarios::default_scenario();
  const auto &org = s.organisation;
  CHECK(names(org, analysis::match_groups(org, {"EMEA-*"})) ==
        std::vector<std::string>{"london-l1", "lisbon-l1", "munich-l1", "london-l2", "munich-l2",
                                 "emea-tam"});
  CHECK(names(org, analysis::match_groups(org, {"emea-l1"})) ==
        std::vector<std::string>{"london-l1", "lisbon-l1", "munich-l1"});
  CHECK(names(org, analysis::match_groups(org, {"tokyo-l1", "APJC-TAM", "tokyo-*"})) ==
        std::vector<std::string>{"tokyo-l1", "apjc-tam"});
  CHECK(analysis::match_groups(org, {"*"}).size() == org.agent_groups.size());
  CHECK_THROWS_WITH(
      analysis::match_groups(org, {"EMEA-L3"}),
      Catch::StartsWith("\"EMEA-L3\" matches no agent group; expected a group name (austin-l1, ") &&
          Catch::Contains("or REGION-TIER (AMER-L1, AMER-L2, AMER-TAM, EMEA-L1"));
  CHECK_THROWS_AS(analysis::match_groups(org, {}), analysis::PlanError);
}

TEST_CASE("plan: targets are the scenario's, or overridden per priority", "[plan]") {
  const scenarios::Scenario s = scenarios::default_scenario();
  CHECK(analysis::parse_targets("default", s) == s.sla.attainment_target);
  const auto t = analysis::parse_targets("P1=0.97,P3=92%", s);
  CHECK(t[0] == 0.97);
  CHECK(t[1] == s.sla.attainment_target[1]);
  CHECK(t[2] == Approx(0.92));
  CHECK(t[3] == s.sla.attainment_target[3]);
  CHECK_THROWS_WITH(analysis::parse_targets("P5=0.9", s),
                    Catch::StartsWith("\"P5=0.9\": no such priority (P1, P2, P3 or P4)"));
  CHECK_THROWS_WITH(analysis::parse_targets("P1=1.5", s),
                    Catch::StartsWith("\"P1=1.5\": the share must be in (0, 1]"));
  CHECK_THROWS_WITH(analysis::parse_targets("P1", s), Catch::StartsWith("\"P1\": no '='"));
  CHECK_THROWS_WITH(analysis::parse_targets("P1=0.9x", s), Catch::Contains("the share must be"));
}

TEST_CASE("plan: finds Erlang C's minimum headcount on M/M/c, from above and from below",
          "[plan]") {
  // 80 % within 3 minutes: Erlang C says 21 agents (83.9 %); 20 give 69.8 %.
  const std::uint32_t expected = erlang_c_minimum(0.80);
  REQUIRE(expected == 21);
  for (std::uint32_t start : {30u, 12u}) {
    INFO("starting from " << start << " agents");
    const scenarios::Scenario s = mmc(start);
    const analysis::PlanResult r = analysis::plan_headcount(s, options_for(s, 0.80));
    REQUIRE(r.plan);
    CHECK(r.plan->headcounts[0] == expected);
    CHECK(r.plan->meets);
    CHECK(r.erlang_headcounts[0] == expected); // the forecast starts where the answer is
    REQUIRE(r.confirmation);
    CHECK(r.confirmation->meets);
    CHECK(r.scenario.meets == (start >= expected));
    CHECK(r.evaluations <= 10);
    CHECK(r.replications_run == 6u * r.evaluations);
    CHECK_FALSE(r.budget_exhausted);
  }
}

TEST_CASE("plan: on the mean, 90 % within 3 minutes needs Erlang C's 22 agents", "[plan]") {
  const std::uint32_t expected = erlang_c_minimum(0.90);
  REQUIRE(expected == 22);
  const scenarios::Scenario s = mmc(30);
  analysis::PlanOptions o = options_for(s, 0.90);
  o.with_confidence = false;
  const analysis::PlanResult r = analysis::plan_headcount(s, o);
  REQUIRE(r.plan);
  CHECK(r.plan->headcounts[0] == expected);
  // The binding target is P4, the only priority with cases: its mean is at or above 90 %.
  REQUIRE(r.plan->constraints.size() == 1);
  CHECK(r.plan->constraints[0].bound == r.plan->constraints[0].sla.mean);
  CHECK(r.plan->constraints[0].slack >= 0);
}

TEST_CASE("plan: stops at the evaluation budget and says so", "[plan]") {
  const scenarios::Scenario s = mmc(12);
  analysis::PlanOptions o = options_for(s, 0.80);
  o.max_evaluations = 2; // the scenario and the Erlang start; both miss or the search is cut
  const analysis::PlanResult r = analysis::plan_headcount(s, o);
  CHECK(r.evaluations <= 3); // the confirmation is outside the budget
  CHECK(r.budget_exhausted);
  CHECK_THAT(analysis::render_plan_table(r, s), Catch::Contains("stopped at --max-evaluations"));
}

TEST_CASE("plan: the plan as JSON and as a what-if scenario", "[plan]") {
  const scenarios::Scenario s = mmc(30);
  const analysis::PlanResult r = analysis::plan_headcount(s, options_for(s, 0.80));
  const nlohmann::json doc = nlohmann::json::parse(analysis::render_plan_json(r, s, "v"));
  CHECK(doc["groups"][0]["name"] == s.organisation.agent_groups[0].name);
  CHECK(doc["groups"][0]["scenario"] == 30);
  CHECK(doc["groups"][0]["plan"] == 21);
  CHECK(doc["plan"]["meets_targets"] == true);
  CHECK(doc["evaluations"] == r.evaluations);
  CHECK(analysis::render_plan_json(r, s, "v") == analysis::render_plan_json(r, s, "v"));
  const nlohmann::json what_if = nlohmann::json::parse(analysis::render_plan_scenario(r, s));
  CHECK(what_if["name"] == "mmc-plan");
  CHECK(what_if["agent_groups"] ==
        nlohmann::json::parse(R"([{"name": ")" + s.organisation.agent_groups[0].name +
                              R"(", "headcount": 21}])"));

  // A group the plan empties is named in the table, with how to keep it.
  const std::string &name = s.organisation.agent_groups[0].name;
  CHECK_THAT(analysis::render_plan_table(r, s), !Catch::Contains("removed:"));
  analysis::PlanResult emptied = r;
  emptied.plan->headcounts[0] = 0;
  const std::string table = analysis::render_plan_table(emptied, s);
  CHECK_THAT(table, Catch::Contains("removed: " + name + " (no agents in the plan)"));
  CHECK_THAT(table, Catch::Contains("to keep a group, leave it out of"));
}
