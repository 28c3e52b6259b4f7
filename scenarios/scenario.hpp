#pragma once

#include "models/organisation.hpp"
#include "models/priority.hpp"
#include "scenarios/input_error.hpp"
#include "sim/clock.hpp"
#include "sim/time.hpp"

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace supportsim::scenarios {

/// What the report holds the organisation to: the share of cases that must meet their
/// first-response target (the targets themselves are the organisation's service levels,
/// models::ServiceLevels), and the operating goals beside it.
struct SlaPolicy {
  /// Share of cases that must meet the SLA, per priority (P1/P2 95 %, P3/P4 90 %).
  models::PerPriority<double> attainment_target{0.95, 0.95, 0.90, 0.90};
  double utilisation_target = 0.85;    ///< at least
  double forecast_variance_max = 0.10; ///< |simulated - forecast| / forecast, at most
  double regional_spread_max = 0.15;   ///< coefficient of variation across regions, at most
};

/// A validated scenario: the organisation to simulate, how to run it, and what it is held to.
struct Scenario {
  std::string name;
  std::string description;
  std::string source; ///< the file it came from, or "(embedded default)"
  std::uint64_t seed = 1;
  std::uint32_t replications = 10;
  sim::Duration warmup = sim::Duration::days(0); ///< excluded from every metric
  models::OrganisationConfig organisation;       ///< its horizon includes the warm-up
  SlaPolicy sla;
  /// Things that are allowed but probably not meant ("language ja is demanded but no agent
  /// speaks it"), each "FILE: /pointer: message"; the CLI prints them and carries on.
  std::vector<std::string> warnings;
};

/// A scenario file is wrong. what() is one line: "FILE: /json/pointer: expected X, found Y".
class ScenarioError : public InputError {
public:
  ScenarioError(std::string file, std::string pointer, std::string problem);
  const std::string &file() const { return file_; }
  const std::string &pointer() const { return pointer_; }
  const std::string &problem() const { return problem_; }

private:
  std::string file_, pointer_, problem_;
};

/// Reads and validates a scenario file. Throws ScenarioError naming the file and the place.
Scenario load_scenario_file(const std::string &path);
/// Validates scenario text; `source` names it in errors.
Scenario parse_scenario(std::string_view text, const std::string &source);
/// The scenario as a scenario file, every value explicit (defaults filled in, "extends"
/// resolved): what supportsim will run. Loading it gives the same scenario back.
std::string dump_scenario(const Scenario &scenario);
/// The embedded default: a small three-region organisation (scenarios/default.json).
Scenario default_scenario();
/// The text of the embedded default, as compiled in.
std::string_view default_scenario_text();
/// The JSON Schema of scenario files (scenarios/schema.json), as compiled in.
std::string_view scenario_schema_text();

} // namespace supportsim::scenarios
