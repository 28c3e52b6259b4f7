// What-ifs without arithmetic: changes relative to the base ({"add": ...}, {"times": ...}, a
// region's volume_factor, agent groups by pattern or REGION-TIER label), as a what-if file and
// as a sweep's override.
#include "scenarios/document.hpp"
#include "scenarios/override.hpp"
#include "scenarios/scenario.hpp"
#include "tests/support/temp_dir.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

using namespace supportsim;
using namespace std::chrono;
using scenarios::load_scenario_file;
using scenarios::Scenario;
using scenarios::ScenarioError;
using supportsim::testing::TempDir;

namespace {

std::size_t group_index(const Scenario &s, const std::string &name) {
  const auto &groups = s.organisation.agent_groups;
  for (std::size_t i = 0; i < groups.size(); ++i)
    if (groups[i].name == name) return i;
  FAIL("no group " << name);
  return 0;
}

double region_cases(const Scenario &s, std::size_t region) {
  return s.organisation.demand.cases_per_month * s.organisation.regions[region].demand_share;
}

std::string read_text(const std::filesystem::path &path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

} // namespace

TEST_CASE("changes: EMEA volume × 1.1 keeps AMER's and APJC's cases", "[scenarios][changes]") {
  const TempDir f;
  const Scenario base = scenarios::default_scenario();
  const Scenario s = load_scenario_file(f.write("emea.json", R"({
    "extends": "default", "name": "emea-growth",
    "regions": [{ "name": "EMEA", "volume_factor": 1.1 }],
    "agent_groups": [{ "name": "lisbon-l1",
      "hiring_plan": { "add": [{ "date": "2027-02-15", "hires": 5 }] } }] })"));
  // The default: 15,000 cases a month, AMER 45 %, EMEA 35 %, APJC 20 %.
  REQUIRE(base.organisation.regions[1].name == "EMEA");
  CHECK(region_cases(base, 1) == Approx(5250));
  // EMEA 5,250 × 1.1 = 5,775; AMER 6,750 and APJC 3,000 as they were; 15,525 in all.
  CHECK(s.organisation.demand.cases_per_month == 15525);
  CHECK(region_cases(s, 0) == Approx(6750).epsilon(1e-12));
  CHECK(region_cases(s, 1) == Approx(5775).epsilon(1e-12));
  CHECK(region_cases(s, 2) == Approx(3000).epsilon(1e-12));
  CHECK(s.organisation.regions[0].demand_share == Approx(6750.0 / 15525).epsilon(1e-12));
  CHECK(s.organisation.regions[1].demand_share == Approx(5775.0 / 15525).epsilon(1e-12));
  CHECK(s.organisation.regions[2].demand_share == Approx(3000.0 / 15525).epsilon(1e-12));
  // The hires are added beside the base's two of 1 February.
  const auto &plan = s.organisation.agent_groups[group_index(s, "lisbon-l1")].hiring_plan;
  REQUIRE(plan.size() == 2);
  CHECK(plan[0].date == 2027y / February / 1);
  CHECK(plan[0].hires == 2);
  CHECK(plan[1].date == 2027y / February / 15);
  CHECK(plan[1].hires == 5);
  // Nothing else changed: the rest of the organisation is the default's.
  CHECK(s.organisation.agent_groups.size() == base.organisation.agent_groups.size());
  CHECK(s.organisation.demand.growth_per_month == base.organisation.demand.growth_per_month);
}

TEST_CASE("changes: several volume factors, and a factor of 0", "[scenarios][changes]") {
  const TempDir f;
  const Scenario s = load_scenario_file(f.write("two.json", R"({
    "extends": "default", "name": "two",
    "regions": [{ "name": "AMER", "volume_factor": 0.8 }, { "name": "APJC", "volume_factor": 1.5 }] })"));
  // AMER 6,750 × 0.8 = 5,400; EMEA 5,250; APJC 3,000 × 1.5 = 4,500: 15,150.
  CHECK(s.organisation.demand.cases_per_month == 15150);
  CHECK(region_cases(s, 0) == Approx(5400).epsilon(1e-12));
  CHECK(region_cases(s, 1) == Approx(5250).epsilon(1e-12));
  CHECK(region_cases(s, 2) == Approx(4500).epsilon(1e-12));
  const Scenario none = load_scenario_file(f.write("none.json", R"({
    "extends": "default", "name": "no-apjc", "regions": [{ "name": "APJC", "volume_factor": 0 }] })"));
  CHECK(none.organisation.demand.cases_per_month == 12000);
  CHECK(none.organisation.regions[2].demand_share == 0);
  CHECK(region_cases(none, 0) == Approx(6750).epsilon(1e-12));
}

TEST_CASE("changes: a base with equal default shares", "[scenarios][changes]") {
  const TempDir f;
  f.write("base.json", R"({"name": "base", "horizon_days": 7,
    "regions": [{"name": "A", "time_zone": "UTC"}, {"name": "B", "time_zone": "UTC"}],
    "demand": {"cases_per_month": 1000}, "agent_groups": [{"name": "team", "headcount": 3}]})");
  const Scenario s = load_scenario_file(f.write("w.json", R"({"extends": "base.json", "name": "w",
        "regions": [{"name": "B", "volume_factor": 3}]})"));
  // A 500, B 500 × 3 = 1,500: 2,000 a month, A 25 %, B 75 %.
  CHECK(s.organisation.demand.cases_per_month == 2000);
  CHECK(s.organisation.regions[0].demand_share == Approx(0.25));
  CHECK(s.organisation.regions[1].demand_share == Approx(0.75));
}

