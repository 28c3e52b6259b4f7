#include "analysis/run/experiment.hpp"

#include "analysis/output/output.hpp"
#include "analysis/run/trace.hpp"
#include "models/support_model.hpp"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <exception>
#include <fmt/chrono.h>
#include <fmt/format.h>
#include <fstream>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

namespace supportsim::analysis {

void run_model(models::SupportModel &&model, const models::OrganisationConfig &organisation,
               std::string_view source) {
  try {
    model.run();
  } catch (const models::OpenCaseLimit &e) {
    const models::OpenCaseLimit::Where &w = e.where();
    throw OverloadError(fmt::format(
        "{}: the run stopped at {:%Y-%m-%d %H:%M} UTC with {} cases open, the most a run may hold "
        "(--max-open-cases {}); the {} {} queue had {} cases waiting. The offered work is far "
        "beyond what the agents on duty can serve (`supportsim forecast` shows by how much); "
        "raise --max-open-cases to run on regardless, at about 250 bytes a case",
        source, std::chrono::floor<std::chrono::minutes>(w.at), w.open, w.limit,
        organisation.regions[w.region].name, models::work_type_names[index_of(w.work_type)],
        w.waiting));
  }
}

ReplicationFigures run_replication(const scenarios::Scenario &scenario, std::uint64_t seed,
                                   std::uint32_t replication, std::ostream *trace,
                                   models::CaseReplay *replay, std::span<const int> sl_seconds) {
  MetricsSink metrics(scenario.organisation, scenario.warmup, sl_seconds);
  const sim::RandomStreams streams(seed, replication);
  if (trace) {
    TraceSink tracing(metrics, *trace, sim::Clock(scenario.organisation.start), replication);
    run_model(models::SupportModel(scenario.organisation, streams, tracing, replay),
              scenario.organisation, scenario.source);
  } else {
    run_model(models::SupportModel(scenario.organisation, streams, metrics, replay),
              scenario.organisation, scenario.source);
  }
  return metrics.figures();
}

namespace {

/// The trace's parts: one temporary file per replication beside the final file
/// (".trace.csv.tmp-PID.R"), joined in replication order at the end into the final file's own
/// temporary, which is then renamed into place; all removed if anything fails or a signal
/// ends the run.
class TraceFiles {
public:
  TraceFiles(const std::filesystem::path &final_path, std::uint32_t replications)
      : joined_(final_path, "the trace") {
    const std::string stem = temporary_path(final_path).string();
    for (std::uint32_t r = 0; r < replications; ++r)
      parts_.push_back(std::make_unique<Temporary>(fmt::format("{}.{}", stem, r)));
  }
  const std::filesystem::path &part(std::uint32_t r) const { return parts_[r]->path(); }
  void join() {
    std::ostream &out = joined_.stream();
    out << trace_header;
    for (const auto &p : parts_) {
      std::ifstream in(p->path(), std::ios::binary);
      out << in.rdbuf();
    }
    joined_.commit();
  }

private:
  AtomicFile joined_;
  std::vector<std::unique_ptr<Temporary>> parts_;
};

} // namespace

ExperimentResult start_experiment(const scenarios::Scenario &scenario, const RunOptions &options) {
  ExperimentResult result{scenario, {}, static_cast<bool>(options.replay), std::nullopt};
  if (options.seed) result.scenario.seed = *options.seed;
  if (options.replications) result.scenario.replications = *options.replications;
  if (options.max_open_cases) result.scenario.organisation.max_open_cases = *options.max_open_cases;
  return result;
}

void parallel_for(std::size_t count, unsigned jobs, const std::atomic<bool> *cancel,
                  const std::function<void(std::size_t)> &task) {
  jobs = jobs ? jobs : std::max(1u, std::thread::hardware_concurrency());
  jobs = static_cast<unsigned>(std::min<std::size_t>(jobs, std::max<std::size_t>(count, 1)));
  std::atomic<std::size_t> next{0};
  std::mutex failure_mutex;
  std::exception_ptr failure;
  std::size_t failed_at = count;
  auto work = [&] {
    for (std::size_t i; (i = next.fetch_add(1)) < count;) {
      if (cancel && cancel->load(std::memory_order_relaxed)) return;
      try {
        task(i);
      } catch (...) {
        const std::lock_guard lock(failure_mutex);
        if (i < failed_at) failure = std::current_exception(), failed_at = i;
      }
    }
  };
  if (jobs <= 1) {
    work();
  } else {
    std::vector<std::jthread> threads;
    for (unsigned j = 0; j < jobs; ++j)
      threads.emplace_back(work);
  }
  if (cancel && cancel->load()) throw Cancelled();
  if (failure) std::rethrow_exception(failure);
}

namespace {

/// Replications until `options.precision` is met (or its maximum), the rule checked at counts
/// fixed in advance (next_precision_check) on the replications in order, so that the count where it
/// stops, and so every figure, is the same whatever the number of threads.
void run_to_precision(ExperimentResult &result, const RunOptions &options) {
  const Precision &precision = *options.precision;
  if (options.trace)
    throw scenarios::InputError("--trace writes a fixed number of replications: give "
                                "--replications rather than --precision");
  const std::vector<PrecisionFigure> figures =
      precision_figures(result.scenario.organisation.regions.size());
  const unsigned batch =
      options.jobs ? options.jobs : std::max(1u, std::thread::hardware_concurrency());
  PrecisionOutcome outcome;
  outcome.precision = precision;
  std::uint32_t done = 0, check = precision.min_replications;
  bool met = false;
  while (!met && done < precision.max_replications) {
    // Straight on to the next check, one replication per thread at least.
    const std::uint32_t upto = std::min(precision.max_replications, std::max(check, done + batch));
    result.replications.resize(upto);
    parallel_for(upto - done, options.jobs, options.cancel, [&](std::size_t i) {
      const auto r = static_cast<std::uint32_t>(done + i);
      const std::unique_ptr<models::CaseReplay> replay =
          options.replay ? options.replay() : nullptr;
      result.replications[r] = run_replication(result.scenario, result.scenario.seed, r, nullptr,
                                               replay.get(), options.sl_seconds);
    });
    for (; check <= upto && !met; check = next_precision_check(check, precision.max_replications))
      if (meets_precision({result.replications.data(), check}, figures, precision, outcome)) {
        met = true;
        result.replications.resize(check); // the rest of the batch ran past the stop: not counted
      }
    done = upto;
  }
  if (!met) meets_precision(result.replications, figures, precision, outcome);
  result.scenario.replications = static_cast<std::uint32_t>(result.replications.size());
  result.precision = outcome;
}

} // namespace

ExperimentResult run_experiment(const scenarios::Scenario &scenario, const RunOptions &options) {
  ExperimentResult result = start_experiment(scenario, options);
  if (options.precision) {
    run_to_precision(result, options);
    return result;
  }
  const std::uint32_t count = result.scenario.replications;
  result.replications.resize(count);

  // Each replication writes only its own slot of the result, so the output does not depend on
  // which thread ran what.
  std::optional<TraceFiles> trace;
  if (options.trace) trace.emplace(*options.trace, count);
  parallel_for(count, options.jobs, options.cancel, [&](std::size_t i) {
    const auto r = static_cast<std::uint32_t>(i);
    const std::unique_ptr<models::CaseReplay> replay = options.replay ? options.replay() : nullptr;
    if (trace) {
      std::ofstream part(trace->part(r), std::ios::binary | std::ios::trunc);
      if (!part)
        throw OutputError(fmt::format("{}: cannot write the trace", options.trace->string()));
      result.replications[r] = run_replication(result.scenario, result.scenario.seed, r, &part,
                                               replay.get(), options.sl_seconds);
      part.flush();
      if (!part)
        throw OutputError(fmt::format("{}: cannot write the trace: {}", options.trace->string(),
                                      std::strerror(errno)));
    } else {
      result.replications[r] = run_replication(result.scenario, result.scenario.seed, r, nullptr,
                                               replay.get(), options.sl_seconds);
    }
  });
  if (trace) trace->join();
  return result;
}

} // namespace supportsim::analysis
