#pragma once
// Internal to scenarios/: the CSV reading and the timestamps shared by the readers of case
// exports (arrivals.cpp) and staffing files (staffing.cpp). Not part of the API.

#include "scenarios/arrivals.hpp"
#include "scenarios/input_file.hpp"
#include "sim/clock.hpp"

#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <date/date.h>
#include <fmt/format.h>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace supportsim::scenarios::csv {

// --- Text helpers ------------------------------------------------------------------------------

constexpr char lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

inline bool iequals(std::string_view a, std::string_view b) {
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

inline bool loose_equals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (loose(a[i]) != loose(b[i])) return false;
  return true;
}

inline std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
    s.remove_suffix(1);
  return s;
}

inline std::string join(const std::vector<std::string> &names, std::size_t limit = 12) {
  std::string out;
  for (std::size_t i = 0; i < names.size() && i < limit; ++i)
    out += fmt::format("{}{}", i == 0 ? "" : ", ", names[i]);
  if (names.size() > limit) out += fmt::format(" and {} more", names.size() - limit);
  return out;
}

// --- Times -------------------------------------------------------------------------------------

/// "2027-01-04T09:15:00Z", with ".123456" before the Z when `micro` or the instant has a
/// fraction. Written by hand: date::format costs more than the rest of a row.
inline std::size_t format_utc(char *out, sim::UtcTime t, bool micro) {
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

inline std::string utc_text(sim::UtcTime t) {
  char buffer[32];
  return std::string(buffer, format_utc(buffer, t, false));
}

/// A timestamp as written: the wall-clock reading, and its offset from UTC if it has one.
struct Timestamp {
  sim::LocalTime local;
  std::optional<std::chrono::minutes> offset;
};

/// not_iso: no form read; day_month_order: "10/5/2025 09:12", which a US export means as 5
/// October and a European one as 10 May (with AM/PM it is read as US: M/D/YYYY).
enum class TimeProblem { none, not_iso, not_a_date, no_time, day_month_order };

inline bool digits(std::string_view s, std::size_t at, std::size_t width, int &value) {
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

/// A run of 1 or 2 digits at `at` (up to `max_width`), advancing `at`.
inline bool short_number(std::string_view s, std::size_t &at, std::size_t max_width, int &value) {
  const std::size_t first = at;
  int v = 0;
  while (at < s.size() && at - first < max_width && s[at] >= '0' && s[at] <= '9')
    v = v * 10 + (s[at++] - '0');
  value = v;
  return at > first;
}

/// The wall-clock reading of a civil date and time, or false for a date that does not exist.
inline bool civil_time(int y, int mo, int d, int h, int mi, int sec, std::int64_t micros,
                       Timestamp &out) {
  const date::year_month_day ymd{date::year(y), date::month(static_cast<unsigned>(mo)),
                                 date::day(static_cast<unsigned>(d))};
  if (!ymd.ok()) return false;
  const auto day = date::sys_days(ymd).time_since_epoch();
  out.local = sim::LocalTime(std::chrono::duration_cast<std::chrono::microseconds>(day) +
                             std::chrono::hours(h) + std::chrono::minutes(mi) +
                             std::chrono::seconds(sec) + std::chrono::microseconds(micros));
  return true;
}

/// A US report's display form, as Salesforce exports it in the en_US locale: "10/5/2025 9:12 AM"
/// (M/D/YYYY h:mm[:ss] AM|PM, the blank before AM optional, any case), naive. Without AM/PM
/// the order of day and month is unknown: day_month_order.
inline TimeProblem parse_us_timestamp(std::string_view s, Timestamp &out) {
  std::size_t at = 0;
  int mo = 0, d = 0, y = 0, h = 0, mi = 0, sec = 0;
  if (!short_number(s, at, 2, mo) || at >= s.size() || s[at++] != '/' ||
      !short_number(s, at, 2, d) || at >= s.size() || s[at++] != '/')
    return TimeProblem::not_iso;
  const std::size_t year_at = at;
  if (!short_number(s, at, 4, y) || at - year_at != 4) return TimeProblem::not_iso;
  if (at == s.size()) return TimeProblem::no_time;
  if (s[at++] != ' ') return TimeProblem::not_iso;
  if (!short_number(s, at, 2, h) || at >= s.size() || s[at++] != ':' || !digits(s, at, 2, mi))
    return TimeProblem::not_iso;
  at += 2;
  if (at < s.size() && s[at] == ':') {
    if (!digits(s, at + 1, 2, sec)) return TimeProblem::not_iso;
    at += 3;
  }
  if (at < s.size() && s[at] == ' ') ++at;
  const std::string_view meridiem = s.substr(at);
  if (meridiem.empty()) return TimeProblem::day_month_order;
  const bool am = iequals(meridiem, "AM"), pm = iequals(meridiem, "PM");
  if ((!am && !pm) || h < 1 || h > 12 || mi > 59 || sec > 59) return TimeProblem::not_iso;
  h = h % 12 + (pm ? 12 : 0);
  out.offset.reset();
  return civil_time(y, mo, d, h, mi, sec, 0, out) ? TimeProblem::none : TimeProblem::not_a_date;
}

/// ISO 8601: "2027-01-04T09:15[:00[.123456]]" (a space may stand for the T), then "Z", an
/// offset "+01:00" / "+0100" / "+01" (a blank may come before it, as in Zendesk's
/// "2025-10-05 15:12:55 +0100"), or nothing (a naive local time). Fractions beyond
/// microseconds are truncated. Failing that, a US display form (parse_us_timestamp).
inline TimeProblem parse_timestamp(std::string_view s, Timestamp &out) {
  if (s.find('/') != std::string_view::npos) return parse_us_timestamp(s, out);
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
  if (at + 1 < s.size() && s[at] == ' ' && (s[at + 1] == '+' || s[at + 1] == '-')) ++at;
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

/// Whether `format` is a date format parse_formatted_timestamp() reads: its directives are
/// among %Y %y %m %d %b %H %I %M %S %f %p %z %T %%, with a year, a month, a day, an hour and a
/// minute. "" when it is, else what is wrong.
inline std::string date_format_problem(std::string_view format) {
  bool year = false, month = false, day = false, hour = false, minute = false, twelve = false,
       meridiem = false;
  for (std::size_t i = 0; i < format.size(); ++i) {
    if (format[i] != '%') continue;
    if (++i == format.size()) return "it ends in a lone %";
    switch (format[i]) {
    case 'Y':
    case 'y':
      year = true;
      break;
    case 'm':
    case 'b':
      month = true;
      break;
    case 'd':
      day = true;
      break;
    case 'H':
      hour = true;
      break;
    case 'I':
      hour = twelve = true;
      break;
    case 'p':
      meridiem = true;
      break;
    case 'M':
      minute = true;
      break;
    case 'T':
      hour = minute = true;
      break;
    case 'S':
    case 'f':
    case 'z':
    case '%':
      break;
    default:
      return fmt::format("%{} is not a directive it reads (%Y %y %m %d %b %H %I %M %S %f %p %z "
                         "%T %%)",
                         format[i]);
    }
  }
  if (!(year && month && day && hour && minute))
    return "it needs a year (%Y), a month (%m or %b), a day (%d), an hour (%H or %I) and a "
           "minute (%M)";
  if (twelve != meridiem) return "%I (12-hour clock) and %p (AM/PM) go together";
  return "";
}

/// `s` read by `format` (strftime's directives, as date_format_problem() lists; a blank in
/// the format matches one or more blanks, any other character itself): %Y four digits, %y two
/// (20yy), %m %d %H %I one or two digits, %M %S two, %b a month's English name or its first
/// three letters, %f a fraction of a second, %p AM or PM, %z Z or an offset (+01:00, +0100,
/// +01). Without %z the time is naive. not_iso when `s` does not match.
inline TimeProblem parse_formatted_timestamp(std::string_view s, std::string_view format,
                                             Timestamp &out) {
  static constexpr std::string_view months[] = {"january",   "february", "march",    "april",
                                                "may",       "june",     "july",     "august",
                                                "september", "october",  "november", "december"};
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0;
  std::int64_t micros = 0;
  bool pm = false, twelve = false;
  out.offset.reset();
  std::size_t at = 0;
  for (std::size_t i = 0; i < format.size(); ++i) {
    const char f = format[i];
    if (f == ' ') {
      if (at >= s.size() || s[at] != ' ') return TimeProblem::not_iso;
      while (at < s.size() && s[at] == ' ')
        ++at;
      continue;
    }
    if (f != '%' || i + 1 == format.size()) {
      if (at >= s.size() || s[at] != f) return TimeProblem::not_iso;
      ++at;
      continue;
    }
    const char directive = format[++i];
    bool ok = true;
    switch (directive) {
    case 'Y':
      ok = digits(s, at, 4, y);
      at += 4;
      break;
    case 'y':
      ok = digits(s, at, 2, y);
      y += 2000;
      at += 2;
      break;
    case 'm':
      ok = short_number(s, at, 2, mo);
      break;
    case 'd':
      ok = short_number(s, at, 2, d);
      break;
    case 'H':
      ok = short_number(s, at, 2, h);
      break;
    case 'I':
      ok = short_number(s, at, 2, h) && h >= 1 && h <= 12;
      twelve = true;
      break;
    case 'M':
      ok = digits(s, at, 2, mi);
      at += 2;
      break;
    case 'S':
      ok = digits(s, at, 2, sec);
      at += 2;
      break;
    case 'T':
      ok = short_number(s, at, 2, h) && at < s.size() && s[at++] == ':' && digits(s, at, 2, mi) &&
           at + 2 < s.size() && s[at + 2] == ':' && digits(s, at + 3, 2, sec);
      at += 5;
      break;
    case 'f': {
      const std::size_t first = at;
      std::int64_t scale = 100'000;
      while (at < s.size() && s[at] >= '0' && s[at] <= '9') {
        micros += (s[at++] - '0') * scale;
        scale /= 10;
      }
      ok = at > first && at - first <= 9;
      break;
    }
    case 'b': {
      std::size_t end = at;
      while (end < s.size() &&
             ((s[end] >= 'a' && s[end] <= 'z') || (s[end] >= 'A' && s[end] <= 'Z')))
        ++end;
      const std::string_view word = s.substr(at, end - at);
      mo = 0;
      for (std::size_t k = 0; k < 12; ++k)
        if (iequals(word, months[k]) || iequals(word, months[k].substr(0, 3)))
          mo = static_cast<int>(k) + 1;
      ok = mo > 0;
      at = end;
      break;
    }
    case 'p': {
      const std::string_view word = s.substr(at, 2);
      ok = iequals(word, "AM") || iequals(word, "PM");
      pm = iequals(word, "PM");
      at += 2;
      break;
    }
    case 'z': {
      if (at < s.size() && (s[at] == 'Z' || s[at] == 'z')) {
        out.offset = std::chrono::minutes(0);
        ++at;
        break;
      }
      int oh = 0, om = 0;
      const int sign = at < s.size() && s[at] == '-' ? -1 : 1;
      ok = at < s.size() && (s[at] == '+' || s[at] == '-') && digits(s, at + 1, 2, oh);
      at += 3;
      if (ok && at < s.size() && s[at] == ':') ++at;
      if (ok && digits(s, at, 2, om)) at += 2;
      ok = ok && oh <= 18 && om <= 59;
      out.offset = std::chrono::minutes(sign * (oh * 60 + om));
      break;
    }
    case '%':
      ok = at < s.size() && s[at] == '%';
      ++at;
      break;
    default:
      ok = false;
    }
    if (!ok || at > s.size()) return TimeProblem::not_iso;
  }
  if (at != s.size()) return TimeProblem::not_iso;
  if (twelve) h = h % 12 + (pm ? 12 : 0);
  if (h > 23 || mi > 59 || sec > 59) return TimeProblem::not_iso;
  return civil_time(y, mo, d, h, mi, sec, micros, out) ? TimeProblem::none
                                                       : TimeProblem::not_a_date;
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
    // Streamed, so no size cap: rows are capped instead (max_row_bytes).
    if (const auto problem = input_file_problem(path, "a CSV file"))
      throw ArrivalsError(path, 0, *problem);
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

/// A timestamp to UTC: by its offset, or else as a local time of `zone` (sim::Clock's rule for
/// ambiguous and missing local times: the first instant of two, the end of a gap). False for a
/// naive time without a zone.
inline bool to_utc(const Timestamp &ts, const date::time_zone *zone, sim::UtcTime &out) {
  if (ts.offset) {
    out = sim::UtcTime(ts.local.time_since_epoch() - *ts.offset);
    return true;
  }
  if (!zone) return false;
  const sim::Clock clock{sim::UtcTime{}}; // its epoch is irrelevant: 0 gives UTC back directly
  out = clock.to_utc(clock.from_local(zone, ts.local));
  return true;
}

} // namespace supportsim::scenarios::csv
