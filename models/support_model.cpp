#include "models/support_model.hpp"

#include "models/case/birth.hpp"
#include "models/case/touch.hpp"
#include "models/draws.hpp"
#include "models/events.hpp"

#include <algorithm>
#include <cassert>
#include <stdexcept>

namespace supportsim::models {

namespace {

/// The run's end, which the calendar must be able to hold.
sim::SimTime within_calendar(sim::SimTime end) {
  if (end > sim::Calendar::max_time())
    throw std::invalid_argument("model: horizon beyond the calendar's range");
  return end;
}

} // namespace

SupportModel::SupportModel(const OrganisationConfig &config, const sim::RandomStreams &streams,
                           RecordSink &sink, CaseReplay *replay)
    : config_(config), sink_(sink), end_(sim::SimTime::zero() + config.horizon),
      clock_(config.start), demand_(config, clock_, streams, end_), replay_(replay),
      replay_key_(streams.stream("replay").engine()()), rules_(config),
      waiting_(config, rules_, cases_), agents_(config, streams.stream("agents").engine()()),
      roster_(config, clock_, within_calendar(end_)),
      staffed_(config, clock_, end_, streams, agents_),
      router_(config, rules_, cases_, waiting_, agents_), triggers_(config, cases_, waiting_) {
  // A staffing plan names the agents itself (staffed_); otherwise the groups' headcount and
  // hiring plan do.
  if (!staffed_.active()) {
    std::vector<std::uint32_t> next_number = add_starting_headcount(config, streams, agents_);
    hires_ = plan_hires(config, clock_, roster_, end_, next_number);
  }
  for (AgentIndex a = 0; a < agents_.size(); ++a)
    starting_agents_.push_back(agents_[a].info);
  agents_.reserve(agents_.size() + hires_.size());
}

sim::EventHandle SupportModel::schedule_before_end(sim::SimTime at, sim::Phase phase,
                                                   EventKind kind, std::uint32_t id) {
  if (at < end_) return schedule(calendar_, at, phase, kind, id);
  return {};
}

void SupportModel::run() {
  sink_.on(RunStarted{&config_, starting_agents_, end_});
  const sim::SimTime now = calendar_.now();
  for (AgentIndex a = 0; a < agents_.size(); ++a) {
    if (!staffed_.active()) schedule_leave(a); // a staffing plan has no attrition
    schedule_next_shift(a, now);
  }
  for (std::uint32_t h = 0; h < hires_.size(); ++h)
    schedule(calendar_, hires_[h].at, sim::Phase::release, EventKind::hire, h);
  if (replay_) schedule_next_replayed();
  for (std::size_t s = 0; !replay_ && s < demand_.source_count(); ++s)
    schedule_before_end(demand_.next_arrival(s, now), sim::Phase::arrive, EventKind::arrival,
                        static_cast<std::uint32_t>(s));
  for (std::uint32_t t = 0; t < config_.triggers.size(); ++t)
    schedule_before_end(now + config_.triggers[t].check_every, sim::Phase::observe,
                        EventKind::trigger_check, t);
  calendar_.run_until(end_, [this](const sim::Event &e) { handle(e); });
  report_open_cases();
  // Conservation: every case that arrived has ended exactly once (resolved, abandoned or open).
  assert(cases_.conserved());
  sink_.on(RunEnded{end_});
}

void SupportModel::handle(const sim::Event &e) {
  switch (static_cast<EventKind>(e.kind)) {
  case EventKind::replayed_arrival:
    return on_replayed_arrival();
  case EventKind::arrival:
    return on_arrival(e.id);
  case EventKind::touch_done:
    return on_touch_done(e.id);
  case EventKind::patience_end:
    return on_patience_end(e.id);
  case EventKind::overflow:
    return on_overflow(e.id);
  case EventKind::case_ready:
    return on_case_ready(e.id);
  case EventKind::shift_start:
    return on_shift_start(e.id);
  case EventKind::shift_end:
    return on_shift_end(e.id);
  case EventKind::pause_start:
  case EventKind::unpaid_pause_start:
    return on_pause(e.id, true, static_cast<EventKind>(e.kind) == EventKind::unpaid_pause_start);
  case EventKind::pause_end:
  case EventKind::unpaid_pause_end:
    return on_pause(e.id, false, static_cast<EventKind>(e.kind) == EventKind::unpaid_pause_end);
  case EventKind::training_done:
  case EventKind::effect_end:
    report_state(e.id);
    return find_work(e.id);
  case EventKind::overtime_mark:
    return report_state(e.id);
  case EventKind::hire:
    return on_hire(e.id);
  case EventKind::leave:
    return on_leave(e.id);
  case EventKind::trigger_check:
    return on_trigger_check(e.id);
  }
}

// --- Cases ----------------------------------------------------------------------------------

void SupportModel::on_arrival(std::uint32_t source) {
  const sim::SimTime now = calendar_.now();
  const Demand::NewCase n = demand_.draw_case(source);
  schedule_before_end(demand_.next_arrival(source, now), sim::Phase::arrive, EventKind::arrival,
                      source);
  admit(n);
}

void SupportModel::on_replayed_arrival() {
  // The case read ahead arrives now; the next one is read and scheduled.
  const ReplayedCase row = next_replayed_;
  const std::uint64_t seed = row.seed ? *row.seed : mix(replay_key_ + ++replayed_);
  schedule_next_replayed();
  admit(demand_.complete(row, seed), config_.actual_service ? &row : nullptr);
}

void SupportModel::schedule_next_replayed() {
  // Cases arriving before the run's start are not simulated; the first after its end stops it.
  // A case arrives when it joined the queue, if the history says (after the IVR), else when it
  // was created; the history is in creation order, so one queued before the case read before
  // it arrives with that one.
  while (replay_->next(next_replayed_)) {
    const ReplayedCase &row = next_replayed_;
    const bool queued = row.queued.has_value();
    const sim::UtcTime arrives = queued ? *row.queued : row.created;
    if (arrives < clock_.epoch()) continue;
    const sim::SimTime at = clock_.from_utc(arrives);
    schedule_before_end(queued ? std::max(at, calendar_.now()) : at, sim::Phase::arrive,
                        EventKind::replayed_arrival, 0);
    return;
  }
}

void SupportModel::admit(const Demand::NewCase &n, const ReplayedCase *actual) {
  const sim::SimTime now = calendar_.now();
  if (cases_.open() >= config_.max_open_cases) stop_overloaded();
  const std::uint32_t slot = cases_.new_slot();
  Case &c = cases_[slot];
  c = Case{};
  c.info = n.info;
  c.info.number = cases_.number_next();
  c.info.arrived = now;
  c.seed = n.seed;
  c.prev = c.next = c.bucket = none;
  c.agent = no_agent;
  c.info.account = n.account == ~0u ? no_account : static_cast<std::uint16_t>(n.account);
  c.tier = front_line;
  c.queue_region = c.info.region;
  c.owner_region = c.info.region;
  c.work_type = first_work_type(c.info);
  const std::optional<sim::Duration> patience = draw_birth(c, config_.lifecycle);
  if (actual || slot < actual_work_.size()) {
    if (actual && actual->touches)
      c.touches_needed = static_cast<std::uint16_t>(std::clamp<int>(*actual->touches, 1, 1000));
    if (slot >= actual_work_.size()) actual_work_.resize(slot + 1);
    actual_work_[slot] = actual ? actual_work(*actual, c.touches_needed) : ActualWork{};
  }
  sink_.on(CaseArrived{now, c.info, c.work_type});

  offer(slot);
  // A phone or chat customer still waiting hangs up when their patience runs out.
  if (cases_[slot].state == CaseState::queued && patience)
    cases_[slot].patience_timer = schedule_before_end(
        sim::saturating_add(now, *patience), sim::Phase::arrive, EventKind::patience_end, slot);
}

void SupportModel::stop_overloaded() const {
  OpenCaseLimit::Where where{.at = clock_.to_utc(calendar_.now()),
                             .open = cases_.open(),
                             .limit = config_.max_open_cases};
  for (std::size_t r = 0; r < config_.regions.size(); ++r)
    for (std::size_t w = 0; w < work_type_count; ++w)
      if (waiting_.queued(r, WorkType(w)) > where.waiting) {
        where.region = r;
        where.work_type = WorkType(w);
        where.waiting = waiting_.queued(r, WorkType(w));
      }
  throw OpenCaseLimit(where);
}

void SupportModel::offer(std::uint32_t slot) {
  Case &c = cases_[slot];
  const sim::SimTime now = calendar_.now();
  if (c.state != CaseState::queued) c.queued_at = now;
  const std::uint32_t bucket = waiting_.bucket_of(c);
  const AgentIndex best = router_.best_agent(slot, bucket, now);
  if (best != no_agent) {
    start_touch(best, slot);
    return;
  }
  if (c.state == CaseState::queued) return; // overflowed: still waiting, for more agents now
  // A new case nobody on shift could take even after overflow (no one with the skill, the
  // language or the tier is working now) is counted, and waits.
  if (!c.first_response_done && !router_.anyone_could_take(c))
    sink_.on(NoQualifiedAgent{now, c.info});
  waiting_.enqueue(slot, bucket);
  c.overflow_timer =
      schedule_before_end(sim::saturating_add(now, overflow_after(config_.routing, c)),
                          sim::Phase::arrive, EventKind::overflow, slot);
}

void SupportModel::start_touch(AgentIndex a, std::uint32_t slot) {
  Case &c = cases_[slot];
  Agent &agent = agents_[a];
  const sim::SimTime now = calendar_.now();
  if (c.state == CaseState::queued) waiting_.unlink(slot);
  calendar_.cancel(c.patience_timer);
  calendar_.cancel(c.overflow_timer);
  const bool live_chat = is_live_chat(c);
  const bool handoff = c.agent != no_agent && agents_[c.agent].info.region != agent.info.region;
  c.state = CaseState::in_work;
  c.agent = a;
  c.touch_started = now;
  ++agent.in_hand;
  if (live_chat) agent.chatting = true;
  double work = draw_touch(
      c, config_, product_proficiency(config_.agent_groups[agent.info.group], c.info.product),
      tenure_months(agent, now), live_chat ? agent.in_hand : 0u);
  // A backtest with actual service: the minutes the history gives, whoever works the touch.
  if (slot < actual_work_.size()) work = actual_work_[slot].minutes(c.touches_started, work);
  if (!c.first_response_done) note_first_response(c, a);
  sink_.on(TouchStarted{now, c.info, a, c.touches_started, c.work_type, handoff, live_chat});
  ++c.touches_started;
  schedule_before_end(sim::saturating_add(now, minutes(work)), sim::Phase::release,
                      EventKind::touch_done, slot);
  agents_.refresh(a, now);
}

void SupportModel::note_first_response(Case &c, AgentIndex a) {
  const sim::SimTime now = calendar_.now();
  c.first_response_done = true;
  sink_.on(FirstResponse{now, c.info, a});
  if (triggers_.watches_responses())
    triggers_.note_response(c.info.region, now,
                            now - c.info.arrived <=
                                config_.service_levels.first_response[index_of(c.info.segment)]
                                                                     [index_of(c.info.priority)]);
}

void SupportModel::on_touch_done(std::uint32_t slot) {
  Case &c = cases_[slot];
  const AgentIndex a = c.agent;
  Agent &agent = agents_[a];
  const sim::SimTime now = calendar_.now();
  const sim::SimTime started = c.touch_started;
  --agent.in_hand;
  if (agent.in_hand == 0) agent.chatting = false;
  const TouchEnd end =
      end_touch(c, config_, agent.tier, agent.info.region, tenure_months(agent, now));
  sink_.on(TouchCompleted{now, c.info, a, started, end.outcome, end.to_tier});
  switch (end.outcome) {
  case TouchOutcome::escalated:
    offer(slot); // to the next tier's queue
    break;
  case TouchOutcome::to_engineering:
  case TouchOutcome::follow_up:
  case TouchOutcome::solved_reopens:
    schedule_before_end(sim::saturating_add(now, end.wait), sim::Phase::arrive,
                        EventKind::case_ready, slot);
    break;
  case TouchOutcome::resolved:
    sink_.on(CaseResolved{now, c.info, a, c.touches_started});
    cases_.end(slot);
    break;
  }
  report_state(a);
  find_work(a);
}

void SupportModel::on_case_ready(std::uint32_t slot) {
  Case &c = cases_[slot];
  if (c.reopen_pending) {
    c.reopen_pending = false;
    sink_.on(CaseReopened{calendar_.now(), c.info});
  }
  offer(slot);
}

void SupportModel::on_patience_end(std::uint32_t slot) {
  Case &c = cases_[slot];
  assert(c.state == CaseState::queued && "an answered case's patience timer is cancelled");
  waiting_.unlink(slot);
  calendar_.cancel(c.overflow_timer);
  c.patience_timer = {};
  sink_.on(CaseAbandoned{calendar_.now(), c.info});
  if (triggers_.watches_responses()) triggers_.note_response(c.info.region, calendar_.now(), false);
  cases_.end(slot);
}

void SupportModel::on_overflow(std::uint32_t slot) {
  cases_[slot].overflow_timer = {};
  waiting_.overflowed(slot);
  offer(slot); // still queued: more agents may take it now
}

void SupportModel::report_open_cases() {
  for (const std::uint32_t s : cases_.close_open()) {
    const Case &c = cases_[s];
    OpenState state = OpenState::queued;
    switch (c.state) {
    case CaseState::queued:
      state = c.first_response_done ? OpenState::queued : OpenState::awaiting_first_response;
      break;
    case CaseState::in_work:
      state = OpenState::in_work;
      break;
    case CaseState::waiting_customer:
      state = OpenState::waiting_customer;
      break;
    case CaseState::waiting_engineering:
      state = OpenState::waiting_engineering;
      break;
    case CaseState::free:
      break;
    }
    const bool working = c.state == CaseState::in_work;
    sink_.on(CaseOpenAtEnd{end_, c.info, state, working ? c.agent : no_agent,
                           working ? c.touch_started : sim::SimTime::max()});
  }
}

// --- Agents ---------------------------------------------------------------------------------

Shift SupportModel::next_shift(AgentIndex a, sim::SimTime from) const {
  return staffed_.active() ? staffed_.next_shift(a, from) : roster_.next_shift(agents_[a], from);
}

void SupportModel::schedule_next_shift(AgentIndex a, sim::SimTime from) {
  const Shift s = next_shift(a, from);
  if (s.pattern == none || s.start >= end_) return;
  schedule(calendar_, std::max(s.start, from), sim::Phase::release, EventKind::shift_start, a);
}

void SupportModel::schedule_leave(AgentIndex a) {
  Agent &agent = agents_[a];
  const std::optional<sim::SimTime> leaves =
      draw_leave(config_.agent_groups[agent.info.group], agent, calendar_.now());
  if (leaves) schedule_before_end(*leaves, sim::Phase::release, EventKind::leave, a);
}

void SupportModel::on_shift_start(AgentIndex a) {
  Agent &agent = agents_[a];
  if (!agent.employed) return;
  const sim::SimTime now = calendar_.now();
  const Shift s = next_shift(a, now);
  assert(s.pattern != none && s.start <= now);
  agent.on_shift = true;
  agent.shift_end = agent.scheduled_shift_end = s.end;
  // A staffing plan's period has no pattern: no on-call, breaks, absence or off-queue block.
  if (s.pattern != Shift::staffed) plan_rostered_shift(a, s);
  agent.shift_end_event = schedule(calendar_, s.end, sim::Phase::release, EventKind::shift_end, a);
  if (now < agent.ready_at && agent.ready_at < s.end)
    schedule(calendar_, agent.ready_at, sim::Phase::release, EventKind::training_done, a);
  report_state(a);
  find_work(a);
}

void SupportModel::plan_rostered_shift(AgentIndex a, const Shift &s) {
  Agent &agent = agents_[a];
  const sim::SimTime now = calendar_.now();
  const AgentGroupConfig &g = config_.agent_groups[agent.info.group];
  agent.on_call = config_.shifts[s.pattern].on_call;
  // Both draws always happen, so one agent's shrinkage does not shift another's.
  const double absence_draw = agent.rng.uniform01();
  const double block_draw = agent.rng.uniform01();
  agent.absent = absence_draw < g.shrinkage.absence;
  if (agent.absent) return;
  // Breaks and the off-queue block, clipped to the shift; scheduled before the shift's end, so
  // a pause ending with the shift ends first.
  roster_.plan_pauses(g, s, block_draw, [&](sim::SimTime from, sim::SimTime to, bool paid) {
    from = std::max(from, now);
    to = std::min(to, s.end);
    if (to <= from) return;
    schedule(calendar_, from, sim::Phase::release,
             paid ? EventKind::pause_start : EventKind::unpaid_pause_start, a);
    schedule(calendar_, to, sim::Phase::release,
             paid ? EventKind::pause_end : EventKind::unpaid_pause_end, a);
  });
}

void SupportModel::on_shift_end(AgentIndex a) {
  Agent &agent = agents_[a];
  agent.shift_end_event = {};
  if (!agent.on_shift) return;
  agent.on_shift = false;
  agent.absent = false;
  agent.on_call = false;
  assert(agent.pauses == 0);
  report_state(a);
  agents_.refresh(a, calendar_.now());
  if (agent.employed) schedule_next_shift(a, calendar_.now());
}

void SupportModel::on_pause(AgentIndex a, bool starts, bool unpaid) {
  Agent &agent = agents_[a];
  if (!agent.on_shift) return; // left since the pause was planned
  if (starts) {
    ++agent.pauses;
    agent.unpaid_pauses += unpaid;
  } else {
    --agent.pauses;
    agent.unpaid_pauses -= unpaid;
  }
  report_state(a);
  if (starts)
    agents_.refresh(a, calendar_.now());
  else
    find_work(a);
}

void SupportModel::on_hire(std::uint32_t h) {
  const Hire &hire = hires_[h];
  const AgentIndex a = agents_.add(hire.group, hire.number, calendar_.now());
  sink_.on(AgentHired{calendar_.now(), a, agents_[a].info});
  schedule_leave(a);
  schedule_next_shift(a, calendar_.now());
}

void SupportModel::on_leave(AgentIndex a) {
  Agent &agent = agents_[a];
  agent.employed = false;
  sink_.on(AgentLeft{calendar_.now(), a});
  // Touches in hand are finished first (report_state keeps the agent working past the end).
  if (agent.on_shift) {
    calendar_.cancel(agent.shift_end_event);
    agent.on_shift = false;
    agent.absent = false;
    agent.pauses = agent.unpaid_pauses = 0;
  }
  report_state(a);
  agents_.refresh(a, calendar_.now());
}

void SupportModel::find_work(AgentIndex a) {
  Agent &agent = agents_[a];
  const sim::SimTime now = calendar_.now();
  const std::uint32_t chat_concurrency = config_.agent_groups[agent.info.group].chat_concurrency;
  while (takes_work(agent, now)) {
    const bool chat_only = agent.in_hand > 0;
    if (chat_only && (!agent.chatting || agent.in_hand >= chat_concurrency)) break;
    const std::uint32_t best = router_.best_case(a, chat_only, now);
    if (best == none) break;
    start_touch(a, best);
  }
  agents_.refresh(a, now);
}

// --- Escalation triggers --------------------------------------------------------------------

void SupportModel::on_trigger_check(std::uint32_t t) {
  const sim::SimTime now = calendar_.now();
  for (std::size_t r = 0; r < config_.regions.size(); ++r) {
    const std::optional<double> observed = triggers_.check(t, r, now);
    if (!observed) continue;
    const auto region = static_cast<std::uint8_t>(r);
    const std::span<const AgentIndex> moved =
        triggers_.fire(t, region, now, agents_, calendar_, end_);
    sink_.on(TriggerFired{now, t, region, *observed, static_cast<std::uint32_t>(moved.size())});
    // Borrowed agents may take the region's waiting cases at once.
    if (config_.triggers[t].action == TriggerAction::borrow)
      for (const AgentIndex a : moved)
        find_work(a);
  }
  schedule_before_end(now + config_.triggers[t].check_every, sim::Phase::observe,
                      EventKind::trigger_check, t);
}

} // namespace supportsim::models
