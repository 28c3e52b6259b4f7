// A backtest's model features: staffing from a plan of logged-in periods, and replayed cases
// served for their actual handle times (docs/model.md, "Backtest: actual staffing and actual
// service").
#include "models/support_model.hpp"
#include "tests/support/organisations.hpp"
#include "tests/support/vector_replay.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <map>
#include <random>
#include <vector>

namespace {

using namespace supportsim;
using testing::VectorReplay;

/// The records these tests read.
class Log final : public models::RecordSink {
public:
  std::size_t starting_agents = 0;
  std::vector<models::AgentStateChanged> states;
  std::map<models::CaseNumber, std::vector<std::pair<sim::SimTime, sim::SimTime>>> touches;
  std::map<models::CaseNumber, sim::SimTime> arrived, first_response;
  std::map<models::CaseNumber, int> ended; // resolved, abandoned or open at the end
  std::map<models::CaseNumber, models::OpenState> open;
  std::size_t no_qualified_agent = 0;

  void on(const models::RunStarted &r) override { starting_agents = r.agents.size(); }
  void on(const models::AgentStateChanged &r) override { states.push_back(r); }
  void on(const models::CaseArrived &r) override { arrived[r.info.number] = r.time; }
  void on(const models::NoQualifiedAgent &) override { ++no_qualified_agent; }
  void on(const models::FirstResponse &r) override { first_response[r.info.number] = r.time; }
  void on(const models::TouchCompleted &r) override {
    touches[r.info.number].emplace_back(r.started, r.time);
  }
  void on(const models::CaseResolved &r) override { ++ended[r.info.number]; }
  void on(const models::CaseAbandoned &r) override { ++ended[r.info.number]; }
  void on(const models::CaseOpenAtEnd &r) override {
    ++ended[r.info.number];
    open[r.info.number] = r.state;
  }

  /// Agents on shift at `t` (taking cases, not finishing a touch past their period's end).
  std::size_t on_shift_at(sim::SimTime t) const {
    std::map<models::AgentIndex, const models::AgentStateChanged *> last;
    for (const auto &s : states)
      if (s.time <= t) last[s.agent] = &s;
    std::size_t n = 0;
    for (const auto &[agent, s] : last)
      n += s->state != models::AgentState::off && !s->overtime;
    return n;
  }
};

sim::SimTime at_hours(double h) {
  return sim::SimTime::zero() + sim::Duration::from_minutes(h * 60);
}

models::StaffedPeriod period(const sim::Clock &clock, std::uint32_t group, std::uint32_t agent,
                             double from_hours, double to_hours) {
  return models::StaffedPeriod{group, agent, clock.to_utc(at_hours(from_hours)),
                               clock.to_utc(at_hours(to_hours))};
}

models::ReplayedCase email_at(const sim::Clock &clock, double hours) {
  models::ReplayedCase row;
  row.created = clock.to_utc(at_hours(hours));
  row.channel = models::Channel::email;
  return row;
}

} // namespace

TEST_CASE("backtest: a roster with an hourly-varying number of agents is honoured exactly",
          "[models][backtest]") {
  models::OrganisationConfig o = testing::mmc(9, 6, 8, 0, 2);
  o.agent_groups[0].headcount = 40; // the plan, not the headcount, says who works
  o.agent_groups[0].shrinkage = models::ShrinkageConfig{0.5, 0.2};
  o.agent_groups[0].attrition_per_year = 0.9;
  const sim::Clock clock(o.start);
  std::vector<int> wanted(48);
  for (int h = 0; h < 48; ++h) {
    wanted[h] = 1 + (h * 5) % 7; // 1 to 7 agents, changing every hour
    for (int k = 0; k < wanted[h]; ++k)
      o.staffing.periods.push_back(period(clock, 0, k, h, h + 1));
  }
  Log log;
  models::SupportModel(o, sim::RandomStreams(3, 0), log).run();
  CHECK(log.starting_agents == 7); // agents 0 to 6, named by the plan
  for (int h = 0; h < 48; ++h) {
    INFO("hour " << h);
    CHECK(log.on_shift_at(at_hours(h + 0.5)) == static_cast<std::size_t>(wanted[h]));
    CHECK(log.on_shift_at(at_hours(h)) == static_cast<std::size_t>(wanted[h]));
  }
  // No shift patterns, absence or breaks: only on shift (available) and off.
  for (const auto &s : log.states)
    CHECK((s.state == models::AgentState::available || s.state == models::AgentState::off));
  // An agent's periods that meet are one shift: agent 0 works all 48 hours without a break
  // (on at the start, off only at the end of the run).
  std::size_t agent0_changes = 0;
  for (const auto &s : log.states)
    agent0_changes += s.agent == 0 && !s.overtime && s.time < at_hours(48);
  CHECK(agent0_changes == 1);
}

