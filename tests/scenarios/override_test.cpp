// The options of a sweep as changes to a scenario document: paths, --vary specs, the grid, the
// options file, and the resolved document that loading is made of.
#include "scenarios/document.hpp"
#include "scenarios/override.hpp"
#include "scenarios/scenario.hpp"
#include "tests/support/errors.hpp"
#include "tests/support/temp_dir.hpp"

#include <catch2/catch.hpp>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

using namespace supportsim;
using nlohmann::json;
using scenarios::OverrideError;
using scenarios::ScenarioError;
using supportsim::testing::TempDir;

namespace {

const json &default_document() {
  static const json doc = scenarios::load_scenario_document("");
  return doc;
}

/// The message `f` throws as an OverrideError, or as a ScenarioError ("" if it does not).
template <class F> std::string override_error(F &&f) {
  return testing::error_message<OverrideError>(std::forward<F>(f));
}
template <class F> std::string scenario_error(F &&f) {
  return testing::error_message<ScenarioError>(std::forward<F>(f));
}

std::vector<std::string> names_of(const scenarios::SweepPlan &plan) {
  std::vector<std::string> names;
  for (const auto &o : plan.options)
    names.push_back(o.name);
  return names;
}

} // namespace

TEST_CASE("document: loading is the resolved document, parsed", "[sweep]") {
  const TempDir dir;
  const std::string what_if = dir.write("what-if.json", R"({"extends": "default", "name": "w",
    "agent_groups": [{"name": "london-l1", "headcount": 9}]})");
  const json doc = scenarios::load_scenario_document(what_if);
  CHECK_FALSE(doc.contains("extends"));
  CHECK(doc["name"] == "w");
  CHECK(doc["agent_groups"].size() == default_document()["agent_groups"].size());
  CHECK(scenarios::dump_scenario(scenarios::parse_scenario_document(doc, what_if)) ==
        scenarios::dump_scenario(scenarios::load_scenario_file(what_if)));
  // The empty path is the embedded default, as for the CLI without a scenario file.
  CHECK(scenarios::scenario_source_name("") == "(embedded default)");
  CHECK(scenarios::dump_scenario(
            scenarios::parse_scenario_document(default_document(), "(embedded default)")) ==
        scenarios::dump_scenario(scenarios::default_scenario()));
}

TEST_CASE("override: paths by name, by pointer, by index", "[sweep]") {
  const json &doc = default_document();
  const auto austin = scenarios::resolve_path(doc, "agent_groups.austin-l1.headcount");
  CHECK(austin.pointer == "/agent_groups/0/headcount");
  CHECK(austin.dotted == "agent_groups.austin-l1.headcount");
  // A pointer gives the same value, spelt readably.
  CHECK(scenarios::resolve_path(doc, "/agent_groups/0/headcount").dotted == austin.dotted);
  // An index where a name would do.
  CHECK(scenarios::resolve_path(doc, "agent_groups.0.headcount").pointer == austin.pointer);
  // Names with spaces need no quoting; keys of objects are keys.
  CHECK(scenarios::resolve_path(doc, "sites.San Francisco.cost_per_agent_hour").pointer ==
        "/sites/1/cost_per_agent_hour");
  CHECK(scenarios::resolve_path(doc, "demand.cases_per_month").pointer ==
        "/demand/cases_per_month");
  CHECK(scenarios::resolve_path(doc, "agent_groups.austin-l1.skills.Zero Trust").pointer ==
        "/agent_groups/0/skills/Zero Trust");
  // Arrays of numbers by index.
  const auto nine = scenarios::resolve_path(doc, "demand.hourly_profile.9");
  CHECK(nine.pointer == "/demand/hourly_profile/9");
  CHECK(nine.dotted == "demand.hourly_profile.9");

  // A name holding a dot cannot be spelt with dots: the pointer reaches it, and its readable
  // form is the pointer; "~1" escapes a slash.
  const json dotted = json::parse(R"({"agent_groups": [{"name": "eu.l1", "headcount": 3}],
                                      "mix": {"a/b": 0.5}})");
  const auto eu = scenarios::resolve_path(dotted, "/agent_groups/0/headcount");
  CHECK(eu.dotted == "/agent_groups/0/headcount");
  CHECK(scenarios::resolve_path(dotted, "/mix/a~1b").dotted == "mix.a/b");
  CHECK(scenarios::resolve_path(dotted, "mix.a/b").pointer == "/mix/a~1b");
}

