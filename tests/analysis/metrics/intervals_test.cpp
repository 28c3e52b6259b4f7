// Intervals of the region's local clock (run --interval), local calendar days and weeks: their
// sums, daylight-saving days, half-hour zones, and the tidy files built from them.
#include "analysis/metrics/sink.hpp"
#include "analysis/report/report.hpp"
#include "analysis/run/experiment.hpp"
#include "tests/support/organisations.hpp"
#include "tests/support/scenarios.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <cmath>
#include <string>
#include <vector>

namespace {

using namespace supportsim;
using analysis::IntervalFigures;
using analysis::RegionFigures;

/// One replication of an M/M/3 organisation whose customers live in `zone`, measured from
/// `start` (no warm-up) for `hours`, in intervals of `minutes`.
analysis::ReplicationFigures mmc_in(const char *zone, const char *start, double hours,
                                    int minutes) {
  scenarios::Scenario s;
  s.name = "mmc";
  s.source = "mmc";
  s.warmup = sim::Duration::days(0);
  s.organisation = testing::mmc(3, 12, 10, 0, hours / 24);
  s.organisation.start = sim::parse_utc(start);
  s.organisation.regions[0].time_zone = zone;
  return analysis::run_replication(s, 7, 0, nullptr, nullptr, analysis::default_sl_seconds,
                                   minutes);
}

double hours_between(sim::UtcTime a, sim::UtcTime b) {
  return std::chrono::duration<double, std::ratio<3600>>(b - a).count();
}

/// The intervals whose local label starts with `date` ("2027-03-28").
std::size_t intervals_on(const RegionFigures &r, const std::string &date) {
  return static_cast<std::size_t>(
      std::count_if(r.interval_labels.begin(), r.interval_labels.end(),
                    [&](const std::string &label) { return label.rfind(date, 0) == 0; }));
}

double sum(const std::vector<IntervalFigures> &intervals, double IntervalFigures::*m) {
  double total = 0;
  for (const IntervalFigures &f : intervals)
    total += f.*m;
  return total;
}

} // namespace

TEST_CASE("intervals: the intervals add up to the days, the days and weeks to the window",
          "[metrics][intervals]") {
  // Two regions in different zones, every mechanism of the model, 15-minute intervals.
  scenarios::Scenario s;
  s.name = "rich";
  s.source = "rich";
  s.warmup = sim::Duration::days(1);
  s.organisation = testing::rich(12);
  const analysis::ReplicationFigures f =
      analysis::run_replication(s, 3, 0, nullptr, nullptr, analysis::default_sl_seconds, 15);
  REQUIRE(f.interval_minutes == 15);
  REQUIRE(f.regions.size() == 2);
  for (const RegionFigures &r : f.regions) {
    INFO(r.name);
    // 11 measured days of 96 quarter hours (no clock change in January).
    REQUIRE(r.intervals.size() == 11 * 96);
    REQUIRE(r.interval_labels.size() == r.intervals.size());
    REQUIRE(r.days.size() == r.day_labels.size());
    REQUIRE(r.weeks.size() == 2); // 7 days and 4
    CHECK(r.all.offered > 100);
    for (double IntervalFigures::*m :
         {&IntervalFigures::offered, &IntervalFigures::answered, &IntervalFigures::resolved}) {
      const double intervals = sum(r.intervals, m);
      CHECK(sum(r.days, m) == intervals); // exactly: a day is the sum of its intervals
      CHECK(sum(r.weeks, m) == intervals);
    }
    CHECK(sum(r.intervals, &IntervalFigures::offered) == static_cast<double>(r.all.offered));
    CHECK(sum(r.intervals, &IntervalFigures::answered) == static_cast<double>(r.all.answered));
    CHECK(sum(r.intervals, &IntervalFigures::resolved) == static_cast<double>(r.all.resolved));
    for (double IntervalFigures::*m : {&IntervalFigures::cost, &IntervalFigures::available_hours,
                                       &IntervalFigures::work_hours}) {
      const double intervals = sum(r.intervals, m);
      CHECK(sum(r.days, m) == Approx(intervals).epsilon(1e-12));
      CHECK(sum(r.weeks, m) == Approx(intervals).epsilon(1e-12));
    }
    CHECK(sum(r.intervals, &IntervalFigures::cost) == Approx(r.cost).epsilon(1e-12));
    // Available = idle / (1 - utilisation).
    CHECK(sum(r.intervals, &IntervalFigures::available_hours) ==
          Approx(r.idle_hours / (1 - r.utilisation)).epsilon(1e-9));
    // A day's figures are its intervals': the first local day, interval by interval.
    const std::size_t first_day = intervals_on(r, r.day_labels[0].substr(0, 10));
    double offered = 0, cost = 0;
    for (std::size_t i = 0; i < first_day; ++i)
      offered += r.intervals[i].offered, cost += r.intervals[i].cost;
    CHECK(r.days[0].offered == offered);
    CHECK(r.days[0].cost == Approx(cost).epsilon(1e-12));
    CHECK(r.days[0].backlog == r.intervals[first_day - 1].backlog);
    // Every interval's channels and priorities add up to it.
    for (const IntervalFigures &i : r.intervals) {
      double channels = 0, priorities = 0;
      for (const analysis::IntervalCaseFigures &c : i.by_channel)
        channels += c.offered;
      for (const analysis::IntervalCaseFigures &c : i.by_priority)
        priorities += c.offered;
      CHECK(channels == i.offered);
      CHECK(priorities == i.offered);
    }
  }
}

