#include "scenarios/arrivals.hpp"

#include "scenarios/csv.hpp"
#include "scenarios/document.hpp"
#include "scenarios/input_file.hpp"
#include "scenarios/schema_validation.hpp"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <date/date.h>
#include <date/tz.h>
#include <fmt/format.h>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <ostream>
#include <sstream>

namespace supportsim::scenarios {

std::optional<ArrivalsFormat> arrivals_format_named(std::string_view name) {
  for (std::size_t i = 0; i < arrivals_format_names.size(); ++i)
    if (arrivals_format_names[i] == name) return static_cast<ArrivalsFormat>(i);
  return std::nullopt;
}

namespace {

using models::ReplayedCase;

using namespace csv;

// --- Names -------------------------------------------------------------------------------------

/// The names one field may take, resolved to indices: exactly first, then loosely.
struct NameTable {
  std::string what;   ///< "region"
  bool of_scenario{}; ///< names come from the scenario (else fixed by supportsim)
  bool locale{};      ///< "pt_BR" and "pt-BR" also name "pt" (languages)
  std::vector<std::string> names;

  std::optional<std::size_t> find(std::string_view v) const {
    for (std::size_t i = 0; i < names.size(); ++i)
      if (names[i] == v) return i;
    for (std::size_t i = 0; i < names.size(); ++i)
      if (loose_equals(names[i], v)) return i;
    if (locale) {
      const std::size_t cut = v.find_first_of("_-");
      if (cut == 2 || cut == 3) return find(v.substr(0, cut));
    }
    return std::nullopt;
  }
};

/// An export's word for a value and the supportsim name it stands for.
struct ValueMap {
  std::vector<std::pair<std::string, std::string>> words;
  const std::string *find(std::string_view v) const {
    for (const auto &[word, name] : words)
      if (iequals(word, v)) return &name;
    return nullptr;
  }
};

template <class Names> NameTable fixed_table(std::string what, const Names &names) {
  NameTable t{std::move(what), false, false, {}};
  for (std::string_view n : names)
    t.names.emplace_back(n);
  return t;
}

constexpr std::array<ArrivalField, 7> named_fields{
    ArrivalField::region,  ArrivalField::priority, ArrivalField::channel, ArrivalField::segment,
    ArrivalField::product, ArrivalField::language, ArrivalField::account};

bool is_named(ArrivalField f) {
  return std::find(named_fields.begin(), named_fields.end(), f) != named_fields.end();
}

constexpr std::array<ArrivalField, 5> duration_fields{
    ArrivalField::handle_minutes, ArrivalField::wrap_minutes, ArrivalField::total_handle_minutes,
    ArrivalField::first_reply_minutes, ArrivalField::resolution_minutes};

bool is_duration(ArrivalField f) {
  return std::find(duration_fields.begin(), duration_fields.end(), f) != duration_fields.end();
}

/// "answered", "abandoned" or "other" (ignoring case): the outcome words every file may use.
std::optional<CaseOutcome> outcome_named(std::string_view word) {
  if (iequals(word, "answered")) return CaseOutcome::answered;
  if (iequals(word, "abandoned")) return CaseOutcome::abandoned;
  if (iequals(word, "other")) return CaseOutcome::none;
  return std::nullopt;
}

} // namespace

// --- Presets and mapping files -----------------------------------------------------------------

std::string arrivals_date_format_problem(std::string_view format) {
  return date_format_problem(format);
}

std::vector<ArrivalsFormat> arrivals_formats_fitting(const std::vector<std::string> &header) {
  std::vector<ArrivalsFormat> out;
  for (std::size_t k = 0; k < arrivals_format_names.size(); ++k) {
    const auto format = static_cast<ArrivalsFormat>(k);
    const ArrivalsMapping preset = arrivals_preset(format);
    bool fits = false;
    for (const std::string &name : preset.columns[index_of(ArrivalField::created_utc)])
      for (const std::string &column : header)
        fits = fits || iequals(trim(column), name);
    if (fits) out.push_back(format);
  }
  return out;
}

std::vector<std::string> read_csv_header(const std::string &path) {
  CsvSource csv(path);
  std::vector<std::string_view> fields;
  const auto status = csv.next(fields);
  if (status != CsvSource::Status::row)
    throw ArrivalsError(path, 1,
                        "the file is empty or its header is not closed; expected a "
                        "header row");
  std::vector<std::string> out;
  for (std::string_view f : fields)
    out.emplace_back(trim(f));
  return out;
}

ArrivalsMapping arrivals_preset(ArrivalsFormat format) {
  ArrivalsMapping m;
  m.source = std::string(arrivals_format_names[static_cast<std::size_t>(format)]);
  auto column = [&](ArrivalField f, std::vector<std::string> names) {
    m.columns[index_of(f)] = std::move(names);
  };
  auto values = [&](ArrivalField f, std::vector<std::pair<std::string, std::string>> words) {
    m.values[index_of(f)] = std::move(words);
  };
  switch (format) {
  case ArrivalsFormat::native:
    for (std::size_t i = 0; i < arrival_field_count; ++i)
      m.columns[i] = {std::string(arrival_field_names[i])};
    break;
  case ArrivalsFormat::salesforce:
    column(ArrivalField::created_utc, {"CreatedDate", "Date/Time Opened", "Created Date"});
    column(ArrivalField::case_id, {"CaseNumber", "Case Number"});
    column(ArrivalField::region, {"Account region", "Region"});
    column(ArrivalField::priority, {"Priority"});
    column(ArrivalField::channel, {"Origin", "Case Origin"});
    column(ArrivalField::segment, {"Segment"});
    column(ArrivalField::product, {"Product"});
    column(ArrivalField::language, {"Language"});
    values(ArrivalField::priority,
           {{"Critical", "P1"}, {"High", "P2"}, {"Medium", "P3"}, {"Low", "P4"}});
    values(ArrivalField::channel, {{"Phone", "phone"},
                                   {"Chat", "chat"},
                                   {"Web Chat", "chat"},
                                   {"Email", "email"},
                                   {"Web", "email"}});
    values(ArrivalField::language, {{"English", "en"},
                                    {"German", "de"},
                                    {"French", "fr"},
                                    {"Spanish", "es"},
                                    {"Portuguese", "pt"},
                                    {"Japanese", "ja"}});
    // History: the standard Case fields, a first-response date (a custom field in most orgs,
    // by its usual label or API name) and Omni-Channel's handle time, in seconds.
    column(ArrivalField::answered_utc, {"First Response Date", "First_Response_Date__c"});
    column(ArrivalField::resolved_utc, {"ClosedDate", "Date/Time Closed", "Closed Date"});
    column(ArrivalField::escalated, {"IsEscalated", "Escalated"});
    column(ArrivalField::agent, {"Case Owner", "Owner Name"});
    column(ArrivalField::group, {"Queue", "Owner Queue"});
    column(ArrivalField::handle_minutes, {"Handle Time", "HandleTime"});
    m.units[index_of(ArrivalField::handle_minutes)] = DurationUnit::seconds;
    column(ArrivalField::wrap_minutes,
           {"After Conversation Actual Time", "AfterConversationActualTime"});
    m.units[index_of(ArrivalField::wrap_minutes)] = DurationUnit::seconds;
    break;
  case ArrivalsFormat::zendesk:
    // The API's name, and the label of the CSV export of a view or of Explore.
    column(ArrivalField::created_utc, {"created_at", "Created at"});
    column(ArrivalField::case_id, {"id"});
    column(ArrivalField::priority, {"priority"});
    column(ArrivalField::channel, {"via", "channel"});
    values(ArrivalField::priority,
           {{"urgent", "P1"}, {"high", "P2"}, {"normal", "P3"}, {"low", "P4"}});
    values(ArrivalField::channel, {{"voice", "phone"},
                                   {"phone", "phone"},
                                   {"chat", "chat"},
                                   {"messaging", "chat"},
                                   {"native_messaging", "chat"},
                                   {"email", "email"},
                                   {"mail", "email"},
                                   {"web", "email"},
                                   {"web_form", "email"},
                                   {"web form", "email"},
                                   {"api", "email"}});
    m.tag_column = "tags";
    m.tag_prefixes[index_of(ArrivalField::region)] = "region_";
    m.tag_prefixes[index_of(ArrivalField::product)] = "product_";
    m.tag_prefixes[index_of(ArrivalField::language)] = "lang_";
    m.tag_prefixes[index_of(ArrivalField::segment)] = "segment_";
    // History: the ticket metrics, by the CSV export's labels and the API's names. Zendesk has
    // no handle time of its own: the Time Tracking app's total is read, in seconds.
    column(ArrivalField::first_reply_minutes,
           {"First reply time in minutes", "reply_time_in_minutes"});
    column(ArrivalField::resolved_utc, {"Solved at", "solved_at"});
    column(ArrivalField::resolution_minutes,
           {"Full resolution time in minutes", "full_resolution_time_in_minutes"});
    column(ArrivalField::reopened, {"Reopens", "reopens"});
    column(ArrivalField::agent, {"Assignee", "assignee"});
    column(ArrivalField::group, {"Group", "group"});
    column(ArrivalField::total_handle_minutes, {"Total time spent (sec)", "total_time_spent_sec"});
    m.units[index_of(ArrivalField::total_handle_minutes)] = DurationUnit::seconds;
    break;
  case ArrivalsFormat::acd:
    // A call-detail-record export of an ACD: one row per call, times and durations as most
    // ACDs write them (a CDR's column names differ by vendor: a mapping file for the others).
    column(ArrivalField::case_id, {"Call ID", "CallID"});
    column(ArrivalField::created_utc, {"Call Start", "Start Time"});
    column(ArrivalField::queued_utc, {"Queue Start", "Queue Time"});
    column(ArrivalField::answered_utc, {"Answer Time", "Answered"});
    column(ArrivalField::ended_utc, {"End Time", "Call End"});
    column(ArrivalField::outcome, {"Disposition"});
    column(ArrivalField::agent, {"Agent", "Agent ID"});
    column(ArrivalField::group, {"Skill", "Queue"});
    column(ArrivalField::wrap_minutes, {"Wrap Time", "ACW Time"});
    m.units[index_of(ArrivalField::wrap_minutes)] = DurationUnit::seconds;
    column(ArrivalField::priority, {"Priority"});
    column(ArrivalField::language, {"Language"});
    column(ArrivalField::region, {"Region"});
    m.outcomes = {{"ANSWERED", CaseOutcome::answered},   {"HANDLED", CaseOutcome::answered},
                  {"ABANDONED", CaseOutcome::abandoned}, {"ABANDON", CaseOutcome::abandoned},
                  {"TRANSFERRED", CaseOutcome::none},    {"VOICEMAIL", CaseOutcome::none},
                  {"OVERFLOW", CaseOutcome::none}};
    m.defaults[index_of(ArrivalField::channel)] = "phone";
    break;
  }
  return m;
}

namespace {

using nlohmann::json;

std::optional<std::size_t> field_named(std::string_view name) {
  for (std::size_t i = 0; i < arrival_field_count; ++i)
    if (arrival_field_names[i] == name) return i;
  return std::nullopt;
}

class MappingReader {
public:
  explicit MappingReader(const std::string &source) : source_(source) {}

