#pragma once

// What-ifs without arithmetic: changes stated relative to the base's values, applied while an
// overlay is merged over its base ("extends", an options file's "override"). A change is an
// object in place of a value: {"add": N} adds to a number, {"add": [...]} appends to an array,
// {"times": F} multiplies a number, a distribution or an object of them; a region's
// "volume_factor" scales its cases and keeps the other regions'. None of them survives the
// merge: the merged document holds plain values only, which the schema then checks.
// docs/scenario-format.md#changes-relative-to-the-base.

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace supportsim::scenarios::detail {

/// Whether `overlay` is a change of the base's value rather than a value: an object with one
/// key, "times", or "add" with a value that is not a boolean (a named element's "add": true
/// adds the element, which is not a change).
bool is_change(const nlohmann::json &overlay);

/// The value `change` (is_change) makes of `base` (nullptr where the base has none). Throws
/// ScenarioError(source, pointer) for a change that does not fit the base's value:
///
///   what-if.json: /agent_groups/7/headcount/add: expected a number to add to the base's
///   number, found "2"
nlohmann::json apply_change(const nlohmann::json *base, const nlohmann::json &change,
                            const std::string &source, const std::string &pointer);

/// Throws ScenarioError(source, its pointer) for the first change or "volume_factor" left in
/// `doc`: one in a file that extends nothing, or inside an element that is new (there is no
/// base value to change).
void reject_changes(const nlohmann::json &doc, const std::string &source);

/// A region's "volume_factor" of an overlay, taken out of it before the merge.
struct VolumeFactor {
  std::string region;
  double factor = 1;
  std::string pointer; ///< of the volume_factor in the overlay
};

/// Takes every region's "volume_factor" out of `overlay` (under `pointer`), checking that the
/// overlay does not also state what the factors recompute: demand.cases_per_month, a region's
/// demand_share, a region added or removed.
std::vector<VolumeFactor> take_volume_factors(nlohmann::json &overlay, const std::string &source,
                                              const std::string &pointer);

/// Sets `merged`'s demand.cases_per_month and every region's demand_share so that each region
/// named in `factors` has its volume in `base` (cases_per_month × demand_share) times its factor
/// and every other region its volume in `base`.
void apply_volume_factors(const nlohmann::json &base, nlohmann::json &merged,
                          const std::vector<VolumeFactor> &factors, const std::string &source);

/// An agent group's REGION-TIER label in a scenario document `root` ("EMEA-L1"), defaults
/// applied as the loader applies them (the first site, its region, the first tier).
std::string group_label(const nlohmann::json &root, const nlohmann::json &group);

} // namespace supportsim::scenarios::detail
