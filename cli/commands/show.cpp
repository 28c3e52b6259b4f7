// `supportsim show`: a scenario as supportsim reads it, extends resolved and every default
// filled in.
#include "cli/commands/commands.hpp"
#include "scenarios/scenario.hpp"

namespace supportsim::cli {

int show_command(const Arguments &args) {
  if (args.size() > 1) throw UsageError("show takes at most one scenario file");
  print_stdout(scenarios::dump_scenario(args.empty() ? scenarios::default_scenario()
                                                     : scenarios::load_scenario_file(args[0])));
  return exit_ok;
}

} // namespace supportsim::cli
