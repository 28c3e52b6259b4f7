// The model on its own, on organisations built in code (tests/support/organisations.hpp): every
// case ends exactly once, agents work only when and what they may, the same seed gives the same
// trajectory, and the same seed gives the same cases whatever the staffing.
#include "models/support_model.hpp"
#include "sim/clock.hpp"
#include "tests/support/organisations.hpp"

#include <catch2/catch.hpp>
#include <chrono>
#include <map>
#include <set>
#include <vector>

namespace {

using namespace supportsim;
using models::AgentState;

enum class Fate { none, resolved, abandoned, open };

/// Follows every case and every agent through the records and counts every broken rule.
class AuditSink final : public models::RecordSink {
public:
  explicit AuditSink(const models::OrganisationConfig &o) : org(o) {
    for (const models::TriggerConfig &t : o.triggers)
      borrowing = borrowing || t.action == models::TriggerAction::borrow;
  }
  bool borrowing = false;

  const models::OrganisationConfig &org;
  std::map<models::CaseNumber, Fate> fate;
  std::map<models::CaseNumber, bool> responded;
  struct AgentSeen {
    models::AgentInfo info;
    AgentState state = AgentState::off;
    int in_hand = 0;
    bool live_chat = false;
  };
  std::vector<AgentSeen> agents;
  std::uint64_t arrived = 0, resolved = 0, abandoned = 0, open = 0, touches = 0, fired = 0,
                hired = 0, left = 0, handoffs = 0, escalated = 0, engineering = 0, reopened = 0;
  std::map<std::string, std::uint64_t> problems;
  std::uint64_t fingerprint = 1469598103934665603ull; // FNV-1a over (time, kind, case)
  std::vector<models::CaseInfo> arrivals;

  void problem(const std::string &what) { ++problems[what]; }
  void mix(sim::SimTime t, int kind, std::uint64_t n) {
    for (std::uint64_t v :
         {static_cast<std::uint64_t>(t.ticks()), static_cast<std::uint64_t>(kind), n}) {
      fingerprint ^= v;
      fingerprint *= 1099511628211ull;
    }
  }
  void end(models::CaseNumber n, Fate f) {
    auto it = fate.find(n);
    if (it == fate.end() || it->second != Fate::none)
      problem("case ended twice or never arrived");
    else
      it->second = f;
  }