  [[noreturn]] void fail(const std::string &pointer, const std::string &problem) const {
    throw ArrivalsError(source_, 0, fmt::format("{}: {}", pointer, problem));
  }

  void expect_object(const json &v, const std::string &pointer, const char *what) const {
    if (!v.is_object())
      fail(pointer, fmt::format("expected {}, found {}", what, detail::describe(v)));
  }

  /// The field a key names, for keys of "columns", "values" and "tags"/"prefixes".
  std::size_t field(const std::string &key, const std::string &pointer, bool named_only) const {
    std::vector<std::string> allowed;
    for (std::size_t i = 0; i < arrival_field_count; ++i)
      if (!named_only || is_named(static_cast<ArrivalField>(i)))
        allowed.emplace_back(arrival_field_names[i]);
    const auto f = field_named(key);
    if (f && std::find(allowed.begin(), allowed.end(), key) != allowed.end()) return *f;
    if (const std::string best = detail::did_you_mean(key, allowed); !best.empty())
      fail(pointer, fmt::format("unknown field '{}'; did you mean '{}'?", key, best));
    fail(pointer, fmt::format("unknown field '{}'; expected one of: {}", key, join(allowed, 40)));
  }

  std::string text(const json &v, const std::string &pointer) const {
    if (!v.is_string() || v.get_ref<const std::string &>().empty())
      fail(pointer, fmt::format("expected a non-empty string, found {}", detail::describe(v)));
    return v.get<std::string>();
  }

private:
  const std::string &source_;
};

} // namespace

ArrivalsMapping parse_arrivals_mapping(std::string_view text, const std::string &source) {
  const json doc = parse_json_text(text, source);
  const MappingReader r(source);
  r.expect_object(doc, "/", "an object with \"columns\" (and \"values\", \"tags\", \"time_zone\")");
  ArrivalsMapping m;
  m.source = source;
  const std::vector<std::string> keys{"columns",  "values",   "tags",    "time_zone",
                                      "outcomes", "defaults", "$comment"};
  for (const auto &item : doc.items()) {
    if (std::find(keys.begin(), keys.end(), item.key()) != keys.end()) continue;
    if (const std::string best = detail::did_you_mean(item.key(), keys); !best.empty())
      r.fail("/" + item.key(), fmt::format("unknown key; did you mean '{}'?", best));
    r.fail("/" + item.key(), fmt::format("unknown key; expected one of: {}", join(keys)));
  }
  if (!doc.contains("columns"))
    r.fail("/", "no \"columns\": which column holds created_utc, at least?");
  r.expect_object(doc["columns"], "/columns", "an object of field -> column name(s)");
  for (const auto &item : doc["columns"].items()) {
    const std::string p = detail::child_pointer("/columns", item.key());
    const std::size_t f = r.field(item.key(), p, false);
    // A column is a name, a list of names, or {"column": name(s), "unit": "seconds"}.
    const json *names = &item.value();
    std::string names_pointer = p;
    if (names->is_object()) {
      for (const auto &part : names->items())
        if (part.key() != "column" && part.key() != "unit")
          r.fail(detail::child_pointer(p, part.key()),
                 "unknown key; expected \"column\" or \"unit\"");
      if (!names->contains("column")) r.fail(p, "no \"column\": which column holds it?");
      if (names->contains("unit")) {
        const std::string up = detail::child_pointer(p, "unit");
        if (!is_duration(static_cast<ArrivalField>(f)))
          r.fail(up, fmt::format("{} is not a duration; only handle_minutes, wrap_minutes, "
                                 "total_handle_minutes, first_reply_minutes and "
                                 "resolution_minutes take a unit",
                                 item.key()));
        const std::string unit = r.text((*names)["unit"], up);
        const auto at = std::find(duration_unit_names.begin(), duration_unit_names.end(), unit);
        if (at == duration_unit_names.end())
          r.fail(up, fmt::format("'{}' is not a unit (minutes, seconds, hours)", unit));
        m.units[f] = static_cast<DurationUnit>(at - duration_unit_names.begin());
      }
      names_pointer = detail::child_pointer(p, "column");
      names = &(*names)["column"];
    }
    if (names->is_array()) {
      if (names->empty()) r.fail(names_pointer, "expected at least one column name, found []");
      for (std::size_t i = 0; i < names->size(); ++i)
        m.columns[f].push_back(r.text((*names)[i], fmt::format("{}/{}", names_pointer, i)));
    } else {
      m.columns[f].push_back(r.text(*names, names_pointer));
    }
  }
  if (m.columns[index_of(ArrivalField::created_utc)].empty())
    r.fail("/columns", "no column for created_utc, the creation time (it is required)");
  if (doc.contains("values")) {
    r.expect_object(doc["values"], "/values", "an object of field -> {export word: name}");
    for (const auto &item : doc["values"].items()) {
      const std::string p = detail::child_pointer("/values", item.key());
      const std::size_t f = r.field(item.key(), p, true);
      r.expect_object(item.value(), p, "an object of export word -> supportsim name");
      // Priorities, channels and segments have fixed names: check them now. Scenario names
      // (regions, products ...) are checked against the scenario when a row uses them.
      std::optional<NameTable> fixed;
      if (f == index_of(ArrivalField::priority))
        fixed = fixed_table("priority", models::priority_names);
      if (f == index_of(ArrivalField::channel))
        fixed = fixed_table("channel", models::channel_names);
      if (f == index_of(ArrivalField::segment))
        fixed = fixed_table("segment", models::segment_names);
      for (const auto &word : item.value().items()) {
        const std::string wp = detail::child_pointer(p, word.key());
        std::string name = r.text(word.value(), wp);
        if (fixed && !fixed->find(name))
          r.fail(wp, fmt::format("'{}' is not a {} ({})", name, fixed->what, join(fixed->names)));
        m.values[f].emplace_back(word.key(), std::move(name));
      }
    }
  }
  if (doc.contains("tags")) {
    const json &tags = doc["tags"];
    r.expect_object(tags, "/tags", "an object {\"column\": ..., \"prefixes\": {...}}");
    for (const auto &item : tags.items())
      if (item.key() != "column" && item.key() != "prefixes")
        r.fail(detail::child_pointer("/tags", item.key()),
               "unknown key; expected \"column\" or \"prefixes\"");
    if (!tags.contains("column")) r.fail("/tags", "no \"column\": which column holds the tags?");
    m.tag_column = r.text(tags["column"], "/tags/column");
    if (!tags.contains("prefixes"))
      r.fail("/tags", "no \"prefixes\": which tags give which field (\"region\": \"region_\")?");
    r.expect_object(tags["prefixes"], "/tags/prefixes", "an object of field -> tag prefix");
    for (const auto &item : tags["prefixes"].items()) {
      const std::string p = detail::child_pointer("/tags/prefixes", item.key());
      m.tag_prefixes[r.field(item.key(), p, true)] = r.text(item.value(), p);
    }
  }
  if (doc.contains("outcomes")) {
    r.expect_object(doc["outcomes"], "/outcomes",
                    "an object of export word -> answered, abandoned or other");
    for (const auto &word : doc["outcomes"].items()) {
      const std::string wp = detail::child_pointer("/outcomes", word.key());
      const std::string name = r.text(word.value(), wp);
      const auto outcome = outcome_named(name);
      if (!outcome)
        r.fail(wp, fmt::format("'{}' is not an outcome (answered, abandoned, other)", name));
      m.outcomes.emplace_back(word.key(), *outcome);
    }
  }
  if (doc.contains("defaults")) {
    r.expect_object(doc["defaults"], "/defaults", "an object of field -> value");
    for (const auto &item : doc["defaults"].items()) {
      const std::string p = detail::child_pointer("/defaults", item.key());
      m.defaults[r.field(item.key(), p, true)] = r.text(item.value(), p);
    }
  }
  if (doc.contains("time_zone")) {
    m.time_zone = r.text(doc["time_zone"], "/time_zone");
    try {
      sim::find_zone(m.time_zone);
    } catch (const std::invalid_argument &e) {
      r.fail("/time_zone", e.what());
    }
  }
  return m;
}

ArrivalsMapping load_arrivals_mapping(const std::string &path) {
  return parse_arrivals_mapping(read_input_file(path, "a mapping file (JSON)"), path);
}

// --- The reader --------------------------------------------------------------------------------

class ArrivalsReader::Impl {
public:
  Impl(const std::string &path, const models::OrganisationConfig &org,
       const ArrivalsMapping &mapping, const ArrivalsOptions &options)
      : csv_(path), options_(options) {
    build_tables(org, mapping);
    const std::string &zone_name =
        options.time_zone.empty() ? mapping.time_zone : options.time_zone;
    if (!zone_name.empty()) {
      try {
        zone_ = sim::find_zone(zone_name);
      } catch (const std::invalid_argument &e) {
        throw ArrivalsError(path, 0, e.what());
      }
    }
    if (const std::string problem = date_format_problem(options.date_format);
        !options.date_format.empty() && !problem.empty())
      throw ArrivalsError(path, 0,
                          fmt::format("date format '{}': {}", options.date_format, problem));
    read_header(mapping);
    if (options_.sort) load_sorted();
  }