TEST_CASE("changes: add and times on numbers, distributions and arrays", "[scenarios][changes]") {
  const TempDir f;
  const Scenario base = scenarios::default_scenario();
  const Scenario s = load_scenario_file(f.write("w.json", R"({
    "extends": "default", "name": "w",
    "lifecycle": { "work_minutes": { "times": 1.1 } },
    "sites": [{ "name": "Lisbon", "holidays": { "add": ["2027-04-25"] } },
              { "name": "San Francisco", "cost_per_agent_hour": { "times": 1.1 } }],
    "agent_groups": [
      { "name": "london-l1", "headcount": { "add": 5 } },
      { "name": "munich-l1", "headcount": { "times": 1.25 }, "shifts": { "add": ["late"] } },
      { "name": "sf-l1", "headcount": { "add": -3 } }
    ] })"));
  const auto &groups = s.organisation.agent_groups;
  CHECK(groups[group_index(s, "london-l1")].headcount == 14 + 5);
  CHECK(groups[group_index(s, "munich-l1")].headcount == 13); // 10 × 1.25 = 12.5, rounded
  CHECK(groups[group_index(s, "sf-l1")].headcount == 15 - 3);
  CHECK(groups[group_index(s, "munich-l1")].shifts.size() == 2);
  CHECK(
      groups[group_index(s, "sf-l1")].cost_per_agent_hour ==
      Approx(1.1 * base.organisation.agent_groups[group_index(base, "sf-l1")].cost_per_agent_hour));
  // The default's work is lognormal with means 28 / 22 / 30 minutes: × 1.1, cv unchanged.
  const auto &work = s.organisation.lifecycle.work_minutes;
  CHECK(work[0].mean() == Approx(30.8));
  CHECK(work[1].mean() == Approx(24.2));
  CHECK(work[2].mean() == Approx(33.0));
  // Lisbon's holidays: the base's 26 March and the added 25 April.
  std::size_t lisbon = 0;
  for (std::size_t i = 0; i < s.organisation.sites.size(); ++i)
    if (s.organisation.sites[i].name == "Lisbon") lisbon = i;
  const auto &holidays = s.organisation.sites[lisbon].holidays;
  REQUIRE(holidays.size() == 2);
  CHECK(holidays[0] == 2027y / March / 26);
  CHECK(holidays[1] == 2027y / April / 25);
}

