// Every figure of analysis::MetricsSink on micro-scenarios small enough to work out by hand: a
// few cases replayed at exact instants into an organisation of two agents, with every duration
// constant and every chance 0 or 1, so each figure has one exact value. The arithmetic is beside
// each assertion; the definitions are docs/metrics.md. Time 0 is Monday 2027-01-04 00:00 UTC,
// there is no warm-up, and "d1 09:00" means 09:00 on the second day.
#include "analysis/metrics/sink.hpp"
#include "analysis/report/report.hpp"
#include "analysis/run/experiment.hpp"
#include "models/organisation.hpp"
#include "models/replay.hpp"
#include "scenarios/scenario.hpp"
#include "tests/support/vector_replay.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace {

using namespace supportsim;
using models::Channel;
using models::Priority;
using models::Segment;

/// The p90 wait comes from a log-linear histogram reported at the bucket's midpoint: within
/// 0.8 % of the exact sample quantile (docs/metrics.md).
constexpr double histogram_tolerance = 0.008;

sim::Distribution constant(double value) {
  return sim::Distribution::constant(value);
}

models::AgentGroupConfig group(std::string name, std::size_t site, std::size_t tier,
                               std::vector<std::size_t> shifts, double cost_per_hour) {
  models::AgentGroupConfig g;
  g.name = std::move(name);
  g.site = site;
  g.tier = tier;
  g.headcount = 1;
  g.shifts = std::move(shifts);
  g.product_proficiency = {1.0}; // full proficiency: work takes exactly its constant minutes
  g.language_proficiency = {1.0};
  g.cost_per_agent_hour = cost_per_hour;
  return g;
}

models::ShiftConfig shift(std::string name, int start_hour, int end_hour) {
  models::ShiftConfig s;
  s.name = std::move(name);
  s.days.fill(true);
  s.start = models::TimeOfDay{start_hour * 60};
  s.end = models::TimeOfDay{end_hour * 60};
  return s;
}

/// One region ("Here") and one site in UTC; one front-line tier that never escalates; one group
/// ("team") of two agents on 09:00-17:00 every day at 40 an hour. One touch per case of
/// constant work: phone 40 min, chat 20, email 30. Phone customers hang up after exactly 20
/// minutes; chat and email customers never do. No reopens. SLA clocks 24x7 with the default
/// targets (P1 15 min, P2 60 min, P3 8 h, P4 24 h).
models::OrganisationConfig micro(int days) {
  using namespace models;
  OrganisationConfig o;
  o.start = sim::parse_utc("2027-01-04"); // a Monday
  o.horizon = sim::Duration::days(days);
  o.products = {"general"};
  o.languages = {"en"};
  o.regions.push_back(RegionConfig{"Here", "UTC", 1.0, {1.0}, {}, std::nullopt});
  o.sites.push_back(SiteConfig{"Office", 0, "UTC", {}, 40.0});
  o.shifts.push_back(shift("day", 9, 17));
  o.tiers.push_back(TierConfig{"L1", TierRole::front_line, std::nullopt, false, 0.0});
  o.agent_groups.push_back(group("team", 0, 0, {0}, 40.0));
  o.agent_groups.back().headcount = 2;
  o.demand.cases_per_month = 0; // every case is replayed
  o.demand.product_mix = {1.0};
  o.lifecycle.touches = constant(1);
  o.lifecycle.work_minutes = {constant(40), constant(20), constant(30)}; // phone, chat, email
  o.lifecycle.patience_minutes[index_of(Channel::phone)] = constant(20);
  return o;
}

/// A case created at `hour`:`minute` of day `day` of the run, with every attribute given.
models::ReplayedCase arrival(int day, int hour, int minute, Priority priority, Channel channel,
                             Segment segment, std::uint8_t region = 0,
                             std::optional<std::uint16_t> account = std::nullopt) {
  models::ReplayedCase row;
  row.created =
      sim::parse_utc("2027-01-04") + std::chrono::minutes((day * 24 + hour) * 60 + minute);
  row.region = region;
  row.priority = priority;
  row.channel = channel;
  row.segment = segment;
  row.product = 0;
  row.language = 0;
  row.account = account;
  return row;
}

/// One replication of the organisation with these cases replayed, no warm-up; its intervals
/// are local hours.
analysis::ReplicationFigures run(const models::OrganisationConfig &organisation,
                                 std::vector<models::ReplayedCase> cases,
                                 std::vector<int> sl_seconds = {20, 60}) {
  scenarios::Scenario s;
  s.name = "micro";
  s.source = "micro";
  s.organisation = organisation;
  s.warmup = sim::Duration::days(0);
  s.replications = 1;
  testing::VectorReplay replay(std::move(cases));
  return analysis::run_replication(s, 1, 0, nullptr, &replay, sl_seconds, 60);
}

const analysis::CaseFigures &of(const analysis::RegionFigures &r, Priority p) {
  return r.by_priority[models::index_of(p)];
}

} // namespace

