#include "scenarios/arrivals.hpp"

#include "scenarios/schema_validation.hpp"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <chrono>
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

ArrivalsError::ArrivalsError(std::string file, std::size_t line, std::string problem)
    : InputError(line == 0 ? fmt::format("{}: {}", file, problem)
                           : fmt::format("{}:{}: {}", file, line, problem)),
      file_(std::move(file)), line_(line), problem_(std::move(problem)) {}

std::optional<ArrivalsFormat> arrivals_format_named(std::string_view name) {
  for (std::size_t i = 0; i < arrivals_format_names.size(); ++i)
    if (arrivals_format_names[i] == name) return static_cast<ArrivalsFormat>(i);
  return std::nullopt;
}

namespace {

using models::ReplayedCase;

// --- Text helpers ------------------------------------------------------------------------------

constexpr char lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (lower(a[i]) != lower(b[i])) return false;
  return true;
}

/// Names compare loosely too: ignoring case, with '_', '-' and ' ' alike, so that the tag
/// "product_zero_trust" names the product "Zero Trust".
constexpr char loose(char c) {
  return (c == ' ' || c == '-') ? '_' : lower(c);
}

bool loose_equals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (loose(a[i]) != loose(b[i])) return false;
  return true;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
    s.remove_suffix(1);
  return s;
}

std::string join(const std::vector<std::string> &names, std::size_t limit = 12) {
  std::string out;
  for (std::size_t i = 0; i < names.size() && i < limit; ++i)
    out += fmt::format("{}{}", i == 0 ? "" : ", ", names[i]);
  if (names.size() > limit) out += fmt::format(" and {} more", names.size() - limit);
  return out;
}

// --- Times -------------------------------------------------------------------------------------

/// "2027-01-04T09:15:00Z", with ".123456" before the Z when `micro` or the instant has a
/// fraction. Written by hand: date::format costs more than the rest of a row.
std::size_t format_utc(char *out, sim::UtcTime t, bool micro) {
  using namespace std::chrono;
  const auto day = floor<days>(t);
  const date::year_month_day ymd{date::sys_days(day.time_since_epoch())};
  const std::int64_t us = (t - day).count();
  const auto put = [&](std::size_t at, std::int64_t value, int width) {
    for (int i = width - 1; i >= 0; --i, value /= 10)
      out[at + static_cast<std::size_t>(i)] = static_cast<char>('0' + value % 10);
  };
  put(0, static_cast<int>(ymd.year()), 4);
  out[4] = '-';
  put(5, static_cast<unsigned>(ymd.month()), 2);
  out[7] = '-';
  put(8, static_cast<unsigned>(ymd.day()), 2);
  out[10] = 'T';
  const std::int64_t seconds = us / 1'000'000;
  put(11, seconds / 3600, 2);
  out[13] = ':';
  put(14, seconds / 60 % 60, 2);
  out[16] = ':';
  put(17, seconds % 60, 2);
  std::size_t n = 19;
  if (micro || us % 1'000'000 != 0) {
    out[n++] = '.';
    put(n, us % 1'000'000, 6);
    n += 6;
  }
  out[n++] = 'Z';
  return n;
}

std::string utc_text(sim::UtcTime t) {
  char buffer[32];
  return std::string(buffer, format_utc(buffer, t, false));
}

/// A timestamp as written: the wall-clock reading, and its offset from UTC if it has one.
struct Timestamp {
  sim::LocalTime local;
  std::optional<std::chrono::minutes> offset;
};

enum class TimeProblem { none, not_iso, not_a_date, no_time };

