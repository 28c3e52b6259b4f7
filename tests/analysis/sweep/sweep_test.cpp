// Sweeps: each option's figures are those of a plain run, common random numbers make paired
// differences exact and tight, results do not depend on the threads, and shards merge into
// exactly the unsharded files.
#include "analysis/report/report.hpp"
#include "analysis/run/experiment.hpp"
#include "analysis/sweep/sweep.hpp"
#include "analysis/variance/variance.hpp"
#include "scenarios/document.hpp"
#include "scenarios/override.hpp"
#include "tests/support/errors.hpp"
#include "tests/support/temp_dir.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

using namespace supportsim;
using analysis::SweepError;
using nlohmann::json;
using supportsim::testing::TempDir;

namespace {

constexpr const char *version = "test";

/// The default organisation over a week after a day's warm-up, so a sweep takes a moment.
const json &short_document() {
  static const json doc = [] {
    json d = scenarios::load_scenario_document("");
    d["horizon_days"] = 7;
    d["warmup_days"] = 1;
    return d;
  }();
  return doc;
}

scenarios::SweepPlan short_plan(const std::vector<std::string> &vary) {
  return scenarios::plan_sweep("short", short_document(), vary);
}

analysis::SweepRunOptions run_options(std::uint32_t replications, unsigned jobs) {
  analysis::SweepRunOptions o;
  o.replications = replications;
  o.jobs = jobs;
  o.version = version;
  return o;
}

/// What a sweep writes: sweep.csv and sweep.json.
std::pair<std::string, std::string> outputs(const analysis::SweepResult &result) {
  const analysis::SweepSummary s = analysis::summarise_sweep(result);
  return {analysis::render_sweep_csv(s), analysis::render_sweep_json(s, version)};
}

std::string write_part(const TempDir &dir, const analysis::SweepResult &part) {
  return dir.write(analysis::sweep_part_name(*part.shard), analysis::render_sweep_part(part));
}

template <class F> std::string sweep_error(F &&f) {
  return testing::error_message<SweepError>(std::forward<F>(f));
}

} // namespace

TEST_CASE("sweep: an option's figures are those of a plain run of its scenario", "[sweep]") {
  const scenarios::SweepPlan plan = short_plan({"agent_groups.london-l1.headcount=10"});
  const analysis::SweepResult sweep = analysis::run_sweep(plan, run_options(2, 2));
  REQUIRE(sweep.options.size() == 2);
  analysis::RunOptions run;
  run.replications = 2;
  run.jobs = 1;
  for (std::size_t i = 0; i < 2; ++i) {
    const analysis::ExperimentResult plain =
        analysis::run_experiment(scenarios::option_scenario(plan, i), run);
    const analysis::ExperimentResult &option = sweep.options[i].experiment;
    CHECK(analysis::render_summary_csv(option) == analysis::render_summary_csv(plain));
    CHECK(analysis::render_agents_csv(option) == analysis::render_agents_csv(plain));
    CHECK(analysis::render_demand_csv(option) == analysis::render_demand_csv(plain));
    CHECK(analysis::render_variance_csv(analysis::forecast_variance(option), option) ==
          analysis::render_variance_csv(analysis::forecast_variance(plain), plain));
  }
  CHECK(sweep.options[1].experiment.scenario.organisation.agent_groups[6].headcount == 10);
  // A sweep keeps weeks, not hours or days, and gives their memory back.
  const analysis::ReplicationFigures &kept = sweep.options[1].experiment.replications[1];
  CHECK(kept.regions[0].weeks.size() == 1);
  CHECK(kept.regions[0].intervals.capacity() == 0);
  CHECK(kept.regions[0].days.capacity() == 0);
  const analysis::SweepSummary summary = analysis::summarise_sweep(sweep);
  const analysis::ExperimentResult plain =
      analysis::run_experiment(scenarios::option_scenario(plan, 1), run);
  CHECK(summary.options[1].cost.mean ==
        (plain.replications[0].all.cost + plain.replications[1].all.cost) / 2);
  CHECK(summary.options[1].sla.mean == (plain.replications[0].all.all.sla_attainment +
                                        plain.replications[1].all.all.sla_attainment) /
                                           2);
}

