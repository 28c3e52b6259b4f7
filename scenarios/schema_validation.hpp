#pragma once
// Internal to the scenarios library: checks a scenario document against scenarios/schema.json.

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace supportsim::scenarios::detail {

/// Checks `doc` against the scenario schema (with valijson) and throws ScenarioError for the
/// first problem: the file `source`, the JSON pointer of the offending value, and what the
/// schema expects there, e.g. "expected a whole number from 0 to 100000, found -3"; an unknown
/// key gets the nearest known key as a suggestion.
void validate_against_schema(const nlohmann::json &doc, const std::string &source);

/// A value as the user wrote it, for "found ...": -3, the string "ten", an array of 2.
std::string describe(const nlohmann::json &v);

/// `pointer` + "/" + `key`, the key escaped as RFC 6901 asks ("~" as "~0", "/" as "~1").
std::string child_pointer(const std::string &pointer, std::string_view key);

} // namespace supportsim::scenarios::detail