TEST_CASE("backtest: replayed cases take exactly their actual handle and wrap times",
          "[models][backtest]") {
  // M/M/3 from the test's own generator: Poisson arrivals, exponential handle times.
  models::OrganisationConfig o = testing::mmc(3, 1, 10, 0, 3);
  o.agent_groups[0].product_proficiency = {0.6};                  // would make touches × 1.4
  o.experience.handle_time = models::LearningCurve{2.5, 6.0, {}}; // and × the curve
  const sim::Clock clock(o.start);
  std::mt19937_64 gen(2027);
  std::exponential_distribution<double> gap(1.0 / 4.0), handle(1.0 / 10.0);
  std::vector<models::ReplayedCase> rows;
  std::vector<double> work;
  double t = 0;
  for (int i = 0; i < 400; ++i) {
    t += gap(gen);
    models::ReplayedCase row = email_at(clock, t / 60);
    row.handle_minutes = handle(gen);
    if (i % 2 == 0) row.wrap_minutes = 1.5;
    work.push_back(*row.handle_minutes + row.wrap_minutes.value_or(0.0));
    rows.push_back(row);
  }
  SECTION("with actual service") {
    o.actual_service = true;
    Log log;
    VectorReplay replay(rows);
    models::SupportModel(o, sim::RandomStreams(1, 0), log, &replay).run();
    REQUIRE(log.touches.size() == rows.size());
    std::size_t waited = 0;
    for (std::size_t i = 0; i < rows.size(); ++i) {
      INFO("case " << i);
      REQUIRE(log.touches[i].size() == 1);
      const auto [started, done] = log.touches[i][0];
      CHECK((done - started).ticks() == sim::Duration::from_minutes(work[i]).ticks());
      // The first response is the touch's start.
      CHECK(log.first_response[i] == started);
      waited += started > log.arrived[i];
    }
    CHECK(waited > 20); // a queue formed: M/M/3 at load 0.83
  }
  SECTION("without actual service the actual timings are ignored") {
    Log with_timings, without;
    VectorReplay replay(rows);
    models::SupportModel(o, sim::RandomStreams(1, 0), with_timings, &replay).run();
    std::vector<models::ReplayedCase> bare = rows;
    for (auto &row : bare)
      row.handle_minutes = row.wrap_minutes = std::nullopt;
    VectorReplay bare_replay(bare);
    models::SupportModel(o, sim::RandomStreams(1, 0), without, &bare_replay).run();
    CHECK(with_timings.touches == without.touches);
    std::size_t different = 0;
    for (std::size_t i = 0; i < rows.size(); ++i)
      different += (with_timings.touches[i][0].second - with_timings.touches[i][0].first).ticks() !=
                   sim::Duration::from_minutes(work[i]).ticks();
    CHECK(different == rows.size()); // drawn, not given
  }
}