  bool next(ReplayedCase &out) {
    if (options_.sort) {
      if (sorted_at_ == order_.size()) return false;
      const Sorted &s = sorted_[order_[sorted_at_++]];
      out = s.c;
      if (s.history != no_history) {
        history_ = histories_[s.history];
      } else {
        history_ = HistoryRecord{};
        history_.line = s.line;
        history_.created = s.c.created;
      }
      case_id_.assign(sorted_ids_, s.id_begin, s.id_size);
      ++cases_read_;
      return true;
    }
    while (read_row(out)) {
      if (out.created < previous_) {
        if (bad(fmt::format("{} {} is before the row above it (line {}, {}); the rows must be "
                            "in time order (or sorted on reading, which loads the file)",
                            header_[index_of(ArrivalField::created_utc)], utc_text(out.created),
                            previous_line_, utc_text(previous_))))
          continue;
      }
      previous_ = out.created;
      previous_line_ = csv_.row_line();
      ++cases_read_;
      note_returned(history_);
      return true;
    }
    return false;
  }

  std::string_view case_id() const { return case_id_; }
  const HistoryRecord &history() const { return history_; }
  bool has_outcomes() const { return has_outcomes_; }
  const UnreplayableRows &unreplayable_rows() const { return unreplayable_; }
  std::string unreplayable_warning() const {
    if (unreplayable_.count == 0) return {};
    std::string lines;
    for (std::size_t line : unreplayable_.first_lines)
      lines += fmt::format("{}{}", lines.empty() ? "" : ", ", line);
    const bool more = unreplayable_.count > unreplayable_.first_lines.size();
    return fmt::format("{}: {} row{} with nothing to replay (neither answered nor abandoned), "
                       "simulated without an outcome: line{} {}{}",
                       csv_.path(), unreplayable_.count, unreplayable_.count == 1 ? "" : "s",
                       unreplayable_.first_lines.size() == 1 ? "" : "s", lines, more ? " ..." : "");
  }
  std::size_t cases_read() const { return cases_read_; }
  std::size_t bad_rows() const { return bad_rows_; }
  const std::vector<std::string> &bad_row_messages() const { return messages_; }

