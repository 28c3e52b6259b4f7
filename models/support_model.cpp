#include "models/support_model.hpp"

#include <algorithm>
#include <cassert>
#include <stdexcept>

namespace supportsim::models {

namespace {

sim::Duration minutes(double m) {
  // Draws beyond the representable range (a heavy tail) are clamped rather than overflowing;
  // such a case simply never completes within any horizon.
  if (!(m < sim::Duration::max_minutes())) m = sim::Duration::max_minutes();
  return sim::Duration::from_minutes(m < 0.0 ? 0.0 : m);
}

} // namespace

SupportModel::SupportModel(const OrganisationConfig &config, const sim::RandomStreams &streams,
                           RecordSink &sink)
    : sink_(sink), end_(sim::SimTime::zero() + config.horizon) {
  if (end_ > sim::Calendar::max_time())
    throw std::invalid_argument("model: horizon beyond the calendar's range");
  queues_.reserve(config.queues.size());
  for (std::size_t q = 0; q < config.queues.size(); ++q) {
    const QueueConfig &qc = config.queues[q];
    queue_info_.push_back(QueueInfo{qc.name, qc.agents});
    const double mean_gap =
        qc.arrivals_per_hour > 0.0 ? 60.0 / qc.arrivals_per_hour : sim::Duration::max_minutes();
    Queue queue{&qc,
                streams.stream("arrivals/" + qc.name),
                sim::Distribution::exponential(mean_gap),
                boost::random::discrete_distribution<std::uint8_t, double>(qc.priority_mix.begin(),
                                                                           qc.priority_mix.end()),
                {},
                {}};
    for (std::uint32_t i = 0; i < qc.agents; ++i) {
      // Pushed in reverse so that agent 0 of the queue is the first taken from the stack.
      queue.idle.push_back(static_cast<AgentIndex>(agents_.size() + qc.agents - 1 - i));
    }
    for (std::uint32_t i = 0; i < qc.agents; ++i)
      agents_.push_back(Agent{static_cast<QueueIndex>(q), no_case});
    queues_.push_back(std::move(queue));
  }
}

void SupportModel::run() {
  sink_.on(RunStarted{queue_info_, end_});
  for (std::size_t q = 0; q < queues_.size(); ++q)
    if (queues_[q].config->arrivals_per_hour > 0.0)
      schedule_next_arrival(static_cast<QueueIndex>(q));
  calendar_.run_until(end_, [this](const sim::Event &e) { handle(e); });
  report_open_cases();
  sink_.on(RunEnded{end_});
}

void SupportModel::handle(const sim::Event &e) {
  switch (static_cast<EventKind>(e.kind)) {
  case EventKind::arrival:
    on_arrival(static_cast<QueueIndex>(e.id));
    break;
  case EventKind::work_done:
    on_work_done(e.id);
    break;
  case EventKind::patience_end:
    on_patience_end(e.id);
    break;
  }
}

void SupportModel::schedule_next_arrival(QueueIndex q) {
  Queue &queue = queues_[q];
  const sim::SimTime next = sim::saturating_add(
      calendar_.now(), minutes(queue.interarrival_minutes.sample(queue.arrivals)));
  if (next <= end_)
    calendar_.schedule(next, sim::Phase::arrive, static_cast<std::uint8_t>(EventKind::arrival), q);
}

std::uint32_t SupportModel::new_case_slot() {
  if (free_case_ != no_case) {
    const std::uint32_t slot = free_case_;
    free_case_ = cases_[slot].next_free;
    return slot;
  }
  cases_.push_back(Case{});
  return static_cast<std::uint32_t>(cases_.size() - 1);
}

void SupportModel::free_case_slot(std::uint32_t slot) {
  cases_[slot].state = CaseState::free;
  cases_[slot].next_free = free_case_;
  free_case_ = slot;
}

void SupportModel::on_arrival(QueueIndex q) {
  Queue &queue = queues_[q];
  const sim::SimTime now = calendar_.now();
  // The case's intrinsic randomness comes from the arrival stream, in a fixed order, so the
  // same seed gives the same cases whatever the staffing (common random numbers).
  const auto priority = static_cast<Priority>(queue.priority_pick(queue.arrivals.engine()));
  const sim::Duration work = minutes(queue.config->handle_minutes.sample(queue.arrivals));
  const sim::Duration patience =
      queue.config->patience_minutes
          ? minutes(queue.config->patience_minutes->sample(queue.arrivals))
          : sim::Duration::max();
  schedule_next_arrival(q);

  const std::uint32_t slot = new_case_slot();
  Case &c = cases_[slot];
  c = Case{next_case_number_++, now,    sim::SimTime::max(), work, {}, q, priority,
           CaseState::waiting,  no_case};
  sink_.on(CaseArrived{now, c.number, q, priority});

  if (!queue.idle.empty()) {
    const AgentIndex a = queue.idle.back();
    queue.idle.pop_back();
    start_work(a, slot);
    return;
  }
  queue.waiting[index_of(priority)].push_back(slot);
  const sim::SimTime gives_up = sim::saturating_add(now, patience);
  if (gives_up <= end_)
    c.patience_timer = calendar_.schedule(gives_up, sim::Phase::arrive,
                                          static_cast<std::uint8_t>(EventKind::patience_end), slot);
}

void SupportModel::start_work(AgentIndex a, std::uint32_t slot) {
  Case &c = cases_[slot];
  const sim::SimTime now = calendar_.now();
  calendar_.cancel(c.patience_timer);
  c.state = CaseState::in_work;
  c.work_started = now;
  agents_[a].case_slot = slot;
  sink_.on(FirstResponse{now, c.number, c.queue, c.priority, c.arrived, a});
  const sim::SimTime done = sim::saturating_add(now, c.work);
  if (done <= end_)
    calendar_.schedule(done, sim::Phase::release, static_cast<std::uint8_t>(EventKind::work_done),
                       a);
}

void SupportModel::on_work_done(AgentIndex a) {
  Agent &agent = agents_[a];
  const std::uint32_t slot = agent.case_slot;
  {
    const Case &c = cases_[slot];
    sink_.on(
        CaseResolved{calendar_.now(), c.number, c.queue, c.priority, c.arrived, c.work_started, a});
  }
  free_case_slot(slot);
  agent.case_slot = no_case;

  // Take the most urgent waiting case, oldest first. Abandoned cases are still in the queue
  // (removing them from the middle would cost a search); they are dropped here.
  Queue &queue = queues_[agent.queue];
  for (auto &waiting : queue.waiting) {
    while (!waiting.empty()) {
      const std::uint32_t next = waiting.front();
      waiting.pop_front();
      if (cases_[next].state == CaseState::waiting) {
        start_work(a, next);
        return;
      }
      assert(cases_[next].state == CaseState::abandoned);
      free_case_slot(next);
    }
  }
  queue.idle.push_back(a);
}

void SupportModel::on_patience_end(std::uint32_t slot) {
  Case &c = cases_[slot];
  assert(c.state == CaseState::waiting && "a served case's patience timer is cancelled");
  c.state = CaseState::abandoned;
  c.patience_timer = {};
  sink_.on(CaseAbandoned{calendar_.now(), c.number, c.queue, c.priority, c.arrived});
}

void SupportModel::report_open_cases() {
  // In case-number order, so the records are the same whatever the slot reuse pattern.
  std::vector<std::uint32_t> open;
  for (std::uint32_t s = 0; s < cases_.size(); ++s)
    if (cases_[s].state == CaseState::waiting || cases_[s].state == CaseState::in_work)
      open.push_back(s);
  std::sort(open.begin(), open.end(), [this](std::uint32_t a, std::uint32_t b) {
    return cases_[a].number < cases_[b].number;
  });
  std::vector<AgentIndex> agent_of(cases_.size(), 0);
  for (AgentIndex a = 0; a < agents_.size(); ++a)
    if (agents_[a].case_slot != no_case) agent_of[agents_[a].case_slot] = a;
  for (const std::uint32_t s : open) {
    const Case &c = cases_[s];
    sink_.on(
        CaseOpenAtEnd{end_, c.number, c.queue, c.priority, c.arrived, c.work_started, agent_of[s]});
  }
}

} // namespace supportsim::models
