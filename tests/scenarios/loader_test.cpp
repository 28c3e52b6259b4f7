// The scenario loader on good input (the embedded default, a minimal file, every section's
// defaults) and on a corpus of bad files, one mistake each, under tests/scenarios/bad/. Every
// rejection must name the file, the exact JSON pointer and what was expected.
#include "scenarios/scenario.hpp"
#include "sim/clock.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <numeric>
#include <set>
#include <sstream>
#include <string>
#include <vector>

using namespace supportsim;
using scenarios::ScenarioError;

namespace {

const std::string source_dir = SUPPORTSIM_SOURCE_DIR;
const std::string good_dir = source_dir + "/tests/scenarios/good/";
const std::string bad_dir = source_dir + "/tests/scenarios/bad/";

std::string read_text(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE(in);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

/// Parses `text` and returns the error it must raise.
ScenarioError parse_error(const std::string &text, const std::string &source = "inline.json") {
  try {
    scenarios::parse_scenario(text, source);
  } catch (const ScenarioError &e) {
    return e;
  }
  FAIL("expected a ScenarioError for:\n" << text);
  return ScenarioError("", "", ""); // not reached: FAIL throws
}

/// The minimal scenario with `members` added at the top level (each followed by a comma).
std::string minimal_with(const std::string &members) {
  return R"({"name": "inline", "horizon_days": 7, )" + members +
         R"( "demand": {"cases_per_month": 2000}, "agent_groups": [{"name": "team", "headcount": 2}]})";
}

std::size_t index_of(const std::vector<std::string> &names, const std::string &name) {
  const auto it = std::find(names.begin(), names.end(), name);
  REQUIRE(it != names.end());
  return static_cast<std::size_t>(it - names.begin());
}

const models::AgentGroupConfig &group(const models::OrganisationConfig &org,
                                      const std::string &name) {
  const auto it = std::find_if(org.agent_groups.begin(), org.agent_groups.end(),
                               [&](const auto &g) { return g.name == name; });
  REQUIRE(it != org.agent_groups.end());
  return *it;
}

} // namespace

TEST_CASE("loader: the embedded default", "[scenarios]") {
  const scenarios::Scenario s = scenarios::default_scenario();
  const models::OrganisationConfig &org = s.organisation;
  CHECK(s.name == "default");
  CHECK(s.source == "(embedded default)");
  CHECK(s.seed == 1);
  CHECK(s.replications == 10);
  CHECK(s.warnings.empty());
  CHECK(org.start == sim::parse_utc("2027-01-04"));
  // The organisation's horizon includes the warm-up: 7 + 91 days.
  CHECK(s.warmup == sim::Duration::days(7));
  CHECK(org.horizon == sim::Duration::days(98));

  // Sorted, as nlohmann::json iterates object keys.
  CHECK(org.products ==
        std::vector<std::string>{"Billing", "CDN", "DNS", "WAF", "Workers", "Zero Trust"});
  CHECK(org.languages == std::vector<std::string>{"de", "en", "es", "fr", "ja", "pt"});
  REQUIRE(org.regions.size() == 3);
  CHECK(org.regions[1].name == "EMEA");
  CHECK(org.regions[1].time_zone == "Europe/Berlin");
  CHECK(org.regions[1].demand_share == 0.35);
  CHECK(org.regions[1].language_mix == std::vector<double>{0.20, 0.52, 0.07, 0.14, 0, 0.07});
  CHECK(org.regions[2].holidays.size() == 2);
  CHECK_FALSE(org.regions[0].hourly_profile);
  CHECK(org.sites.size() == 8);
  CHECK(org.sites[2].name == "London");
  CHECK(org.sites[2].region == 1);
  CHECK(org.sites[2].cost_per_agent_hour == 55);
  REQUIRE(org.shifts.size() == 5);
  CHECK(org.shifts[0].start.minute == 7 * 60);
  CHECK(org.shifts[0].end.minute == 15 * 60 + 30);
  CHECK(org.shifts[0].breaks.size() == 1);
  CHECK_FALSE(org.shifts[0].breaks[0].paid);
  CHECK(org.shifts[3].days == models::Weekdays{false, false, false, false, false, true, true});
  CHECK(org.shifts[3].rotation_weeks == 4);
  CHECK(org.shifts[4].on_call);
  REQUIRE(org.tiers.size() == 3);
  CHECK(org.tiers[0].escalates_to == std::optional<std::size_t>{1});
  CHECK_FALSE(org.tiers[1].escalates_to);
  CHECK(org.tiers[1].to_engineering);
  CHECK(org.tiers[2].role == models::TierRole::tam);
  CHECK(org.tiers[2].escalation_probability == 0.06);

  CHECK(org.agent_groups.size() == 17);
  CHECK(std::accumulate(org.agent_groups.begin(), org.agent_groups.end(), 0u,
                        [](unsigned n, const auto &g) { return n + g.headcount; }) == 150);
  const models::AgentGroupConfig &austin = group(org, "austin-l1");
  CHECK(austin.site == 0);
  CHECK(austin.tier == 0);
  CHECK(austin.shifts == std::vector<std::size_t>{0, 3});
  CHECK(austin.product_proficiency[index_of(org.products, "DNS")] == 0.8);
  CHECK(austin.language_proficiency[index_of(org.languages, "en")] == 1.0);
  CHECK(austin.language_proficiency[index_of(org.languages, "es")] == 0.0); // not in its skills
  CHECK(austin.tenure_months.describe() == "gamma(mean 18, cv 0.8)");
  CHECK(austin.chat_concurrency == 2);
  CHECK(austin.cost_per_agent_hour == 52); // the site's
  CHECK(austin.shrinkage.absence == 0.09); // the top-level shrinkage
  CHECK(austin.shrinkage.off_queue == 0.10);
  REQUIRE(austin.hiring_plan.size() == 1);
  CHECK(austin.hiring_plan[0].date ==
        models::Date{std::chrono::year(2027), std::chrono::February, std::chrono::day(1)});
  const models::AgentGroupConfig &tam = group(org, "amer-tam");
  CHECK(tam.cost_per_agent_hour == 95); // its own
  CHECK(tam.accounts.size() == 6);
  CHECK(tam.chat_concurrency == 1);

  CHECK(org.experience.training_weeks == 4);
  CHECK(org.experience.handle_time.at_hire == 1.8);
  CHECK(org.experience.handle_time.table.empty());
  CHECK(org.experience.escalation.table ==
        std::vector<std::pair<double, double>>{{0, 2.0}, {6, 1.4}, {24, 1.0}});

  const models::DemandConfig &d = org.demand;
  CHECK(d.cases_per_month == 15000);
  CHECK(d.growth_per_month == 0.015);
  CHECK(d.hourly_profile[10] == 2.10);
  CHECK(d.weekly_profile[6] == 0.40);
  CHECK(d.priority_mix == models::PerPriority<double>{0.02, 0.10, 0.48, 0.40});
  CHECK(d.channel_mix == models::PerChannel<double>{0.10, 0.30, 0.60});
  CHECK(d.segment_mix == models::PerSegment<double>{0.30, 0.25, 0.25, 0.15, 0.05});
  CHECK(d.product_mix == std::vector<double>{0.15, 0.20, 0.22, 0.15, 0.13, 0.15});
  CHECK(d.incidents.empty());

  const models::LifecycleConfig &l = org.lifecycle;
  CHECK(l.touches.describe() == "empirical(10 values)");
  CHECK(l.work_minutes[models::index_of(models::Channel::chat)].describe() ==
        "lognormal(mean 22, cv 0.7)");
  CHECK(l.product_work_factor[index_of(org.products, "Workers")] == 1.3);
  CHECK(l.patience_minutes[0]->describe() == "lognormal(mean 20, cv 1)");
  CHECK_FALSE(l.patience_minutes[2]);

  // free and pro state their own targets on a business-hours clock; enterprise and premium
  // their own on a 24x7 clock; business takes the common ones.
  CHECK(s.organisation.service_levels.first_response[0][0] == sim::Duration::minutes(240));
  CHECK(s.organisation.service_levels.business_hours_clock[0]);
  CHECK(s.organisation.service_levels.first_response[2][0] == sim::Duration::minutes(15));
  CHECK(s.organisation.service_levels.first_response[4][3] == sim::Duration::minutes(480));
  CHECK(s.organisation.service_levels.first_response[2][3] == sim::Duration::minutes(1440));
  CHECK(org.routing.live_overflow_after == sim::Duration::minutes(3));
  CHECK(org.routing.fallback_language == index_of(org.languages, "en"));
  CHECK_FALSE(s.organisation.service_levels.business_hours_clock[4]);
  CHECK(s.organisation.service_levels.business_hours.end.minute == 18 * 60);
  CHECK(org.routing.overflow_after[2] == sim::Duration::hours(4));
  CHECK(org.routing.handoff[3] == models::Handoff::owner_region);
  REQUIRE(org.triggers.size() == 2);
  CHECK_FALSE(org.triggers[0].region);
  CHECK(org.triggers[1].action == models::TriggerAction::overtime);
  CHECK(org.triggers[1].cooldown == sim::Duration::hours(24));
  CHECK(org.triggers[1].check_every == sim::Duration::minutes(15));

  SECTION("is the text of scenarios/default.json, byte for byte") {
    CHECK(std::string(scenarios::default_scenario_text()) ==
          read_text(source_dir + "/scenarios/default.json"));
  }
  SECTION("loading scenarios/default.json gives the same scenario, named by its path") {
    const std::string path = source_dir + "/scenarios/default.json";
    const scenarios::Scenario f = scenarios::load_scenario_file(path);
    CHECK(f.source == path);
    CHECK(scenarios::dump_scenario(f) == scenarios::dump_scenario(s));
  }
}

TEST_CASE("loader: the minimal file is an M/M/2 queue", "[scenarios]") {
  const std::string path = good_dir + "minimal.json";
  const scenarios::Scenario s = scenarios::load_scenario_file(path);
  const models::OrganisationConfig &org = s.organisation;
  CHECK(s.name == "mm2");
  CHECK(s.description.empty());
  CHECK(s.source == path);
  CHECK(s.seed == 1);
  CHECK(s.replications == 10);
  CHECK(s.warnings.empty());
  CHECK(s.warmup == sim::Duration::days(0));
  CHECK(org.horizon == sim::Duration::days(7));
  CHECK(org.start == sim::parse_utc("2027-01-04"));

  CHECK(org.products == std::vector<std::string>{"general"});
  CHECK(org.languages == std::vector<std::string>{"en"});
  REQUIRE(org.regions.size() == 1);
  CHECK(org.regions[0].name == "Global");
  CHECK(org.regions[0].time_zone == "UTC");
  CHECK(org.regions[0].demand_share == 1.0);
  CHECK(org.regions[0].language_mix == std::vector<double>{1.0});
  CHECK(org.regions[0].holidays.empty());
  REQUIRE(org.sites.size() == 1);
  CHECK(org.sites[0].name == "Main");
  CHECK(org.sites[0].region == 0);
  CHECK(org.sites[0].time_zone == "UTC");
  CHECK(org.sites[0].cost_per_agent_hour == 0);
  // Always on duty: one shift, every day, the whole day, no breaks, every week.
  REQUIRE(org.shifts.size() == 1);
  CHECK(org.shifts[0].name == "24x7");
  CHECK(org.shifts[0].days == models::Weekdays{true, true, true, true, true, true, true});
  CHECK(org.shifts[0].start.minute == 0);
  CHECK(org.shifts[0].end.minute == 24 * 60);
  CHECK(org.shifts[0].breaks.empty());
  CHECK(org.shifts[0].rotation_weeks == 1);
  CHECK_FALSE(org.shifts[0].on_call);
  // One tier that never escalates.
  REQUIRE(org.tiers.size() == 1);
  CHECK(org.tiers[0].name == "L1");
  CHECK(org.tiers[0].role == models::TierRole::front_line);
  CHECK_FALSE(org.tiers[0].escalates_to);
  CHECK_FALSE(org.tiers[0].to_engineering);
  CHECK(org.tiers[0].escalation_probability == 0);

  REQUIRE(org.agent_groups.size() == 1);
  const models::AgentGroupConfig &g = org.agent_groups[0];
  const models::AgentGroupConfig struct_defaults;
  CHECK(g.name == "team");
  CHECK(g.headcount == 2);
  CHECK(g.site == 0);
  CHECK(g.tier == 0);
  CHECK(g.shifts == std::vector<std::size_t>{0});
  CHECK(g.product_proficiency == std::vector<double>{1.0});
  CHECK(g.language_proficiency == std::vector<double>{1.0});
  CHECK(g.tenure_months.describe() == struct_defaults.tenure_months.describe());
  CHECK(g.chat_concurrency == 1);
  CHECK(g.cost_per_agent_hour == 0);
  CHECK(g.accounts.empty());
  CHECK(g.attrition_per_year == 0);
  CHECK(g.hiring_plan.empty());
  CHECK(g.shrinkage.absence == 0);
  CHECK(g.shrinkage.off_queue == 0);

  // No training and no learning: the experience curves are flat.
  CHECK(org.experience.training_weeks == 0);
  CHECK(org.experience.handle_time.at_hire == 1.0);
  CHECK(org.experience.escalation.at_hire == 1.0);
  CHECK(org.experience.escalation.table.empty());

  // Poisson arrivals, flat profiles, all P4 email business cases about one product.
  const models::DemandConfig &d = org.demand;
  CHECK(d.cases_per_month == 2000);
  CHECK(d.growth_per_month == 0);
  CHECK(std::all_of(d.hourly_profile.begin(), d.hourly_profile.end(),
                    [](double x) { return x == 1.0; }));
  CHECK(std::all_of(d.weekly_profile.begin(), d.weekly_profile.end(),
                    [](double x) { return x == 1.0; }));
  CHECK(d.daily_cv == 0);
  CHECK(d.holiday_factor == 0.3);
  CHECK(d.priority_mix == models::PerPriority<double>{0, 0, 0, 1});
  CHECK(d.channel_mix == models::PerChannel<double>{0, 0, 1});
  CHECK(d.segment_mix == models::PerSegment<double>{0, 0, 1, 0, 0});
  CHECK(d.product_mix == std::vector<double>{1.0});
  CHECK(d.incidents.empty());

  // Exponential 30-minute work, one touch, nobody abandons, no reopening.
  const models::LifecycleConfig &l = org.lifecycle;
  CHECK(l.touches.describe() == "constant(1)");
  for (const auto &work : l.work_minutes)
    CHECK(work.describe() == "exponential(mean 30)");
  CHECK(l.priority_work_factor == models::PerPriority<double>{1, 1, 1, 1});
  CHECK(l.product_work_factor == std::vector<double>{1.0});
  CHECK(l.reopen_probability == 0);
  for (const auto &patience : l.patience_minutes)
    CHECK_FALSE(patience);
  CHECK(l.chat_slowdown_per_extra_chat == 0.25);

  // SLA: 15 / 60 / 480 / 1440 minutes for every segment, on a 24x7 clock.
  for (std::size_t seg = 0; seg < models::segment_count; ++seg) {
    CHECK(s.organisation.service_levels.first_response[seg] ==
          models::PerPriority<sim::Duration>{sim::Duration::minutes(15), sim::Duration::minutes(60),
                                             sim::Duration::minutes(480),
                                             sim::Duration::minutes(1440)});
    CHECK_FALSE(s.organisation.service_levels.business_hours_clock[seg]);
  }
  CHECK(s.sla.attainment_target == models::PerPriority<double>{0.95, 0.95, 0.90, 0.90});
  CHECK(s.sla.utilisation_target == 0.85);

  const models::RoutingConfig routing_defaults;
  CHECK(org.routing.weights == routing_defaults.weights);
  CHECK(org.routing.proficiency_required == 0.6);
  CHECK(org.routing.proficiency_floor == 0.3);
  CHECK(org.routing.overflow_after == routing_defaults.overflow_after);
  CHECK(org.routing.handoff == routing_defaults.handoff);
  CHECK(org.routing.tam_first);
  CHECK(org.triggers.empty());
}

TEST_CASE("loader: defaults inside stated sections", "[scenarios]") {
  const scenarios::Scenario s = scenarios::parse_scenario(R"({
    "name": "sections", "horizon_days": 7,
    "regions": [{"name": "A", "time_zone": "Europe/Paris"},
                {"name": "B", "time_zone": "Asia/Tokyo", "languages": {"ja": 0.5, "en": 0.5}}],
    "sites": [{"name": "Paris", "cost_per_agent_hour": 40}, {"name": "Tokyo", "region": "B"}],
    "shrinkage": {"absence": 0.1, "off_queue": 0.2},
    "agent_groups": [
      {"name": "paris", "headcount": 3, "skills": {"en": 1, "ja": 0.2}},
      {"name": "tokyo", "site": "Tokyo", "headcount": 2, "shrinkage": {"off_queue": 0.05}}],
    "demand": {"cases_per_month": 500, "product_mix": {"b": 0.5, "a": 0.5}},
    "sla": {"first_response_minutes": {"P1": 20},
            "segments": {"premium": {"first_response_minutes": {"P2": 30}, "clock": "24x7"},
                         "free": {"clock": "business_hours"}}}
  })",
                                                          "sections.json");
  const models::OrganisationConfig &org = s.organisation;
  CHECK(s.warnings.empty());
  CHECK(org.products == std::vector<std::string>{"a", "b"});
  CHECK(org.languages == std::vector<std::string>{"en", "ja"});
  CHECK(org.regions[0].demand_share == 0.5);                           // an equal share each
  CHECK(org.regions[0].language_mix == std::vector<double>{1.0, 0.0}); // {"en": 1}
  CHECK(org.regions[1].language_mix == std::vector<double>{0.5, 0.5});
  CHECK(org.sites[0].region == 0);                 // the first region
  CHECK(org.sites[0].time_zone == "Europe/Paris"); // the region's zone
  CHECK(org.sites[1].time_zone == "Asia/Tokyo");
  const auto &paris = org.agent_groups[0], &tokyo = org.agent_groups[1];
  CHECK(paris.cost_per_agent_hour == 40);                        // its site's
  CHECK(paris.product_proficiency == std::vector<double>{0, 0}); // skills stated: absent is 0
  CHECK(paris.language_proficiency == std::vector<double>{1.0, 0.2});
  CHECK(tokyo.site == 1);
  CHECK(tokyo.product_proficiency == std::vector<double>{1, 1}); // no skills: 1 everywhere
  CHECK(paris.shrinkage.absence == 0.1);
  CHECK(paris.shrinkage.off_queue == 0.2);
  CHECK(tokyo.shrinkage.absence == 0.1); // per key: the top-level's where the group is silent
  CHECK(tokyo.shrinkage.off_queue == 0.05);
  // The common target, a segment's own where it states one.
  CHECK(s.organisation.service_levels.first_response[2][0] == sim::Duration::minutes(20));
  CHECK(s.organisation.service_levels.first_response[2][1] == sim::Duration::minutes(60));
  CHECK(s.organisation.service_levels.first_response[4][0] == sim::Duration::minutes(20));
  CHECK(s.organisation.service_levels.first_response[4][1] == sim::Duration::minutes(30));
  CHECK(s.organisation.service_levels.business_hours_clock ==
        models::PerSegment<bool>{true, false, false, false, false});
}