  /// The rows of a sorting reader, each handed out in turn without a copy of the file (so
  /// replications running at once hold it once).
  class SortedReplay final : public models::CaseReplay {
  public:
    explicit SortedReplay(const Impl &rows) : rows_(rows) {}
    bool next(ReplayedCase &out) override {
      if (at_ == rows_.order_.size()) return false;
      out = rows_.sorted_[rows_.order_[at_++]].c;
      return true;
    }

  private:
    const Impl &rows_;
    std::size_t at_ = 0;
  };

  std::unique_ptr<models::CaseReplay> sorted_replay() const {
    if (!options_.sort) throw std::logic_error("sorted_replay() of a reader that does not sort");
    return std::make_unique<SortedReplay>(*this);
  }

private:
  /// A row of a sorting reader: its case, where its case number is in sorted_ids_, and its
  /// history record, kept apart only when the file has history columns (a record is twice the
  /// size of the case).
  struct Sorted {
    ReplayedCase c;
    std::size_t line;
    std::size_t id_begin;
    std::uint32_t id_size;
    std::uint32_t history; ///< in histories_, or no_history
  };
  static constexpr std::uint32_t no_history = ~0u;

  void build_tables(const models::OrganisationConfig &org, const ArrivalsMapping &mapping) {
    auto scenario_table = [](std::string what, std::vector<std::string> names, bool locale) {
      return NameTable{std::move(what), true, locale, std::move(names)};
    };
    std::vector<std::string> regions;
    for (const auto &r : org.regions)
      regions.push_back(r.name);
    std::vector<std::string> accounts;
    for (const auto &g : org.agent_groups)
      accounts.insert(accounts.end(), g.accounts.begin(), g.accounts.end());
    tables_[index_of(ArrivalField::region)] = scenario_table("region", regions, false);
    tables_[index_of(ArrivalField::priority)] = fixed_table("priority", models::priority_names);
    tables_[index_of(ArrivalField::channel)] = fixed_table("channel", models::channel_names);
    tables_[index_of(ArrivalField::segment)] = fixed_table("segment", models::segment_names);
    tables_[index_of(ArrivalField::product)] = scenario_table("product", org.products, false);
    tables_[index_of(ArrivalField::language)] = scenario_table("language", org.languages, true);
    tables_[index_of(ArrivalField::account)] = scenario_table("TAM account", accounts, false);
    for (std::size_t f = 0; f < arrival_field_count; ++f)
      values_[f].words = mapping.values[f];
    for (std::size_t f = 0; f < arrival_field_count; ++f)
      if (!mapping.tag_prefixes[f].empty()) tag_fields_.emplace_back(f, mapping.tag_prefixes[f]);
    units_ = mapping.units;
    outcomes_ = mapping.outcomes;
    for (ArrivalField f : named_fields) {
      const std::string &v = mapping.defaults[index_of(f)];
      if (v.empty()) continue;
      const auto index =
          resolve(f, v, fmt::format("default {}", arrival_field_names[index_of(f)]), {});
      if (!index) throw ArrivalsError(mapping.source, 0, problem_);
      default_indices_.emplace_back(index_of(f), *index);
    }
  }

  void read_header(const ArrivalsMapping &mapping) {
    const auto status = csv_.next(fields_);
    if (status == CsvSource::Status::end)
      throw ArrivalsError(csv_.path(), 1, "the file is empty; expected a header row");
    if (status == CsvSource::Status::unterminated)
      throw ArrivalsError(csv_.path(), csv_.row_line(),
                          "a quoted field is not closed before the end of the file");
    header_line_ = csv_.row_line();
    header_size_ = fields_.size();
    std::vector<std::string> found;
    for (std::string_view f : fields_)
      found.emplace_back(trim(f));
    auto locate = [&](const std::string &name) -> std::optional<std::size_t> {
      for (std::size_t i = 0; i < found.size(); ++i)
        if (iequals(found[i], trim(name))) return i;
      return std::nullopt;
    };
    for (std::size_t f = 0; f < arrival_field_count; ++f)
      for (const std::string &name : mapping.columns[f])
        if (const auto at = locate(name)) {
          column_[f] = static_cast<int>(*at);
          header_[f] = found[*at];
          break;
        }
    if (!mapping.tag_column.empty())
      if (const auto at = locate(mapping.tag_column)) tag_column_ = static_cast<int>(*at);
    for (std::size_t f = index_of(ArrivalField::queued_utc); f < arrival_field_count; ++f)
      has_history_ = has_history_ || column_[f] >= 0;
    for (ArrivalField f : {ArrivalField::answered_utc, ArrivalField::abandoned_utc,
                           ArrivalField::outcome, ArrivalField::first_reply_minutes})
      has_outcomes_ = has_outcomes_ || column_[index_of(f)] >= 0;
    const auto &created = mapping.columns[index_of(ArrivalField::created_utc)];
    if (column_[index_of(ArrivalField::created_utc)] < 0) {
      std::vector<std::string> quoted;
      for (const std::string &c : created)
        quoted.push_back(fmt::format("'{}'", c));
      // The columns may be another preset's: say which, rather than leave the user to guess.
      std::string hint;
      for (const ArrivalsFormat format : arrivals_formats_fitting(found)) {
        static constexpr std::string_view what[] = {"supportsim's native", "a Salesforce",
                                                    "a Zendesk", "an ACD call-detail"};
        const auto k = static_cast<std::size_t>(format);
        hint += fmt::format("{}these columns look like {} export: use --arrivals-format {}",
                            hint.empty() ? "; " : "; or ", what[k], arrivals_format_names[k]);
      }
      throw ArrivalsError(
          csv_.path(), header_line_,
          fmt::format("no column for the creation time ({}{}, {} format); the columns are: {}{}",
                      quoted.size() > 1 ? "one of " : "", join(quoted), mapping.source,
                      join(found, 40), hint));
    }
  }