TEST_CASE("override: a bad path names what was expected and the nearest valid path", "[sweep]") {
  const json &doc = default_document();
  struct Case {
    std::string path;
    std::string message;
  };
  const Case c = GENERATE(values<Case>({
      {"agent_groups.austin-l3.headcount",
       "agent_groups.austin-l3.headcount: no agent group named \"austin-l3\"; did you mean "
       "agent_groups.austin-l1.headcount?"},
      {"agent_groups.austin-l1.headcont",
       "agent_groups.austin-l1.headcont: no key \"headcont\" in agent_groups.austin-l1; did you "
       "mean agent_groups.austin-l1.headcount?"},
      {"sites.Londn.cost_per_agent_hour",
       "sites.Londn.cost_per_agent_hour: no site named \"Londn\"; did you mean "
       "sites.London.cost_per_agent_hour?"},
      {"agent_groups.austin-l1",
       "agent_groups.austin-l1: expected a number at agent_groups.austin-l1, found an object of "
       "10 keys; "
       "did you mean agent_groups.austin-l1.headcount?"},
      {"/agent_groups/99/headcount",
       "/agent_groups/99/headcount: agent_groups has 17 elements (0 to 16), found index 99; did "
       "you mean /agent_groups/9/headcount?"},
      {"demand.cases_per_month.x",
       "demand.cases_per_month.x: demand.cases_per_month is 15000, with nothing inside it; found "
       "\"x\" after it; did you mean demand.cases_per_month?"},
      {"demand..cases_per_month", "demand..cases_per_month: expected a key, a name or an index "
                                  "between the dots, found nothing; did you mean "
                                  "demand.cases_per_month?"},
  }));
  CHECK(override_error([&] { scenarios::resolve_path(doc, c.path); }) == c.message);
  CHECK_THAT(override_error([] { scenarios::resolve_path(default_document(), ""); }),
             Catch::Contains("found nothing"));
}

TEST_CASE("override: patterns list the numeric paths a '*' matches", "[sweep]") {
  const json &doc = default_document();
  std::vector<std::string> l1;
  for (const auto &p : scenarios::numeric_paths_matching(doc, "agent_groups.*-l1.headcount"))
    l1.push_back(p.dotted);
  CHECK(l1 == std::vector<std::string>{
                  "agent_groups.austin-l1.headcount", "agent_groups.sf-l1.headcount",
                  "agent_groups.london-l1.headcount", "agent_groups.lisbon-l1.headcount",
                  "agent_groups.munich-l1.headcount", "agent_groups.singapore-l1.headcount",
                  "agent_groups.tokyo-l1.headcount", "agent_groups.sydney-l1.headcount"});
  CHECK(scenarios::numeric_paths_matching(doc, "agent_groups.*.headcount").size() ==
        doc["agent_groups"].size());
  CHECK(scenarios::numeric_paths_matching(doc, "sites.*.cost_per_agent_hour").size() ==
        doc["sites"].size());
  CHECK(scenarios::numeric_paths_matching(doc, "agent_groups.nobody-*.headcount").empty());
  // Every numeric path resolves to itself.
  for (const auto &p : scenarios::numeric_paths(doc))
    CHECK(scenarios::resolve_path(doc, p.dotted).pointer == p.pointer);
}

