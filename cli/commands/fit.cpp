// `supportsim fit`: the demand of a case export, estimated, as a scenario extending a base.
#include "analysis/fit/fit.hpp"

#include "analysis/output/output.hpp"
#include "cli/case_export.hpp"
#include "cli/commands/commands.hpp"

#include <filesystem>
#include <fmt/format.h>
#include <iostream>
#include <stdexcept>

namespace supportsim::cli {

namespace {

constexpr std::string_view usage =
    "Usage: supportsim fit CASES.csv --out FITTED.json [--scenario BASE.json] "
    "[options]\n\nEstimates the demand (volume, growth, hourly and weekly "
    "profiles, day-to-day\nover-dispersion, mixes) from a case export and writes "
    "a scenario that extends BASE\nwith it (docs/fit.md).\n\n";

po::options_description fit_options() {
  po::options_description options = command_options("fit");
  options.add_options()("out", po::value<std::string>()->value_name("FILE"),
                        "the scenario file to write (JSON)")(
      "scenario", po::value<std::string>()->value_name("FILE"),
      "the scenario the fitted one extends, and whose regions, products and languages the "
      "export is read against (default: the embedded one)")(
      "name", po::value<std::string>()->value_name("NAME"), "the fitted scenario's name");
  options.add(export_options());
  return options;
}

/// The fitted scenario's text, from the export at `path` read against `base`.
std::string fitted_scenario(const po::variables_map &vm, const std::string &path,
                            const std::string &base_path, analysis::FitReport &report) {
  const scenarios::Scenario base =
      base_path.empty() ? scenarios::default_scenario() : scenarios::load_scenario_file(base_path);
  // The fitted file extends the base by a path that holds from the fitted file's folder.
  const std::string extends =
      base_path.empty() ? "default"
                        : std::filesystem::absolute(base_path).lexically_normal().string();
  const auto [mapping, reading] = export_reading(vm, path);
  scenarios::ArrivalsReader reader(path, base.organisation, mapping, reading);
  std::string text;
  try {
    text = analysis::fit_demand(
        reader, base.organisation, extends,
        vm.count("name") ? vm["name"].as<std::string>() : base.name + "-fitted", report);
  } catch (const std::invalid_argument &e) { // no cases, or out of order: the export's fault
    throw scenarios::ArrivalsError(path, 0, e.what());
  }
  report_bad_rows(path, reader);
  return text;
}

/// `supportsim fit`, its options read (--help is handled by run_with_options).
int command(const po::variables_map &vm) {
  const std::vector<std::string> exports = arguments(vm);
  if (exports.size() != 1)
    throw UsageError(fmt::format("fit takes one case export, found {}", exports.size()));
  if (!vm.count("out")) throw UsageError("fit needs --out FILE");
  const std::string out = vm["out"].as<std::string>();
  analysis::check_output_file(out);
  analysis::FitReport report;
  const std::string text = fitted_scenario(
      vm, exports[0], vm.count("scenario") ? vm["scenario"].as<std::string>() : "", report);
  analysis::write_file_atomically(out, text);
  std::cerr << fmt::format("supportsim: fitted {} cases over {} days ({} whole months) to {}\n",
                           report.cases, report.days, report.full_months, out);
  return exit_ok;
}

} // namespace

int fit_command(const Arguments &args) {
  return run_with_options(args, fit_options(), usage, command);
}

} // namespace supportsim::cli
