#include "analysis/backtest/figures.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <fmt/format.h>
#include <limits>

namespace supportsim::analysis::backtest {

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

double seconds_between(sim::UtcTime from, sim::UtcTime to) {
  return std::chrono::duration<double>(to - from).count();
}

double ratio(double part, double whole) {
  return whole > 0 ? part / whole : nan;
}

} // namespace

std::vector<std::string> figure_names(const FigureOptions &options) {
  std::vector<std::string> names{"offered",          "answered",    "abandoned",
                                 "p_wait_zero",      "asa_seconds", "mean_wait_queued_seconds",
                                 "p_abandon_queued", "aht_minutes", "occupancy",
                                 "backlog"};
  for (int s : options.sl_seconds)
    names.push_back(fmt::format("sl_{}s", s));
  return names;
}

void Tally::add(const Tally &o) {
  QueueTally::add(o);
  handled += o.handled;
  handle_minutes += o.handle_minutes;
  busy_minutes += o.busy_minutes;
  logged_minutes += o.logged_minutes;
  backlog += o.backlog;
  backlog_intervals += o.backlog_intervals;
}

Figures::Figures(const IntervalGrid &grid, const FigureOptions &options)
    : grid_(&grid), options_(options) {
  std::size_t total = 0;
  for (std::size_t r = 0; r < grid.regions(); ++r) {
    offsets_.push_back(total);
    total += grid.intervals(r);
  }
  Tally empty;
  empty.within.assign(options_.sl_seconds.size(), 0.0);
  tallies_.assign(total * 4, empty);
}

void Figures::add(std::span<const CaseOutcome> cases, std::span<const AgentSpan> agents) {
  // Backlog at an interval's end = cases queued before it and not yet answered or abandoned:
  // +1 from the interval a case queues in, -1 from the one it leaves the queue in.
  std::vector<double> backlog_steps(tallies_.size() + 1, 0.0);
  for (const CaseOutcome &c : cases)
    add_case(c, backlog_steps);
  for (std::size_t r = 0; r < grid_->regions(); ++r)
    for (std::size_t ch = 0; ch < models::channel_count; ++ch) {
      double level = 0;
      const std::size_t first = slot(r, ch);
      for (std::size_t i = 0; i < grid_->intervals(r); ++i) {
        level += backlog_steps[first + i];
        tallies_[first + i].backlog += level;
        tallies_[first + i].backlog_intervals += 1;
      }
    }
  for (const AgentSpan &s : agents)
    add_span(s);
}

void Figures::add_case(const CaseOutcome &c, std::vector<double> &backlog_steps) {
  const std::size_t i = grid_->index(c.region, c.queued);
  if (i == IntervalGrid::outside) return;
  const std::size_t first = slot(c.region, models::index_of(c.channel));
  Tally &t = tallies_[first + i];
  t.offered += 1;
  backlog_steps[first + i] += 1;
  if (!c.answered && !c.abandoned && !c.other) return; // waiting at the end: in the backlog
  const std::size_t left = grid_->index(c.region, c.ended);
  if (left != IntervalGrid::outside) backlog_steps[first + left] -= 1;
  if (c.other) return;
  const double wait = seconds_between(c.queued, c.ended);
  if (c.abandoned) {
    t.add_abandoned(wait);
    return;
  }
  t.add_answered(wait, options_.sl_seconds);
  if (c.handle_minutes >= 0) {
    t.handled += 1;
    t.handle_minutes += c.handle_minutes;
  }
}

void Figures::add_span(const AgentSpan &s) {
  if (s.end <= s.start) return;
  const sim::UtcTime from = std::max(s.start, grid_->window_start());
  const sim::UtcTime to = std::min(s.end, grid_->window_end());
  if (from >= to) return;
  const std::size_t first = slot(s.region, all_channels);
  for (std::size_t i = grid_->index(s.region, from); i < grid_->intervals(s.region); ++i) {
    const sim::UtcTime a = std::max(from, grid_->start_of(s.region, i));
    const sim::UtcTime b = std::min(to, grid_->end_of(s.region, i));
    if (a >= to) break;
    const double minutes = std::chrono::duration<double, std::ratio<60>>(b - a).count();
    (s.busy ? tallies_[first + i].busy_minutes : tallies_[first + i].logged_minutes) += minutes;
  }
}

Tally Figures::overall(std::size_t region, std::size_t channel) const {
  Tally sum;
  sum.within.assign(options_.sl_seconds.size(), 0.0);
  for (std::size_t i = 0; i < grid_->intervals(region); ++i)
    sum.add(tally(region, channel, i));
  return sum;
}

double Figures::value(const Tally &t, std::size_t figure) const {
  if (figure >= fixed_figures) return t.service_level(figure - fixed_figures);
  switch (static_cast<Figure>(figure)) {
  case Figure::offered:
    return t.offered;
  case Figure::answered:
    return t.answered;
  case Figure::abandoned:
    return t.abandoned;
  case Figure::p_wait_zero:
    return t.p_wait_zero();
  case Figure::asa:
    return t.asa_seconds();
  case Figure::mean_wait_queued:
    return t.mean_wait_queued_seconds();
  case Figure::p_abandon_queued:
    return t.p_abandon_queued();
  case Figure::aht:
    return ratio(t.handle_minutes, t.handled);
  case Figure::occupancy:
    return ratio(t.busy_minutes, t.logged_minutes);
  case Figure::backlog:
    return ratio(t.backlog, t.backlog_intervals);
  case Figure::service_level:
    break;
  }
  return nan;
}

} // namespace supportsim::analysis::backtest
