// The plan's limits (--min, --max, --no-growth) and cover rules (--cover): how they are read,
// what the roster gives, and what they do to a plan on M/M/c, where Erlang C knows the answer.
#include "analysis/forecast/erlang.hpp"
#include "analysis/plan/constraints.hpp"
#include "analysis/plan/plan.hpp"
#include "scenarios/scenario.hpp"
#include "tests/support/scenarios.hpp"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

namespace {

using namespace supportsim;

/// M/M/c as plan_test.cpp has it: 108 cases an hour of 10 minutes, two weeks after a day's
/// warm-up (from Tuesday 5 January 2027), P4 due within 3 minutes; Erlang C needs 21 agents
/// for 80 %.
scenarios::Scenario mmc(std::uint32_t servers) {
  return testing::mmc_scenario(servers, 108, 10, 0, 2, 3);
}

analysis::PlanOptions options_for(const scenarios::Scenario &s) {
  analysis::PlanOptions o;
  o.groups = analysis::match_groups(s.organisation, {"team"});
  o.targets = s.sla.attainment_target;
  o.targets[models::index_of(models::Priority::p4)] = 0.80;
  o.seed = 3;
  o.replications = 6;
  return o;
}

/// mmc(20) plus `german` agents who speak German, on a Monday-to-Friday 09:00-17:00 shift (UTC)
/// worked one week in `rotation_weeks`.
scenarios::Scenario with_german_day_team(std::uint32_t german, std::uint32_t rotation_weeks) {
  scenarios::Scenario s = mmc(20);
  models::OrganisationConfig &o = s.organisation;
  o.languages = {"en", "de"};
  o.regions[0].language_mix = {1.0, 0.0};
  o.agent_groups[0].language_proficiency = {1.0, 0.0};
  models::ShiftConfig day;
  day.name = "day";
  day.rotation_weeks = rotation_weeks;
  o.shifts.push_back(day);
  models::AgentGroupConfig de = o.agent_groups[0];
  de.name = "german";
  de.headcount = german;
  de.shifts = {1};
  de.language_proficiency = {1.0, 1.0};
  o.agent_groups.push_back(de);
  return s;
}

} // namespace

TEST_CASE("plan constraints: limits and cover rules are read, or refused with the reason",
          "[plan][constraints]") {
  const scenarios::Scenario s = scenarios::default_scenario();
  const models::OrganisationConfig &org = s.organisation;

  const analysis::HeadcountLimit min = analysis::parse_headcount_limit("munich-*=4", true, org);
  CHECK(min.rule == "--min munich-*=4");
  CHECK(min.at_least);
  REQUIRE(min.groups.size() == 2);
  CHECK(org.agent_groups[min.groups[0]].name == "munich-l1");
  CHECK(min.agents == std::vector<std::uint32_t>{4, 4});
  CHECK_THROWS_WITH(analysis::parse_headcount_limit("munich-*", false, org),
                    Catch::Contains("expected PATTERN=N"));
  CHECK_THROWS_WITH(analysis::parse_headcount_limit("munich-*=four", false, org),
                    Catch::Contains("\"four\" is not a whole number of agents"));
  CHECK_THROWS_WITH(analysis::parse_headcount_limit("berlin-*=4", true, org),
                    Catch::Contains("\"berlin-*\" matches no agent group"));

  const analysis::HeadcountLimit lisbon = analysis::parse_no_growth("lisbon", org);
  CHECK_FALSE(lisbon.at_least);
  REQUIRE(lisbon.groups.size() == 1);
  CHECK(lisbon.agents[0] == org.agent_groups[lisbon.groups[0]].headcount);
  CHECK_THROWS_WITH(analysis::parse_no_growth("Lisbn", org),
                    Catch::Contains("no site \"Lisbn\" (did you mean \"Lisbon\"?)"));

  const analysis::CoverRule de = analysis::parse_cover_rule("emea:language=DE>=2", org);
  CHECK(org.regions[de.region].name == "EMEA");
  CHECK(de.language);
  CHECK(org.languages[de.skill] == "de");
  CHECK(de.agents == 2);
  const analysis::CoverRule product = analysis::parse_cover_rule("AMER:product=dns>=1", org);
  CHECK_FALSE(product.language);
  CHECK(org.products[product.skill] == "DNS");
  CHECK_THROWS_WITH(analysis::parse_cover_rule("EMEA:lang=de>=2", org),
                    Catch::Contains("\"lang\" is neither language nor product"));
  CHECK_THROWS_WITH(analysis::parse_cover_rule("EMEA:language=de>=0", org),
                    Catch::Contains("expected N >= 1"));
  CHECK_THROWS_WITH(analysis::parse_cover_rule("Europe:language=de>=2", org),
                    Catch::Contains("no region \"Europe\""));
  CHECK_THROWS_WITH(analysis::parse_cover_rule("EMEA language de 2", org),
                    Catch::Contains("expected REGION:language=CODE>=N"));
}