TEST_CASE("changes: one channel's handle time, and every distribution type",
          "[scenarios][changes]") {
  const TempDir f;
  f.write("base.json", R"({"name": "base", "horizon_days": 7, "demand": {"cases_per_month": 100},
    "agent_groups": [{"name": "team", "headcount": 3}],
    "lifecycle": {"work_minutes": {
      "phone": {"type": "mixture", "components": [
        {"weight": 1, "distribution": {"type": "constant", "value": 10}},
        {"weight": 1, "distribution": {"type": "uniform", "min": 20, "max": 40}}]},
      "chat": {"type": "weibull", "shape": 2, "scale": 10},
      "email": {"type": "empirical", "values": [10, 20, 30]}}}})");
  const Scenario base = load_scenario_file((f.path() / "base.json").string());
  const Scenario s = load_scenario_file(f.write("w.json", R"({"extends": "base.json", "name": "w",
    "lifecycle": {"work_minutes": {"times": 2}}})"));
  for (std::size_t c = 0; c < 3; ++c)
    CHECK(s.organisation.lifecycle.work_minutes[c].mean() ==
          Approx(2 * base.organisation.lifecycle.work_minutes[c].mean()));
  CHECK(s.organisation.lifecycle.work_minutes[2].mean() == Approx(40)); // (20 + 40 + 60) / 3
  const Scenario chat = load_scenario_file(f.write("c.json", R"({"extends": "base.json",
    "name": "c", "lifecycle": {"work_minutes": {"chat": {"times": 1.5}}}})"));
  CHECK(chat.organisation.lifecycle.work_minutes[0].mean() ==
        Approx(base.organisation.lifecycle.work_minutes[0].mean()));
  CHECK(chat.organisation.lifecycle.work_minutes[1].mean() ==
        Approx(1.5 * base.organisation.lifecycle.work_minutes[1].mean()));
}

TEST_CASE("changes: agent groups chosen by a pattern or a REGION-TIER label",
          "[scenarios][changes]") {
  const TempDir f;
  const Scenario s = load_scenario_file(f.write("w.json", R"({
    "extends": "default", "name": "w",
    "agent_groups": [{ "name": "EMEA-L1", "headcount": { "add": -2 } },
                     { "name": "*-tam", "chat_concurrency": 3 }] })"));
  const auto &groups = s.organisation.agent_groups;
  CHECK(groups[group_index(s, "london-l1")].headcount == 12);
  CHECK(groups[group_index(s, "lisbon-l1")].headcount == 14);
  CHECK(groups[group_index(s, "munich-l1")].headcount == 8);
  CHECK(groups[group_index(s, "london-l2")].headcount == 6);  // EMEA, but L2
  CHECK(groups[group_index(s, "austin-l1")].headcount == 20); // L1, but AMER
  CHECK(groups[group_index(s, "amer-tam")].chat_concurrency == 3);
  CHECK(groups[group_index(s, "emea-tam")].chat_concurrency == 3);
  CHECK(groups[group_index(s, "apjc-tam")].chat_concurrency == 3);
  CHECK(groups[group_index(s, "sf-l1")].chat_concurrency == 2);
  // Removing by label.
  const Scenario removed = load_scenario_file(f.write("r.json", R"({
    "extends": "default", "name": "r", "agent_groups": [{ "name": "APJC-L2", "remove": true }] })"));
  CHECK(removed.organisation.agent_groups.size() == s.organisation.agent_groups.size() - 1);
}

TEST_CASE("changes: the rewritten example what-ifs show as before", "[scenarios][changes]") {
  // emea-hiring-freeze and chat-expansion as they were written before changes existed: the
  // shortened files in scenarios/ must be the very same scenarios.
  const TempDir f;
  const std::filesystem::path examples = std::filesystem::path(SUPPORTSIM_SOURCE_DIR) / "scenarios";
  const std::string freeze = f.write("freeze.json", R"({
    "extends": "default", "name": "emea-hiring-freeze",
    "agent_groups": [
      { "name": "london-l1", "headcount": 12 },
      { "name": "lisbon-l1", "headcount": 14, "hiring_plan": [] },
      { "name": "munich-l1", "headcount": 8 }] })");
  const std::string chat = f.write("chat.json", R"({
    "extends": "default", "name": "chat-expansion",
    "demand": { "channel_mix": { "phone": 0.10, "chat": 0.55, "email": 0.35 } },
    "agent_groups": [
      { "name": "austin-l1", "chat_concurrency": 3 },
      { "name": "austin-l1-spanish", "chat_concurrency": 3 },
      { "name": "sf-l1", "chat_concurrency": 3 },
      { "name": "london-l1", "chat_concurrency": 3 },
      { "name": "lisbon-l1", "chat_concurrency": 3 },
      { "name": "munich-l1", "chat_concurrency": 3 },
      { "name": "singapore-l1", "chat_concurrency": 3 },
      { "name": "tokyo-l1", "chat_concurrency": 3 },
      { "name": "sydney-l1", "chat_concurrency": 3 }] })");
  for (const auto &[old_file, name] :
       {std::pair{freeze, "emea-hiring-freeze"}, std::pair{chat, "chat-expansion"}}) {
    INFO(name);
    Scenario before = load_scenario_file(old_file);
    Scenario after = load_scenario_file((examples / (std::string(name) + ".json")).string());
    after.description = before.description;
    after.source = before.source;
    CHECK(scenarios::dump_scenario(before) == scenarios::dump_scenario(after));
  }
  // The shortened files are shorter.
  CHECK(read_text(examples / "chat-expansion.json").size() < 600);
}

