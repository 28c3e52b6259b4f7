#pragma once

#include <cmath>
#include <compare>
#include <cstdint>
#include <limits>

namespace supportsim::sim {

/// A span of simulated time, held as a whole number of microseconds.
///
/// Fixed point rather than floating point so that shift boundaries and SLA thresholds compare
/// exactly: 09:00 plus 15 minutes is the same tick whatever path computed it. One microsecond
/// resolution over an int64 covers about 292,000 years, far beyond any horizon we accept.
///
///   auto target = Duration::minutes(15);
///   if (wait <= target) ...
class Duration {
public:
  using Rep = std::int64_t;
  static constexpr Rep ticks_per_second = 1'000'000;
  static constexpr Rep ticks_per_minute = 60 * ticks_per_second;
  static constexpr Rep ticks_per_hour = 60 * ticks_per_minute;
  static constexpr Rep ticks_per_day = 24 * ticks_per_hour;

  constexpr Duration() = default;
  static constexpr Duration from_ticks(Rep ticks) { return Duration(ticks); }
  static constexpr Duration seconds(Rep s) { return Duration(s * ticks_per_second); }
  static constexpr Duration minutes(Rep m) { return Duration(m * ticks_per_minute); }
  static constexpr Duration hours(Rep h) { return Duration(h * ticks_per_hour); }
  static constexpr Duration days(Rep d) { return Duration(d * ticks_per_day); }
  /// Rounds to the nearest tick; the caller guarantees |m| is at most max_minutes() (checked
  /// where the value enters: the scenario loader and the distributions).
  static Duration from_minutes(double m) {
    return Duration(static_cast<Rep>(std::llround(m * static_cast<double>(ticks_per_minute))));
  }
  static constexpr Duration max() { return Duration(std::numeric_limits<Rep>::max()); }
  /// The largest span, in minutes, that from_minutes() accepts (about 1.5e10 minutes).
  static constexpr double max_minutes() { return 1.5e10; }

  constexpr Rep ticks() const { return ticks_; }
  constexpr double to_minutes() const { return static_cast<double>(ticks_) / ticks_per_minute; }
  constexpr double to_hours() const { return static_cast<double>(ticks_) / ticks_per_hour; }
  constexpr double to_seconds() const { return static_cast<double>(ticks_) / ticks_per_second; }

  constexpr auto operator<=>(const Duration &) const = default;
  constexpr Duration operator+(Duration o) const { return Duration(ticks_ + o.ticks_); }
  constexpr Duration operator-(Duration o) const { return Duration(ticks_ - o.ticks_); }
  constexpr Duration &operator+=(Duration o) {
    ticks_ += o.ticks_;
    return *this;
  }
  constexpr Duration &operator-=(Duration o) {
    ticks_ -= o.ticks_;
    return *this;
  }

private:
  constexpr explicit Duration(Rep ticks) : ticks_(ticks) {}
  Rep ticks_ = 0;
};

/// An instant of simulated time: microseconds since the simulation's epoch (its start instant,
/// which sim/clock.hpp maps to UTC). Instants and durations are distinct types so that
/// "instant + instant" does not compile.
class SimTime {
public:
  using Rep = Duration::Rep;

  constexpr SimTime() = default;
  static constexpr SimTime from_ticks(Rep ticks) { return SimTime(ticks); }
  static constexpr SimTime zero() { return SimTime(0); }
  static constexpr SimTime max() { return SimTime(std::numeric_limits<Rep>::max()); }

  constexpr Rep ticks() const { return ticks_; }
  constexpr Duration since_epoch() const { return Duration::from_ticks(ticks_); }
  constexpr double to_minutes() const { return since_epoch().to_minutes(); }

  constexpr auto operator<=>(const SimTime &) const = default;
  constexpr SimTime operator+(Duration d) const { return SimTime(ticks_ + d.ticks()); }
  constexpr SimTime operator-(Duration d) const { return SimTime(ticks_ - d.ticks()); }
  constexpr Duration operator-(SimTime o) const { return Duration::from_ticks(ticks_ - o.ticks_); }

private:
  constexpr explicit SimTime(Rep ticks) : ticks_(ticks) {}
  Rep ticks_ = 0;
};

/// Saturating "t + d": the result never passes SimTime::max(), so "schedule after a huge delay"
/// means "never within any horizon" instead of signed overflow.
constexpr SimTime saturating_add(SimTime t, Duration d) {
  if (d.ticks() > 0 && t.ticks() > SimTime::max().ticks() - d.ticks()) return SimTime::max();
  return t + d;
}

} // namespace supportsim::sim
