#include "scenarios/staffing.hpp"

#include "scenarios/csv.hpp"
#include "scenarios/schema_validation.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fmt/format.h>
#include <optional>
#include <stdexcept>
#include <tuple>

namespace supportsim::scenarios {

StaffingError::StaffingError(std::string file, std::size_t line, std::string problem)
    : InputError(line == 0 ? fmt::format("{}: {}", file, problem)
                           : fmt::format("{}:{}: {}", file, line, problem)),
      file_(std::move(file)), line_(line), problem_(std::move(problem)) {}

namespace {

using namespace csv;
using models::StaffedPeriod;
using models::StaffingPlan;
using Micros = std::chrono::microseconds;

/// "2027-01-04T09:15Z": staffing messages name minutes.
std::string minute_text(sim::UtcTime t) {
  std::string s = utc_text(t);
  if (s.size() == 20 && s.compare(16, 4, ":00Z") == 0) s.replace(16, 4, "Z");
  return s;
}

/// The agent group `name` names: exactly, then ignoring case with '_', '-' and ' ' alike; or
/// the problem ("group 'austin-l3' is not an agent group of the scenario; did you mean ...").
std::optional<std::uint32_t> find_group(const models::OrganisationConfig &org,
                                        std::string_view name, std::string &problem) {
  for (std::size_t g = 0; g < org.agent_groups.size(); ++g)
    if (org.agent_groups[g].name == name) return static_cast<std::uint32_t>(g);
  for (std::size_t g = 0; g < org.agent_groups.size(); ++g)
    if (loose_equals(org.agent_groups[g].name, name)) return static_cast<std::uint32_t>(g);
  std::vector<std::string> names;
  for (const auto &g : org.agent_groups)
    names.push_back(g.name);
  if (const std::string best = detail::did_you_mean(name, names); !best.empty())
    problem = fmt::format("group '{}' is not an agent group of the scenario; did you mean '{}'?",
                          name, best);
  else
    problem =
        fmt::format("group '{}' is not an agent group of the scenario ({})", name, join(names));
  return std::nullopt;
}

/// Sorts by (start, group, agent), as StaffingPlan promises.
void sort_plan(StaffingPlan &plan) {
  std::sort(plan.periods.begin(), plan.periods.end(),
            [](const StaffedPeriod &a, const StaffedPeriod &b) {
              return std::tie(a.start, a.group, a.agent, a.end) <
                     std::tie(b.start, b.group, b.agent, b.end);
            });
}

/// One staffing file's rows, with its columns found by name.
class StaffingFile {
public:
  StaffingFile(const std::string &path, const models::OrganisationConfig &org,
               const StaffingOptions &options)
      : csv_(path), org_(org), options_(options) {
    if (!options.time_zone.empty()) {
      try {
        zone_ = sim::find_zone(options.time_zone);
      } catch (const std::invalid_argument &e) {
        throw StaffingError(path, 0, e.what());
      }
    }
  }

  StaffingPlan read() {
    const auto status = csv_.next(fields_);
    if (status != CsvSource::Status::row)
      throw StaffingError(csv_.path(), 1, "the file is empty; expected a header row");
    header_size_ = fields_.size();
    for (std::string_view f : fields_)
      header_.emplace_back(trim(f));
    if (has("agent") && has("group") && has("start_utc") && has("end_utc")) return roster();
    if (has("interval_start_utc") && has("group") && has("agents")) return intervals();
    throw StaffingError(csv_.path(), csv_.row_line(),
                        fmt::format("not a staffing file: expected the header of a roster "
                                    "(agent,group,start_utc,end_utc) or of an interval table "
                                    "(interval_start_utc,group,agents[,not_ready]); the columns "
                                    "are: {}",
                                    join(header_, 40)));
  }

private:
  std::optional<std::size_t> column(std::string_view name) const {
    for (std::size_t i = 0; i < header_.size(); ++i)
      if (iequals(header_[i], name)) return i;
    return std::nullopt;
  }
  bool has(std::string_view name) const { return column(name).has_value(); }

