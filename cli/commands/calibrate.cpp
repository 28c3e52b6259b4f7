// `supportsim calibrate`: the service side of a scenario (handle time, patience, touches,
// reopens) estimated from a history, written as a scenario that extends a base.
#include "analysis/backtest/history.hpp"
#include "analysis/calibrate/calibration.hpp"
#include "analysis/output/output.hpp"
#include "cli/case_export.hpp"
#include "cli/commands/commands.hpp"
#include "scenarios/document.hpp"

#include <filesystem>
#include <fmt/format.h>
#include <iostream>

namespace supportsim::cli {

namespace {

constexpr std::string_view usage =
    "Usage: supportsim calibrate HISTORY.csv --out CALIBRATED.json [--scenario BASE.json] "
    "[options]\n\nEstimates handle time (maximum likelihood, family by AIC), patience (censored: "
    "Kaplan-Meier\nand MLE, served customers' waits count), touches and reopens from a history "
    "of cases\nwith their timings, and writes a scenario that extends BASE with them. Prints "
    "every\nestimate with its n and goodness of fit (docs/calibrate.md, docs/backtest.md).\n\n";

constexpr std::string_view formats[] = {"table", "json"};

po::options_description calibrate_options() {
  po::options_description options = command_options("calibrate");
  options.add_options()("out", po::value<std::string>()->value_name("FILE"),
                        "the calibrated scenario to write (JSON)")(
      "scenario", po::value<std::string>()->value_name("FILE"),
      "the scenario the calibrated one extends, and whose regions and names the history is "
      "read against (default: the embedded one)")(
      "name", po::value<std::string>()->value_name("NAME"),
      "the calibrated scenario's name")("report", po::value<std::string>()->value_name("FILE"),
                                        "also write the report (every estimate, JSON) to FILE")(
      "empirical", "service from the observed handle times themselves, not a fitted family");
  add_format_option(options, formats);
  options.add(history_options());
  return options;
}

/// `supportsim calibrate`, its options read (--help is handled by run_with_options).
int command(const po::variables_map &vm) {
  const std::vector<std::string> histories = arguments(vm);
  if (histories.size() != 1)
    throw UsageError(fmt::format("calibrate takes one history, found {}", histories.size()));
  if (!vm.count("out")) throw UsageError("calibrate needs --out FILE");
  const std::string format = choice(vm, "format", formats);
  const std::string out = vm["out"].as<std::string>();
  analysis::check_output_file(out);
  if (vm.count("report")) analysis::check_output_file(vm["report"].as<std::string>());
  const std::string base_path = vm.count("scenario") ? vm["scenario"].as<std::string>() : "";
  const scenarios::Scenario base =
      base_path.empty() ? scenarios::default_scenario() : scenarios::load_scenario_file(base_path);

  const analysis::backtest::HistoryReadOptions reading = history_reading(vm, histories[0]);
  std::vector<std::string> warnings;
  const auto cases = analysis::backtest::read_calibration_cases(histories[0], base.organisation,
                                                                reading, warnings);
  if (cases.empty()) throw scenarios::ArrivalsError(histories[0], 0, "no case to calibrate from");
  analysis::CalibrationOptions options;
  options.handle.empirical = vm.count("empirical") > 0;
  const analysis::Calibration calibration = analysis::calibrate(cases, options);

  // The calibrated file extends the base by a path that holds from the calibrated file's folder.
  const std::string extends =
      base_path.empty() ? "default"
                        : std::filesystem::absolute(base_path).lexically_normal().string();
  const nlohmann::json base_document =
      base_path.empty() ? nlohmann::json::parse(scenarios::default_scenario_text())
                        : scenarios::load_scenario_document(base_path);
  const std::string name =
      vm.count("name") ? vm["name"].as<std::string>() : base.name + "-calibrated";
  analysis::write_file_atomically(
      out, analysis::calibrated_scenario(calibration, extends, name, base_document));
  if (vm.count("report"))
    analysis::write_file_atomically(vm["report"].as<std::string>(),
                                    analysis::calibration_json(calibration));
  for (const std::string &w : warnings)
    print_warning(w);
  print_stdout(format == "json" ? analysis::calibration_json(calibration)
                                : analysis::calibration_table(calibration));
  std::cerr << fmt::format("supportsim: calibrated from {} cases to {}\n", cases.size(), out);
  return exit_ok;
}

} // namespace

int calibrate_command(const Arguments &args) {
  return run_with_options(args, calibrate_options(), usage, command);
}

} // namespace supportsim::cli
