#pragma once

#include "analysis/wait_histogram.hpp"
#include "models/records.hpp"
#include "scenarios/scenario.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace supportsim::analysis {

/// The figures of one group of cases (a queue and priority, a whole queue, or everything) in one
/// replication. Exact definitions: docs/metrics.md. Rates are fractions (0.95, not 95); times are
/// minutes. A figure with no cases behind it is NaN.
struct CaseFigures {
  std::uint64_t offered = 0;   ///< cases that arrived in the measurement window
  std::uint64_t answered = 0;  ///< of those, first response given by the end
  std::uint64_t abandoned = 0; ///< of those, gave up waiting
  std::uint64_t open = 0;      ///< of those, still waiting or in work at the end
  double sla_attainment = 0;   ///< first response within target / cases whose outcome is known
  double abandonment = 0;      ///< abandoned / offered
  double mean_wait = 0;        ///< mean time in queue of answered and abandoned cases
  double asa = 0;              ///< average speed of answer: mean wait of answered cases
  double p90_wait = 0;         ///< 90th percentile of time in queue (log-linear histogram)
};

struct QueueFigures {
  std::string name;
  std::uint32_t agents = 0;
  models::PerPriority<CaseFigures> by_priority;
  CaseFigures all;
  double utilisation = 0; ///< agent time working cases / agent time available, in the window
};

/// Everything one replication measured.
struct ReplicationFigures {
  std::vector<QueueFigures> queues;
  CaseFigures all;
};

/// A RecordSink that turns one replication's records into ReplicationFigures with memory
/// independent of the number of cases: counters and wait histograms, no per-case storage.
///
/// Only cases that arrive at or after the end of the warm-up count; agent time counts from the
/// end of the warm-up to the end of the run.
class MetricsSink final : public models::RecordSink {
public:
  MetricsSink(const scenarios::SlaPolicy &sla, sim::Duration warmup);

  void on(const models::RunStarted &r) override;
  void on(const models::CaseArrived &r) override;
  void on(const models::FirstResponse &r) override;
  void on(const models::CaseResolved &r) override;
  void on(const models::CaseAbandoned &r) override;
  void on(const models::CaseOpenAtEnd &r) override;

  /// The figures; call after the run has ended.
  ReplicationFigures figures() const;

private:
  struct Cell {
    std::uint64_t offered = 0, answered = 0, answered_in_target = 0, abandoned = 0;
    std::uint64_t open_waiting = 0, open_waiting_past_target = 0, open_in_work = 0;
    double wait_sum = 0, answered_wait_sum = 0; // minutes
    WaitHistogram waits;
  };
  // Cells per queue: one per priority then one for the whole queue; one more for everything.
  static constexpr std::size_t cells_per_queue = models::priority_count + 1;
  template <class F> void for_cells(models::QueueIndex q, models::Priority p, F &&f);
  void add_work(models::QueueIndex q, sim::SimTime from, sim::SimTime to);
  CaseFigures figures_of(const Cell &c) const;

  scenarios::SlaPolicy sla_;
  sim::SimTime window_start_;
  sim::SimTime end_;
  std::vector<models::QueueInfo> queues_;
  std::vector<Cell> cells_;
  std::vector<double> work_minutes_; // per queue, within the window
};

} // namespace supportsim::analysis