TEST_CASE("override: ranges and lists of values", "[sweep]") {
  auto parse = [](const char *spec) { return scenarios::parse_values(spec); };
  CHECK(parse("20..40/5") == std::vector<json>{20, 25, 30, 35, 40});
  CHECK(parse("20..22") == std::vector<json>{20, 21, 22});
  CHECK(parse("20..20") == std::vector<json>{20});
  CHECK(parse("20..39/7") == std::vector<json>{20, 27, 34}); // the end when a step lands on it
  CHECK(parse("-2..2/2") == std::vector<json>{-2, 0, 2});
  CHECK(parse("20,24,30") == std::vector<json>{20, 24, 30});
  CHECK(parse("30,20") == std::vector<json>{30, 20}); // a list keeps its order
  // Whole values are integers, so a headcount stays one; others are the decimal's double.
  CHECK(parse("20..40/5")[0].is_number_integer());
  const std::vector<json> tenths = parse("0.1..0.3/0.1");
  REQUIRE(tenths.size() == 3);
  CHECK(tenths[0].get<double>() == 0.1);
  CHECK(tenths[1].get<double>() == 0.2);
  CHECK(tenths[2].get<double>() == 0.3);
  CHECK(parse("1..2/0.5") == std::vector<json>{1, 1.5, 2});
  CHECK(parse("1..2/0.5")[2].is_number_integer());
  CHECK(parse("0.25,1.0")[1].is_number_integer());

  struct Bad {
    const char *spec;
    const char *words;
  };
  const Bad bad = GENERATE(values<Bad>({
      {"", "found nothing"},
      {"40..20", "expected a range from low to high"},
      {"20..40/0", "expected a step above 0"},
      {"20..40/-5", "expected a step above 0"},
      {"20..40/", "expected a number"},
      {"a..b", "found \"a\""},
      {"1e3", "no exponent"},
      {"1..100000", "expected at most 10000 values, found 100000"},
      {"20,,30", "empty item"},
      {"20,20.0", "found 20.0 twice"},
      {"20, 24", "found \" 24\""},
  }));
  INFO(bad.spec);
  CHECK_THAT(override_error([&] { scenarios::parse_values(bad.spec); }),
             Catch::Contains(bad.words));
}

TEST_CASE("override: the grid, the first --vary slowest, each option named by its settings",
          "[sweep]") {
  const scenarios::SweepPlan plan = scenarios::plan_sweep(
      "(embedded default)", default_document(),
      {"agent_groups.austin-l1.headcount=20,22", "/agent_groups/6/headcount=14..16/2"});
  CHECK(names_of(plan) == std::vector<std::string>{
                              "baseline",
                              "austin-l1.headcount=20,london-l1.headcount=14",
                              "austin-l1.headcount=20,london-l1.headcount=16",
                              "austin-l1.headcount=22,london-l1.headcount=14",
                              "austin-l1.headcount=22,london-l1.headcount=16",
                          });
  CHECK(plan.varied == std::vector<std::string>{"agent_groups.austin-l1.headcount",
                                                "agent_groups.london-l1.headcount"});
  CHECK(plan.options[3].edits ==
        std::vector<std::pair<std::string, json>>{{"/agent_groups/0/headcount", 22},
                                                  {"/agent_groups/6/headcount", 14}});
  const json doc = scenarios::option_document(plan, 3);
  CHECK(doc["agent_groups"][0]["headcount"] == 22);
  CHECK(doc["agent_groups"][0]["headcount"].is_number_integer());
  CHECK(scenarios::option_scenario(plan, 3).organisation.agent_groups[6].headcount == 14);
  // The baseline is the document unchanged.
  CHECK(scenarios::option_document(plan, 0) == default_document());

  // A path that is not a section's named element keeps its full name.
  CHECK(names_of(scenarios::plan_sweep("x", default_document(), {"demand.daily_cv=0.1"}))[1] ==
        "demand.daily_cv=0.1");

  const scenarios::SettingsTable table = scenarios::settings_table(plan);
  CHECK(table.paths == plan.varied);
  CHECK(table.values[0] == std::vector<json>{20, 14});
  CHECK(table.values[4] == std::vector<json>{22, 16});
}

