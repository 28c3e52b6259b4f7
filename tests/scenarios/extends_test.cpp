// "extends": a what-if states only what changes, laid over a base scenario.
#include "scenarios/scenario.hpp"
#include "tests/support/temp_dir.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <string>

using namespace supportsim;
using scenarios::load_scenario_file;
using scenarios::ScenarioError;
using supportsim::testing::TempDir;

namespace {

const char *const base = R"({
  "name": "base", "seed": 3, "horizon_days": 10,
  "sla": {"first_response_minutes": {"P1": 20}},
  "demand": {"cases_per_month": 1000, "product_mix": {"DNS": 0.5, "CDN": 0.5}},
  "lifecycle": {"patience_minutes": {"chat": {"type": "exponential", "mean": 60}}},
  "agent_groups": [
    {"name": "A", "headcount": 4, "chat_concurrency": 2},
    {"name": "B", "headcount": 2, "skills": {"DNS": 1, "CDN": 0.5, "en": 1}}
  ],
  "triggers": [{"name": "t", "condition": "backlog_above", "threshold": 50, "action": "overtime"}]
})";

} // namespace

TEST_CASE("extends: a what-if overrides only what it states", "[scenarios]") {
  const TempDir f;
  f.write("base.json", base);
  const std::string what_if = f.write("what-if.json", R"({
    "extends": "base.json", "name": "what-if", "horizon_days": 20,
    "sla": {"first_response_minutes": {"P2": 90}},
    "lifecycle": {"patience_minutes": {"chat": null}},
    "agent_groups": [{"name": "B", "headcount": 3, "skills": {"DNS": 0.7}},
                     {"name": "C", "add": true, "headcount": 1}]})");
  const auto s = load_scenario_file(what_if);
  const auto &org = s.organisation;
  CHECK(s.name == "what-if");
  CHECK(s.seed == 3);                            // inherited
  CHECK(org.horizon == sim::Duration::days(20)); // overridden
  CHECK(s.organisation.service_levels.first_response[2][0] ==
        sim::Duration::minutes(20)); // merged, kept
  CHECK(s.organisation.service_levels.first_response[2][1] ==
        sim::Duration::minutes(90));              // merged, changed
  CHECK_FALSE(org.lifecycle.patience_minutes[1]); // null deletes
  REQUIRE(org.agent_groups.size() == 3);
  CHECK(org.agent_groups[0].headcount == 4); // A untouched
  CHECK(org.agent_groups[0].chat_concurrency == 2);
  CHECK(org.agent_groups[1].headcount == 3); // B merged by name
  // Objects merge key by key, even inside a named element: B keeps CDN and en.
  CHECK(org.agent_groups[1].product_proficiency == std::vector<double>{0.5, 0.7}); // CDN, DNS
  CHECK(org.agent_groups[2].name == "C"); // new names are appended
  CHECK(org.triggers.size() == 1);
}

TEST_CASE("extends: removing an element, emptying an array, chains", "[scenarios]") {
  const TempDir f;
  f.write("base.json", base);
  f.write("sub/middle.json", R"({"extends": "../base.json", "replications": 4})");
  const auto s = load_scenario_file(f.write("sub/top.json", R"({"extends": "middle.json",
      "agent_groups": [{"name": "A", "remove": true}], "triggers": []})"));
  CHECK(s.replications == 4);
  CHECK(s.seed == 3);
  REQUIRE(s.organisation.agent_groups.size() == 1);
  CHECK(s.organisation.agent_groups[0].name == "B");
  CHECK(s.organisation.triggers.empty()); // an empty array replaces
}

TEST_CASE("extends: the embedded default as a base", "[scenarios]") {
  const TempDir f;
  const auto base_scenario = scenarios::default_scenario();
  const auto d = load_scenario_file(f.write("d.json", R"({"extends": "default", "name": "d",
      "regions": [{"name": "APJC", "languages": {"en": 0.5, "ja": 0.3, "ko": 0.2}}],
      "agent_groups": [{"name": "tokyo-l1", "headcount": 9,
                        "skills": {"ko": 0.8}}]})"));
  CHECK(d.organisation.agent_groups.size() == 17);
  CHECK(d.organisation.languages.size() == 7);
  const auto &tokyo = d.organisation.agent_groups[13];
  CHECK(tokyo.name == "tokyo-l1");
  CHECK(tokyo.headcount == 9);
  CHECK(tokyo.language_proficiency[4] == 1.0); // ja, kept from the base
  CHECK(tokyo.language_proficiency[5] == 0.8); // ko
  CHECK(d.warnings.empty());
}

