// The supportsim command line: the only main() and the only user of Boost.Program_options.
#include "analysis/fit/fit.hpp"
#include "analysis/forecast/capacity.hpp"
#include "analysis/output/output.hpp"
#include "analysis/plan/plan.hpp"
#include "analysis/report/html_report.hpp"
#include "analysis/report/report.hpp"
#include "analysis/run/experiment.hpp"
#include "analysis/run/synth.hpp"
#include "analysis/sweep/sweep.hpp"
#include "analysis/variance/variance.hpp"
#include "scenarios/arrivals.hpp"
#include "scenarios/document.hpp"
#include "scenarios/override.hpp"
#include "scenarios/scenario.hpp"

#include <algorithm>
#include <boost/program_options.hpp>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fmt/format.h>
#include <initializer_list>
#include <iostream>
#include <limits>
#include <string>
#include <string_view>
#include <unistd.h>
#include <vector>

namespace {

namespace po = boost::program_options;
using namespace supportsim;

constexpr int exit_ok = 0;
constexpr int exit_internal = 1;
constexpr int exit_bad_input = 2;

const char *const usage =
    R"(supportsim — discrete-event simulation of a global technical-support organisation

Usage:
  supportsim run [SCENARIO.json] [options]   simulate a scenario (default: the embedded one)
  supportsim forecast [SCENARIO.json]        the analytic plan: Erlang C/A per region and
                                             week, required agents, a skills max-flow check;
                                             --interval hour: staffing gaps by local hour
  supportsim synth [SCENARIO.json] --out FILE
                                             write the cases the scenario's demand synthesises
                                             as an arrivals file (CSV) that run --arrivals replays
  supportsim fit CASES.csv --out FITTED.json
                                             estimate the demand from a case export, as a
                                             scenario that extends the default (or --scenario)
  supportsim sweep [SCENARIO.json] --vary PATH=SPEC... [--options FILE] [options]
                                             run every option of a grid (or a list) of
                                             changes to a scenario, with common random
                                             numbers, and compare each with the baseline
  supportsim merge PARTS... --out DIR        put the parts of a sharded sweep (--shard K/N)
                                             together: the files the whole sweep writes
  supportsim plan [SCENARIO.json] --vary-headcount PATTERNS
                                             the cheapest headcount of those groups that meets
                                             every SLA target, searched by simulation
  supportsim validate FILE...                check scenario files without running them
  supportsim show [SCENARIO.json]            print a scenario as supportsim reads it: extends
                                             resolved, every default filled in
  supportsim schema                          print the JSON Schema of scenario files
  supportsim schema --summary                print the JSON Schema of run --format json
                                             (summary.json)
  supportsim --help                          this text
  supportsim --version                       the version

Examples:
  supportsim run
  supportsim run scenarios/default.json --replications 20 --seed 7
  supportsim run --format json > result.json
  supportsim run scenarios/emea-hiring-freeze.json --out results/
  supportsim plan --vary-headcount 'EMEA-*' --replications 5
  supportsim validate scenarios/*.json
  supportsim sweep --vary agent_groups.london-l1.headcount=10..20/2 --out sweep/
  supportsim synth --out arrivals.csv --days 28
  supportsim run --arrivals cases.csv --arrivals-format salesforce --time-zone Europe/London

Exit codes: 0 success, 2 bad input (the message names the file and the place), 1 other failure.
)";

/// A mistake on the command line: printed with a hint and exit code 2.
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// The value of an option that takes one of a few words (it has a default), checked:
/// "--format: expected table, csv or json, found \"xml\"".
std::string choice(const po::variables_map &vm, const char *name,
                   std::initializer_list<std::string_view> words) {
  const std::string value = vm[name].as<std::string>();
  if (std::find(words.begin(), words.end(), value) != words.end()) return value;
  std::string expected;
  for (std::size_t i = 0; i < words.size(); ++i) {
    expected += i == 0 ? "" : i + 1 == words.size() ? " or " : ", ";
    expected += words.begin()[i];
  }
  throw UsageError(fmt::format("--{}: expected {}, found \"{}\"", name, expected, value));
}

/// The value of a numeric option, checked: digits only, within [lo, hi].
std::uint64_t whole_number(const po::variables_map &vm, const char *name, std::uint64_t lo,
                           std::uint64_t hi) {
  const std::string text = vm[name].as<std::string>();
  std::uint64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc{} || end != text.data() + text.size() || value < lo || value > hi)
    throw UsageError(fmt::format("--{}: expected a whole number from {} to {}, found \"{}\"", name,
                                 lo, hi, text));
  return value;
}

/// --seed, --replications and --jobs, as run, sweep and plan take them. Numbers are read as
/// text and checked by replication_arguments(): Boost would read "-1" into an unsigned as
/// 4294967295 without a word.
po::options_description replication_options(const char *replications_help) {
  po::options_description options;
  options.add_options()("seed", po::value<std::string>()->value_name("N"),
                        "master seed (default: the scenario's)")(
      "replications", po::value<std::string>()->value_name("R"),
      replications_help)("jobs", po::value<std::string>()->value_name("N"),
                         "threads (default: one per core). Results do not depend on it");
  return options;
}

/// The values of replication_options(), checked; those not given are left empty (the
/// scenario's apply) and jobs 0 (one thread per core).
struct Replication {
  std::optional<std::uint64_t> seed;
  std::optional<std::uint32_t> replications;
  unsigned jobs = 0;
};
Replication replication_arguments(const po::variables_map &vm,
                                  std::uint64_t least_replications = 1) {
  Replication r;
  if (vm.count("seed"))
    r.seed = whole_number(vm, "seed", 0, std::numeric_limits<std::int64_t>::max());
  if (vm.count("replications"))
    r.replications =
        static_cast<std::uint32_t>(whole_number(vm, "replications", least_replications, 100000));
  if (vm.count("jobs")) r.jobs = static_cast<unsigned>(whole_number(vm, "jobs", 1, 1024));
  return r;
}

/// Parses a command's arguments: its options, and the rest as positional arguments.
po::variables_map parse(const std::vector<std::string> &args,
                        const po::options_description &options) {
  po::options_description hidden;
  hidden.add_options()("argument", po::value<std::vector<std::string>>());
  po::options_description all;
  all.add(options).add(hidden);
  po::positional_options_description positional;
  positional.add("argument", -1);
  po::variables_map vm;
  po::store(po::command_line_parser(args).options(all).positional(positional).run(), vm);
  po::notify(vm);
  return vm;
}

/// A command's --help on stdout: `text` (its usage), then its options. A failed write is not a
/// success.
int print_help(std::string_view text, const po::options_description &options) {
  std::cout << text << options;
  std::cout.flush();
  return std::cout ? exit_ok : exit_internal;
}

/// The positional arguments parse() found.
std::vector<std::string> arguments(const po::variables_map &vm) {
  return vm.count("argument") ? vm["argument"].as<std::vector<std::string>>()
                              : std::vector<std::string>{};
}

/// The scenario of a command taking at most one scenario file: that file, or the embedded
/// default.
scenarios::Scenario scenario_argument(const po::variables_map &vm, const char *command) {
  const std::vector<std::string> files = arguments(vm);
  if (files.size() > 1)
    throw UsageError(fmt::format("{} takes one scenario file, found {}", command, files.size()));
  return files.empty() ? scenarios::default_scenario() : scenarios::load_scenario_file(files[0]);
}

/// Warnings are things allowed but probably not meant; they go to stderr and do not stop a run.
void print_warnings(const scenarios::Scenario &s) {
  for (const std::string &w : s.warnings)
    std::cerr << "supportsim: warning: " << w << '\n';
}

/// The replay of `run --arrivals`: the file is read through once before anything runs, so a bad
/// row stops the command before the simulation (or, with --skip-bad-rows, is counted and
/// reported); then every replication reads it again, streaming.
/// The options every command reading a case export shares.
po::options_description export_options() {
  po::options_description options("Reading a case export");
  options.add_options()("arrivals-format", po::value<std::string>()->value_name("NAME"),
                        "native (default), salesforce or zendesk")(
      "map", po::value<std::string>()->value_name("FILE"),
      "a mapping file (JSON) for any other export, instead of --arrivals-format")(
      "time-zone", po::value<std::string>()->value_name("ZONE"),
      "IANA time zone of timestamps without an offset, e.g. Europe/London")(
      "skip-bad-rows", "count and report bad rows instead of stopping at the first")(
      "sort", "accept rows in any order (reads the whole file into memory to sort it)");
  return options;
}

/// How to read the export, from those options.
std::pair<scenarios::ArrivalsMapping, scenarios::ArrivalsOptions>
export_reading(const po::variables_map &vm) {
  if (vm.count("map") && vm.count("arrivals-format"))
    throw UsageError("--map and --arrivals-format: give one or the other");
  scenarios::ArrivalsMapping mapping;
  if (vm.count("map")) {
    mapping = scenarios::load_arrivals_mapping(vm["map"].as<std::string>());
  } else {
    const std::string name =
        vm.count("arrivals-format") ? vm["arrivals-format"].as<std::string>() : "native";
    const auto format = scenarios::arrivals_format_named(name);
    if (!format)
      throw UsageError(fmt::format(
          "--arrivals-format: expected native, salesforce or zendesk, found \"{}\"", name));
    mapping = scenarios::arrivals_preset(*format);
  }
  scenarios::ArrivalsOptions options;
  if (vm.count("time-zone")) options.time_zone = vm["time-zone"].as<std::string>();
  options.skip_bad_rows = vm.count("skip-bad-rows") > 0;
  options.sort = vm.count("sort") > 0;
  return {mapping, options};
}

/// After reading an export with --skip-bad-rows: how many rows were skipped, and the first.
void report_bad_rows(const std::string &path, const scenarios::ArrivalsReader &reader) {
  if (reader.bad_rows() == 0) return;
  std::cerr << fmt::format("supportsim: warning: {}: skipped {} bad row{} of {}; the first:\n",
                           path, reader.bad_rows(), reader.bad_rows() == 1 ? "" : "s",
                           reader.bad_rows() + reader.cases_read());
  for (const std::string &message : reader.bad_row_messages())
    std::cerr << "  " << message << '\n';
}

std::function<std::unique_ptr<models::CaseReplay>()>
replay_from(const po::variables_map &vm, const scenarios::Scenario &scenario) {
  const std::string path = vm["arrivals"].as<std::string>();
  const auto [mapping, options] = export_reading(vm);
  scenarios::ArrivalsReader check(path, scenario.organisation, mapping, options);
  models::ReplayedCase row;
  while (check.next(row)) {
  }
  report_bad_rows(path, check);
  const models::OrganisationConfig &organisation = scenario.organisation;
  return [path, &organisation, mapping, options]() -> std::unique_ptr<models::CaseReplay> {
    return std::make_unique<scenarios::ArrivalsReader>(path, organisation, mapping, options);
  };
}

int synth_command(const std::vector<std::string> &args) {
  po::options_description options("Options for synth");
  options.add_options()("help,h", "this text")("out", po::value<std::string>()->value_name("FILE"),
                                               "the arrivals file to write (CSV)")(
      "days", po::value<std::string>()->value_name("N"),
      "days to synthesise from the scenario's start (default: its horizon, warm-up included)")(
      "seed", po::value<std::string>()->value_name("N"), "master seed (default: the scenario's)");
  const po::variables_map vm = parse(args, options);
  if (vm.count("help"))
    return print_help(
        "Usage: supportsim synth [SCENARIO.json] --out FILE [--days N] [--seed N]\n\n"
        "Writes the cases the scenario's demand synthesises (replication 0) as a "
        "native arrivals\nfile with every attribute and each case's seed: `supportsim "
        "run SCENARIO --arrivals FILE`\nreplays the very same cases "
        "(docs/arrivals-format.md).\n\n",
        options);
  if (!vm.count("out")) throw UsageError("synth needs --out FILE");
  scenarios::Scenario scenario = scenario_argument(vm, "synth");
  print_warnings(scenario);
  if (vm.count("days"))
    scenario.organisation.horizon =
        sim::Duration::days(static_cast<std::int64_t>(whole_number(vm, "days", 1, 1461)));
  const std::uint64_t seed =
      vm.count("seed") ? whole_number(vm, "seed", 0, std::numeric_limits<std::int64_t>::max())
                       : scenario.seed;
  const std::string out = vm["out"].as<std::string>();
  analysis::check_output_file(out);
  const auto summary = analysis::write_synthesised_arrivals(scenario, seed, out);
  std::cerr << fmt::format("supportsim: wrote {} cases to {}\n", summary.cases, out);
  return exit_ok;
}

int forecast_command(const std::vector<std::string> &args) {
  po::options_description options("Options for forecast");
  options.add_options()("help,h", "this text")(
      "interval", po::value<std::string>()->default_value("week"),
      "week: the plan per region and week; hour: agents on duty against agents required per "
      "local weekday and hour")("out", po::value<std::string>()->value_name("DIR"),
                                "also write forecast.csv (weeks) and forecast-hours.csv (hours) "
                                "into DIR (created if needed; both files or none)");
  const po::variables_map vm = parse(args, options);
  if (vm.count("help"))
    return print_help(
        "Usage: supportsim forecast [SCENARIO.json] [options]\n\nThe analytic capacity "
        "plan a planner would make without simulating: per region and\nweek (or hour), "
        "Erlang C/A predictions of SLA attainment, waits and utilisation, the\nagents "
        "required to meet each priority's target, and a max-flow check of skills and\n"
        "languages (docs/forecast.md).\n\n",
        options);
  const std::string interval = choice(vm, "interval", {"week", "hour"});
  const scenarios::Scenario scenario = scenario_argument(vm, "forecast");
  print_warnings(scenario);
  if (vm.count("out")) analysis::prepare_output_folder(vm["out"].as<std::string>());
  const analysis::CapacityForecast weeks = analysis::forecast_capacity(scenario);
  // The hourly forecast costs seconds (an Erlang search per region and hour): only on demand.
  const std::vector<analysis::RegionHourForecast> hours =
      interval == "hour" || vm.count("out") ? analysis::forecast_hours(scenario)
                                            : std::vector<analysis::RegionHourForecast>{};
  if (vm.count("out"))
    analysis::write_files_atomically(
        vm["out"].as<std::string>(),
        {{"forecast.csv", analysis::render_forecast_csv(weeks, scenario)},
         {"forecast-hours.csv", analysis::render_forecast_hours_csv(hours, scenario)}});
  std::cout << (interval == "week" ? analysis::render_forecast_table(weeks, scenario)
                                   : analysis::render_staffing_table(hours, scenario));
  std::cout.flush();
  return std::cout ? exit_ok : exit_internal;
}

int fit_command(const std::vector<std::string> &args) {
  po::options_description options("Options for fit");
  options.add_options()("help,h", "this text")("out", po::value<std::string>()->value_name("FILE"),
                                               "the scenario file to write (JSON)")(
      "scenario", po::value<std::string>()->value_name("FILE"),
      "the scenario the fitted one extends, and whose regions, products and languages the "
      "export is read against (default: the embedded one)")(
      "name", po::value<std::string>()->value_name("NAME"), "the fitted scenario's name");
  options.add(export_options());
  const po::variables_map vm = parse(args, options);
  if (vm.count("help"))
    return print_help("Usage: supportsim fit CASES.csv --out FITTED.json [--scenario BASE.json] "
                      "[options]\n\nEstimates the demand (volume, growth, hourly and weekly "
                      "profiles, day-to-day\nover-dispersion, mixes) from a case export and writes "
                      "a scenario that extends BASE\nwith it (docs/fit.md).\n\n",
                      options);
  const std::vector<std::string> exports = arguments(vm);
  if (exports.size() != 1)
    throw UsageError(fmt::format("fit takes one case export, found {}", exports.size()));
  if (!vm.count("out")) throw UsageError("fit needs --out FILE");
  const std::string out = vm["out"].as<std::string>();
  analysis::check_output_file(out);
  const std::string base_path = vm.count("scenario") ? vm["scenario"].as<std::string>() : "";
  const scenarios::Scenario base =
      base_path.empty() ? scenarios::default_scenario() : scenarios::load_scenario_file(base_path);
  // The fitted file extends the base by a path that holds from the fitted file's folder.
  const std::string extends =
      base_path.empty() ? "default"
                        : std::filesystem::absolute(base_path).lexically_normal().string();
  const auto [mapping, reading] = export_reading(vm);
  scenarios::ArrivalsReader reader(exports[0], base.organisation, mapping, reading);
  analysis::FitReport report;
  std::string text;
  try {
    text = analysis::fit_demand(
        reader, base.organisation, extends,
        vm.count("name") ? vm["name"].as<std::string>() : base.name + "-fitted", report);
  } catch (const std::invalid_argument &e) { // no cases, or out of order: the export's fault
    throw scenarios::ArrivalsError(exports[0], 0, e.what());
  }
  report_bad_rows(exports[0], reader);
  const std::filesystem::path target(out);
  analysis::write_files_atomically(target.has_parent_path() ? target.parent_path()
                                                            : std::filesystem::path("."),
                                   {{target.filename().string(), text}});
  std::cerr << fmt::format("supportsim: fitted {} cases over {} days ({} whole months) to {}\n",
                           report.cases, report.days, report.full_months, out);
  return exit_ok;
}

int run_command(const std::vector<std::string> &args) {
  po::options_description options("Options for run");
  options.add_options()("help,h", "this text")(
      "format", po::value<std::string>()->default_value("table"), "table or json, on stdout")(
      "out", po::value<std::string>()->value_name("DIR"),
      "also write report.html, summary.json, summary.csv, replications.csv, demand.csv, "
      "agents.csv, intervals.csv and variance.csv into DIR (created if needed; all files or none)")(
      "trace", po::value<std::string>()->value_name("FILE"),
      "write every case event of every replication to FILE (CSV)")(
      "arrivals", po::value<std::string>()->value_name("FILE"),
      "replay the cases of FILE (a case export) instead of synthesising them; see "
      "docs/arrivals-format.md");
  options.add(replication_options("independent replications (default: the scenario's)"));
  options.add(export_options());
  const po::variables_map vm = parse(args, options);
  if (vm.count("help"))
    return print_help("Usage: supportsim run [SCENARIO.json] [options]\n\n", options);
  const std::string format = choice(vm, "format", {"table", "json"});
  const scenarios::Scenario scenario = scenario_argument(vm, "run");
  print_warnings(scenario);
  analysis::RunOptions run;
  const Replication replication = replication_arguments(vm);
  run.seed = replication.seed;
  run.replications = replication.replications;
  run.jobs = replication.jobs;

  // A bad output folder is found before the simulation, not after it.
  if (vm.count("out")) analysis::prepare_output_folder(vm["out"].as<std::string>());
  if (vm.count("trace")) {
    run.trace = vm["trace"].as<std::string>();
    analysis::check_output_file(*run.trace);
  }

  if (vm.count("arrivals"))
    run.replay = replay_from(vm, scenario);
  else
    for (const char *option : {"arrivals-format", "map", "time-zone", "skip-bad-rows", "sort"})
      if (vm.count(option)) throw UsageError(fmt::format("--{} needs --arrivals FILE", option));

  const auto started = std::chrono::steady_clock::now();
  // The run's result with its forecasts and verdicts, which every report below formats.
  const analysis::Summary summary(analysis::run_experiment(scenario, run));
  const analysis::ExperimentResult &result = summary.run;
  const std::chrono::duration<double> took = std::chrono::steady_clock::now() - started;

  const std::string json = analysis::render_json(summary, SUPPORTSIM_VERSION);
  if (vm.count("out")) {
    analysis::write_files_atomically(
        vm["out"].as<std::string>(),
        {{"summary.json", json},
         {"summary.csv", analysis::render_summary_csv(result)},
         {"replications.csv", analysis::render_replications_csv(result)},
         {"demand.csv", analysis::render_demand_csv(summary)},
         {"agents.csv", analysis::render_agents_csv(result)},
         {"intervals.csv", analysis::render_intervals_csv(result)},
         {"variance.csv", analysis::render_variance_csv(summary.variance, result)},
         {"report.html", analysis::render_html_report(summary, SUPPORTSIM_VERSION)}});
  }
  // Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org).
  const char *no_colour = std::getenv("NO_COLOR");
  const bool colour = ::isatty(STDOUT_FILENO) == 1 && !(no_colour && *no_colour);
  std::cout << (format == "json" ? json
                                 : analysis::render_table(summary, SUPPORTSIM_VERSION, colour));
  std::cout.flush();
  if (!std::cout) throw std::runtime_error("cannot write the report to standard output");
  // Wall-clock facts go to stderr only, so stdout is the same for the same seed.
  std::cerr << fmt::format("supportsim: {} replication{} in {:.2f} s\n",
                           result.scenario.replications,
                           result.scenario.replications == 1 ? "" : "s", took.count());
  return exit_ok;
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

/// A progress bar on stderr, redrawn in place ("\r") at most ten times a second: done/total,
/// the share done, the time so far and the time still to go. Drawn only on a terminal, so logs
/// and pipes stay quiet.
class ProgressBar {
public:
  explicit ProgressBar(bool enabled) : enabled_(enabled) {}
  void operator()(std::size_t done, std::size_t total) {
    if (!enabled_ || total == 0) return;
    const auto now = std::chrono::steady_clock::now();
    if (done < total && drawn_ && now - last_ < std::chrono::milliseconds(100)) return;
    last_ = now;
    drawn_ = true;
    const double elapsed = std::chrono::duration<double>(now - started_).count();
    const double share = static_cast<double>(done) / static_cast<double>(total);
    constexpr std::size_t bar_width = 24;
    const auto filled = static_cast<std::size_t>(share * bar_width);
    const std::string eta =
        done == 0
            ? "?"
            : clock_time(elapsed * static_cast<double>(total - done) / static_cast<double>(done));
    std::cerr << fmt::format("\r[{}{}] {}/{} {:3.0f}% · elapsed {} · ETA {}   ",
                             std::string(filled, '#'), std::string(bar_width - filled, '.'), done,
                             total, 100 * share, clock_time(elapsed), eta)
              << std::flush;
  }
  /// For work of unknown size (plan's search): `text` and the time so far, in place of the bar.
  void status(std::string_view text) {
    if (!enabled_) return;
    const auto now = std::chrono::steady_clock::now();
    if (drawn_ && now - last_ < std::chrono::milliseconds(100)) return;
    last_ = now;
    drawn_ = true;
    const double elapsed = std::chrono::duration<double>(now - started_).count();
    // Clear to the end of the line: the text is shorter than the last one at times.
    std::cerr << fmt::format("\r{} · elapsed {}\033[K", text, clock_time(elapsed)) << std::flush;
  }
  /// Ends the bar's line, if one was drawn.
  void finish() {
    if (drawn_) std::cerr << '\n';
  }

private:
  static std::string clock_time(double seconds) {
    const auto s = static_cast<long>(std::lround(seconds));
    return s >= 3600 ? fmt::format("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
                     : fmt::format("{}:{:02}", s / 60, s % 60);
  }
  bool enabled_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now(), last_;
};

/// What sweep and merge print and write: the table (or CSV or JSON) on stdout, and with --out
/// sweep.csv, sweep.json and report.html.
void report_sweep(const analysis::SweepResult &result, const po::variables_map &vm,
                  const std::string &format) {
  const analysis::SweepSummary summary = analysis::summarise_sweep(result);
  const std::string csv = analysis::render_sweep_csv(summary);
  const std::string json = analysis::render_sweep_json(summary, SUPPORTSIM_VERSION);
  if (vm.count("out"))
    analysis::write_files_atomically(
        vm["out"].as<std::string>(),
        {{"sweep.csv", csv},
         {"sweep.json", json},
         {"report.html", analysis::render_sweep_html(summary, SUPPORTSIM_VERSION)}});
  std::cout << (format == "csv"    ? csv
                : format == "json" ? json
                                   : analysis::render_sweep_table(summary, SUPPORTSIM_VERSION));
  std::cout.flush();
  if (!std::cout) throw std::runtime_error("cannot write the report to standard output");
}

std::string sweep_format(const po::variables_map &vm) {
  return choice(vm, "format", {"table", "csv", "json"});
}

int sweep_command(const std::vector<std::string> &args) {
  po::options_description options("Options for sweep");
  options.add_options()("help,h", "this text")(
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
      "also write sweep.csv, sweep.json and report.html into DIR (created if needed; all or none)")(
      "format", po::value<std::string>()->default_value("table"), "table, csv or json, on stdout");
  options.add(replication_options(
      "replications of every option, all with the same seed (default: the scenario's)"));
  const po::variables_map vm = parse(args, options);
  if (vm.count("help"))
    return print_help(
        "Usage: supportsim sweep [SCENARIO.json] --vary PATH=SPEC... [--options FILE] "
        "[options]\n\nRuns every option (the scenario unchanged as option 0, the "
        "options of FILE, then every\npoint of the --vary grid) for the same "
        "replications with the same seed, so every option\nsees the same cases "
        "(common random numbers), and compares each with the baseline by paired\n"
        "confidence intervals (docs/sweep.md). A progress bar goes to stderr on a "
        "terminal.\n\n",
        options);
  const std::string format = sweep_format(vm);
  const std::vector<std::string> files = arguments(vm);
  if (files.size() > 1)
    throw UsageError(fmt::format("sweep takes one scenario file, found {}", files.size()));
  const std::vector<std::string> vary =
      vm.count("vary") ? vm["vary"].as<std::vector<std::string>>() : std::vector<std::string>{};
  if (vary.empty() && !vm.count("options"))
    throw UsageError("sweep needs --vary PATH=SPEC or --options FILE: the options to compare");

  analysis::SweepRunOptions run;
  run.version = SUPPORTSIM_VERSION;
  const Replication replication = replication_arguments(vm);
  run.seed = replication.seed;
  run.replications = replication.replications;
  run.jobs = replication.jobs;
  if (vm.count("shard")) {
    run.shard = shard_argument(vm["shard"].as<std::string>());
    if (!vm.count("out"))
      throw UsageError("--shard needs --out DIR, the folder the part file goes into");
  }

  const std::string path = files.empty() ? "" : files[0];
  std::vector<scenarios::ScenarioOption> listed;
  if (vm.count("options")) listed = scenarios::load_options_file(vm["options"].as<std::string>());
  const scenarios::SweepPlan plan =
      scenarios::plan_sweep(scenarios::scenario_source_name(path),
                            scenarios::load_scenario_document(path), vary, std::move(listed));
  print_warnings(scenarios::option_scenario(plan, 0));
  // A bad output folder is found before the simulation, not after it.
  if (vm.count("out")) analysis::prepare_output_folder(vm["out"].as<std::string>());

  ProgressBar bar(::isatty(STDERR_FILENO) == 1);
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
    const std::string name = analysis::sweep_part_name(*run.shard);
    analysis::write_files_atomically(vm["out"].as<std::string>(),
                                     {{name, analysis::render_sweep_part(result)}});
    std::cerr << fmt::format("supportsim: part {} of {}: {}; wrote {}\n", run.shard->index,
                             run.shard->count, timing,
                             (std::filesystem::path(vm["out"].as<std::string>()) / name).string());
    return exit_ok;
  }
  report_sweep(result, vm, format);
  std::cerr << "supportsim: " << timing << '\n';
  return exit_ok;
}

int merge_command(const std::vector<std::string> &args) {
  po::options_description options("Options for merge");
  options.add_options()("help,h", "this text")(
      "out", po::value<std::string>()->value_name("DIR"),
      "write sweep.csv, sweep.json and report.html into DIR (created if needed; all or none)")(
      "format", po::value<std::string>()->default_value("table"), "table, csv or json, on stdout")(
      "jobs", po::value<std::string>()->value_name("N"),
      "threads for the options' forecasts (default: one per core)");
  const po::variables_map vm = parse(args, options);
  if (vm.count("help"))
    return print_help(
        "Usage: supportsim merge sweep-part-*.json --out DIR\n\nPuts the parts of a "
        "sweep run with --shard K/N together and writes exactly what the\nwhole sweep "
        "writes. Every part must come from the same sweep (scenario, options, seed,\n"
        "replications, version) and each of 1..N must be given once (docs/sweep.md).\n\n",
        options);
  const std::string format = sweep_format(vm);
  const std::vector<std::string> parts = arguments(vm);
  if (parts.empty())
    throw UsageError("merge needs the part files of a sweep: supportsim merge "
                     "sweep-part-*.json --out DIR");
  if (!vm.count("out"))
    throw UsageError("merge needs --out DIR, where sweep.csv, sweep.json and report.html go");
  analysis::prepare_output_folder(vm["out"].as<std::string>());
  const unsigned jobs =
      vm.count("jobs") ? static_cast<unsigned>(whole_number(vm, "jobs", 1, 1024)) : 0;
  report_sweep(analysis::merge_sweep_parts(parts, SUPPORTSIM_VERSION, jobs), vm, format);
  return exit_ok;
}

int schema_command(const std::vector<std::string> &args) {
  po::options_description options("Options for schema");
  options.add_options()("help,h", "this text")("summary",
                                               "that of summary.json (run --format json) instead");
  const po::variables_map vm = parse(args, options);
  if (vm.count("help"))
    return print_help(
        "Usage: supportsim schema [--summary]\n\nPrints a JSON Schema (draft 7): that "
        "of scenario files (scenarios/schema.json),\nor with --summary that of the "
        "document run --format json prints and run --out\nwrites as summary.json "
        "(analysis/report/summary.schema.json).\n\n",
        options);
  if (const std::vector<std::string> extra = arguments(vm); !extra.empty())
    throw UsageError(
        fmt::format("schema takes no arguments, only --summary; found \"{}\"", extra[0]));
  std::cout << (vm.count("summary") ? analysis::summary_schema_text()
                                    : scenarios::scenario_schema_text());
  std::cout.flush();
  return std::cout ? exit_ok : exit_internal;
}

int validate_command(const std::vector<std::string> &args) {
  for (const std::string &arg : args) {
    if (arg == "--help" || arg == "-h") {
      std::cout << "Usage: supportsim validate FILE...\n\nChecks each scenario file and prints "
                   "\"FILE: ok\" or the first problem in it. Exit 0 if all are valid, else 2.\n";
      return exit_ok;
    }
    if (arg.size() > 1 && arg[0] == '-')
      throw UsageError(fmt::format("validate: unknown option \"{}\"", arg));
  }
  if (args.empty()) throw UsageError("validate needs at least one scenario file");
  int status = exit_ok;
  for (const std::string &file : args) {
    try {
      const scenarios::Scenario s = scenarios::load_scenario_file(file);
      print_warnings(s);
      std::uint32_t agents = 0;
      for (const auto &g : s.organisation.agent_groups)
        agents += g.headcount;
      std::cout << fmt::format(
          "{}: ok ({} agents in {} group{} at {} site{}, {:g} cases a "
          "month, {} warning{})\n",
          file, agents, s.organisation.agent_groups.size(),
          s.organisation.agent_groups.size() == 1 ? "" : "s", s.organisation.sites.size(),
          s.organisation.sites.size() == 1 ? "" : "s", s.organisation.demand.cases_per_month,
          s.warnings.size(), s.warnings.size() == 1 ? "" : "s");
    } catch (const scenarios::ScenarioError &e) {
      std::cerr << "supportsim: error: " << e.what() << '\n';
      status = exit_bad_input;
    }
  }
  return status;
}

} // namespace

int plan_command(const std::vector<std::string> &args) {
  po::options_description options("Options for plan");
  options.add_options()("help,h", "this text")(
      "vary-headcount", po::value<std::vector<std::string>>()->value_name("PATTERNS"),
      "the agent groups the plan may change: names or REGION-TIER labels, * for any characters, "
      "separated by commas (\"EMEA-*,AMER-L1,tokyo-l1\"); may be repeated. Required")(
      "targets", po::value<std::string>()->default_value("default"),
      "default (the scenario's attainment targets), or overrides: P1=0.97,P3=92%")(
      "confidence", po::value<std::string>()->default_value("ci"),
      "ci: the 95% confidence interval's lower bound must reach each target; mean: the mean")(
      "max-evaluations", po::value<std::string>()->default_value("400"),
      "headcounts simulated at most")("format", po::value<std::string>()->default_value("table"),
                                      "table or json, on stdout")(
      "out", po::value<std::string>()->value_name("DIR"),
      "also write plan.json and plan-scenario.json (the plan as a what-if that extends the "
      "scenario) into DIR");
  options.add(
      replication_options("replications per headcount simulated (default: the scenario's)"));
  const po::variables_map vm = parse(args, options);
  if (vm.count("help"))
    return print_help(
        "Usage: supportsim plan [SCENARIO.json] --vary-headcount PATTERNS [options]\n\n"
        "Searches for the cheapest starting headcount of the chosen agent groups that "
        "meets every\nregion's SLA attainment target for every priority: from the Erlang "
        "forecast, adding\nagents where they cut the shortfall most per unit of cost, "
        "then lowering each group,\nmost expensive first; the plan is confirmed on fresh "
        "random numbers (docs/plan.md).\n\n",
        options);
  const std::string format = choice(vm, "format", {"table", "json"});
  const std::string confidence = choice(vm, "confidence", {"ci", "mean"});
  if (!vm.count("vary-headcount"))
    throw UsageError("plan needs --vary-headcount PATTERNS: the agent groups it may change");
  const scenarios::Scenario scenario = scenario_argument(vm, "plan");
  print_warnings(scenario);

  analysis::PlanOptions plan;
  std::vector<std::string> patterns;
  for (const std::string &list : vm["vary-headcount"].as<std::vector<std::string>>())
    for (std::size_t at = 0; at <= list.size();) {
      const std::size_t comma = std::min(list.find(',', at), list.size());
      if (comma > at) patterns.push_back(list.substr(at, comma - at));
      at = comma + 1;
    }
  try {
    plan.groups = analysis::match_groups(scenario.organisation, patterns);
  } catch (const analysis::PlanError &e) {
    throw UsageError(fmt::format("--vary-headcount: {}", e.what()));
  }
  try {
    plan.targets = analysis::parse_targets(vm["targets"].as<std::string>(), scenario);
  } catch (const analysis::PlanError &e) {
    throw UsageError(fmt::format("--targets: {}", e.what()));
  }
  plan.with_confidence = confidence == "ci";
  const Replication replication = replication_arguments(vm, 2);
  plan.seed = replication.seed.value_or(scenario.seed);
  plan.replications = replication.replications.value_or(scenario.replications);
  plan.jobs = replication.jobs;
  if (plan.replications < 2 && plan.with_confidence)
    throw UsageError("plan --confidence ci needs at least 2 replications; use --replications");
  plan.max_evaluations =
      static_cast<std::uint32_t>(whole_number(vm, "max-evaluations", 2, 1000000));
  if (vm.count("out")) analysis::prepare_output_folder(vm["out"].as<std::string>());

  // Progress on a terminal only: one line, rewritten.
  const auto started = std::chrono::steady_clock::now();
  ProgressBar progress(::isatty(STDERR_FILENO) == 1);
  plan.progress = [&](std::uint32_t evaluations, std::string_view step) {
    progress.status(fmt::format("plan: {} headcounts simulated · {}", evaluations, step));
  };
  const analysis::PlanResult result = analysis::plan_headcount(scenario, plan);
  progress.finish();
  const std::string json = analysis::render_plan_json(result, scenario, SUPPORTSIM_VERSION);
  if (vm.count("out")) {
    std::vector<std::pair<std::string, std::string>> files{{"plan.json", json}};
    if (result.plan)
      files.emplace_back("plan-scenario.json", analysis::render_plan_scenario(result, scenario));
    analysis::write_files_atomically(vm["out"].as<std::string>(), files);
  }
  std::cout << (format == "json" ? json : analysis::render_plan_table(result, scenario));
  std::cout.flush();
  if (!std::cout) throw std::runtime_error("cannot write the plan to standard output");
  const std::chrono::duration<double> took = std::chrono::steady_clock::now() - started;
  std::cerr << fmt::format("supportsim: {} headcounts simulated in {:.1f} s\n", result.evaluations,
                           took.count());
  return exit_ok;
}

int main(int argc, char **argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  try {
    if (args.empty()) {
      std::cerr << usage;
      return exit_bad_input;
    }
    const std::string command = args[0];
    args.erase(args.begin());
    if (command == "--help" || command == "-h" || command == "help") {
      std::cout << usage;
      return exit_ok;
    }
    if (command == "--version" || command == "-V") {
      std::cout << "supportsim " << SUPPORTSIM_VERSION << '\n';
      return exit_ok;
    }
    if (command == "run") return run_command(args);
    if (command == "synth") return synth_command(args);
    if (command == "fit") return fit_command(args);
    if (command == "forecast") return forecast_command(args);
    if (command == "plan") return plan_command(args);
    if (command == "validate") return validate_command(args);
    if (command == "sweep") return sweep_command(args);
    if (command == "merge") return merge_command(args);
    if (command == "show") {
      if (args.size() > 1) throw UsageError("show takes at most one scenario file");
      std::cout << scenarios::dump_scenario(args.empty() ? scenarios::default_scenario()
                                                         : scenarios::load_scenario_file(args[0]));
      std::cout.flush();
      return std::cout ? exit_ok : exit_internal;
    }
    if (command == "schema") return schema_command(args);
    throw UsageError(fmt::format(
        "unknown command \"{}\"; expected run, forecast, plan, sweep, merge, synth, fit, "
        "validate, show or schema",
        command));
  } catch (const scenarios::ScenarioError &e) {
    std::cerr << "supportsim: error: " << e.what() << '\n';
    return exit_bad_input;
  } catch (const scenarios::ArrivalsError &e) {
    std::cerr << "supportsim: error: " << e.what() << '\n';
    return exit_bad_input;
  } catch (const analysis::OutputError &e) {
    std::cerr << "supportsim: error: " << e.what() << '\n';
    return exit_bad_input;
  } catch (const scenarios::OverrideError &e) {
    std::cerr << "supportsim: error: " << e.what() << '\n';
    return exit_bad_input;
  } catch (const analysis::SweepError &e) {
    std::cerr << "supportsim: error: " << e.what() << '\n';
    return exit_bad_input;
  } catch (const UsageError &e) {
    std::cerr << "supportsim: error: " << e.what() << "\nTry 'supportsim --help'.\n";
    return exit_bad_input;
  } catch (const po::error &e) {
    std::cerr << "supportsim: error: " << e.what() << "\nTry 'supportsim --help'.\n";
    return exit_bad_input;
  } catch (const std::exception &e) {
    std::cerr << "supportsim: internal error: " << e.what() << '\n';
    return exit_internal;
  }
}