  /// Handles a bad row: throws, or counts it and returns true (skip it) with skip_bad_rows.
  bool bad(const std::string &problem) {
    if (!options_.skip_bad_rows) throw ArrivalsError(csv_.path(), csv_.row_line(), problem);
    ++bad_rows_;
    if (messages_.size() < bad_row_message_limit)
      messages_.push_back(fmt::format("{}:{}: {}", csv_.path(), csv_.row_line(), problem));
    return true;
  }

  /// The next good row, times not yet checked for order; false at the end of the file.
  bool read_row(ReplayedCase &out) {
    for (;;) {
      const auto status = csv_.next(fields_);
      if (status == CsvSource::Status::end) return false;
      if (status == CsvSource::Status::unterminated) {
        bad("a quoted field is not closed before the end of the file");
        return false;
      }
      if (fields_.size() != header_size_) {
        bad(fmt::format("{} fields, but the header (line {}) has {}", fields_.size(), header_line_,
                        header_size_));
        continue;
      }
      if (parse(out)) return true;
      bad(problem_);
    }
  }

  std::string_view field(ArrivalField f) const {
    const int c = column_[index_of(f)];
    return c < 0 ? std::string_view{} : trim(fields_[static_cast<std::size_t>(c)]);
  }

  /// Fills `out` from fields_; false with problem_ set for a bad row.
  bool parse(ReplayedCase &out) {
    out = ReplayedCase{};
    history_.line = csv_.row_line();
    if (has_history_) {
      // Keeps the strings' buffers: no allocation per row once they are long enough.
      std::string agent = std::move(history_.agent), group = std::move(history_.group);
      history_ = HistoryRecord{};
      history_.line = csv_.row_line();
      history_.agent = std::move(agent);
      history_.group = std::move(group);
      history_.agent.clear();
      history_.group.clear();
    }
    const std::string_view created = field(ArrivalField::created_utc);
    const std::string &created_name = header_[index_of(ArrivalField::created_utc)];
    if (created.empty())
      return fail(fmt::format("{} is empty: every case needs its creation time", created_name));
    if (!parse_time(created, created_name, out.created)) return false;
    if (column_[index_of(ArrivalField::case_id)] >= 0)
      case_id_.assign(field(ArrivalField::case_id));
    for (ArrivalField f : named_fields) {
      const std::string_view v = field(f);
      if (v.empty()) continue;
      const auto index = resolve(f, v, header_[index_of(f)], {});
      if (!index) return false;
      set(out, f, *index);
    }
    if (tag_column_ >= 0 && !tag_fields_.empty()) {
      std::string_view tags = trim(fields_[static_cast<std::size_t>(tag_column_)]);
      while (!tags.empty()) {
        const std::size_t cut = tags.find_first_of(" ,\t\n\r");
        const std::string_view tag = tags.substr(0, cut);
        tags = cut == std::string_view::npos ? std::string_view{} : tags.substr(cut + 1);
        if (tag.empty()) continue;
        for (const auto &[f, prefix] : tag_fields_) {
          if (tag.size() <= prefix.size() || !iequals(tag.substr(0, prefix.size()), prefix))
            continue;
          const auto field_id = static_cast<ArrivalField>(f);
          if (has(out, field_id)) break; // its column, or an earlier tag, gave it
          const std::string_view v = tag.substr(prefix.size());
          const auto index = resolve(field_id, v, {}, tag);
          if (!index) return false;
          set(out, field_id, *index);
          break;
        }
      }
    }
    if (const std::string_view v = field(ArrivalField::seed); !v.empty()) {
      std::uint64_t seed = 0;
      const auto [end, error] = std::from_chars(v.data(), v.data() + v.size(), seed);
      if (error != std::errc{} || end != v.data() + v.size())
        return fail(fmt::format("{} '{}' is not a whole number from 0 to {}",
                                header_[index_of(ArrivalField::seed)], v,
                                std::numeric_limits<std::uint64_t>::max()));
      out.seed = seed;
    }
    for (const auto &[f, index] : default_indices_)
      if (!has(out, static_cast<ArrivalField>(f))) set(out, static_cast<ArrivalField>(f), index);
    history_.created = out.created;
    if (has_history_) return parse_history(out);
    return true;
  }

  bool fail(std::string problem) {
    problem_ = std::move(problem);
    return false;
  }

  /// An ISO 8601 time of the column `name` to UTC; false with problem_ set.
  bool parse_time(std::string_view v, const std::string &name, sim::UtcTime &out) {
    Timestamp ts;
    if (!options_.date_format.empty()) {
      switch (parse_formatted_timestamp(v, options_.date_format, ts)) {
      case TimeProblem::none:
        break;
      case TimeProblem::not_a_date:
        return fail(fmt::format("{} '{}' is not a date", name, v));
      default:
        return fail(fmt::format("{} '{}' does not match the date format '{}'", name, v,
                                options_.date_format));
      }
    } else {
      switch (parse_timestamp(v, ts)) {
      case TimeProblem::none:
        break;
      case TimeProblem::day_month_order:
        return fail(
            fmt::format("{} '{}' could be day/month or month/day: give the date format, e.g. "
                        "--date-format '%m/%d/%Y %H:%M' (US) or '%d/%m/%Y %H:%M'",
                        name, v));
      case TimeProblem::not_a_date:
        return fail(fmt::format("{} '{}' is not a date", name, v));
      case TimeProblem::no_time:
        return fail(fmt::format("{} '{}' has no time of day (e.g. 2027-01-04T09:15:00Z)", name, v));
      case TimeProblem::not_iso:
        return fail(fmt::format("{} '{}' is not an ISO 8601 date and time (e.g. "
                                "2027-01-04T09:15:00Z or 2027-01-04T10:15:00+01:00) nor a US one "
                                "(10/5/2025 9:12 AM); for another form give the date format "
                                "(--date-format, e.g. '%d.%m.%Y %H:%M')",
                                name, v));
      }
    }
    if (ts.offset) {
      out = sim::UtcTime(ts.local.time_since_epoch() - *ts.offset);
    } else if (zone_) {
      out = local_to_utc(ts.local);
    } else {
      return fail(fmt::format("{} '{}' has no UTC offset and no time zone was given for the "
                              "file (write Z or +01:00 after the time, or give a time zone)",
                              name, v));
    }
    return true;
  }

