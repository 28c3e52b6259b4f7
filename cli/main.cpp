// The supportsim command line: the only main() and the only user of Boost.Program_options.
// main() finds the command in the table below and runs it; every bad input, whatever the
// command, is a scenarios::InputError, printed here once and exit code 2.
#include "analysis/output/temporary.hpp"
#include "cli/commands/commands.hpp"
#include "cli/options.hpp"
#include "cli/usage.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>
#include <exception>
#include <fcntl.h>
#include <fmt/format.h>
#include <iostream>
#include <string>
#include <string_view>
#include <unistd.h>
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
    print_stdout(usage_text());
    return exit_ok;
  }
  if (name == "--version" || name == "-V") {
    print_stdout(fmt::format("supportsim {}\n", SUPPORTSIM_VERSION));
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

/// Makes sure descriptors 0, 1 and 2 are open. Started with one closed (`supportsim show >&-`),
/// the first file the program opens would take its number, and the report meant for stdout
/// would be written into it. A closed stdout or stderr becomes /dev/null opened for reading
/// only, so writes to it still fail (EBADF, as on the closed descriptor) and are reported.
void keep_standard_descriptors() {
  for (const int fd : {STDIN_FILENO, STDOUT_FILENO, STDERR_FILENO}) {
    if (::fcntl(fd, F_GETFD) != -1 || errno != EBADF) continue;
    const int opened = ::open("/dev/null", fd == STDIN_FILENO ? O_WRONLY : O_RDONLY);
    if (opened >= 0 && opened != fd) {
      ::dup2(opened, fd);
      ::close(opened);
    }
  }
}

/// The exit code, once what is left in stdout's buffer is written: the one check of stdout for
/// every command, so a failed write is never a silent success (docs/reliability.md).
int with_stdout_checked(int code) {
  std::cout.flush();
  const bool written = static_cast<bool>(std::cout) && std::fflush(stdout) == 0;
  if (written && !std::ferror(stdout)) return code;
  const int error = errno;
  std::cerr << "supportsim: error: " << StdoutError(error ? error : EIO).what() << '\n';
  return code == exit_ok ? exit_internal : code;
}

} // namespace

int main(int argc, char **argv) {
  keep_standard_descriptors();
  supportsim::analysis::remove_temporaries_on_signals();
  try {
    return with_stdout_checked(dispatch(Arguments(argv + 1, argv + argc)));
  } catch (const supportsim::scenarios::InputError &e) {
    std::cerr << "supportsim: error: " << e.what() << '\n';
    return with_stdout_checked(exit_bad_input);
  } catch (const StdoutError &e) {
    std::cerr << "supportsim: error: " << e.what() << '\n';
    return exit_internal;
  } catch (const std::exception &e) {
    std::cerr << "supportsim: internal error: " << e.what() << '\n';
    return with_stdout_checked(exit_internal);
  }
}