  [[noreturn]] void fail(const std::string &problem) const {
    throw StaffingError(csv_.path(), csv_.row_line(), problem);
  }

  /// The next row with as many fields as the header; false at the end.
  bool next_row() {
    const auto status = csv_.next(fields_);
    if (status == CsvSource::Status::end) return false;
    if (status == CsvSource::Status::unterminated)
      fail("a quoted field is not closed before the end of the file");
    if (fields_.size() != header_size_)
      fail(fmt::format("{} fields, but the header (line 1) has {}", fields_.size(), header_size_));
    return true;
  }

  std::string_view value(std::size_t column) const { return trim(fields_[column]); }

  sim::UtcTime time(std::size_t column) {
    const std::string_view v = value(column);
    const std::string &name = header_[column];
    if (v.empty()) fail(fmt::format("{} is empty", name));
    Timestamp ts;
    if (parse_timestamp(v, ts) != TimeProblem::none)
      fail(fmt::format("{} '{}' is not an ISO 8601 date and time (e.g. 2027-01-04T09:15:00Z)", name,
                       v));
    sim::UtcTime t;
    if (!to_utc(ts, zone_, t))
      fail(fmt::format("{} '{}' has no UTC offset and no time zone was given for the file "
                       "(write Z or +01:00 after the time, or give a time zone)",
                       name, v));
    return t;
  }

  double number(std::size_t column, double low, double high, const char *what) {
    const std::string_view v = value(column);
    double x = 0;
    const auto [end, error] = std::from_chars(v.data(), v.data() + v.size(), x);
    if (v.empty() || error != std::errc{} || end != v.data() + v.size() || !std::isfinite(x) ||
        x < low || x > high)
      fail(fmt::format("{} '{}' is not {}", header_[column], v, what));
    return x;
  }

  std::uint32_t group(std::size_t column) {
    std::string problem;
    const auto g = find_group(org_, value(column), problem);
    if (!g) fail(problem);
    return *g;
  }

  /// agent,group,start_utc,end_utc: one row per logged-in period.
  StaffingPlan roster() {
    const std::size_t agent_c = *column("agent"), group_c = *column("group"),
                      start_c = *column("start_utc"), end_c = *column("end_utc");
    struct Row {
      StaffedPeriod period;
      std::size_t person, line;
    };
    std::vector<Row> rows;
    std::vector<std::string> people;                                      // by first appearance
    std::map<std::pair<std::uint32_t, std::string>, std::uint32_t> index; // (group, agent)
    std::vector<std::uint32_t> group_sizes(org_.agent_groups.size(), 0);
    while (next_row()) {
      const std::string_view agent = value(agent_c);
      if (agent.empty()) fail("agent is empty: every period needs its agent");
      const std::uint32_t g = group(group_c);
      const sim::UtcTime start = time(start_c), end = time(end_c);
      if (end <= start)
        fail(fmt::format("end_utc {} is not after start_utc {}", minute_text(end),
                         minute_text(start)));
      auto person = std::find(people.begin(), people.end(), agent);
      if (person == people.end()) person = people.insert(people.end(), std::string(agent));
      const auto [at, added] = index.try_emplace({g, std::string(agent)}, group_sizes[g]);
      if (added) ++group_sizes[g];
      rows.push_back({{g, at->second, start, end},
                      static_cast<std::size_t>(person - people.begin()),
                      csv_.row_line()});
    }
    // One person's periods never overlap, in any group: one cannot be logged in twice.
    std::vector<const Row *> by_person;
    for (const Row &r : rows)
      by_person.push_back(&r);
    std::stable_sort(by_person.begin(), by_person.end(), [](const Row *a, const Row *b) {
      return std::tie(a->person, a->period.start) < std::tie(b->person, b->period.start);
    });
    for (std::size_t i = 1; i < by_person.size(); ++i) {
      const Row &a = *by_person[i - 1], &b = *by_person[i];
      if (a.person == b.person && b.period.start < a.period.end) {
        const Row &first = a.line < b.line ? a : b, &second = a.line < b.line ? b : a;
        throw StaffingError(
            csv_.path(), second.line,
            fmt::format("agent '{}' is logged in twice: {}..{} overlaps line {} ({}..{})",
                        people[a.person], minute_text(second.period.start),
                        minute_text(second.period.end), first.line, minute_text(first.period.start),
                        minute_text(first.period.end)));
      }
    }
    StaffingPlan plan;
    for (const Row &r : rows)
      plan.periods.push_back(r.period);
    sort_plan(plan);
    return plan;
  }

