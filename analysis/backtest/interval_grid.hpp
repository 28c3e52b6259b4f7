#pragma once

#include "sim/clock.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace supportsim::analysis::backtest {

/// "2027-01-04T09:30": the local wall-clock minute of instant t in `zone`.
std::string local_minute_label(const date::time_zone *zone, sim::UtcTime t);

/// Intervals of 15, 30 or 60 minutes of each region's local wall clock over a UTC window,
/// daylight-saving time included: the interval that starts at 09:30 in Lisbon starts at
/// 09:30 Lisbon time in winter and in summer, and the night the clocks go back has two
/// intervals labelled 01:00 (told apart by their UTC start).
///
///   IntervalGrid grid(start, end, 30, {sim::find_zone("Europe/Lisbon")});
///   std::size_t i = grid.index(0, t); // the interval holding t, or IntervalGrid::outside
///
/// Every zone in use today is offset from UTC by a whole number of quarter hours, so every
/// local interval boundary falls on a UTC quarter hour: the grid walks the window's UTC quarter
/// hours once per region and looks an instant up by its quarter. (A zone that is not is refused.)
class IntervalGrid {
public:
  static constexpr std::size_t outside = static_cast<std::size_t>(-1);

  /// `minutes`: 15, 30 or 60. The window is [start, end), start rounded down to a UTC quarter
  /// hour; the first interval of a region may be partial.
  IntervalGrid(sim::UtcTime start, sim::UtcTime end, int minutes,
               std::vector<const date::time_zone *> region_zones);

  int minutes() const { return minutes_; }
  std::size_t regions() const { return regions_.size(); }
  std::size_t intervals(std::size_t region) const { return regions_[region].starts.size(); }
  /// The interval of `region` holding t, or `outside` the window.
  std::size_t index(std::size_t region, sim::UtcTime t) const;
  sim::UtcTime start_of(std::size_t region, std::size_t interval) const {
    return regions_[region].starts[interval];
  }
  sim::UtcTime end_of(std::size_t region, std::size_t interval) const;
  /// "2027-01-04T09:30" in the region's local time.
  std::string local_label(std::size_t region, std::size_t interval) const;
  sim::UtcTime window_start() const { return start_; }
  sim::UtcTime window_end() const { return end_; }

private:
  struct Region {
    const date::time_zone *zone;
    std::vector<sim::UtcTime> starts;       // each interval's UTC start
    std::vector<std::int64_t> local_starts; // and its local start, minutes since 1970 local
    std::vector<std::uint32_t> of_quarter;  // per UTC quarter hour of the window: its interval
  };
  sim::UtcTime start_, end_;
  int minutes_;
  std::vector<Region> regions_;
};

} // namespace supportsim::analysis::backtest