TEST_CASE("micro metrics: three cases answered late on the wall clock or abandoned",
          "[metrics][micro]") {
  // The business segment's SLA runs on business hours (Mon-Fri 09:00-18:00 UTC); the others
  // on the wall clock.
  models::OrganisationConfig o = micro(1);
  o.service_levels.business_hours_clock[models::index_of(Segment::business)] = true;
  // Nobody is on shift before 09:00. At 09:00 agent 0 takes the P1 chat (the highest priority
  // first), agent 1 the P2 email.
  //   c0 email P2 business   07:00, answered 09:00 (wait 120), resolved 09:30
  //   c1 phone P2 pro        08:30, hangs up 08:50 (wait 20)
  //   c2 chat  P1 enterprise 08:45, answered 09:00 (wait 15), resolved 09:20
  const analysis::ReplicationFigures f =
      run(o, {arrival(0, 7, 0, Priority::p2, Channel::email, Segment::business),
              arrival(0, 8, 30, Priority::p2, Channel::phone, Segment::pro),
              arrival(0, 8, 45, Priority::p1, Channel::chat, Segment::enterprise)});
  REQUIRE(f.regions.size() == 1);
  const analysis::RegionFigures &here = f.regions[0];
  const analysis::CaseFigures &c = here.all;

  CHECK(c.offered == 3);
  CHECK(c.answered == 2);  // c0, c2
  CHECK(c.abandoned == 1); // c1
  CHECK(c.resolved == 2);  // c0, c2
  CHECK(c.open == 0);      // 3 = 1 abandoned + 2 resolved + 0 open
  // c0 meets (0 business minutes from 07:00 to 09:00 <= 60, though 120 on the wall clock), c2
  // meets (15 <= 15: a response at exactly the target meets it), c1 abandoned (a miss): 2/3.
  CHECK(c.sla_attainment == Approx(2.0 / 3.0).epsilon(1e-12));
  CHECK(c.abandonment == Approx(1.0 / 3.0).epsilon(1e-12)); // 1 of 3 hung up
  // Waits on the wall clock: 120 (c0), 20 (c1, to the hang-up), 15 (c2): mean 155/3.
  CHECK(c.mean_wait == Approx(155.0 / 3.0).epsilon(1e-12));
  CHECK(c.asa == Approx((120.0 + 15.0) / 2.0).epsilon(1e-12)); // answered only: 135/2 = 67.5
  // Nearest rank: ceil(0.9 x 3) = 3rd smallest of {15, 20, 120} = 120 (to the histogram).
  CHECK(c.p90_wait == Approx(120.0).epsilon(histogram_tolerance));
  CHECK(c.touches == Approx(1.0).epsilon(1e-12)); // one touch each for c0 and c2: 2/2
  // Resolution: c0 07:00 -> 09:30 (2.5 h), c2 08:45 -> 09:20 (35 min); c1 never resolved.
  CHECK(c.mean_resolution == Approx((2.5 + 35.0 / 60) / 2).epsilon(1e-12));
  CHECK(c.p90_resolution == Approx(2.5).epsilon(histogram_tolerance)); // 2nd smallest of 2
  CHECK(of(here, Priority::p1).mean_resolution == Approx(35.0 / 60).epsilon(1e-12));
  CHECK(c.escalation_rate == 0.0); // the tier never escalates
  CHECK(c.reopen_rate == 0.0);     // no reopens
  CHECK(c.handoff_rate == 0.0);    // one region
  // All three arrived before 09:00 with nobody on shift: 3/3.
  CHECK(c.no_qualified_agent_rate == Approx(1.0).epsilon(1e-12));

  // Per priority. P1: c2 alone. P2: c0 answered, c1 abandoned.
  CHECK(of(here, Priority::p1).offered == 1);
  CHECK(of(here, Priority::p1).sla_attainment == Approx(1.0).epsilon(1e-12)); // 15 <= 15
  CHECK(of(here, Priority::p1).asa == Approx(15.0).epsilon(1e-12));
  CHECK(of(here, Priority::p2).offered == 2);
  CHECK(of(here, Priority::p2).answered == 1);
  CHECK(of(here, Priority::p2).abandoned == 1);
  CHECK(of(here, Priority::p2).sla_attainment == Approx(0.5).epsilon(1e-12)); // c0 meets: 1/2
  CHECK(of(here, Priority::p2).abandonment == Approx(0.5).epsilon(1e-12));    // c1: 1/2
  CHECK(of(here, Priority::p2).mean_wait == Approx(70.0).epsilon(1e-12));     // (120 + 20)/2
  CHECK(of(here, Priority::p2).asa == Approx(120.0).epsilon(1e-12));          // c0 only
  CHECK(of(here, Priority::p3).offered == 0);
  CHECK(std::isnan(of(here, Priority::p3).sla_attainment)); // no case: undefined
  CHECK(std::isnan(of(here, Priority::p3).asa));

  // The whole organisation is the one region.
  CHECK(f.all.all.offered == 3);
  CHECK(f.all.all.sla_attainment == Approx(2.0 / 3.0).epsilon(1e-12));
  CHECK(f.all.by_priority[models::index_of(Priority::p2)].abandoned == 1);

  // Per segment: business c0, pro c1, enterprise c2.
  const auto &business = f.by_segment[models::index_of(Segment::business)];
  const auto &pro = f.by_segment[models::index_of(Segment::pro)];
  const auto &enterprise = f.by_segment[models::index_of(Segment::enterprise)];
  CHECK(business.offered == 1);
  CHECK(business.sla_attainment == Approx(1.0).epsilon(1e-12)); // on its business-hours clock
  CHECK(business.asa == Approx(120.0).epsilon(1e-12));          // the wait is wall clock
  CHECK(pro.offered == 1);
  CHECK(pro.abandoned == 1);
  CHECK(pro.sla_attainment == Approx(0.0).margin(1e-12)); // 0 met of 1 decided
  CHECK(pro.abandonment == Approx(1.0).epsilon(1e-12));
  CHECK(pro.mean_wait == Approx(20.0).epsilon(1e-12));
  CHECK(std::isnan(pro.asa)); // nobody answered
  CHECK(enterprise.sla_attainment == Approx(1.0).epsilon(1e-12));
  CHECK(enterprise.asa == Approx(15.0).epsilon(1e-12));
  CHECK(f.by_segment[models::index_of(Segment::free)].offered == 0);
  CHECK(std::isnan(f.by_segment[models::index_of(Segment::free)].abandonment));

  // Per channel: email c0, phone c1, chat c2.
  const auto &email = f.by_channel[models::index_of(Channel::email)];
  const auto &phone = f.by_channel[models::index_of(Channel::phone)];
  const auto &chat = f.by_channel[models::index_of(Channel::chat)];
  CHECK(email.offered == 1);
  CHECK(email.resolved == 1);
  CHECK(email.p90_wait == Approx(120.0).epsilon(histogram_tolerance));
  CHECK(phone.offered == 1);
  CHECK(phone.abandonment == Approx(1.0).epsilon(1e-12));
  CHECK(phone.p90_wait == Approx(20.0).epsilon(histogram_tolerance)); // the hang-up's wait
  CHECK(chat.offered == 1);
  CHECK(chat.asa == Approx(15.0).epsilon(1e-12));

  // Agents: two on shift 09:00-17:00, 2 x 480 = 960 available minutes; busy 20 (c2) + 30 (c0).
  CHECK(here.agents == 2);
  CHECK(here.utilisation == Approx(50.0 / 960.0).epsilon(1e-12));
  CHECK(here.paid_hours == Approx(16.0).epsilon(1e-12));                // 2 x 8 h
  CHECK(here.idle_hours == Approx((960.0 - 50.0) / 60).epsilon(1e-12)); // available - busy
  CHECK(here.overtime_hours == 0.0);
  CHECK(here.cost == Approx(640.0).epsilon(1e-12));              // 16 h x 40
  CHECK(here.cost_per_resolved == Approx(320.0).epsilon(1e-12)); // 640 / 2
  CHECK(here.trigger_firings == 0);
  REQUIRE(f.groups.size() == 1);
  CHECK(f.groups[0].utilisation == Approx(50.0 / 960.0).epsilon(1e-12));
  CHECK(f.groups[0].idle_hours == Approx((960.0 - 50.0) / 60).epsilon(1e-12));
  CHECK(f.groups[0].cost == Approx(640.0).epsilon(1e-12));

  // One day, the same three cases.
  REQUIRE(here.days.size() == 1);
  const auto &day = here.days[0];
  CHECK(day.offered == 3);
  CHECK(day.sla_attainment == Approx(2.0 / 3.0).epsilon(1e-12));
  CHECK(day.asa == Approx(67.5).epsilon(1e-12));
  CHECK(day.abandonment == Approx(1.0 / 3.0).epsilon(1e-12));
  CHECK(day.backlog == 0); // nothing open at the end
  CHECK(day.utilisation == Approx(50.0 / 960.0).epsilon(1e-12));
}

