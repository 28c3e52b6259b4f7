#include "analysis/backtest/history.hpp"

#include "scenarios/input_error.hpp"

#include <chrono>
#include <fmt/format.h>

namespace supportsim::analysis::backtest {

namespace {

double minutes_between(sim::UtcTime from, sim::UtcTime to) {
  return std::chrono::duration<double, std::ratio<60>>(to - from).count();
}

/// The agent work of a case's first touch: handle, plus after-call work given apart.
std::optional<double> first_touch_work(const scenarios::HistoryRecord &r) {
  if (!r.handle_minutes) return std::nullopt;
  return *r.handle_minutes + r.wrap_minutes.value_or(0.0);
}

/// A row without a channel takes the default one (counted, for the warning).
void default_channel(models::ReplayedCase &row, const HistoryReadOptions &options,
                     std::size_t &without_channel) {
  if (row.channel) return;
  row.channel = options.default_channel;
  ++without_channel;
}

/// Fills what the row lacks and the backtest needs of every case alike in the history and in
/// the simulation: its channel, and its region when the scenario has one.
void complete(models::ReplayedCase &row, const models::OrganisationConfig &o,
              const HistoryReadOptions &options, const std::string &path, std::size_t line,
              std::size_t &without_channel) {
  default_channel(row, options, without_channel);
  if (!row.region) {
    if (o.regions.size() != 1)
      throw scenarios::InputError(fmt::format(
          "{}:{}: the row gives no region and the scenario has {} regions: add a region column "
          "(or a mapping to one), or backtest against a scenario with one region",
          path, line, o.regions.size()));
    row.region = 0;
  }
}

CaseOutcome outcome_of(const models::ReplayedCase &row, const scenarios::HistoryRecord &r) {
  CaseOutcome c;
  c.queued = r.queued_or_created();
  c.region = *row.region;
  c.channel = *row.channel;
  switch (r.outcome) {
  case scenarios::CaseOutcome::answered:
    c.answered = true;
    c.ended = *r.answered;
    if (const auto work = first_touch_work(r)) c.handle_minutes = static_cast<float>(*work);
    break;
  case scenarios::CaseOutcome::abandoned:
    c.abandoned = true;
    c.ended = *r.abandoned;
    break;
  case scenarios::CaseOutcome::none:
    c.other = true;
    c.ended = r.ended.value_or(c.queued);
    break;
  }
  return c;
}

std::string count_warning(const std::string &path, std::size_t n, std::string_view what) {
  return fmt::format("{}: {} {} {}", path, n, n == 1 ? "row" : "rows", what);
}

/// What every reading of a history warns of: rows with nothing to replay, rows without a
/// channel (taken as the default), bad rows skipped.
void add_reading_warnings(const scenarios::ArrivalsReader &reader, const std::string &path,
                          std::size_t without_channel, const HistoryReadOptions &options,
                          std::vector<std::string> &warnings) {
  if (const std::string w = reader.unreplayable_warning(); !w.empty()) warnings.push_back(w);
  if (without_channel > 0)
    warnings.push_back(count_warning(
        path, without_channel,
        fmt::format("give no channel: taken as {}",
                    models::channel_names[models::index_of(options.default_channel)])));
  if (reader.bad_rows() > 0)
    warnings.push_back(count_warning(path, reader.bad_rows(), "skipped as bad"));
}

} // namespace

HistoryReading read_history(const std::string &path, const models::OrganisationConfig &o,
                            const HistoryReadOptions &options) {
  HistoryReading out;
  out.history.source = path;
  scenarios::ArrivalsReader reader(path, o, options.mapping, options.arrivals);
  models::ReplayedCase row;
  std::size_t without_channel = 0, answered_without_handle = 0;
  while (reader.next(row)) {
    const scenarios::HistoryRecord &r = reader.history();
    complete(row, o, options, path, r.line, without_channel);
    CaseOutcome c = outcome_of(row, r);
    if (c.answered && c.handle_minutes < 0) ++answered_without_handle;
    if (c.answered && c.handle_minutes >= 0)
      out.history.work.push_back(
          {c.ended,
           c.ended + std::chrono::microseconds(static_cast<std::int64_t>(c.handle_minutes * 60e6)),
           c.region, true});
    out.history.cases.push_back(row);
    out.history.outcomes.push_back(c);
    if (options.keep_records) out.records.push_back(r);
  }
  add_reading_warnings(reader, path, without_channel, options, out.warnings);
  if (answered_without_handle > 0)
    out.warnings.push_back(count_warning(
        path, answered_without_handle,
        "answered without a handle time: their service is drawn from the scenario's work_minutes"));
  return out;
}

std::vector<CalibrationCase> read_calibration_cases(const std::string &path,
                                                    const models::OrganisationConfig &o,
                                                    const HistoryReadOptions &options,
                                                    std::vector<std::string> &warnings) {
  scenarios::ArrivalsReader reader(path, o, options.mapping, options.arrivals);
  const std::vector<const date::time_zone *> zones = region_zones(o);
  const sim::Clock clock(o.start);
  std::vector<CalibrationCase> cases;
  models::ReplayedCase row;
  std::size_t without_channel = 0, without_region = 0;
  while (reader.next(row)) {
    const scenarios::HistoryRecord &r = reader.history();
    default_channel(row, options, without_channel);
    if (!row.region) ++without_region;
    CalibrationCase c;
    c.channel = *row.channel;
    c.priority = row.priority.value_or(models::Priority::p3);
    c.local_hour = static_cast<std::uint8_t>(
        sim::hour_of(clock.to_local(zones[row.region.value_or(0)], clock.from_utc(r.created))));
    c.handle_minutes = r.handle_minutes;
    c.wrap_minutes = r.wrap_minutes;
    c.answered = r.outcome == scenarios::CaseOutcome::answered;
    c.abandoned = r.outcome == scenarios::CaseOutcome::abandoned;
    if (c.answered) c.wait_minutes = minutes_between(r.queued_or_created(), *r.answered);
    if (c.abandoned) c.wait_minutes = minutes_between(r.queued_or_created(), *r.abandoned);
    c.touches = r.touches;
    c.escalated = r.escalated;
    c.reopened = r.reopened;
    cases.push_back(c);
  }
  add_reading_warnings(reader, path, without_channel, options, warnings);
  // The region only places a case's hour of day (the hour-band split); with one region there
  // is nothing to say.
  if (without_region > 0 && o.regions.size() > 1)
    warnings.push_back(count_warning(
        path, without_region,
        fmt::format("give no region: their hour of day is read in {}'s time zone ({})",
                    o.regions[0].name, o.regions[0].time_zone)));
  return cases;
}

} // namespace supportsim::analysis::backtest
