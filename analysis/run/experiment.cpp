#include "analysis/run/experiment.hpp"

#include "analysis/output/output.hpp"
#include "analysis/run/trace.hpp"
#include "models/support_model.hpp"

#include <algorithm>
#include <atomic>
#include <exception>
#include <fmt/format.h>
#include <fstream>
#include <mutex>
#include <optional>
#include <thread>

namespace supportsim::analysis {

ReplicationFigures run_replication(const scenarios::Scenario &scenario, std::uint64_t seed,
                                   std::uint32_t replication, std::ostream *trace,
                                   models::CaseReplay *replay, std::span<const int> sl_seconds) {
  MetricsSink metrics(scenario.organisation, scenario.warmup, sl_seconds);
  const sim::RandomStreams streams(seed, replication);
  if (trace) {
    TraceSink tracing(metrics, *trace, sim::Clock(scenario.organisation.start), replication);
    models::SupportModel(scenario.organisation, streams, tracing, replay).run();
  } else {
    models::SupportModel(scenario.organisation, streams, metrics, replay).run();
  }
  return metrics.figures();
}

namespace {

/// The trace's parts: one temporary file per replication beside the final file, joined in
/// replication order at the end; all removed if anything fails.
class TraceFiles {
public:
  TraceFiles(const std::filesystem::path &final_path, std::uint32_t replications)
      : final_(final_path) {
    joined_ = temporary_path(final_);
    for (std::uint32_t r = 0; r < replications; ++r)
      parts_.push_back(fmt::format("{}.{}", joined_.string(), r));
  }
  ~TraceFiles() {
    std::error_code ignored;
    for (const auto &p : parts_)
      std::filesystem::remove(p, ignored);
    std::filesystem::remove(joined_, ignored);
  }
  const std::filesystem::path &part(std::uint32_t r) const { return parts_[r]; }
  void join() {
    std::ofstream out(joined_, std::ios::binary | std::ios::trunc);
    out << trace_header;
    for (const auto &p : parts_) {
      std::ifstream in(p, std::ios::binary);
      out << in.rdbuf();
    }
    out.flush();
    if (!out) throw OutputError(fmt::format("{}: cannot write the trace", final_.string()));
    out.close();
    std::error_code ec;
    std::filesystem::rename(joined_, final_, ec);
    if (ec)
      throw OutputError(
          fmt::format("{}: cannot write the trace: {}", final_.string(), ec.message()));
  }

private:
  std::filesystem::path final_, joined_;
  std::vector<std::filesystem::path> parts_;
};

} // namespace

ExperimentResult start_experiment(const scenarios::Scenario &scenario, const RunOptions &options) {
  ExperimentResult result{scenario, {}, static_cast<bool>(options.replay)};
  if (options.seed) result.scenario.seed = *options.seed;
  if (options.replications) result.scenario.replications = *options.replications;
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

ExperimentResult run_experiment(const scenarios::Scenario &scenario, const RunOptions &options) {
  ExperimentResult result = start_experiment(scenario, options);
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
    } else {
      result.replications[r] = run_replication(result.scenario, result.scenario.seed, r, nullptr,
                                               replay.get(), options.sl_seconds);
    }
  });
  if (trace) trace->join();
  return result;
}

} // namespace supportsim::analysis