TEST_CASE("loader: incidents and triggers", "[scenarios]") {
  const scenarios::Scenario s =
      scenarios::load_scenario_file(good_dir + "two_regions_what_if.json");
  const models::OrganisationConfig &org = s.organisation;
  CHECK(s.warnings.empty());
  REQUIRE(org.demand.incidents.size() == 1);
  const models::IncidentConfig &incident = org.demand.incidents[0];
  CHECK(incident.start == sim::parse_utc("2027-03-10T14:00:00Z"));
  CHECK(incident.duration == sim::Duration::hours(6));
  CHECK(incident.multiplier == 4);
  CHECK(incident.priorities == models::PerPriority<bool>{true, true, false, false});
  CHECK(incident.products == std::vector<bool>{false, true}); // CDN, DNS
  CHECK(incident.regions == std::vector<bool>{true, true});
  REQUIRE(org.triggers.size() == 2);
  const models::TriggerConfig &borrow = org.triggers[0], &overtime = org.triggers[1];
  CHECK(borrow.region == std::optional<std::size_t>{1});
  CHECK(borrow.from_region == std::optional<std::size_t>{0});
  CHECK(borrow.action == models::TriggerAction::borrow);
  CHECK(borrow.duration == sim::Duration::minutes(90));
  CHECK(borrow.cooldown == sim::Duration::minutes(180));
  CHECK_FALSE(overtime.region);
  CHECK(overtime.condition == models::TriggerCondition::sla_last_hour_below);
  CHECK(overtime.check_every == sim::Duration::minutes(30));
  CHECK(overtime.overtime_cost_factor == 1.75);
  CHECK(overtime.duration == sim::Duration::hours(2));
  // An overnight shift, and breaks paid by default.
  CHECK(org.shifts[1].start.minute == 22 * 60);
  CHECK(org.shifts[1].end.minute == 6 * 60);
  CHECK(org.shifts[0].breaks[1].paid);
  CHECK(org.regions[1].hourly_profile.has_value());
}

