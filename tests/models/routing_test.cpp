// Who takes which case, and when: TAM first, the proficiency floor and overflow timing, ties,
// follow-the-sun hand-offs, shifts in two hemispheres on the same UTC day, the experience
// curve, and escalation triggers. Each on a small organisation built for the purpose.
#include "models/support_model.hpp"
#include "sim/clock.hpp"
#include "tests/support/organisations.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <map>
#include <vector>

namespace {

using namespace supportsim;
using models::AgentIndex;
using models::CaseNumber;

/// Remembers what the routing tests look at.
class RoutingSink final : public models::RecordSink {
public:
  struct Touch {
    CaseNumber number;
    models::CaseInfo info;
    AgentIndex agent;
    sim::SimTime started, ended;
    std::uint16_t touch;
    bool handoff;
  };
  std::vector<models::AgentInfo> agents;
  std::vector<Touch> touches;                // in start order
  std::map<CaseNumber, std::size_t> in_hand; // case -> index in touches
  std::vector<models::TriggerFired> firings;
  std::vector<models::CaseInfo> unstaffed;
  std::map<CaseNumber, models::CaseInfo> waiting_front_door;     // P1/P2 awaiting a first response
  std::vector<std::pair<sim::SimTime, double>> oldest_at_firing; // recomputed here

  void on(const models::RunStarted &r) override { agents.assign(r.agents.begin(), r.agents.end()); }
  void on(const models::AgentHired &r) override { agents.push_back(r.info); }
  void on(const models::CaseArrived &r) override {
    if (r.info.priority <= models::Priority::p2) waiting_front_door[r.info.number] = r.info;
  }
  void on(const models::FirstResponse &r) override { waiting_front_door.erase(r.info.number); }
  void on(const models::CaseAbandoned &r) override { waiting_front_door.erase(r.info.number); }
  void on(const models::NoQualifiedAgent &r) override { unstaffed.push_back(r.info); }
  void on(const models::TouchStarted &r) override {
    in_hand[r.info.number] = touches.size();
    touches.push_back(
        Touch{r.info.number, r.info, r.agent, r.time, sim::SimTime::max(), r.touch, r.handoff});
  }
  void on(const models::TouchCompleted &r) override {
    touches[in_hand.at(r.info.number)].ended = r.time;
  }
  void on(const models::TriggerFired &r) override {
    firings.push_back(r);
    double oldest = 0;
    for (const auto &[n, info] : waiting_front_door)
      if (info.region == r.region) oldest = std::max(oldest, (r.time - info.arrived).to_minutes());
    oldest_at_firing.emplace_back(r.time, oldest);
  }
  std::uint32_t group_of(AgentIndex a) const { return agents.at(a).group; }
};

RoutingSink run(const models::OrganisationConfig &o, std::uint64_t seed = 1) {
  RoutingSink sink;
  models::SupportModel(o, sim::RandomStreams(seed, 0), sink).run();
  return sink;
}

/// A second agent group on the M/M/c organisation's site and shift.
models::AgentGroupConfig group_like(const models::OrganisationConfig &o, const char *name,
                                    std::size_t tier, std::uint32_t headcount) {
  models::AgentGroupConfig g = o.agent_groups.at(0);
  g.name = name;
  g.tier = tier;
  g.headcount = headcount;
  return g;
}

} // namespace