  const std::string &name_of_field(ArrivalField f) const { return header_[index_of(f)]; }

  /// The time of history field `f` into `t` (unchanged when empty); false for a bad value.
  bool history_time(ArrivalField f, std::optional<sim::UtcTime> &t) {
    const std::string_view v = field(f);
    if (v.empty()) return true;
    sim::UtcTime u;
    if (!parse_time(v, name_of_field(f), u)) return false;
    t = u;
    return true;
  }

  /// A duration in minutes: a decimal number in the column's unit, or h:mm:ss / mm:ss.
  bool history_duration(ArrivalField f, std::optional<double> &minutes) {
    const std::string_view v = field(f);
    if (v.empty()) return true;
    const std::string &name = name_of_field(f);
    const DurationUnit unit = units_[index_of(f)];
    double value = 0;
    if (v.find(':') != std::string_view::npos) {
      // h:mm:ss or mm:ss, each part a whole number, minutes and seconds below 60
      std::array<double, 3> parts{};
      std::size_t n = 0;
      std::string_view rest = v;
      bool ok = true;
      while (ok) {
        const std::size_t cut = rest.find(':');
        const std::string_view part = rest.substr(0, cut);
        unsigned x = 0;
        const auto [end, error] = std::from_chars(part.data(), part.data() + part.size(), x);
        ok = !part.empty() && error == std::errc{} && end == part.data() + part.size() && n < 3;
        if (ok) parts[n++] = x;
        if (cut == std::string_view::npos) break;
        rest = rest.substr(cut + 1);
      }
      if (!ok || n < 2 || parts[n - 1] >= 60 || (n == 3 && parts[1] >= 60))
        return fail(fmt::format("{} '{}' is not a duration (a number of {}, or h:mm:ss)", name, v,
                                duration_unit_names[static_cast<std::size_t>(unit)]));
      value = n == 3 ? parts[0] * 60 + parts[1] + parts[2] / 60 : parts[0] + parts[1] / 60;
      return checked_duration(name, v, value, minutes);
    }
    const auto [end, error] = std::from_chars(v.data(), v.data() + v.size(), value);
    if (error != std::errc{} || end != v.data() + v.size() || !std::isfinite(value))
      return fail(fmt::format("{} '{}' is not a duration (a number of {}, or h:mm:ss)", name, v,
                              duration_unit_names[static_cast<std::size_t>(unit)]));
    if (value < 0)
      return fail(fmt::format("{} '{}' is negative: a duration is 0 or more", name, v));
    switch (unit) {
    case DurationUnit::minutes:
      break;
    case DurationUnit::seconds:
      value /= 60;
      break;
    case DurationUnit::hours:
      value *= 60;
      break;
    }
    return checked_duration(name, v, value, minutes);
  }

  /// Ten years: longer is a mistake (a time stamp read as a duration, a unit off by 60), and
  /// would overflow the clock when added to a time.
  static constexpr double longest_duration_minutes = 10 * 365.25 * 24 * 60;

  bool checked_duration(const std::string &name, std::string_view v, double value,
                        std::optional<double> &minutes) {
    if (value > longest_duration_minutes)
      return fail(fmt::format("{} '{}' is more than ten years: is its unit right?", name, v));
    minutes = value;
    return true;
  }

  /// yes/no, true/false, y/n, 1/0, or a count (> 0 is yes: Zendesk's "Reopens").
  bool history_flag(ArrivalField f, std::optional<bool> &flag) {
    const std::string_view v = field(f);
    if (v.empty()) return true;
    for (std::string_view yes : {"yes", "true", "y", "t"})
      if (iequals(v, yes)) {
        flag = true;
        return true;
      }
    for (std::string_view no : {"no", "false", "n", "f"})
      if (iequals(v, no)) {
        flag = false;
        return true;
      }
    unsigned count = 0;
    const auto [end, error] = std::from_chars(v.data(), v.data() + v.size(), count);
    if (error == std::errc{} && end == v.data() + v.size()) {
      flag = count > 0;
      return true;
    }
    return fail(fmt::format("{} '{}' is not yes or no (yes/no, true/false, 1/0, or a count)",
                            name_of_field(f), v));
  }

