#include "analysis/metrics/sink.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>

namespace supportsim::analysis {

namespace {
constexpr double nan = std::numeric_limits<double>::quiet_NaN();
double ratio(double num, double den) {
  return den > 0 ? num / den : nan;
}
} // namespace

MetricsSink::MetricsSink(const models::OrganisationConfig &organisation, sim::Duration warmup,
                         std::span<const int> sl_seconds)
    : organisation_(organisation), sla_clock_(organisation), clock_(organisation.start),
      window_start_(sim::SimTime::zero() + warmup),
      sl_seconds_(sl_seconds.begin(), sl_seconds.end()) {
  for (const models::TriggerConfig &t : organisation.triggers)
    if (t.action == models::TriggerAction::overtime)
      overtime_factor_ = std::max(overtime_factor_, t.overtime_cost_factor);
}

void MetricsSink::on(const models::RunStarted &r) {
  end_ = r.end;
  const std::size_t regions = organisation_.regions.size();
  segment_cells_ = (regions + 1) * cells_per_region;
  channel_cells_ = segment_cells_ + models::segment_count;
  cells_.assign(channel_cells_ + models::channel_count, Cell{});
  region_time_.assign(regions, RegionTime{});
  group_time_.assign(organisation_.agent_groups.size(), RegionTime{});
  const std::size_t hours =
      end_ > window_start_
          ? static_cast<std::size_t>((end_ - window_start_ - sim::Duration::from_ticks(1)).ticks() /
                                     sim::Duration::hours(1).ticks()) +
                1
          : 0;
  hour_cells_.assign(regions, std::vector<HourCell>(hours));
  open_cases_.assign(regions, 0.0);
  open_arrivals_.assign(regions, 0.0);
  hour_of_week_arrivals_.assign(regions, {});
  zones_.clear();
  for (const models::RegionConfig &region : organisation_.regions)
    zones_.push_back(sim::find_zone(region.time_zone));
  starting_headcount_.assign(regions, 0);
  local_hours_.reset();
  queue_cells_.assign(regions, {});
  if (end_ > window_start_) {
    local_hours_.emplace(clock_.to_utc(window_start_), clock_.to_utc(end_), 60, zones_);
    for (std::size_t q = 0; q < regions; ++q)
      for (std::vector<QueueTally> &cells : queue_cells_[q])
        cells.assign(local_hours_->intervals(q), QueueTally(sl_seconds_.size()));
  }
  for (const models::AgentInfo &a : r.agents) {
    agents_.push_back(
        AgentTrack{a, models::AgentState::off, false, false, 0, sim::SimTime::zero()});
    ++starting_headcount_[a.region];
  }
}

void MetricsSink::on(const models::AgentHired &r) {
  if (agents_.size() <= r.agent) agents_.resize(r.agent + 1);
  agents_[r.agent] = AgentTrack{r.info, models::AgentState::off, false, false, 0, r.time};
}

template <class F> void MetricsSink::for_cells(const models::CaseInfo &c, F &&f) {
  for (const std::size_t base :
       {c.region * cells_per_region, organisation_.regions.size() * cells_per_region}) {
    f(cells_[base + models::index_of(c.priority)]);
    f(cells_[base + models::priority_count]);
  }
  f(cells_[segment_cells_ + models::index_of(c.segment)]);
  f(cells_[channel_cells_ + models::index_of(c.channel)]);
}

QueueTally *MetricsSink::queue_cell(const models::CaseInfo &c) {
  if (!models::is_synchronous(c.channel) || !counts(c) || !local_hours_) return nullptr;
  const std::size_t hour = local_hours_->index(c.region, clock_.to_utc(c.arrived));
  if (hour == backtest::IntervalGrid::outside) return nullptr;
  return &queue_cells_[c.region][models::index_of(c.channel)][hour];
}

std::optional<std::size_t> MetricsSink::hour_of(sim::SimTime t) const {
  if (t < window_start_) return std::nullopt;
  const auto hour =
      static_cast<std::size_t>((t - window_start_).ticks() / sim::Duration::hours(1).ticks());
  if (hour_cells_.empty() || hour >= hour_cells_[0].size()) return std::nullopt;
  return hour;
}

void MetricsSink::advance_to(sim::SimTime t) {
  // An hour's backlog is what is open when it ends: before any record at or after its end.
  const std::size_t hours = hour_cells_.empty() ? 0 : hour_cells_[0].size();
  while (hours_recorded_ < hours &&
         window_start_ + sim::Duration::hours(static_cast<std::int64_t>(hours_recorded_) + 1) <=
             t) {
    const double hour_end =
        (window_start_ + sim::Duration::hours(static_cast<std::int64_t>(hours_recorded_) + 1))
            .to_minutes();
    for (std::size_t r = 0; r < hour_cells_.size(); ++r) {
      HourCell &h = hour_cells_[r][hours_recorded_];
      h.backlog = open_cases_[r];
      // Mean age = now - mean arrival; an open case's age counts from its arrival.
      h.backlog_age = open_cases_[r] > 0 ? hour_end - open_arrivals_[r] / open_cases_[r] : nan;
    }
    ++hours_recorded_;
  }
}

double MetricsSink::window_minutes(sim::SimTime from, sim::SimTime to) const {
  const sim::SimTime a = std::max(from, window_start_);
  const sim::SimTime b = std::min(to, end_);
  return b > a ? (b - a).to_minutes() : 0.0;
}

void MetricsSink::on(const models::CaseArrived &r) {
  advance_to(r.time);
  open_cases_[r.info.region] += 1;
  open_arrivals_[r.info.region] += r.info.arrived.to_minutes();
  if (!counts(r.info)) return;
  if (const auto hour = hour_of(r.time)) hour_cells_[r.info.region][*hour].offered += 1;
  if (QueueTally *q = queue_cell(r.info)) q->offered += 1;
  for_cells(r.info, [](Cell &c) { ++c.offered; });
  // Demand against the forecast by local hour of the week (by week: the weeks' offered).
  hour_of_week_arrivals_[r.info.region]
                        [sim::hour_of_week(clock_.to_local(zones_[r.info.region], r.time))] += 1;
}

void MetricsSink::on(const models::NoQualifiedAgent &r) {
  if (counts(r.info)) for_cells(r.info, [](Cell &c) { ++c.no_qualified_agent; });
}

void MetricsSink::on(const models::FirstResponse &r) {
  if (!counts(r.info)) return;
  const sim::Duration wait = r.time - r.info.arrived;
  const bool in_target = sla_clock_.within_target(r.info, r.time);
  const double minutes = wait.to_minutes();
  if (QueueTally *q = queue_cell(r.info)) q->add_answered(minutes * 60.0, sl_seconds_);
  if (const auto hour = hour_of(r.info.arrived)) {
    HourCell &d = hour_cells_[r.info.region][*hour];
    d.answered += 1;
    d.in_target += in_target;
    d.answered_wait += minutes;
  }
  for_cells(r.info, [&](Cell &c) {
    ++c.answered;
    c.answered_in_target += in_target;
    c.wait_sum += minutes;
    c.answered_wait_sum += minutes;
    c.waits.add(wait);
  });
}

void MetricsSink::on(const models::TouchStarted &r) {
  AgentTrack &a = agents_[r.agent];
  close(a, r.time);
  ++a.in_hand;
  if (r.handoff && counts(r.info)) for_cells(r.info, [](Cell &c) { ++c.handoffs; });
}

void MetricsSink::on(const models::TouchCompleted &r) {
  AgentTrack &a = agents_[r.agent];
  close(a, r.time);
  --a.in_hand;
  // The touch's work, in the hour it ended (its part inside the window only).
  if (const auto hour = hour_of(r.time)) {
    const double minutes = (r.time - std::max(r.started, window_start_)).to_minutes();
    HourCell &h = hour_cells_[r.info.region][*hour];
    h.work += minutes;
    if (a.info.region != r.info.region) h.work_other_regions += minutes;
    const models::AgentGroupConfig &g = organisation_.agent_groups[a.info.group];
    if (organisation_.tiers[g.tier].role == models::TierRole::escalation)
      h.work_escalation_tiers += minutes;
  }
  const bool escalation = r.outcome == models::TouchOutcome::escalated ||
                          r.outcome == models::TouchOutcome::to_engineering;
  if (escalation && counts(r.info)) for_cells(r.info, [](Cell &c) { ++c.escalations; });
}

void MetricsSink::on(const models::CaseResolved &r) {
  advance_to(r.time);
  open_cases_[r.info.region] -= 1;
  open_arrivals_[r.info.region] -= r.info.arrived.to_minutes();
  if (!counts(r.info)) return;
  const sim::Duration resolution = r.time - r.info.arrived;
  for_cells(r.info, [&](Cell &c) {
    ++c.resolved;
    c.touches_of_resolved += r.touches;
    c.resolution_sum += resolution.to_minutes();
    c.resolutions.add(resolution);
  });
}

void MetricsSink::on(const models::CaseReopened &r) {
  if (counts(r.info)) for_cells(r.info, [](Cell &c) { ++c.reopens; });
}

void MetricsSink::on(const models::CaseAbandoned &r) {
  advance_to(r.time);
  open_cases_[r.info.region] -= 1;
  open_arrivals_[r.info.region] -= r.info.arrived.to_minutes();
  if (!counts(r.info)) return;
  if (const auto hour = hour_of(r.info.arrived)) hour_cells_[r.info.region][*hour].abandoned += 1;
  const sim::Duration wait = r.time - r.info.arrived;
  const double minutes = wait.to_minutes();
  if (QueueTally *q = queue_cell(r.info)) q->add_abandoned(minutes * 60.0);
  for_cells(r.info, [&](Cell &c) {
    ++c.abandoned;
    c.wait_sum += minutes;
    c.waits.add(wait);
  });
}

void MetricsSink::on(const models::CaseOpenAtEnd &r) {
  if (!counts(r.info)) return;
  const bool waiting = r.state == models::OpenState::awaiting_first_response;
  const bool past_target = waiting && !sla_clock_.within_target(r.info, r.time);
  if (const auto hour = hour_of(r.info.arrived))
    hour_cells_[r.info.region][*hour].waiting_past_target += past_target;
  for_cells(r.info, [&](Cell &c) {
    ++c.open;
    c.open_waiting_past_target += past_target;
  });
}

void MetricsSink::close(AgentTrack &a, sim::SimTime t) {
  // The region's agents' time per hour of the window, split at hour boundaries.
  if (a.state == models::AgentState::available && t > window_start_) {
    sim::SimTime from = std::max(a.since, window_start_);
    while (from < t) {
      const auto hour = hour_of(from);
      if (!hour) break;
      const sim::SimTime hour_end =
          window_start_ + sim::Duration::hours(static_cast<std::int64_t>(*hour) + 1);
      const sim::SimTime to = std::min(t, hour_end);
      HourCell &d = hour_cells_[a.info.region][*hour];
      d.available += (to - from).to_minutes();
      if (a.in_hand > 0) d.busy += (to - from).to_minutes();
      from = to;
    }
  }
  const double minutes = window_minutes(a.since, t);
  a.since = t;
  for (RegionTime *rt : {&region_time_[a.info.region], &group_time_[a.info.group]}) {
    // Busy counts only while available: a touch that runs into a break is not work time there,
    // so utilisation never exceeds 1.
    if (a.state == models::AgentState::available) {
      rt->available += minutes;
      if (a.in_hand > 0) rt->busy += minutes;
    }
    if (a.state != models::AgentState::off && a.paid) {
      const models::AgentGroupConfig &g = organisation_.agent_groups[a.info.group];
      rt->paid += minutes;
      if (a.overtime) rt->overtime += minutes;
      rt->cost += minutes / 60.0 * g.cost_per_agent_hour * (a.overtime ? overtime_factor_ : 1.0);
    }
  }
}

void MetricsSink::on(const models::AgentStateChanged &r) {
  AgentTrack &a = agents_[r.agent];
  close(a, r.time);
  a.state = r.state;
  a.paid = r.paid;
  a.overtime = r.overtime;
}

void MetricsSink::on(const models::TriggerFired &r) {
  if (r.time >= window_start_) ++region_time_[r.region].firings;
}

void MetricsSink::on(const models::RunEnded &r) {
  for (AgentTrack &a : agents_)
    close(a, r.time);
  advance_to(sim::SimTime::max()); // the last hour, however short, ends with the run
}

IntervalFigures MetricsSink::interval_figures(std::size_t region, std::size_t first,
                                              std::size_t count) const {
  HourCell sum;
  for (std::size_t h = first; h < first + count; ++h) {
    const HourCell &c = hour_cells_[region][h];
    sum.offered += c.offered;
    sum.answered += c.answered;
    sum.in_target += c.in_target;
    sum.abandoned += c.abandoned;
    sum.waiting_past_target += c.waiting_past_target;
    sum.answered_wait += c.answered_wait;
    sum.available += c.available;
    sum.busy += c.busy;
    sum.work += c.work;
    sum.work_other_regions += c.work_other_regions;
    sum.work_escalation_tiers += c.work_escalation_tiers;
  }
  const double decided = sum.answered + sum.abandoned + sum.waiting_past_target;
  IntervalFigures f;
  f.offered = sum.offered;
  f.answered = sum.answered;
  f.sla_attainment = ratio(sum.in_target, decided);
  f.asa = ratio(sum.answered_wait, sum.answered);
  f.abandonment = ratio(sum.abandoned, sum.offered);
  f.backlog = hour_cells_[region][first + count - 1].backlog; // at the interval's end
  f.backlog_age_hours = hour_cells_[region][first + count - 1].backlog_age / 60.0;
  f.utilisation = ratio(sum.busy, sum.available);
  f.available_hours = sum.available / 60.0;
  f.work_hours = sum.work / 60.0;
  f.work_hours_other_regions = sum.work_other_regions / 60.0;
  f.work_hours_escalation_tiers = sum.work_escalation_tiers / 60.0;
  return f;
}

CaseFigures MetricsSink::figures_of(const Cell &c) const {
  CaseFigures f;
  f.offered = c.offered;
  f.answered = c.answered;
  f.abandoned = c.abandoned;
  f.resolved = c.resolved;
  f.open = c.open;
  // Outcome known: answered (in or out of target), abandoned (a miss), or still waiting past
  // the target (a miss). A case still waiting within its target is not yet decided.
  const double decided = static_cast<double>(c.answered + c.abandoned + c.open_waiting_past_target);
  const auto offered = static_cast<double>(c.offered);
  f.sla_attainment = ratio(static_cast<double>(c.answered_in_target), decided);
  f.abandonment = ratio(static_cast<double>(c.abandoned), offered);
  f.mean_wait = ratio(c.wait_sum, static_cast<double>(c.answered + c.abandoned));
  f.asa = ratio(c.answered_wait_sum, static_cast<double>(c.answered));
  f.p90_wait = c.waits.quantile_minutes(0.9);
  f.touches = ratio(static_cast<double>(c.touches_of_resolved), static_cast<double>(c.resolved));
  f.mean_resolution = ratio(c.resolution_sum, static_cast<double>(c.resolved)) / 60;
  f.p90_resolution = c.resolutions.quantile_minutes(0.9) / 60;
  f.escalation_rate = ratio(static_cast<double>(c.escalations), offered);
  f.reopen_rate = ratio(static_cast<double>(c.reopens), offered);
  f.handoff_rate = ratio(static_cast<double>(c.handoffs), offered);
  f.no_qualified_agent_rate = ratio(static_cast<double>(c.no_qualified_agent), offered);
  return f;
}

RegionFigures MetricsSink::region_figures(std::size_t cells, const RegionTime &t) const {
  RegionFigures rf;
  for (std::size_t p = 0; p < models::priority_count; ++p)
    rf.by_priority[p] = figures_of(cells_[cells + p]);
  rf.all = figures_of(cells_[cells + models::priority_count]);
  rf.utilisation = ratio(t.busy, t.available);
  rf.paid_hours = t.paid / 60.0;
  rf.overtime_hours = t.overtime / 60.0;
  rf.idle_hours = (t.available - t.busy) / 60.0;
  rf.cost = t.cost;
  rf.cost_per_resolved = ratio(t.cost, static_cast<double>(rf.all.resolved));
  rf.trigger_firings = t.firings;
  return rf;
}

void MetricsSink::call_centre_figures(std::size_t region, RegionFigures &out,
                                      RegionFigures &all) const {
  for (std::size_t k = 0; k < synchronous_channel_count; ++k) {
    CallCentreFigures &f = out.callcentre[k];
    f.window = QueueTally(sl_seconds_.size());
    if (queue_cells_.empty()) continue;
    f.hours = queue_cells_[region][k];
    for (const QueueTally &h : f.hours)
      f.window.add(h);
    all.callcentre[k].window.add(f.window);
  }
  if (!local_hours_) return;
  for (std::size_t h = 0; h < local_hours_->intervals(region); ++h) {
    out.local_hour_starts.push_back(local_hours_->start_of(region, h));
    out.local_hour_labels.push_back(local_hours_->local_label(region, h));
  }
}

ReplicationFigures MetricsSink::figures() const {
  ReplicationFigures out;
  RegionTime total;
  std::uint32_t agents = 0;
  for (CallCentreFigures &c : out.all.callcentre)
    c.window = QueueTally(sl_seconds_.size());
  for (std::size_t r = 0; r < organisation_.regions.size(); ++r) {
    const RegionTime &t = region_time_[r];
    out.regions.push_back(region_figures(r * cells_per_region, t));
    out.regions.back().name = organisation_.regions[r].name;
    out.regions.back().agents = starting_headcount_[r];
    out.regions.back().hour_of_week_arrivals = hour_of_week_arrivals_[r];
    const std::size_t hours = hour_cells_[r].size();
    for (const auto &[length, intervals] :
         {std::pair{std::size_t{1}, &out.regions.back().hours},
          std::pair{std::size_t{24}, &out.regions.back().days},
          std::pair{std::size_t{hours_per_week}, &out.regions.back().weeks}})
      for (std::size_t first = 0; first < hours; first += length)
        intervals->push_back(interval_figures(r, first, std::min(length, hours - first)));
    call_centre_figures(r, out.regions.back(), out.all);
    agents += starting_headcount_[r];
    total.available += t.available;
    total.busy += t.busy;
    total.paid += t.paid;
    total.overtime += t.overtime;
    total.cost += t.cost;
    total.firings += t.firings;
  }
  const auto all_callcentre = out.all.callcentre; // summed over the regions above
  out.all = region_figures(organisation_.regions.size() * cells_per_region, total);
  out.all.callcentre = all_callcentre;
  out.sl_seconds = sl_seconds_;
  out.all.name = "all";
  out.all.agents = agents;
  for (const RegionTime &t : group_time_)
    out.groups.push_back(GroupFigures{ratio(t.busy, t.available), t.paid / 60.0, t.overtime / 60.0,
                                      (t.available - t.busy) / 60.0, t.cost});
  for (std::size_t k = 0; k < models::segment_count; ++k)
    out.by_segment[k] = figures_of(cells_[segment_cells_ + k]);
  for (std::size_t k = 0; k < models::channel_count; ++k)
    out.by_channel[k] = figures_of(cells_[channel_cells_ + k]);
  return out;
}

} // namespace supportsim::analysis