TEST_CASE("plan constraints: cover is counted on the roster, slot by slot", "[plan][constraints]") {
  // Two weeks measured from Tuesday 5 January: ten weekdays of eight hours, 320 quarter-hours.
  const scenarios::Scenario s = with_german_day_team(3, 1);
  analysis::CoverCheck check(s,
                             {analysis::parse_cover_rule("Global:language=de>=2", s.organisation)});
  CHECK_FALSE(check.counts(0, 0)); // the 24x7 team speaks no German
  CHECK(check.counts(0, 1));
  analysis::CoverState as_is = check.state(0, {20, 3});
  CHECK(as_is.slots_of_cover == 320);
  CHECK(as_is.least == 3);
  CHECK(as_is.short_agent_hours == 0);
  const analysis::CoverState one = check.state(0, {20, 1});
  CHECK(one.least == 1);
  CHECK(one.short_agent_hours == Approx(320 * 0.25)); // one agent short in every slot
  CHECK(check.local_time(0, one.least_at) == "2027-01-05 09:00 UTC");
  CHECK_FALSE(check.holds({20, 1}));
  CHECK(check.holds({0, 2}));

  SECTION("a site holiday is no slot of cover") {
    scenarios::Scenario h = with_german_day_team(3, 1);
    h.organisation.sites[0].holidays.push_back(
        models::Date{std::chrono::year{2027}, std::chrono::January, std::chrono::day{12}});
    analysis::CoverCheck holiday(
        h, {analysis::parse_cover_rule("Global:language=de>=2", h.organisation)});
    CHECK(holiday.state(0, {20, 3}).slots_of_cover == 288);
  }
  SECTION("a two-week rota: one agent covers one week of two") {
    const scenarios::Scenario r = with_german_day_team(2, 2);
    analysis::CoverCheck rota(
        r, {analysis::parse_cover_rule("Global:language=de>=1", r.organisation)});
    const analysis::CoverState both = rota.state(0, {20, 2});
    CHECK(both.slots_of_cover == 320);
    CHECK(both.least == 1); // each week, one of the two
    const analysis::CoverState alone = rota.state(0, {20, 1});
    CHECK(alone.least == 0);
    // Weekdays of one week are 4 or 5 of the ten: that many days of 32 slots lack cover.
    CHECK((alone.short_agent_hours == Approx(4 * 32 * 0.25) ||
           alone.short_agent_hours == Approx(5 * 32 * 0.25)));
  }
}

TEST_CASE("plan constraints: a --min above Erlang's answer binds, a --max below it leaves no plan",
          "[plan][constraints]") {
  const scenarios::Scenario s = mmc(30);
  analysis::PlanOptions o = options_for(s);
  o.limits.push_back(analysis::parse_headcount_limit("team=24", true, s.organisation));
  const analysis::PlanResult r = analysis::plan_headcount(s, o);
  REQUIRE(r.plan);
  CHECK(r.plan->headcounts[0] == 24); // Erlang C's 21 would do; the limit holds it at 24
  REQUIRE(r.rules.size() == 1);
  CHECK(r.rules[0].rule == "--min team=24");
  CHECK(r.rules[0].plan == 24);
  CHECK(r.rules[0].binds);
  CHECK_THAT(analysis::render_plan_table(r, s), Catch::Contains("--min team=24: team 24 (bound "
                                                                "24) · binds"));

  analysis::PlanOptions capped = options_for(s);
  capped.limits.push_back(analysis::parse_headcount_limit("team=18", false, s.organisation));
  const analysis::PlanResult none = analysis::plan_headcount(s, capped);
  CHECK_FALSE(none.plan);
  CHECK_THAT(none.steps.back(), Catch::Contains("stopped helping"));

  // --no-growth below the answer: the same.
  const scenarios::Scenario small = mmc(18);
  analysis::PlanOptions frozen = options_for(small);
  frozen.limits.push_back(analysis::parse_no_growth("main", small.organisation));
  CHECK_FALSE(analysis::plan_headcount(small, frozen).plan);

  // A loose --max changes nothing: Erlang C's 21.
  analysis::PlanOptions loose = options_for(s);
  loose.limits.push_back(analysis::parse_headcount_limit("team=40", false, s.organisation));
  const analysis::PlanResult free = analysis::plan_headcount(s, loose);
  REQUIRE(free.plan);
  CHECK(free.plan->headcounts[0] ==
        static_cast<std::uint32_t>(analysis::erlang_c_required_servers(108.0 / 60, 10, 3, 0.8)));
  CHECK_FALSE(free.rules[0].binds);
}

TEST_CASE("plan constraints: cover keeps agents the SLA alone would remove",
          "[plan][constraints]") {
  // The 24x7 team can meet the target alone; the German day team would be lowered to 0
  // without the rule, and is kept at 2 with it.
  scenarios::Scenario s = with_german_day_team(4, 1);
  s.organisation.agent_groups[1].cost_per_agent_hour = 80; // dearer: lowered first
  analysis::PlanOptions o = options_for(s);
  o.groups = analysis::match_groups(s.organisation, {"*"});
  const analysis::PlanResult without = analysis::plan_headcount(s, o);
  REQUIRE(without.plan);
  CHECK(without.plan->headcounts[1] == 0);

  o.cover.push_back(analysis::parse_cover_rule("Global:language=de>=2", s.organisation));
  const analysis::PlanResult with = analysis::plan_headcount(s, o);
  REQUIRE(with.plan);
  CHECK(with.plan->headcounts[1] == 2);
  REQUIRE(with.rules.size() == 1);
  CHECK(with.rules[0].plan == 2);
  CHECK(with.rules[0].binds);
  CHECK(with.rules[0].where == "2027-01-05 09:00 UTC");

  // The team that speaks no German cannot give the cover: no plan, and the reason.
  analysis::PlanOptions only_team = options_for(s);
  only_team.cover.push_back(analysis::parse_cover_rule("Global:language=de>=6", s.organisation));
  const analysis::PlanResult cannot = analysis::plan_headcount(s, only_team);
  CHECK_FALSE(cannot.plan);
  CHECK_THAT(cannot.steps.back(), Catch::Contains("cannot be met by the groups the plan may "
                                                  "change: at 2027-01-05 09:00 UTC Global de "
                                                  "has 4 agents rostered"));
}
