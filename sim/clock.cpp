#include "sim/clock.hpp"

#include <charconv>
#include <date/date.h>
#include <date/tz.h>
#include <fmt/format.h>
#include <stdexcept>

namespace supportsim::sim {

namespace {

date::local_time<std::chrono::microseconds> to_date_local(LocalTime local) {
  return date::local_time<std::chrono::microseconds>(local.time_since_epoch());
}

} // namespace

Clock::Offset *Clock::cached(const date::time_zone *zone) const {
  for (Offset &o : offsets_)
    if (o.zone == zone) return &o;
  return nullptr;
}

void Clock::remember(const date::time_zone *zone, std::int64_t begin, std::int64_t end,
                     std::int64_t seconds) const {
  Offset *slot = cached(zone);
  if (!slot) {
    slot = &offsets_[next_offset_];
    next_offset_ = (next_offset_ + 1) % offsets_.size();
  }
  *slot = Offset{zone, begin, end, seconds};
}

SimTime Clock::from_local(const date::time_zone *zone, LocalTime local) const {
  using std::chrono::microseconds;
  // A local time whose UTC reading, at the offset in force over a span, falls two days or more
  // inside that span is not near a change of offset: it happens exactly once, at that offset.
  // (Offsets of one zone differ by less than two days, so no other span can claim it.)
  constexpr std::int64_t margin = 2 * 86400;
  if (const Offset *o = cached(zone)) {
    const auto utc = local.time_since_epoch() - std::chrono::seconds(o->seconds);
    const auto second = std::chrono::floor<std::chrono::seconds>(utc).count();
    if (second >= o->begin + margin && second < o->end - margin) return from_utc(UtcTime(utc));
  }
  const auto dl = to_date_local(local);
  const date::local_info info = zone->get_info(dl);
  date::sys_time<microseconds> utc;
  switch (info.result) {
  case date::local_info::unique:
    utc = date::sys_time<microseconds>(dl.time_since_epoch() - info.first.offset);
    remember(zone, info.first.begin.time_since_epoch().count(),
             info.first.end.time_since_epoch().count(), info.first.offset.count());
    break;
  case date::local_info::ambiguous: // clocks went back: the earlier of the two instants
    utc = date::sys_time<microseconds>(dl.time_since_epoch() - info.first.offset);
    break;
  case date::local_info::nonexistent: // clocks jumped forward over it: the end of the gap
    utc = std::chrono::time_point_cast<microseconds>(info.second.begin);
    break;
  }
  return from_utc(UtcTime(utc.time_since_epoch()));
}

LocalTime Clock::to_local(const date::time_zone *zone, SimTime t) const {
  // What date::time_zone::to_local does (the instant plus the offset in force over the span of
  // whole seconds that holds it), with the span remembered.
  const auto utc = to_utc(t).time_since_epoch();
  const auto second = std::chrono::floor<std::chrono::seconds>(utc).count();
  const Offset *o = cached(zone);
  if (!o || second < o->begin || second >= o->end) {
    const date::sys_info info = zone->get_info(date::sys_seconds(std::chrono::seconds(second)));
    remember(zone, info.begin.time_since_epoch().count(), info.end.time_since_epoch().count(),
             info.offset.count());
    o = cached(zone);
  }
  return LocalTime(utc + std::chrono::seconds(o->seconds));
}

std::string Clock::format_utc(SimTime t, bool microseconds) const {
  const auto utc = date::sys_time<std::chrono::microseconds>(to_utc(t).time_since_epoch());
  if (microseconds) return date::format("%FT%TZ", utc);
  return date::format("%FT%TZ", std::chrono::floor<std::chrono::seconds>(utc));
}

unsigned weekday_of(std::chrono::local_days day) {
  return std::chrono::weekday(std::chrono::sys_days(day.time_since_epoch())).iso_encoding() - 1;
}

unsigned hour_of(LocalTime t) {
  const auto day = std::chrono::floor<std::chrono::days>(t);
  return static_cast<unsigned>(std::chrono::duration_cast<std::chrono::hours>(t - day).count());
}

unsigned hour_of_week(LocalTime t) {
  return weekday_of(std::chrono::floor<std::chrono::days>(t)) * 24 + hour_of(t);
}

const date::time_zone *find_zone(std::string_view name) {
  try {
    return date::locate_zone(name);
  } catch (const std::runtime_error &) {
    throw std::invalid_argument(
        fmt::format("\"{}\" is not a time zone in the IANA database (e.g. Europe/Lisbon)", name));
  }
}

UtcTime parse_utc(std::string_view text) {
  auto fail = [&](const char *why) {
    throw std::invalid_argument(
        fmt::format("\"{}\" is not a UTC date or time ({}); expected YYYY-MM-DD or "
                    "YYYY-MM-DDTHH:MM:SSZ",
                    text, why));
  };
  auto number = [&](std::size_t at, std::size_t width) {
    int value = 0;
    if (at + width > text.size()) fail("too short");
    const auto [end, error] = std::from_chars(text.data() + at, text.data() + at + width, value);
    if (error != std::errc{} || end != text.data() + at + width)
      fail("not a number where one belongs");
    return value;
  };
  if (text.size() < 10 || text[4] != '-' || text[7] != '-') fail("not in the form YYYY-MM-DD");
  const date::year_month_day ymd{date::year(number(0, 4)),
                                 date::month(static_cast<unsigned>(number(5, 2))),
                                 date::day(static_cast<unsigned>(number(8, 2)))};
  if (!ymd.ok()) fail("no such date");
  std::chrono::seconds time_of_day{0};
  if (text.size() > 10) {
    if (text[10] != 'T' || text.back() != 'Z') fail("a time must follow 'T' and end with 'Z'");
    const std::string_view hms = text.substr(11, text.size() - 12);
    if (hms.size() != 5 && hms.size() != 8) fail("the time is not HH:MM or HH:MM:SS");
    if (hms[2] != ':' || (hms.size() == 8 && hms[5] != ':')) fail("the time is not HH:MM:SS");
    const int h = number(11, 2), m = number(14, 2), s = hms.size() == 8 ? number(17, 2) : 0;
    if (h > 23 || m > 59 || s > 59) fail("no such time of day");
    time_of_day = std::chrono::hours(h) + std::chrono::minutes(m) + std::chrono::seconds(s);
  }
  const auto day = date::sys_days(ymd);
  return UtcTime(
      std::chrono::duration_cast<std::chrono::microseconds>(day.time_since_epoch() + time_of_day));
}

} // namespace supportsim::sim