TEST_CASE("routing: premium cases go to their named TAM, then any TAM, then L2 after "
          "overflow_after",
          "[models][routing]") {
  // One case every 6 hours on average, one minute of work each: agents are nearly always free.
  models::OrganisationConfig o = testing::mmc(2, 1.0 / 6, 1, 0, 60);
  o.tiers.push_back(models::TierConfig{"TAM", models::TierRole::tam, std::nullopt, false, 0.0});
  o.agent_groups.push_back(group_like(o, "tam-a", 1, 1));
  o.agent_groups.back().accounts = {"Acme"};
  o.agent_groups.push_back(group_like(o, "tam-b", 1, 1));
  o.agent_groups.back().accounts = {"Globex"};
  o.demand.segment_mix = {0, 0, 0, 0, 1};                     // all premium
  const sim::Duration overflow = o.routing.overflow_after[3]; // every case is P4

  SECTION("free named TAMs take their own accounts") {
    const RoutingSink s = run(o);
    REQUIRE(s.touches.size() > 100);
    for (const auto &t : s.touches) {
      REQUIRE(t.info.account != models::no_account);
      const std::uint32_t named = 1u + t.info.account; // Acme -> tam-a, Globex -> tam-b
      const bool named_busy = std::any_of(s.touches.begin(), s.touches.end(), [&](const auto &u) {
        return s.group_of(u.agent) == named && u.started <= t.info.arrived &&
               t.info.arrived < u.ended && u.number != t.number;
      });
      if (!named_busy) CHECK(s.group_of(t.agent) == named);
    }
  }
  SECTION("with its named TAM away, another TAM takes the case") {
    o.agent_groups[1].headcount = 0; // Acme's TAM
    const RoutingSink s = run(o);
    REQUIRE(s.touches.size() > 100);
    for (const auto &t : s.touches)
      CHECK(s.group_of(t.agent) == 2u);
  }
  SECTION("with every TAM away, L2 takes it at overflow_after, never the front line") {
    o.agent_groups[1].headcount = 0;
    o.agent_groups[2].headcount = 0;
    o.tiers.push_back(
        models::TierConfig{"L2", models::TierRole::escalation, std::nullopt, false, 0.0});
    o.agent_groups.push_back(group_like(o, "l2", 2, 1));
    const RoutingSink s = run(o);
    REQUIRE(s.touches.size() > 100);
    for (const auto &t : s.touches) {
      CHECK(s.group_of(t.agent) == 3u);
      if (t.touch == 0) CHECK(t.started - t.info.arrived >= overflow);
    }
  }
  SECTION("with every TAM away and no L2 tier, the front line takes it at overflow_after") {
    o.agent_groups[1].headcount = 0;
    o.agent_groups[2].headcount = 0;
    const RoutingSink s = run(o);
    REQUIRE(s.touches.size() > 100);
    for (const auto &t : s.touches) {
      CHECK(s.group_of(t.agent) == 0u);
      if (t.touch == 0) CHECK(t.started - t.info.arrived >= overflow);
    }
  }
}

TEST_CASE("routing: below proficiency_required a case waits overflow_after, below the floor, "
          "never",
          "[models][routing]") {
  // One case a day, one minute of work; nobody has the product at proficiency_required.
  models::OrganisationConfig o = testing::mmc(1, 1.0 / 24, 1, 0, 90);
  o.agent_groups[0].product_proficiency = {0.5}; // between floor 0.3 and required 0.6
  o.agent_groups.push_back(group_like(o, "novice", 0, 1));
  o.agent_groups.back().product_proficiency = {0.2}; // below the floor
  const sim::Duration overflow = o.routing.overflow_after[3];
  const RoutingSink s = run(o);
  REQUIRE(s.touches.size() > 50);
  sim::SimTime busy_until = sim::SimTime::zero();
  for (const auto &t : s.touches) {
    CHECK(s.group_of(t.agent) == 0u); // never the agent below the floor
    CHECK(t.started - t.info.arrived >= overflow);
    // Taken the moment it overflows, unless the one agent is still on the previous case.
    if (busy_until <= t.info.arrived + overflow) CHECK(t.started - t.info.arrived == overflow);
    busy_until = t.ended;
  }
}

namespace {
/// Checks the longest-free rule: every touch goes to the free agent who became free first.
class LongestFreeSink final : public models::RecordSink {
public:
  struct Seen {
    bool available = false;
    int in_hand = 0;
    std::uint64_t free_since = 0; // order in which agents became free
  };
  std::vector<Seen> agents;
  std::uint64_t order = 0, touches = 0, violations = 0;
  std::vector<AgentIndex> chosen;
  void on(const models::RunStarted &r) override { agents.resize(r.agents.size()); }
  void on(const models::AgentStateChanged &r) override {
    Seen &a = agents[r.agent];
    const bool was_free = a.available && a.in_hand == 0;
    a.available = r.state == models::AgentState::available;
    if (!was_free && a.available && a.in_hand == 0) a.free_since = ++order;
  }
  void on(const models::TouchStarted &r) override {
    ++touches;
    chosen.push_back(r.agent);
    for (std::size_t b = 0; b < agents.size(); ++b)
      if (agents[b].available && agents[b].in_hand == 0 &&
          agents[b].free_since < agents[r.agent].free_since)
        ++violations;
    ++agents[r.agent].in_hand;
  }
  void on(const models::TouchCompleted &r) override {
    Seen &a = agents[r.agent];
    if (--a.in_hand == 0 && a.available) a.free_since = ++order;
  }
};
} // namespace

