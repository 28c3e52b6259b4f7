// The scenario loader on good input (the embedded default, a minimal file, every distribution
// type) and on a corpus of bad files, one mistake each, under tests/scenarios/bad/. Every
// rejection must name the file, the exact JSON pointer and what was expected.
#include "scenarios/scenario.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

using namespace supportsim;
using scenarios::ScenarioError;

namespace {

const std::string source_dir = SUPPORTSIM_SOURCE_DIR;
const std::string good_dir = source_dir + "/tests/scenarios/good/";
const std::string bad_dir = source_dir + "/tests/scenarios/bad/";

std::string read_text(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE(in);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

/// Parses `text` and returns the error it must raise.
ScenarioError parse_error(const std::string &text, const std::string &source = "inline.json") {
  try {
    scenarios::parse_scenario(text, source);
  } catch (const ScenarioError &e) {
    return e;
  }
  FAIL("expected a ScenarioError for:\n" << text);
  return ScenarioError("", "", ""); // not reached: FAIL throws
}

/// A one-queue scenario around `queue_members`, for in-memory cases.
std::string one_queue(const std::string &top_members, const std::string &queue_members) {
  return R"({"name": "inline", "horizon_days": 7, )" + top_members +
         R"( "queues": [{"name": "A", "agents": 2, "arrivals_per_hour": 1, )" + queue_members +
         "}]}";
}
const std::string exponential_30 = R"("handle_minutes": {"type": "exponential", "mean": 30})";

} // namespace

TEST_CASE("loader: the embedded default", "[scenarios]") {
  const scenarios::Scenario s = scenarios::default_scenario();
  CHECK(s.name == "default");
  CHECK(s.source == "(embedded default)");
  CHECK(s.seed == 1);
  CHECK(s.replications == 10);

  REQUIRE(s.organisation.queues.size() == 3);
  CHECK(s.organisation.queues[0].name == "AMER");
  CHECK(s.organisation.queues[1].name == "EMEA");
  CHECK(s.organisation.queues[2].name == "APJC");
  CHECK(s.organisation.queues[0].agents == 8);
  CHECK(s.organisation.queues[1].agents == 6);
  CHECK(s.organisation.queues[2].agents == 4);
  CHECK(s.organisation.queues[0].arrivals_per_hour == 9.0);
  CHECK(s.organisation.queues[2].arrivals_per_hour == 4.5);

  // The organisation's horizon includes the warm-up: 7 + 91 days.
  CHECK(s.warmup.ticks() == sim::Duration::days(7).ticks());
  CHECK(s.organisation.horizon.ticks() == sim::Duration::days(98).ticks());

  const models::QueueConfig &amer = s.organisation.queues[0];
  CHECK(amer.priority_mix[0] == 0.03);
  CHECK(amer.priority_mix[3] == 0.40);
  CHECK(amer.handle_minutes.describe() == "lognormal(mean 40, cv 0.9)");
  REQUIRE(amer.patience_minutes.has_value());
  CHECK(amer.patience_minutes->describe() == "exponential(mean 240)");

  CHECK(s.sla.first_response[0].ticks() == sim::Duration::minutes(15).ticks());
  CHECK(s.sla.first_response[3].ticks() == sim::Duration::hours(24).ticks());
  CHECK(s.sla.attainment_target[2] == 0.90);

  SECTION("is the text of scenarios/default.json, byte for byte") {
    CHECK(std::string(scenarios::default_scenario_text()) ==
          read_text(source_dir + "/scenarios/default.json"));
  }
  SECTION("loading scenarios/default.json gives the same scenario, named by its path") {
    const std::string path = source_dir + "/scenarios/default.json";
    const scenarios::Scenario f = scenarios::load_scenario_file(path);
    CHECK(f.source == path);
    CHECK(f.name == s.name);
    CHECK(f.organisation.horizon.ticks() == s.organisation.horizon.ticks());
    CHECK(f.organisation.queues.size() == s.organisation.queues.size());
  }
}

TEST_CASE("loader: a minimal file takes every default", "[scenarios]") {
  const std::string path = good_dir + "minimal.json";
  const scenarios::Scenario s = scenarios::load_scenario_file(path);
  CHECK(s.name == "minimal");
  CHECK(s.description.empty());
  CHECK(s.source == path);
  CHECK(s.seed == 1);
  CHECK(s.replications == 10);
  CHECK(s.warmup.ticks() == 0);
  CHECK(s.organisation.horizon.ticks() == sim::Duration::days(7).ticks());
  REQUIRE(s.organisation.queues.size() == 1);
  const models::QueueConfig &q = s.organisation.queues[0];
  CHECK(q.name == "Solo");
  CHECK(q.agents == 1);
  CHECK(q.arrivals_per_hour == 0.5);
  CHECK(q.priority_mix == models::PerPriority<double>{0, 0, 0, 1});
  CHECK(q.handle_minutes.describe() == "exponential(mean 30)");
  CHECK_FALSE(q.patience_minutes.has_value());

  // "sla" omitted: the documented defaults, 15 min / 1 h / 8 h / 24 h at 95/95/90/90%.
  const scenarios::SlaPolicy defaults;
  CHECK(s.sla.first_response[0].ticks() == sim::Duration::minutes(15).ticks());
  CHECK(s.sla.first_response[1].ticks() == sim::Duration::minutes(60).ticks());
  CHECK(s.sla.first_response[2].ticks() == sim::Duration::hours(8).ticks());
  CHECK(s.sla.first_response[3].ticks() == sim::Duration::hours(24).ticks());
  CHECK(s.sla.attainment_target == models::PerPriority<double>{0.95, 0.95, 0.90, 0.90});
  CHECK(s.sla.attainment_target == defaults.attainment_target);
}

TEST_CASE("loader: a partial sla keeps the defaults it does not mention", "[scenarios]") {
  const scenarios::Scenario s = scenarios::parse_scenario(
      one_queue(R"("sla": {"first_response_minutes": {"P2": 30}, "targets": {"P4": 0.5}},)",
                exponential_30),
      "inline.json");
  CHECK(s.sla.first_response[0].ticks() == sim::Duration::minutes(15).ticks());
  CHECK(s.sla.first_response[1].ticks() == sim::Duration::minutes(30).ticks());
  CHECK(s.sla.first_response[3].ticks() == sim::Duration::hours(24).ticks());
  CHECK(s.sla.attainment_target == models::PerPriority<double>{0.95, 0.95, 0.90, 0.5});
}

TEST_CASE("loader: the horizon limits are inclusive and fractional days work", "[scenarios]") {
  auto horizon_of = [](const std::string &days) {
    const std::string text = R"({"name": "h", )" + days +
                             R"(, "queues": [{"name": "A", "agents": 1, "arrivals_per_hour": 1,
            "handle_minutes": {"type": "constant", "value": 5}}]})";
    const scenarios::Scenario s = scenarios::parse_scenario(text, "inline.json");
    return std::pair{s.warmup.ticks(), s.organisation.horizon.ticks()};
  };
  CHECK(horizon_of(R"("horizon_days": 0.5)") ==
        std::pair{std::int64_t{0}, sim::Duration::hours(12).ticks()});
  CHECK(horizon_of(R"("horizon_days": 1461)").second == sim::Duration::days(1461).ticks());
  CHECK(horizon_of(R"("horizon_days": 1460, "warmup_days": 1)") ==
        std::pair{sim::Duration::days(1).ticks(), sim::Duration::days(1461).ticks()});

  const ScenarioError e = parse_error(
      R"({"name": "h", "horizon_days": 1460, "warmup_days": 1.5, "queues": [{"name": "A",
          "agents": 1, "arrivals_per_hour": 0, "handle_minutes": {"type": "constant", "value": 1}}]})",
      "h.json");
  CHECK(e.pointer() == "/warmup_days");
  CHECK_THAT(e.what(), Catch::Contains("1461") && Catch::Contains("1461.5"));
}

