// scenarios/schema.json: the one description of the format, for editors and for the loader.
#include "scenarios/scenario.hpp"
#include "scenarios/schema_validation.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

namespace fs = std::filesystem;
using nlohmann::json;
using namespace supportsim::scenarios;

namespace {
json read_json(const fs::path &p) {
  std::ifstream in(p);
  return json::parse(in);
}

const std::string minimal_groups = R"("agent_groups": [{"name": "team", "headcount": 1}])";

/// Every object schema's properties, under `at` (a readable path), with `$ref`s followed once.
void check_described(const json &schema, const json &node, const std::string &at, int &keys) {
  if (!node.is_object()) return;
  if (node.contains("properties"))
    for (const auto &item : node["properties"].items()) {
      if (item.value().is_boolean()) continue; // "type": true inside a distribution's branches
      INFO(at + "/" + item.key());
      // P1..P4 of a per-priority object are described by the key that holds the object.
      const bool per_priority = item.key().size() == 2 && item.key()[0] == 'P';
      if (!per_priority) {
        ++keys;
        const json &v = item.value();
        const bool by_ref = v.contains("$ref") &&
                            schema.at(json::json_pointer(v["$ref"].get<std::string>().substr(1)))
                                .contains("description");
        CHECK((v.contains("description") || by_ref));
      }
      check_described(schema, item.value(), at + "/" + item.key(), keys);
    }
  // Not "then": the top-level one only adds "required" to keys described elsewhere.
  for (const char *nested : {"items", "additionalProperties"})
    if (node.contains(nested)) check_described(schema, node[nested], at + "/" + nested, keys);
  if (node.contains("allOf"))
    for (const json &branch : node["allOf"])
      check_described(schema, branch["then"], at + "/allOf/then", keys);
}
} // namespace

TEST_CASE("schema: the compiled-in schema is scenarios/schema.json", "[scenarios]") {
  const json on_disk = read_json(fs::path(SUPPORTSIM_SOURCE_DIR) / "scenarios" / "schema.json");
  CHECK(json::parse(scenario_schema_text()) == on_disk);
  CHECK(on_disk["$schema"] == "http://json-schema.org/draft-07/schema#");
}

TEST_CASE("schema: every scenario file validates as written and loads", "[scenarios]") {
  int files = 0;
  for (const char *folder : {"scenarios", "tests/scenarios/good"})
    for (const auto &entry : fs::directory_iterator(fs::path(SUPPORTSIM_SOURCE_DIR) / folder)) {
      if (entry.path().extension() != ".json" || entry.path().filename() == "schema.json") continue;
      INFO(entry.path().string());
      ++files;
      CHECK_NOTHROW(load_scenario_file(entry.path().string()));
      // As an editor sees it, before "extends" is resolved: a what-if need not repeat required
      // keys its base already has.
      CHECK_NOTHROW(detail::validate_against_schema(read_json(entry.path()), "raw"));
    }
  CHECK(files >= 7);
}

TEST_CASE("schema: every key has a description for editors", "[scenarios]") {
  const json schema = json::parse(scenario_schema_text());
  int keys = 0;
  check_described(schema, schema, "", keys);
  for (const auto &item : schema["definitions"].items())
    check_described(schema, item.value(), "#/definitions/" + item.key(), keys);
  CHECK(keys > 150);
}

TEST_CASE("schema: every object in the schema refuses unknown keys", "[scenarios]") {
  const json schema = json::parse(scenario_schema_text());
  int objects = 0;
  // Walk every subschema; an object type must say additionalProperties (false, or a schema for
  // free keys such as product names).
  std::vector<std::pair<const json *, std::string>> pending{{&schema, ""}};
  while (!pending.empty()) {
    const auto [node, at] = pending.back();
    pending.pop_back();
    if (node->is_object()) {
      if (node->contains("type") && (*node)["type"] == "object" && !node->contains("allOf")) {
        ++objects;
        INFO(at);
        CHECK(node->contains("additionalProperties"));
      }
      // A distribution states its keys per type, in the "then" of each branch.
      if (node->contains("allOf"))
        for (const json &branch : (*node)["allOf"])
          CHECK(branch["then"]["additionalProperties"] == false);
      for (const auto &item : node->items())
        pending.emplace_back(&item.value(), at + "/" + item.key());
    } else if (node->is_array()) {
      for (std::size_t i = 0; i < node->size(); ++i)
        pending.emplace_back(&(*node)[i], at + "/" + std::to_string(i));
    }
  }
  CHECK(objects > 30);
}

