// load -> dump -> load gives the same scenario: the dump is a complete, canonical scenario file.
#include "analysis/report/report.hpp"
#include "analysis/run/experiment.hpp"
#include "scenarios/scenario.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <vector>

namespace fs = std::filesystem;
using namespace supportsim;

namespace {
std::vector<fs::path> example_files() {
  std::vector<fs::path> files;
  for (const char *folder : {"scenarios", "tests/scenarios/good"})
    for (const auto &e : fs::directory_iterator(fs::path(SUPPORTSIM_SOURCE_DIR) / folder))
      if (e.path().extension() == ".json" && e.path().filename() != "schema.json")
        files.push_back(e.path());
  std::sort(files.begin(), files.end());
  return files;
}
} // namespace

TEST_CASE("dump: every scenario round-trips through its dump", "[scenarios]") {
  const std::vector<fs::path> files = example_files();
  REQUIRE(files.size() >= 7);
  for (const fs::path &file : files) {
    INFO(file.string());
    const scenarios::Scenario first = scenarios::load_scenario_file(file.string());
    const std::string text = scenarios::dump_scenario(first);
    const scenarios::Scenario second = scenarios::parse_scenario(text, "dump");
    CHECK(scenarios::dump_scenario(second) == text); // canonical: a fixed point
    CHECK(second.name == first.name);
    CHECK(second.description == first.description);
    CHECK(second.seed == first.seed);
    CHECK(second.replications == first.replications);
    CHECK(second.warmup == first.warmup);
    CHECK(second.organisation.service_levels.first_response ==
          first.organisation.service_levels.first_response);
    CHECK(second.organisation.service_levels.business_hours_clock ==
          first.organisation.service_levels.business_hours_clock);
    CHECK(second.sla.attainment_target == first.sla.attainment_target);
    CHECK(second.warnings.size() == first.warnings.size());
    const models::OrganisationConfig &a = first.organisation, &b = second.organisation;
    CHECK(a.start == b.start);
    CHECK(a.horizon == b.horizon);
    CHECK(a.products == b.products);
    CHECK(a.languages == b.languages);
    REQUIRE(a.regions.size() == b.regions.size());
    for (std::size_t i = 0; i < a.regions.size(); ++i) {
      CHECK(a.regions[i].language_mix == b.regions[i].language_mix);
      CHECK(a.regions[i].holidays == b.regions[i].holidays);
      CHECK(a.regions[i].hourly_profile == b.regions[i].hourly_profile);
    }
    REQUIRE(a.sites.size() == b.sites.size());
    REQUIRE(a.shifts.size() == b.shifts.size());
    for (std::size_t i = 0; i < a.shifts.size(); ++i) {
      CHECK(a.shifts[i].days == b.shifts[i].days);
      CHECK(a.shifts[i].start == b.shifts[i].start);
      CHECK(a.shifts[i].end == b.shifts[i].end);
      CHECK(a.shifts[i].breaks.size() == b.shifts[i].breaks.size());
    }
    REQUIRE(a.tiers.size() == b.tiers.size());
    for (std::size_t i = 0; i < a.tiers.size(); ++i) {
      CHECK(a.tiers[i].escalates_to == b.tiers[i].escalates_to);
      CHECK(a.tiers[i].to_engineering == b.tiers[i].to_engineering);
    }
    REQUIRE(a.agent_groups.size() == b.agent_groups.size());
    for (std::size_t i = 0; i < a.agent_groups.size(); ++i) {
      const auto &ga = a.agent_groups[i], &gb = b.agent_groups[i];
      CHECK(ga.name == gb.name);
      CHECK(ga.site == gb.site);
      CHECK(ga.tier == gb.tier);
      CHECK(ga.headcount == gb.headcount);
      CHECK(ga.shifts == gb.shifts);
      CHECK(ga.product_proficiency == gb.product_proficiency);
      CHECK(ga.language_proficiency == gb.language_proficiency);
      CHECK(ga.tenure_months.describe() == gb.tenure_months.describe());
      CHECK(ga.cost_per_agent_hour == gb.cost_per_agent_hour);
      CHECK(ga.shrinkage.absence == gb.shrinkage.absence);
      CHECK(ga.shrinkage.off_queue == gb.shrinkage.off_queue);
    }
    CHECK(a.experience.escalation.table == b.experience.escalation.table);
    CHECK(a.demand.hourly_profile == b.demand.hourly_profile);
    CHECK(a.demand.priority_mix == b.demand.priority_mix);
    CHECK(a.demand.product_mix == b.demand.product_mix);
    REQUIRE(a.demand.incidents.size() == b.demand.incidents.size());
    for (std::size_t i = 0; i < a.demand.incidents.size(); ++i) {
      CHECK(a.demand.incidents[i].start == b.demand.incidents[i].start);
      CHECK(a.demand.incidents[i].duration == b.demand.incidents[i].duration);
      CHECK(a.demand.incidents[i].products == b.demand.incidents[i].products);
    }
    for (std::size_t c = 0; c < models::channel_count; ++c) {
      CHECK(a.lifecycle.work_minutes[c].describe() == b.lifecycle.work_minutes[c].describe());
      CHECK(bool(a.lifecycle.patience_minutes[c]) == bool(b.lifecycle.patience_minutes[c]));
    }
    CHECK(a.routing.overflow_after == b.routing.overflow_after);
    CHECK(a.routing.live_overflow_after == b.routing.live_overflow_after);
    CHECK(a.routing.fallback_language == b.routing.fallback_language);
    CHECK(a.routing.handoff == b.routing.handoff);
    REQUIRE(a.triggers.size() == b.triggers.size());
    for (std::size_t i = 0; i < a.triggers.size(); ++i) {
      CHECK(a.triggers[i].region == b.triggers[i].region);
      CHECK(a.triggers[i].from_region == b.triggers[i].from_region);
      CHECK(a.triggers[i].duration == b.triggers[i].duration);
      CHECK(a.triggers[i].check_every == b.triggers[i].check_every);
    }
  }
}