TEST_CASE("loader: a 09:00 London shift is 08:00 UTC in July and 09:00 UTC in January",
          "[scenarios]") {
  const scenarios::Scenario s = scenarios::parse_scenario(R"({
    "name": "dst", "horizon_days": 7,
    "regions": [{"name": "EMEA", "time_zone": "Europe/London"}],
    "shifts": [{"name": "day", "days": ["Mon"], "start": "09:00", "end": "17:00"}],
    "demand": {"cases_per_month": 100},
    "agent_groups": [{"name": "london", "headcount": 1}]})",
                                                          "dst.json");
  const models::OrganisationConfig &org = s.organisation;
  const sim::Clock clock(org.start);
  const auto *zone = sim::find_zone(org.sites[0].time_zone);
  const auto start = std::chrono::minutes(org.shifts[0].start.minute);
  auto local = [&](int month, int day) {
    return sim::LocalTime(
        std::chrono::local_days(std::chrono::year_month_day{
            std::chrono::year(2027), std::chrono::month(static_cast<unsigned>(month)),
            std::chrono::day(static_cast<unsigned>(day))}) +
        start);
  };
  CHECK(clock.format_utc(clock.from_local(zone, local(7, 12))) == "2027-07-12T08:00:00Z");
  CHECK(clock.format_utc(clock.from_local(zone, local(1, 11))) == "2027-01-11T09:00:00Z");
}

