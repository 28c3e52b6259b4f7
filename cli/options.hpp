#pragma once

// What every command shares: the exit codes, the command line's own input error, and reading
// options (checked: a mistake is a UsageError naming the option, never a silent default).

#include "scenarios/input_error.hpp"
#include "scenarios/scenario.hpp"

#include <boost/program_options.hpp>
#include <cstdint>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace supportsim::cli {

namespace po = boost::program_options;

/// A command's arguments, its name left out: {"scenarios/default.json", "--seed", "7"}.
using Arguments = std::vector<std::string>;

/// The few words an option takes, in the order a message lists them: {"table", "json"}.
using Words = std::span<const std::string_view>;

constexpr int exit_ok = 0;
constexpr int exit_internal = 1;  ///< anything that is not the input's fault
constexpr int exit_bad_input = 2; ///< every scenarios::InputError

/// A mistake on the command line. what() is the message and, on a line of its own, the hint
/// "Try 'supportsim --help'.", so that main prints every input error the same way.
class UsageError : public scenarios::InputError {
public:
  explicit UsageError(const std::string &problem);
};

/// `words` as a sentence lists them: "table, csv or json".
std::string listed(Words words);

/// Parses a command's arguments: its options, and the rest as positional arguments. Boost's
/// own errors (an unknown option, a missing value) become UsageErrors with Boost's message.
po::variables_map parse(const Arguments &args, const po::options_description &options);

/// The positional arguments parse() found.
std::vector<std::string> arguments(const po::variables_map &vm);

/// Standard output could not be written (closed, a full disk, an I/O error): main() says so on
/// stderr and exits exit_internal, whatever the command. A reader that closed a pipe early
/// (`| head`) ends the program by SIGPIPE before this, quietly, as it does cat or grep.
class StdoutError : public std::runtime_error {
public:
  explicit StdoutError(int error); ///< `error` an errno value
};

/// `text` on stdout, flushed; throws StdoutError if it cannot be written. Every command's
/// output to stdout goes through here.
void print_stdout(std::string_view text);

/// The options of `command`, captioned "Options for COMMAND", with --help first.
po::options_description command_options(const char *command);

/// Runs a command that takes options: parses `args` against `options`; with --help prints
/// `usage` and the options on stdout, otherwise returns what `command` returns for them.
int run_with_options(const Arguments &args, const po::options_description &options,
                     std::string_view usage, int (*command)(const po::variables_map &vm));

/// The value of an option that takes one of a few words (it has a default), checked:
/// "--format: expected table, csv or json, found \"xml\"".
std::string choice(const po::variables_map &vm, const char *name, Words words);

/// Adds --format, one of `formats` (the first by default), and its help "table or json, on
/// stdout". Read it with choice(vm, "format", formats).
void add_format_option(po::options_description &options, Words formats);

/// The value of a numeric option, checked: digits only, within [lo, hi].
std::uint64_t whole_number(const po::variables_map &vm, const char *name, std::uint64_t lo,
                           std::uint64_t hi);

/// --seed, --replications and --jobs, as run, sweep and plan take them. Numbers are read as
/// text and checked by replication_arguments(): Boost would read "-1" into an unsigned as
/// 4294967295 without a word.
po::options_description replication_options(const char *replications_help);

/// The values of replication_options(), checked; those not given are left empty (the
/// scenario's apply) and jobs 0 (one thread per core).
struct Replication {
  std::optional<std::uint64_t> seed;
  std::optional<std::uint32_t> replications;
  unsigned jobs = 0;
  std::optional<std::uint32_t> max_open_cases;
};
Replication replication_arguments(const po::variables_map &vm,
                                  std::uint64_t least_replications = 1);

/// --seed alone, checked (synth takes it without the other replication options).
std::optional<std::uint64_t> seed_argument(const po::variables_map &vm);
/// --jobs alone, checked; 0 (one thread per core) when not given.
unsigned jobs_argument(const po::variables_map &vm);

/// Lays --max-open-cases, if given, over a scenario (for commands that run it themselves).
void apply(const Replication &replication, scenarios::Scenario &scenario);

/// Lays `replication` over the options of analysis::run_experiment or run_sweep.
template <class RunOptions> void apply(const Replication &replication, RunOptions &run) {
  run.seed = replication.seed;
  run.replications = replication.replications;
  run.jobs = replication.jobs;
  run.max_open_cases = replication.max_open_cases;
}

/// The folder of --out, made ready before anything runs (so a bad one is found before the
/// simulation, not after it); empty without --out. For a result set (`set`), a named warning
/// if the folder cannot be replaced as a whole (analysis::why_replaced_file_by_file).
std::optional<std::string> output_folder(const po::variables_map &vm, bool set = true);

/// The scenario file of a command taking at most one: its path, or none for the embedded default.
std::optional<std::string> scenario_path(const po::variables_map &vm, const char *command);

/// The scenario of a command taking at most one scenario file: that file, or the embedded
/// default.
scenarios::Scenario scenario_argument(const po::variables_map &vm, const char *command);

/// Warnings are things allowed but probably not meant; they go to stderr and do not stop a run.
void print_warnings(const scenarios::Scenario &s);
/// "supportsim: warning: WARNING" on stderr, non-printable bytes escaped (the warning may quote
/// the input).
void print_warning(std::string_view warning);

/// The thresholds of `--sl-seconds S[,S...]` (run, backtest): 0 to 86400 seconds, at most 8;
/// empty when the option is not given. A UsageError otherwise.
std::vector<int> sl_thresholds(const po::variables_map &vm);

} // namespace supportsim::cli