  /// interval_start_utc,group,agents[,not_ready]: agents on the floor per interval.
  StaffingPlan intervals() {
    const std::size_t start_c = *column("interval_start_utc"), group_c = *column("group"),
                      agents_c = *column("agents");
    const std::optional<std::size_t> not_ready_c = column("not_ready");
    struct Row {
      sim::UtcTime start;
      std::uint32_t group;
      double agents; ///< available: agents × (1 - not_ready)
      std::size_t line;
    };
    std::vector<Row> rows;
    while (next_row()) {
      const sim::UtcTime start = time(start_c);
      const std::uint32_t g = group(group_c);
      const double agents = number(agents_c, 0, 1e6, "a number of agents (0 or more)");
      double not_ready = 0;
      if (not_ready_c && !value(*not_ready_c).empty())
        not_ready = number(*not_ready_c, 0, 1, "a share from 0 to 1");
      rows.push_back({start, g, agents * (1 - not_ready), csv_.row_line()});
    }
    if (rows.empty()) return {};
    const Micros length = interval_length(rows);
    const sim::UtcTime origin = rows.front().start;
    std::stable_sort(rows.begin(), rows.end(), [](const Row &a, const Row &b) {
      return std::tie(a.group, a.start) < std::tie(b.group, b.start);
    });
    for (const Row &r : rows) {
      if ((r.start - origin) % length != Micros{0})
        throw StaffingError(csv_.path(), r.line,
                            fmt::format("interval_start_utc {} is off the {}-minute grid of "
                                        "the file (intervals start at {} + a multiple of {} "
                                        "minutes)",
                                        minute_text(r.start), length.count() / 60'000'000,
                                        minute_text(origin), length.count() / 60'000'000));
    }
    for (std::size_t i = 1; i < rows.size(); ++i)
      if (rows[i].group == rows[i - 1].group && rows[i].start == rows[i - 1].start)
        throw StaffingError(csv_.path(), std::max(rows[i].line, rows[i - 1].line),
                            fmt::format("group '{}' at {} is given twice (lines {} and {})",
                                        org_.agent_groups[rows[i].group].name,
                                        minute_text(rows[i].start),
                                        std::min(rows[i].line, rows[i - 1].line),
                                        std::max(rows[i].line, rows[i - 1].line)));
    // Agent k of a group is on for the whole interval when k + 1 <= n, for the first
    // (n - k) of it when k < n < k + 1. Whole intervals of one agent that follow each other
    // make one period.
    StaffingPlan plan;
    std::vector<std::optional<std::size_t>> open; // per agent k: its period still growing
    std::uint32_t group = 0;
    for (std::size_t i = 0; i < rows.size(); ++i) {
      const Row &r = rows[i];
      if (i == 0 || r.group != group) {
        open.clear();
        group = r.group;
      }
      const auto whole = static_cast<std::uint32_t>(std::floor(r.agents + 1e-9));
      const double part = r.agents - whole;
      const std::uint32_t on = whole + (part > 1e-9 ? 1 : 0);
      if (open.size() < on) open.resize(on);
      const sim::UtcTime end = r.start + length;
      for (std::uint32_t k = 0; k < open.size(); ++k) {
        auto &current = open[k];
        const bool continues = current && plan.periods[*current].end == r.start;
        if (k >= on) {
          current.reset();
          continue;
        }
        const sim::UtcTime until =
            k < whole ? end
                      : r.start + Micros(std::llround(part * static_cast<double>(length.count())));
        if (continues)
          plan.periods[*current].end = until;
        else {
          current = plan.periods.size();
          plan.periods.push_back({group, k, r.start, until});
        }
        if (until != end) current.reset(); // a part interval ends the period
      }
    }
    sort_plan(plan);
    return plan;
  }