TEST_CASE("intervals: a day the clocks go forward has 92 quarter hours, back 100",
          "[metrics][intervals][dst]") {
  SECTION("spring: Berlin, 28 March 2027, 23 hours") {
    // 27 March 00:00 CET to 30 March 00:00 CEST local.
    const analysis::ReplicationFigures f = mmc_in("Europe/Berlin", "2027-03-26T23:00:00Z", 71, 15);
    const RegionFigures &r = f.regions[0];
    REQUIRE(r.day_labels ==
            std::vector<std::string>{"2027-03-27T00:00", "2027-03-28T00:00", "2027-03-29T00:00"});
    CHECK(intervals_on(r, "2027-03-27") == 96);
    CHECK(intervals_on(r, "2027-03-28") == 92);
    CHECK(intervals_on(r, "2027-03-29") == 96);
    CHECK(intervals_on(r, "2027-03-28T02:") == 0); // the hour the clocks skip
    const auto at =
        std::find(r.interval_labels.begin(), r.interval_labels.end(), "2027-03-28T01:45") -
        r.interval_labels.begin();
    CHECK(r.interval_labels[static_cast<std::size_t>(at) + 1] == "2027-03-28T03:00");
    CHECK(r.interval_starts[static_cast<std::size_t>(at) + 1] ==
          sim::parse_utc("2027-03-28T01:00:00Z"));
    CHECK(hours_between(r.day_starts[1], r.day_starts[2]) == 23);
    CHECK(r.day_starts[2] == sim::parse_utc("2027-03-28T22:00:00Z"));
    // Three agents on duty all day: the day's 69 agent hours are three agents on average.
    CHECK(r.days[1].available_hours == Approx(69).epsilon(1e-12));
    CHECK(r.days[1].agents_available == Approx(3).epsilon(1e-12));
    CHECK(r.intervals[10].agents_available == Approx(3).epsilon(1e-12));
    CHECK(sum(r.days, &IntervalFigures::offered) == static_cast<double>(r.all.offered));
  }
  SECTION("autumn: Berlin, 31 October 2027, 25 hours") {
    // 30 October 00:00 CEST to 2 November 00:00 CET local.
    const analysis::ReplicationFigures f = mmc_in("Europe/Berlin", "2027-10-29T22:00:00Z", 73, 15);
    const RegionFigures &r = f.regions[0];
    REQUIRE(r.days.size() == 3);
    CHECK(intervals_on(r, "2027-10-30") == 96);
    CHECK(intervals_on(r, "2027-10-31") == 100);
    CHECK(intervals_on(r, "2027-11-01") == 96);
    // The repeated hour: each of its quarter hours twice, told apart by the UTC start.
    CHECK(std::count(r.interval_labels.begin(), r.interval_labels.end(), "2027-10-31T02:15") == 2);
    CHECK(hours_between(r.day_starts[1], r.day_starts[2]) == 25);
    CHECK(r.days[1].available_hours == Approx(75).epsilon(1e-12));
    CHECK(sum(r.intervals, &IntervalFigures::offered) == static_cast<double>(r.all.offered));
  }
  SECTION("hours: 23 and 24 of them") {
    const analysis::ReplicationFigures f = mmc_in("Europe/Berlin", "2027-03-26T23:00:00Z", 71, 60);
    CHECK(f.regions[0].intervals.size() == 24 + 23 + 24);
    CHECK(f.interval_minutes == 60);
  }
}