TEST_CASE("sweep: common random numbers: the same scenario twice gives the same figures",
          "[sweep]") {
  // 14 is London's headcount already: option 1 is the baseline under another name.
  const analysis::SweepResult sweep = analysis::run_sweep(
      short_plan({"agent_groups.london-l1.headcount=14,20"}), run_options(3, 2));
  const analysis::SweepSummary s = analysis::summarise_sweep(sweep);
  REQUIRE(s.options.size() == 3);
  CHECK(analysis::render_summary_csv(sweep.options[1].experiment) ==
        analysis::render_summary_csv(sweep.options[0].experiment));
  const analysis::OptionSummary &same = s.options[1];
  for (const auto *d :
       {&same.cost_difference, &same.sla_difference, &same.cost_per_resolved_difference}) {
    REQUIRE(d->has_value());
    CHECK((*d)->difference.mean == 0);
    CHECK((*d)->difference.half_width == 0);
    CHECK((*d)->verdict == "indistinguishable");
  }
  CHECK_FALSE(s.options[0].sla_difference.has_value()); // the baseline against itself: none

  // Six more London agents: dearer and better, and the paired interval of the SLA much tighter
  // than the unpaired one, since both options saw the very same cases. (Not so for the cost,
  // whose spread between replications is the agents' own absences and attrition: the new
  // agents' draws add to it.)
  const analysis::OptionSummary &more = s.options[2];
  const analysis::OptionSummary &base = s.options[0];
  CHECK(more.cost_difference->verdict == "higher");
  CHECK(more.cost.mean > base.cost.mean);
  auto unpaired = [](const analysis::Estimate &a, const analysis::Estimate &b) {
    return std::sqrt(a.half_width * a.half_width + b.half_width * b.half_width);
  };
  CHECK(more.sla_difference->difference.half_width < unpaired(more.sla, base.sla));
  CHECK(more.region_utilisation[1].mean < base.region_utilisation[1].mean); // EMEA
}

TEST_CASE("sweep: the same bytes whatever the threads", "[sweep]") {
  const scenarios::SweepPlan plan =
      short_plan({"agent_groups.london-l1.headcount=12,16", "demand.daily_cv=0.1,0.3"});
  std::vector<std::pair<std::size_t, std::size_t>> progress;
  analysis::SweepRunOptions one = run_options(2, 1);
  one.progress = [&](std::size_t done, std::size_t total) { progress.emplace_back(done, total); };
  const auto serial = outputs(analysis::run_sweep(plan, one));
  const auto parallel = outputs(analysis::run_sweep(plan, run_options(2, 2)));
  CHECK(serial.first == parallel.first);
  CHECK(serial.second == parallel.second);
  // Progress: every replication once, in order, to (total, total).
  REQUIRE(progress.size() == 10);
  for (std::size_t i = 0; i < progress.size(); ++i)
    CHECK(progress[i] == std::pair<std::size_t, std::size_t>{i + 1, 10});

  // The CSV: one row per option, the settings as columns, the baseline's deltas empty.
  const std::string &csv = serial.first;
  CHECK_THAT(csv, Catch::StartsWith("option,name,agent_groups.london-l1.headcount,"
                                    "demand.daily_cv,replications,cost_mean,cost_ci95,"));
  CHECK(std::count(csv.begin(), csv.end(), '\n') == 6);
  CHECK_THAT(csv, Catch::Contains("\n0,baseline,14,0.12,2,"));
  CHECK_THAT(csv, Catch::Contains("\n4,\"london-l1.headcount=16,demand.daily_cv=0.3\",16,0.3,2,"));
  const json doc = json::parse(serial.second);
  CHECK(doc["options"].size() == 5);
  CHECK(doc["settings"] == json::array({"agent_groups.london-l1.headcount", "demand.daily_cv"}));
  CHECK(doc["options"][0]["versus_baseline"].is_null());
  CHECK(doc["options"][4]["settings"]["demand.daily_cv"] == 0.3);
  CHECK(doc["options"][4]["versus_baseline"]["cost"]["verdict"].is_string());
  CHECK(doc["options"][2]["targets"].size() == 5);
}

