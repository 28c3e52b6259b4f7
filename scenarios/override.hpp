#pragma once

// The options of a sweep as changes to a scenario document: numeric values found by a readable
// path and set from a --vary spec, or override blocks from an options file, each laid over the
// resolved base document and then validated by the ordinary loader. docs/sweep.md describes the
// paths, specs and files.

#include "scenarios/document.hpp"
#include "scenarios/input_error.hpp"
#include "scenarios/scenario.hpp"

#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace supportsim::scenarios {

/// A --vary option (its path or its spec) is wrong. what() is one line naming the option, what
/// was expected and, for a path, the nearest valid path.
class OverrideError : public InputError {
public:
  using InputError::InputError;
};

/// A numeric value of a scenario document.
struct ScenarioPath {
  std::string pointer; ///< RFC 6901 pointer into the document: "/agent_groups/3/headcount"
  /// The readable form: array elements by "name" where they have one, otherwise by index
  /// ("agent_groups.austin-l1.headcount", "regions.EMEA.hourly_profile.9"); the pointer when a
  /// name or key holds a dot (or is empty), which a dot path cannot spell.
  std::string dotted;
};

/// Finds the number `path` names in `doc`. `path` is a JSON pointer ("/agent_groups/3/headcount")
/// or a dot path ("agent_groups.austin-l1.headcount"), in which an array element is chosen by
/// its "name" or, failing that, by its index ("demand.hourly_profile.9"). Throws OverrideError
/// for a path that leads nowhere or to something other than a number, naming the path, what was
/// expected there and the nearest valid numeric path:
///
///   agent_groups.austin-l3.headcount: no agent group named "austin-l3"; did you mean
///   agent_groups.austin-l1.headcount?
ScenarioPath resolve_path(const nlohmann::json &doc, std::string_view path);

/// Every number in `doc`, in document order (keys sorted, array elements in order); "$schema"
/// is left out.
std::vector<ScenarioPath> numeric_paths(const nlohmann::json &doc);

/// Whether `text` matches `pattern`, where '*' matches any run of characters (none included)
/// and everything else itself (ignoring case if asked).
bool glob_match(std::string_view pattern, std::string_view text, bool ignore_case = false);

/// An agent group's REGION-TIER label: its site's region and its tier, "EMEA-L1".
std::string region_tier(const models::OrganisationConfig &organisation,
                        const models::AgentGroupConfig &group);

/// The agent groups (indices into organisation.agent_groups, ascending) whose name or
/// REGION-TIER label matches `pattern` (glob_match, case ignored): "EMEA-L1" is every L1 group
/// at EMEA's sites, "EMEA-*" every group there, "*-l1" every group whose name ends in "-l1".
/// Empty when none match. `plan --vary-headcount` and a sweep's group sets read patterns so.
std::vector<std::size_t> agent_groups_matching(const models::OrganisationConfig &organisation,
                                               std::string_view pattern);

/// A --vary of several agent groups' headcount at once: "agent_groups.SET.headcount" where SET
/// names no group but is a pattern of agent_groups_matching. A value is the set's total
/// headcount, split over its groups in proportion to their headcounts in the base (largest
/// remainders, ties to the earlier group; evenly when the base has none), so that
/// "agent_groups.EMEA-L1.headcount=40" gives EMEA's L1 groups 40 agents between them.
struct GroupSetPath {
  std::string dotted;                ///< as written: "agent_groups.EMEA-L1.headcount"
  std::vector<ScenarioPath> members; ///< each group's headcount, in document order
  std::vector<std::int64_t> base;    ///< their headcounts in the base document
};

/// The group set `path` names in `doc` (whose scenario, loaded from `source`, says each group's
/// region and tier), or nothing when `path` is not of that form or its SET matches no group.
/// Throws OverrideError when SET matches groups but the last segment is not "headcount".
std::optional<GroupSetPath> resolve_group_set(const nlohmann::json &doc, const std::string &source,
                                              std::string_view path);

/// `total` split over groups with headcounts `weights` as GroupSetPath describes. Both are
/// headcounts (at most max_group_set_headcount and the schema's 100000 a group), so no product
/// overflows.
std::vector<std::int64_t> split_headcount(std::int64_t total,
                                          const std::vector<std::int64_t> &weights);