  /// The interval length: the option, or the smallest step between two interval starts.
  template <class Rows> Micros interval_length(const Rows &rows) {
    const auto allowed = [](std::int64_t minutes) {
      return minutes == 15 || minutes == 30 || minutes == 60;
    };
    if (options_.interval_minutes != 0) {
      if (!allowed(options_.interval_minutes))
        throw StaffingError(csv_.path(), 0,
                            fmt::format("an interval of {} minutes; expected 15, 30 or 60",
                                        options_.interval_minutes));
      return std::chrono::minutes(options_.interval_minutes);
    }
    std::vector<std::pair<sim::UtcTime, std::size_t>> starts;
    for (const auto &r : rows)
      starts.emplace_back(r.start, r.line);
    std::sort(starts.begin(), starts.end());
    std::optional<std::size_t> step; // index of the later start of the smallest step
    for (std::size_t i = 1; i < starts.size(); ++i)
      if (starts[i].first != starts[i - 1].first &&
          (!step ||
           starts[i].first - starts[i - 1].first < starts[*step].first - starts[*step - 1].first))
        step = i;
    if (!step)
      throw StaffingError(csv_.path(), 0,
                          "every row is for one interval: its length (15, 30 or 60 minutes) "
                          "cannot be inferred; give it");
    const Micros smallest = starts[*step].first - starts[*step - 1].first;
    if (smallest % std::chrono::minutes(1) != Micros{0} ||
        !allowed(smallest.count() / 60'000'000)) {
      const auto [a, b] = std::minmax(starts[*step].second, starts[*step - 1].second);
      throw StaffingError(
          csv_.path(), b,
          fmt::format("interval_start_utc {} is {} minutes after {} (line {}); intervals are 15, "
                      "30 or 60 minutes long",
                      minute_text(starts[*step].first),
                      static_cast<double>(smallest.count()) / 60e6,
                      minute_text(starts[*step - 1].first), a));
    }
    return smallest;
  }