TEST_CASE("micro metrics: cases still waiting at the end are misses past target and undecided "
          "within it",
          "[metrics][micro]") {
  //   c0 email P2 10:00, answered at once by agent 0 (wait 0), resolved 10:30
  //   c1 email P1 21:00, nobody on shift: waiting at the end (24:00), 180 min > 15: a miss
  //   c2 email P4 22:00, nobody on shift: waiting at the end, 120 min <= 24 h: undecided
  const analysis::ReplicationFigures f =
      run(micro(1), {arrival(0, 10, 0, Priority::p2, Channel::email, Segment::business),
                     arrival(0, 21, 0, Priority::p1, Channel::email, Segment::business),
                     arrival(0, 22, 0, Priority::p4, Channel::email, Segment::business)});
  const analysis::RegionFigures &here = f.regions[0];
  const analysis::CaseFigures &c = here.all;

  CHECK(c.offered == 3);
  CHECK(c.answered == 1);
  CHECK(c.abandoned == 0);
  CHECK(c.resolved == 1);
  CHECK(c.open == 2); // 3 = 0 + 1 + 2
  // Decided: c0 (met) and c1 (waiting past its target); c2 is left out: 1/2.
  CHECK(c.sla_attainment == Approx(1.0 / 2.0).epsilon(1e-12));
  CHECK(c.abandonment == 0.0);
  // Cases still waiting have no wait: only c0's 0 minutes.
  CHECK(c.mean_wait == 0.0);
  CHECK(c.asa == 0.0);
  CHECK(c.p90_wait == 0.0); // exact below 64 us
  // c1 and c2 arrived after 17:00 with nobody on shift; c0 found an agent: 2/3.
  CHECK(c.no_qualified_agent_rate == Approx(2.0 / 3.0).epsilon(1e-12));
  CHECK(of(here, Priority::p1).open == 1);
  CHECK(of(here, Priority::p1).sla_attainment == Approx(0.0).margin(1e-12)); // 0 met of 1
  CHECK(of(here, Priority::p4).open == 1);
  CHECK(std::isnan(of(here, Priority::p4).sla_attainment)); // nothing decided: undefined
  CHECK(of(here, Priority::p2).sla_attainment == Approx(1.0).epsilon(1e-12));

  // Busy 30 of 2 x 480 available minutes; 16 paid hours at 40 for one resolved case.
  CHECK(here.utilisation == Approx(30.0 / 960.0).epsilon(1e-12));
  CHECK(here.cost_per_resolved == Approx(640.0).epsilon(1e-12));

  REQUIRE(here.days.size() == 1);
  CHECK(here.days[0].offered == 3);
  CHECK(here.days[0].sla_attainment == Approx(1.0 / 2.0).epsilon(1e-12)); // as above
  CHECK(here.days[0].backlog == 2); // c1 and c2 open when the (only) day ends
}