TEST_CASE("loader: the horizon limits are inclusive and fractional days work", "[scenarios]") {
  auto horizon_of = [](const std::string &days) {
    const std::string text = R"({"name": "h", )" + days +
                             R"(, "demand": {"cases_per_month": 10},
            "agent_groups": [{"name": "team", "headcount": 1}]})";
    const scenarios::Scenario s = scenarios::parse_scenario(text, "inline.json");
    return std::pair{s.warmup.ticks(), s.organisation.horizon.ticks()};
  };
  CHECK(horizon_of(R"("horizon_days": 0.5)") ==
        std::pair{std::int64_t{0}, sim::Duration::hours(12).ticks()});
  CHECK(horizon_of(R"("horizon_days": 1461)").second == sim::Duration::days(1461).ticks());
  CHECK(horizon_of(R"("horizon_days": 1460, "warmup_days": 1)") ==
        std::pair{sim::Duration::days(1).ticks(), sim::Duration::days(1461).ticks()});

  const ScenarioError e = parse_error(
      R"({"name": "h", "horizon_days": 1460, "warmup_days": 1.5, "demand": {"cases_per_month": 0},
          "agent_groups": [{"name": "team", "headcount": 1}]})",
      "h.json");
  CHECK(e.pointer() == "/warmup_days");
  CHECK_THAT(e.what(), Catch::Contains("1461") && Catch::Contains("1461.5"));
}

