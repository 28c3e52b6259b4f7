#pragma once

// What a plan must respect besides the SLA targets (docs/plan.md, "Constraints"): the least and
// the most agents of a group (--min, --max), sites that may not grow (--no-growth), and cover
// to keep: at least N agents with a language or a product rostered in a region whenever the
// scenario as it is rosters any (--cover). Limits are checked on the headcounts alone and
// cover on the roster, so neither costs a simulation.

#include "models/organisation.hpp"
#include "models/workforce/roster.hpp"
#include "scenarios/scenario.hpp"
#include "sim/clock.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace supportsim::analysis {

/// A bound on the headcount of some groups, as given on the command line.
struct HeadcountLimit {
  std::string rule;                  ///< as given: "--min munich-*=4", "--no-growth Lisbon"
  bool at_least = true;              ///< a minimum; else a maximum
  std::vector<std::size_t> groups;   ///< the groups it binds, in scenario order
  std::vector<std::uint32_t> agents; ///< per entry of `groups`: its bound
};

/// Reads "--min PATTERN=N" (`at_least`) or "--max PATTERN=N": PATTERN as --vary-headcount's
/// (match_groups), N a whole number, each matched group bound by it. Throws PlanError.
HeadcountLimit parse_headcount_limit(std::string_view text, bool at_least,
                                     const models::OrganisationConfig &organisation);

/// Reads "--no-growth SITE": every group of the site (its name, case ignored) at most at the
/// scenario's headcount. Throws PlanError naming the sites there are.
HeadcountLimit parse_no_growth(std::string_view site,
                               const models::OrganisationConfig &organisation);

/// "Keep at least `agents` agents who speak `skill` (or work the product) rostered in `region`
/// at every moment the scenario as it is rosters one": the cover a plan may not strip.
struct CoverRule {
  std::string rule; ///< as given: "EMEA:language=de>=2"
  std::size_t region = 0;
  bool language = true;  ///< a language; else a product
  std::size_t skill = 0; ///< OrganisationConfig::languages or ::products
  std::uint32_t agents = 1;
};

/// Reads "--cover REGION:language=CODE>=N" or "REGION:product=NAME>=N" (names as the scenario
/// spells them, case ignored). Throws PlanError naming the part it cannot read.
CoverRule parse_cover_rule(std::string_view text, const models::OrganisationConfig &organisation);

/// A cover rule's state under some headcounts. The window is cut into 15-minute slots; an agent
/// counts in a slot when rostered for all of it (shifts and rotations, site holidays; breaks
/// and absences aside); the slots of cover are those in which the scenario's own headcounts
/// roster at least one agent with the skill in the region.
struct CoverState {
  std::uint32_t least = 0;      ///< the fewest such agents in a slot of cover
  sim::SimTime least_at;        ///< the first slot with that many
  double short_agent_hours = 0; ///< sum over slots of cover of (agents - count)+ x 0.25 h
  std::size_t slots_of_cover = 0;
};

/// Works out the roster of the groups with each rule's skill in its region once, then answers
/// for any headcounts quickly (per group, the slots each agent number covers).
class CoverCheck {
public:
  CoverCheck(const scenarios::Scenario &scenario, std::vector<CoverRule> rules);

  const std::vector<CoverRule> &rules() const { return rules_; }
  /// Rule `k` under `headcounts` (every group, scenario order).
  CoverState state(std::size_t k, const std::vector<std::uint32_t> &headcounts);
  /// Whether every rule holds under `headcounts`.
  bool holds(const std::vector<std::uint32_t> &headcounts);
  /// Whether group g counts towards rule k (works the skill at a site of the rule's region).
  bool counts(std::size_t k, std::size_t g) const;
  /// `at` as the rule's region's first site's wall clock: "2027-01-09 22:00 Europe/Berlin".
  std::string local_time(std::size_t k, sim::SimTime at) const;

private:
  /// The slots agent `number` of group g is rostered for all of, computed on first use.
  const std::vector<std::uint32_t> &slots_of(std::size_t g, std::uint32_t number);

  const scenarios::Scenario &scenario_;
  sim::Clock clock_;
  models::Roster roster_;
  std::vector<CoverRule> rules_;
  sim::SimTime from_, to_;
  std::size_t slot_count_ = 0;
  std::vector<std::vector<std::vector<std::uint32_t>>> slots_; // [group][agent number]
  std::vector<std::vector<bool>> of_cover_;                    // [rule][slot]
};

} // namespace supportsim::analysis