TEST_CASE("override: a total headcount splits in proportion, largest remainders first", "[sweep]") {
  using scenarios::split_headcount;
  using V = std::vector<std::int64_t>;
  // 36 over 14, 16, 10 (of 40): exactly 12.6, 14.4, 9 -> 12, 14, 9 and the one left to 12.6.
  CHECK(split_headcount(36, {14, 16, 10}) == V{13, 14, 9});
  CHECK(split_headcount(44, {14, 16, 10}) == V{15, 18, 11});
  CHECK(split_headcount(40, {14, 16, 10}) == V{14, 16, 10}); // the base total: the base
  CHECK(split_headcount(0, {14, 16, 10}) == V{0, 0, 0});
  CHECK(split_headcount(3, {1, 1, 1, 1}) == V{1, 1, 1, 0}); // a tie: the earlier groups
  CHECK(split_headcount(5, {0, 0}) == V{3, 2});             // none in the base: evenly
  CHECK(split_headcount(7, {0, 4}) == V{0, 7});
  // Always the total, whatever the weights.
  for (std::int64_t total = 0; total <= 60; ++total) {
    const V split = split_headcount(total, {5, 0, 7, 3, 11});
    std::int64_t sum = 0;
    for (const std::int64_t x : split) {
      CHECK(x >= 0);
      sum += x;
    }
    CHECK(sum == total);
    CHECK(split[1] == 0);
  }
}

TEST_CASE("override: a set of agent groups varies their total headcount", "[sweep]") {
  // In the default, EMEA's L1 groups are london-l1 (14), lisbon-l1 (16) and munich-l1 (10).
  const json &base = default_document();
  const auto set =
      scenarios::resolve_group_set(base, "(embedded default)", "agent_groups.EMEA-L1.headcount");
  REQUIRE(set);
  std::vector<std::string> members;
  for (const scenarios::ScenarioPath &m : set->members)
    members.push_back(m.dotted);
  CHECK(members == std::vector<std::string>{"agent_groups.london-l1.headcount",
                                            "agent_groups.lisbon-l1.headcount",
                                            "agent_groups.munich-l1.headcount"});
  CHECK(set->base == std::vector<std::int64_t>{14, 16, 10});
  // A group's own name is a path, not a set; a set that matches nothing is no set.
  CHECK_FALSE(scenarios::resolve_group_set(base, "x", "agent_groups.london-l1.headcount"));
  CHECK_FALSE(scenarios::resolve_group_set(base, "x", "agent_groups.EMEA-L9.headcount"));
  CHECK_FALSE(scenarios::resolve_group_set(base, "x", "demand.EMEA-L1.headcount"));
  // Patterns as plan reads them: "*-l1" is every L1 group by name, "APJC-*" a region's groups.
  CHECK(scenarios::resolve_group_set(base, "x", "agent_groups.*-l1.headcount")->members.size() ==
        9);
  CHECK(scenarios::resolve_group_set(base, "x", "agent_groups.apjc-*.headcount")->members.size() ==
        5);

  const scenarios::SweepPlan plan = scenarios::plan_sweep(
      "(embedded default)", base,
      {"agent_groups.EMEA-L1.headcount=36..44/4", "agent_groups.austin-l1.headcount=20,21"});
  CHECK(names_of(plan) == std::vector<std::string>{"baseline",
                                                   "EMEA-L1.headcount=36,austin-l1.headcount=20",
                                                   "EMEA-L1.headcount=36,austin-l1.headcount=21",
                                                   "EMEA-L1.headcount=40,austin-l1.headcount=20",
                                                   "EMEA-L1.headcount=40,austin-l1.headcount=21",
                                                   "EMEA-L1.headcount=44,austin-l1.headcount=20",
                                                   "EMEA-L1.headcount=44,austin-l1.headcount=21"});
  CHECK(plan.varied == std::vector<std::string>{"agent_groups.EMEA-L1.headcount",
                                                "agent_groups.austin-l1.headcount"});
  const json doc = scenarios::option_document(plan, 5); // 44 and 20
  CHECK(doc["agent_groups"][6]["headcount"] == 15);     // london-l1
  CHECK(doc["agent_groups"][7]["headcount"] == 18);     // lisbon-l1
  CHECK(doc["agent_groups"][8]["headcount"] == 11);     // munich-l1
  CHECK(doc["agent_groups"][8]["headcount"].is_number_integer());
  CHECK(scenarios::option_document(plan, 3)["agent_groups"] == base["agent_groups"]); // 40, 20

  // The set's column is its total; the groups it changes follow as columns of their own.
  const scenarios::SettingsTable table = scenarios::settings_table(plan);
  CHECK(table.paths == std::vector<std::string>{
                           "agent_groups.EMEA-L1.headcount", "agent_groups.austin-l1.headcount",
                           "agent_groups.london-l1.headcount", "agent_groups.lisbon-l1.headcount",
                           "agent_groups.munich-l1.headcount"});
  CHECK(table.values[0] == std::vector<json>{40, 20, 14, 16, 10});
  CHECK(table.values[1] == std::vector<json>{36, 20, 13, 14, 9});
  CHECK(table.values[6] == std::vector<json>{44, 21, 15, 18, 11});
}