  void on(const models::RunStarted &r) override {
    for (const models::AgentInfo &a : r.agents)
      agents.push_back(AgentSeen{a});
  }
  void on(const models::CaseArrived &r) override {
    ++arrived;
    if (fate.count(r.info.number)) problem("case number reused");
    fate[r.info.number] = Fate::none;
    arrivals.push_back(r.info);
    mix(r.time, 0, r.info.number);
  }
  void on(const models::FirstResponse &r) override {
    if (responded[r.info.number] || r.time < r.info.arrived) problem("bad first response");
    responded[r.info.number] = true;
    mix(r.time, 1, r.info.number);
  }
  void on(const models::TouchStarted &r) override {
    ++touches;
    handoffs += r.handoff;
    AgentSeen &a = agents.at(r.agent);
    if (a.state != AgentState::available) problem("touch started by an agent not available");
    if (a.in_hand > 0 && !(a.live_chat && r.live_chat)) problem("two touches at once, not chats");
    const models::AgentGroupConfig &g = org.agent_groups[a.info.group];
    if (++a.in_hand > static_cast<int>(g.chat_concurrency)) problem("over chat concurrency");
    a.live_chat = r.live_chat;
    // With a fallback language, a case may be served in it (after overflow_after).
    double language = g.language_proficiency[r.info.language];
    if (org.routing.fallback_language)
      language = std::max(language, g.language_proficiency[*org.routing.fallback_language]);
    if (language < org.routing.proficiency_floor ||
        g.product_proficiency[r.info.product] < org.routing.proficiency_floor)
      problem("touch below the proficiency floor");
    const models::TierRole role = org.tiers[g.tier].role;
    if (role == models::TierRole::tam && r.info.segment != models::Segment::premium)
      problem("TAM took a non-premium case");
    // A follow-up of a priority that waits for its owner region never crosses regions.
    const auto last = last_outcome.find(r.info.number);
    const bool follow_up =
        last != last_outcome.end() && last->second != models::TouchOutcome::escalated;
    // (Borrowed agents count as the region's own: runs with a borrow trigger skip this rule.)
    if (r.handoff && follow_up && !borrowing &&
        org.routing.handoff[models::index_of(r.info.priority)] == models::Handoff::owner_region)
      problem("an owner-region follow-up handed to another region");
    if (!responded[r.info.number]) problem("touch before first response");
    mix(r.time, 2, r.info.number);
  }
  std::map<models::CaseNumber, models::TouchOutcome> last_outcome;
  void on(const models::TouchCompleted &r) override {
    AgentSeen &a = agents.at(r.agent);
    if (--a.in_hand < 0) problem("touch completed twice");
    if (r.time < r.started) problem("touch ends before it starts");
    last_outcome[r.info.number] = r.outcome;
    escalated += r.outcome == models::TouchOutcome::escalated;
    engineering += r.outcome == models::TouchOutcome::to_engineering;
    mix(r.time, 3, r.info.number);
  }
  void on(const models::CaseResolved &r) override {
    ++resolved;
    if (!responded[r.info.number]) problem("resolved without a first response");
    end(r.info.number, Fate::resolved);
    mix(r.time, 4, r.info.number);
  }
  void on(const models::CaseReopened &r) override {
    ++reopened;
    if (fate[r.info.number] != Fate::none) problem("reopened after its end");
  }
  void on(const models::CaseAbandoned &r) override {
    ++abandoned;
    if (responded[r.info.number]) problem("abandoned after a first response");
    if (!models::is_synchronous(r.info.channel)) problem("an email abandoned");
    end(r.info.number, Fate::abandoned);
    mix(r.time, 5, r.info.number);
  }
  void on(const models::CaseOpenAtEnd &r) override {
    ++open;
    const bool waiting = r.state == models::OpenState::awaiting_first_response;
    if (waiting == responded[r.info.number]) problem("open state disagrees with first response");
    end(r.info.number, Fate::open);
  }
  void on(const models::AgentStateChanged &r) override {
    if (r.agent >= agents.size()) {
      problem("state of an unknown agent");
      return;
    }
    agents[r.agent].state = r.state;
  }
  void on(const models::AgentHired &r) override {
    ++hired;
    if (r.agent != agents.size()) problem("hire out of order");
    agents.push_back(AgentSeen{r.info});
  }
  void on(const models::AgentLeft &) override { ++left; }
  std::map<std::uint32_t, std::uint64_t> fired_by_trigger;
  std::map<std::pair<std::uint32_t, std::uint8_t>, sim::SimTime> last_fired;
  void on(const models::TriggerFired &r) override {
    ++fired;
    ++fired_by_trigger[r.trigger];
    if (r.agents > org.triggers[r.trigger].agents) problem("a trigger moved too many agents");
    const auto key = std::pair{r.trigger, r.region};
    if (const auto last = last_fired.find(key);
        last != last_fired.end() && r.time - last->second < org.triggers[r.trigger].cooldown)
      problem("a trigger fired again within its cool-down");
    last_fired[key] = r.time;
    mix(r.time, 6, r.trigger);
  }
};

AuditSink run(const models::OrganisationConfig &o, std::uint64_t seed, std::uint32_t rep = 0) {
  AuditSink sink(o);
  models::SupportModel(o, sim::RandomStreams(seed, rep), sink).run();
  return sink;
}

} // namespace

TEST_CASE("model: every case ends exactly once and no rule is broken", "[models]") {
  const models::OrganisationConfig o = testing::rich(28);
  for (std::uint32_t rep = 0; rep < 3; ++rep) {
    const AuditSink s = run(o, 11, rep);
    INFO("replication " << rep);
    for (const auto &[what, count] : s.problems)
      FAIL_CHECK(what << " (" << count << " times)");
    CHECK(s.problems.empty());
    CHECK(s.arrived > 2000);
    CHECK(s.arrived == s.resolved + s.abandoned + s.open);
    for (const auto &[number, f] : s.fate)
      if (f == Fate::none) FAIL("case " << number << " never ended");
    // Every mechanism took part.
    CHECK(s.abandoned > 0);
    CHECK(s.escalated > 0);
    CHECK(s.engineering > 0);
    CHECK(s.reopened > 0);
    CHECK(s.handoffs > 0);
    CHECK(s.fired > 0);
    for (std::uint32_t t = 0; t < o.triggers.size(); ++t) {
      INFO("trigger " << o.triggers[t].name);
      CHECK(s.fired_by_trigger.count(t) == 1);
    }
    CHECK(s.hired == 2);
  }
  SECTION("without borrowing, follow-ups of P3/P4 stay in their owner's region") {
    models::OrganisationConfig no_borrow = o;
    no_borrow.triggers.pop_back();
    const AuditSink s = run(no_borrow, 11);
    CHECK(s.problems.empty());
    CHECK(s.handoffs > 0); // P1/P2 follow the sun
  }
}

TEST_CASE("model: same seed, same trajectory, another seed or replication, another", "[models]") {
  const models::OrganisationConfig o = testing::rich(14);
  const std::uint64_t a = run(o, 5).fingerprint;
  CHECK(run(o, 5).fingerprint == a);
  CHECK(run(o, 6).fingerprint != a);
  CHECK(run(o, 5, 1).fingerprint != a);
}