TEST_CASE("intervals: a zone half an hour off UTC", "[metrics][intervals]") {
  // Asia/Kolkata, UTC+05:30: from 2027-01-04T00:00Z (05:30 local) for a day.
  SECTION("quarter hours are whole") {
    const RegionFigures r = mmc_in("Asia/Kolkata", "2027-01-04T00:00:00Z", 24, 15).regions[0];
    REQUIRE(r.intervals.size() == 96);
    CHECK(r.interval_labels[0] == "2027-01-04T05:30");
    CHECK(r.interval_labels[74] == "2027-01-05T00:00");
    CHECK(r.interval_starts[74] == sim::parse_utc("2027-01-04T18:30:00Z"));
    REQUIRE(r.days.size() == 2);
    CHECK(r.day_labels == std::vector<std::string>{"2027-01-04T05:30", "2027-01-05T00:00"});
    CHECK(r.day_starts[1] == sim::parse_utc("2027-01-04T18:30:00Z"));
    CHECK(r.days[0].available_hours == Approx(3 * 18.5).epsilon(1e-12));
  }
  SECTION("hours: the first and last are half hours") {
    const RegionFigures r = mmc_in("Asia/Kolkata", "2027-01-04T00:00:00Z", 24, 60).regions[0];
    REQUIRE(r.intervals.size() == 25);
    CHECK(r.interval_labels[0] == "2027-01-04T05:30");
    CHECK(r.interval_labels[1] == "2027-01-04T06:00");
    CHECK(r.intervals[0].available_hours == Approx(1.5).epsilon(1e-12)); // 3 agents x 30 min
    CHECK(r.intervals[0].agents_available == Approx(3).epsilon(1e-12));
    CHECK(r.intervals[24].available_hours == Approx(1.5).epsilon(1e-12));
  }
}