TEST_CASE("loader: every distribution type parses, a mixture nests", "[scenarios]") {
  const scenarios::Scenario s = scenarios::load_scenario_file(good_dir + "all_distributions.json");
  CHECK(s.seed == 42);
  CHECK(s.replications == 2);
  CHECK(s.warmup.ticks() == sim::Duration::hours(12).ticks());
  CHECK(s.organisation.horizon.ticks() == sim::Duration::hours(84).ticks());
  REQUIRE(s.organisation.queues.size() == 4);
  const auto &q = s.organisation.queues;
  for (const auto &queue : q)
    REQUIRE(queue.patience_minutes.has_value());

  CHECK(q[0].priority_mix == models::PerPriority<double>{0.25, 0.25, 0.25, 0.25});
  CHECK(q[0].handle_minutes.describe() == "constant(12)");
  CHECK(q[0].handle_minutes.mean() == 12.0);
  CHECK(q[0].patience_minutes->describe() == "exponential(mean 60)");

  CHECK(q[1].handle_minutes.describe() == "lognormal(mean 40, cv 0.9)");
  CHECK(q[1].handle_minutes.mean() == Approx(40.0));
  CHECK(q[1].handle_minutes.cv() == Approx(0.9));
  CHECK(q[1].patience_minutes->describe() == "gamma(mean 90, cv 0.5)");
  CHECK(q[1].patience_minutes->cv() == Approx(0.5));

  CHECK(q[2].handle_minutes.describe() == "weibull(shape 1.5, scale 30)");
  CHECK(q[2].handle_minutes.mean() == Approx(30.0 * std::tgamma(1.0 + 1.0 / 1.5)));
  CHECK(q[2].patience_minutes->describe() == "uniform(10, 50)");
  CHECK(q[2].patience_minutes->mean() == Approx(30.0));

  CHECK(q[3].handle_minutes.describe() == "empirical(3 values)");
  CHECK(q[3].handle_minutes.mean() == Approx(15.0));
  // 1:3 of constant 20 and (1:1 of exponential 40 and uniform 0..20, mean 25): 95 / 4.
  CHECK(q[3].patience_minutes->describe() == "mixture(2 components)");
  CHECK(q[3].patience_minutes->mean() == Approx(23.75));
}

