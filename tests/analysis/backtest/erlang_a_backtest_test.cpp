// An independent check of the backtest: an M/M/c+M call centre whose number of agents changes
// every hour, simulated by a small generator written here (not supportsim's model), is
// backtested against its own staffing; hour by hour, Erlang A's P(abandon | queued) and
// P(answered within 20 s) lie within the backtest's bands, and so do the generator's own.
#include "analysis/backtest/backtest.hpp"
#include "analysis/forecast/erlang.hpp"
#include "tests/support/organisations.hpp"

#include <boost/random/exponential_distribution.hpp>
#include <boost/random/mersenne_twister.hpp>
#include <catch2/catch.hpp>
#include <chrono>
#include <deque>
#include <queue>
#include <vector>

using namespace supportsim;
using namespace supportsim::analysis::backtest;

namespace {

constexpr double per_hour = 40, service_minutes = 6, patience_minutes = 4;
constexpr int hours = 48;

int agents_in_hour(int h) {
  static constexpr int pattern[] = {3, 5, 8, 4, 6, 2, 7, 5};
  return pattern[h % 8];
}

/// M/M/c+M, first come first served, with c changing on the hour (an agent in the middle of a
/// call when c falls finishes it; nobody new is answered until fewer are busy than c).
History generate(std::uint64_t seed, sim::UtcTime start) {
  boost::random::mt19937_64 rng(seed);
  boost::random::exponential_distribution<double> gap(per_hour / 60), service(1 / service_minutes),
      patience(1 / patience_minutes);
  enum Kind { boundary, departure, give_up, arrival };
  struct Event {
    double t;
    Kind kind;
    std::size_t id;
    bool operator>(const Event &o) const { return t > o.t || (t == o.t && kind > o.kind); }
  };
  std::priority_queue<Event, std::vector<Event>, std::greater<>> events;
  for (int h = 1; h < hours; ++h) events.push({h * 60.0, boundary, 0});
  events.push({gap(rng), arrival, 0});
  std::vector<double> arrived, gives_up;
  std::vector<int> state; // 0 waiting, 1 answered, 2 abandoned
  std::deque<std::size_t> waiting;
  History history;
  int busy = 0, capacity = agents_in_hour(0);
  auto minutes = [&](double m) {
    return start + std::chrono::microseconds(static_cast<std::int64_t>(m * 60e6));
  };
  auto answer = [&](std::size_t id, double t) {
    const double work = service(rng);
    state[id] = 1;
    ++busy;
    CaseOutcome &c = history.outcomes[id];
    c.answered = true;
    c.ended = minutes(t);
    c.handle_minutes = static_cast<float>(work);
    history.cases[id].handle_minutes = work;
    history.work.push_back({minutes(t), minutes(t + work), 0, true});
    events.push({t + work, departure, id});
  };
  auto serve_queue = [&](double t) {
    while (busy < capacity && !waiting.empty()) {
      const std::size_t id = waiting.front();
      waiting.pop_front();
      if (state[id] == 0) answer(id, t);
    }
  };
  while (!events.empty()) {
    const Event e = events.top();
    events.pop();
    switch (e.kind) {
    case boundary:
      capacity = agents_in_hour(static_cast<int>(e.t / 60 + 0.5));
      serve_queue(e.t);
      break;
    case departure:
      --busy;
      serve_queue(e.t);
      break;
    case give_up:
      if (state[e.id] == 0) {
        state[e.id] = 2;
        history.outcomes[e.id].abandoned = true;
        history.outcomes[e.id].ended = minutes(e.t);
      }
      break;
    case arrival: {
      const std::size_t id = state.size();
      state.push_back(0);
      models::ReplayedCase row;
      row.created = minutes(e.t);
      row.channel = models::Channel::phone;
      row.priority = models::Priority::p3;
      history.cases.push_back(row);
      CaseOutcome outcome;
      outcome.queued = row.created;
      history.outcomes.push_back(outcome);
      if (busy < capacity && waiting.empty()) {
        answer(id, e.t);
      } else {
        waiting.push_back(id);
        events.push({e.t + patience(rng), give_up, id});
      }
      const double next = e.t + gap(rng);
      if (next < hours * 60.0) events.push({next, arrival, 0});
      break;
    }
    }
  }
  history.source = "generated M/M/c+M";
  return history;
}

/// Agent k works every run of hours in which more than k agents are on, as one period.
models::StaffingPlan staffing(sim::UtcTime start) {
  models::StaffingPlan plan;
  for (std::uint32_t k = 0; k < 8; ++k)
    for (int h = 0; h < hours;) {
      if (agents_in_hour(h) <= static_cast<int>(k)) {
        ++h;
        continue;
      }
      const int from = h;
      while (h < hours && agents_in_hour(h) > static_cast<int>(k)) ++h;
      plan.periods.push_back({0, k, start + std::chrono::hours(from), start + std::chrono::hours(h)});
    }
  std::sort(plan.periods.begin(), plan.periods.end(), [](const auto &a, const auto &b) {
    return std::tie(a.start, a.group, a.agent) < std::tie(b.start, b.group, b.agent);
  });
  return plan;
}

scenarios::Scenario backtest_scenario(bool actual_service) {
  scenarios::Scenario s;
  s.name = "erlang-a backtest";
  s.source = "test";
  s.organisation = testing::mmc(8, per_hour, service_minutes, patience_minutes, 3);
  models::OrganisationConfig &o = s.organisation;
  o.demand.channel_mix = {1.0, 0.0, 0.0};
  o.lifecycle.work_minutes[0] = sim::Distribution::exponential(service_minutes);
  o.lifecycle.patience_minutes[0] = sim::Distribution::exponential(patience_minutes);
  o.staffing = staffing(sim::parse_utc("2027-03-01"));
  o.actual_service = actual_service;
  return s;
}

} // namespace

