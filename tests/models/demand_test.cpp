// Synthesised demand: arrival counts against the integrated rate, profiles read in the
// customers' local time, incidents, holidays and day-to-day over-dispersion.
#include "models/demand.hpp"
#include "tests/support/organisations.hpp"

#include <array>
#include <catch2/catch.hpp>
#include <chrono>
#include <cmath>
#include <map>
#include <numeric>
#include <vector>

namespace {

using namespace supportsim;

struct Arrival {
  sim::SimTime time;
  models::CaseInfo info;
};

std::vector<Arrival> arrivals(const models::OrganisationConfig &o, std::uint64_t seed,
                              std::uint32_t rep = 0) {
  const sim::Clock clock(o.start);
  const sim::SimTime end = sim::SimTime::zero() + o.horizon;
  models::Demand demand(o, clock, sim::RandomStreams(seed, rep), end);
  std::vector<Arrival> out;
  for (std::size_t s = 0; s < demand.source_count(); ++s) {
    for (sim::SimTime t = demand.next_arrival(s, sim::SimTime::zero()); t < end;) {
      const auto c = demand.draw_case(s);
      out.push_back(Arrival{t, c.info});
      t = demand.next_arrival(s, t);
    }
  }
  return out;
}

} // namespace

TEST_CASE("demand: arrival counts match the integrated rate", "[models][demand]") {
  models::OrganisationConfig o = testing::rich(28);
  o.demand.daily_cv = 0; // Poisson: the count's variance equals its mean
  const sim::Clock clock(o.start);
  const sim::SimTime end = sim::SimTime::zero() + o.horizon;
  const models::Demand demand(o, clock, sim::RandomStreams(1, 0), end);
  for (std::size_t r = 0; r < o.regions.size(); ++r) {
    const double expected = demand.expected_cases(r, sim::SimTime::zero(), end);
    double total = 0;
    const int reps = 20;
    for (int rep = 0; rep < reps; ++rep)
      for (const Arrival &a : arrivals(o, 1, static_cast<std::uint32_t>(rep)))
        total += a.info.region == r;
    const double mean = total / reps;
    INFO("region " << r << ": " << mean << " arrivals a run, expected " << expected);
    // Four standard errors of a Poisson mean over 20 runs.
    CHECK(std::abs(mean - expected) < 4 * std::sqrt(expected / reps));
  }
  // The volume follows cases_per_month and the regions' shares: 28 days is 0.92 months, with
  // 2 % growth only from the second month and the incident's extra P1/P2 cases on top.
  const double all = demand.expected_cases(0, sim::SimTime::zero(), end) +
                     demand.expected_cases(1, sim::SimTime::zero(), end);
  CHECK(all > 3000 * 28 / 30.4375);
  CHECK(all < 3000 * 28 / 30.4375 * 1.05);
}

TEST_CASE("demand: the hourly profile is read in the customers' local time, DST included",
          "[models][demand]") {
  // Only local hours 09-10 have demand; London is UTC+0 in March until the 28th, then UTC+1.
  models::OrganisationConfig o = testing::rich(40);
  o.regions.resize(1);
  o.regions[0].demand_share = 1;
  o.demand.incidents.clear();
  o.demand.hourly_profile.fill(0.0);
  o.demand.hourly_profile[9] = 1.0;
  const sim::Clock clock(o.start);
  const date::time_zone *london = sim::find_zone("Europe/London");
  std::map<int, int> utc_hours_before, utc_hours_after;
  for (const Arrival &a : arrivals(o, 4)) {
    const sim::LocalTime local = clock.to_local(london, a.time);
    const auto day = std::chrono::floor<std::chrono::days>(local);
    REQUIRE(std::chrono::duration_cast<std::chrono::hours>(local - day).count() == 9);
    const auto utc = clock.to_utc(a.time);
    const int utc_hour = static_cast<int>(std::chrono::duration_cast<std::chrono::hours>(
                                              utc - std::chrono::floor<std::chrono::days>(utc))
                                              .count());
    (utc < sim::parse_utc("2027-03-28") ? utc_hours_before : utc_hours_after)[utc_hour]++;
  }
  CHECK(utc_hours_before.size() == 1);
  CHECK(utc_hours_before.count(9) == 1);
  CHECK(utc_hours_after.size() == 1);
  CHECK(utc_hours_after.count(8) == 1);
}

TEST_CASE("demand: an incident multiplies P1/P2 arrivals for its window only", "[models][demand]") {
  models::OrganisationConfig o = testing::rich(14);
  o.demand.daily_cv = 0;
  const models::IncidentConfig &incident = o.demand.incidents.at(0);
  const sim::Clock clock(o.start);
  const sim::SimTime from = clock.from_utc(incident.start), to = from + incident.duration;
  double in_window_urgent = 0, incident_cases = 0, incident_outside = 0;
  const int reps = 30;
  for (int rep = 0; rep < reps; ++rep)
    for (const Arrival &a : arrivals(o, 8, static_cast<std::uint32_t>(rep))) {
      const bool urgent = a.info.priority <= models::Priority::p2;
      const bool inside = a.time >= from && a.time < to;
      in_window_urgent += urgent && inside;
      if (a.info.incident) {
        ++incident_cases;
        incident_outside += !inside || !urgent;
      }
    }
  CHECK(incident_outside == 0);
  // Without the incident the window's P1/P2 cases would be a sixth of what they are (x6).
  models::OrganisationConfig calm = o;
  calm.demand.incidents.clear();
  double calm_urgent = 0;
  for (int rep = 0; rep < reps; ++rep)
    for (const Arrival &a : arrivals(calm, 8, static_cast<std::uint32_t>(rep)))
      calm_urgent += a.info.priority <= models::Priority::p2 && a.time >= from && a.time < to;
  INFO("P1/P2 in the window: " << in_window_urgent / reps << " with the incident, "
                               << calm_urgent / reps << " without");
  CHECK(in_window_urgent / calm_urgent == Approx(6.0).epsilon(0.15));
  CHECK(incident_cases > 0);
}

