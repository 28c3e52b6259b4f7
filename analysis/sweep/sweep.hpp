#pragma once

// Sweeps: every option of a scenarios::SweepPlan run for the same replications with common
// random numbers, each option's figures exactly those `supportsim run` gives its scenario, and
// every option compared with the baseline by paired confidence intervals. Shards of a sweep
// run apart (other machines, a cluster) and merge into exactly what one run gives.
// docs/sweep.md describes the outputs and the part files.

#include "analysis/forecast/capacity.hpp"
#include "analysis/metrics/statistics.hpp"
#include "analysis/report/summary.hpp"
#include "analysis/run/experiment.hpp"
#include "models/priority.hpp"
#include "scenarios/input_error.hpp"
#include "scenarios/override.hpp"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace supportsim::analysis {

/// A partial result file cannot be merged: missing, repeated, from another sweep, or not a part
/// file. what() names the file(s) and what was expected.
class SweepError : public scenarios::InputError {
public:
  using scenarios::InputError::InputError;
};

/// The K-th of N slices of a sweep (K from 1): the options whose index i has i % N == K - 1.
/// Dealt round-robin, so each slice gets cheap and dear options alike.
struct Shard {
  std::uint32_t index = 1;
  std::uint32_t count = 1;
  bool holds(std::size_t option) const { return option % count == index - 1; }
};

/// How to run a sweep; unset values come from the base scenario.
struct SweepRunOptions {
  std::optional<std::uint64_t> seed;
  std::optional<std::uint32_t> replications;
  unsigned jobs = 0; ///< threads; 0 means one per core. Results do not depend on it
  /// The most cases a replication may hold open (RunOptions::max_open_cases).
  std::optional<std::uint32_t> max_open_cases;
  std::optional<Shard> shard;
  /// Called after each replication with (done, total), from one thread at a time; for a
  /// progress bar.
  std::function<void(std::size_t, std::size_t)> progress;
  /// Stops the sweep between replications once set (RunOptions::cancel): Cancelled is thrown.
  const std::atomic<bool> *cancel = nullptr;
  std::string version; ///< of supportsim: part of the fingerprint, since results depend on it
};

/// One option's outcome. With a shard, only `experiment` is filled in; the capacity forecast is
/// computed when the parts are merged.
struct OptionResult {
  std::size_t index = 0;       ///< in the plan
  ExperimentResult experiment; ///< replications keep their weeks, not their hours or days
  CapacityForecast capacity;   ///< the option's analytic plan, for the forecast variance
};

/// A sweep's outcome: every option of the plan in plan order, or a shard's options.
struct SweepResult {
  scenarios::SweepPlan plan;
  std::uint64_t seed = 0;
  std::uint32_t replications = 0;
  std::string version;
  std::string fingerprint; ///< sweep_fingerprint() of the above
  std::optional<Shard> shard;
  std::vector<OptionResult> options;
};

/// A hash (16 hex digits) of what decides a sweep's results: the base document, the options,
/// the seed, the replications and supportsim's version. Parts merge only when theirs agree.
std::string sweep_fingerprint(const scenarios::SweepPlan &plan, std::uint64_t seed,
                              std::uint32_t replications, const std::string &version);

/// Validates every option (ScenarioError naming the option), then runs each option of the shard
/// (all without one) for every replication over `jobs` threads. Every option uses the same
/// seed, so replication r of every option draws the same cases (common random numbers). The
/// result is the same whatever the number of threads.
SweepResult run_sweep(const scenarios::SweepPlan &plan, const SweepRunOptions &options);

/// "sweep-part-K-of-N.json".
std::string sweep_part_name(const Shard &shard);

/// A shard's result as a part file (JSON): the plan, seed, replications, version, fingerprint,
/// the shard, and every replication's figures with doubles written round-trip exact.
std::string render_sweep_part(const SweepResult &shard);

/// Reads the part files of one sweep and puts them together: the same result as the unsharded
/// sweep (the forecasts computed over `jobs` threads). Throws SweepError when a file is not a
/// part, parts come from different sweeps, a part is missing or given twice, or the parts were
/// made by another `version` of supportsim than this one.
SweepResult merge_sweep_parts(const std::vector<std::string> &paths, const std::string &version,
                              unsigned jobs = 0);

/// A paired comparison with the baseline: the mean over replications of (option - baseline)
/// with its 95 % Student-t interval, and what that says.
struct PairedDifference {
  Estimate difference{};
  /// "indistinguishable" (the interval holds 0), "higher" or "lower"; "undetermined" with
  /// fewer than two replications.
  std::string verdict;
};

/// What the sweep reports of one option.
struct OptionSummary {
  std::size_t index = 0;
  std::string name;
  std::vector<nlohmann::json> settings; ///< one per SweepSummary::settings (null: absent)
  Estimate cost{};                      ///< the organisation's cost in the window
  Estimate cost_per_resolved{};
  Estimate sla{}; ///< first-response attainment over every case
  models::PerPriority<Estimate> sla_by_priority{};
  Estimate utilisation{};
  std::vector<Estimate> region_sla;         ///< per SweepSummary::regions
  std::vector<Estimate> region_utilisation; ///< the region's agents
  std::size_t flagged_region_weeks = 0;     ///< region-weeks with a figure off its forecast
  std::size_t region_weeks = 0;
  std::vector<TargetCheck> targets;         ///< SLA attainment per priority, then utilisation
  bool targets_met = false;                 ///< every target's mean at or above its goal
  bool targets_met_with_confidence = false; ///< every interval's lower end at or above
  /// Against the baseline (option 0); empty for the baseline itself.
  std::optional<PairedDifference> cost_difference, cost_per_resolved_difference, sla_difference;
  models::PerPriority<std::optional<PairedDifference>> sla_difference_by_priority{};
};

struct SweepSummary {
  std::string scenario; ///< the baseline's name
  std::string source;
  std::uint64_t seed = 0;
  std::uint32_t replications = 0;
  std::string fingerprint;
  std::vector<std::string> settings; ///< dotted paths (scenarios::settings_table)
  std::vector<std::string> regions;  ///< the baseline's customer regions
  std::vector<OptionSummary> options;
};

/// The figures of every option of a complete sweep (not a shard), from the same per-replication
/// figures and estimates as `supportsim run`'s report.
SweepSummary summarise_sweep(const SweepResult &result);

/// The names of the targets an option misses on the mean, in TargetCheck order:
/// {"sla_attainment_P4", "utilisation"}.
std::vector<std::string> missed_targets(const OptionSummary &option);

/// The terminal table: options with cost, SLA attainment and utilisation, the targets, per
/// priority and region, then the paired differences from the baseline. Fits 100 columns;
/// deterministic.
std::string render_sweep_table(const SweepSummary &summary, const std::string &version);

/// sweep.csv: one row per option, every setting a column, then each figure's mean and ci95 and
/// the paired differences. Deterministic bytes.
std::string render_sweep_csv(const SweepSummary &summary);

/// sweep.json (docs/sweep.md). Deterministic bytes.
std::string render_sweep_json(const SweepSummary &summary, const std::string &version);

} // namespace supportsim::analysis