TEST_CASE("backtest: touches and total handle time split the later work evenly",
          "[models][backtest]") {
  models::OrganisationConfig o = testing::mmc(1, 1, 10, 0, 5);
  o.lifecycle.customer_wait_hours = sim::Distribution::constant(1.0);
  o.actual_service = true;
  const sim::Clock clock(o.start);
  models::ReplayedCase row = email_at(clock, 1);
  row.handle_minutes = 10;
  row.wrap_minutes = 2;
  row.touches = 3;
  row.total_handle_minutes = 40;
  models::ReplayedCase no_handle = email_at(clock, 30);
  no_handle.touches = 2;
  no_handle.total_handle_minutes = 50;
  Log log;
  VectorReplay replay({row, no_handle});
  models::SupportModel(o, sim::RandomStreams(1, 0), log, &replay).run();
  auto minutes = [&](models::CaseNumber n) {
    std::vector<double> m;
    for (const auto &[from, to] : log.touches[n])
      m.push_back((to - from).to_minutes());
    return m;
  };
  CHECK(minutes(0) == std::vector<double>{12.0, 14.0, 14.0});
  CHECK(minutes(1) == std::vector<double>{25.0, 25.0});
  CHECK(log.ended[0] == 1);
}

TEST_CASE("backtest: a case arriving when nobody is on shift waits for the next period",
          "[models][backtest]") {
  models::OrganisationConfig o = testing::mmc(4, 1, 10, 0, 1);
  o.actual_service = true;
  const sim::Clock clock(o.start);
  // One agent, 10:00-11:00 and 13:00-14:00.
  o.staffing.periods = {period(clock, 0, 0, 10, 11), period(clock, 0, 0, 13, 14)};
  std::vector<models::ReplayedCase> rows = {email_at(clock, 9), email_at(clock, 10.75),
                                            email_at(clock, 11.5), email_at(clock, 20)};
  for (auto &r : rows)
    r.handle_minutes = 30;
  Log log;
  VectorReplay replay(rows);
  models::SupportModel(o, sim::RandomStreams(1, 0), log, &replay).run();
  CHECK(log.starting_agents == 1);
  CHECK(log.first_response[0] == at_hours(10));       // waited for the period's start
  CHECK(log.first_response[1] == at_hours(10.75));    // free again at 10:30
  CHECK(log.touches[1][0].second == at_hours(11.25)); // finished past the period's end
  CHECK(log.first_response[2] == at_hours(13));       // the next period
  CHECK(log.open[3] == models::OpenState::awaiting_first_response); // no period after 14:00
  CHECK(log.no_qualified_agent == 3); // 09:00, 11:30 and 20:00: nobody on shift
  // Overtime past the period's end, then off; on again at 13:00.
  CHECK(log.on_shift_at(at_hours(11.1)) == 0);
  CHECK(log.on_shift_at(at_hours(13.5)) == 1);
}

TEST_CASE("backtest: with a staffing plan every case ends exactly once", "[models][backtest]") {
  models::OrganisationConfig o = testing::rich(14);
  const sim::Clock clock(o.start);
  // Every group's agents logged in 8 hours a day, staggered by agent, some days off.
  for (int day = -1; day < 16; ++day)
    for (std::uint32_t g = 0; g < o.agent_groups.size(); ++g)
      for (std::uint32_t k = 0; k < o.agent_groups[g].headcount + 1; ++k)
        if ((day + static_cast<int>(k)) % 7 != 0)
          o.staffing.periods.push_back(period(clock, g, k, 24.0 * day + 2.0 * k + 3.0 * g,
                                              24.0 * day + 2.0 * k + 3.0 * g + 8));
  std::stable_sort(o.staffing.periods.begin(), o.staffing.periods.end(),
                   [](const models::StaffedPeriod &a, const models::StaffedPeriod &b) {
                     return std::tie(a.start, a.group, a.agent) <
                            std::tie(b.start, b.group, b.agent);
                   });
  Log log;
  models::SupportModel(o, sim::RandomStreams(7, 0), log).run();
  REQUIRE(log.arrived.size() > 1000);
  CHECK(log.ended.size() == log.arrived.size());
  for (const auto &[number, times] : log.ended)
    CHECK(times == 1);
  std::size_t resolved = log.arrived.size() - log.open.size();
  CHECK(resolved > log.arrived.size() / 2);
}