TEST_CASE("micro metrics: touches escalations reopens and hand-offs per region and group",
          "[metrics][micro]") {
  // Two regions in UTC, one agent each, both on 08:00-20:00:
  //   agent 0 (region West, group "l1", 40 an hour): front line, escalates every touch to TAM;
  //   agent 1 (region East, group "tam", 100 an hour): the TAM tier, named TAM of "Acme",
  //   never escalates.
  // Every case is solved once, reopened 5 hours later and then resolved for good. Overflow is
  // immediate, so the TAM in East takes West's escalations at once.
  using namespace models;
  OrganisationConfig o = micro(1);
  o.regions = {RegionConfig{"West", "UTC", 0.5, {1.0}, {}, std::nullopt},
               RegionConfig{"East", "UTC", 0.5, {1.0}, {}, std::nullopt}};
  o.sites = {SiteConfig{"West office", 0, "UTC", {}, 40.0},
             SiteConfig{"East office", 1, "UTC", {}, 100.0}};
  o.shifts = {shift("long day", 8, 20)};
  o.tiers = {TierConfig{"L1", TierRole::front_line, 1, false, 1.0},
             TierConfig{"TAM", TierRole::tam, std::nullopt, false, 0.0}};
  o.agent_groups = {group("l1", 0, 0, {0}, 40.0), group("tam", 1, 1, {0}, 100.0)};
  o.agent_groups[1].accounts = {"Acme"};
  o.lifecycle.reopen_probability = 1.0;
  o.lifecycle.reopen_after_hours = constant(5);
  o.routing.overflow_after.fill(sim::Duration::minutes(0));
  o.routing.live_overflow_after = sim::Duration::minutes(0);
  // Every case is an email P3 (30 minutes a touch, target 8 h):
  //   c0 West business 09:00: agent 0 09:00-09:30, escalated; agent 1 09:30-10:00 (a hand-off,
  //      West -> East), solved; reopened 15:00; agent 1 15:00-15:30, resolved: 3 touches.
  //   c1 East premium "Acme" 11:00: agent 1 (its named TAM) 11:00-11:30, solved; reopened
  //      16:30; agent 1 16:30-17:00, resolved: 2 touches.
  //   c2 West business 18:30: agent 0 18:30-19:00, escalated; agent 1 19:00-19:30 (a
  //      hand-off), solved; would reopen at d1 00:30, after the end: open, waiting on the
  //      customer.
  const analysis::ReplicationFigures f =
      run(o, {arrival(0, 9, 0, Priority::p3, Channel::email, Segment::business, 0),
              arrival(0, 11, 0, Priority::p3, Channel::email, Segment::premium, 1, 0),
              arrival(0, 18, 30, Priority::p3, Channel::email, Segment::business, 0)});
  REQUIRE(f.regions.size() == 2);
  const analysis::RegionFigures &west = f.regions[0], &east = f.regions[1];
  const analysis::CaseFigures &c = f.all.all;

  CHECK(c.offered == 3);
  CHECK(c.answered == 3);
  CHECK(c.resolved == 2);                                // c0, c1
  CHECK(c.open == 1);                                    // c2
  CHECK(c.sla_attainment == Approx(1.0).epsilon(1e-12)); // every first response at once
  CHECK(c.asa == 0.0);
  CHECK(c.touches == Approx((3.0 + 2.0) / 2.0).epsilon(1e-12)); // c0 3, c1 2; c2 not resolved
  CHECK(c.escalation_rate == Approx(2.0 / 3.0).epsilon(1e-12)); // c0 and c2 once each
  CHECK(c.reopen_rate == Approx(2.0 / 3.0).epsilon(1e-12));     // c0, c1; c2's is after the end
  CHECK(c.handoff_rate == Approx(2.0 / 3.0).epsilon(1e-12));    // c0 and c2 West -> East
  CHECK(c.no_qualified_agent_rate == 0.0); // both agents on shift at every arrival

  // Cases count in their customer's region. West: c0 and c2. East: c1.
  CHECK(west.all.offered == 2);
  CHECK(west.all.resolved == 1);
  CHECK(west.all.open == 1);
  CHECK(west.all.touches == Approx(3.0).epsilon(1e-12));         // c0 alone
  CHECK(west.all.escalation_rate == Approx(1.0).epsilon(1e-12)); // 2 / 2
  CHECK(west.all.reopen_rate == Approx(0.5).epsilon(1e-12));     // 1 / 2
  CHECK(west.all.handoff_rate == Approx(1.0).epsilon(1e-12));    // 2 / 2
  CHECK(east.all.offered == 1);
  CHECK(east.all.resolved == 1);
  CHECK(east.all.touches == Approx(2.0).epsilon(1e-12));
  CHECK(east.all.escalation_rate == 0.0);
  CHECK(east.all.reopen_rate == Approx(1.0).epsilon(1e-12));
  CHECK(east.all.handoff_rate == 0.0);
  CHECK(f.by_segment[index_of(Segment::premium)].offered == 1);
  CHECK(f.by_segment[index_of(Segment::premium)].touches == Approx(2.0).epsilon(1e-12));
  CHECK(f.by_segment[index_of(Segment::business)].escalation_rate == Approx(1.0).epsilon(1e-12));

  // Agent time by the region of the agent's site, each on shift 12 h = 720 min.
  // West (agent 0): busy 09:00-09:30 and 18:30-19:00 = 60. East (agent 1): busy 09:30-10:00,
  // 11:00-11:30, 15:00-15:30, 16:30-17:00 and 19:00-19:30 = 150.
  CHECK(west.agents == 1);
  CHECK(east.agents == 1);
  CHECK(f.all.agents == 2);
  CHECK(west.utilisation == Approx(60.0 / 720.0).epsilon(1e-12));
  CHECK(east.utilisation == Approx(150.0 / 720.0).epsilon(1e-12));
  CHECK(f.all.utilisation == Approx(210.0 / 1440.0).epsilon(1e-12)); // sums, not a mean of ratios
  CHECK(west.paid_hours == Approx(12.0).epsilon(1e-12));
  CHECK(east.paid_hours == Approx(12.0).epsilon(1e-12));
  CHECK(f.all.paid_hours == Approx(24.0).epsilon(1e-12));
  CHECK(west.cost == Approx(480.0).epsilon(1e-12));   // 12 h x 40
  CHECK(east.cost == Approx(1200.0).epsilon(1e-12));  // 12 h x 100
  CHECK(f.all.cost == Approx(1680.0).epsilon(1e-12)); // 480 + 1200
  // Cost over the region's own resolved cases: West 480 / 1 (c0), East 1200 / 1 (c1), all
  // 1680 / 2.
  CHECK(west.cost_per_resolved == Approx(480.0).epsilon(1e-12));
  CHECK(east.cost_per_resolved == Approx(1200.0).epsilon(1e-12));
  CHECK(f.all.cost_per_resolved == Approx(840.0).epsilon(1e-12));

  // Per agent group, the same split (one agent each).
  REQUIRE(f.groups.size() == 2);
  CHECK(f.groups[0].utilisation == Approx(60.0 / 720.0).epsilon(1e-12));
  CHECK(f.groups[0].paid_hours == Approx(12.0).epsilon(1e-12));
  CHECK(f.groups[0].cost == Approx(480.0).epsilon(1e-12));
  CHECK(f.groups[1].utilisation == Approx(150.0 / 720.0).epsilon(1e-12));
  CHECK(f.groups[1].paid_hours == Approx(12.0).epsilon(1e-12));
  CHECK(f.groups[1].cost == Approx(1200.0).epsilon(1e-12));

  // The day: West's cases and agent, East's.
  REQUIRE(west.days.size() == 1);
  REQUIRE(east.days.size() == 1);
  CHECK(west.days[0].offered == 2);
  CHECK(west.days[0].backlog == 1); // c2, waiting on the customer
  CHECK(west.days[0].utilisation == Approx(60.0 / 720.0).epsilon(1e-12));
  CHECK(east.days[0].offered == 1);
  CHECK(east.days[0].backlog == 0);
  CHECK(east.days[0].utilisation == Approx(150.0 / 720.0).epsilon(1e-12));
}

