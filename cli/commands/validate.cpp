// `supportsim validate FILE...`: checks scenario files without running them.
#include "analysis/forecast/capacity.hpp"
#include "cli/commands/commands.hpp"
#include "scenarios/document.hpp"
#include "scenarios/scenario.hpp"

#include <cstdint>
#include <fmt/format.h>
#include <iostream>

namespace supportsim::cli {

namespace {

/// Whether `doc` is a JSON Schema rather than a scenario: its "$schema" names a draft of JSON
/// Schema (a scenario's, if any, names the schema file).
bool is_json_schema(const nlohmann::json &doc) {
  if (!doc.is_object() || !doc.contains("$schema") || !doc["$schema"].is_string()) return false;
  const std::string &uri = doc["$schema"].get_ref<const std::string &>();
  return uri.starts_with("http://json-schema.org/") || uri.starts_with("https://json-schema.org/");
}

/// "FILE: ok (...)", or the problem on stderr: exit_ok or exit_bad_input. Only a scenario's own
/// error is reported here and the next file checked; any other stops the command.
int validate_file(const std::string &file) {
  try {
    // `validate scenarios/*.json` takes in the schema beside the scenarios: say so, and go on.
    if (is_json_schema(scenarios::read_json_file(file, "a scenario file (.json)"))) {
      print_stdout(fmt::format("{}: skipped: a JSON Schema (such as scenarios/schema.json), not a "
                               "scenario\n",
                               file));
      return exit_ok;
    }
    scenarios::Scenario s = scenarios::load_scenario_file(file);
    // Offered work far beyond what the agents can serve is allowed (a what-if may mean it),
    // but a run of it fills memory with open cases: said here, before anything runs.
    for (std::string &w : analysis::capacity_warnings(analysis::forecast_capacity(s), s))
      s.warnings.push_back(std::move(w));
    print_warnings(s);
    std::uint32_t agents = 0;
    for (const auto &g : s.organisation.agent_groups)
      agents += g.headcount;
    print_stdout(fmt::format(
        "{}: ok ({} agents in {} group{} at {} site{}, {:g} cases a "
        "month, {} warning{})\n",
        file, agents, s.organisation.agent_groups.size(),
        s.organisation.agent_groups.size() == 1 ? "" : "s", s.organisation.sites.size(),
        s.organisation.sites.size() == 1 ? "" : "s", s.organisation.demand.cases_per_month,
        s.warnings.size(), s.warnings.size() == 1 ? "" : "s"));
    return exit_ok;
  } catch (const scenarios::ScenarioError &e) {
    std::cerr << "supportsim: error: " << e.what() << '\n';
    return exit_bad_input;
  }
}

} // namespace

int validate_command(const Arguments &args) {
  for (const std::string &arg : args) {
    if (arg == "--help" || arg == "-h") {
      print_stdout("Usage: supportsim validate FILE...\n\nChecks each scenario file and prints "
                   "\"FILE: ok\" or the first problem in it (a JSON Schema, such as "
                   "scenarios/schema.json, is skipped with a note). Exit 0 if all are valid, else "
                   "2.\n");
      return exit_ok;
    }
    if (arg.size() > 1 && arg[0] == '-')
      throw UsageError(fmt::format("validate: unknown option \"{}\"", arg));
  }
  if (args.empty()) throw UsageError("validate needs at least one scenario file");
  int status = exit_ok;
  for (const std::string &file : args)
    if (validate_file(file) != exit_ok) status = exit_bad_input;
  return status;
}

} // namespace supportsim::cli