TEST_CASE("sweep: shards merge into exactly the unsharded sweep", "[sweep]") {
  const scenarios::SweepPlan plan = short_plan({"agent_groups.london-l1.headcount=10..16/2"});
  const auto whole = outputs(analysis::run_sweep(plan, run_options(2, 2)));
  const TempDir dir;
  std::vector<std::string> parts;
  for (std::uint32_t k : {3u, 1u, 2u}) { // in any order
    analysis::SweepRunOptions o = run_options(2, 1);
    o.shard = analysis::Shard{k, 3};
    const analysis::SweepResult part = analysis::run_sweep(plan, o);
    for (const analysis::OptionResult &option : part.options)
      CHECK(option.index % 3 == k - 1);
    parts.push_back(write_part(dir, part));
  }
  const auto merged = outputs(analysis::merge_sweep_parts(parts, version, 2));
  CHECK(merged.first == whole.first);
  CHECK(merged.second == whole.second);

  SECTION("a missing part") {
    CHECK(sweep_error([&] {
            analysis::merge_sweep_parts({parts[0], parts[2]}, version);
          }) == "part 1 of 3 is missing: merge needs every part of the sweep");
    CHECK(sweep_error([&] { analysis::merge_sweep_parts({parts[2]}, version); }) ==
          "parts 1, 3 of 3 are missing: merge needs every part of the sweep");
  }
  SECTION("a part given twice") {
    CHECK(sweep_error([&] {
            analysis::merge_sweep_parts({parts[0], parts[1], parts[0]}, version);
          }) == parts[0] + " and " + parts[0] + " are both part 3 of 3");
  }
  SECTION("parts of different sweeps") {
    analysis::SweepRunOptions o = run_options(2, 1);
    o.seed = 99;
    o.shard = analysis::Shard{2, 3};
    const TempDir other;
    const std::string stranger = write_part(other, analysis::run_sweep(plan, o));
    CHECK_THAT(sweep_error([&] {
                 analysis::merge_sweep_parts({parts[1], stranger, parts[0]}, version);
               }),
               Catch::StartsWith(parts[1] + " and " + stranger + " come from different sweeps"));
  }
  SECTION("a different number of parts") {
    analysis::SweepRunOptions o = run_options(2, 1);
    o.shard = analysis::Shard{2, 2};
    const TempDir other;
    const std::string half = write_part(other, analysis::run_sweep(plan, o));
    CHECK(sweep_error([&] {
            analysis::merge_sweep_parts({parts[1], half}, version);
          }) == parts[1] + " is part 1 of 3, but " + half + " is part 2 of 2");
  }
  SECTION("parts of another version of supportsim") {
    CHECK(sweep_error([&] { analysis::merge_sweep_parts(parts, "0.0.9"); }) ==
          parts[1] + ": made by supportsim test; this is 0.0.9, whose figures may differ: run "
                     "the sweep again, or merge with that version");
  }
  SECTION("a file that is not a part") {
    const std::string summary = dir.write("summary.json", whole.second);
    CHECK(sweep_error([&] { analysis::merge_sweep_parts({summary}, version); }) ==
          summary + ": expected a part file of a sweep (what supportsim sweep --shard K/N "
                    "writes), found something else");
    const std::string broken = dir.write("broken.json", "{");
    CHECK_THAT(sweep_error([&] { analysis::merge_sweep_parts({broken}, version); }),
               Catch::StartsWith(broken + ":1:"));
  }
  SECTION("a damaged part") {
    json doc = json::parse(std::ifstream(parts[1]));
    doc["options"][0]["replications"][0]["all"]["agents"] = "many";
    const std::string damaged =
        dir.write("damaged/" + analysis::sweep_part_name({1, 3}), doc.dump());
    CHECK(sweep_error([&] {
            analysis::merge_sweep_parts({damaged, parts[0], parts[2]}, version);
          }) == damaged + ": /options/0/replications/0/all/agents: expected a whole number");
  }
}
