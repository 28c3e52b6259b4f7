// `supportsim schema`: the JSON Schema of scenario files, or of the summary document.
#include "analysis/report/report.hpp"
#include "cli/commands/commands.hpp"
#include "scenarios/scenario.hpp"

#include <fmt/format.h>

namespace supportsim::cli {

namespace {

constexpr std::string_view usage =
    "Usage: supportsim schema [--summary]\n\nPrints a JSON Schema (draft 7): that of scenario "
    "files (scenarios/schema.json),\nor with --summary that of the document run --format json "
    "prints and run --out\nwrites as summary.json (analysis/report/summary.schema.json).\n\n";

po::options_description schema_options() {
  po::options_description options = command_options("schema");
  options.add_options()("summary", "that of summary.json (run --format json) instead");
  return options;
}

/// `supportsim schema`, its options read (--help is handled by run_with_options).
int command(const po::variables_map &vm) {
  if (const std::vector<std::string> extra = arguments(vm); !extra.empty())
    throw UsageError(
        fmt::format("schema takes no arguments, only --summary; found \"{}\"", extra[0]));
  print_stdout(vm.count("summary") ? analysis::summary_schema_text()
                                   : scenarios::scenario_schema_text());
  return exit_ok;
}

} // namespace

int schema_command(const Arguments &args) {
  return run_with_options(args, schema_options(), usage, command);
}

} // namespace supportsim::cli
