// The example scenarios as a whole: every case of every example ends exactly once whatever the
// seed; and the default's summary and trajectory are pinned (tests/golden/), so a change in
// behaviour is never silent. After an intended change, regenerate the pinned files with
//   SUPPORTSIM_UPDATE_GOLDEN=1 build/release/tests/supportsim_tests "[golden]"
// and review the difference like any other change.
#include "analysis/report/report.hpp"
#include "analysis/run/experiment.hpp"
#include "models/support_model.hpp"
#include "scenarios/scenario.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <map>
#include <sstream>
#include <vector>

namespace fs = std::filesystem;
using namespace supportsim;

namespace {

std::vector<fs::path> example_scenarios() {
  std::vector<fs::path> files;
  for (const auto &e : fs::directory_iterator(fs::path(SUPPORTSIM_SOURCE_DIR) / "scenarios"))
    if (e.path().extension() == ".json" && e.path().filename() != "schema.json")
      files.push_back(e.path());
  std::sort(files.begin(), files.end());
  return files;
}

/// Each case must end once: resolved, abandoned or open at the end.
class EndsOnce final : public models::RecordSink {
public:
  std::map<models::CaseNumber, int> ends;
  std::uint64_t arrived = 0, problems = 0;
  void on(const models::CaseArrived &r) override {
    ++arrived;
    problems += ends.count(r.info.number);
    ends[r.info.number] = 0;
  }
  void end(models::CaseNumber n) {
    auto it = ends.find(n);
    if (it == ends.end() || it->second++ != 0) ++problems;
  }
  void on(const models::TouchStarted &r) override {
    auto it = ends.find(r.info.number);
    if (it == ends.end() || it->second != 0) ++problems; // work on an unknown or ended case
  }
  void on(const models::CaseResolved &r) override { end(r.info.number); }
  void on(const models::CaseAbandoned &r) override { end(r.info.number); }
  void on(const models::CaseOpenAtEnd &r) override { end(r.info.number); }
};

/// A trajectory fingerprint: FNV-1a over (time, record kind, case or agent) of every record.
class Fingerprint final : public models::RecordSink {
public:
  std::uint64_t value = 1469598103934665603ull;
  std::uint64_t records = 0;
  void mix(sim::SimTime t, std::uint64_t kind, std::uint64_t id) {
    ++records;
    for (std::uint64_t v : {static_cast<std::uint64_t>(t.ticks()), kind, id}) {
      value ^= v;
      value *= 1099511628211ull;
    }
  }
  void on(const models::CaseArrived &r) override { mix(r.time, 1, r.info.number); }
  void on(const models::NoQualifiedAgent &r) override { mix(r.time, 2, r.info.number); }
  void on(const models::FirstResponse &r) override { mix(r.time, 3, r.info.number); }
  void on(const models::TouchStarted &r) override {
    mix(r.time, 4, r.info.number ^ (std::uint64_t{r.agent} << 40));
  }
  void on(const models::TouchCompleted &r) override { mix(r.time, 5, r.info.number); }
  void on(const models::CaseResolved &r) override { mix(r.time, 6, r.info.number); }
  void on(const models::CaseReopened &r) override { mix(r.time, 7, r.info.number); }
  void on(const models::CaseAbandoned &r) override { mix(r.time, 8, r.info.number); }
  void on(const models::CaseOpenAtEnd &r) override { mix(r.time, 9, r.info.number); }
  void on(const models::AgentStateChanged &r) override {
    mix(r.time, 10 + static_cast<std::uint64_t>(r.state), r.agent);
  }
  void on(const models::AgentHired &r) override { mix(r.time, 20, r.agent); }
  void on(const models::AgentLeft &r) override { mix(r.time, 21, r.agent); }
  void on(const models::TriggerFired &r) override { mix(r.time, 22, r.trigger); }
};

fs::path golden(const char *name) {
  return fs::path(SUPPORTSIM_SOURCE_DIR) / "tests" / "golden" / name;
}

std::string read_text(const fs::path &path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

/// Compares `actual` with the pinned file, or rewrites the file when asked to.
void check_golden(const char *name, const std::string &actual) {
  const fs::path path = golden(name);
  if (std::getenv("SUPPORTSIM_UPDATE_GOLDEN")) {
    std::ofstream(path, std::ios::binary) << actual;
    WARN("rewrote " << path.string());
    return;
  }
  INFO("pinned in " << path.string()
                    << "; if the change is intended, regenerate it (see the top of "
                       "tests/analysis/examples_test.cpp)");
  REQUIRE(fs::exists(path));
  CHECK(read_text(path) == actual);
}

} // namespace

TEST_CASE("examples: every case of every example scenario ends exactly once, for any seed",
          "[analysis][examples]") {
  const fs::path file = GENERATE(from_range(example_scenarios()));
  const std::uint64_t seed = GENERATE(1, 2);
  INFO(file.filename().string() << ", seed " << seed);
  scenarios::Scenario s = scenarios::load_scenario_file(file.string());
  // Three weeks are enough to see every mechanism; the whole quarter is the CLI tests' job.
  s.organisation.horizon = std::min(s.organisation.horizon, sim::Duration::days(21));
  EndsOnce sink;
  models::SupportModel(s.organisation, sim::RandomStreams(seed, 0), sink).run();
  CHECK(sink.arrived > 1000);
  CHECK(sink.problems == 0);
  for (const auto &[number, ends] : sink.ends)
    if (ends != 1) FAIL("case " << number << " ended " << ends << " times");
}

TEST_CASE("golden: the default scenario's summary, seed 1, two replications", "[golden]") {
  analysis::RunOptions options;
  options.seed = 1;
  options.replications = 2;
  options.jobs = 1;
  check_golden("default-summary.json",
               analysis::render_json(
                   analysis::run_experiment(scenarios::default_scenario(), options), "golden"));
}

TEST_CASE("golden: the default scenario's trajectory fingerprint, seed 1, four weeks", "[golden]") {
  scenarios::Scenario s = scenarios::default_scenario();
  s.organisation.horizon = sim::Duration::days(28);
  Fingerprint f;
  models::SupportModel(s.organisation, sim::RandomStreams(1, 0), f).run();
  check_golden("default-fingerprint.txt",
               fmt::format("records {}\nfingerprint {:016x}\n", f.records, f.value));
}

namespace {

std::vector<fs::path> fingerprinted_scenarios() {
  std::vector<fs::path> files = example_scenarios();
  for (const auto &e :
       fs::directory_iterator(fs::path(SUPPORTSIM_SOURCE_DIR) / "tests" / "scenarios" / "good"))
    if (e.path().extension() == ".json") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  return files;
}

std::uint64_t fnv1a(const std::string &text) {
  std::uint64_t h = 1469598103934665603ull;
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

} // namespace

// Every example scenario and every test scenario, two seeds, three weeks: the trajectory (every
// record's time, kind and case or agent) and the whole summary document of one replication,
// each as a hash. A refactoring must leave this file unchanged.
TEST_CASE("golden: fingerprints of every example and test scenario, seeds 1 and 2", "[golden]") {
  std::string lines;
  for (const fs::path &file : fingerprinted_scenarios()) {
    for (std::uint64_t seed : {1, 2}) {
      scenarios::Scenario s = scenarios::load_scenario_file(file.string());
      s.organisation.horizon = std::min(s.organisation.horizon, sim::Duration::days(21));
      // The summary names its source file: name it relative to the repository, so that the
      // hash does not depend on where the checkout is (CI clones to another folder).
      s.source = file.parent_path().filename().string() + "/" + file.filename().string();
      Fingerprint f;
      models::SupportModel(s.organisation, sim::RandomStreams(seed, 0), f).run();
      analysis::RunOptions options;
      options.seed = seed;
      options.replications = 1;
      options.jobs = 1;
      const std::string summary =
          analysis::render_json(analysis::run_experiment(s, options), "golden");
      lines += fmt::format("{} seed {}: records {} trajectory {:016x} summary {:016x}\n",
                           s.source, seed, f.records, f.value, fnv1a(summary));
    }
  }
  check_golden("scenario-fingerprints.txt", lines);
}