bool digits(std::string_view s, std::size_t at, std::size_t width, int &value) {
  if (at + width > s.size()) return false;
  int v = 0;
  for (std::size_t i = at; i < at + width; ++i) {
    const char c = s[i];
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  value = v;
  return true;
}

/// ISO 8601: "2027-01-04T09:15[:00[.123456]]" (a space may stand for the T), then "Z", an
/// offset "+01:00" / "+0100" / "+01", or nothing (a naive local time). Fractions beyond
/// microseconds are truncated.
TimeProblem parse_timestamp(std::string_view s, Timestamp &out) {
  int y = 0, mo = 0, d = 0;
  if (s.size() < 10 || s[4] != '-' || s[7] != '-' || !digits(s, 0, 4, y) || !digits(s, 5, 2, mo) ||
      !digits(s, 8, 2, d))
    return TimeProblem::not_iso;
  const date::year_month_day ymd{date::year(y), date::month(static_cast<unsigned>(mo)),
                                 date::day(static_cast<unsigned>(d))};
  if (!ymd.ok()) return TimeProblem::not_a_date;
  if (s.size() == 10) return TimeProblem::no_time;
  if (s[10] != 'T' && s[10] != 't' && s[10] != ' ') return TimeProblem::not_iso;
  int h = 0, mi = 0, sec = 0;
  if (!digits(s, 11, 2, h) || s.size() < 16 || s[13] != ':' || !digits(s, 14, 2, mi))
    return TimeProblem::not_iso;
  std::size_t at = 16;
  if (at < s.size() && s[at] == ':') {
    if (!digits(s, at + 1, 2, sec)) return TimeProblem::not_iso;
    at += 3;
  }
  std::int64_t micros = 0;
  if (at < s.size() && (s[at] == '.' || s[at] == ',')) {
    ++at;
    const std::size_t first = at;
    std::int64_t scale = 100'000;
    while (at < s.size() && s[at] >= '0' && s[at] <= '9') {
      micros += (s[at] - '0') * scale;
      scale /= 10;
      ++at;
    }
    if (at == first || at - first > 9) return TimeProblem::not_iso;
  }
  if (h > 23 || mi > 59 || sec > 59) return TimeProblem::not_iso;
  out.offset.reset();
  if (at < s.size()) {
    if (s[at] == 'Z' || s[at] == 'z') {
      out.offset = std::chrono::minutes(0);
      ++at;
    } else if (s[at] == '+' || s[at] == '-') {
      const int sign = s[at] == '-' ? -1 : 1;
      int oh = 0, om = 0;
      if (!digits(s, at + 1, 2, oh)) return TimeProblem::not_iso;
      at += 3;
      if (at < s.size() && s[at] == ':') ++at;
      if (at < s.size()) {
        if (!digits(s, at, 2, om)) return TimeProblem::not_iso;
        at += 2;
      }
      if (oh > 18 || om > 59) return TimeProblem::not_iso;
      out.offset = std::chrono::minutes(sign * (oh * 60 + om));
    }
  }
  if (at != s.size()) return TimeProblem::not_iso;
  const auto day = date::sys_days(ymd).time_since_epoch();
  out.local = sim::LocalTime(std::chrono::duration_cast<std::chrono::microseconds>(day) +
                             std::chrono::hours(h) + std::chrono::minutes(mi) +
                             std::chrono::seconds(sec) + std::chrono::microseconds(micros));
  return TimeProblem::none;
}

// --- CSV ---------------------------------------------------------------------------------------

constexpr std::size_t initial_buffer = std::size_t{1} << 20;
constexpr std::size_t max_row_bytes = std::size_t{16} << 20;

/// RFC 4180 rows from a file, read through a buffer that holds at least one whole row: fields
/// are views into the buffer (quoted fields unescaped in place), valid until the next row.
class CsvSource {
public:
  enum class Status { row, end, unterminated };

  explicit CsvSource(const std::string &path) : path_(path), buffer_(initial_buffer) {
    file_ = std::fopen(path.c_str(), "rb");
    if (!file_)
      throw ArrivalsError(path, 0, fmt::format("cannot open the file: {}", std::strerror(errno)));
  }
  ~CsvSource() {
    if (file_) std::fclose(file_);
  }
  CsvSource(const CsvSource &) = delete;
  CsvSource &operator=(const CsvSource &) = delete;

  /// The next row that is not blank; fields valid until the next call.
  Status next(std::vector<std::string_view> &fields) {
    for (;;) {
      char *const base = buffer_.data();
      const char *const begin = base + pos_;
      const char *const limit = base + end_;
      // Fast path: no quote before the end of the line.
      const void *nl = std::memchr(begin, '\n', static_cast<std::size_t>(limit - begin));
      const char *row_end = nl ? static_cast<const char *>(nl) : limit;
      const bool has_quote =
          std::memchr(begin, '"', static_cast<std::size_t>(row_end - begin)) != nullptr;
      std::size_t quoted_lines = 0;
      bool open_quote = false;
      if (has_quote) {
        // Find the end of the row outside quotes; doubled quotes toggle twice.
        const char *p = begin;
        for (; p < limit; ++p) {
          if (*p == '"')
            open_quote = !open_quote;
          else if (*p == '\n') {
            if (!open_quote) break;
            ++quoted_lines;
          }
        }
        row_end = p;
        nl = p < limit ? p : nullptr;
      }
      if (!nl && !eof_) {
        refill();
        continue;
      }
      if (!nl && begin == limit) return Status::end;
      row_line_ = line_;
      line_ += 1 + quoted_lines;
      pos_ = static_cast<std::size_t>(row_end - base) + (nl ? 1 : 0);
      if (open_quote) return Status::unterminated; // only at the end of the file
      char *first = base + (begin - base);
      char *last = base + (row_end - base);
      if (last > first && last[-1] == '\r') --last;
      if (row_line_ == 1 && last - first >= 3 && std::memcmp(first, "\xEF\xBB\xBF", 3) == 0)
        first += 3;                // a UTF-8 byte-order mark
      if (first == last) continue; // a blank line
      split(first, last, has_quote, fields);
      return Status::row;
    }
  }

  /// The line the last row started on (1 for the header).
  std::size_t row_line() const { return row_line_; }
  const std::string &path() const { return path_; }

private:
  static void split(char *first, char *last, bool quoted, std::vector<std::string_view> &fields) {
    fields.clear();
    if (!quoted) {
      for (;;) {
        const void *comma = std::memchr(first, ',', static_cast<std::size_t>(last - first));
        if (!comma) {
          fields.emplace_back(first, static_cast<std::size_t>(last - first));
          return;
        }
        const char *c = static_cast<const char *>(comma);
        fields.emplace_back(first, static_cast<std::size_t>(c - first));
        first += (c - first) + 1;
      }
    }
    // Unescape in place: the write position never passes the read position.
    char *read = first;
    for (;;) {
      char *const start = read;
      char *write = read;
      while (read < last && (*read == ' ' || *read == '\t'))
        *write++ = *read++;
      if (read < last && *read == '"') {
        write = start; // blanks before an opening quote are not part of the value
        ++read;
        for (;;) {
          if (read >= last) break; // cannot happen: the row's quotes are balanced
          if (*read == '"') {
            if (read + 1 < last && read[1] == '"') {
              *write++ = '"';
              read += 2;
              continue;
            }
            ++read;
            break;
          }
          *write++ = *read++;
        }
      }
      // Unquoted text, or text after a closing quote (kept, leniently), up to the comma.
      while (read < last && *read != ',')
        *write++ = *read++;
      fields.emplace_back(start, static_cast<std::size_t>(write - start));
      if (read >= last) return;
      ++read; // the comma
    }
  }

  void refill() {
    if (pos_ > 0) {
      std::memmove(buffer_.data(), buffer_.data() + pos_, end_ - pos_);
      end_ -= pos_;
      pos_ = 0;
    }
    if (end_ == buffer_.size()) {
      if (buffer_.size() >= max_row_bytes)
        throw ArrivalsError(
            path_, line_,
            fmt::format("a row longer than {} MiB; is a quote not closed?", max_row_bytes >> 20));
      buffer_.resize(buffer_.size() * 2);
    }
    const std::size_t n = std::fread(buffer_.data() + end_, 1, buffer_.size() - end_, file_);
    end_ += n;
    if (n == 0) {
      if (std::ferror(file_))
        throw ArrivalsError(path_, line_,
                            fmt::format("cannot read the file: {}", std::strerror(errno)));
      eof_ = true;
    }
  }

  std::string path_;
  std::FILE *file_ = nullptr;
  std::vector<char> buffer_;
  std::size_t pos_ = 0, end_ = 0;
  bool eof_ = false;
  std::size_t line_ = 1, row_line_ = 0;
};

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

} // namespace

