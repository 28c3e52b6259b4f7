// The JSON Schema of the summary document (analysis/report/summary.schema.json, compiled in as
// analysis::summary_schema_text()): the golden document, a fresh run of the default and runs of
// an M/M/c organisation (one region, undefined figures as nulls) validate; a broken document is
// refused, and valijson names the place.
#include "analysis/report/report.hpp"
#include "analysis/run/experiment.hpp"
#include "scenarios/scenario.hpp"
#include "scenarios/schema_validation.hpp"
#include "tests/support/scenarios.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace {

using namespace supportsim;
using nlohmann::json;
namespace fs = std::filesystem;

const fs::path source_dir = SUPPORTSIM_SOURCE_DIR;

json read_json(const fs::path &path) {
  std::ifstream in(path);
  REQUIRE(in);
  return json::parse(in);
}

const json &schema_document() {
  static const json doc = json::parse(analysis::summary_schema_text());
  return doc;
}

const scenarios::detail::JsonSchema &summary_schema() {
  static const scenarios::detail::JsonSchema parsed(schema_document());
  return parsed;
}

/// Every problem valijson reports, innermost first, as "POINTER: description" ("/" for the
/// document itself); empty when the document is valid. The outer "Failed to validate ..."
/// lines, which only repeat that something inside failed, are left out.
std::vector<std::string> problems(const json &doc) {
  const std::vector<scenarios::detail::SchemaProblem> found = summary_schema().problems(doc);
  std::vector<std::string> out;
  for (const scenarios::detail::SchemaProblem &p : found)
    if (!p.summary) out.push_back((p.tokens.empty() ? "/" : p.pointer()) + ": " + p.description);
  if (out.empty() && !found.empty()) out.push_back("/: invalid, with no detail");
  return out;
}

std::string lines(const std::vector<std::string> &items) {
  std::string out;
  for (const std::string &item : items)
    out += item + "\n";
  return out;
}

analysis::ExperimentResult simulate(const scenarios::Scenario &s, std::uint32_t replications) {
  analysis::RunOptions options;
  options.seed = 1;
  options.replications = replications;
  options.jobs = 2;
  return analysis::run_experiment(s, options);
}

json golden() {
  return read_json(source_dir / "tests" / "golden" / "default-summary.json");
}

} // namespace

TEST_CASE("summary schema: the compiled-in schema is analysis/report/summary.schema.json",
          "[summary-schema]") {
  const json on_disk = read_json(source_dir / "analysis" / "report" / "summary.schema.json");
  CHECK(schema_document() == on_disk);
  CHECK(on_disk["$schema"] == "http://json-schema.org/draft-07/schema#");
  CHECK(on_disk["title"] == "supportsim summary");
  CHECK_NOTHROW(summary_schema());
}

TEST_CASE("summary schema: every property is described, every object is closed",
          "[summary-schema]") {
  int properties = 0, objects = 0;
  std::vector<std::pair<const json *, std::string>> pending{{&schema_document(), ""}};
  while (!pending.empty()) {
    const auto [node, at] = pending.back();
    pending.pop_back();
    if (node->is_object()) {
      if (node->contains("properties") && node->value("type", "") == "object") {
        ++objects;
        INFO(at);
        CHECK((*node)["additionalProperties"] == false);
        // Every key the document has is always there: null says "undefined", never absence.
        std::vector<std::string> keys, required = (*node)["required"];
        for (const auto &item : (*node)["properties"].items())
          keys.push_back(item.key()); // in json's order, sorted
        std::sort(required.begin(), required.end());
        CHECK(required == keys);
        for (const auto &item : (*node)["properties"].items()) {
          ++properties;
          INFO(at + "/properties/" + item.key());
          CHECK(item.value().contains("description"));
        }
      }
      for (const auto &item : node->items())
        pending.emplace_back(&item.value(), at + "/" + item.key());
    } else if (node->is_array()) {
      for (std::size_t i = 0; i < node->size(); ++i)
        pending.emplace_back(&(*node)[i], at + "/" + std::to_string(i));
    }
  }
  CHECK(objects >= 15);
  CHECK(properties > 120);
}

TEST_CASE("summary schema: the golden document validates", "[summary-schema]") {
  const json doc = golden();
  INFO(lines(problems(doc)));
  CHECK(problems(doc).empty());
}

