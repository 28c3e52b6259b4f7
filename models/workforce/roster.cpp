#include "models/workforce/roster.hpp"

#include "models/case/case.hpp"

#include <algorithm>
#include <date/tz.h>

namespace supportsim::models {

namespace {

using std::chrono::days;

sim::LocalTime local_at(std::chrono::local_days day, TimeOfDay t) {
  return sim::LocalTime(day) + std::chrono::minutes(t.minute);
}

} // namespace

Roster::Roster(const OrganisationConfig &config, const sim::Clock &clock, sim::SimTime end)
    : config_(config), clock_(clock), end_(end) {
  for (const SiteConfig &site : config.sites)
    site_zones_.push_back(sim::find_zone(site.time_zone));
  build_site_days();
}

void Roster::build_site_days() {
  for (std::size_t s = 0; s < config_.sites.size(); ++s) {
    const date::time_zone *zone = site_zones_[s];
    SiteDays &table = site_days_.emplace_back();
    table.column.assign(config_.shifts.size(), none);
    for (const AgentGroupConfig &g : config_.agent_groups)
      if (g.site == s)
        for (const std::size_t k : g.shifts)
          if (table.column[k] == none)
            table.column[k] = static_cast<std::uint32_t>(table.columns++);
    // Every day next_shift can ask for (the day before the run's first local day, to the day
    // after its last); it works out any other day itself.
    table.first = std::chrono::floor<days>(clock_.to_local(zone, sim::SimTime::zero())) - days(1);
    const auto last = std::chrono::floor<days>(clock_.to_local(zone, end_)) + days(1);
    for (auto day = table.first; day <= last; day += days(1)) {
      table.midnight.push_back(clock_.from_local(zone, sim::LocalTime(day)));
      table.holiday.push_back(site_holiday(s, day));
      table.shifts.resize(table.shifts.size() + table.columns);
      for (std::size_t k = 0; k < config_.shifts.size(); ++k)
        if (table.column[k] != none)
          table.shifts[table.shifts.size() - table.columns + table.column[k]] =
              shift_times(zone, day, config_.shifts[k]);
    }
  }
}

bool Roster::site_holiday(std::size_t site, std::chrono::local_days day) const {
  const std::vector<Date> &holidays = config_.sites[site].holidays;
  const Date date{std::chrono::sys_days(day.time_since_epoch())};
  return std::find(holidays.begin(), holidays.end(), date) != holidays.end();
}

std::pair<sim::SimTime, sim::SimTime> Roster::shift_times(const date::time_zone *zone,
                                                          std::chrono::local_days day,
                                                          const ShiftConfig &p) const {
  const bool overnight = p.end <= p.start;
  return {clock_.from_local(zone, local_at(day, p.start)),
          clock_.from_local(zone, local_at(overnight ? day + days(1) : day, p.end))};
}

sim::SimTime Roster::break_start(const AgentGroupConfig &g, const Shift &s,
                                 const BreakConfig &b) const {
  const ShiftConfig &pattern = config_.shifts[s.pattern];
  const bool next_day = pattern.end <= pattern.start && b.start < pattern.start;
  return clock_.from_local(site_zones_[g.site],
                           local_at(next_day ? s.day + days(1) : s.day, b.start));
}

Shift Roster::next_shift(const Agent &agent, sim::SimTime from) const {
  const AgentGroupConfig &g = config_.agent_groups[agent.info.group];
  const date::time_zone *zone = site_zones_[g.site];
  const SiteDays &table = site_days_[g.site];
  const auto first_day = std::chrono::floor<days>(clock_.to_local(zone, from)) - days(1);
  Shift best{};
  best.pattern = none;
  // Day by day until a shift is found and no later day can start earlier, or past the end of
  // the run (a site closed for weeks, a rota's off weeks).
  for (auto day = first_day;; day += days(1)) {
    const auto row = static_cast<std::size_t>((day - table.first).count());
    const bool tabled = day >= table.first && row < table.midnight.size();
    const sim::SimTime midnight =
        tabled ? table.midnight[row] : clock_.from_local(zone, sim::LocalTime(day));
    if (midnight > end_ || (best.pattern != none && best.start < midnight)) break;
    if (tabled ? table.holiday[row] : site_holiday(g.site, day)) continue;
    const auto day_number = day.time_since_epoch().count();
    const unsigned weekday = sim::weekday_of(day);
    // Weeks counted from Monday 1970-01-05, so a rotation's weeks line up with calendar weeks.
    const auto week = static_cast<std::uint64_t>((day_number - 4 + 7 * 100000) / 7);
    for (const std::size_t k : g.shifts) {
      const ShiftConfig &p = config_.shifts[k];
      if (!p.days[weekday]) continue;
      if (week % p.rotation_weeks != agent.info.number % p.rotation_weeks) continue;
      const auto [start, stop] =
          tabled ? table.shifts[row * table.columns + table.column[k]] : shift_times(zone, day, p);
      if (stop <= from || stop <= start) continue;
      if (best.pattern == none || start < best.start) {
        best.pattern = static_cast<std::uint32_t>(k);
        best.start = start;
        best.end = stop;
        best.day = day;
      }
    }
  }
  return best;
}

} // namespace supportsim::models