  /// Reads the history columns of the current row into history_ and `out`; false with
  /// problem_ set for a bad value or a row that contradicts itself.
  bool parse_history(ReplayedCase &out) {
    HistoryRecord &h = history_;
    using F = ArrivalField;
    if (!history_time(F::queued_utc, h.queued) || !history_time(F::answered_utc, h.answered) ||
        !history_time(F::abandoned_utc, h.abandoned) || !history_time(F::ended_utc, h.ended) ||
        !history_time(F::resolved_utc, h.resolved) ||
        !history_duration(F::handle_minutes, h.handle_minutes) ||
        !history_duration(F::wrap_minutes, h.wrap_minutes) ||
        !history_duration(F::total_handle_minutes, h.total_handle_minutes) ||
        !history_flag(F::escalated, h.escalated) || !history_flag(F::reopened, h.reopened))
      return false;
    const auto after_created = [&](F f, std::optional<sim::UtcTime> &t) {
      std::optional<double> minutes;
      if (!history_duration(f, minutes)) return false;
      if (minutes && !t) t = h.created + std::chrono::microseconds(std::llround(*minutes * 60e6));
      return true;
    };
    if (!after_created(F::first_reply_minutes, h.answered) ||
        !after_created(F::resolution_minutes, h.resolved))
      return false;
    if (const std::string_view v = field(F::touches); !v.empty()) {
      unsigned touches = 0;
      const auto [end, error] = std::from_chars(v.data(), v.data() + v.size(), touches);
      if (error != std::errc{} || end != v.data() + v.size() || touches < 1 || touches > 65535)
        return fail(fmt::format("{} '{}' is not a number of touches (a whole number, at least 1)",
                                name_of_field(F::touches), v));
      h.touches = static_cast<std::uint16_t>(touches);
    }
    h.agent.assign(field(F::agent));
    h.group.assign(field(F::group));

    // What the outcome column says, if the file has one; "other" leaves it to the times.
    const std::string_view said = field(F::outcome);
    std::optional<CaseOutcome> outcome;
    if (!said.empty()) {
      for (const auto &[word, o] : outcomes_)
        if (iequals(word, said)) {
          outcome = o;
          break;
        }
      if (!outcome) outcome = outcome_named(said);
      if (!outcome) {
        // The export's words first; the built-in ones when the export has no word like them
        // (two candidates alike but for case would make the suggestion ambiguous).
        std::vector<std::string> words;
        for (const auto &w : outcomes_)
          words.push_back(w.first);
        for (std::string_view builtin : {"answered", "abandoned", "other"})
          if (std::none_of(words.begin(), words.end(),
                           [&](const std::string &w) { return iequals(w, builtin); }))
            words.emplace_back(builtin);
        const std::string best = detail::did_you_mean(said, words);
        return fail(best.empty() ? fmt::format("{} '{}' is not an outcome ({})",
                                               name_of_field(F::outcome), said, join(words))
                                 : fmt::format("{} '{}' is not an outcome; did you mean '{}'?",
                                               name_of_field(F::outcome), said, best));
      }
    }
    const auto said_text = [&] { return fmt::format("{} '{}'", name_of_field(F::outcome), said); };
    const auto at = [&](F f, sim::UtcTime t) {
      return fmt::format("{} {}", name_of_field(f), utc_text(t));
    };
    // The first reply of a Zendesk ticket has no column of its own: name the minutes.
    const F answered_field =
        column_[index_of(F::answered_utc)] >= 0 && !field(F::answered_utc).empty()
            ? F::answered_utc
            : F::first_reply_minutes;
    if (outcome == CaseOutcome::answered && !h.answered)
      return fail(fmt::format("{} says answered, but {} is empty", said_text(),
                              column_[index_of(F::answered_utc)] >= 0
                                  ? name_of_field(F::answered_utc)
                                  : std::string("there is no answer time column")));
    if (outcome == CaseOutcome::abandoned) {
      if (h.answered)
        return fail(fmt::format("{} says abandoned, but {} is given: a case is either answered "
                                "or abandoned",
                                said_text(), at(answered_field, *h.answered)));
      if (!h.abandoned) h.abandoned = h.ended;
      if (!h.abandoned)
        return fail(fmt::format("{} says abandoned, but there is no time it was abandoned "
                                "(abandoned_utc or ended_utc)",
                                said_text()));
    }
    if (h.answered && h.abandoned)
      return fail(fmt::format("{} and {} are both given: a case is either answered or abandoned",
                              at(answered_field, *h.answered), at(F::abandoned_utc, *h.abandoned)));
    const std::string &created_name = name_of_field(F::created_utc);
    if (h.queued && *h.queued < h.created)
      return fail(fmt::format("{} is before {} {}", at(F::queued_utc, *h.queued), created_name,
                              utc_text(h.created)));
    const auto queue_entry = [&] {
      return h.queued ? at(F::queued_utc, *h.queued)
                      : fmt::format("{} {}", created_name, utc_text(h.created));
    };
    if (h.answered && *h.answered < h.queued_or_created())
      return fail(fmt::format("{} is before {}", at(answered_field, *h.answered), queue_entry()));
    if (h.abandoned && *h.abandoned < h.queued_or_created()) {
      const F abandoned_field = !field(F::abandoned_utc).empty() ? F::abandoned_utc : F::ended_utc;
      return fail(fmt::format("{} is before {}", at(abandoned_field, *h.abandoned), queue_entry()));
    }
    if (h.resolved && *h.resolved < h.created) {
      const F resolved_field =
          !field(F::resolved_utc).empty() ? F::resolved_utc : F::resolution_minutes;
      return fail(fmt::format("{} is before {} {}", at(resolved_field, *h.resolved), created_name,
                              utc_text(h.created)));
    }
    if (h.answered && h.ended && !h.handle_minutes) {
      if (*h.ended < *h.answered)
        return fail(fmt::format("{} is before {}", at(F::ended_utc, *h.ended),
                                at(answered_field, *h.answered)));
      h.handle_minutes =
          std::chrono::duration<double, std::ratio<60>>(*h.ended - *h.answered).count();
      h.handle_derived = true;
    }
    h.outcome = h.answered    ? CaseOutcome::answered
                : h.abandoned ? CaseOutcome::abandoned
                              : CaseOutcome::none;
    out.queued = h.queued;
    out.handle_minutes = h.handle_minutes;
    out.wrap_minutes = h.wrap_minutes;
    out.touches = h.touches;
    out.total_handle_minutes = h.total_handle_minutes;
    return true;
  }

  /// Counts a returned row with nothing to replay.
  void note_returned(const HistoryRecord &h) {
    if (!has_outcomes_ || h.outcome != CaseOutcome::none) return;
    ++unreplayable_.count;
    if (unreplayable_.first_lines.size() < UnreplayableRows::line_limit)
      unreplayable_.first_lines.push_back(h.line);
  }

  sim::UtcTime local_to_utc(sim::LocalTime local) const {
    // Clock's rule for ambiguous and missing local times: the first instant of two, the end
    // of a gap. Its epoch is irrelevant here: 0 gives UTC back directly.
    const sim::Clock clock{sim::UtcTime{}};
    return clock.to_utc(clock.from_local(zone_, local));
  }

  /// The index `v` names, read from the column `column` or from the tag `tag`; none with
  /// problem_ set when it names nothing (the message is only built then: this is per field).
  std::optional<std::size_t> resolve(ArrivalField f, std::string_view v, std::string_view column,
                                     std::string_view tag) {
    const NameTable &table = tables_[index_of(f)];
    const ValueMap &words = values_[index_of(f)];
    std::string_view name = v;
    const std::string *mapped = words.find(v);
    if (mapped) name = *mapped;
    if (const auto index = table.find(name)) return index;
    const std::string head =
        tag.empty() ? fmt::format("{} '{}'", column, v) : fmt::format("tag '{}': '{}'", tag, v);
    std::vector<std::string> candidates = table.names;
    for (const auto &w : words.words)
      candidates.push_back(w.first);
    const std::string where = table.of_scenario ? " of the scenario" : "";
    const std::string via = mapped ? fmt::format(" (read as '{}')", *mapped) : "";
    if (!mapped)
      if (const std::string best = detail::did_you_mean(v, candidates); !best.empty()) {
        fail(fmt::format("{} is not a {}{}; did you mean '{}'?", head, table.what, where, best));
        return std::nullopt;
      }
    if (table.names.empty()) {
      fail(fmt::format("{}{} is not a {}{}: it has none", head, via, table.what, where));
      return std::nullopt;
    }
    fail(fmt::format("{}{} is not a {}{} ({})", head, via, table.what, where, join(candidates)));
    return std::nullopt;
  }

  static bool has(const ReplayedCase &c, ArrivalField f) {
    switch (f) {
    case ArrivalField::region:
      return c.region.has_value();
    case ArrivalField::priority:
      return c.priority.has_value();
    case ArrivalField::channel:
      return c.channel.has_value();
    case ArrivalField::segment:
      return c.segment.has_value();
    case ArrivalField::product:
      return c.product.has_value();
    case ArrivalField::language:
      return c.language.has_value();
    case ArrivalField::account:
      return c.account.has_value();
    default:
      return false;
    }
  }

