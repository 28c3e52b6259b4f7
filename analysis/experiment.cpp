#include "analysis/experiment.hpp"

#include "models/support_model.hpp"

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <thread>

namespace supportsim::analysis {

ReplicationFigures run_replication(const scenarios::Scenario &scenario, std::uint64_t seed,
                                   std::uint32_t replication) {
  MetricsSink metrics(scenario.sla, scenario.warmup);
  models::SupportModel model(scenario.organisation, sim::RandomStreams(seed, replication), metrics);
  model.run();
  return metrics.figures();
}

ExperimentResult run_experiment(const scenarios::Scenario &scenario, const RunOptions &options) {
  ExperimentResult result{scenario, {}};
  if (options.seed) result.scenario.seed = *options.seed;
  if (options.replications) result.scenario.replications = *options.replications;
  const std::uint32_t count = result.scenario.replications;
  result.replications.resize(count);

  unsigned jobs = options.jobs ? options.jobs : std::max(1u, std::thread::hardware_concurrency());
  jobs = std::min<unsigned>(jobs, count);
  // Workers take the next replication number from a shared counter; each writes only its own
  // slot of the result, so the output does not depend on which thread ran what.
  std::atomic<std::uint32_t> next{0};
  std::exception_ptr failure;
  std::mutex failure_mutex;
  auto work = [&] {
    for (std::uint32_t r; (r = next.fetch_add(1)) < count;) {
      try {
        result.replications[r] = run_replication(result.scenario, result.scenario.seed, r);
      } catch (...) {
        const std::lock_guard lock(failure_mutex);
        if (!failure) failure = std::current_exception();
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
  if (failure) std::rethrow_exception(failure);
  return result;
}

} // namespace supportsim::analysis
