#include "analysis/metrics.hpp"

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

MetricsSink::MetricsSink(const models::OrganisationConfig &organisation, sim::Duration warmup)
    : organisation_(organisation), sla_clock_(organisation), clock_(organisation.start),
      window_start_(sim::SimTime::zero() + warmup) {
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
  const std::size_t weeks =
      end_ > window_start_ ? week_of(window_start_, end_ - sim::Duration::from_ticks(1)) + 1 : 0;
  weekly_arrivals_.assign(regions, std::vector<double>(weeks, 0.0));
  const std::size_t days =
      end_ > window_start_
          ? static_cast<std::size_t>((end_ - window_start_ - sim::Duration::from_ticks(1)).ticks() /
                                     sim::Duration::days(1).ticks()) +
                1
          : 0;
  day_cells_.assign(regions, std::vector<DayCell>(days));
  open_cases_.assign(regions, 0.0);
  hour_of_week_arrivals_.assign(regions, {});
  zones_.clear();
  for (const models::RegionConfig &region : organisation_.regions)
    zones_.push_back(sim::find_zone(region.time_zone));
  starting_headcount_.assign(regions, 0);
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

std::optional<std::size_t> MetricsSink::day_of(sim::SimTime t) const {
  if (t < window_start_) return std::nullopt;
  const auto day =
      static_cast<std::size_t>((t - window_start_).ticks() / sim::Duration::days(1).ticks());
  if (day_cells_.empty() || day >= day_cells_[0].size()) return std::nullopt;
  return day;
}

void MetricsSink::advance_to(sim::SimTime t) {
  // A day's backlog is what is open when it ends: before any record at or after its end.
  const std::size_t days = day_cells_.empty() ? 0 : day_cells_[0].size();
  while (days_recorded_ < days &&
         window_start_ + sim::Duration::days(static_cast<std::int64_t>(days_recorded_) + 1) <= t) {
    for (std::size_t r = 0; r < day_cells_.size(); ++r)
      day_cells_[r][days_recorded_].backlog = open_cases_[r];
    ++days_recorded_;
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
  if (!counts(r.info)) return;
  if (const auto day = day_of(r.time)) day_cells_[r.info.region][*day].offered += 1;
  for_cells(r.info, [](Cell &c) { ++c.offered; });
  // Demand against the forecast: by week of the window and local hour of the week.
  weekly_arrivals_[r.info.region][week_of(window_start_, r.time)] += 1;
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
  if (const auto day = day_of(r.info.arrived)) {
    DayCell &d = day_cells_[r.info.region][*day];
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
  const bool escalation = r.outcome == models::TouchOutcome::escalated ||
                          r.outcome == models::TouchOutcome::to_engineering;
  if (escalation && counts(r.info)) for_cells(r.info, [](Cell &c) { ++c.escalations; });
}

void MetricsSink::on(const models::CaseResolved &r) {
  advance_to(r.time);
  open_cases_[r.info.region] -= 1;
  if (!counts(r.info)) return;
  for_cells(r.info, [&](Cell &c) {
    ++c.resolved;
    c.touches_of_resolved += r.touches;
  });
}

void MetricsSink::on(const models::CaseReopened &r) {
  if (counts(r.info)) for_cells(r.info, [](Cell &c) { ++c.reopens; });
}

void MetricsSink::on(const models::CaseAbandoned &r) {
  advance_to(r.time);
  open_cases_[r.info.region] -= 1;
  if (!counts(r.info)) return;
  if (const auto day = day_of(r.info.arrived)) day_cells_[r.info.region][*day].abandoned += 1;
  const sim::Duration wait = r.time - r.info.arrived;
  const double minutes = wait.to_minutes();
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
  if (const auto day = day_of(r.info.arrived))
    day_cells_[r.info.region][*day].waiting_past_target += past_target;
  for_cells(r.info, [&](Cell &c) {
    ++c.open;
    c.open_waiting_past_target += past_target;
  });
}

void MetricsSink::close(AgentTrack &a, sim::SimTime t) {
  // The region's agents' time per day of the window, split at day boundaries.
  if (a.state == models::AgentState::available && t > window_start_) {
    sim::SimTime from = std::max(a.since, window_start_);
    while (from < t) {
      const auto day = day_of(from);
      if (!day) break;
      const sim::SimTime day_end =
          window_start_ + sim::Duration::days(static_cast<std::int64_t>(*day) + 1);
      const sim::SimTime to = std::min(t, day_end);
      DayCell &d = day_cells_[a.info.region][*day];
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
  advance_to(sim::SimTime::max()); // the last day, however short, ends with the run
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
  rf.cost = t.cost;
  rf.cost_per_resolved = ratio(t.cost, static_cast<double>(rf.all.resolved));
  rf.trigger_firings = t.firings;
  return rf;
}

ReplicationFigures MetricsSink::figures() const {
  ReplicationFigures out;
  RegionTime total;
  std::uint32_t agents = 0;
  for (std::size_t r = 0; r < organisation_.regions.size(); ++r) {
    const RegionTime &t = region_time_[r];
    out.regions.push_back(region_figures(r * cells_per_region, t));
    out.regions.back().name = organisation_.regions[r].name;
    out.regions.back().agents = starting_headcount_[r];
    out.regions.back().weekly_arrivals = weekly_arrivals_[r];
    out.regions.back().hour_of_week_arrivals = hour_of_week_arrivals_[r];
    for (const DayCell &d : day_cells_[r]) {
      const double decided = d.answered + d.abandoned + d.waiting_past_target;
      out.regions.back().days.push_back(
          DayFigures{d.offered, ratio(d.in_target, decided), ratio(d.answered_wait, d.answered),
                     ratio(d.abandoned, d.offered), d.backlog, ratio(d.busy, d.available)});
    }
    agents += starting_headcount_[r];
    total.available += t.available;
    total.busy += t.busy;
    total.paid += t.paid;
    total.overtime += t.overtime;
    total.cost += t.cost;
    total.firings += t.firings;
  }
  out.all = region_figures(organisation_.regions.size() * cells_per_region, total);
  out.all.name = "all";
  if (!out.regions.empty()) {
    out.all.weekly_arrivals.assign(out.regions[0].weekly_arrivals.size(), 0.0);
    for (const RegionFigures &rf : out.regions)
      for (std::size_t k = 0; k < rf.weekly_arrivals.size(); ++k) {
        out.all.weekly_arrivals[k] += rf.weekly_arrivals[k];
      }
  }
  out.all.agents = agents;
  for (const RegionTime &t : group_time_)
    out.groups.push_back(
        GroupFigures{ratio(t.busy, t.available), t.paid / 60.0, t.overtime / 60.0, t.cost});
  for (std::size_t k = 0; k < models::segment_count; ++k)
    out.by_segment[k] = figures_of(cells_[segment_cells_ + k]);
  for (std::size_t k = 0; k < models::channel_count; ++k)
    out.by_channel[k] = figures_of(cells_[channel_cells_ + k]);
  return out;
}

} // namespace supportsim::analysis
