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
                         std::span<const int> sl_seconds, int interval_minutes)
    : organisation_(organisation), sla_clock_(organisation), clock_(organisation.start),
      window_start_(sim::SimTime::zero() + warmup), interval_minutes_(interval_minutes),
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
  open_cases_.assign(regions, 0.0);
  open_arrivals_.assign(regions, 0.0);
  hour_of_week_arrivals_.assign(regions, {});
  zones_.clear();
  for (const models::RegionConfig &region : organisation_.regions)
    zones_.push_back(sim::find_zone(region.time_zone));
  starting_headcount_.assign(regions, 0);
  grid_.reset();
  queue_cells_.assign(regions, {});
  interval_cells_.assign(regions, {});
  interval_ends_.assign(regions, {});
  intervals_recorded_.assign(regions, 0);
  weeks_recorded_ = 0;
  const std::size_t weeks =
      end_ > window_start_
          ? static_cast<std::size_t>((end_ - window_start_ - sim::Duration::from_ticks(1)).ticks() /
                                     sim::Duration::days(7).ticks()) +
                1
          : 0;
  week_cells_.assign(regions, std::vector<IntervalCell>(weeks));
  if (end_ > window_start_) {
    grid_.emplace(clock_.to_utc(window_start_), clock_.to_utc(end_), interval_minutes_, zones_);
    for (std::size_t q = 0; q < regions; ++q) {
      const std::size_t intervals = grid_->intervals(q);
      for (std::vector<QueueTally> &cells : queue_cells_[q])
        cells.assign(intervals, QueueTally(sl_seconds_.size()));
      interval_cells_[q].assign(intervals, IntervalCell{});
      for (std::size_t i = 0; i < intervals; ++i)
        interval_ends_[q].push_back(std::min(end_, clock_.from_utc(grid_->end_of(q, i))));
    }
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
  if (!models::is_synchronous(c.channel) || !counts(c)) return nullptr;
  const std::size_t i = interval_of(c.region, c.arrived);
  if (i == backtest::IntervalGrid::outside) return nullptr;
  return &queue_cells_[c.region][models::index_of(c.channel)][i];
}

std::size_t MetricsSink::interval_of(std::size_t region, sim::SimTime t) const {
  if (t < window_start_ || t >= end_ || !grid_) return backtest::IntervalGrid::outside;
  return grid_->index(region, clock_.to_utc(t));
}

sim::SimTime MetricsSink::week_end(std::size_t week) const {
  return std::min(end_,
                  window_start_ + sim::Duration::days(7 * static_cast<std::int64_t>(week + 1)));
}

MetricsSink::CellsOf MetricsSink::cells_of(std::size_t region, sim::SimTime t) {
  const std::size_t i = interval_of(region, t);
  if (i == backtest::IntervalGrid::outside) return {};
  return {&interval_cells_[region][i], &week_cells_[region][week_of(window_start_, t)]};
}

template <class F>
void MetricsSink::for_counts(IntervalCell &cell, const models::CaseInfo &c, F &&f) {
  f(cell.all);
  f(cell.by_channel[models::index_of(c.channel)]);
  f(cell.by_priority[models::index_of(c.priority)]);
}

void MetricsSink::IntervalCell::add(const IntervalCell &o) {
  auto add_counts = [](CaseCounts &a, const CaseCounts &b) {
    a.offered += b.offered;
    a.answered += b.answered;
    a.in_target += b.in_target;
    a.abandoned += b.abandoned;
    a.waiting_past_target += b.waiting_past_target;
    a.answered_wait += b.answered_wait;
  };
  add_counts(all, o.all);
  for (std::size_t k = 0; k < by_channel.size(); ++k)
    add_counts(by_channel[k], o.by_channel[k]);
  for (std::size_t k = 0; k < by_priority.size(); ++k)
    add_counts(by_priority[k], o.by_priority[k]);
  available += o.available;
  busy += o.busy;
  work += o.work;
  work_other_regions += o.work_other_regions;
  work_escalation_tiers += o.work_escalation_tiers;
  resolved += o.resolved;
  cost += o.cost;
  backlog = o.backlog; // at the end of the later one
  backlog_age = o.backlog_age;
}

