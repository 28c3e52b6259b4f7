// `supportsim backtest`: a history replayed against the staffing that was really on the floor,
// scored per interval of local time against what really happened.
#include "analysis/backtest/backtest.hpp"

#include "analysis/backtest/history.hpp"
#include "analysis/backtest/render.hpp"
#include "analysis/output/output.hpp"
#include "cli/case_export.hpp"
#include "cli/commands/commands.hpp"
#include "scenarios/staffing.hpp"

#include <charconv>
#include <fmt/format.h>
#include <iostream>

namespace supportsim::cli {

namespace {

constexpr std::string_view usage =
    "Usage: supportsim backtest HISTORY.csv (--staffing FILE | --infer-staffing) --scenario "
    "S.json\n                           [--service actual|fitted] [--interval 15|30|60] "
    "[--out DIR] [options]\n\nReplays a history (cases with their queue, answer and abandon "
    "times and handle times)\nagainst the staffing that was really on the floor, R "
    "replications, and shows actual\nbeside simulated per interval of each region's local "
    "time: offered, answered,\nabandoned, P(wait = 0), ASA, mean wait of the queued, P(abandon "
    "| queued), service\nlevels, handle time, occupancy, backlog — with the 95% band, bias, "
    "WAPE and the\nshare of intervals inside the band (docs/backtest.md).\n\n";

constexpr std::string_view formats[] = {"table", "json"};
constexpr std::string_view services[] = {"actual", "fitted"};
constexpr std::string_view intervals[] = {"60", "30", "15"};

po::options_description backtest_options() {
  po::options_description options = command_options("backtest");
  options.add_options()("scenario", po::value<std::string>()->value_name("FILE"),
                        "the organisation: regions, groups the staffing names, patience and "
                        "handle-time distributions (calibrate writes one)")(
      "staffing", po::value<std::string>()->value_name("FILE"),
      "who was logged in: a roster (agent,group,start_utc,end_utc) or an interval table "
      "(interval_start_utc,group,agents); docs/staffing-format.md")(
      "infer-staffing", "derive the staffing from the history's agent and timing columns (an "
                        "approximation: idle and not-ready time are not seen)")(
      "session-gap", po::value<std::string>()->default_value("30")->value_name("MINUTES"),
      "--infer-staffing: a longer idle gap between an agent's cases ends a session")(
      "group", po::value<std::string>()->value_name("NAME"),
      "--infer-staffing: the agent group of cases whose history names none")(
      "service", po::value<std::string>()->default_value("actual"),
      "actual: each case's own handle time; fitted: the scenario's distributions")(
      "interval", po::value<std::string>()->default_value("60")->value_name("MINUTES"),
      "interval length: 15, 30 or 60 minutes of local time")(
      "sl-seconds", po::value<std::string>()->default_value("20")->value_name("S[,S...]"),
      "service-level thresholds in seconds, e.g. 20,60")(
      "worst", po::value<std::string>()->default_value("10")->value_name("N"),
      "intervals listed as the worst in the table")(
      "out", po::value<std::string>()->value_name("DIR"),
      "write backtest.csv, backtest.json and report.html there");
  options.add(replication_options("replications (default 30)"));
  add_format_option(options, formats);
  options.add(history_options());
  return options;
}

/// The staffing plan, from --staffing or inferred; `how` says which for the report.
models::StaffingPlan staffing(const po::variables_map &vm, const scenarios::Scenario &scenario,
                              const analysis::backtest::HistoryReading &history,
                              const std::string &time_zone, std::string &how) {
  if (vm.count("staffing")) {
    how = vm["staffing"].as<std::string>();
    scenarios::StaffingOptions options;
    options.time_zone = time_zone; // naive times in the staffing file: the export's zone
    return scenarios::load_staffing(how, scenario.organisation, options);
  }
  scenarios::StaffingInferenceOptions options;
  options.session_gap = std::chrono::minutes(whole_number(vm, "session-gap", 1, 24 * 60));
  if (vm.count("group")) options.default_group = vm["group"].as<std::string>();
  options.source = history.history.source;
  how = fmt::format("inferred from the history (sessions split at idle gaps over {} min)",
                    options.session_gap.count());
  return scenarios::infer_staffing(history.records, scenario.organisation, options);
}

/// `supportsim backtest`, its options read (--help is handled by run_with_options).
int command(const po::variables_map &vm) {
  const std::vector<std::string> histories = arguments(vm);
  if (histories.size() != 1)
    throw UsageError(fmt::format("backtest takes one history, found {}", histories.size()));
  if (!vm.count("scenario"))
    throw UsageError("backtest needs --scenario FILE: the organisation whose groups the "
                     "staffing names (start from scenarios/single-queue.json, or calibrate's)");
  if (vm.count("staffing") == vm.count("infer-staffing"))
    throw UsageError("backtest needs either --staffing FILE or --infer-staffing");
  const std::string format = choice(vm, "format", formats);
  const bool actual_service = choice(vm, "service", services) == "actual";
  const Replication replication = replication_arguments(vm);
  const std::optional<std::string> out = output_folder(vm);

  scenarios::Scenario scenario = scenarios::load_scenario_file(vm["scenario"].as<std::string>());
  apply(replication, scenario);
  print_warnings(scenario);
  analysis::backtest::HistoryReadOptions reading = history_reading(vm, histories[0]);
  reading.keep_records = vm.count("infer-staffing") > 0;
  analysis::backtest::HistoryReading history =
      analysis::backtest::read_history(histories[0], scenario.organisation, reading);
  if (history.history.cases.empty())
    throw scenarios::ArrivalsError(histories[0], 0, "no case to backtest");

  analysis::backtest::BacktestOptions options;
  options.interval_minutes = std::stoi(choice(vm, "interval", intervals));
  options.figures.sl_seconds = sl_thresholds(vm);
  options.replications = replication.replications.value_or(30);
  options.seed = replication.seed.value_or(scenario.seed);
  options.jobs = replication.jobs;

  analysis::backtest::BacktestSources sources{histories[0], "", scenario.source};
  scenario.organisation.staffing =
      staffing(vm, scenario, history, reading.arrivals.time_zone, sources.staffing);
  scenario.organisation.actual_service = actual_service;
  std::vector<sim::UtcTime> arrivals;
  for (const auto &c : history.history.outcomes)
    arrivals.push_back(c.queued);
  const std::string uncovered = scenarios::uncovered_warning(
      scenarios::uncovered(scenario.organisation.staffing, arrivals,
                           std::chrono::minutes(options.interval_minutes)),
      std::chrono::minutes(options.interval_minutes));
  if (!uncovered.empty()) history.warnings.push_back(uncovered);
  for (const std::string &w : history.warnings)
    print_warning(w);

  analysis::backtest::BacktestResult result =
      analysis::backtest::run_backtest(scenario, history.history, options);
  if (vm.count("infer-staffing"))
    result.notes.push_back("staffing was inferred from the history's handled cases: idle and "
                           "not-ready time are not seen, so occupancy reads high and capacity low");
  if (out)
    analysis::write_result_set(
        *out, {{"backtest.csv", analysis::backtest::render_backtest_csv(result)},
               {"backtest.json",
                analysis::backtest::render_backtest_json(result, sources, SUPPORTSIM_VERSION)},
               {"report.html",
                analysis::backtest::render_backtest_html(result, sources, SUPPORTSIM_VERSION)}});
  print_stdout(format == "json"
                   ? analysis::backtest::render_backtest_json(result, sources, SUPPORTSIM_VERSION)
                   : analysis::backtest::render_backtest_table(result, sources,
                                                               whole_number(vm, "worst", 0, 1000)));
  return exit_ok;
}

} // namespace

int backtest_command(const Arguments &args) {
  return run_with_options(args, backtest_options(), usage, command);
}

} // namespace supportsim::cli