TEST_CASE("changes: a sweep's override reaches the same changes", "[scenarios][changes]") {
  using namespace scenarios;
  const nlohmann::json base = load_scenario_document("");
  SweepPlan plan = plan_sweep("(embedded default)", base, {},
                              {ScenarioOption{"emea",
                                              nlohmann::json::parse(R"({
      "regions": [{"name": "EMEA", "volume_factor": 1.1}],
      "agent_groups": [{"name": "EMEA-L1", "headcount": {"add": 1}}]})"),
                                              {}}});
  const Scenario s = option_scenario(plan, 1);
  CHECK(s.organisation.demand.cases_per_month == 15525);
  CHECK(s.organisation.agent_groups[group_index(s, "london-l1")].headcount == 15);
}

TEST_CASE("changes: mistakes are errors, never a silent change", "[scenarios][changes]") {
  const TempDir f;
  const auto error_of = [&](const std::string &text) -> std::string {
    try {
      load_scenario_file(f.write("w.json", text));
    } catch (const ScenarioError &e) {
      return e.what();
    }
    return "no error";
  };
  using Catch::Matchers::Contains;
  // A typo in the change's key: the schema names the key it meant.
  CHECK_THAT(error_of(R"({"extends": "default", "name": "w",
    "agent_groups": [{"name": "lisbon-l1", "headcount": {"ad": 2}}]})"),
             Contains("/agent_groups/7/headcount") && Contains("\"ad\""));
  // A pattern that selects nothing.
  CHECK_THAT(error_of(R"({"extends": "default", "name": "w",
    "agent_groups": [{"name": "EMEA-L3", "headcount": {"add": 2}}]})"),
             Contains("/agent_groups/0: no agent group named \"EMEA-L3\""));
  CHECK_THAT(error_of(R"({"extends": "default", "name": "w",
    "agent_groups": [{"name": "*-l3", "headcount": 2}]})"),
             Contains("/agent_groups/0/name: no agent group matches \"*-l3\""));
  // volume_factor beside what it recomputes.
  CHECK_THAT(error_of(R"({"extends": "default", "name": "w",
    "regions": [{"name": "EMEA", "volume_factor": 1.1}], "demand": {"cases_per_month": 9}})"),
             Contains("/demand/cases_per_month: expected no cases_per_month"));
  CHECK_THAT(error_of(R"({"extends": "default", "name": "w",
    "regions": [{"name": "EMEA", "volume_factor": 1.1}, {"name": "AMER", "demand_share": 0.5}]})"),
             Contains("/regions/1/demand_share: expected no \"demand_share\""));
  CHECK_THAT(error_of(R"({"extends": "default", "name": "w",
    "regions": [{"name": "EMAE", "volume_factor": 1.1}]})"),
             Contains("no region named \"EMAE\""));
  CHECK_THAT(error_of(R"({"extends": "default", "name": "w",
    "regions": [{"name": "EMEA", "volume_factor": -1}]})"),
             Contains("/regions/0/volume_factor: expected a factor from 0 to 1000"));
  // A change where there is no base value.
  CHECK_THAT(error_of(R"({"name": "w", "horizon_days": 7, "demand": {"cases_per_month": 10},
    "agent_groups": [{"name": "a", "headcount": {"add": 2}}]})"),
             Contains("/agent_groups/0/headcount: expected a value, found the change"));
  CHECK_THAT(error_of(R"({"name": "w", "horizon_days": 7, "demand": {"cases_per_month": 10},
    "regions": [{"name": "A", "time_zone": "UTC", "volume_factor": 2}],
    "agent_groups": [{"name": "a", "headcount": 2}]})"),
             Contains("/regions/0/volume_factor: expected volume_factor only in a what-if"));
  CHECK_THAT(error_of(R"({"extends": "default", "name": "w",
    "agent_groups": [{"name": "new", "add": true, "headcount": {"add": 2}}]})"),
             Contains("/agent_groups/17/headcount: expected a value, found the change"));
  CHECK_THAT(error_of(R"({"extends": "default", "name": "w",
    "agent_groups": [{"name": "austin-l2", "chat_concurrency": {"times": 2}}]})"),
             Contains("/agent_groups/0/chat_concurrency/times: expected a value in the base to "
                      "multiply"));
  // A named array takes new elements one by one, with "add": true.
  CHECK_THAT(error_of(R"({"extends": "default", "name": "w",
    "tiers": {"add": [{"name": "L3"}]}})"),
             Contains("/tiers/add: expected elements with \"add\": true"));
  // A date the base has already: the dates must stay distinct.
  CHECK_THAT(error_of(R"({"extends": "default", "name": "w",
    "sites": [{"name": "Lisbon", "holidays": {"add": ["2027-03-26"]}}]})"),
             Contains("/sites/3/holidays"));
  CHECK_THAT(error_of(R"({"extends": "default", "name": "w",
    "lifecycle": {"work_minutes": {"times": "1.1"}}})"),
             Contains("/lifecycle/work_minutes/times: expected a factor from 0 to 1000, found the "
                      "string \"1.1\""));
}