TEST_CASE("override: --vary mistakes name the option", "[sweep]") {
  struct Bad {
    std::vector<std::string> vary;
    std::string words;
  };
  const Bad bad = GENERATE(values<Bad>({
      {{"agent_groups.austin-l1.headcount"},
       "--vary agent_groups.austin-l1.headcount: expected "
       "PATH=SPEC"},
      {{"agent_groups.austin-l3.headcount=1..2"},
       "--vary agent_groups.austin-l3.headcount: no agent group named \"austin-l3\"; did you mean "
       "agent_groups.austin-l1.headcount?"},
      {{"agent_groups.austin-l1.headcount=40..20"},
       "--vary agent_groups.austin-l1.headcount=40..20: expected a range from low to high"},
      {{"seed=1..3"}, "--vary seed: expected a value of the organisation"},
      {{"demand.daily_cv=0.1", "/demand/daily_cv=0.2"}, "demand.daily_cv is varied twice"},
      {{"agent_groups.austin-l1.headcount=1..200", "agent_groups.sf-l1.headcount=1..200"},
       "expected a grid of at most 10000 options"},
      {{"agent_groups.EMEA-L9.headcount=30"},
       "no agent group named \"EMEA-L9\"; did you mean agent_groups.emea-tam.headcount? "
       "(several groups' total headcount: a REGION-TIER label such as EMEA-L1, or a pattern "
       "with *)"},
      {{"agent_groups.EMEA-L1.cost_per_agent_hour=50"},
       "--vary agent_groups.EMEA-L1.cost_per_agent_hour: expected headcount after a set of agent "
       "groups (EMEA-L1 matches 3 groups), found \"cost_per_agent_hour\""},
      {{"agent_groups.EMEA-L1.headcount=40.5"},
       "--vary agent_groups.EMEA-L1.headcount=40.5: expected a total headcount, a whole number "
       "from 0 to 1000000, for the 3 groups of agent_groups.EMEA-L1.headcount; found 40.5"},
      {{"agent_groups.EMEA-*.headcount=40", "agent_groups.munich-l2.headcount=3"},
       "agent_groups.munich-l2.headcount is varied twice"},
  }));
  CHECK_THAT(override_error([&] {
               scenarios::plan_sweep("(embedded default)", default_document(), bad.vary);
             }),
             Catch::Contains(bad.words));
}

TEST_CASE("override: an option the loader refuses names the option and the place", "[sweep]") {
  const scenarios::SweepPlan plan = scenarios::plan_sweep(
      "(embedded default)", default_document(), {"agent_groups.austin-l1.headcount=20.5"});
  const std::string message = scenario_error([&] { scenarios::option_scenario(plan, 1); });
  CHECK_THAT(message, Catch::StartsWith("option \"austin-l1.headcount=20.5\": (embedded "
                                        "default): /agent_groups/0/headcount: expected"));
  CHECK_THAT(message, Catch::Contains("20.5"));
}