TEST_CASE("backtest: an M/M/c+M history with hourly staffing matches Erlang A hour by hour",
          "[backtest][queueing]") {
  const bool actual_service = GENERATE(false, true);
  INFO("service " << (actual_service ? "actual" : "fitted"));
  const sim::UtcTime start = sim::parse_utc("2027-03-01");
  const History history = generate(20270301, start);
  REQUIRE(history.cases.size() > 1500);
  BacktestOptions options;
  options.replications = 60;
  options.jobs = 2;
  options.figures.sl_seconds = {20};
  const BacktestResult result = run_backtest(backtest_scenario(actual_service), history, options);
  const std::size_t phone = models::index_of(models::Channel::phone);
  const std::size_t abandon = static_cast<std::size_t>(Figure::p_abandon_queued);
  const std::size_t within_20s = fixed_figures;
  std::size_t hours_checked = 0, erlang_inside = 0, actual_inside = 0;
  for (const IntervalComparison &c : result.score.intervals) {
    if (c.channel != phone || (c.figure != abandon && c.figure != within_20s)) continue;
    if (c.interval == 0 || std::isnan(c.simulated.mean) || std::isnan(c.actual)) continue;
    const int h = static_cast<int>(c.interval);
    const analysis::ErlangA erlang{per_hour / 60, service_minutes, agents_in_hour(h),
                                   patience_minutes};
    const double expected = c.figure == abandon ? erlang.p_abandon() / erlang.p_wait()
                                                : erlang.p_served_within(20.0 / 60);
    ++hours_checked;
    erlang_inside += expected >= c.simulated.low && expected <= c.simulated.high;
    actual_inside += c.actual >= c.simulated.low && c.actual <= c.simulated.high;
  }
  INFO("Erlang A inside " << erlang_inside << ", history inside " << actual_inside << " of "
                            << hours_checked);
  REQUIRE(hours_checked >= 70); // hours where someone queued in the history, both figures
  // Erlang A averages over service times; with each call's actual handle time the replications
  // condition on the very service the history had, so their bands are narrower and Erlang A is
  // the reference only for fitted service.
  if (!actual_service) CHECK(static_cast<double>(erlang_inside) / hours_checked >= 0.9);
  CHECK(static_cast<double>(actual_inside) / hours_checked >= 0.85);
  // Over the two days the simulated figures are close to what the generator produced.
  for (const FigureScore &s : result.score.overall) {
    if (s.channel == phone && s.figure == static_cast<std::size_t>(Figure::offered))
      CHECK(s.simulated.mean == Approx(static_cast<double>(history.cases.size())));
    if (s.channel == phone && s.figure == abandon) CHECK(std::abs(s.error) < 0.1);
  }
}
