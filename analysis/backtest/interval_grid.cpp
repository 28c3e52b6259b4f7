#include "analysis/backtest/interval_grid.hpp"

#include <chrono>
#include <fmt/format.h>
#include <stdexcept>

namespace supportsim::analysis::backtest {

namespace {

using Minutes = std::chrono::minutes;

constexpr auto quarter = Minutes(15);

/// `zone`'s offset from UTC at instant t, in minutes.
std::int64_t offset_minutes(const sim::Clock &clock, const date::time_zone *zone, sim::UtcTime t) {
  const sim::LocalTime local = clock.to_local(zone, clock.from_utc(t));
  return std::chrono::duration_cast<Minutes>(local.time_since_epoch() - t.time_since_epoch())
      .count();
}

} // namespace

IntervalGrid::IntervalGrid(sim::UtcTime start, sim::UtcTime end, int interval_minutes,
                           std::vector<const date::time_zone *> region_zones)
    : start_(std::chrono::floor<Minutes>(start)), end_(end), minutes_(interval_minutes) {
  if (minutes_ != 15 && minutes_ != 30 && minutes_ != 60)
    throw std::invalid_argument(
        fmt::format("an interval is 15, 30 or 60 minutes, not {}", minutes_));
  start_ -= (start_.time_since_epoch() % quarter + quarter) % quarter; // floor to a quarter hour
  if (end_ <= start_) throw std::invalid_argument("the window ends before it starts");
  const sim::Clock clock(start_);
  const auto quarters =
      static_cast<std::size_t>((end_ - start_ + quarter - std::chrono::microseconds(1)) / quarter);
  for (const date::time_zone *zone : region_zones) {
    Region r{zone, {}, {}, {}};
    r.of_quarter.reserve(quarters);
    for (std::size_t q = 0; q < quarters; ++q) {
      const sim::UtcTime t = start_ + q * quarter;
      const std::int64_t offset = offset_minutes(clock, zone, t);
      if (offset % 15 != 0)
        throw std::invalid_argument(fmt::format(
            "a region's time zone is {} minutes from UTC: intervals need whole quarter hours",
            offset));
      const std::int64_t local_minute =
          std::chrono::duration_cast<Minutes>(t.time_since_epoch()).count() + offset;
      if (r.starts.empty() || ((local_minute % minutes_) + minutes_) % minutes_ == 0) {
        r.starts.push_back(t);
        r.local_starts.push_back(local_minute);
      }
      r.of_quarter.push_back(static_cast<std::uint32_t>(r.starts.size() - 1));
    }
    regions_.push_back(std::move(r));
  }
}

std::size_t IntervalGrid::index(std::size_t region, sim::UtcTime t) const {
  if (t < start_ || t >= end_) return outside;
  return regions_[region].of_quarter[static_cast<std::size_t>((t - start_) / quarter)];
}

sim::UtcTime IntervalGrid::end_of(std::size_t region, std::size_t interval) const {
  const auto &starts = regions_[region].starts;
  return interval + 1 < starts.size() ? starts[interval + 1] : end_;
}

namespace {
/// "2027-01-04T09:30" of a local minute counted from 1970-01-01T00:00 local.
std::string minute_label(std::int64_t local_minute) {
  const std::int64_t day = (local_minute >= 0 ? local_minute : local_minute - 1439) / 1440;
  const auto minute = local_minute - day * 1440;
  const std::chrono::year_month_day date{std::chrono::sys_days(std::chrono::days(day))};
  // By hand rather than by fmt: a run labels every interval of every region.
  std::string out = "0000-00-00T00:00";
  const auto put = [&](std::size_t at, unsigned value, std::size_t digits) {
    for (std::size_t k = digits; k-- > 0; value /= 10)
      out[at + k] = static_cast<char>('0' + value % 10);
  };
  put(0, static_cast<unsigned>(static_cast<int>(date.year())), 4);
  put(5, static_cast<unsigned>(date.month()), 2);
  put(8, static_cast<unsigned>(date.day()), 2);
  put(11, static_cast<unsigned>(minute / 60), 2);
  put(14, static_cast<unsigned>(minute % 60), 2);
  return out;
}
} // namespace

std::string local_minute_label(const date::time_zone *zone, sim::UtcTime t) {
  const sim::Clock clock(t);
  const sim::LocalTime local = clock.to_local(zone, clock.from_utc(t));
  return minute_label(std::chrono::floor<Minutes>(local.time_since_epoch()).count());
}

std::string IntervalGrid::local_label(std::size_t region, std::size_t interval) const {
  // Kept from the walk: no time-zone look-up per label.
  return minute_label(regions_[region].local_starts[interval]);
}

} // namespace supportsim::analysis::backtest