TEST_CASE("model: the same seed gives the same cases whatever the staffing (CRN)", "[models]") {
  models::OrganisationConfig few = testing::rich(14);
  models::OrganisationConfig many = few;
  for (auto &g : many.agent_groups)
    g.headcount *= 3;
  const AuditSink a = run(few, 3), b = run(many, 3);
  REQUIRE(a.arrivals.size() == b.arrivals.size());
  for (std::size_t i = 0; i < a.arrivals.size(); ++i) {
    const models::CaseInfo &x = a.arrivals[i], &y = b.arrivals[i];
    REQUIRE(x.arrived == y.arrived);
    REQUIRE((x.priority == y.priority && x.channel == y.channel && x.segment == y.segment &&
             x.product == y.product && x.language == y.language && x.region == y.region));
  }
  CHECK(b.abandoned < a.abandoned); // and triple the staff does answer faster
}

namespace {
/// Records when agents become available, as UTC instants.
class ShiftSink final : public models::RecordSink {
public:
  std::vector<sim::SimTime> available;
  void on(const models::AgentStateChanged &r) override {
    if (r.state == AgentState::available && !r.overtime) available.push_back(r.time);
  }
};
} // namespace

TEST_CASE("model: shifts start at 09:00 site time, daylight-saving time included", "[models]") {
  // One London agent on a Monday-Friday 09:00-17:30 shift: 09:00 UTC in January (GMT), 08:00
  // UTC in July (BST).
  auto first_available = [](const char *start) {
    models::OrganisationConfig o = testing::rich(1);
    o.start = sim::parse_utc(start);
    o.agent_groups.resize(1);
    o.agent_groups[0].headcount = 1;
    o.agent_groups[0].shrinkage = {};
    o.agent_groups[0].hiring_plan.clear();
    o.agent_groups[0].attrition_per_year = 0;
    o.agent_groups[0].tenure_months = sim::Distribution::constant(24);
    o.agent_groups[0].shifts = {0};
    o.triggers.clear();
    ShiftSink sink;
    models::SupportModel(o, sim::RandomStreams(1, 0), sink).run();
    REQUIRE_FALSE(sink.available.empty());
    return sim::Clock(o.start).format_utc(sink.available.front());
  };
  CHECK(first_available("2027-01-04") == "2027-01-04T09:00:00Z"); // a Monday in winter
  CHECK(first_available("2027-07-05") == "2027-07-05T08:00:00Z"); // a Monday in summer
}

TEST_CASE("model: a language nobody speaks waits, and is counted open, never dropped", "[models]") {
  models::OrganisationConfig o = testing::rich(7);
  for (auto &g : o.agent_groups)
    g.language_proficiency[1] = 0.0; // nobody speaks ja
  const AuditSink s = run(o, 2);
  CHECK(s.problems.empty());
  std::uint64_t japanese = 0, japanese_open_or_abandoned = 0;
  for (const models::CaseInfo &c : s.arrivals)
    if (c.language == 1) {
      ++japanese;
      const Fate f = s.fate.at(c.number);
      japanese_open_or_abandoned += f == Fate::open || f == Fate::abandoned;
    }
  CHECK(japanese > 50);
  CHECK(japanese_open_or_abandoned == japanese);

  SECTION("unless they accept English after overflow_after (fallback_language)") {
    o.routing.fallback_language = 0; // en
    const AuditSink f = run(o, 2);
    CHECK(f.problems.empty());
    std::uint64_t served = 0;
    for (const models::CaseInfo &c : f.arrivals)
      served += c.language == 1 && f.responded.count(c.number) && f.responded.at(c.number);
    CHECK(served > 50);
  }
}

TEST_CASE("model: live first contacts overflow to other regions after live_overflow_after",
          "[models]") {
  // Every agent speaks every language, so only the region rule holds a live case back: with an
  // 8-hour live overflow a chat or call waits for its own region's agents (and many hang up),
  // with a 1-minute one it goes to whichever region is on shift.
  models::OrganisationConfig o = testing::rich(14);
  o.triggers.clear();
  for (auto &g : o.agent_groups)
    g.language_proficiency = {1.0, 1.0};
  o.routing.live_overflow_after = sim::Duration::hours(8);
  const AuditSink slow = run(o, 9);
  o.routing.live_overflow_after = sim::Duration::minutes(1);
  const AuditSink fast = run(o, 9);
  CHECK(slow.problems.empty());
  CHECK(fast.problems.empty());
  INFO("abandoned: " << slow.abandoned << " with 8 hours, " << fast.abandoned << " with 1 minute");
  CHECK(fast.abandoned < slow.abandoned * 3 / 4);
}