TEST_CASE("routing: among free agents of a group, the one free longest takes the case",
          "[models][routing]") {
  const models::OrganisationConfig o = testing::mmc(3, 0.5, 30, 0, 30);
  LongestFreeSink s;
  models::SupportModel(o, sim::RandomStreams(1, 0), s).run();
  REQUIRE(s.touches > 300);
  CHECK(s.violations == 0);
  // And the same run twice takes the same agents (deterministic ties).
  LongestFreeSink again;
  models::SupportModel(o, sim::RandomStreams(1, 0), again).run();
  CHECK(again.chosen == s.chosen);
}

TEST_CASE("routing: no qualified agent on shift is counted, and the case waits",
          "[models][routing]") {
  models::OrganisationConfig o = testing::mmc(2, 1, 30, 0, 14);
  o.languages = {"en", "ja"};
  o.regions[0].language_mix = {0.5, 0.5};
  o.agent_groups[0].language_proficiency = {1.0, 0.0};
  const RoutingSink s = run(o);
  REQUIRE(s.unstaffed.size() > 50);
  for (const auto &c : s.unstaffed)
    CHECK(c.language == 1);
  for (const auto &t : s.touches)
    CHECK(t.info.language == 0);
}

namespace {
/// The UTC times at which agents of each group first become available.
class FirstShiftSink final : public models::RecordSink {
public:
  std::vector<models::AgentInfo> agents;
  std::map<std::uint32_t, sim::SimTime> first; // group -> time
  void on(const models::RunStarted &r) override { agents.assign(r.agents.begin(), r.agents.end()); }
  void on(const models::AgentStateChanged &r) override {
    if (r.state == models::AgentState::available && !first.count(agents[r.agent].group))
      first[agents[r.agent].group] = r.time;
  }
};
} // namespace

TEST_CASE("shifts: London and Sydney 09:00 starts on the same UTC day, either side of DST",
          "[models][shifts]") {
  // London went to BST (UTC+1) on 28 March 2027; Sydney leaves AEDT (UTC+11) on 4 April.
  auto first_starts = [](const char *start) {
    models::OrganisationConfig o = testing::mmc(1, 0.01, 30, 0, 3);
    o.start = sim::parse_utc(start);
    o.sites = {models::SiteConfig{"London", 0, "Europe/London", {}, 50},
               models::SiteConfig{"Sydney", 0, "Australia/Sydney", {}, 50}};
    models::ShiftConfig day;
    day.name = "day"; // Monday to Friday, 09:00-17:00
    day.end = models::TimeOfDay{17 * 60};
    o.shifts = {day};
    o.agent_groups[0].site = 0;
    o.agent_groups.push_back(group_like(o, "sydney", 0, 1));
    o.agent_groups.back().site = 1;
    FirstShiftSink sink;
    models::SupportModel(o, sim::RandomStreams(1, 0), sink).run();
    const sim::Clock clock(o.start);
    return std::pair{clock.format_utc(sink.first.at(0)), clock.format_utc(sink.first.at(1))};
  };
  // Sunday 28 March UTC: Sydney's Monday 09:00 is 22:00 UTC on Sunday; London's is 08:00 UTC.
  CHECK(first_starts("2027-03-28") ==
        std::pair<std::string, std::string>{"2027-03-29T08:00:00Z", "2027-03-28T22:00:00Z"});
  // A week later Sydney is on AEST (UTC+10): 23:00 UTC.
  CHECK(first_starts("2027-04-04") ==
        std::pair<std::string, std::string>{"2027-04-05T08:00:00Z", "2027-04-04T23:00:00Z"});
  // In January London is on GMT and Sydney on AEDT.
  CHECK(first_starts("2027-01-10") ==
        std::pair<std::string, std::string>{"2027-01-11T09:00:00Z", "2027-01-10T22:00:00Z"});
}

