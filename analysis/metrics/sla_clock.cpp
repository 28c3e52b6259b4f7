#include "analysis/metrics/sla_clock.hpp"

#include <algorithm>
#include <chrono>

namespace supportsim::analysis {

SlaClock::SlaClock(const models::OrganisationConfig &organisation)
    : organisation_(organisation), levels_(organisation.service_levels),
      clock_(organisation.start) {
  for (const models::RegionConfig &r : organisation.regions)
    zones_.push_back(sim::find_zone(r.time_zone));
}

sim::Duration SlaClock::elapsed(const models::CaseInfo &c, sim::SimTime t) const {
  if (!levels_.business_hours_clock[models::index_of(c.segment)]) return t - c.arrived;
  return business_time(c.region, c.arrived, t);
}

sim::Duration SlaClock::business_time(std::size_t region, sim::SimTime from,
                                      sim::SimTime to) const {
  using std::chrono::days;
  if (to <= from) return sim::Duration{};
  const date::time_zone *zone = zones_[region];
  const models::RegionConfig &r = organisation_.regions[region];
  const models::BusinessHours &hours = levels_.business_hours;
  sim::Duration total{};
  // Each local day the interval touches: its business window, clipped to [from, to].
  const auto last = std::chrono::floor<days>(clock_.to_local(zone, to));
  for (auto day = std::chrono::floor<days>(clock_.to_local(zone, from)); day <= last;
       day += days(1)) {
    const std::chrono::sys_days as_sys(day.time_since_epoch());
    if (!hours.days[sim::weekday_of(day)]) continue;
    if (std::find(r.holidays.begin(), r.holidays.end(), models::Date(as_sys)) != r.holidays.end())
      continue;
    const sim::SimTime open =
        clock_.from_local(zone, sim::LocalTime(day) + std::chrono::minutes(hours.start.minute));
    const sim::SimTime close =
        clock_.from_local(zone, sim::LocalTime(day) + std::chrono::minutes(hours.end.minute));
    const sim::SimTime a = std::max(open, from), b = std::min(close, to);
    if (b > a) total += b - a;
  }
  return total;
}

} // namespace supportsim::analysis
