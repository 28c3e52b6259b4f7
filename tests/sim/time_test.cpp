#include "sim/time.hpp"

#include <catch2/catch.hpp>
#include <compare>
#include <cstdint>
#include <limits>
#include <type_traits>

using supportsim::sim::Duration;
using supportsim::sim::saturating_add;
using supportsim::sim::SimTime;

namespace {

constexpr std::int64_t int64_max = std::numeric_limits<std::int64_t>::max();

// Instants and durations are distinct types: these must not compile.
template <class A, class B>
concept Addable = requires(A a, B b) {
  a + b;
};
static_assert(!Addable<SimTime, SimTime>, "instant + instant must not compile");
static_assert(Addable<SimTime, Duration>);
static_assert(Addable<Duration, Duration>);
static_assert(!std::is_convertible_v<std::int64_t, Duration>, "no implicit ticks -> Duration");
static_assert(!std::is_convertible_v<Duration, SimTime>, "no implicit Duration -> SimTime");

// The arithmetic is usable at compile time (shift tables can be constants).
static_assert(Duration::hours(9) + Duration::minutes(15) == Duration::minutes(555));
static_assert(saturating_add(SimTime::max(), Duration::seconds(1)) == SimTime::max());

} // namespace

TEST_CASE("time: unit factories give exact tick counts", "[sim][time]") {
  CHECK(Duration().ticks() == 0);
  CHECK(SimTime().ticks() == 0);
  CHECK(SimTime::zero().ticks() == 0);
  CHECK(Duration::from_ticks(-7).ticks() == -7);
  CHECK(Duration::seconds(1).ticks() == 1'000'000);
  CHECK(Duration::minutes(1).ticks() == 60'000'000);
  CHECK(Duration::hours(1).ticks() == 3'600'000'000);
  CHECK(Duration::days(1).ticks() == 86'400'000'000);
  CHECK(Duration::days(365).ticks() == 31'536'000'000'000);
  CHECK(Duration::minutes(-3).ticks() == -180'000'000);
  CHECK(Duration::max().ticks() == int64_max);
  CHECK(SimTime::max().ticks() == int64_max);
  CHECK(SimTime::from_ticks(123).since_epoch() == Duration::from_ticks(123));
}

TEST_CASE("time: sums of units compare exactly", "[sim][time]") {
  // The reason time is fixed point: 9 h + 15 min is the same tick as 555 min, whatever path
  // computed it.
  CHECK(Duration::hours(9) + Duration::minutes(15) == Duration::minutes(555));
  CHECK(Duration::minutes(555).ticks() == 33'300'000'000);
  CHECK(SimTime::zero() + Duration::hours(9) + Duration::minutes(15) ==
        SimTime::zero() + Duration::minutes(555));
  CHECK(Duration::days(1) == Duration::hours(24));
  CHECK(Duration::hours(1) == Duration::seconds(3600));
  CHECK(Duration::minutes(90) - Duration::hours(1) == Duration::seconds(1800));

  // Ten from_minutes(0.1) add up to exactly one minute, unlike ten 0.1 doubles.
  Duration sum;
  double double_sum = 0.0;
  for (int i = 0; i < 10; ++i) {
    sum += Duration::from_minutes(0.1);
    double_sum += 0.1;
  }
  CHECK(sum == Duration::minutes(1));
  CHECK(double_sum != 1.0); // the floating-point drift the fixed point avoids

  Duration d = Duration::hours(2);
  d -= Duration::minutes(30);
  CHECK(d == Duration::minutes(90));
  d += Duration::from_ticks(1);
  CHECK(d.ticks() == 5'400'000'001);
}

TEST_CASE("time: comparisons are exact to one tick", "[sim][time]") {
  const Duration target = Duration::minutes(15);
  const Duration one_tick = Duration::from_ticks(1);
  CHECK(target == Duration::seconds(900));
  CHECK(target - one_tick < target);
  CHECK(target + one_tick > target);
  CHECK(target <= target);
  CHECK(target >= target);
  CHECK(target != target + one_tick);
  CHECK(std::is_lt(target <=> target + one_tick));
  CHECK(Duration::from_ticks(-1) < Duration());

  const SimTime nine = SimTime::zero() + Duration::hours(9);
  CHECK(nine < nine + one_tick);
  CHECK(nine - one_tick < nine);
  CHECK(nine == SimTime::from_ticks(32'400'000'000));
}

TEST_CASE("time: instants and durations convert", "[sim][time]") {
  const SimTime start = SimTime::zero() + Duration::hours(9);
  const SimTime end = SimTime::zero() + Duration::hours(17) + Duration::minutes(30);
  CHECK(end - start == Duration::minutes(510));
  CHECK(start - end == Duration::minutes(-510));
  CHECK(end - Duration::minutes(510) == start);
  CHECK(start.to_minutes() == 540.0);
  CHECK(end.since_epoch().to_hours() == 17.5);
  CHECK(Duration::minutes(90).to_hours() == 1.5);
  CHECK(Duration::seconds(90).to_minutes() == 1.5);
  CHECK(Duration::minutes(2).to_seconds() == 120.0);
  CHECK(Duration::from_ticks(1).to_seconds() == 1e-6);
}

TEST_CASE("time: from_minutes rounds to the nearest microsecond", "[sim][time]") {
  // 1 minute = 6e7 ticks; the expected values are minutes * 6e7 rounded by hand.
  struct Case {
    double minutes;
    std::int64_t ticks;
  };
  const auto c = GENERATE(values<Case>({
      {0.0, 0},
      {1.0, 60'000'000},
      {0.1, 6'000'000},        // 0.1 is not exact in binary; the tick is
      {1.0 / 3.0, 20'000'000}, // 0.333... min is not exact; the tick is
      {2.0 / 3.0, 40'000'000},
      {45.5, 2'730'000'000},
      {-1.5, -90'000'000},               // negative spans round the same way
      {1e-9, 0},                         // 0.06 us
      {1.4 / 6e7, 1},                    // 1.4 us
      {1.6 / 6e7, 2},                    // 1.6 us
      {-1.6 / 6e7, -2},                  // -1.6 us
      {2.5e-8, 2},                       // 1.5 us exactly: llround rounds halves away from zero
      {-2.5e-8, -2},                     // -1.5 us: away from zero too
      {1.5e10, 900'000'000'000'000'000}, // max_minutes(): 9e17 us, exact in a double
  }));
  CAPTURE(c.minutes);
  CHECK(Duration::from_minutes(c.minutes).ticks() == c.ticks);
}

TEST_CASE("time: from_minutes accepts its documented maximum", "[sim][time]") {
  CHECK(Duration::max_minutes() == 1.5e10);
  CHECK(Duration::from_minutes(Duration::max_minutes()).ticks() == 900'000'000'000'000'000);
  CHECK(Duration::from_minutes(-Duration::max_minutes()).ticks() == -900'000'000'000'000'000);
  CHECK(Duration::from_minutes(Duration::max_minutes()).to_minutes() == 1.5e10);
}

TEST_CASE("time: saturating_add clamps at SimTime::max()", "[sim][time]") {
  const SimTime nine = SimTime::zero() + Duration::hours(9);

  SECTION("ordinary sums are plain sums") {
    CHECK(saturating_add(nine, Duration::minutes(15)) == nine + Duration::minutes(15));
    CHECK(saturating_add(SimTime::zero(), Duration()) == SimTime::zero());
    CHECK(saturating_add(nine, Duration::minutes(-15)) == SimTime::zero() + Duration::minutes(525));
  }
  SECTION("exactly reaching max is not clamped, one tick further is") {
    const SimTime almost = SimTime::from_ticks(int64_max - 1);
    CHECK(saturating_add(almost, Duration::from_ticks(1)).ticks() == int64_max);
    CHECK(saturating_add(almost, Duration::from_ticks(2)).ticks() == int64_max);
    CHECK(saturating_add(almost, Duration()).ticks() == int64_max - 1);
    CHECK(saturating_add(SimTime::zero(), Duration::max()) == SimTime::max());
  }
  SECTION("huge delays mean never") {
    const auto delay = GENERATE(Duration::max(), Duration::from_ticks(int64_max / 2 + 1),
                                Duration::days(106'751'991)); // about 2^63 us
    CHECK(saturating_add(SimTime::from_ticks(int64_max / 2), delay) == SimTime::max());
    CHECK(saturating_add(SimTime::max(), delay) == SimTime::max());
  }
}

// Regression tests for kernel bugs found while writing these tests (fixed in sim/).
TEST_CASE("time: saturating_add of a negative instant", "[sim][time]") {
  // The guard computes SimTime::max().ticks() - t.ticks(), which overflows int64 for any
  // t < 0 (e.g. a look-back window start, now - 1 h, early in a run). In practice the
  // difference wraps to a large negative number and the guard then clamps every sum to max().
  // `volatile` keeps the compiler from folding the overflow at compile time.
  volatile std::int64_t ticks = -Duration::hours(1).ticks();
  const SimTime before_epoch = SimTime::from_ticks(ticks);
  CHECK(saturating_add(before_epoch, Duration::minutes(15)).ticks() ==
        -Duration::minutes(45).ticks());
}
