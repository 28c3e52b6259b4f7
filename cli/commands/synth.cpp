// `supportsim synth`: the cases a scenario's demand synthesises, as an arrivals file that
// `run --arrivals` replays.
#include "analysis/run/synth.hpp"

#include "analysis/output/output.hpp"
#include "cli/commands/commands.hpp"

#include <fmt/format.h>
#include <iostream>

namespace supportsim::cli {

namespace {

constexpr std::string_view usage =
    "Usage: supportsim synth [SCENARIO.json] --out FILE [--days N] [--seed N]\n\nWrites the "
    "cases the scenario's demand synthesises (replication 0) as a native arrivals\nfile with "
    "every attribute and each case's seed: `supportsim run SCENARIO --arrivals FILE`\nreplays "
    "the very same cases (docs/arrivals-format.md).\n\n";

po::options_description synth_options() {
  po::options_description options = command_options("synth");
  options.add_options()("out", po::value<std::string>()->value_name("FILE"),
                        "the arrivals file to write (CSV)")(
      "days", po::value<std::string>()->value_name("N"),
      "days to synthesise from the scenario's start (default: its horizon, warm-up included)")(
      "seed", po::value<std::string>()->value_name("N"), "master seed (default: the scenario's)");
  return options;
}

/// `supportsim synth`, its options read (--help is handled by run_with_options).
int command(const po::variables_map &vm) {
  if (!vm.count("out")) throw UsageError("synth needs --out FILE");
  scenarios::Scenario scenario = scenario_argument(vm, "synth");
  print_warnings(scenario);
  if (vm.count("days"))
    scenario.organisation.horizon =
        sim::Duration::days(static_cast<std::int64_t>(whole_number(vm, "days", 1, 1461)));
  const std::uint64_t seed = seed_argument(vm).value_or(scenario.seed);
  const std::string out = vm["out"].as<std::string>();
  analysis::check_output_file(out);
  const auto summary = analysis::write_synthesised_arrivals(scenario, seed, out);
  std::cerr << fmt::format("supportsim: wrote {} cases to {}\n", summary.cases, out);
  return exit_ok;
}

} // namespace

int synth_command(const Arguments &args) {
  return run_with_options(args, synth_options(), usage, command);
}

} // namespace supportsim::cli