TEST_CASE("loader: errors name the source given to parse_scenario", "[scenarios]") {
  const ScenarioError e = parse_error(R"({"name": "x"})", "from-a-socket");
  CHECK(e.file() == "from-a-socket");
  CHECK(e.pointer() == "/");
  CHECK(e.problem() == R"(missing required key "horizon_days")");
  CHECK(std::string(e.what()) == R"(from-a-socket: /: missing required key "horizon_days")");
}

TEST_CASE("loader: a typo is reported before the key it hides is missed", "[scenarios]") {
  // "agent" for "agents": the helpful message is the typo, not 'missing required key "agents"'.
  const ScenarioError e =
      parse_error(R"({"name": "x", "horizon_days": 7, "queues": [{"name": "A", "agent": 2}]})");
  CHECK(e.pointer() == "/queues/0/agent");
  CHECK_THAT(e.what(), Catch::Contains(R"(did you mean "agents"?)"));
}

namespace {

/// One bad file and what the loader must say about it.
struct BadCase {
  std::string file;               ///< under tests/scenarios/bad/
  std::string position;           ///< appended to the path in file(): ":line:column" or ""
  std::string pointer;            ///< the exact JSON pointer; "" for file-level problems
  std::vector<std::string> words; ///< problem() contains each of these
};

// One mistake per file. Keep in step with the files: a test below checks that every file in
// bad/ has a row here.
std::vector<BadCase> bad_corpus() {
  return {
      {"does_not_exist.json", "", "", {"cannot open", "No such file or directory"}},
      // A directory must be reported as one, not as an empty JSON document.
      {"directory.json", "", "", {"directory"}},
      {"empty.json", ":1:1", "", {"not valid JSON", "unexpected end of input"}},
      // The second comma of `"horizon_days": 7,,` on line 3.
      {"not_json.json", ":3:21", "", {"not valid JSON", "unexpected ','"}},
      {"trailing_garbage.json", ":8:1", "", {"not valid JSON", "expected end of input"}},
      {"top_level_array.json", "", "/", {"expected a scenario object", "found an array of 1"}},
      {"agents_string.json",
       "",
       "/queues/0/agents",
       {"expected a whole number from 0 to 100000", R"(found the string "ten")"}},
      {"agents_fractional.json", "", "/queues/0/agents", {"expected a whole number", "found 2.5"}},
      {"agents_negative.json", "", "/queues/0/agents", {"expected a whole number", "found -3"}},
      {"agents_zero_with_demand.json",
       "",
       "/queues/0/agents",
       {"expected at least 1 agent", "(3 cases/hour)", "found 0"}},
      {"arrivals_negative.json",
       "",
       "/queues/0/arrivals_per_hour",
       {"expected a number >= 0", "found -2"}},
      {"horizon_string.json",
       "",
       "/horizon_days",
       {"expected a number > 0 and <= 1461", R"(found the string "90")"}},
      {"horizon_zero.json", "", "/horizon_days", {"expected a number > 0", "found 0"}},
      {"horizon_negative.json", "", "/horizon_days", {"expected a number > 0", "found -1"}},
      {"horizon_huge.json", "", "/horizon_days", {"<= 1461", "found 1e+308"}},
      {"horizon_plus_warmup_too_long.json",
       "",
       "/warmup_days",
       {"horizon_days + warmup_days <= 1461", "found 1500"}},
      {"unknown_key_typo.json",
       "",
       "/replicatons",
       {R"(unknown key "replicatons")", R"(did you mean "replications"?)"}},
      {"queue_key_typo.json",
       "",
       "/queues/0/agent",
       {R"(unknown key "agent")", R"(did you mean "agents"?)"}},
      // RFC 6901: "/" inside a key is written "~1" in a pointer.
      {"unknown_key_with_slash.json", "", "/a~1b", {R"(unknown key "a/b")"}},
      {"distribution_type_unknown.json",
       "",
       "/queues/0/handle_minutes/type",
       {"expected one of constant, exponential", "mixture", R"(found "normal")"}},
      {"lognormal_cv_zero.json",
       "",
       "/queues/0/handle_minutes/cv",
       {"expected a number > 0", "found 0"}},
      {"patience_mean_zero.json",
       "",
       "/queues/0/patience_minutes/mean",
       {"expected a number > 0", "found 0"}},
      {"priority_mix_sum.json",
       "",
       "/queues/0/priority_mix",
       {"expected shares summing to 1", "found 0.9"}},
      // There is no P5; suggesting "P1" (the most urgent priority) would mislead. The message
      // must list the priorities that exist.
      {"priority_key_unknown.json",
       "",
       "/queues/0/priority_mix/P5",
       {R"(unknown key "P5")", "P1, P2, P3, P4"}},
      {"queue_names_duplicate.json",
       "",
       "/queues/1/name",
       {"expected a unique queue name", R"(found "AMER" again)", "/queues/0"}},
      {"queue_not_object.json",
       "",
       "/queues/1",
       {"expected a queue object", R"(found the string "EMEA")"}},
      {"queues_empty.json",
       "",
       "/queues",
       {"expected a non-empty array of queues", "found an array of 0"}},
      {"queues_missing.json", "", "/", {R"(missing required key "queues")"}},
      {"replications_zero.json",
       "",
       "/replications",
       {"expected a whole number from 1 to 100000", "found 0"}},
      {"seed_negative.json", "", "/seed", {"expected a whole number from 0", "found -1"}},
      {"sla_target_above_one.json",
       "",
       "/sla/targets/P2",
       {"expected a number >= 0 and <= 1", "found 1.5"}},
      {"uniform_max_below_min.json",
       "",
       "/queues/0/handle_minutes/max",
       {"expected max > min (10)", "found 5"}},
      {"mixture_weights_zero.json",
       "",
       "/queues/0/handle_minutes/components",
       {"expected at least one weight > 0", "found all zero"}},
      {"mixture_nested_bad_mean.json",
       "",
       "/queues/0/handle_minutes/components/1/distribution/components/0/distribution/mean",
       {"expected a number > 0", "found -4"}},
      {"empirical_empty.json",
       "",
       "/queues/0/handle_minutes/values",
       {"expected a non-empty array of numbers", "found an array of 0"}},
  };
}

} // namespace