TEST_CASE("experience: a new hire's touches get shorter along the learning curve",
          "[models][experience]") {
  // Constant 60-minute work, a multiplier 1 + (2 - 1) exp(-tenure / 1 month), no training, an
  // agent hired at the start: every touch takes 60 x multiplier(tenure at its start).
  models::OrganisationConfig o = testing::mmc(1, 0.05, 60, 0, 120);
  o.lifecycle.work_minutes[models::index_of(models::Channel::email)] =
      sim::Distribution::constant(60);
  o.agent_groups[0].tenure_months = sim::Distribution::constant(0);
  o.experience.handle_time = models::LearningCurve{2.0, 1.0, {}};
  const RoutingSink s = run(o);
  REQUIRE(s.touches.size() > 100);
  const double month_minutes = 365.25 / 12 * 24 * 60;
  double first = 0, last = 0;
  for (const auto &t : s.touches) {
    if (t.ended == sim::SimTime::max()) continue;
    const double tenure = t.started.to_minutes() / month_minutes;
    const double expected = 60 * (1 + std::exp(-tenure));
    CHECK((t.ended - t.started).to_minutes() == Approx(expected).margin(1e-4));
    if (first == 0) first = expected;
    last = expected;
  }
  CHECK(first > 115); // about twice the work at hire
  CHECK(last < 62);   // little more than the work itself four months on
}

TEST_CASE("triggers: fire when the condition holds, only then, and only on the check grid",
          "[models][triggers]") {
  // One agent, P1 cases arriving faster than it can answer in busy spells.
  models::OrganisationConfig o = testing::mmc(1, 1.6, 30, 0, 20);
  o.demand.priority_mix = {1, 0, 0, 0};
  models::TriggerConfig t;
  t.name = "surge";
  t.condition = models::TriggerCondition::front_door_wait_above;
  t.threshold = 45;
  t.action = models::TriggerAction::overtime;
  t.cooldown = sim::Duration::hours(1);
  t.check_every = sim::Duration::minutes(15);
  o.triggers = {t};
  const RoutingSink s = run(o);
  REQUIRE(s.firings.size() > 10);
  for (std::size_t i = 0; i < s.firings.size(); ++i) {
    const auto &f = s.firings[i];
    INFO("firing at minute " << f.time.to_minutes());
    CHECK(f.observed > t.threshold);
    // The sink's own reading of the oldest waiting P1 agrees with what the model saw.
    CHECK(s.oldest_at_firing[i].second == Approx(f.observed));
    CHECK(f.time.ticks() % t.check_every.ticks() == 0);
    if (i > 0) CHECK(f.time - s.firings[i - 1].time >= t.cooldown);
  }
  SECTION("and never when the queue stays short") {
    o.agent_groups[0].headcount = 10;
    CHECK(run(o).firings.empty());
  }
}