TEST_CASE("micro metrics: breaks and overtime in utilisation paid hours and cost",
          "[metrics][micro]") {
  // One agent per group in one region:
  //   agent 0, group "day" (40 an hour): 09:00-17:00, an unpaid 30-minute break at 12:00;
  //   agent 1, group "late" (60 an hour): 12:00-18:00, a paid 15-minute break at 12:15.
  // An overtime trigger that never fires (backlog above 1000) sets the overtime factor to 2,
  // which applies to all overtime, a touch finished after the shift included.
  using namespace models;
  OrganisationConfig o = micro(1);
  ShiftConfig day = shift("day", 9, 17);
  day.breaks.push_back(BreakConfig{TimeOfDay{12 * 60}, 30, false});
  ShiftConfig late = shift("late", 12, 18);
  late.breaks.push_back(BreakConfig{TimeOfDay{12 * 60 + 15}, 15, true});
  o.shifts = {day, late};
  o.agent_groups = {group("day", 0, 0, {0}, 40.0), group("late", 0, 0, {1}, 60.0)};
  o.triggers.push_back(TriggerConfig{"never", 0, TriggerCondition::backlog_above, 1000,
                                     TriggerAction::overtime, 1, sim::Duration::hours(1),
                                     sim::Duration::hours(4), sim::Duration::minutes(15),
                                     std::nullopt, 2.0});
  // Email P3 cases, 30 minutes each:
  //   c0 11:45: agent 0 (alone on shift) 11:45-12:15, paused from 12:00: busy 15 minutes.
  //   c1 12:05: agent 0 is on its break; agent 1 12:05-12:35, paused 12:15-12:30: busy 10 + 5.
  //   c2 16:45: both free, agent 0's group is listed first; 16:45-17:15, the last 15 minutes
  //      after its shift: overtime, available and busy.
  const analysis::ReplicationFigures f =
      run(o, {arrival(0, 11, 45, Priority::p3, Channel::email, Segment::business),
              arrival(0, 12, 5, Priority::p3, Channel::email, Segment::business),
              arrival(0, 16, 45, Priority::p3, Channel::email, Segment::business)});
  const analysis::RegionFigures &here = f.regions[0];
  CHECK(here.all.resolved == 3);
  CHECK(here.all.asa == 0.0); // every case answered on arrival

  // Agent 0: available 09:00-12:00 (180) + 12:30-17:00 (270) + overtime 17:00-17:15 (15) =
  // 465; busy 11:45-12:00 (15) + 16:45-17:15 (30) = 45. Paid: the same 465 minutes (the break
  // is unpaid) = 7.75 h, of which 0.25 h overtime; cost 7.5 x 40 + 0.25 x 40 x 2 = 320.
  // Agent 1: available 12:00-12:15 (15) + 12:30-18:00 (330) = 345; busy 12:05-12:15 (10) +
  // 12:30-12:35 (5) = 15. Paid 12:00-18:00 = 6 h (the break is paid); cost 6 x 60 = 360.
  REQUIRE(f.groups.size() == 2);
  CHECK(f.groups[0].utilisation == Approx(45.0 / 465.0).epsilon(1e-12));
  CHECK(f.groups[0].paid_hours == Approx(7.75).epsilon(1e-12));
  CHECK(f.groups[0].overtime_hours == Approx(0.25).epsilon(1e-12));
  CHECK(f.groups[0].cost == Approx(320.0).epsilon(1e-12));
  CHECK(f.groups[1].utilisation == Approx(15.0 / 345.0).epsilon(1e-12));
  CHECK(f.groups[1].paid_hours == Approx(6.0).epsilon(1e-12));
  CHECK(f.groups[1].overtime_hours == 0.0);
  CHECK(f.groups[1].cost == Approx(360.0).epsilon(1e-12));

  // The region sums both: busy 60 of 810 available; 13.75 paid hours, 0.25 overtime; cost 680
  // over 3 resolved cases.
  CHECK(here.utilisation == Approx(60.0 / 810.0).epsilon(1e-12));
  CHECK(here.paid_hours == Approx(13.75).epsilon(1e-12));
  CHECK(here.overtime_hours == Approx(0.25).epsilon(1e-12));
  CHECK(here.cost == Approx(680.0).epsilon(1e-12));
  CHECK(here.cost_per_resolved == Approx(680.0 / 3.0).epsilon(1e-12));
  CHECK(here.trigger_firings == 0);
  CHECK(f.all.overtime_hours == Approx(0.25).epsilon(1e-12));
  REQUIRE(here.days.size() == 1);
  CHECK(here.days[0].utilisation == Approx(60.0 / 810.0).epsilon(1e-12));
}

