#pragma once

// `supportsim plan`: the cheapest starting headcount of chosen agent groups that meets every
// SLA attainment target, found by a search that simulates only the headcounts it needs to:
// start where the Erlang forecast says each region needs to be (or at the scenario's headcount
// if that is closer), add agents where they cut the shortfall most per unit of cost until every
// target is met, then lower each group, most expensive first, by galloping and bisection to the
// least headcount that still meets every target; then confirm the plan on fresh random
// numbers. The method and its assumptions: docs/plan.md.

#include "analysis/metrics/statistics.hpp"
#include "analysis/plan/constraints.hpp"
#include "analysis/plan/plan_error.hpp"
#include "analysis/run/experiment.hpp"
#include "models/priority.hpp"
#include "scenarios/scenario.hpp"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace supportsim::analysis {

/// The agent groups matching any of `patterns`, in scenario order. A pattern is matched, with
/// `*` standing for any run of characters and the case ignored, against a group's name
/// ("london-l1"), and against its region and tier joined by '-' ("EMEA-L1"), so that "EMEA-*"
/// is every group at EMEA's sites. Throws PlanError naming a pattern that matches no group.
std::vector<std::size_t> match_groups(const models::OrganisationConfig &organisation,
                                      const std::vector<std::string> &patterns);

/// Reads "--targets": "default" (the scenario's attainment targets), or overrides such as
/// "P1=0.97,P3=0.92" (a fraction, or a percentage "97%"), the other priorities keeping the
/// scenario's. Throws PlanError naming the part it cannot read.
models::PerPriority<double> parse_targets(std::string_view text, const scenarios::Scenario &s);

struct PlanOptions {
  std::vector<std::size_t> groups;       ///< the groups the plan may change (match_groups)
  models::PerPriority<double> targets{}; ///< attainment each region's priority must reach
  bool with_confidence = true;           ///< the CI's lower bound must reach it, not the mean
  std::uint64_t seed = 1;                ///< the search's common random numbers
  std::uint32_t replications = 10;       ///< per headcount simulated
  unsigned jobs = 0;                     ///< threads; 0 = one per core
  std::uint32_t max_evaluations = 400;   ///< headcounts simulated at most, the confirmation aside
  /// Called after each headcount simulated, with the number so far, an estimate of the number
  /// the whole search will simulate (revised as it goes: the adding rounds and each group's
  /// bisection are unknown ahead; equal to `evaluations` on the last call) and the step, for a
  /// progress bar with an ETA.
  std::function<void(std::uint32_t evaluations, std::uint32_t expected, std::string_view step)>
      progress;
  /// Stops the search between replications once set (RunOptions::cancel): Cancelled is thrown.
  const std::atomic<bool> *cancel = nullptr;
  std::vector<HeadcountLimit> limits; ///< --min, --max, --no-growth
  std::vector<CoverRule> cover;       ///< --cover
};

/// A constraint other than the SLA targets (a limit on a group, or cover), as the plan left it.
struct PlanRule {
  std::string rule;        ///< as given: "--min munich-*=4"
  std::string subject;     ///< the group it bounds, or the region and skill ("EMEA de")
  std::uint32_t bound = 0; ///< the least or most agents
  /// The plan's headcount of the group; for cover, the fewest agents with the skill rostered
  /// in a slot of cover.
  std::uint32_t plan = 0;
  bool binds = false; ///< the plan sits at the bound: without it the search could go further
  std::string where;  ///< cover: the first slot with the fewest, in the region's local time
};

/// One region's priority held to its target, as simulated.
struct PlanConstraint {
  std::size_t region = 0;
  std::size_t priority = 0;
  double target = 0;
  Estimate sla{};   ///< attainment over the replications
  double bound = 0; ///< what must reach the target: the CI's lower bound, or the mean
  double slack = 0; ///< bound - target; the constraint holds when >= 0
};

/// One headcount vector, simulated.
struct PlanEvaluation {
  std::vector<std::uint32_t> headcounts;   ///< every group, in scenario order
  Estimate cost{};                         ///< the window's total cost over the replications
  std::vector<PlanConstraint> constraints; ///< regions x priorities with cases
  bool meets = false;                      ///< every constraint holds
};

struct PlanResult {
  PlanOptions options;
  std::vector<std::uint32_t> scenario_headcounts; ///< as the scenario has them
  std::vector<std::uint32_t> erlang_headcounts;   ///< where the search started
  PlanEvaluation scenario;                        ///< the scenario as it is
  std::optional<PlanEvaluation> plan;             ///< the cheapest found; none if none meets
  /// The plan simulated again with another seed (seed + 1): whether it still meets the targets
  /// on random numbers the search did not tune it to.
  std::optional<PlanEvaluation> confirmation;
  std::uint32_t evaluations = 0; ///< headcount vectors simulated (the confirmation included)
  std::uint64_t replications_run = 0;
  bool budget_exhausted = false;  ///< stopped at max_evaluations
  std::vector<std::string> steps; ///< what the search did, for the log
  std::vector<PlanRule> rules;    ///< each limit's group and each cover rule, in the plan
};

/// Searches for the plan. `scenario` is run with its own replications and seed unless the
/// options say otherwise.
PlanResult plan_headcount(const scenarios::Scenario &scenario, const PlanOptions &options);

/// The plan for people, fitting 100 columns: each group changed (from, to), the cost before and
/// after, the binding constraints (least slack), the confirmation and the search's effort.
std::string render_plan_table(const PlanResult &result, const scenarios::Scenario &scenario);

/// The same as one JSON document (docs/plan.md). Deterministic.
std::string render_plan_json(const PlanResult &result, const scenarios::Scenario &scenario,
                             const std::string &version);

/// The plan as a what-if scenario file: extends the scenario (its file, or "default") and sets
/// each changed group's headcount. Empty when no plan was found.
std::string render_plan_scenario(const PlanResult &result, const scenarios::Scenario &scenario);

} // namespace supportsim::analysis