TEST_CASE("hand-off: a P1 follow-up due after EMEA's shift goes to AMER, a P4 waits for EMEA",
          "[models][handoff]") {
  // EMEA customers only; London works 09:00-17:00, Austin 10:00-20:00 Chicago (16:00-02:00 UTC
  // in January). Each case needs two touches, the second four hours after the first.
  models::OrganisationConfig o = testing::mmc(2, 0.25, 20, 0, 42);
  o.regions = {models::RegionConfig{"EMEA", "Europe/London", 1.0, {1.0}, {}, std::nullopt},
               models::RegionConfig{"AMER", "America/Chicago", 0.0, {1.0}, {}, std::nullopt}};
  o.sites = {models::SiteConfig{"London", 0, "Europe/London", {}, 50},
             models::SiteConfig{"Austin", 1, "America/Chicago", {}, 50}};
  models::ShiftConfig london, austin;
  london.name = "london";
  london.end = models::TimeOfDay{17 * 60};
  austin.name = "austin";
  austin.start = models::TimeOfDay{10 * 60};
  austin.end = models::TimeOfDay{20 * 60};
  o.shifts = {london, austin};
  o.agent_groups[0].site = 0;
  o.agent_groups[0].shifts = {0};
  o.agent_groups.push_back(group_like(o, "austin", 0, 2));
  o.agent_groups.back().site = 1;
  o.agent_groups.back().shifts = {1};
  for (std::size_t h = 0; h < 24; ++h) // customers write during London's working day
    o.demand.hourly_profile[h] = h >= 10 && h < 16 ? 1.0 : 0.0;
  o.demand.weekly_profile = {1, 1, 1, 1, 1, 0, 0}; // and on weekdays
  o.demand.priority_mix = {0.5, 0, 0, 0.5};
  o.lifecycle.touches = sim::Distribution::constant(2);
  o.lifecycle.customer_wait_hours = sim::Distribution::constant(4);
  const RoutingSink s = run(o);
  const sim::Clock clock(o.start);
  const date::time_zone *london_zone = sim::find_zone("Europe/London");
  std::size_t p1_handed = 0, p4_follow_ups = 0;
  for (const auto &t : s.touches) {
    if (t.touch == 0) continue;
    const bool amer = s.agents.at(t.agent).region == 1;
    if (t.info.priority == models::Priority::p1) {
      // Due after 17:00 London: London is gone, so AMER, as a hand-off.
      const sim::LocalTime due = clock.to_local(london_zone, t.started);
      const auto hour = std::chrono::duration_cast<std::chrono::hours>(
                            due - std::chrono::floor<std::chrono::days>(due))
                            .count();
      if (hour >= 18 || hour < 9) {
        CHECK(amer);
        CHECK(t.handoff);
        ++p1_handed;
      }
    } else {
      // P4 follow-ups wait for their owner region: always London.
      CHECK_FALSE(amer);
      ++p4_follow_ups;
    }
  }
  CHECK(p1_handed > 20);
  CHECK(p4_follow_ups > 20);
}

namespace {
/// Checks "within a queue, priority then age" on new cases of one work type.
class PriorityThenAgeSink final : public models::RecordSink {
public:
  std::map<CaseNumber, models::CaseInfo> waiting;
  std::uint64_t first_touches = 0, violations = 0, queue_jumps = 0;
  void on(const models::CaseArrived &r) override { waiting[r.info.number] = r.info; }
  void on(const models::CaseAbandoned &r) override { waiting.erase(r.info.number); }
  void on(const models::TouchStarted &r) override {
    if (r.touch != 0) return;
    ++first_touches;
    waiting.erase(r.info.number);
    for (const auto &[n, c] : waiting) {
      if (c.priority < r.info.priority) ++violations; // a more urgent case was waiting
      if (c.priority == r.info.priority && c.arrived < r.info.arrived) ++violations;
      if (c.priority > r.info.priority && c.arrived < r.info.arrived) ++queue_jumps;
    }
  }
};
} // namespace

TEST_CASE("routing: within a queue, priority first, then the longest wait", "[models][routing]") {
  // Emails at P3 and P4 around the clock (all in the backlog queue), one agent on weekday day
  // shifts: each morning the agent meets a queue and must take the P3s, oldest first, before
  // any P4, however long the P4s have waited.
  models::OrganisationConfig o = testing::mmc(1, 0.5, 20, 0, 28);
  models::ShiftConfig day;
  day.name = "day";
  o.shifts = {day};
  o.demand.priority_mix = {0, 0, 0.5, 0.5};
  o.routing.overflow_after = {sim::Duration::hours(1000), sim::Duration::hours(1000),
                              sim::Duration::hours(1000), sim::Duration::hours(1000)};
  PriorityThenAgeSink s;
  models::SupportModel(o, sim::RandomStreams(3, 0), s).run();
  REQUIRE(s.first_touches > 100);
  CHECK(s.violations == 0);
  CHECK(s.queue_jumps > 100); // P3s did overtake older P4s
}