TEST_CASE("micro metrics: per-day figures count cases by the day they arrived",
          "[metrics][micro]") {
  // Two days; both agents on 09:00-17:00 each day.
  //   c0 d0 08:00 email P2: agent 0 at d0 09:00 (wait 60 <= 60, met), resolved 09:30.
  //   c1 d0 22:00 chat  P2: open when day 0 ends; agent 0 at d1 09:00 (wait 660, a miss: the
  //      longest waiting), resolved 09:20.
  //   c2 d1 08:50 phone P2: agent 1 at d1 09:00 (wait 10, met), resolved 09:40.
  //   c3 d1 20:00 phone P2: hangs up at 20:20 (wait 20, a miss).
  //   c4 d1 23:30 email P4: waiting at the end, 30 min <= 24 h: undecided; open.
  const analysis::ReplicationFigures f =
      run(micro(2), {arrival(0, 8, 0, Priority::p2, Channel::email, Segment::business),
                     arrival(0, 22, 0, Priority::p2, Channel::chat, Segment::business),
                     arrival(1, 8, 50, Priority::p2, Channel::phone, Segment::business),
                     arrival(1, 20, 0, Priority::p2, Channel::phone, Segment::business),
                     arrival(1, 23, 30, Priority::p4, Channel::email, Segment::business)});
  const analysis::RegionFigures &here = f.regions[0];
  REQUIRE(here.days.size() == 2);
  const auto &d0 = here.days[0];
  const auto &d1 = here.days[1];

  CHECK(d0.offered == 2);                                     // c0, c1
  CHECK(d0.sla_attainment == Approx(0.5).epsilon(1e-12));     // c0 met, c1 missed (on day 1)
  CHECK(d0.asa == Approx((60.0 + 660.0) / 2).epsilon(1e-12)); // 360
  CHECK(d0.abandonment == 0.0);
  CHECK(d0.backlog == 1); // c1
  // Busy 30 (c0) of 2 x 480 available.
  CHECK(d0.utilisation == Approx(30.0 / 960.0).epsilon(1e-12));

  CHECK(d1.offered == 3);                                    // c2, c3, c4
  CHECK(d1.sla_attainment == Approx(0.5).epsilon(1e-12));    // c2 met, c3 missed, c4 undecided
  CHECK(d1.asa == Approx(10.0).epsilon(1e-12));              // c2 only: c1 counts on day 0
  CHECK(d1.abandonment == Approx(1.0 / 3.0).epsilon(1e-12)); // c3
  CHECK(d1.backlog == 1);                                    // c4, at the end of the run
  // Busy 20 (c1) + 40 (c2) of 2 x 480 available.
  CHECK(d1.utilisation == Approx(60.0 / 960.0).epsilon(1e-12));
  // Mean age of the open cases at each day's end: c1 (22:00) at 24:00; c4 (d1 23:30) at 48:00.
  CHECK(d0.backlog_age_hours == Approx(2.0).epsilon(1e-12));
  CHECK(d1.backlog_age_hours == Approx(0.5).epsilon(1e-12));
  CHECK(d0.available_hours == Approx(16.0).epsilon(1e-12)); // 2 agents x 8 h

  // The same cases by local hour and by week: days and the week are sums of the hours.
  REQUIRE(here.intervals.size() == 48);
  REQUIRE(here.weeks.size() == 1);       // the two days: a short week
  CHECK(here.intervals[8].offered == 1); // c0 at 08:00
  CHECK(here.intervals[8].backlog == 1); // c0, waiting at 09:00
  CHECK(here.intervals[8].backlog_age_hours == Approx(1.0).epsilon(1e-12));
  CHECK(here.intervals[9].backlog == 0); // c0 resolved at 09:30
  CHECK(std::isnan(here.intervals[9].backlog_age_hours));
  CHECK(here.intervals[9].work_hours == Approx(0.5).epsilon(1e-12)); // c0's 30 minutes, ended 09:30
  CHECK(here.intervals[9].utilisation == Approx(30.0 / 120.0).epsilon(1e-12)); // of 2 x 60
  CHECK(here.intervals[22].backlog_age_hours == Approx(1.0).epsilon(1e-12));   // c1 at 23:00
  CHECK(here.weeks[0].offered == 5);
  CHECK(here.weeks[0].answered == 3);
  CHECK(here.weeks[0].sla_attainment == Approx(0.5).epsilon(1e-12)); // 2 met of 4 decided
  CHECK(here.weeks[0].backlog == 1);
  CHECK(here.weeks[0].work_hours == Approx((30.0 + 20.0 + 40.0) / 60).epsilon(1e-12));
  CHECK(here.weeks[0].work_hours_other_regions == 0.0);
  CHECK(here.weeks[0].work_hours_escalation_tiers == 0.0);
  CHECK(here.weeks[0].available_hours == Approx(32.0).epsilon(1e-12));

  // The whole window.
  const analysis::CaseFigures &c = here.all;
  CHECK(c.offered == 5);
  CHECK(c.answered == 3);
  CHECK(c.abandoned == 1);
  CHECK(c.resolved == 3);
  CHECK(c.open == 1);
  CHECK(c.sla_attainment == Approx(2.0 / 4.0).epsilon(1e-12)); // c0, c2 of c0-c3
  CHECK(c.abandonment == Approx(1.0 / 5.0).epsilon(1e-12));
  CHECK(c.mean_wait == Approx((60.0 + 660.0 + 10.0 + 20.0) / 4).epsilon(1e-12)); // 187.5
  CHECK(c.asa == Approx((60.0 + 660.0 + 10.0) / 3).epsilon(1e-12));              // 730/3
  // Nearest rank ceil(0.9 x 4) = 4th smallest of {10, 20, 60, 660} = 660.
  CHECK(c.p90_wait == Approx(660.0).epsilon(histogram_tolerance));
  CHECK(here.utilisation == Approx(90.0 / 1920.0).epsilon(1e-12));
  CHECK(here.paid_hours == Approx(32.0).epsilon(1e-12));                 // 2 agents x 2 x 8 h
  CHECK(here.cost_per_resolved == Approx(32.0 * 40 / 3).epsilon(1e-12)); // 1280 / 3
}