TEST_CASE("summary schema: a fresh run of the default validates", "[summary-schema]") {
  scenarios::Scenario s = scenarios::default_scenario();
  s.organisation.horizon = s.warmup + sim::Duration::days(14);
  const json doc = json::parse(analysis::render_json(simulate(s, 2), "test"));
  REQUIRE(doc["demand"].size() == 3);
  CHECK(doc["demand"][0]["weeks"].size() == 2);
  CHECK(doc["measured_days"] == 14);
  INFO(lines(problems(doc)));
  CHECK(problems(doc).empty());
}

TEST_CASE("summary schema: an M/M/c organisation validates, its undefined figures null",
          "[summary-schema]") {
  // One region (no regional spread), every case P4 (P1-P3 rates undefined); with one
  // replication no confidence interval at all.
  const std::uint32_t replications = GENERATE(1u, 2u);
  INFO(replications << " replication(s)");
  const json doc = json::parse(analysis::render_json(
      simulate(testing::mmc_scenario(5, 24, 10, 0, 1, 15), replications), "test"));
  REQUIRE(doc["regions"].size() == 1);
  CHECK(doc["regional_spread"]["sla_attainment"].is_null());
  CHECK(doc["regions"][0]["priorities"][0]["sla_attainment"]["mean"].is_null());
  CHECK(doc["regions"][0]["priorities"][0]["sla_attainment"]["n"] == 0);
  CHECK(doc["all"]["all"]["offered"]["ci95"].is_null() == (replications == 1));
  INFO(lines(problems(doc)));
  CHECK(problems(doc).empty());
}

TEST_CASE("summary schema: a broken document is refused at the place it breaks",
          "[summary-schema]") {
  struct Mutation {
    std::string what;
    std::function<void(json &)> change;
    std::string pointer; ///< where valijson must report it
    std::string words;   ///< in its description
  };
  const Mutation m = GENERATE(values<Mutation>({
      {"a missing required key", [](json &d) { d["regions"][1]["all"].erase("asa_minutes"); },
       "/regions/1/all", "Missing required property 'asa_minutes'"},
      {"a missing top-level key", [](json &d) { d.erase("forecast_variance"); }, "/",
       "Missing required property 'forecast_variance'"},
      {"a string for an estimate", [](json &d) { d["all"]["cost"] = "12.50"; }, "/all/cost",
       "'type' constraint"},
      {"an unknown key at the top level", [](json &d) { d["comment"] = "hello"; }, "/",
       "'comment'"},
      {"an unknown key in an estimate", [](json &d) { d["segments"][0]["offered"]["sd"] = 1; },
       "/segments/0/offered", "'sd'"},
      {"a priority named P5", [](json &d) { d["regions"][0]["priorities"][3]["priority"] = "P5"; },
       "/regions/0/priorities/3/priority", "any enum values"},
      {"a segment not in the model", [](json &d) { d["segments"][4]["name"] = "gold"; },
       "/segments/4/name", "any enum values"},
      {"a timestamp that is not UTC", [](json &d) { d["start_utc"] = "2027-01-04T00:00:00+01:00"; },
       "/start_utc", "'pattern' constraint"},
      {"a negative half-width", [](json &d) { d["regions"][2]["cost"]["ci95"] = -1.0; },
       "/regions/2/cost/ci95", "greater than or equal to 0"},
      {"a fraction above 1", [](json &d) { d["all"]["utilisation"]["mean"] = 1.5; },
       "/all/utilisation/mean", "less than or equal to 1"},
      {"an hour of the week missing",
       [](json &d) { d["demand"][0]["hour_of_week_ratio"].erase(167); },
       "/demand/0/hour_of_week_ratio", "no fewer than 168"},
      {"causes on a row not flagged",
       [](json &d) {
         json &row = d["forecast_variance"]["regions"][0]["weeks"][0]["volume"];
         row["flagged"] = false;
         row["causes"] = json::array({"a guess"});
       },
       "/forecast_variance/regions/0/weeks/0/volume/causes", "no more than 0"},
  }));
  INFO(m.what);
  json doc = golden();
  m.change(doc);
  const std::vector<std::string> found = problems(doc);
  INFO(lines(found));
  REQUIRE_FALSE(found.empty());
  bool named = false;
  for (const std::string &p : found)
    named = named || (p.rfind(m.pointer + ": ", 0) == 0 && p.find(m.words) != std::string::npos);
  CHECK(named);
}