// --- Presets and mapping files -----------------------------------------------------------------

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
    break;
  case ArrivalsFormat::zendesk:
    column(ArrivalField::created_utc, {"created_at"});
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
    fail(pointer, fmt::format("unknown field '{}'; expected one of: {}", key, join(allowed)));
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
  json doc;
  try {
    doc = json::parse(text);
  } catch (const json::parse_error &e) {
    const std::size_t byte = std::min<std::size_t>(e.byte, text.size());
    const std::size_t line =
        1 + static_cast<std::size_t>(
                std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(byte), '\n'));
    std::string why = e.what();
    if (const auto at = why.find("] "); at != std::string::npos) why = why.substr(at + 2);
    throw ArrivalsError(source, line, fmt::format("not valid JSON: {}", why));
  }
  const MappingReader r(source);
  r.expect_object(doc, "/", "an object with \"columns\" (and \"values\", \"tags\", \"time_zone\")");
  ArrivalsMapping m;
  m.source = source;
  const std::vector<std::string> keys{"columns", "values", "tags", "time_zone", "$comment"};
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
    if (item.value().is_array()) {
      if (item.value().empty()) r.fail(p, "expected at least one column name, found []");
      for (std::size_t i = 0; i < item.value().size(); ++i)
        m.columns[f].push_back(r.text(item.value()[i], fmt::format("{}/{}", p, i)));
    } else {
      m.columns[f].push_back(r.text(item.value(), p));
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
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw ArrivalsError(path, 0, fmt::format("cannot open the file: {}", std::strerror(errno)));
  std::ostringstream text;
  text << in.rdbuf();
  return parse_arrivals_mapping(text.str(), path);
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
    read_header(mapping);
    if (options_.sort) load_sorted();
  }

  bool next(ReplayedCase &out) {
    if (options_.sort) {
      if (sorted_at_ == sorted_.size()) return false;
      const Sorted &s = sorted_[sorted_at_++];
      out = s.c;
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
      return true;
    }
    return false;
  }

  std::string_view case_id() const { return case_id_; }
  std::size_t cases_read() const { return cases_read_; }
  std::size_t bad_rows() const { return bad_rows_; }
  const std::vector<std::string> &bad_row_messages() const { return messages_; }