TEST_CASE("loader: the case limit counts growth", "[scenarios]") {
  // 10^7 a month for 60 days is about 2·10^7 cases; with 100 % growth a month for four years it
  // is far beyond 10^9.
  CHECK_NOTHROW(scenarios::parse_scenario(
      R"({"name": "g", "horizon_days": 60, "demand": {"cases_per_month": 1e7},
          "agent_groups": [{"name": "team", "headcount": 1}]})",
      "g.json"));
  const ScenarioError e = parse_error(
      R"({"name": "g", "horizon_days": 1400, "demand": {"cases_per_month": 1e4, "growth_per_month": 1},
          "agent_groups": [{"name": "team", "headcount": 1}]})");
  CHECK(e.pointer() == "/demand/cases_per_month");
  CHECK_THAT(e.problem(), Catch::Contains("expected at most 1e+09 cases per replication"));
}

TEST_CASE("loader: every distribution type parses, a mixture nests", "[scenarios]") {
  const scenarios::Scenario s = scenarios::load_scenario_file(good_dir + "all_distributions.json");
  CHECK(s.seed == 42);
  CHECK(s.replications == 2);
  CHECK(s.warmup == sim::Duration::hours(12));
  CHECK(s.organisation.horizon == sim::Duration::hours(84));
  const models::LifecycleConfig &l = s.organisation.lifecycle;
  CHECK(l.touches.describe() == "empirical(4 values)");
  CHECK(l.touches.mean() == Approx(1.75));
  CHECK(l.work_minutes[0].describe() == "constant(12)");
  CHECK(l.work_minutes[1].describe() == "lognormal(mean 40, cv 0.9)");
  CHECK(l.work_minutes[1].cv() == Approx(0.9));
  CHECK(l.work_minutes[2].describe() == "weibull(shape 1.5, scale 30)");
  CHECK(l.work_minutes[2].mean() == Approx(30.0 * std::tgamma(1.0 + 1.0 / 1.5)));
  CHECK(l.customer_wait_hours.describe() == "gamma(mean 20, cv 0.5)");
  CHECK(l.engineering_turnaround_hours.describe() == "exponential(mean 36)");
  CHECK(s.organisation.agent_groups[0].tenure_months.describe() == "uniform(1, 60)");
  CHECK_FALSE(l.patience_minutes[0]);
  REQUIRE(l.patience_minutes[1]);
  // 1:3 of constant 20 and (1:1 of exponential 40 and uniform 0..20, mean 25): 95 / 4.
  CHECK(l.patience_minutes[1]->describe() == "mixture(2 components)");
  CHECK(l.patience_minutes[1]->mean() == Approx(23.75));
}

TEST_CASE("loader: warnings name the place and the run goes on", "[scenarios]") {
  SECTION("a language nobody speaks") {
    const scenarios::Scenario s = scenarios::parse_scenario(R"({
      "name": "w", "horizon_days": 7,
      "regions": [{"name": "APJC", "time_zone": "Asia/Tokyo", "languages": {"en": 0.7, "ja": 0.3}}],
      "demand": {"cases_per_month": 100},
      "agent_groups": [{"name": "team", "headcount": 2, "skills": {"general": 1, "en": 1, "ja": 0.2}}]})",
                                                            "w.json");
    REQUIRE(s.warnings.size() == 1);
    CHECK_THAT(s.warnings[0], Catch::StartsWith("w.json: /regions/0/languages/ja: "));
    CHECK_THAT(s.warnings[0], Catch::Contains("cases in ja will wait forever"));
    CHECK(s.organisation.agent_groups.size() == 1);
  }
  SECTION("a product nobody knows, and premium cases without a TAM") {
    const scenarios::Scenario s = scenarios::parse_scenario(R"({
      "name": "w", "horizon_days": 7,
      "demand": {"cases_per_month": 100, "product_mix": {"DNS": 0.5, "WAF": 0.5},
                 "segment_mix": {"business": 0.9, "premium": 0.1}},
      "agent_groups": [{"name": "team", "headcount": 2, "skills": {"DNS": 1, "WAF": 0.1, "en": 1}}]})",
                                                            "w.json");
    REQUIRE(s.warnings.size() == 2);
    CHECK_THAT(s.warnings[0],
               Catch::StartsWith("w.json: /demand/product_mix/WAF: cases about WAF"));
    CHECK_THAT(s.warnings[1], Catch::StartsWith("w.json: /demand/segment_mix/premium: "));
  }
  SECTION("no demand, no warnings") {
    const scenarios::Scenario s = scenarios::parse_scenario(R"({
      "name": "w", "horizon_days": 7,
      "regions": [{"name": "APJC", "time_zone": "Asia/Tokyo", "languages": {"ja": 1}}],
      "demand": {"cases_per_month": 0},
      "agent_groups": [{"name": "team", "headcount": 0, "skills": {"general": 1}}]})",
                                                            "w.json");
    CHECK(s.warnings.empty());
  }
}

