// `supportsim run`: simulate a scenario (or replay a case export through it) and report.
#include "analysis/output/output.hpp"
#include "analysis/report/html_report.hpp"
#include "analysis/report/report.hpp"
#include "analysis/report/scorecard.hpp"
#include "analysis/report/workbook.hpp"
#include "analysis/run/experiment.hpp"
#include "analysis/variance/variance.hpp"
#include "cli/case_export.hpp"
#include "cli/commands/commands.hpp"
#include "sim/clock.hpp"

#include <array>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <fmt/format.h>
#include <iostream>
#include <unistd.h>

namespace supportsim::cli {

namespace {

constexpr std::array<std::string_view, 2> run_formats{"table", "json"};
constexpr std::array<std::string_view, 3> run_intervals{"15", "30", "60"};

constexpr std::string_view usage = "Usage: supportsim run [SCENARIO.json] [options]\n\n";

po::options_description run_options() {
  po::options_description options = command_options("run");
  add_format_option(options, run_formats);
  options.add_options()(
      "out", po::value<std::string>()->value_name("DIR"),
      "also write report.html, summary.json, summary.csv, regions.csv, replications.csv, "
      "demand.csv, agents.csv, intervals_<N>m.csv, daily.csv, weekly.csv, callcentre.csv, "
      "variance.csv, scorecard.csv and results.xlsx into DIR (created if needed; all files or "
      "none)")(
      "interval", po::value<std::string>()->default_value("15")->value_name("MINUTES"),
      "the intervals of intervals_<N>m.csv and callcentre.csv: 15, 30 or 60 minutes of each "
      "region's local time")("trace", po::value<std::string>()->value_name("FILE"),
                             "write every case event of every replication to FILE (CSV)")(
      "arrivals", po::value<std::string>()->value_name("FILE"),
      "replay the cases of FILE (a case export) instead of synthesising them; see "
      "docs/arrivals-format.md")(
      "start-from-arrivals",
      "with --arrivals: start the scenario at 00:00 UTC of the day of the file's first case "
      "(dated holidays, hires and incidents stay on their dates)")(
      "sl-seconds", po::value<std::string>()->default_value("20,60")->value_name("S[,S...]"),
      "service-level thresholds of the call-centre figures (phone, chat), seconds; "
      "docs/metrics.md");
  options.add(replication_options("independent replications (default: the scenario's)"));
  options.add_options()(
      "precision", po::value<std::string>()->value_name("SPEC"),
      "instead of a fixed count, replicate until every region's SLA attainment per priority and "
      "the cost per resolved case are this precise (95% half-width): 0.2pp (points, for rates; "
      "other figures 1%), 1% (of each mean), or both: 0.2pp,2%; docs/precision.md")(
      "min-replications", po::value<std::string>()->value_name("N"),
      "with --precision: replications before the rule is first checked (default 10)")(
      "max-replications", po::value<std::string>()->value_name("N"),
      "with --precision: stop here, met or not (default 1000)");
  options.add(export_options());
  return options;
}

/// --precision with its --min-replications and --max-replications, checked; none without it.
std::optional<analysis::Precision> precision_arguments(const po::variables_map &vm) {
  if (!vm.count("precision")) {
    for (const char *option : {"min-replications", "max-replications"})
      if (vm.count(option)) throw UsageError(fmt::format("--{} goes with --precision", option));
    return std::nullopt;
  }
  if (vm.count("replications"))
    throw UsageError("--precision decides the number of replications: give --precision or "
                     "--replications, not both (--max-replications caps --precision)");
  analysis::Precision p;
  try {
    p = analysis::parse_precision(vm["precision"].as<std::string>());
  } catch (const scenarios::InputError &e) {
    throw UsageError(e.what());
  }
  if (vm.count("min-replications"))
    p.min_replications =
        static_cast<std::uint32_t>(whole_number(vm, "min-replications", 2, 100000));
  if (vm.count("max-replications"))
    p.max_replications =
        static_cast<std::uint32_t>(whole_number(vm, "max-replications", 2, 100000));
  if (p.max_replications < p.min_replications)
    throw UsageError(fmt::format("--max-replications {} is below --min-replications {}",
                                 p.max_replications, p.min_replications));
  return p;
}

/// Where an export's rows fall against the scenario's window (start, then warm-up and horizon):
/// the model replays only the rows inside it (models/support_model.cpp), by the time a case
/// joined the queue if the row says, else its creation.
class ReplayWindow {
public:
  ReplayWindow(const models::OrganisationConfig &organisation, sim::Duration warmup)
      : clock_(organisation.start), measured_(sim::SimTime{} + warmup),
        end_(sim::SimTime{} + organisation.horizon) {}