TEST_CASE("dump: a scenario and its dump run to byte-identical results", "[scenarios]") {
  // The strongest check of the round trip: nothing the model reads is lost or changed.
  const fs::path file = GENERATE(from_range(example_files()));
  INFO(file.string());
  const scenarios::Scenario first = scenarios::load_scenario_file(file.string());
  scenarios::Scenario second = scenarios::parse_scenario(scenarios::dump_scenario(first), "dump");
  second.source = first.source; // the report names the source
  analysis::RunOptions options;
  options.replications = 1;
  CHECK(analysis::render_json(analysis::run_experiment(first, options), "t") ==
        analysis::render_json(analysis::run_experiment(second, options), "t"));
}

TEST_CASE("dump: every value is explicit", "[scenarios]") {
  const std::string text = scenarios::dump_scenario(scenarios::load_scenario_file(
      std::string(SUPPORTSIM_SOURCE_DIR) + "/tests/scenarios/good/minimal.json"));
  const auto j = nlohmann::json::parse(text);
  for (const char *key : {"start", "horizon_days", "warmup_days", "seed", "replications", "regions",
                          "sites", "shifts", "tiers", "agent_groups", "experience", "demand",
                          "lifecycle", "sla", "routing", "triggers"}) {
    INFO(key);
    CHECK(j.contains(key));
  }
  CHECK(j["regions"][0]["name"] == "Global");
  CHECK(j["shifts"][0]["end"] == "24:00");
  CHECK(j["agent_groups"][0]["skills"] == nlohmann::json{{"general", 1.0}, {"en", 1.0}});
  CHECK(j["lifecycle"]["patience_minutes"] == nlohmann::json::object());
  CHECK(j["sla"]["segments"]["premium"]["first_response_minutes"]["P4"] == 1440.0);
}