TEST_CASE("loader: errors name the source given to parse_scenario", "[scenarios]") {
  const ScenarioError e = parse_error(
      R"({"name": "x", "horizon_days": 1, "demand": {"cases_per_month": 1}})", "from-a-socket");
  CHECK(e.file() == "from-a-socket");
  CHECK(e.pointer() == "/");
  CHECK(e.problem() == R"(missing required key "agent_groups")");
  CHECK(std::string(e.what()) == R"(from-a-socket: /: missing required key "agent_groups")");
}

TEST_CASE("loader: a typo is reported before the key it hides is missed", "[scenarios]") {
  // "headcont" for "headcount": the helpful message is the typo, not 'missing required key'.
  const ScenarioError e = parse_error(
      R"({"name": "x", "horizon_days": 7, "demand": {"cases_per_month": 1},
          "agent_groups": [{"name": "A", "headcont": 2}]})");
  CHECK(e.pointer() == "/agent_groups/0/headcont");
  CHECK_THAT(e.what(), Catch::Contains(R"(did you mean "headcount"?)"));
}

TEST_CASE("loader: a full day is 00:00-24:00 and an overnight shift ends the next day",
          "[scenarios]") {
  const scenarios::Scenario s = scenarios::parse_scenario(minimal_with(R"(
    "shifts": [{"name": "all", "days": ["Sun"], "start": "00:00", "end": "24:00",
                "breaks": [{"start": "23:30", "minutes": 30}]},
               {"name": "night", "days": ["Mon"], "start": "22:00", "end": "06:00",
                "breaks": [{"start": "05:00", "minutes": 60}]}],)"),
                                                          "s.json");
  CHECK(s.organisation.shifts[0].end.minute == 1440);
  const ScenarioError e = parse_error(minimal_with(R"(
    "shifts": [{"name": "night", "days": ["Mon"], "start": "22:00", "end": "06:00",
                "breaks": [{"start": "05:30", "minutes": 31}]}],)"));
  CHECK(e.pointer() == "/shifts/0/breaks/0");
}

namespace {

/// One bad file and what the loader must say about it.
struct BadCase {
  std::string file;               ///< under tests/scenarios/bad/
  std::string position;           ///< appended to the path in file(): ":line:column" or ""
  std::string pointer;            ///< the exact JSON pointer; "" for file-level problems
  std::vector<std::string> words; ///< problem() contains each of these
};

// One mistake per file. Keep in step with the files: a test below checks that every file in
// bad/ has a row here. Most are tests/scenarios/good/small_org.json with one thing broken.
std::vector<BadCase> bad_corpus() {
  return {
      {"does_not_exist.json", "", "", {"cannot open", "No such file or directory"}},
      {"directory.json", "", "", {"is a folder; expected a scenario file"}},
      {"empty.json", ":1:1", "", {"not valid JSON", "unexpected end of input"}},
      {"not_json.json", ":3:21", "", {"not valid JSON", "unexpected ','"}},
      {"trailing_garbage.json", ":7:1", "", {"not valid JSON", "expected end of input"}},
      {"top_level_array.json", "", "/", {"expected a scenario object", "found an array of 1"}},
      {"unknown_key_typo.json",
       "",
       "/replicatons",
       {R"(unknown key "replicatons")", R"(did you mean "replications"?)"}},
      {"unknown_key_with_slash.json", "", "/a~1b", {R"(unknown key "a/b")"}},
      {"group_key_typo.json",
       "",
       "/agent_groups/1/headcont",
       {R"(unknown key "headcont")", R"(did you mean "headcount"?)"}},
      {"headcount_string.json",
       "",
       "/agent_groups/0/headcount",
       {"expected a whole number from 0 to 100000", R"(found the string "ten")"}},
      {"headcount_negative.json",
       "",
       "/agent_groups/0/headcount",
       {"expected a whole number from 0", "found -3"}},
      {"headcount_fractional.json",
       "",
       "/agent_groups/0/headcount",
       {"expected a whole number", "found 2.5"}},
      {"chat_concurrency_zero.json",
       "",
       "/agent_groups/1/chat_concurrency",
       {"expected a whole number from 1 to 20", "found 0"}},
      {"agent_groups_empty.json",
       "",
       "/agent_groups",
       {"expected a non-empty array of agent groups", "found an array of 0"}},
      {"agent_groups_missing.json", "", "/", {R"(missing required key "agent_groups")"}},
      {"horizon_zero.json", "", "/horizon_days", {"expected a number > 0 and <= 1461", "found 0"}},
      {"horizon_plus_warmup_too_long.json",
       "",
       "/warmup_days",
       {"horizon_days + warmup_days <= 1461", "found 1500"}},
      {"replications_zero.json",
       "",
       "/replications",
       {"expected a whole number from 1 to 100000", "found 0"}},
      {"seed_negative.json", "", "/seed", {"expected a whole number from 0", "found -1"}},
      {"time_zone_unknown.json",
       "",
       "/regions/1/time_zone",
       {"expected an IANA time zone", R"(found "Europe/Londn")"}},
      {"site_time_zone_unknown.json",
       "",
       "/sites/0/time_zone",
       {"expected an IANA time zone", R"(found "US/Texas")"}},
      {"holiday_no_such_date.json",
       "",
       "/regions/1/holidays/1",
       {"expected a date that exists", R"(found "2027-02-30")"}},
      {"hiring_date_month_13.json",
       "",
       "/agent_groups/0/hiring_plan/0/date",
       {"expected a date that exists", R"(found "2027-13-01")"}},
      {"start_no_such_date.json", "", "/start", {R"("2027-02-29")", "no such date"}},
      {"incident_start_with_offset.json",
       "",
       "/demand/incidents/0/start",
       {"expected a UTC date such as", R"("2027-01-06T14:00+01:00")"}},
      {"shift_end_equals_start.json",
       "",
       "/shifts/1/end",
       {"expected an end different from the start (09:00)", "found 09:00"}},
      {"break_outside_shift.json",
       "",
       "/shifts/0/breaks/0",
       {"expected a break inside the shift (07:00-15:30)", "found 15:15 for 30 minutes"}},
      {"time_of_day_25.json",
       "",
       "/shifts/1/start",
       {R"(expected a local time of day "HH:MM")", R"(found the string "25:00")"}},
      {"weekday_range.json",
       "",
       "/shifts/0/days/0",
       {"expected a day of the week: Mon, Tue", R"(found "Mon-Fri")"}},
      {"shift_not_object.json",
       "",
       "/shifts/1",
       {"expected a shift object", R"(found the string "day")"}},
      {"priority_mix_sum.json",
       "",
       "/demand/priority_mix",
       {"expected shares summing to 1", "found 0.9"}},
      {"channel_mix_sum.json",
       "",
       "/demand/channel_mix",
       {"expected shares summing to 1", "found 1.4"}},
      {"segment_mix_sum.json",
       "",
       "/demand/segment_mix",
       {"expected shares summing to 1", "found 0.6"}},
      {"product_mix_sum.json",
       "",
       "/demand/product_mix",
       {"expected shares summing to 1", "found 1.2"}},
      {"region_shares_sum.json",
       "",
       "/regions",
       {"expected demand_share over the regions summing to 1", "found 0.9"}},
      {"language_shares_sum.json",
       "",
       "/regions/0/languages",
       {"expected language shares summing to 1", "found 1.1"}},
      {"hourly_profile_all_zero.json",
       "",
       "/demand/hourly_profile",
       {"expected weights with a sum > 0", "found all zero"}},
      {"hourly_profile_23_hours.json",
       "",
       "/demand/hourly_profile",
       {"expected an array of 24 numbers", "found an array of 23"}},
      {"site_region_unknown.json",
       "",
       "/sites/1/region",
       {"expected the name of a region", R"(found "EMA")", R"(did you mean "EMEA"?)"}},
      {"group_site_unknown.json",
       "",
       "/agent_groups/1/site",
       {"expected the name of a site", R"(found "Londn")", R"(did you mean "London"?)"}},
      {"group_tier_unknown.json",
       "",
       "/agent_groups/3/tier",
       {"expected the name of a tier", R"(found "TAMM")", R"(did you mean "TAM"?)"}},
      {"group_shift_unknown.json",
       "",
       "/agent_groups/0/shifts/1",
       {"expected the name of a shift", R"(found "erly")", R"(did you mean "early"?)"}},
      {"skill_unknown.json",
       "",
       "/agent_groups/3/skills/dns",
       {"expected a product or a language", R"(found "dns")", R"(did you mean "DNS"?)"}},
      {"skill_unknown_no_suggestion.json",
       "",
       "/agent_groups/0/skills/ja",
       {"products: DNS, Workers; languages: en, es", R"(found "ja")"}},
      {"tier_escalation_cycle.json",
       "",
       "/tiers/0/escalates_to",
       {"expected an escalation chain that ends", "found a cycle L1 -> L2 -> L1"}},
      {"tier_escalates_unknown.json",
       "",
       "/tiers/0/escalates_to",
       {"expected the name of a tier", R"(found "Engineering team")",
        R"(did you mean "engineering"?)"}},
      {"tier_named_engineering.json",
       "",
       "/tiers/1/name",
       {R"(expected a tier name other than "engineering")"}},
      {"duplicate_group_names.json",
       "",
       "/agent_groups/2/name",
       {"expected a unique agent group name", R"(found "austin-l1" again)", "/agent_groups/0"}},
      {"duplicate_site_names.json",
       "",
       "/sites/1/name",
       {"expected a unique site name", R"(found "Austin" again)", "/sites/0"}},
      {"incident_unknown_product.json",
       "",
       "/demand/incidents/0/products/1",
       {"expected the name of a product", R"(found "Worker")", R"(did you mean "Workers"?)"}},
      {"incident_unknown_region.json",
       "",
       "/demand/incidents/0/regions/0",
       {"expected the name of a region (AMER, EMEA)", R"(found "APJC")"}},
      {"trigger_borrow_without_from_region.json",
       "",
       "/triggers/1",
       {R"(missing required key "from_region")", "borrow"}},
      {"trigger_borrow_from_itself.json",
       "",
       "/triggers/1/from_region",
       {"expected a region other than the trigger's own (EMEA)", R"(found "EMEA")"}},
      {"trigger_region_unknown.json",
       "",
       "/triggers/1/region",
       {"expected the name of a region", R"(found "EMEA ")", R"(did you mean "EMEA"?)"}},
      {"trigger_sla_threshold_percent.json",
       "",
       "/triggers/2/threshold",
       {"expected a share from 0 to 1 for sla_last_hour_below", "found 80"}},
      {"trigger_condition_unknown.json",
       "",
       "/triggers/0/condition",
       {"expected one of front_door_wait_above, backlog_above, sla_last_hour_below",
        R"(found "queue_above")"}},
      {"proficiency_floor_above_required.json",
       "",
       "/routing/proficiency_floor",
       {"expected a floor at most proficiency_required (0.6)", "found 0.7"}},
      {"learning_table_not_increasing.json",
       "",
       "/experience/escalation/table/2/months",
       {"expected months increasing along the table (above 6)", "found 6"}},
      {"learning_curve_both_forms.json",
       "",
       "/experience/escalation",
       {"expected either a table or at_hire and time_constant_months", "found both"}},
      {"no_front_line.json",
       "",
       "/agent_groups",
       {"expected at least one agent in a group of a front_line tier", "found none"}},
      {"fallback_language_unknown.json",
       "",
       "/routing/fallback_language",
       {R"(expected the name of a language a region demands, found "EN")",
        R"(did you mean "en"?)"}},
      {"too_many_cases.json",
       "",
       "/demand/cases_per_month",
       {"expected at most 1e+09 cases per replication", "found 1.97e+09"}},
      {"distribution_type_unknown.json",
       "",
       "/agent_groups/1/tenure_months/type",
       {"expected one of constant, exponential", "mixture", R"(found "normal")"}},
      {"lognormal_cv_zero.json",
       "",
       "/lifecycle/work_minutes/email/cv",
       {"expected a number > 0", "found 0"}},
      {"uniform_max_below_min.json",
       "",
       "/lifecycle/engineering_turnaround_hours/max",
       {"expected max > min (10)", "found 5"}},
      {"mixture_weights_zero.json",
       "",
       "/lifecycle/reopen_after_hours/components",
       {"expected at least one weight > 0", "found all zero"}},
      {"priority_key_unknown.json",
       "",
       "/demand/priority_mix/P5",
       {R"(unknown key "P5")", "P1, P2, P3, P4"}},
      {"sla_segment_unknown.json",
       "",
       "/sla/segments/gold",
       {R"(unknown key "gold")", "business, enterprise, free, premium, pro"}},
      {"sla_target_above_one.json",
       "",
       "/sla/targets/P1",
       {"expected a number >= 0 and <= 1", "found 95"}},
      {"product_work_factor_unknown.json",
       "",
       "/lifecycle/product_work_factor/workers",
       {"expected the name of a product", R"(found "workers")", R"(did you mean "Workers"?)"}},
      {"business_hours_end_before_start.json",
       "",
       "/sla/business_hours/end",
       {"expected an end after the start (09:00)", "found 08:00"}},
      {"patience_for_email.json",
       "",
       "/lifecycle/patience_minutes/email",
       {R"(unknown key "email")", "chat, phone"}},
      {"extends_cycle.json",
       "",
       "/extends",
       {"without a cycle", "extends_cycle.json -> ", "extends_cycle.json"}},
      {"extends_missing_base.json", "", "/extends", {"found no file", "no_such_base.json"}},
  };
}

} // namespace

TEST_CASE("loader: each bad file is rejected with file, pointer and expectation", "[scenarios]") {
  const BadCase bad = GENERATE(from_range(bad_corpus()));
  const std::string path = bad_dir + bad.file;
  INFO("bad file: " << bad.file);
  try {
    scenarios::load_scenario_file(path);
    FAIL("accepted " << path);
  } catch (const ScenarioError &e) {
    INFO("what(): " << e.what());
    CHECK(e.file() == path + bad.position);
    CHECK(e.pointer() == bad.pointer);
    // what() is one line: "FILE: /pointer: problem", or "FILE: problem" for file-level ones.
    const std::string prefix =
        bad.pointer.empty() ? e.file() + ": " : e.file() + ": " + bad.pointer + ": ";
    CHECK_THAT(e.what(), Catch::StartsWith(prefix));
    CHECK(std::string(e.what()) == prefix + e.problem());
    CHECK(std::string(e.what()).find('\n') == std::string::npos);
    // In the problem, not the whole line: the words must not come from the file's name.
    for (const std::string &word : bad.words)
      CHECK_THAT(e.problem(), Catch::Contains(word));
  }
}

TEST_CASE("loader: a number too large for a double is a scenario error", "[scenarios]") {
  // "horizon_days": 1e400 is valid JSON syntax, but overflows a double while parsing: it must
  // come back as a ScenarioError naming the file, not as a library exception.
  const std::string path = bad_dir + "horizon_overflows_double.json";
  try {
    scenarios::load_scenario_file(path);
    FAIL("accepted " << path);
  } catch (const ScenarioError &e) {
    INFO("what(): " << e.what());
    CHECK_THAT(e.file(), Catch::StartsWith(path));
    CHECK((e.pointer().empty() || e.pointer() == "/horizon_days"));
    CHECK_THAT(e.what(), Catch::Contains("1e400"));
  } catch (const std::exception &e) {
    FAIL("threw something other than ScenarioError: " << e.what());
  }
}

TEST_CASE("loader: every file in tests/scenarios/bad has a row in the corpus", "[scenarios]") {
  std::set<std::string> listed{"horizon_overflows_double.json"}; // has its own test case
  for (const BadCase &bad : bad_corpus())
    CHECK(listed.insert(bad.file).second);
  CHECK(listed.size() >= 35);
  std::set<std::string> on_disk;
  for (const auto &entry : std::filesystem::directory_iterator(bad_dir))
    on_disk.insert(entry.path().filename().string());
  on_disk.insert("does_not_exist.json"); // the one row that must not exist
  CHECK_FALSE(std::filesystem::exists(bad_dir + "does_not_exist.json"));
  CHECK_FALSE(std::filesystem::exists(bad_dir + "no_such_base.json"));
  CHECK(listed == on_disk);
}

TEST_CASE("loader: every file in tests/scenarios/good loads without warnings", "[scenarios]") {
  std::vector<std::string> files;
  for (const auto &entry : std::filesystem::directory_iterator(good_dir))
    if (entry.path().extension() == ".json") files.push_back(entry.path().string());
  std::sort(files.begin(), files.end());
  REQUIRE(files.size() >= 5);
  for (const std::string &file : files) {
    INFO(file);
    scenarios::Scenario s;
    CHECK_NOTHROW(s = scenarios::load_scenario_file(file));
    CHECK(s.warnings.empty());
  }
}