TEST_CASE("override: an options file lays each override over the scenario", "[sweep]") {
  const TempDir dir;
  const std::string file = dir.write("options.json", R"({
    "description": "two plans for EMEA",
    "options": [
      {"name": "freeze", "override": {"agent_groups": [{"name": "london-l1", "headcount": 12},
                                                      {"name": "lisbon-l1", "hiring_plan": []}]}},
      {"name": "cheaper London", "override": {"sites": [{"name": "London",
                                                        "cost_per_agent_hour": 50}]}}
    ]})");
  const auto listed = scenarios::load_options_file(file);
  REQUIRE(listed.size() == 2);
  const scenarios::SweepPlan plan = scenarios::plan_sweep("(embedded default)", default_document(),
                                                          {"demand.daily_cv=0.3"}, listed);
  CHECK(names_of(plan) ==
        std::vector<std::string>{"baseline", "freeze", "cheaper London", "demand.daily_cv=0.3"});
  const scenarios::Scenario freeze = scenarios::option_scenario(plan, 1);
  CHECK(freeze.organisation.agent_groups[6].headcount == 12);
  CHECK(freeze.organisation.agent_groups[7].hiring_plan.empty());
  CHECK(freeze.organisation.agent_groups[0].headcount == 20); // untouched
  // The settings: the --vary path, then the numbers the options change, in document order.
  const scenarios::SettingsTable table = scenarios::settings_table(plan);
  CHECK(table.paths == std::vector<std::string>{"demand.daily_cv",
                                                "agent_groups.london-l1.headcount",
                                                "agent_groups.lisbon-l1.hiring_plan.0.hires",
                                                "sites.London.cost_per_agent_hour"});
  CHECK(table.values[1][1] == 12);
  CHECK(table.values[1][2].is_null()); // freeze has no hires at Lisbon
  CHECK(table.values[2][3] == 50);
  // And back from the JSON a part file holds.
  const scenarios::SweepPlan again =
      scenarios::plan_from_json(scenarios::plan_to_json(plan), "part", "/plan");
  CHECK(scenarios::plan_to_json(again) == scenarios::plan_to_json(plan));
  CHECK(names_of(again) == names_of(plan));
}

TEST_CASE("override: mistakes in an options file name the file and the place", "[sweep]") {
  struct Bad {
    const char *text;
    const char *message; // after "FILE: "
  };
  const Bad bad = GENERATE(values<Bad>({
      {R"({"options": [)", ""},
      {R"([1])", "/: expected an object {\"options\": [...]}, found an array of 1"},
      {R"({"optoins": []})", "/optoins: unknown key \"optoins\"; did you mean \"options\"?"},
      {R"({})", "/: missing required key \"options\""},
      {R"({"options": []})", "/options: expected a list of at least one option, found an empty "
                             "list"},
      {R"({"options": [{"override": {}}]})", "/options/0: missing required key \"name\""},
      {R"({"options": [{"name": "baseline", "override": {}}]})",
       "/options/0/name: expected a name other than \"baseline\""},
      {R"({"options": [{"name": "a", "override": {}}, {"name": "a", "override": {}}]})",
       "/options/1/name: expected a unique option name, found \"a\" again"},
      {R"({"options": [{"name": "a", "override": 3}]})",
       "/options/0/override: expected an object (a partial scenario), found 3"},
      {R"({"options": [{"name": "a", "override": {"seed": 4}}]})",
       "/options/0/override/seed: expected no \"seed\""},
      {R"({"options": [{"name": "a", "overide": {}}]})",
       "/options/0/overide: unknown key \"overide\"; did you mean \"override\"?"},
  }));
  const TempDir dir;
  const std::string file = dir.write("options.json", bad.text);
  const std::string message = scenario_error([&] { scenarios::load_options_file(file); });
  INFO(bad.text);
  CHECK_THAT(message, Catch::StartsWith(file + (*bad.message ? ": " : ":1:")));
  CHECK_THAT(message, Catch::Contains(bad.message));

  // An override the loader refuses is reported for its option.
  const std::string refused = dir.write("refused.json", R"({"options": [{"name": "fewer",
      "override": {"agent_groups": [{"name": "london-l1", "headcount": -1}]}}]})");
  const scenarios::SweepPlan plan = scenarios::plan_sweep(
      "(embedded default)", default_document(), {}, scenarios::load_options_file(refused));
  CHECK_THAT(scenario_error([&] { scenarios::option_scenario(plan, 1); }),
             Catch::StartsWith("option \"fewer\": (embedded default): /agent_groups/6/headcount"));
}