TEST_CASE("intervals: the tidy files, one grain each", "[metrics][intervals][files]") {
  analysis::RunOptions options;
  options.seed = 11;
  options.replications = 3;
  options.jobs = 2;
  options.interval_minutes = 30;
  // One week after a day's warm-up: 2027-01-05 00:00 UTC.
  const scenarios::Scenario s = testing::mmc_scenario(3, 12, 10, 0, 1, 60);
  const analysis::ExperimentResult r = analysis::run_experiment(s, options);
  using analysis::Grain;
  CHECK(analysis::grain_file_name(r, Grain::interval) == "intervals_30m.csv");
  CHECK(analysis::grain_file_name(r, Grain::day) == "daily.csv");
  CHECK(analysis::grain_file_name(r, Grain::week) == "weekly.csv");

  const std::string intervals = analysis::render_grain_csv(r, Grain::interval);
  const std::string header =
      "region,channel,priority,interval_start_local,interval_start_utc,hours,offered_mean,"
      "offered_ci95,answered_mean,answered_ci95,sla_attainment_mean,sla_attainment_ci95,"
      "asa_minutes_mean,asa_minutes_ci95,abandonment_mean,abandonment_ci95,resolved_mean,"
      "resolved_ci95,backlog_mean,backlog_ci95,backlog_age_hours_mean,backlog_age_hours_ci95,"
      "utilisation_mean,utilisation_ci95,available_hours_mean,available_hours_ci95,"
      "agents_available_mean,agents_available_ci95,work_hours_mean,work_hours_ci95,"
      "work_hours_other_regions_mean,work_hours_other_regions_ci95,"
      "work_hours_escalation_tiers_mean,work_hours_escalation_tiers_ci95,cost_mean,cost_ci95\n";
  CHECK(intervals.rfind(header, 0) == 0);
  // 7 days of 48 half hours; rows for all, 3 channels and 4 priorities.
  CHECK(std::count(intervals.begin(), intervals.end(), '\n') == 1 + 8 * 7 * 48);
  // Three agents 24x7 at 40 an hour: 1.5 agent hours and 60 of money every half hour, in every
  // replication (no interval: the figures do not vary).
  CHECK(intervals.find("\nGlobal,all,all,2027-01-05T00:00,2027-01-05T00:00:00Z,0.5,") !=
        std::string::npos);
  CHECK(intervals.find(",1.5,0,3,0,") != std::string::npos); // available hours, agents
  // Channel rows carry the case figures only: the rest is empty.
  const std::size_t email = intervals.find("\nGlobal,email,all,2027-01-05T00:30,");
  REQUIRE(email != std::string::npos);
  const std::string row = intervals.substr(email + 1, intervals.find('\n', email + 1) - email - 1);
  CHECK(std::count(row.begin(), row.end(), ',') == 35);
  CHECK(row.substr(row.size() - 20) == ",,,,,,,,,,,,,,,,,,,,");
  CHECK(intervals.find("\nGlobal,phone,all,") != std::string::npos);
  CHECK(intervals.find("\nGlobal,all,P4,") != std::string::npos);

  const std::string daily = analysis::render_grain_csv(r, Grain::day);
  CHECK(daily.rfind(header, 0) == 0);
  CHECK(std::count(daily.begin(), daily.end(), '\n') == 1 + 8 * 7);
  CHECK(daily.find("\nGlobal,all,all,2027-01-06T00:00,2027-01-06T00:00:00Z,24,") !=
        std::string::npos);
  const std::string weekly = analysis::render_grain_csv(r, Grain::week);
  CHECK(std::count(weekly.begin(), weekly.end(), '\n') == 1 + 8);
  CHECK(weekly.find("\nGlobal,all,all,2027-01-05T00:00,2027-01-05T00:00:00Z,168,") !=
        std::string::npos);

  // summary.csv: one row type, the case figures; regions.csv: the agents and money.
  const std::string summary = analysis::render_summary_csv(r);
  CHECK(summary.find("utilisation") == std::string::npos);
  CHECK(summary.find("\nGlobal,P4,0.9,") != std::string::npos);
  const std::string regions = analysis::render_regions_csv(r);
  CHECK(regions.rfind("region,agents,utilisation_mean,utilisation_ci95,paid_hours_mean,", 0) == 0);
  CHECK(regions.find("\nGlobal,3,") != std::string::npos);
  CHECK(regions.find("\nall,3,") != std::string::npos);
  CHECK(regions.find(",3\n") != std::string::npos); // replications

  // Deterministic: the same bytes from one thread as from two.
  options.jobs = 1;
  const analysis::ExperimentResult again = analysis::run_experiment(s, options);
  CHECK(analysis::render_grain_csv(again, Grain::interval) == intervals);
  CHECK(analysis::render_grain_csv(again, Grain::day) == daily);
  CHECK(analysis::render_callcentre_csv(again) == analysis::render_callcentre_csv(r));
}