private:
  struct Sorted {
    ReplayedCase c;
    std::size_t id_begin, id_size;
  };

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
    const auto &created = mapping.columns[index_of(ArrivalField::created_utc)];
    if (column_[index_of(ArrivalField::created_utc)] < 0) {
      std::vector<std::string> quoted;
      for (const std::string &c : created)
        quoted.push_back(fmt::format("'{}'", c));
      throw ArrivalsError(
          csv_.path(), header_line_,
          fmt::format("no column for the creation time ({}{}, {} format); the columns are: {}",
                      quoted.size() > 1 ? "one of " : "", join(quoted), mapping.source,
                      join(found, 40)));
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
    const std::string_view created = field(ArrivalField::created_utc);
    const std::string &created_name = header_[index_of(ArrivalField::created_utc)];
    if (created.empty())
      return fail(fmt::format("{} is empty: every case needs its creation time", created_name));
    Timestamp ts;
    switch (parse_timestamp(created, ts)) {
    case TimeProblem::none:
      break;
    case TimeProblem::not_a_date:
      return fail(fmt::format("{} '{}' is not a date", created_name, created));
    case TimeProblem::no_time:
      return fail(fmt::format("{} '{}' has no time of day (e.g. 2027-01-04T09:15:00Z)",
                              created_name, created));
    case TimeProblem::not_iso:
      return fail(fmt::format("{} '{}' is not an ISO 8601 date and time (e.g. "
                              "2027-01-04T09:15:00Z or 2027-01-04T10:15:00+01:00)",
                              created_name, created));
    }
    if (ts.offset) {
      out.created = sim::UtcTime(ts.local.time_since_epoch() - *ts.offset);
    } else if (zone_) {
      out.created = local_to_utc(ts.local);
    } else {
      return fail(fmt::format("{} '{}' has no UTC offset and no time zone was given for the "
                              "file (write Z or +01:00 after the time, or give a time zone)",
                              created_name, created));
    }
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
    return true;
  }

  bool fail(std::string problem) {
    problem_ = std::move(problem);
    return false;
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
      sorted_.push_back({c, sorted_ids_.size(), case_id_.size()});
      sorted_ids_ += case_id_;
    }
    std::stable_sort(sorted_.begin(), sorted_.end(),
                     [](const Sorted &a, const Sorted &b) { return a.c.created < b.c.created; });
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

  std::vector<std::string_view> fields_;
  std::string case_id_;
  std::string problem_;
  sim::UtcTime previous_ = sim::UtcTime::min();
  std::size_t previous_line_ = 0;
  std::size_t cases_read_ = 0, bad_rows_ = 0;
  std::vector<std::string> messages_;

  std::vector<Sorted> sorted_;
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
std::string_view ArrivalsReader::case_id() const {
  return impl_->case_id();
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