TEST_CASE("micro metrics: agent time and an open case split at midnight", "[metrics][micro]") {
  // Two days; both agents on an overnight shift 22:00-02:00 (and on the one that started the
  // evening before the run, until d0 02:00). Each agent is on shift 00:00-02:00 and 22:00-24:00
  // of each day: 240 available minutes a day.
  models::OrganisationConfig o = micro(2);
  o.shifts = {shift("night", 22, 2)};
  //   c0 d0 23:45 email P3: agent 0 23:45-d1 00:15, in work when day 0 ends.
  //   c1 d1 01:50 email P3: agent 1 (free the longest) 01:50-02:20, the last 20 minutes after
  //      its shift: overtime, available and busy.
  //   c2 d1 23:00 chat  P2: agent 0 (its shift started first) 23:00-23:20.
  const analysis::ReplicationFigures f =
      run(o, {arrival(0, 23, 45, Priority::p3, Channel::email, Segment::business),
              arrival(1, 1, 50, Priority::p3, Channel::email, Segment::business),
              arrival(1, 23, 0, Priority::p2, Channel::chat, Segment::business)});
  const analysis::RegionFigures &here = f.regions[0];
  REQUIRE(here.days.size() == 2);
  const auto &d0 = here.days[0];
  const auto &d1 = here.days[1];

  CHECK(d0.offered == 1);
  CHECK(d0.backlog == 1); // c0, in work at midnight
  // Busy 23:45-24:00 = 15 of 2 x 240 available.
  CHECK(d0.utilisation == Approx(15.0 / 480.0).epsilon(1e-12));
  CHECK(d1.offered == 2);
  CHECK(d1.backlog == 0);
  CHECK(d1.sla_attainment == Approx(1.0).epsilon(1e-12)); // both answered on arrival
  // Busy 00:00-00:15 (c0) + 01:50-02:20 (c1) + 23:00-23:20 (c2) = 65; available 2 x 240 + 20
  // overtime = 500.
  CHECK(d1.utilisation == Approx(65.0 / 500.0).epsilon(1e-12));

  CHECK(here.all.resolved == 3);
  CHECK(here.utilisation == Approx(80.0 / 980.0).epsilon(1e-12)); // 15 + 65 of 480 + 500
  CHECK(here.paid_hours == Approx(980.0 / 60).epsilon(1e-12));    // all available time
  CHECK(here.overtime_hours == Approx(20.0 / 60).epsilon(1e-12)); // c1 after 02:00
  CHECK(here.cost == Approx(980.0 / 60 * 40).epsilon(1e-12));     // no overtime trigger: x 1
  CHECK(here.cost_per_resolved == Approx(980.0 / 60 * 40 / 3).epsilon(1e-12));
}

