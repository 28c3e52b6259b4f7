// load -> dump -> load gives the same scenario: the dump is a complete, canonical scenario file.
#include "analysis/experiment.hpp"
#include "analysis/report.hpp"
#include "scenarios/scenario.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <vector>

namespace fs = std::filesystem;
using namespace supportsim;

TEST_CASE("dump: every scenario round-trips through its dump", "[scenarios]") {
  std::vector<fs::path> files;
  for (const char *folder : {"scenarios", "tests/scenarios/good"})
    for (const auto &e : fs::directory_iterator(fs::path(SUPPORTSIM_SOURCE_DIR) / folder))
      if (e.path().extension() == ".json" && e.path().filename() != "schema.json")
        files.push_back(e.path());
  REQUIRE(files.size() >= 5);
  for (const fs::path &file : files) {
    INFO(file.string());
    const scenarios::Scenario first = scenarios::load_scenario_file(file.string());
    const std::string text = scenarios::dump_scenario(first);
    scenarios::Scenario second = scenarios::parse_scenario(text, "dump");
    CHECK(scenarios::dump_scenario(second) == text); // canonical: a fixed point
    CHECK(second.name == first.name);
    CHECK(second.start == first.start);
    CHECK(second.seed == first.seed);
    CHECK(second.warmup == first.warmup);
    CHECK(second.organisation.horizon == first.organisation.horizon);
    CHECK(second.sla.first_response == first.sla.first_response);
    REQUIRE(second.organisation.queues.size() == first.organisation.queues.size());
    for (std::size_t q = 0; q < first.organisation.queues.size(); ++q) {
      const auto &a = first.organisation.queues[q], &b = second.organisation.queues[q];
      CHECK(a.name == b.name);
      CHECK(a.agents == b.agents);
      CHECK(a.arrivals_per_hour == b.arrivals_per_hour);
      CHECK(a.priority_mix == b.priority_mix);
      CHECK(a.handle_minutes.describe() == b.handle_minutes.describe());
      CHECK(a.handle_minutes.mean() == b.handle_minutes.mean());
      CHECK(bool(a.patience_minutes) == bool(b.patience_minutes));
    }
    // The strongest check: both run to byte-identical results (the report names the source
    // file, so give them the same one).
    second.source = first.source;
    analysis::RunOptions options;
    options.replications = 2;
    CHECK(analysis::render_json(analysis::run_experiment(first, options), "t") ==
          analysis::render_json(analysis::run_experiment(second, options), "t"));
  }
}