/// The numeric paths whose dotted form matches `pattern` segment by segment, where '*' in a
/// segment matches any run of characters: "agent_groups.*-l1.headcount" gives the headcount of
/// every group whose name ends in "-l1". In document order; empty when none match.
std::vector<ScenarioPath> numeric_paths_matching(const nlohmann::json &doc,
                                                 std::string_view pattern);

/// The values of a --vary SPEC: a range "20..40/5" (both ends inclusive, the step 1 unless
/// given; the last value is the largest start + k·step not above the end) or a list "20,24,30".
/// Plain decimals only ("-2", "0.25"; no exponents). Whole values come back as JSON integers,
/// others as doubles read from their decimal text, so "0.1..0.3/0.1" gives exactly 0.1, 0.2 and
/// 0.3. Throws OverrideError for an empty, descending or zero-step range, a repeated value, or
/// more than max_vary_values values.
std::vector<nlohmann::json> parse_values(std::string_view spec);

/// At most this many values per --vary, and options per sweep.
inline constexpr std::size_t max_vary_values = 10000;

/// The largest total headcount a group set may be given.
inline constexpr std::int64_t max_group_set_headcount = 1000000;

/// One option of a sweep: its name and how its document differs from the base.
struct ScenarioOption {
  std::string name;
  /// Laid over the base first, with the merge of "extends" (an options file's "override").
  nlohmann::json overlay = nlohmann::json::object();
  /// Then each (JSON pointer, number) set in turn (a --vary grid point).
  std::vector<std::pair<std::string, nlohmann::json>> edits;
};

/// A sweep's options over one base scenario: option 0 is always the baseline, the base as it is.
struct SweepPlan {
  std::string source;                  ///< the base's file, or "(embedded default)"
  nlohmann::json base;                 ///< its document, extends resolved
  std::vector<ScenarioOption> options; ///< the baseline, the listed options, the grid
  std::vector<std::string> varied;     ///< the dotted path of each --vary (or group set), in order
};

/// The options of an options file: {"options": [{"name": "...", "override": {...}}, ...]}. Each
/// override is a partial scenario laid over the base as "extends" lays a what-if over its base.
/// Throws ScenarioError naming the file and the JSON pointer of the mistake.
std::vector<ScenarioOption> load_options_file(const std::string &path);

/// The plan of a sweep over `base` (a resolved document from `source`): the baseline, then
/// `listed` (from an options file), then one option per point of the grid of `vary` ("PATH=SPEC"
/// each, PATH a number's or a group set's; the first varies slowest), named from its settings
/// ("austin-l1.headcount=20, london-l1.headcount=14"). Every option must have a different name.
/// Throws OverrideError for a bad --vary (prefixed "--vary PATH=SPEC: ") or a grid of more than
/// max_vary_values points.
SweepPlan plan_sweep(std::string source, nlohmann::json base, const std::vector<std::string> &vary,
                     std::vector<ScenarioOption> listed = {});

/// Option `i`'s document: the base, the overlay merged in, the edits set.
nlohmann::json option_document(const SweepPlan &plan, std::size_t i);

/// Option `i` validated by the loader into a Scenario (source: plan.source). A mistake throws
/// the loader's ScenarioError with the option named first: 'option "austin-l1.headcount=20.5":
/// /agent_groups/0/headcount: expected a whole number ...'.
Scenario option_scenario(const SweepPlan &plan, std::size_t i);

/// The settings of every option, for the columns of sweep.csv and sweep.json: the --vary paths
/// (a group set's column is the sum of its groups' headcounts), then every other numeric path that
/// some option changes from the baseline, in order of first appearance; values[option][column] is
/// that option's number there (null where the option has no such value, say a group it removed).
struct SettingsTable {
  std::vector<std::string> paths; ///< dotted
  std::vector<std::vector<nlohmann::json>> values;
};
SettingsTable settings_table(const SweepPlan &plan);

/// The plan as JSON (for a sweep's partial result files) and back. plan_from_json throws
/// ScenarioError(file, pointer, ...) for a document it cannot read.
nlohmann::json plan_to_json(const SweepPlan &plan);
SweepPlan plan_from_json(const nlohmann::json &doc, const std::string &file,
                         const std::string &pointer);

} // namespace supportsim::scenarios
