#include "analysis/forecast/demand.hpp"

#include "models/demand.hpp"
#include "sim/clock.hpp"

#include <chrono>

namespace supportsim::analysis {

std::size_t week_of(sim::SimTime window_start, sim::SimTime t) {
  return static_cast<std::size_t>((t - window_start).ticks() / sim::Duration::days(7).ticks());
}

DemandForecast forecast_demand(const models::OrganisationConfig &organisation,
                               sim::Duration warmup) {
  const sim::Clock clock(organisation.start);
  const sim::SimTime from = sim::SimTime::zero() + warmup;
  const sim::SimTime to = sim::SimTime::zero() + organisation.horizon;
  // The streams only feed the day-to-day multipliers, which the forecast leaves out.
  const models::Demand demand(organisation, clock, sim::RandomStreams(0, 0), to);
  DemandForecast out;
  for (sim::SimTime w = from; w < to; w = w + sim::Duration::days(7))
    out.week_starts.push_back(w);
  for (std::size_t r = 0; r < organisation.regions.size(); ++r) {
    const date::time_zone *zone = sim::find_zone(organisation.regions[r].time_zone);
    DemandForecast::Region region;
    region.weeks.assign(out.week_starts.size(), 0.0);
    region.hours.assign(to > from ? static_cast<std::size_t>(((to - from).ticks() +
                                                              sim::Duration::hours(1).ticks() - 1) /
                                                             sim::Duration::hours(1).ticks())
                                  : 0,
                        0.0);
    demand.forecast(r, from, to, [&](sim::SimTime a, sim::SimTime b, double cases) {
      // Pieces never straddle a UTC hour; read the local hour of the week at the middle.
      const sim::SimTime middle = a + sim::Duration::from_ticks((b - a).ticks() / 2);
      region.hour_of_week[sim::hour_of_week(clock.to_local(zone, middle))] += cases;
      region.weeks[week_of(from, a)] += cases;
      region
          .hours[static_cast<std::size_t>((a - from).ticks() / sim::Duration::hours(1).ticks())] +=
          cases;
      region.total += cases;
    });
    out.regions.push_back(std::move(region));
  }
  return out;
}

} // namespace supportsim::analysis