TEST_CASE("loader: each bad file is rejected with file, pointer and expectation", "[scenarios]") {
  const BadCase bad = GENERATE(from_range(bad_corpus()));
  const std::string path = bad_dir + bad.file;
  INFO("bad file: " << bad.file);
  try {
    scenarios::load_scenario_file(path);
    FAIL("accepted " << path);
  } catch (const ScenarioError &e) {
    INFO("what(): " << e.what());
    CHECK(e.file() == path + bad.position);
    CHECK(e.pointer() == bad.pointer);
    // what() is one line: "FILE: /pointer: problem", or "FILE: problem" for file-level ones.
    const std::string prefix =
        bad.pointer.empty() ? e.file() + ": " : e.file() + ": " + bad.pointer + ": ";
    CHECK_THAT(e.what(), Catch::StartsWith(prefix));
    CHECK(std::string(e.what()) == prefix + e.problem());
    CHECK(std::string(e.what()).find('\n') == std::string::npos);
    // In the problem, not the whole line: the words must not come from the file's name.
    for (const std::string &word : bad.words)
      CHECK_THAT(e.problem(), Catch::Contains(word));
  }
}

TEST_CASE("loader: a number too large for a double is a scenario error", "[scenarios]") {
  // "horizon_days": 1e400 is valid JSON syntax, but overflows a double while parsing: it must
  // come back as a ScenarioError naming the file, not as a library exception (which the CLI
  // reports as an internal error, exit 1).
  const std::string path = bad_dir + "horizon_overflows_double.json";
  try {
    scenarios::load_scenario_file(path);
    FAIL("accepted " << path);
  } catch (const ScenarioError &e) {
    INFO("what(): " << e.what());
    CHECK_THAT(e.file(), Catch::StartsWith(path));
    CHECK((e.pointer().empty() || e.pointer() == "/horizon_days"));
    CHECK_THAT(e.what(), Catch::Contains("1e400"));
  } catch (const std::exception &e) {
    FAIL("threw something other than ScenarioError: " << e.what());
  }
}

TEST_CASE("loader: every file in tests/scenarios/bad has a row in the corpus", "[scenarios]") {
  std::set<std::string> listed{"horizon_overflows_double.json"}; // has its own test case
  for (const BadCase &bad : bad_corpus())
    CHECK(listed.insert(bad.file).second);
  CHECK(listed.size() >= 20);
  std::set<std::string> on_disk;
  for (const auto &entry : std::filesystem::directory_iterator(bad_dir))
    on_disk.insert(entry.path().filename().string());
  on_disk.insert("does_not_exist.json"); // the one row that must not exist
  CHECK_FALSE(std::filesystem::exists(bad_dir + "does_not_exist.json"));
  CHECK(listed == on_disk);
}

TEST_CASE("loader: every file in tests/scenarios/good loads", "[scenarios]") {
  std::vector<std::string> files;
  for (const auto &entry : std::filesystem::directory_iterator(good_dir))
    if (entry.path().extension() == ".json") files.push_back(entry.path().string());
  std::sort(files.begin(), files.end());
  REQUIRE(files.size() >= 3);
  for (const std::string &file : files) {
    INFO(file);
    CHECK_NOTHROW(scenarios::load_scenario_file(file));
  }
}
