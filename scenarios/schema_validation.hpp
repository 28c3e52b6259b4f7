#pragma once
// Internal to the scenarios library: checks a scenario document against scenarios/schema.json.
// The tests use JsonSchema for the summary document's schema too.

#include <cstddef>
#include <limits>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace valijson {
class Schema;
}

namespace supportsim::scenarios::detail {

/// One failure valijson reports: where (as JSON pointer tokens, unescaped) and what.
struct SchemaProblem {
  std::vector<std::string> tokens; // {"agent_groups", "0", "headcount"}; empty: the document
  std::string description;         // valijson's words: "Missing required property 'name'."
  /// valijson reports a failure at every level it passed through, innermost first; the outer
  /// ones ("Failed to validate against schema associated with property name 'queues'") only
  /// repeat that something inside failed.
  bool summary = false;
  /// The RFC 6901 pointer of `tokens` ("/agent_groups/0/headcount"; "" for the document).
  std::string pointer() const;
};

/// A JSON Schema (draft 7) parsed once with valijson. Validating only reads it, so threads may
/// share one.
class JsonSchema {
public:
  explicit JsonSchema(const nlohmann::json &schema);
  ~JsonSchema();
  JsonSchema(const JsonSchema &) = delete;
  JsonSchema &operator=(const JsonSchema &) = delete;

  /// Every failure of `doc`, in valijson's order (innermost first); empty when `doc` is valid.
  std::vector<SchemaProblem> problems(const nlohmann::json &doc) const;

private:
  std::unique_ptr<valijson::Schema> schema_;
};

/// Checks `doc` against the scenario schema (with valijson) and throws ScenarioError for the
/// first problem: the file `source`, the JSON pointer of the offending value, and what the
/// schema expects there, e.g. "expected a whole number from 0 to 100000, found -3"; an unknown
/// key gets the nearest known key as a suggestion.
void validate_against_schema(const nlohmann::json &doc, const std::string &source);

/// A value as the user wrote it, for "found ...": -3, the string "ten", an array of 2.
std::string describe(const nlohmann::json &v);

/// `pointer` + "/" + `key`, the key escaped as RFC 6901 asks ("~" as "~0", "/" as "~1").
std::string child_pointer(const std::string &pointer, std::string_view key);

/// Levenshtein distance, ignoring ASCII case: "dns" is one step from nothing but "DNS". When
/// the distance exceeds `limit`, `limit` + 1 (computed no further than needed to know that).
std::size_t edit_distance(std::string_view a, std::string_view b,
                          std::size_t limit = std::numeric_limits<std::size_t>::max() - 1);

/// The candidate `word` was probably meant to be: the clear nearest by edit distance (ignoring
/// case), if it is near enough; "" when none is, or when two are equally near ("P5" is as near
/// to P1 as to P4, and suggesting either would mislead).
///
///   did_you_mean("ENEA", {"AMER", "EMEA", "APJC"}) == "EMEA"
std::string did_you_mean(std::string_view word, const std::vector<std::string> &candidates);

} // namespace supportsim::scenarios::detail
