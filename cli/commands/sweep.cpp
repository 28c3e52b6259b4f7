// `supportsim sweep`: every option of a grid or list of changes to a scenario, run with common
// random numbers and compared with the baseline; with --shard, one slice of them.
#include "analysis/sweep/sweep.hpp"

#include "analysis/output/output.hpp"
#include "cli/commands/commands.hpp"
#include "cli/commands/sweep_report.hpp"
#include "cli/progress_bar.hpp"
#include "scenarios/document.hpp"
#include "scenarios/override.hpp"

#include <charconv>
#include <chrono>
#include <filesystem>
#include <fmt/format.h>
#include <iostream>

namespace supportsim::cli {

namespace {

constexpr std::string_view usage =
    "Usage: supportsim sweep [SCENARIO.json] --vary PATH=SPEC... [--options FILE] "
    "[options]\n\nRuns every option (the scenario unchanged as option 0, the "
    "options of FILE, then every\npoint of the --vary grid) for the same "
    "replications with the same seed, so every option\nsees the same cases "
    "(common random numbers), and compares each with the baseline by paired\n"
    "confidence intervals (docs/sweep.md). A progress bar goes to stderr on a "
    "terminal.\n\n";

po::options_description sweep_options() {
  po::options_description options = command_options("sweep");
  options.add_options()(
      "vary", po::value<std::vector<std::string>>()->value_name("PATH=SPEC")->composing(),
      "vary a number of the scenario: PATH a dot path (agent_groups.austin-l1.headcount) or a "
      "JSON pointer (/agent_groups/0/headcount), or agent_groups.EMEA-L1.headcount for the total "
      "headcount of several groups (a REGION-TIER label or a pattern with *), split in "
      "proportion; SPEC a range 20..40/5 (ends included, step 1 unless given) or a list "
      "20,24,30. Several --vary make a grid; the first varies slowest")(
      "options", po::value<std::string>()->value_name("FILE"),
      "named options from a JSON file: {\"options\": [{\"name\": ..., \"override\": {...}}]}, "
      "each override laid over the scenario as extends does")(
      "shard", po::value<std::string>()->value_name("K/N"),
      "run only the K-th of N slices of the options (those whose index % N is K - 1) and write "
      "sweep-part-K-of-N.json into --out, for supportsim merge")(
      "out", po::value<std::string>()->value_name("DIR"),
      "also write sweep.csv, sweep.json and report.html into DIR (created if needed; all or none)");
  add_format_option(options, sweep_formats);
  options.add(replication_options(
      "replications of every option, all with the same seed (default: the scenario's)"));
  return options;
}

/// "K/N" of --shard: the K-th of N slices, 1 <= K <= N.
analysis::Shard shard_argument(const std::string &text) {
  const auto slash = text.find('/');
  analysis::Shard shard;
  auto number = [](std::string_view digits, std::uint32_t &out) {
    const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), out);
    return error == std::errc{} && end == digits.data() + digits.size() && !digits.empty();
  };
  const std::string_view all(text);
  if (slash == std::string::npos || !number(all.substr(0, slash), shard.index) ||
      !number(all.substr(slash + 1), shard.count) || shard.index < 1 || shard.index > shard.count ||
      shard.count > 100000)
    throw UsageError(fmt::format(
        "--shard: expected K/N, the K-th of N slices with 1 <= K <= N, such as 2/8; found \"{}\"",
        text));
  return shard;
}

/// Replications, seed, threads and the shard, checked.
analysis::SweepRunOptions sweep_run_options(const po::variables_map &vm) {
  analysis::SweepRunOptions run;
  run.version = SUPPORTSIM_VERSION;
  apply(replication_arguments(vm), run);
  if (vm.count("shard")) {
    run.shard = shard_argument(vm["shard"].as<std::string>());
    if (!vm.count("out"))
      throw UsageError("--shard needs --out DIR, the folder the part file goes into");
  }
  return run;
}

/// The options to run: the scenario at `path` ("" for the embedded one) as option 0, then
/// those of --options, then the --vary grid.
scenarios::SweepPlan sweep_plan(const po::variables_map &vm, const std::string &path,
                                const std::vector<std::string> &vary) {
  std::vector<scenarios::ScenarioOption> listed;
  if (vm.count("options")) listed = scenarios::load_options_file(vm["options"].as<std::string>());
  return scenarios::plan_sweep(scenarios::scenario_source_name(path),
                               scenarios::load_scenario_document(path), vary, std::move(listed));
}

/// A shard's outcome: its part file in `folder`, and a line on stderr saying where.
void write_part(const analysis::SweepResult &result, const analysis::Shard &shard,
                const std::string &folder, const std::string &timing) {
  const std::string name = analysis::sweep_part_name(shard);
  // One file of several shards' in a shared folder: replaced alone, never the folder.
  analysis::write_file_atomically(std::filesystem::path(folder) / name,
                                  analysis::render_sweep_part(result));
  std::cerr << fmt::format("supportsim: part {} of {}: {}; wrote {}\n", shard.index, shard.count,
                           timing, (std::filesystem::path(folder) / name).string());
}

/// `supportsim sweep`, its options read (--help is handled by run_with_options).
int command(const po::variables_map &vm) {
  const std::string format = choice(vm, "format", sweep_formats);
  const std::string path = scenario_path(vm, "sweep").value_or("");
  const std::vector<std::string> vary =
      vm.count("vary") ? vm["vary"].as<std::vector<std::string>>() : std::vector<std::string>{};
  if (vary.empty() && !vm.count("options"))
    throw UsageError("sweep needs --vary PATH=SPEC or --options FILE: the options to compare");
  analysis::SweepRunOptions run = sweep_run_options(vm);
  const scenarios::SweepPlan plan = sweep_plan(vm, path, vary);
  print_warnings(scenarios::option_scenario(plan, 0));
  // A shard's part is one file in a folder shared with the other shards, not a set.
  const std::optional<std::string> out = output_folder(vm, !run.shard);

  ProgressBar bar;
  run.progress = [&bar](std::size_t done, std::size_t total) { bar(done, total); };
  const auto started = std::chrono::steady_clock::now();
  const analysis::SweepResult result = analysis::run_sweep(plan, run);
  const std::chrono::duration<double> took = std::chrono::steady_clock::now() - started;
  bar.finish();
  const std::string timing =
      fmt::format("{} option{} × {} replication{} in {:.2f} s", result.options.size(),
                  result.options.size() == 1 ? "" : "s", result.replications,
                  result.replications == 1 ? "" : "s", took.count());
  if (run.shard) {
    write_part(result, *run.shard, *out, timing);
    return exit_ok;
  }
  report_sweep(result, out, format);
  std::cerr << "supportsim: " << timing << '\n';
  return exit_ok;
}

} // namespace

int sweep_command(const Arguments &args) {
  return run_with_options(args, sweep_options(), usage, command);
}

} // namespace supportsim::cli
