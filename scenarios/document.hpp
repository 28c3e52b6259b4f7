#pragma once

// The scenario as a JSON document: what the loader reads before it validates, with "extends"
// resolved. Loading a scenario is exactly load_scenario_document() then
// parse_scenario_document(); sweeps (scenarios/override.hpp) change the document in between.

#include "scenarios/input_file.hpp"
#include "scenarios/scenario.hpp"

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace supportsim::scenarios {

/// The name a scenario at `path` goes by in errors and reports: the path itself, or
/// "(embedded default)" for the empty path.
std::string scenario_source_name(const std::string &path);

/// The document of the scenario file at `path` with its "extends" chain resolved (bases laid
/// under it with merge_scenario_documents()), not yet validated. The empty path is the embedded
/// default, as when the CLI is given no scenario file. Throws ScenarioError for a file that
/// cannot be read, is not JSON, or extends something that cannot be.
///
///   const nlohmann::json doc = load_scenario_document("scenarios/emea-hiring-freeze.json");
nlohmann::json load_scenario_document(const std::string &path);

/// Validates a resolved document and reads it into a Scenario; `source` names it in errors and
/// becomes Scenario::source. Throws ScenarioError naming the place and what was expected.
Scenario parse_scenario_document(const nlohmann::json &doc, const std::string &source);

/// Lays `overlay` over `base` as "extends" does: objects merge key by key (null deletes a key),
/// arrays of named objects merge element by element by "name" ("remove": true deletes one, and
/// a new name is appended only with "add": true, unless the base's array is empty; an empty
/// array replaces), anything else is replaced. Changes relative to the base ({"add": N},
/// {"times": F}, {"add": [...]}, a region's "volume_factor") are computed from the base's values,
/// and an agent group named by a REGION-TIER label or a pattern with '*' stands for every group
/// it selects (scenarios/changes.hpp). Throws ScenarioError(source, the pointer in the overlay
/// under `pointer`) for a name the base does not have without "add" (naming the nearest names),
/// one to remove that it does not have, "add" for a name it has, a pattern that selects
/// nothing, or a change that does not fit the base.
void merge_scenario_documents(nlohmann::json &base, const nlohmann::json &overlay,
                              const std::string &source = "(overlay)",
                              const std::string &pointer = "");

/// Reads a JSON file (not necessarily a scenario; `what` says what it should be, for messages)
/// as every JSON input is read: read_input_file()'s checks and size cap, then parse_json_text().
/// Throws ScenarioError naming the file and, for bad JSON, the line and column.
nlohmann::json read_json_file(const std::string &path, const char *what = "a JSON file",
                              std::uintmax_t max_bytes = max_json_file_bytes);

/// Parses JSON text as every JSON input is parsed. Throws ScenarioError naming `source` with
/// the line and column for text that is not JSON, the number for one a double cannot hold
/// ("1e400"), and the JSON pointer for a key given twice in one object.
nlohmann::json parse_json_text(std::string_view text, const std::string &source);

} // namespace supportsim::scenarios
