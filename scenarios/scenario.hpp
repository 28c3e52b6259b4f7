#pragma once

#include "models/organisation.hpp"
#include "models/priority.hpp"
#include "sim/clock.hpp"
#include "sim/time.hpp"

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

namespace supportsim::scenarios {

/// First-response SLA policy: the target time per priority, and the share of cases that must
/// meet it (the attainment target the report compares against).
struct SlaPolicy {
  models::PerPriority<sim::Duration> first_response{
      sim::Duration::minutes(15), sim::Duration::minutes(60), sim::Duration::hours(8),
      sim::Duration::hours(24)};
  models::PerPriority<double> attainment_target{0.95, 0.95, 0.90, 0.90};
};

/// A validated scenario: the organisation to simulate, how to run it, and what it is held to.
struct Scenario {
  std::string name;
  std::string description;
  std::string source; ///< the file it came from, or "(embedded default)"
  sim::UtcTime start = sim::parse_utc("2027-01-04"); ///< the UTC instant simulated time 0 is
  std::uint64_t seed = 1;
  std::uint32_t replications = 10;
  sim::Duration warmup = sim::Duration::days(0); ///< excluded from every metric
  models::OrganisationConfig organisation;       ///< horizon includes the warm-up
  SlaPolicy sla;
};

/// A scenario file is wrong. what() is one line: "FILE: /json/pointer: expected X, found Y".
class ScenarioError : public std::runtime_error {
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