  static void set(ReplayedCase &c, ArrivalField f, std::size_t index) {
    switch (f) {
    case ArrivalField::region:
      c.region = static_cast<std::uint8_t>(index);
      break;
    case ArrivalField::priority:
      c.priority = static_cast<models::Priority>(index);
      break;
    case ArrivalField::channel:
      c.channel = static_cast<models::Channel>(index);
      break;
    case ArrivalField::segment:
      c.segment = static_cast<models::Segment>(index);
      break;
    case ArrivalField::product:
      c.product = static_cast<std::uint8_t>(index);
      break;
    case ArrivalField::language:
      c.language = static_cast<std::uint8_t>(index);
      break;
    case ArrivalField::account:
      c.account = static_cast<std::uint16_t>(index);
      break;
    default:
      break;
    }
  }

  void load_sorted() {
    ReplayedCase c;
    while (read_row(c)) {
      note_returned(history_);
      if (sorted_.size() == no_history)
        throw ArrivalsError(csv_.path(), csv_.row_line(),
                            "more rows than --sort can hold (4,294,967,295); sort the file "
                            "before replaying it");
      std::uint32_t history = no_history;
      if (has_history_) {
        history = static_cast<std::uint32_t>(histories_.size());
        histories_.push_back(history_);
      }
      sorted_.push_back({c, history_.line, sorted_ids_.size(),
                         static_cast<std::uint32_t>(case_id_.size()), history});
      sorted_ids_ += case_id_;
    }
    // The rows stay where they were read; their order is sorted instead (16-byte keys, not the
    // rows), the row's index breaking ties so that rows created at the same instant keep the
    // file's order.
    std::vector<std::pair<sim::UtcTime, std::uint32_t>> keys;
    keys.reserve(sorted_.size());
    for (std::uint32_t i = 0; i < sorted_.size(); ++i)
      keys.emplace_back(sorted_[i].c.created, i);
    std::sort(keys.begin(), keys.end());
    order_.reserve(keys.size());
    for (const auto &key : keys)
      order_.push_back(key.second);
    case_id_.clear();
  }

  CsvSource csv_;
  ArrivalsOptions options_;
  const date::time_zone *zone_ = nullptr;
  std::array<NameTable, arrival_field_count> tables_;
  std::array<ValueMap, arrival_field_count> values_;
  std::vector<std::pair<std::size_t, std::string>> tag_fields_;
  std::array<int, arrival_field_count> column_ = [] {
    std::array<int, arrival_field_count> a;
    a.fill(-1);
    return a;
  }();
  std::array<std::string, arrival_field_count> header_;
  int tag_column_ = -1;
  std::size_t header_line_ = 1, header_size_ = 0;
  std::array<DurationUnit, arrival_field_count> units_{};
  std::vector<std::pair<std::string, CaseOutcome>> outcomes_;
  std::vector<std::pair<std::size_t, std::size_t>> default_indices_; ///< field, value index
  bool has_history_ = false, has_outcomes_ = false;
  HistoryRecord history_;
  UnreplayableRows unreplayable_;

  std::vector<std::string_view> fields_;
  std::string case_id_;
  std::string problem_;
  sim::UtcTime previous_ = sim::UtcTime::min();
  std::size_t previous_line_ = 0;
  std::size_t cases_read_ = 0, bad_rows_ = 0;
  std::vector<std::string> messages_;

  std::vector<Sorted> sorted_; ///< in the file's order
  std::vector<HistoryRecord> histories_;
  std::vector<std::uint32_t> order_; ///< sorted_ in creation order
  std::string sorted_ids_;
  std::size_t sorted_at_ = 0;
};

ArrivalsReader::ArrivalsReader(const std::string &path,
                               const models::OrganisationConfig &organisation,
                               const ArrivalsMapping &mapping, const ArrivalsOptions &options)
    : impl_(std::make_unique<Impl>(path, organisation, mapping, options)) {}
ArrivalsReader::~ArrivalsReader() = default;
ArrivalsReader::ArrivalsReader(ArrivalsReader &&) noexcept = default;
ArrivalsReader &ArrivalsReader::operator=(ArrivalsReader &&) noexcept = default;

bool ArrivalsReader::next(models::ReplayedCase &out) {
  return impl_->next(out);
}
std::unique_ptr<models::CaseReplay> ArrivalsReader::sorted_replay() const {
  return impl_->sorted_replay();
}
std::string_view ArrivalsReader::case_id() const {
  return impl_->case_id();
}
const HistoryRecord &ArrivalsReader::history() const {
  return impl_->history();
}
bool ArrivalsReader::has_outcomes() const {
  return impl_->has_outcomes();
}
const UnreplayableRows &ArrivalsReader::unreplayable_rows() const {
  return impl_->unreplayable_rows();
}
std::string ArrivalsReader::unreplayable_warning() const {
  return impl_->unreplayable_warning();
}
std::size_t ArrivalsReader::cases_read() const {
  return impl_->cases_read();
}
std::size_t ArrivalsReader::bad_rows() const {
  return impl_->bad_rows();
}
const std::vector<std::string> &ArrivalsReader::bad_row_messages() const {
  return impl_->bad_row_messages();
}

// --- The writer --------------------------------------------------------------------------------

namespace {

/// A name as a CSV field: quoted (quotes doubled) when it holds a comma, a quote or a line break.
void append_field(std::string &row, std::string_view v) {
  if (v.find_first_of(",\"\r\n") == std::string_view::npos) {
    row += v;
    return;
  }
  row += '"';
  for (char c : v) {
    if (c == '"') row += '"';
    row += c;
  }
  row += '"';
}

} // namespace

void write_native_header(std::ostream &out) {
  out << "case_id,created_utc,region,priority,channel,segment,product,language,account,seed\n";
}

void write_native_row(std::ostream &out, const NativeArrival &a) {
  // One buffer per thread, reused: synth writes millions of rows.
  thread_local std::string row;
  row.clear();
  append_field(row, a.case_id);
  row += ',';
  char time[32];
  row.append(time, format_utc(time, a.created, true));
  row += ',';
  append_field(row, a.region);
  row += ',';
  row += models::name_of(a.priority);
  row += ',';
  row += models::channel_names[models::index_of(a.channel)];
  row += ',';
  row += models::segment_names[models::index_of(a.segment)];
  row += ',';
  append_field(row, a.product);
  row += ',';
  append_field(row, a.language);
  row += ',';
  append_field(row, a.account);
  row += ',';
  char seed[24];
  const auto [end, error] = std::to_chars(seed, seed + sizeof seed, a.seed);
  (void)error; // 20 digits at most: it always fits
  row.append(seed, end);
  row += '\n';
  out.write(row.data(), static_cast<std::streamsize>(row.size()));
}

} // namespace supportsim::scenarios