  CsvSource csv_;
  const models::OrganisationConfig &org_;
  StaffingOptions options_;
  const date::time_zone *zone_ = nullptr;
  std::vector<std::string_view> fields_;
  std::vector<std::string> header_;
  std::size_t header_size_ = 0;
};

} // namespace

models::StaffingPlan load_staffing(const std::string &path,
                                   const models::OrganisationConfig &organisation,
                                   const StaffingOptions &options) {
  try {
    StaffingFile file(path, organisation, options);
    return file.read();
  } catch (const ArrivalsError &e) {
    // The CSV layer's own errors (cannot open, a row over 16 MiB) name the file and line.
    throw StaffingError(e.file(), e.line(), e.problem());
  }
}

// --- Inference ---------------------------------------------------------------------------------

StaffingInference::StaffingInference(const models::OrganisationConfig &organisation,
                                     StaffingInferenceOptions options)
    : organisation_(&organisation), options_(std::move(options)),
      group_sizes_(organisation.agent_groups.size(), 0) {
  if (!options_.default_group.empty()) {
    std::string problem;
    if (!find_group(organisation, options_.default_group, problem))
      throw StaffingError(options_.source, 0, "the default " + problem);
  }
}

void StaffingInference::add(const HistoryRecord &r) {
  if (r.outcome != CaseOutcome::answered) return;
  if (!r.answered || !r.handle_minutes || r.agent.empty()) {
    ++unused_;
    return;
  }
  const std::string &group_name = r.group.empty() ? options_.default_group : r.group;
  if (group_name.empty())
    throw StaffingError(options_.source, r.line,
                        fmt::format("agent '{}' answered a case that names no group, and no "
                                    "default group was given",
                                    r.agent));
  std::string problem;
  const auto g = find_group(*organisation_, group_name, problem);
  if (!g) throw StaffingError(options_.source, r.line, problem);
  auto [at, added] = agent_index_.try_emplace({*g, r.agent}, agents_.size());
  if (added) agents_.push_back({*g, group_sizes_[*g]++, {}});
  const double work = *r.handle_minutes + r.wrap_minutes.value_or(0.0);
  agents_[at->second].work.emplace_back(*r.answered,
                                        *r.answered + Micros(std::llround(work * 60e6)));
  ++used_;
}

models::StaffingPlan StaffingInference::plan() const {
  models::StaffingPlan plan;
  const Micros gap = options_.session_gap;
  for (const Agent &agent : agents_) {
    auto work = agent.work;
    std::sort(work.begin(), work.end());
    std::optional<std::pair<sim::UtcTime, sim::UtcTime>> session;
    for (const auto &[start, end] : work) {
      if (session && start - session->second < gap) {
        session->second = std::max(session->second, end);
        continue;
      }
      if (session && session->second > session->first)
        plan.periods.push_back({agent.group, agent.index, session->first, session->second});
      session.emplace(start, end);
    }
    if (session && session->second > session->first)
      plan.periods.push_back({agent.group, agent.index, session->first, session->second});
  }
  sort_plan(plan);
  return plan;
}

models::StaffingPlan infer_staffing(std::span<const HistoryRecord> history,
                                    const models::OrganisationConfig &organisation,
                                    const StaffingInferenceOptions &options) {
  StaffingInference inference(organisation, options);
  for (const HistoryRecord &r : history)
    inference.add(r);
  return inference.plan();
}

// --- Coverage ----------------------------------------------------------------------------------

std::vector<UncoveredInterval> uncovered(const models::StaffingPlan &plan,
                                         std::span<const sim::UtcTime> arrivals,
                                         std::chrono::minutes interval) {
  if (interval.count() <= 0)
    throw std::invalid_argument(fmt::format(
        "uncovered: an interval of {} minutes; expected more than 0", interval.count()));
  const Micros length = interval;
  // Arrivals per interval, by the interval's index since the epoch (aligned to UTC midnight).
  std::map<std::int64_t, std::size_t> counts;
  for (const sim::UtcTime t : arrivals) {
    const auto since = t.time_since_epoch().count();
    const auto n = length.count();
    ++counts[since >= 0 ? since / n : (since - n + 1) / n];
  }
  // The union of all periods, as disjoint sorted spans.
  std::vector<std::pair<sim::UtcTime, sim::UtcTime>> covered;
  for (const auto &p : plan.periods) // sorted by start
    if (!covered.empty() && p.start <= covered.back().second)
      covered.back().second = std::max(covered.back().second, p.end);
    else
      covered.emplace_back(p.start, p.end);
  std::vector<UncoveredInterval> out;
  for (const auto &[index, count] : counts) {
    const sim::UtcTime start{Micros(index * length.count())};
    const sim::UtcTime end = start + length;
    // The first span ending after the interval starts: it covers some of it if it starts
    // before the interval ends.
    const auto it = std::upper_bound(covered.begin(), covered.end(), start,
                                     [](sim::UtcTime t, const auto &s) { return t < s.second; });
    if (it == covered.end() || it->first >= end) out.push_back({start, count});
  }
  return out;
}

std::string uncovered_warning(const std::vector<UncoveredInterval> &intervals,
                              std::chrono::minutes interval, std::size_t limit) {
  if (intervals.empty()) return {};
  std::size_t cases = 0;
  for (const auto &u : intervals)
    cases += u.arrivals;
  std::string named;
  for (std::size_t i = 0; i < intervals.size() && i < limit; ++i)
    named += fmt::format("{}{} ({})", i == 0 ? "" : ", ", minute_text(intervals[i].start),
                         intervals[i].arrivals);
  if (intervals.size() > limit) named += fmt::format(" and {} more", intervals.size() - limit);
  return fmt::format("{} case{} arrived in {} {}-minute interval{} with nobody on shift: {}", cases,
                     cases == 1 ? "" : "s", intervals.size(), interval.count(),
                     intervals.size() == 1 ? "" : "s", named);
}

} // namespace supportsim::scenarios
