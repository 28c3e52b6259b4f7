// "extends": a what-if states only what changes, laid over a base scenario.
#include "scenarios/scenario.hpp"
#include "tests/support/temp_dir.hpp"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

namespace fs = std::filesystem;
using supportsim::scenarios::load_scenario_file;
using supportsim::scenarios::ScenarioError;
using supportsim::testing::TempDir;

namespace {

const char *const base = R"({
  "name": "base", "seed": 3, "horizon_days": 10,
  "sla": {"first_response_minutes": {"P1": 20}},
  "queues": [
    {"name": "A", "agents": 4, "arrivals_per_hour": 2,
     "handle_minutes": {"type": "exponential", "mean": 30}},
    {"name": "B", "agents": 2, "arrivals_per_hour": 1,
     "handle_minutes": {"type": "exponential", "mean": 30},
     "patience_minutes": {"type": "exponential", "mean": 60}}
  ]})";

} // namespace

TEST_CASE("extends: a what-if overrides only what it states", "[scenarios]") {
  const TempDir f;
  f.write("base.json", base);
  const std::string what_if = f.write("what-if.json", R"({
    "extends": "base.json", "name": "what-if", "horizon_days": 20,
    "sla": {"first_response_minutes": {"P2": 90}},
    "queues": [{"name": "B", "agents": 3, "patience_minutes": null},
               {"name": "C", "agents": 1, "arrivals_per_hour": 0.5,
                "handle_minutes": {"type": "constant", "value": 10}}]})");
  const auto s = load_scenario_file(what_if);
  CHECK(s.name == "what-if");
  CHECK(s.seed == 3);                                                       // inherited
  CHECK(s.organisation.horizon == supportsim::sim::Duration::days(20));     // overridden
  CHECK(s.sla.first_response[0] == supportsim::sim::Duration::minutes(20)); // merged, kept
  CHECK(s.sla.first_response[1] == supportsim::sim::Duration::minutes(90)); // merged, changed
  REQUIRE(s.organisation.queues.size() == 3);
  CHECK(s.organisation.queues[0].agents == 4); // A untouched
  CHECK(s.organisation.queues[1].agents == 3); // B merged by name
  CHECK(s.organisation.queues[1].arrivals_per_hour == 1);
  CHECK_FALSE(s.organisation.queues[1].patience_minutes); // null deletes
  CHECK(s.organisation.queues[2].name == "C");            // new names are appended
}

TEST_CASE("extends: removing a queue, chains, and the embedded default", "[scenarios]") {
  const TempDir f;
  f.write("base.json", base);
  f.write("sub/middle.json", R"({"extends": "../base.json", "replications": 4})");
  const auto s = load_scenario_file(f.write("sub/top.json", R"({"extends": "middle.json",
      "queues": [{"name": "A", "remove": true}]})"));
  CHECK(s.replications == 4);
  CHECK(s.seed == 3);
  REQUIRE(s.organisation.queues.size() == 1);
  CHECK(s.organisation.queues[0].name == "B");

  const auto d = load_scenario_file(f.write("d.json", R"({"extends": "default", "name": "d",
      "queues": [{"name": "EMEA", "agents": 5}]})"));
  CHECK(d.organisation.queues.size() == 3);
  CHECK(d.organisation.queues[1].agents == 5);
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
  SECTION("a missing base names the base file") {
    const std::string a = f.write("a.json", R"({"extends": "nowhere.json", "name": "a"})");
    try {
      load_scenario_file(a);
      FAIL("no error");
    } catch (const ScenarioError &e) {
      CHECK_THAT(e.file(), Catch::EndsWith("nowhere.json"));
      CHECK_THAT(e.problem(), Catch::Contains("cannot open"));
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
}

TEST_CASE("extends: the example what-ifs load and differ from the default", "[scenarios]") {
  const auto freeze =
      load_scenario_file(std::string(SUPPORTSIM_SOURCE_DIR) + "/scenarios/emea-hiring-freeze.json");
  const auto base_scenario = supportsim::scenarios::default_scenario();
  CHECK(freeze.name == "emea-hiring-freeze");
  CHECK(freeze.organisation.queues[1].agents + 1 == base_scenario.organisation.queues[1].agents);
  CHECK(freeze.organisation.queues[0].agents == base_scenario.organisation.queues[0].agents);
}