TEST_CASE("changes: --vary reaches a region's volume factor", "[scenarios][changes]") {
  using namespace scenarios;
  const nlohmann::json base = load_scenario_document("");
  const SweepPlan plan =
      plan_sweep("(embedded default)", base, {"regions.EMEA.volume_factor=1,1.1,1.2"});
  REQUIRE(plan.options.size() == 4);
  CHECK(plan.options[2].name == "EMEA.volume_factor=1.1");
  // EMEA 5,250 × 1.2 = 6,300 beside AMER's 6,750 and APJC's 3,000: 16,050.
  const Scenario s = option_scenario(plan, 3);
  CHECK(s.organisation.demand.cases_per_month == 16050);
  CHECK(region_cases(s, 1) == Approx(6300).epsilon(1e-12));
  CHECK(region_cases(s, 0) == Approx(6750).epsilon(1e-12));
  // The settings table shows the factor of each option, 1 for the baseline.
  const SettingsTable table = settings_table(plan);
  REQUIRE(table.paths.at(0) == "regions.EMEA.volume_factor");
  CHECK(table.values[0][0] == 1);
  CHECK(table.values[3][0] == 1.2);
  CHECK_THROWS_WITH(plan_sweep("(embedded default)", base, {"regions.EMAE.volume_factor=1.1"}),
                    Catch::Matchers::Contains("no region named \"EMAE\""));
  CHECK_THROWS_WITH(plan_sweep("(embedded default)", base,
                               {"regions.EMEA.volume_factor=1.1", "demand.cases_per_month=100"}),
                    Catch::Matchers::Contains("not both"));
}

TEST_CASE("changes: the five-line EMEA what-if of the docs and the README loads as described",
          "[scenarios][changes]") {
  const std::filesystem::path source(SUPPORTSIM_SOURCE_DIR);
  for (const char *doc : {"docs/scenario-format.md", "README.md"}) {
    INFO(doc);
    const std::string text = read_text(source / doc);
    const auto at = text.find("{ \"extends\": \"default\", \"name\": \"emea-growth\",");
    REQUIRE(at != std::string::npos);
    const std::string block = text.substr(at, text.find("```", at) - at);
    // At most five lines, as the issue asked ("EMEA × 1.1 and 5 hires in Lisbon").
    std::size_t lines = 0;
    std::istringstream in(block);
    for (std::string line; std::getline(in, line);)
      lines += line.find_first_not_of(' ') != std::string::npos ? 1 : 0;
    CHECK(lines <= 5); // four, in fact
    // Lines of the README's bullet are indented; JSON does not mind.
    const TempDir f;
    const Scenario s = load_scenario_file(f.write("emea-growth.json", block));
    CHECK(s.organisation.demand.cases_per_month == 15525);
    CHECK(region_cases(s, 1) == Approx(5775).epsilon(1e-12));
    CHECK(s.organisation.agent_groups[group_index(s, "lisbon-l1")].hiring_plan.size() == 2);
  }
}
