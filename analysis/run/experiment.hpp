#pragma once

#include "analysis/metrics/sink.hpp"
#include "analysis/run/precision.hpp"
#include "models/replay.hpp"
#include "models/support_model.hpp"
#include "scenarios/scenario.hpp"

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <ostream>
#include <stdexcept>
#include <vector>

namespace supportsim::analysis {

/// How to run a scenario; unset values come from the scenario file.
struct RunOptions {
  std::optional<std::uint64_t> seed;
  std::optional<std::uint32_t> replications;
  unsigned jobs = 0; ///< threads for replications; 0 means one per core
  /// If set, every case event of every replication is written to this CSV file
  /// (analysis/run/trace.hpp).
  std::optional<std::filesystem::path> trace;
  /// If set, every replication replays the cases of a fresh reader made by this (an export,
  /// scenarios/arrivals.hpp) instead of synthesising them.
  std::function<std::unique_ptr<models::CaseReplay>()> replay;
  /// The service-level thresholds of the call-centre figures, seconds (`run --sl-seconds`).
  std::vector<int> sl_seconds{default_sl_seconds.begin(), default_sl_seconds.end()};
  /// The most cases a replication may hold open (`--max-open-cases`): beyond it the run stops
  /// with OverloadError rather than fill memory. Unset: the scenario organisation's.
  std::optional<std::uint32_t> max_open_cases;
  /// If set, another thread may set it to stop the run (Ctrl-C in the Python module): checked
  /// before each replication starts, never inside one, so it costs nothing per event.
  const std::atomic<bool> *cancel = nullptr;
  /// If set, replications continue until every figure of precision_figures() is as precise
  /// as this asks (`--precision`), instead of a fixed count: `replications` is then unused.
  std::optional<Precision> precision;
};

/// A run stopped through its cancel flag: the replications not yet started were skipped and
/// nothing was written, so there is no result to report.
class Cancelled : public std::runtime_error {
public:
  Cancelled() : std::runtime_error("cancelled") {}
};

/// The outcome of R replications of one scenario, in replication order. Running knows nothing
/// of forecasts: a report sets them beside the result (analysis/report/summary.hpp).
struct ExperimentResult {
  scenarios::Scenario scenario; ///< as run (seed and replications filled in)
  std::vector<ReplicationFigures> replications;
  bool replayed = false; ///< the cases came from an export (RunOptions::replay)
  /// With RunOptions::precision: where the replications stopped, and whether it was met.
  std::optional<PrecisionOutcome> precision;
};

/// A run stopped because it held more open cases than it may (models::OpenCaseLimit): the
/// scenario asks for far more work than its agents can serve. what() says when, which queue
/// grew and how to go on.
class OverloadError : public scenarios::InputError {
public:
  using InputError::InputError;
};

/// Runs `model` to its horizon; a models::OpenCaseLimit becomes an OverloadError naming
/// `source` (the scenario) and the queue that grew, in the organisation's names.
void run_model(models::SupportModel &&model, const models::OrganisationConfig &organisation,
               std::string_view source);

/// Runs replication `replication` of `scenario` with master seed `seed`: the random streams are
/// derived from (seed, replication, stream name) and nothing else, so the figures depend on
/// nothing but these three.
ReplicationFigures run_replication(const scenarios::Scenario &scenario, std::uint64_t seed,
                                   std::uint32_t replication, std::ostream *trace = nullptr,
                                   models::CaseReplay *replay = nullptr,
                                   std::span<const int> sl_seconds = default_sl_seconds);

/// The result of an experiment before its replications run: the scenario as it will run (the
/// seed and replications of `options` where set). run_experiment starts from this.
ExperimentResult start_experiment(const scenarios::Scenario &scenario, const RunOptions &options);

/// Runs task(0) ... task(count - 1) over `jobs` threads (0: one per core), each index once. If
/// tasks fail, the failure of the lowest index is rethrown, so the error does not depend on the
/// threads either. Once `*cancel` is set (when not null), no further task starts, and Cancelled
/// is thrown when the running ones have finished.
void parallel_for(std::size_t count, unsigned jobs, const std::atomic<bool> *cancel,
                  const std::function<void(std::size_t)> &task);

/// Runs every replication, in parallel over `jobs` threads. The result is the same whatever
/// the number of threads: each replication is independent and results are kept in order. A
/// trace is written per replication to a temporary file, then joined in replication order into
/// the requested file, which appears only when complete (OutputError if it cannot be written).
ExperimentResult run_experiment(const scenarios::Scenario &scenario, const RunOptions &options);

} // namespace supportsim::analysis
