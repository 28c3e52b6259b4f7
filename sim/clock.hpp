#pragma once

#include "sim/time.hpp"

#include <array>
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace date {
class time_zone;
}

namespace supportsim::sim {

/// A UTC instant at the simulation's resolution.
using UtcTime = std::chrono::sys_time<std::chrono::microseconds>;
/// A wall-clock reading in some time zone, before the zone's offset is applied.
using LocalTime = std::chrono::local_time<std::chrono::microseconds>;

/// The one place where simulated time meets the calendar: SimTime counts microseconds from the
/// run's start (its epoch, a UTC instant); local times in IANA time zones, daylight-saving time
/// included, come from Howard Hinnant's date/tz over the system's time-zone database.
///
///   Clock clock(utc_from_date(2027, 1, 4));
///   SimTime nine_in_london = clock.from_local(find_zone("Europe/London"), local_from(...));
///
/// A Clock remembers the UTC offsets it last looked up, so it is a value for one thread:
/// copies are independent, but one Clock must not be used by two threads at once.
class Clock {
public:
  explicit Clock(UtcTime epoch) : epoch_(epoch) {}

  UtcTime epoch() const { return epoch_; }
  UtcTime to_utc(SimTime t) const { return epoch_ + std::chrono::microseconds(t.ticks()); }
  SimTime from_utc(UtcTime u) const { return SimTime::from_ticks((u - epoch_).count()); }
  /// The instant at which `zone`'s clocks show `local`. Where the clocks go back and the local
  /// time happens twice, the first; where they jump forward over it, the moment after the
  /// jump (a 02:30 shift start on the spring-forward night starts at 03:00 local).
  SimTime from_local(const date::time_zone *zone, LocalTime local) const;
  /// `zone`'s wall clock at instant t.
  LocalTime to_local(const date::time_zone *zone, SimTime t) const;
  /// ISO 8601 in UTC: "2027-01-04T09:00:00Z", or with `microseconds`
  /// "2027-01-04T09:00:00.000250Z".
  std::string format_utc(SimTime t, bool microseconds = false) const;

private:
  /// A zone's UTC offset over a span of UTC seconds [begin, end) in which it does not change
  /// (one date::sys_info). Simulations convert many nearby instants in a few zones; the tz
  /// database's lookup (a search of the zone's transitions, a string per answer) costs far
  /// more than the arithmetic, and offsets change twice a year at most.
  struct Offset {
    const date::time_zone *zone = nullptr;
    std::int64_t begin = 0, end = 0; // UTC seconds since 1970
    std::int64_t seconds = 0;        // local minus UTC
  };
  /// The remembered span of `zone`, or null. (offsets_ is mutable: a const Clock remembers.)
  Offset *cached(const date::time_zone *zone) const;
  void remember(const date::time_zone *zone, std::int64_t begin, std::int64_t end,
                std::int64_t seconds) const;

  UtcTime epoch_;
  mutable std::array<Offset, 16> offsets_{}; // most recently looked up, one per zone
  mutable std::size_t next_offset_ = 0;      // the slot a new zone replaces
};

/// Monday 0 to Sunday 6 (ISO 8601 order): the weekday of a local date.
unsigned weekday_of(std::chrono::local_days day);
/// The hour of the day, 0 to 23, of a local wall-clock time.
unsigned hour_of(LocalTime t);
/// Monday 00:00-01:00 (0) to Sunday 23:00-24:00 (167): the hour of the week of a local time.
unsigned hour_of_week(LocalTime t);

/// The IANA zone called `name` ("Europe/Lisbon"); throws std::invalid_argument naming it when
/// the time-zone database has no such zone.
const date::time_zone *find_zone(std::string_view name);

/// Parses "YYYY-MM-DD" (midnight UTC) or "YYYY-MM-DDTHH:MM[:SS]Z"; throws std::invalid_argument
/// with the reason for anything else, including dates that do not exist (2027-02-30).
UtcTime parse_utc(std::string_view text);

} // namespace supportsim::sim
