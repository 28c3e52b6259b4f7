#include "analysis/metrics.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace supportsim::analysis {

namespace {
constexpr double nan = std::numeric_limits<double>::quiet_NaN();
double ratio(double num, double den) {
  return den > 0 ? num / den : nan;
}
} // namespace

MetricsSink::MetricsSink(const scenarios::SlaPolicy &sla, sim::Duration warmup)
    : sla_(sla), window_start_(sim::SimTime::zero() + warmup) {}

void MetricsSink::on(const models::RunStarted &r) {
  queues_.assign(r.queues.begin(), r.queues.end());
  end_ = r.end;
  cells_.assign(queues_.size() * cells_per_queue + 1, Cell{});
  work_minutes_.assign(queues_.size(), 0.0);
}

template <class F> void MetricsSink::for_cells(models::QueueIndex q, models::Priority p, F &&f) {
  const std::size_t base = q * cells_per_queue;
  f(cells_[base + models::index_of(p)]);
  f(cells_[base + models::priority_count]);
  f(cells_.back());
}

void MetricsSink::on(const models::CaseArrived &r) {
  if (r.time < window_start_) return;
  for_cells(r.queue, r.priority, [](Cell &c) { ++c.offered; });
}

void MetricsSink::on(const models::FirstResponse &r) {
  if (r.arrived < window_start_) return;
  const sim::Duration wait = r.time - r.arrived;
  const bool in_target = wait <= sla_.first_response[models::index_of(r.priority)];
  const double minutes = wait.to_minutes();
  for_cells(r.queue, r.priority, [&](Cell &c) {
    ++c.answered;
    c.answered_in_target += in_target;
    c.wait_sum += minutes;
    c.answered_wait_sum += minutes;
    c.waits.add(wait);
  });
}

void MetricsSink::add_work(models::QueueIndex q, sim::SimTime from, sim::SimTime to) {
  // Agent time inside [window start, end].
  const sim::SimTime a = std::max(from, window_start_);
  const sim::SimTime b = std::min(to, end_);
  if (b > a) work_minutes_[q] += (b - a).to_minutes();
}

void MetricsSink::on(const models::CaseResolved &r) {
  add_work(r.queue, r.work_started, r.time);
}

void MetricsSink::on(const models::CaseAbandoned &r) {
  if (r.arrived < window_start_) return;
  const sim::Duration wait = r.time - r.arrived;
  const double minutes = wait.to_minutes();
  for_cells(r.queue, r.priority, [&](Cell &c) {
    ++c.abandoned;
    c.wait_sum += minutes;
    c.waits.add(wait);
  });
}

void MetricsSink::on(const models::CaseOpenAtEnd &r) {
  if (!r.waiting()) {
    add_work(r.queue, r.work_started, r.time);
  }
  if (r.arrived < window_start_) return;
  const bool past_target =
      r.waiting() && (r.time - r.arrived) > sla_.first_response[models::index_of(r.priority)];
  for_cells(r.queue, r.priority, [&](Cell &c) {
    if (r.waiting()) {
      ++c.open_waiting;
      c.open_waiting_past_target += past_target;
    } else {
      ++c.open_in_work;
    }
  });
}

CaseFigures MetricsSink::figures_of(const Cell &c) const {
  CaseFigures f;
  f.offered = c.offered;
  f.answered = c.answered;
  f.abandoned = c.abandoned;
  f.open = c.open_waiting + c.open_in_work;
  // Outcome known: answered (in or out of target), abandoned (a miss), or still waiting past
  // the target (a miss). A case still waiting within its target is not yet decided.
  const double decided = static_cast<double>(c.answered + c.abandoned + c.open_waiting_past_target);
  f.sla_attainment = ratio(static_cast<double>(c.answered_in_target), decided);
  f.abandonment = ratio(static_cast<double>(c.abandoned), static_cast<double>(c.offered));
  f.mean_wait = ratio(c.wait_sum, static_cast<double>(c.answered + c.abandoned));
  f.asa = ratio(c.answered_wait_sum, static_cast<double>(c.answered));
  f.p90_wait = c.waits.quantile_minutes(0.9);
  return f;
}

ReplicationFigures MetricsSink::figures() const {
  ReplicationFigures out;
  const double window_minutes = (end_ - window_start_).to_minutes();
  for (std::size_t q = 0; q < queues_.size(); ++q) {
    QueueFigures qf;
    qf.name = queues_[q].name;
    qf.agents = queues_[q].agents;
    for (std::size_t p = 0; p < models::priority_count; ++p)
      qf.by_priority[p] = figures_of(cells_[q * cells_per_queue + p]);
    qf.all = figures_of(cells_[q * cells_per_queue + models::priority_count]);
    qf.utilisation = ratio(work_minutes_[q], qf.agents * window_minutes);
    out.queues.push_back(std::move(qf));
  }
  out.all = figures_of(cells_.back());
  return out;
}

} // namespace supportsim::analysis
