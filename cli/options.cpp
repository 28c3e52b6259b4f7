#include "cli/options.hpp"

#include "analysis/output/output.hpp"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <fmt/format.h>
#include <iostream>
#include <limits>
#include <sstream>
#include <stdexcept>

namespace supportsim::cli {

UsageError::UsageError(const std::string &problem)
    : InputError(problem + "\nTry 'supportsim --help'.") {}

std::string listed(Words words) {
  std::string text;
  for (std::size_t i = 0; i < words.size(); ++i) {
    text += i == 0 ? "" : i + 1 == words.size() ? " or " : ", ";
    text += words[i];
  }
  return text;
}

po::variables_map parse(const Arguments &args, const po::options_description &options) {
  po::options_description hidden;
  hidden.add_options()("argument", po::value<std::vector<std::string>>());
  po::options_description all;
  all.add(options).add(hidden);
  po::positional_options_description positional;
  positional.add("argument", -1);
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(args).options(all).positional(positional).run(), vm);
    po::notify(vm);
  } catch (const po::error &e) {
    throw UsageError(e.what());
  }
  return vm;
}

std::vector<std::string> arguments(const po::variables_map &vm) {
  return vm.count("argument") ? vm["argument"].as<std::vector<std::string>>()
                              : std::vector<std::string>{};
}

StdoutError::StdoutError(int error)
    : std::runtime_error(fmt::format("cannot write to standard output: {}", std::strerror(error))) {
}

void print_stdout(std::string_view text) {
  std::cout << text;
  std::cout.flush();
  if (!std::cout) throw StdoutError(errno);
}

po::options_description command_options(const char *command) {
  po::options_description options(fmt::format("Options for {}", command));
  options.add_options()("help,h", "this text");
  return options;
}

int run_with_options(const Arguments &args, const po::options_description &options,
                     std::string_view usage, int (*command)(const po::variables_map &vm)) {
  const po::variables_map vm = parse(args, options);
  if (!vm.count("help")) return command(vm);
  std::ostringstream help;
  help << usage << options;
  print_stdout(help.str());
  return exit_ok;
}

std::string choice(const po::variables_map &vm, const char *name, Words words) {
  const std::string value = vm[name].as<std::string>();
  if (std::find(words.begin(), words.end(), value) != words.end()) return value;
  throw UsageError(fmt::format("--{}: expected {}, found \"{}\"", name, listed(words), value));
}

void add_format_option(po::options_description &options, Words formats) {
  options.add_options()("format", po::value<std::string>()->default_value(std::string(formats[0])),
                        fmt::format("{}, on stdout", listed(formats)).c_str());
}

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

po::options_description replication_options(const char *replications_help) {
  po::options_description options;
  options.add_options()("seed", po::value<std::string>()->value_name("N"),
                        "master seed (default: the scenario's)")(
      "replications", po::value<std::string>()->value_name("R"),
      replications_help)("jobs", po::value<std::string>()->value_name("N"),
                         "threads (default: one per core). Results do not depend on it")(
      "max-open-cases", po::value<std::string>()->value_name("N"),
      fmt::format("stop a replication that holds more than N cases open at once (default {}): "
                  "memory follows the open cases, about 250 bytes each",
                  models::default_max_open_cases)
          .c_str());
  return options;
}

Replication replication_arguments(const po::variables_map &vm, std::uint64_t least_replications) {
  Replication r;
  r.seed = seed_argument(vm);
  if (vm.count("replications"))
    r.replications =
        static_cast<std::uint32_t>(whole_number(vm, "replications", least_replications, 100000));
  r.jobs = jobs_argument(vm);
  if (vm.count("max-open-cases"))
    r.max_open_cases = static_cast<std::uint32_t>(
        whole_number(vm, "max-open-cases", 1, std::numeric_limits<std::uint32_t>::max()));
  return r;
}

void apply(const Replication &replication, scenarios::Scenario &scenario) {
  if (replication.max_open_cases)
    scenario.organisation.max_open_cases = *replication.max_open_cases;
}

std::optional<std::uint64_t> seed_argument(const po::variables_map &vm) {
  if (!vm.count("seed")) return std::nullopt;
  return whole_number(vm, "seed", 0, std::numeric_limits<std::int64_t>::max());
}

unsigned jobs_argument(const po::variables_map &vm) {
  return vm.count("jobs") ? static_cast<unsigned>(whole_number(vm, "jobs", 1, 1024)) : 0;
}

std::optional<std::string> output_folder(const po::variables_map &vm, bool set) {
  if (!vm.count("out")) return std::nullopt;
  const std::string folder = vm["out"].as<std::string>();
  analysis::prepare_output_folder(folder);
  const std::string why = set ? analysis::why_replaced_file_by_file(folder) : std::string();
  if (!why.empty())
    std::cerr << fmt::format("supportsim: warning: --out {}: {}, so its files are replaced one by "
                             "one, not as a whole: a run killed while it writes them may leave "
                             "old and new files mixed\n",
                             folder, why);
  return folder;
}

std::optional<std::string> scenario_path(const po::variables_map &vm, const char *command) {
  const std::vector<std::string> files = arguments(vm);
  if (files.size() > 1)
    throw UsageError(fmt::format("{} takes one scenario file, found {}", command, files.size()));
  if (files.empty()) return std::nullopt;
  return files[0];
}

scenarios::Scenario scenario_argument(const po::variables_map &vm, const char *command) {
  const std::optional<std::string> path = scenario_path(vm, command);
  return path ? scenarios::load_scenario_file(*path) : scenarios::default_scenario();
}

void print_warning(std::string_view warning) {
  std::cerr << "supportsim: warning: " << scenarios::printable(warning) << '\n';
}

void print_warnings(const scenarios::Scenario &s) {
  for (const std::string &w : s.warnings)
    print_warning(w);
}

std::vector<int> sl_thresholds(const po::variables_map &vm) {
  if (!vm.count("sl-seconds")) return {};
  const std::string text = vm["sl-seconds"].as<std::string>();
  std::vector<int> out;
  std::size_t from = 0;
  while (from <= text.size()) {
    const std::size_t comma = std::min(text.find(',', from), text.size());
    int value = 0;
    const auto [end, error] = std::from_chars(text.data() + from, text.data() + comma, value);
    if (error != std::errc{} || end != text.data() + comma || value < 0 || value > 86400)
      throw UsageError(fmt::format(
          "--sl-seconds: expected seconds from 0 to 86400 separated by commas, found \"{}\"",
          text));
    if (std::find(out.begin(), out.end(), value) != out.end())
      throw UsageError(
          fmt::format("--sl-seconds: {} is given twice; give each threshold once", value));
    out.push_back(value);
    from = comma + 1;
  }
  if (out.size() > 8) throw UsageError("--sl-seconds: at most 8 thresholds");
  return out;
}

} // namespace supportsim::cli
