// The workforce rules of docs/model.md on their own: attrition (a share `attrition_per_year` of
// agents leaves within a year), shrinkage (absent shifts, the off-queue block) and site
// holidays, each against the number the rule implies, on the M/M/c organisation of
// tests/support/organisations.hpp (one UTC site, one 24x7 shift from midnight to midnight)
// with (almost) no cases, so that only the agents' own draws move the figures.
#include "models/support_model.hpp"
#include "sim/clock.hpp"
#include "tests/support/organisations.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <vector>

namespace {

using namespace supportsim;
using models::AgentState;

/// Each agent's time per state, per day of the run (days from the start, UTC), and the
/// shifts started, absences and leavers.
class WorkforceSink final : public models::RecordSink {
public:
  explicit WorkforceSink(std::size_t days) : days_(days) {}

  struct Track {
    AgentState state = AgentState::off;
    bool overtime = false;
    sim::SimTime since;
  };
  std::vector<Track> agents;
  /// [day][state]: agent hours, rostered time only (overtime aside).
  std::vector<std::array<double, models::agent_state_names.size()>> hours;
  std::uint64_t shift_starts = 0, absences = 0, left = 0, worked_after_leaving = 0;
  std::vector<bool> gone;

  void on(const models::RunStarted &r) override {
    agents.assign(r.agents.size(), Track{});
    gone.assign(r.agents.size(), false);
    hours.assign(days_, {});
  }
  void on(const models::AgentStateChanged &r) override {
    Track &a = agents.at(r.agent);
    add(a, r.time);
    if (a.state == AgentState::off && r.state != AgentState::off) ++shift_starts;
    absences += r.state == AgentState::absent;
    if (gone[r.agent] && r.state == AgentState::available) ++worked_after_leaving;
    a.state = r.state;
    a.overtime = r.overtime;
    a.since = r.time;
  }
  void on(const models::AgentLeft &r) override {
    ++left;
    gone.at(r.agent) = true;
  }
  void on(const models::RunEnded &r) override {
    for (Track &a : agents)
      add(a, r.time);
  }

private:
  /// a's time since its last change, split at midnights.
  void add(Track &a, sim::SimTime to) {
    if (a.overtime) return;
    const auto day_ticks = sim::Duration::days(1).ticks();
    for (sim::SimTime t = a.since; t < to;) {
      const auto day = static_cast<std::size_t>(t.ticks() / day_ticks);
      const sim::SimTime midnight =
          sim::SimTime::from_ticks((t.ticks() / day_ticks + 1) * day_ticks);
      const sim::SimTime until = std::min(to, midnight);
      if (day < hours.size())
        hours[day][static_cast<std::size_t>(a.state)] += (until - t).to_hours();
      t = until;
    }
    a.since = to;
  }
  std::size_t days_;
};

/// testing::mmc with `agents` agents over `days` days, and a case about every 100 years: no
/// work runs past a shift's end, so every agent's day is the roster's alone.
models::OrganisationConfig quiet(std::uint32_t agents, double days) {
  return testing::mmc(agents, 1e-6, 10, 0, days);
}

WorkforceSink run(const models::OrganisationConfig &o, std::uint64_t seed = 1) {
  WorkforceSink sink(static_cast<std::size_t>(std::ceil(o.horizon.to_hours() / 24)));
  models::SupportModel(o, sim::RandomStreams(seed, 0), sink).run();
  return sink;
}

double hours_in(const WorkforceSink &s, std::size_t day, AgentState state) {
  return s.hours.at(day)[static_cast<std::size_t>(state)];
}

} // namespace

TEST_CASE("workforce: attrition takes attrition_per_year of the agents within a year, pro rata",
          "[models][workforce]") {
  // 2,000 agents, 60 % a year, over a year: each leaves by the end with p = 0.6 exactly (the
  // daily rate -ln(0.4)/365.25); the leavers are Binomial(2000, 0.6): mean 1,200, sd 21.9. A
  // daily rate of 0.6/365.25 instead would give 1 - e^-0.6 = 45 %: 902 leavers, 14 sd away.
  models::OrganisationConfig o = quiet(2000, 365.25);
  o.agent_groups[0].attrition_per_year = 0.6;
  const WorkforceSink s = run(o);
  const double p = 0.6;
  const double mean = 2000 * p, sd = std::sqrt(2000 * p * (1 - p));
  INFO("leavers " << s.left << ", expected " << mean << " ± " << sd);
  CHECK(std::abs(static_cast<double>(s.left) - mean) < 4 * sd);
  CHECK(s.worked_after_leaving == 0);
  // Headcount falls through the year: the last day's available hours are the first's times
  // the share still there (each agent works the whole day when present, no shrinkage).
  const double first = hours_in(s, 0, AgentState::available);
  const double last = hours_in(s, 364, AgentState::available);
  CHECK(first == Approx(2000 * 24).epsilon(0.01));
  CHECK(last / first == Approx(1 - p).margin(4 * sd / 2000 + 0.01));

  // Without attrition nobody leaves.
  o.agent_groups[0].attrition_per_year = 0;
  CHECK(run(o).left == 0);
}

TEST_CASE("workforce: shrinkage takes absent shifts and an off-queue block of each shift worked",
          "[models][workforce]") {
  // 200 agents, 14 daily shifts each: 2,800 agent-shifts. Absent with probability 0.2
  // (Binomial: sd 0.0076 of the share); each shift worked loses 10 % of its length off the
  // queue, in one block inside the shift.
  models::OrganisationConfig o = quiet(200, 14);
  o.agent_groups[0].shrinkage = models::ShrinkageConfig{0.2, 0.1};
  const WorkforceSink s = run(o);
  CHECK(s.shift_starts == 2800);
  const double absent_share = static_cast<double>(s.absences) / static_cast<double>(s.shift_starts);
  CHECK(absent_share == Approx(0.2).margin(4 * 0.0076));
  double available = 0, paused = 0, absent = 0;
  for (std::size_t day = 0; day < 14; ++day) {
    available += hours_in(s, day, AgentState::available);
    paused += hours_in(s, day, AgentState::paused);
    absent += hours_in(s, day, AgentState::absent);
  }
  CHECK(absent / (24.0 * 2800) == Approx(absent_share).margin(1e-9)); // absent all day
  CHECK(paused / (available + paused) == Approx(0.1).margin(1e-6));   // exactly the block

  // No shrinkage: every shift worked whole.
  o.agent_groups[0].shrinkage = {};
  const WorkforceSink none = run(o);
  CHECK(none.absences == 0);
  CHECK(hours_in(none, 3, AgentState::paused) == 0);
  CHECK(hours_in(none, 3, AgentState::available) == Approx(200 * 24));
}

TEST_CASE("workforce: nobody at a site works a shift that starts on its holiday",
          "[models][workforce]") {
  // Start Monday 4 January 2027; Wednesday 6 January is the site's holiday.
  models::OrganisationConfig o = quiet(5, 4);
  o.sites[0].holidays = {
      models::Date{std::chrono::year{2027}, std::chrono::January, std::chrono::day{6}}};
  const WorkforceSink s = run(o);
  CHECK(hours_in(s, 1, AgentState::available) == Approx(5 * 24));
  CHECK(hours_in(s, 2, AgentState::available) == 0);
  CHECK(hours_in(s, 2, AgentState::off) == Approx(5 * 24));
  CHECK(hours_in(s, 3, AgentState::available) == Approx(5 * 24));
  CHECK(s.shift_starts == 3 * 5);
}