  void count(const models::ReplayedCase &row) {
    const sim::SimTime at = clock_.from_utc(row.queued ? *row.queued : row.created);
    if (rows_ == 0 || at < first_) first_ = at;
    if (rows_ == 0 || at > last_) last_ = at;
    ++rows_;
    if (at < sim::SimTime{}) ++before_;
    if (at >= end_) ++after_;
    if (at >= sim::SimTime{} && at < measured_) ++in_warmup_;
  }

  /// No row inside is an error that says how to align the scenario; some rows outside, or none
  /// in the measured period (all in the warm-up), a named warning.
  void check(const std::string &path) const {
    const std::size_t outside = before_ + after_;
    if (outside == 0 && (in_warmup_ < rows_ || rows_ == 0)) return;
    const std::string window =
        fmt::format("{} to {}", clock_.format_utc(sim::SimTime{}), clock_.format_utc(end_));
    if (outside == rows_) {
      const double days = std::ceil((last_ - first_).to_hours() / 24 + 1e-9);
      throw scenarios::ArrivalsError(
          path, 0,
          fmt::format("all {} rows fall outside the scenario's window, {}: the rows run from {} "
                      "to {}. Align the scenario with them: \"start\": \"{}\" and "
                      "\"horizon_days\": {:g} (plus any warmup_days), or run with "
                      "--start-from-arrivals",
                      rows_, window, clock_.format_utc(first_), clock_.format_utc(last_),
                      clock_.format_utc(first_).substr(0, 10), std::max(days, 1.0)));
    }
    if (outside + in_warmup_ == rows_) {
      // Allowed (a short replay may be meant to warm the model up), but never unsaid: the
      // report would show no case.
      const double days = (measured_ - sim::SimTime{}).to_hours() / 24;
      print_warning(fmt::format(
          "rows only in the warm-up: {}: no row falls in the measured period, {} to {}: {} of "
          "the {} rows fall in the warm-up (the first {:g} days from {}, simulated but not "
          "measured) and {} outside the window. Measure them with \"warmup_days\": 0, or start "
          "the scenario {:g} days earlier",
          path, clock_.format_utc(measured_), clock_.format_utc(end_), in_warmup_, rows_, days,
          clock_.format_utc(sim::SimTime{}), outside, days));
      if (outside == 0) return;
    }
    print_warning(fmt::format("rows outside the window: {}: {} of {} rows fall outside the "
                              "scenario's window, {} ({} before, {} after), and are not replayed",
                              path, outside, rows_, window, before_, after_));
  }

private:
  sim::Clock clock_;
  sim::SimTime measured_; // the end of the warm-up
  sim::SimTime end_;
  sim::SimTime first_{}, last_{};
  std::size_t rows_ = 0, before_ = 0, after_ = 0, in_warmup_ = 0;
};

/// --start-from-arrivals: the scenario's start moved to 00:00 UTC of the day of the export's
/// first case (the first good row: rows are in time order, or sorted). Horizon and warm-up
/// stay; so do holidays, hiring dates and incidents, which are calendar facts: those the new
/// window leaves out are counted in a named warning.
void start_from_arrivals(const std::string &path, const scenarios::ArrivalsMapping &mapping,
                         const scenarios::ArrivalsOptions &options, scenarios::Scenario &scenario) {
  models::OrganisationConfig &org = scenario.organisation;
  models::ReplayedCase row;
  {
    // A bad row before the first good one stops here as it would in the replay (or, with
    // --skip-bad-rows, is passed over here and counted by the reading that follows).
    scenarios::ArrivalsReader reader(path, org, mapping, options);
    if (!reader.next(row))
      throw scenarios::ArrivalsError(path, 0,
                                     "no case to start the scenario from: the file has "
                                     "no good row");
  }
  const sim::Clock before(org.start);
  const std::string was = before.format_utc(sim::SimTime{});
  org.start = std::chrono::floor<std::chrono::days>(row.created);
  const sim::Clock clock(org.start);
  const sim::SimTime end = sim::SimTime{} + org.horizon;
  const auto outside = [&](std::chrono::sys_days day) {
    const sim::SimTime at = clock.from_utc(sim::UtcTime(day));
    return at < sim::SimTime{} || at >= end;
  };
  std::size_t hires = 0, holidays = 0, incidents = 0;
  for (const auto &g : org.agent_groups)
    for (const auto &h : g.hiring_plan)
      hires += outside(std::chrono::sys_days(h.date)) ? 1 : 0;
  for (const auto &r : org.regions)
    for (const auto &d : r.holidays)
      holidays += outside(std::chrono::sys_days(d)) ? 1 : 0;
  for (const auto &s : org.sites)
    for (const auto &d : s.holidays)
      holidays += outside(std::chrono::sys_days(d)) ? 1 : 0;
  for (const auto &i : org.demand.incidents) {
    const sim::SimTime at = clock.from_utc(i.start);
    incidents += at + i.duration <= sim::SimTime{} || at >= end ? 1 : 0;
  }
  const std::string window =
      fmt::format("{} to {}", clock.format_utc(sim::SimTime{}), clock.format_utc(end));
  const double warmup_days = scenario.warmup.to_hours() / 24;
  std::cerr << fmt::format(
      "supportsim: --start-from-arrivals: the scenario starts {} (was {}), the day of the first "
      "case in {}{}\n",
      clock.format_utc(sim::SimTime{}), was, path,
      warmup_days > 0 ? fmt::format("; its first {:g} days are the warm-up, simulated but not "
                                    "measured (\"warmup_days\": 0 measures every case)",
                                    warmup_days)
                      : std::string());
  if (hires + holidays + incidents > 0)
    print_warning(fmt::format(
        "dates outside the window: with the start moved, {} hiring date{}, {} holiday{} and {} "
        "incident{} of the scenario fall outside its window, {}, and have no effect (they keep "
        "their calendar dates; edit the scenario to move them)",
        hires, hires == 1 ? "" : "s", holidays, holidays == 1 ? "" : "s", incidents,
        incidents == 1 ? "" : "s", window));
}

/// The replay of `run --arrivals`: the file is read through once before anything runs, so a bad
/// row stops the command before the simulation (or, with --skip-bad-rows, is counted and
/// reported); then every replication reads it again, streaming. With --sort, the rows sorted
/// by that first reading are shared by every replication instead.
std::function<std::unique_ptr<models::CaseReplay>()> replay_from(const po::variables_map &vm,
                                                                 scenarios::Scenario &scenario) {
  const std::string path = vm["arrivals"].as<std::string>();
  const auto [mapping, options] = export_reading(vm, path);
  if (vm.count("start-from-arrivals")) start_from_arrivals(path, mapping, options, scenario);
  auto check =
      std::make_shared<scenarios::ArrivalsReader>(path, scenario.organisation, mapping, options);
  ReplayWindow window(scenario.organisation, scenario.warmup);
  models::ReplayedCase row;
  while (check->next(row))
    window.count(row);
  report_bad_rows(path, *check);
  window.check(path);
  if (options.sort)
    return [check]() -> std::unique_ptr<models::CaseReplay> { return check->sorted_replay(); };
  check.reset();
  const models::OrganisationConfig &organisation = scenario.organisation;
  // Copied by init-captures: clang 14 cannot capture structured bindings by name.
  return [path, &organisation, mapping = mapping,
          options = options]() -> std::unique_ptr<models::CaseReplay> {
    return std::make_unique<scenarios::ArrivalsReader>(path, organisation, mapping, options);
  };
}

/// The trace file and the replay, checked before anything runs; the export's options are
/// refused without --arrivals rather than ignored.
void trace_and_replay(const po::variables_map &vm, scenarios::Scenario &scenario,
                      analysis::RunOptions &run) {
  if (vm.count("trace")) {
    run.trace = vm["trace"].as<std::string>();
    analysis::check_output_file(*run.trace);
  }
  if (vm.count("arrivals"))
    run.replay = replay_from(vm, scenario);
  else if (vm.count("start-from-arrivals"))
    throw UsageError("--start-from-arrivals needs --arrivals FILE");
  else
    for (const std::string_view option : export_option_names)
      if (vm.count(std::string(option)))
        throw UsageError(fmt::format("--{} needs --arrivals FILE", option));
}

/// The files of --out: the summary as `json` and CSV, the tables behind it, the variance
/// against the forecast, the scorecard, report.html, and results.xlsx made from those CSV files.
void write_run_files(const std::string &folder, const analysis::Summary &summary,
                     const std::string &json) {
  const analysis::ExperimentResult &result = summary.run;
  using analysis::Grain;
  analysis::NamedFiles files{
      {"summary.json", json},
      {"summary.csv", analysis::render_summary_csv(result)},
      {"regions.csv", analysis::render_regions_csv(result)},
      {"replications.csv", analysis::render_replications_csv(result)},
      {"demand.csv", analysis::render_demand_csv(summary)},
      {"agents.csv", analysis::render_agents_csv(result)},
      {analysis::grain_file_name(result, Grain::interval),
       analysis::render_grain_csv(result, Grain::interval)},
      {"daily.csv", analysis::render_grain_csv(result, Grain::day)},
      {"weekly.csv", analysis::render_grain_csv(result, Grain::week)},
      {"callcentre.csv", analysis::render_callcentre_csv(result)},
      {"variance.csv", analysis::render_variance_csv(summary.variance, result)},
      {"scorecard.csv", analysis::render_scorecard_csv(summary.scorecard)},
      {"report.html", analysis::render_html_report(summary, SUPPORTSIM_VERSION)}};
  // The workbook's sheets are those CSV files themselves, so each table has one source.
  std::string workbook = analysis::render_workbook(analysis::workbook_sheets(files), summary);
  files.emplace_back("results.xlsx", std::move(workbook));
  analysis::write_result_set(folder, files);
}

/// Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org).
bool colour_on_stdout() {
  const char *no_colour = std::getenv("NO_COLOR");
  return ::isatty(STDOUT_FILENO) == 1 && !(no_colour && *no_colour);
}

/// `supportsim run`, its options read (--help is handled by run_with_options).
int command(const po::variables_map &vm) {
  const std::string format = choice(vm, "format", run_formats);
  scenarios::Scenario scenario = scenario_argument(vm, "run");
  print_warnings(scenario);
  analysis::RunOptions run;
  apply(replication_arguments(vm), run);
  run.precision = precision_arguments(vm);
  run.sl_seconds = sl_thresholds(vm);
  run.interval_minutes = std::stoi(choice(vm, "interval", run_intervals));
  const std::optional<std::string> out = output_folder(vm);
  trace_and_replay(vm, scenario, run);

  const auto started = std::chrono::steady_clock::now();
  // The run's result with its forecasts and verdicts, which every report below formats.
  const analysis::Summary summary(analysis::run_experiment(scenario, run));
  const analysis::ExperimentResult &result = summary.run;
  const std::chrono::duration<double> took = std::chrono::steady_clock::now() - started;

  const std::string json = analysis::render_json(summary, SUPPORTSIM_VERSION);
  if (out) write_run_files(*out, summary, json);
  print_stdout(format == "json"
                   ? json
                   : analysis::render_table(summary, SUPPORTSIM_VERSION, colour_on_stdout()));
  // Wall-clock facts go to stderr only, so stdout is the same for the same seed.
  if (result.precision)
    std::cerr << "supportsim: " << analysis::describe(*result.precision) << "\n";
  std::cerr << fmt::format("supportsim: {} replication{} in {:.2f} s\n",
                           result.scenario.replications,
                           result.scenario.replications == 1 ? "" : "s", took.count());
  return exit_ok;
}

} // namespace

int run_command(const Arguments &args) {
  return run_with_options(args, run_options(), usage, command);
}

} // namespace supportsim::cli