void MetricsSink::advance_to(sim::SimTime t) {
  // An interval's backlog is what is open when it ends: before any record at or after its end.
  // Each region's intervals end on its own clock.
  for (std::size_t r = 0; r < interval_cells_.size(); ++r) {
    std::size_t &recorded = intervals_recorded_[r];
    const std::vector<sim::SimTime> &ends = interval_ends_[r];
    while (recorded < ends.size() && ends[recorded] <= t) {
      IntervalCell &cell = interval_cells_[r][recorded];
      cell.backlog = open_cases_[r];
      // Mean age = now - mean arrival; an open case's age counts from its arrival.
      cell.backlog_age = open_cases_[r] > 0
                             ? ends[recorded].to_minutes() - open_arrivals_[r] / open_cases_[r]
                             : nan;
      ++recorded;
    }
  }
  const std::size_t weeks = week_cells_.empty() ? 0 : week_cells_[0].size();
  while (weeks_recorded_ < weeks && week_end(weeks_recorded_) <= t) {
    const double end = week_end(weeks_recorded_).to_minutes();
    for (std::size_t r = 0; r < week_cells_.size(); ++r) {
      IntervalCell &cell = week_cells_[r][weeks_recorded_];
      cell.backlog = open_cases_[r];
      cell.backlog_age = open_cases_[r] > 0 ? end - open_arrivals_[r] / open_cases_[r] : nan;
    }
    ++weeks_recorded_;
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
  if (const CellsOf cells = cells_of(r.info.region, r.time); cells.interval)
    for (IntervalCell *cell : {cells.interval, cells.week})
      for_counts(*cell, r.info, [](CaseCounts &k) { k.offered += 1; });
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
  if (const CellsOf cells = cells_of(r.info.region, r.info.arrived); cells.interval)
    for (IntervalCell *cell : {cells.interval, cells.week})
      for_counts(*cell, r.info, [&](CaseCounts &k) {
        k.answered += 1;
        k.in_target += in_target;
        k.answered_wait += minutes;
      });
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
  if (const CellsOf cells = cells_of(r.info.region, r.time); cells.interval) {
    const double minutes = (r.time - std::max(r.started, window_start_)).to_minutes();
    const models::AgentGroupConfig &g = organisation_.agent_groups[a.info.group];
    const bool escalation_tier = organisation_.tiers[g.tier].role == models::TierRole::escalation;
    for (IntervalCell *h : {cells.interval, cells.week}) {
      h->work += minutes;
      if (a.info.region != r.info.region) h->work_other_regions += minutes;
      if (escalation_tier) h->work_escalation_tiers += minutes;
    }
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
  if (const CellsOf cells = cells_of(r.info.region, r.time); cells.interval)
    for (IntervalCell *cell : {cells.interval, cells.week})
      cell->resolved += 1;
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
  if (const CellsOf cells = cells_of(r.info.region, r.info.arrived); cells.interval)
    for (IntervalCell *cell : {cells.interval, cells.week})
      for_counts(*cell, r.info, [](CaseCounts &k) { k.abandoned += 1; });
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
  if (const CellsOf cells = cells_of(r.info.region, r.info.arrived); cells.interval)
    for (IntervalCell *cell : {cells.interval, cells.week})
      for_counts(*cell, r.info, [&](CaseCounts &k) { k.waiting_past_target += past_target; });
  for_cells(r.info, [&](Cell &c) {
    ++c.open;
    c.open_waiting_past_target += past_target;
  });
}

void MetricsSink::close(AgentTrack &a, sim::SimTime t) {
  add_interval_time(a, a.since, t);
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

void MetricsSink::add_interval_time(const AgentTrack &a, sim::SimTime from, sim::SimTime to) {
  const bool available = a.state == models::AgentState::available;
  const bool paid = a.state != models::AgentState::off && a.paid;
  if (!available && !paid) return;
  from = std::max(from, window_start_);
  to = std::min(to, end_);
  if (from >= to) return;
  const std::size_t region = a.info.region;
  const double cost_per_minute =
      paid ? organisation_.agent_groups[a.info.group].cost_per_agent_hour / 60.0 *
                 (a.overtime ? overtime_factor_ : 1.0)
           : 0.0;
  const auto add = [&](IntervalCell &cell, double minutes) {
    if (available) {
      cell.available += minutes;
      if (a.in_hand > 0) cell.busy += minutes;
    }
    cell.cost += minutes * cost_per_minute;
  };
  // Split at the region's interval boundaries; and separately at the weeks', so that a week's
  // sums do not depend on the intervals' length.
  for (sim::SimTime at = from; at < to;) {
    const std::size_t i = interval_of(region, at);
    if (i == backtest::IntervalGrid::outside) break;
    const sim::SimTime until = std::min(to, interval_ends_[region][i]);
    add(interval_cells_[region][i], (until - at).to_minutes());
    at = until;
  }
  for (sim::SimTime at = from; at < to;) {
    const std::size_t w = week_of(window_start_, at);
    const sim::SimTime until = std::min(to, week_end(w));
    add(week_cells_[region][w], (until - at).to_minutes());
    at = until;
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

IntervalFigures MetricsSink::interval_figures(const IntervalCell &c, double hours) {
  auto case_figures = [](const CaseCounts &k) {
    const double decided = k.answered + k.abandoned + k.waiting_past_target;
    return IntervalCaseFigures{k.offered, k.answered, ratio(k.in_target, decided),
                               ratio(k.answered_wait, k.answered), ratio(k.abandoned, k.offered)};
  };
  IntervalFigures f;
  const IntervalCaseFigures all = case_figures(c.all);
  f.offered = all.offered;
  f.answered = all.answered;
  f.sla_attainment = all.sla_attainment;
  f.asa = all.asa;
  f.abandonment = all.abandonment;
  f.backlog = c.backlog; // at the interval's end
  f.backlog_age_hours = c.backlog_age / 60.0;
  f.utilisation = ratio(c.busy, c.available);
  f.available_hours = c.available / 60.0;
  f.work_hours = c.work / 60.0;
  f.work_hours_other_regions = c.work_other_regions / 60.0;
  f.work_hours_escalation_tiers = c.work_escalation_tiers / 60.0;
  f.resolved = c.resolved;
  f.cost = c.cost;
  f.agents_available = ratio(f.available_hours, hours);
  for (std::size_t k = 0; k < f.by_channel.size(); ++k)
    f.by_channel[k] = case_figures(c.by_channel[k]);
  for (std::size_t k = 0; k < f.by_priority.size(); ++k)
    f.by_priority[k] = case_figures(c.by_priority[k]);
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
    f.intervals = queue_cells_[region][k];
    for (const QueueTally &h : f.intervals)
      f.window.add(h);
    all.callcentre[k].window.add(f.window);
  }
}

void MetricsSink::interval_figures_of(std::size_t region, RegionFigures &out) const {
  const auto hours_between = [&](sim::SimTime a, sim::SimTime b) {
    return (std::min(b, end_) - std::max(a, window_start_)).to_minutes() / 60.0;
  };
  if (grid_) {
    const std::vector<IntervalCell> &cells = interval_cells_[region];
    out.interval_starts.reserve(cells.size());
    out.interval_labels.reserve(cells.size());
    out.intervals.reserve(cells.size());
    IntervalCell day;
    sim::SimTime day_start = window_start_;
    for (std::size_t i = 0; i < cells.size(); ++i) {
      const sim::SimTime start =
          std::max(window_start_, clock_.from_utc(grid_->start_of(region, i)));
      const sim::SimTime end = interval_ends_[region][i];
      out.interval_starts.push_back(clock_.to_utc(start));
      out.interval_labels.push_back(grid_->local_label(region, i));
      out.intervals.push_back(interval_figures(cells[i], hours_between(start, end)));
      // A local calendar day is the sum of its intervals: the next starts with a new date.
      const std::string &label = out.interval_labels.back();
      if (out.day_labels.empty() || out.day_labels.back().compare(0, 10, label, 0, 10) != 0) {
        if (!out.day_labels.empty())
          out.days.push_back(interval_figures(day, hours_between(day_start, start)));
        out.day_labels.push_back(label);
        out.day_starts.push_back(clock_.to_utc(start));
        day = IntervalCell{};
        day_start = start;
      }
      day.add(cells[i]);
    }
    if (!out.day_labels.empty())
      out.days.push_back(interval_figures(day, hours_between(day_start, end_)));
  }
  for (std::size_t w = 0; w < week_cells_[region].size(); ++w) {
    const sim::SimTime start =
        window_start_ + sim::Duration::days(7 * static_cast<std::int64_t>(w));
    out.week_starts.push_back(clock_.to_utc(start));
    out.week_labels.push_back(backtest::local_minute_label(zones_[region], clock_.to_utc(start)));
    out.weeks.push_back(
        interval_figures(week_cells_[region][w], hours_between(start, week_end(w))));
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
    interval_figures_of(r, out.regions.back());
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
  out.interval_minutes = interval_minutes_;
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