TEST_CASE("demand: daily counts are over-dispersed by daily_cv, Poisson without it",
          "[models][demand]") {
  auto dispersion = [](double cv) {
    models::OrganisationConfig o = testing::rich(200);
    o.regions.resize(1);
    o.regions[0].demand_share = 1;
    o.demand.incidents.clear();
    o.demand.growth_per_month = 0;
    o.demand.weekly_profile.fill(1.0);
    o.demand.daily_cv = cv;
    std::map<long, double> per_day;
    for (const Arrival &a : arrivals(o, 21))
      per_day[a.time.ticks() / sim::Duration::days(1).ticks()] += 1;
    std::vector<double> counts;
    for (const auto &[day, n] : per_day)
      counts.push_back(n);
    const double mean = std::accumulate(counts.begin(), counts.end(), 0.0) / counts.size();
    double var = 0;
    for (double c : counts)
      var += (c - mean) * (c - mean);
    var /= counts.size() - 1;
    return std::pair{mean, var};
  };
  const auto [mean0, var0] = dispersion(0.0);
  CHECK(var0 / mean0 == Approx(1.0).margin(0.35)); // Poisson
  const auto [mean3, var3] = dispersion(0.3);
  // Var = m + cv^2 m^2 for a gamma-mixed Poisson count.
  CHECK(var3 / mean3 > 5.0);
  CHECK(var3 == Approx(mean3 + 0.09 * mean3 * mean3).epsilon(0.35));
}

TEST_CASE("demand: customers' public holidays bring demand down by holiday_factor",
          "[models][demand]") {
  models::OrganisationConfig o = testing::rich(14);
  o.regions.resize(1);
  o.regions[0].demand_share = 1;
  o.demand.incidents.clear();
  o.demand.daily_cv = 0;
  o.demand.weekly_profile.fill(1.0);
  o.demand.growth_per_month = 0;
  o.regions[0].holidays = {models::Date{std::chrono::year{2027} / 3 / 3}};
  o.demand.holiday_factor = 0.25;
  const sim::Clock clock(o.start);
  const models::Demand demand(o, clock, sim::RandomStreams(1, 0), sim::SimTime::zero() + o.horizon);
  auto day = [&](int d) {
    return demand.expected_cases(0, sim::SimTime::zero() + sim::Duration::days(d),
                                 sim::SimTime::zero() + sim::Duration::days(d + 1));
  };
  CHECK(day(2) == Approx(0.25 * day(1))); // 3 March against 2 March (London is on UTC)
  CHECK(day(3) == Approx(day(1)));
}

TEST_CASE("demand: counts per local hour and per weekday follow the profiles", "[models][demand]") {
  // One region in Tokyo (no DST), the rich organisation's hourly profile (2 from 08:00 to
  // 19:00, 0.4 otherwise) and a weekly profile; 400 days, Poisson (no daily multiplier).
  models::OrganisationConfig o = testing::rich(400);
  o.regions.resize(1);
  o.regions[0].time_zone = "Asia/Tokyo";
  o.regions[0].demand_share = 1;
  o.demand.incidents.clear();
  o.demand.growth_per_month = 0;
  o.demand.daily_cv = 0;
  o.demand.weekly_profile = {1.2, 1.2, 1.1, 1.1, 1.0, 0.4, 0.3};
  const sim::Clock clock(o.start);
  const date::time_zone *tokyo = sim::find_zone("Asia/Tokyo");
  std::array<double, 24> by_hour{};
  std::array<double, 7> by_day{};
  double total = 0;
  for (const Arrival &a : arrivals(o, 12)) {
    const sim::LocalTime local = clock.to_local(tokyo, a.time);
    const auto day = std::chrono::floor<std::chrono::days>(local);
    by_hour[static_cast<std::size_t>(
        std::chrono::duration_cast<std::chrono::hours>(local - day).count())] += 1;
    by_day[std::chrono::weekday(std::chrono::sys_days(day.time_since_epoch())).iso_encoding() -
           1] += 1;
    ++total;
  }
  REQUIRE(total > 30000);
  // Each count against its expectation: within 4 Poisson standard deviations (a chi-square
  // test of all 24 at once follows).
  const double hourly_sum =
      std::accumulate(o.demand.hourly_profile.begin(), o.demand.hourly_profile.end(), 0.0);
  double chi_square = 0;
  for (std::size_t h = 0; h < 24; ++h) {
    const double expected = total * o.demand.hourly_profile[h] / hourly_sum;
    INFO("hour " << h << ": " << by_hour[h] << " against " << expected);
    CHECK(std::abs(by_hour[h] - expected) < 4 * std::sqrt(expected));
    chi_square += (by_hour[h] - expected) * (by_hour[h] - expected) / expected;
  }
  CHECK(chi_square < 49.7); // the 0.999 quantile of chi-square with 23 degrees of freedom
  const double weekly_sum =
      std::accumulate(o.demand.weekly_profile.begin(), o.demand.weekly_profile.end(), 0.0);
  for (std::size_t d = 0; d < 7; ++d) {
    const double expected = total * o.demand.weekly_profile[d] / weekly_sum;
    INFO("weekday " << d << ": " << by_day[d] << " against " << expected);
    // 400 days are 57 weeks and a day: every weekday gets 57 or 58 days, within 2 %.
    CHECK(by_day[d] == Approx(expected).epsilon(0.04));
  }
}