namespace {
/// Checks "queues first, by weight plus ageing of their oldest case; then priority, then age
/// within the winning queue" at every first touch, for new cases only (one agent, one region:
/// every waiting case is eligible and has waited since it arrived).
class QueueThenCaseSink final : public models::RecordSink {
public:
  explicit QueueThenCaseSink(const models::RoutingConfig &routing) : routing_(routing) {}
  std::map<CaseNumber, std::pair<models::CaseInfo, models::WorkType>> waiting;
  std::uint64_t first_touches = 0, wrong_queue = 0, wrong_case = 0;
  /// The backlog won only thanks to a P4 older than every backlog P3, and gave a P3.
  std::uint64_t won_by_an_older_p4 = 0;
  void on(const models::CaseArrived &r) override { waiting[r.info.number] = {r.info, r.queue}; }
  void on(const models::TouchStarted &r) override {
    if (r.touch != 0) return;
    ++first_touches;
    models::PerWorkType<sim::SimTime> oldest, oldest_urgent; // urgent: P1-P3
    oldest.fill(sim::SimTime::max());
    oldest_urgent.fill(sim::SimTime::max());
    for (const auto &[n, waiting_case] : waiting) {
      const auto &[info, queue] = waiting_case;
      const std::size_t w = models::index_of(queue);
      oldest[w] = std::min(oldest[w], info.arrived);
      if (info.priority != models::Priority::p4)
        oldest_urgent[w] = std::min(oldest_urgent[w], info.arrived);
    }
    auto score = [&](std::size_t w, sim::SimTime since) {
      return routing_.weights[w] + routing_.ageing_per_hour * (r.time - since).to_hours();
    };
    std::size_t best = models::work_type_count;
    for (std::size_t w = 0; w < models::work_type_count; ++w)
      if (oldest[w] != sim::SimTime::max() &&
          (best == models::work_type_count || score(w, oldest[w]) > score(best, oldest[best])))
        best = w;
    if (models::index_of(r.queue) != best) ++wrong_queue;
    for (const auto &[n, waiting_case] : waiting) {
      const auto &[info, queue] = waiting_case;
      if (queue != r.queue || n == r.info.number) continue;
      if (std::tie(info.priority, info.arrived) < std::tie(r.info.priority, r.info.arrived))
        ++wrong_case;
    }
    const std::size_t backlog = models::index_of(models::WorkType::backlog);
    const std::size_t live = models::index_of(models::WorkType::live);
    if (best == backlog && oldest[live] != sim::SimTime::max() &&
        r.info.priority == models::Priority::p3 && oldest[backlog] < oldest_urgent[backlog] &&
        score(backlog, oldest_urgent[backlog]) < score(live, oldest[live]))
      ++won_by_an_older_p4;
    waiting.erase(r.info.number);
  }

private:
  models::RoutingConfig routing_;
};
} // namespace

TEST_CASE("routing: queues rank by their oldest case of any priority, then the case by priority",
          "[models][routing]") {
  // One agent on weekday day shifts; P3 and P4 phone calls (the live queue, no hanging up) and
  // emails (the backlog) arrive around the clock. With live weighted just above the backlog, the
  // backlog wins each morning only when its oldest case has waited 2 hours longer than the
  // live queue's, and that oldest case is often a P4 while the backlog then gives a P3: the
  // agent must weigh the backlog's P4s even though it will take a P3 from it.
  models::OrganisationConfig o = testing::mmc(1, 1.2, 25, 0, 56);
  models::ShiftConfig day;
  day.name = "day";
  o.shifts = {day};
  o.demand.priority_mix = {0, 0, 0.5, 0.5};
  o.demand.channel_mix = {0.5, 0.0, 0.5};
  o.lifecycle.work_minutes[models::index_of(models::Channel::phone)] =
      sim::Distribution::exponential(25);
  o.routing.weights = {100, 80, 12, 10};
  o.routing.overflow_after = {sim::Duration::hours(1000), sim::Duration::hours(1000),
                              sim::Duration::hours(1000), sim::Duration::hours(1000)};
  o.routing.live_overflow_after = sim::Duration::hours(1000);
  QueueThenCaseSink s(o.routing);
  models::SupportModel(o, sim::RandomStreams(5, 0), s).run();
  REQUIRE(s.first_touches > 300);
  CHECK(s.wrong_queue == 0);
  CHECK(s.wrong_case == 0);
  CHECK(s.won_by_an_older_p4 > 10);
}