TEST_CASE("schema: a complete scenario must have its required keys", "[scenarios]") {
  // Without "extends" the name, horizon, demand and agent groups are required, and so are an
  // agent group's name and headcount.
  try {
    parse_scenario(R"({"name": "x", "horizon_days": 1, "demand": {"cases_per_month": 1},
                       "agent_groups": [{"name": "A"}]})",
                   "x.json");
    FAIL("no error");
  } catch (const ScenarioError &e) {
    CHECK(e.pointer() == "/agent_groups/0");
    CHECK(e.problem() == R"(missing required key "headcount")");
  }
  try {
    parse_scenario(R"({"name": "x", "horizon_days": 1, "demand": {"cases_per_month": 1},
                       "regions": [{"name": "R"}], )" +
                       minimal_groups + "}",
                   "x.json");
    FAIL("no error");
  } catch (const ScenarioError &e) {
    CHECK(e.pointer() == "/regions/0");
    CHECK(e.problem() == R"(missing required key "time_zone")");
  }
}

TEST_CASE("schema: nesting deep enough to hurt is refused before validation", "[scenarios]") {
  std::string text = R"({"name": "deep", "horizon_days": 1, "agent_groups": )";
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
           R"(", "demand": {"cases_per_month": 1}, )" + minimal_groups + "}";
  };
  CHECK(parse_scenario(with_start("2027-03-01T06:00Z"), "s.json").organisation.start ==
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

TEST_CASE("schema: times of day run from 00:00 to 24:00, starts to 23:59", "[scenarios]") {
  auto shift = [](const char *start, const char *end) {
    return std::string(R"({"name": "s", "horizon_days": 1, "demand": {"cases_per_month": 1},
        "shifts": [{"name": "x", "days": ["Mon"], "start": ")") +
           start + R"(", "end": ")" + end + R"("}], )" + minimal_groups + "}";
  };
  CHECK_NOTHROW(parse_scenario(shift("00:00", "24:00"), "s.json"));
  CHECK_NOTHROW(parse_scenario(shift("23:59", "00:00"), "s.json"));
  for (const auto &[start, end, pointer] :
       std::vector<std::tuple<const char *, const char *, const char *>>{
           {"24:00", "08:00", "/shifts/0/start"},
           {"09:00", "24:01", "/shifts/0/end"},
           {"9:00", "17:00", "/shifts/0/start"},
           {"09:60", "17:00", "/shifts/0/start"}}) {
    INFO(start << "-" << end);
    try {
      parse_scenario(shift(start, end), "s.json");
      FAIL("no error");
    } catch (const ScenarioError &e) {
      CHECK(e.pointer() == pointer);
      CHECK_THAT(e.problem(), Catch::Contains("expected a local time of day \"HH:MM\""));
    }
  }
}

TEST_CASE("schema: did-you-mean suggests only a clear, near winner", "[scenarios]") {
  using detail::did_you_mean;
  CHECK(did_you_mean("EMA", {"AMER", "EMEA", "APJC"}) == "EMEA");
  CHECK(did_you_mean("dns", {"DNS", "CDN"}) == "DNS");                      // case does not count
  CHECK(did_you_mean("P5", {"P1", "P2", "P3", "P4"}).empty());              // a tie
  CHECK(did_you_mean("Zero Trust Network", {"Zero Trust", "DNS"}).empty()); // too far
  CHECK(did_you_mean("x", {}).empty());
}