TEST_CASE("extends: mistakes are reported with the file and /extends", "[scenarios]") {
  const TempDir f;
  SECTION("a cycle") {
    f.write("a.json", R"({"extends": "b.json", "name": "a"})");
    const std::string b = f.write("b.json", R"({"extends": "a.json", "name": "b"})");
    try {
      load_scenario_file(b);
      FAIL("no error");
    } catch (const ScenarioError &e) {
      CHECK(e.pointer() == "/extends");
      CHECK_THAT(e.problem(), Catch::Contains("without a cycle") && Catch::Contains("b.json -> ") &&
                                  Catch::Contains("a.json -> "));
    }
  }
  SECTION("extending itself") {
    const std::string a = f.write("a.json", R"({"extends": "a.json", "name": "a"})");
    CHECK_THROWS_WITH(load_scenario_file(a), Catch::Contains("without a cycle"));
  }
  SECTION("a missing base is a mistake of the extending file, at /extends") {
    const std::string a = f.write("a.json", R"({"extends": "nowhere.json", "name": "a"})");
    try {
      load_scenario_file(a);
      FAIL("no error");
    } catch (const ScenarioError &e) {
      CHECK(e.file() == a);
      CHECK(e.pointer() == "/extends");
      CHECK_THAT(e.problem(), Catch::Contains("found no file") && Catch::EndsWith("nowhere.json"));
    }
  }
  SECTION("extends must be a name") {
    const std::string a = f.write("a.json", R"({"extends": 7, "name": "a"})");
    try {
      load_scenario_file(a);
      FAIL("no error");
    } catch (const ScenarioError &e) {
      CHECK(e.file() == a);
      CHECK(e.pointer() == "/extends");
      CHECK_THAT(e.problem(), Catch::Contains("found 7"));
    }
  }
  SECTION("a mistake in the merged scenario names the extending file") {
    f.write("base.json", base);
    const std::string a = f.write("a.json", R"({"extends": "base.json",
        "agent_groups": [{"name": "A", "site": "Nowhere"}]})");
    try {
      load_scenario_file(a);
      FAIL("no error");
    } catch (const ScenarioError &e) {
      CHECK(e.file() == a);
      CHECK(e.pointer() == "/agent_groups/0/site");
    }
  }
}

TEST_CASE("extends: the example what-if loads and differs from the default", "[scenarios]") {
  const auto freeze =
      load_scenario_file(std::string(SUPPORTSIM_SOURCE_DIR) + "/scenarios/emea-hiring-freeze.json");
  const auto base_scenario = scenarios::default_scenario();
  CHECK(freeze.name == "emea-hiring-freeze");
  const auto &groups = freeze.organisation.agent_groups,
             &before = base_scenario.organisation.agent_groups;
  REQUIRE(groups.size() == before.size());
  unsigned emea = 0, emea_before = 0;
  for (std::size_t i = 0; i < groups.size(); ++i) {
    CHECK(groups[i].name == before[i].name);
    if (freeze.organisation.sites[groups[i].site].region == 1) {
      emea += groups[i].headcount;
      emea_before += before[i].headcount;
    } else {
      CHECK(groups[i].headcount == before[i].headcount);
    }
  }
  CHECK(emea + 6 == emea_before);
  CHECK(groups[7].name == "lisbon-l1");
  CHECK(groups[7].hiring_plan.empty());
}

TEST_CASE("extends: a name the base does not have is added only with \"add\": true",
          "[scenarios]") {
  const TempDir f;
  f.write("base.json", base);
  auto problem_of = [&](const std::string &groups) {
    const std::string w = f.write("w.json", R"({"extends": "base.json", "name": "w",
        "agent_groups": )" + groups + "}");
    try {
      load_scenario_file(w);
    } catch (const ScenarioError &e) {
      CHECK(e.file() == w);
      return e.pointer() + ": " + e.problem();
    }
    return std::string("no error");
  };
  SECTION("a typo is an error naming the nearest names, not a new group of defaults") {
    CHECK(problem_of(R"([{"name": "B", "headcount": 3}, {"name": "b2", "headcount": 21}])") ==
          "/agent_groups/1: no agent group named \"b2\" in the base; the nearest: \"B\", \"A\". "
          "To add a new agent group, give it \"add\": true");
  }
  SECTION("removing a name the base does not have") {
    CHECK(problem_of(R"([{"name": "C", "remove": true}])") ==
          "/agent_groups/0: no agent group named \"C\" in the base to remove; the nearest: "
          "\"A\", \"B\"");
  }
  SECTION("\"add\" on a name the base has") {
    CHECK(problem_of(R"([{"name": "A", "add": true, "headcount": 1}])") ==
          "/agent_groups/0/add: expected a new name with \"add\": true, found \"A\", which the "
          "base has already");
  }
  SECTION("with \"add\": true the element is appended") {
    const auto s = load_scenario_file(f.write("w.json", R"({"extends": "base.json", "name": "w",
        "agent_groups": [{"name": "C", "add": true, "headcount": 5}]})"));
    REQUIRE(s.organisation.agent_groups.size() == 3);
    CHECK(s.organisation.agent_groups[2].name == "C");
    CHECK(s.organisation.agent_groups[2].headcount == 5);
  }
  SECTION("a section the base leaves empty takes new names without \"add\"") {
    const auto s = load_scenario_file(f.write("w.json", R"({"extends": "base.json", "name": "w",
        "triggers": [], "demand": {"incidents": [{"name": "outage", "start": "2027-01-05",
        "hours": 2, "multiplier": 3}]}})"));
    CHECK(s.organisation.triggers.empty());
    CHECK(s.organisation.demand.incidents.size() == 1);
  }
}
