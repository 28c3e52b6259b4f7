// The supportsim command line: the only main() and the only user of Boost.Program_options.
// main() finds the command in the table below and runs it; every bad input, whatever the
// command, is a scenarios::InputError, printed here once and exit code 2.
#include "cli/commands/commands.hpp"
#include "cli/options.hpp"
#include "cli/usage.hpp"

#include <algorithm>
#include <array>
#include <exception>
#include <fmt/format.h>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

namespace {

using namespace supportsim::cli;

/// A command: the name it is called by and the function (in cli/commands/) that runs it.
struct Command {
  std::string_view name;
  int (*run)(const Arguments &args);
};

/// Every command, in the order the "unknown command" message lists them; one line each.
// clang-format off
constexpr std::array commands{
    Command{"run", run_command},
    Command{"forecast", forecast_command},
    Command{"plan", plan_command},
    Command{"sweep", sweep_command},
    Command{"merge", merge_command},
    Command{"synth", synth_command},
    Command{"fit", fit_command},
    Command{"calibrate", calibrate_command},
    Command{"backtest", backtest_command},
    Command{"validate", validate_command},
    Command{"show", show_command},
    Command{"schema", schema_command},
};
// clang-format on

/// Runs the command named by the first argument; --help and --version are not commands.
int dispatch(Arguments args) {
  if (args.empty()) {
    std::cerr << usage_text();
    return exit_bad_input;
  }
  const std::string name = args[0];
  args.erase(args.begin());
  if (name == "--help" || name == "-h" || name == "help") {
    std::cout << usage_text();
    return exit_ok;
  }
  if (name == "--version" || name == "-V") {
    std::cout << "supportsim " << SUPPORTSIM_VERSION << '\n';
    return exit_ok;
  }
  const auto command = std::find_if(commands.begin(), commands.end(),
                                    [&](const Command &c) { return c.name == name; });
  if (command != commands.end()) return command->run(args);
  std::vector<std::string_view> names;
  for (const Command &c : commands)
    names.push_back(c.name);
  throw UsageError(fmt::format("unknown command \"{}\"; expected {}", name, listed(names)));
}

} // namespace

int main(int argc, char **argv) {
  try {
    return dispatch(Arguments(argv + 1, argv + argc));
  } catch (const supportsim::scenarios::InputError &e) {
    std::cerr << "supportsim: error: " << e.what() << '\n';
    return exit_bad_input;
  } catch (const std::exception &e) {
    std::cerr << "supportsim: internal error: " << e.what() << '\n';
    return exit_internal;
  }
}
