// scenarios/schema.json: the one description of the format, for editors and for the loader.
#include "scenarios/scenario.hpp"
#include "scenarios/schema_validation.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

namespace fs = std::filesystem;
using nlohmann::json;
using namespace supportsim::scenarios;

namespace {
json read_json(const fs::path &p) {
  std::ifstream in(p);
  return json::parse(in);
}
} // namespace

TEST_CASE("schema: the compiled-in schema is scenarios/schema.json", "[scenarios]") {
  const json on_disk = read_json(fs::path(SUPPORTSIM_SOURCE_DIR) / "scenarios" / "schema.json");
  CHECK(json::parse(scenario_schema_text()) == on_disk);
  CHECK(on_disk["$schema"] == "http://json-schema.org/draft-07/schema#");
}

TEST_CASE("schema: every scenario in scenarios/ loads, and validates as written", "[scenarios]") {
  int files = 0;
  for (const auto &entry : fs::directory_iterator(fs::path(SUPPORTSIM_SOURCE_DIR) / "scenarios")) {
    if (entry.path().extension() != ".json" || entry.path().filename() == "schema.json") continue;
    INFO(entry.path().string());
    ++files;
    CHECK_NOTHROW(load_scenario_file(entry.path().string()));
    // As an editor sees it, before "extends" is resolved: a what-if need not repeat required
    // keys its base already has.
    CHECK_NOTHROW(detail::validate_against_schema(read_json(entry.path()), "raw"));
  }
  CHECK(files >= 2);
}

TEST_CASE("schema: every key the loader reads has a description for editors", "[scenarios]") {
  const json schema = json::parse(scenario_schema_text());
  for (const auto &item : schema["properties"].items()) {
    INFO(item.key());
    CHECK(item.value().contains("description"));
  }
  for (const auto &item : schema["definitions"]["queue"]["properties"].items()) {
    INFO(item.key());
    CHECK(item.value().contains("description"));
  }
}

TEST_CASE("schema: a complete scenario must have its required keys", "[scenarios]") {
  // Without "extends" the name, horizon and queues are required, and so are a queue's keys.
  try {
    parse_scenario(R"({"name": "x", "horizon_days": 1,
                       "queues": [{"name": "A", "agents": 1, "arrivals_per_hour": 1}]})",
                   "x.json");
    FAIL("no error");
  } catch (const ScenarioError &e) {
    CHECK(e.pointer() == "/queues/0");
    CHECK(e.problem() == R"(missing required key "handle_minutes")");
  }
}

TEST_CASE("schema: nesting deep enough to hurt is refused before validation", "[scenarios]") {
  std::string text = R"({"name": "deep", "horizon_days": 1, "queues": )";
  for (int i = 0; i < 100; ++i)
    text += "[";
  for (int i = 0; i < 100; ++i)
    text += "]";
  text += "}";
  CHECK_THROWS_WITH(parse_scenario(text, "deep.json"), Catch::Contains("levels of nested"));
}

TEST_CASE("schema: the start is a UTC date or time that exists", "[scenarios]") {
  auto with_start = [](const char *start) {
    return std::string(R"({"name": "s", "horizon_days": 1, "start": ")") + start +
           R"(", "queues": [{"name": "A", "agents": 1, "arrivals_per_hour": 1,
                "handle_minutes": {"type": "constant", "value": 1}}]})";
  };
  CHECK(parse_scenario(with_start("2027-03-01T06:00Z"), "s.json").start ==
        supportsim::sim::parse_utc("2027-03-01T06:00:00Z"));
  for (const auto &[start, words] : std::vector<std::pair<const char *, const char *>>{
           {"next monday", "expected a UTC date such as \"2027-01-04\""},
           {"2027-02-30", "no such date"},
           {"2027-01-04T09:00+01:00", "expected a UTC date such as"}}) {
    INFO(start);
    try {
      parse_scenario(with_start(start), "s.json");
      FAIL("no error");
    } catch (const ScenarioError &e) {
      CHECK(e.pointer() == "/start");
      CHECK_THAT(e.problem(), Catch::Contains(words));
    }
  }
}
