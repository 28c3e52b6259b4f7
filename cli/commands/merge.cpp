// `supportsim merge`: the parts of a sharded sweep put together into the whole sweep's files.
#include "analysis/sweep/sweep.hpp"
#include "cli/commands/commands.hpp"
#include "cli/commands/sweep_report.hpp"

namespace supportsim::cli {

namespace {

constexpr std::string_view usage =
    "Usage: supportsim merge sweep-part-*.json --out DIR\n\nPuts the parts of a "
    "sweep run with --shard K/N together and writes exactly what the\nwhole sweep "
    "writes. Every part must come from the same sweep (scenario, options, seed,\n"
    "replications, version) and each of 1..N must be given once (docs/sweep.md).\n\n";

po::options_description merge_options() {
  po::options_description options = command_options("merge");
  options.add_options()(
      "out", po::value<std::string>()->value_name("DIR"),
      "write sweep.csv, sweep.json and report.html into DIR (created if needed; all or none)");
  add_format_option(options, sweep_formats);
  options.add_options()("jobs", po::value<std::string>()->value_name("N"),
                        "threads for the options' forecasts (default: one per core)");
  return options;
}

/// `supportsim merge`, its options read (--help is handled by run_with_options).
int command(const po::variables_map &vm) {
  const std::string format = choice(vm, "format", sweep_formats);
  const std::vector<std::string> parts = arguments(vm);
  if (parts.empty())
    throw UsageError("merge needs the part files of a sweep: supportsim merge "
                     "sweep-part-*.json --out DIR");
  if (!vm.count("out"))
    throw UsageError("merge needs --out DIR, where sweep.csv, sweep.json and report.html go");
  const std::optional<std::string> out = output_folder(vm);
  const unsigned jobs = jobs_argument(vm);
  report_sweep(analysis::merge_sweep_parts(parts, SUPPORTSIM_VERSION, jobs), out, format);
  return exit_ok;
}

} // namespace

int merge_command(const Arguments &args) {
  return run_with_options(args, merge_options(), usage, command);
}

} // namespace supportsim::cli
