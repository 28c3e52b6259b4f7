// Simulated time against the calendar: UTC round trips, local times with daylight-saving time.
#include "sim/clock.hpp"

#include <catch2/catch.hpp>
#include <chrono>
#include <stdexcept>

using namespace supportsim::sim;
using namespace std::chrono;

namespace {
LocalTime local(int y, unsigned m, unsigned d, int h, int min = 0) {
  return LocalTime(duration_cast<microseconds>(
      local_days(year_month_day{year(y), month(m), day(d)}).time_since_epoch() + hours(h) +
      minutes(min)));
}
UtcTime utc(int y, unsigned m, unsigned d, int h, int min = 0) {
  return UtcTime(duration_cast<microseconds>(
      sys_days(year_month_day{year(y), month(m), day(d)}).time_since_epoch() + hours(h) +
      minutes(min)));
}
} // namespace

TEST_CASE("clock: UTC instants and simulated time convert both ways", "[sim][clock]") {
  const Clock clock(parse_utc("2027-01-04"));
  CHECK(clock.epoch() == utc(2027, 1, 4, 0));
  CHECK(clock.from_utc(utc(2027, 1, 4, 9, 30)) == SimTime::zero() + Duration::minutes(570));
  CHECK(clock.to_utc(SimTime::zero() + Duration::days(28)) == utc(2027, 2, 1, 0));
  CHECK(clock.format_utc(SimTime::zero() + Duration::hours(33)) == "2027-01-05T09:00:00Z");
}

TEST_CASE("clock: a 09:00 Europe/London shift starts at 08:00 UTC in July, 09:00 in January",
          "[sim][clock]") {
  const Clock clock(parse_utc("2027-01-01"));
  const auto *london = find_zone("Europe/London");
  CHECK(clock.to_utc(clock.from_local(london, local(2027, 7, 12, 9))) == utc(2027, 7, 12, 8));
  CHECK(clock.to_utc(clock.from_local(london, local(2027, 1, 11, 9))) == utc(2027, 1, 11, 9));
  CHECK(clock.to_local(london, clock.from_utc(utc(2027, 7, 12, 8))) == local(2027, 7, 12, 9));
}

TEST_CASE("clock: London and Sydney on the same UTC day, DST in opposite seasons", "[sim][clock]") {
  const Clock clock(parse_utc("2027-01-01"));
  const auto *sydney = find_zone("Australia/Sydney");
  // January is summer in Sydney (AEDT, UTC+11); July is winter (AEST, UTC+10).
  CHECK(clock.to_utc(clock.from_local(sydney, local(2027, 1, 11, 9))) == utc(2027, 1, 10, 22));
  CHECK(clock.to_utc(clock.from_local(sydney, local(2027, 7, 12, 9))) == utc(2027, 7, 11, 23));
  // Singapore and Tokyo keep one offset all year.
  const auto *tokyo = find_zone("Asia/Tokyo");
  CHECK(clock.to_utc(clock.from_local(tokyo, local(2027, 7, 12, 9))) == utc(2027, 7, 12, 0));
}

TEST_CASE("clock: local times the clocks skip or repeat", "[sim][clock]") {
  const Clock clock(parse_utc("2027-01-01"));
  const auto *chicago = find_zone("America/Chicago");
  // 2027-03-14: clocks jump from 02:00 CST to 03:00 CDT; 02:30 does not exist, so it maps to
  // the end of the gap, 03:00 CDT = 08:00 UTC.
  CHECK(clock.to_utc(clock.from_local(chicago, local(2027, 3, 14, 2, 30))) == utc(2027, 3, 14, 8));
  // 2027-11-07: clocks go back from 02:00 CDT to 01:00 CST; 01:30 happens twice; the first is
  // 01:30 CDT = 06:30 UTC.
  CHECK(clock.to_utc(clock.from_local(chicago, local(2027, 11, 7, 1, 30))) ==
        utc(2027, 11, 7, 6, 30));
}

TEST_CASE("clock: parse_utc accepts dates and Z times and names what is wrong", "[sim][clock]") {
  CHECK(parse_utc("2027-01-04T09:15Z") == utc(2027, 1, 4, 9, 15));
  CHECK(parse_utc("2027-01-04T09:15:30Z") == utc(2027, 1, 4, 9, 15) + seconds(30));
  CHECK(parse_utc("2028-02-29") == utc(2028, 2, 29, 0));
  for (const char *bad : {"2027-02-29", "2027-13-01", "2027-1-4", "04/01/2027", "2027-01-04T25:00Z",
                          "2027-01-04T09:00", "2027-01-04T09:00+01:00", ""}) {
    INFO(bad);
    CHECK_THROWS_AS(parse_utc(bad), std::invalid_argument);
  }
  CHECK_THROWS_WITH(parse_utc("2027-02-30"), Catch::Contains("no such date"));
  CHECK_THROWS_WITH(find_zone("Europe/Atlantis"),
                    Catch::Contains("\"Europe/Atlantis\" is not a time zone"));
}