TEST_CASE("micro metrics: call-centre figures per synchronous channel and local hour",
          "[metrics][micro][callcentre]") {
  // The region's customers live in Asia/Kolkata (UTC+05:30), so its local hours start at half
  // past the UTC hour: the window (d0 00:00-24:00 UTC) is 05:30-06:00 local (partial), then 23
  // whole local hours, then 05:00-05:30 the next day (partial): 25 intervals. The agents work
  // 09:00-17:00 UTC; phone work is 40 min and phone customers hang up after 20 min.
  models::OrganisationConfig o = micro(1);
  o.regions[0].time_zone = "Asia/Kolkata";
  auto phone = [](int hour, int minute, int second = 0) {
    models::ReplayedCase c = arrival(0, hour, minute, Priority::p2, Channel::phone, Segment::pro);
    c.created += std::chrono::seconds(second);
    return c;
  };
  //   chat c1 08:50 UTC (14:20 local), answered 09:00 by agent 0: wait 600 s; done 09:20
  //   p1 10:00 (15:30 local) answered at once by agent 0: wait 0; busy to 10:40
  //   p2 10:05 answered at once by agent 1: wait 0; busy to 10:45
  //   p3 10:10 both busy; hangs up at 10:30: wait 1200 s, abandoned
  //   p4 10:30 (16:00 local) answered by agent 0 at 10:40: wait 600 s
  //   p5 10:44:45 answered by agent 1 at 10:45: wait 15 s
  //   an email at 10:50 counts in no call-centre figure
  const analysis::ReplicationFigures f =
      run(o,
          {arrival(0, 8, 50, Priority::p2, Channel::chat, Segment::pro), phone(10, 0), phone(10, 5),
           phone(10, 10), phone(10, 30), phone(10, 44, 45),
           arrival(0, 10, 50, Priority::p2, Channel::email, Segment::pro)},
          {20, 600});
  REQUIRE(f.sl_seconds == std::vector<int>{20, 600});
  const analysis::RegionFigures &here = f.regions[0];
  const analysis::QueueTally &ph = here.callcentre[models::index_of(Channel::phone)].window;
  CHECK(ph.offered == 5);
  CHECK(ph.answered == 4);
  CHECK(ph.abandoned == 1);
  CHECK(ph.p_wait_zero() == Approx(2.0 / 5));                              // p1, p2
  CHECK(ph.asa_seconds() == Approx((0 + 0 + 600 + 15) / 4.0));             // 153.75 s
  CHECK(ph.mean_wait_queued_seconds() == Approx((1200 + 600 + 15) / 3.0)); // p3, p4, p5: 605 s
  CHECK(ph.p_abandon_queued() == Approx(1.0 / 3));                         // p3 of p3, p4, p5
  CHECK(ph.service_level(0) == Approx(3.0 / 5));                           // p1, p2, p5 within 20 s
  CHECK(ph.service_level(1) == Approx(4.0 / 5));                           // and p4 within 600 s
  const analysis::QueueTally &chat = here.callcentre[models::index_of(Channel::chat)].window;
  CHECK(chat.offered == 1);
  CHECK(chat.p_wait_zero() == 0);
  CHECK(chat.mean_wait_queued_seconds() == Approx(600));
  CHECK(chat.p_abandon_queued() == 0);
  CHECK(chat.service_level(0) == 0);
  CHECK(chat.service_level(1) == 1); // 600 s is within 600 s
  // The organisation's figures are the region's.
  CHECK(f.all.callcentre[0].window.offered == 5);
  CHECK(f.all.callcentre[0].window.p_abandon_queued() == Approx(1.0 / 3));
  CHECK(f.all.callcentre[1].window.offered == 1);

  // Local hours: interval k >= 1 starts at (k - 1):30 UTC.
  REQUIRE(here.interval_labels.size() == 25);
  CHECK(here.interval_labels[0] == "2027-01-04T05:30");
  CHECK(here.interval_labels[1] == "2027-01-04T06:00");
  CHECK(here.interval_labels[10] == "2027-01-04T15:00");
  CHECK(here.interval_labels[24] == "2027-01-05T05:00");
  CHECK(here.interval_starts[10] == sim::parse_utc("2027-01-04T09:30:00Z"));
  const std::vector<analysis::QueueTally> &hours =
      here.callcentre[models::index_of(Channel::phone)].intervals;
  REQUIRE(hours.size() == 25);
  // 15:00 local (09:30-10:30 UTC): p1, p2 at once, p3 abandoned after 1200 s.
  CHECK(hours[10].offered == 3);
  CHECK(hours[10].p_wait_zero() == Approx(2.0 / 3));
  CHECK(hours[10].p_abandon_queued() == 1);
  CHECK(hours[10].mean_wait_queued_seconds() == Approx(1200));
  CHECK(hours[10].service_level(0) == Approx(2.0 / 3));
  // 16:00 local (10:30-11:30 UTC): p4 after 600 s, p5 after 15 s.
  CHECK(hours[11].offered == 2);
  CHECK(hours[11].p_wait_zero() == 0);
  CHECK(hours[11].p_abandon_queued() == 0);
  CHECK(hours[11].mean_wait_queued_seconds() == Approx(307.5));
  CHECK(hours[11].service_level(0) == Approx(0.5));
  CHECK(hours[11].service_level(1) == 1);
  double offered = 0;
  for (const analysis::QueueTally &h : hours)
    offered += h.offered;
  CHECK(offered == 5);
  CHECK(here.callcentre[models::index_of(Channel::chat)].intervals[9].offered == 1); // 14:00 local

  // callcentre.csv: a row per region, channel and local hour, with these figures.
  analysis::ExperimentResult result;
  result.scenario.organisation = o;
  result.replications = {f};
  const std::string csv = analysis::render_callcentre_csv(result);
  CHECK(csv.rfind("interval_start_local,interval_start_utc,region,channel,offered,answered,"
                  "abandoned,p_wait_zero,mean_wait_queued_seconds,p_abandon_queued,sl_20s,"
                  "sl_600s\n",
                  0) == 0);
  CHECK(csv.find("\n2027-01-04T16:00,2027-01-04T10:30:00Z,Here,phone,2,2,0,0,307.5,0,0.5,1\n") !=
        std::string::npos);
  CHECK(std::count(csv.begin(), csv.end(), '\n') == 1 + 2 * 25);
}
