#include "analysis/report/workbook.hpp"

#include "analysis/output/temporary.hpp"
#include "analysis/report/summary.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fmt/format.h>
#include <fstream>
#include <iterator>
#include <map>
#include <optional>
#include <sstream>
#include <unistd.h>
#include <xlsxwriter.h>

namespace supportsim::analysis {

namespace fs = std::filesystem;

namespace {

bool ends_with(std::string_view s, std::string_view end) {
  return s.size() >= end.size() && s.substr(s.size() - end.size()) == end;
}

bool starts_with(std::string_view s, std::string_view start) {
  return s.substr(0, start.size()) == start;
}

/// The figure a column is of: "utilisation_mean" and "utilisation_ci95" are "utilisation".
std::string_view figure_of(std::string_view column) {
  for (const std::string_view suffix : {"_mean", "_ci95"})
    if (ends_with(column, suffix)) return column.substr(0, column.size() - suffix.size());
  return column;
}

using Row = std::vector<std::string>;

/// RFC 4180 text (as csv_field writes it) into rows of fields; blank lines are skipped.
std::vector<Row> parse_csv(std::string_view text) {
  std::vector<Row> rows;
  Row row;
  std::string field;
  bool quoted = false, any = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field += c;
      }
      continue;
    }
    if (c == '"') {
      quoted = any = true;
    } else if (c == ',') {
      row.push_back(std::move(field));
      field.clear();
      any = true;
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      if (any || !field.empty()) {
        row.push_back(std::move(field));
        rows.push_back(std::move(row));
      }
      row.clear();
      field.clear();
      any = false;
    } else {
      field += c;
      any = true;
    }
  }
  if (any || !field.empty()) {
    row.push_back(std::move(field));
    rows.push_back(std::move(row));
  }
  return rows;
}

std::optional<double> number_of(const std::string &text) {
  if (text.empty()) return std::nullopt;
  double x = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), x);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return x;
}

/// "2027-01-11T00:00:00Z", "2027-01-04T15:00" (the seconds and the Z optional).
std::optional<lxw_datetime> datetime_of(const std::string &text) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  char t = 0;
  const int n = std::sscanf(text.c_str(), "%4d-%2d-%2d%c%2d:%2d:%2d", &y, &mo, &d, &t, &h, &mi, &s);
  if (n < 6 || (t != 'T' && t != ' ')) return std::nullopt;
  return lxw_datetime{y, mo, d, h, mi, static_cast<double>(n == 7 ? s : 0)};
}

/// The number formats of each kind (Excel's codes).
const char *number_format(ColumnKind kind) {
  switch (kind) {
  case ColumnKind::time:
    return "yyyy-mm-dd hh:mm";
  case ColumnKind::count:
    return "#,##0.0";
  case ColumnKind::share:
    return "0.0%";
  case ColumnKind::change:
    return "+0.0%;-0.0%;0.0%";
  case ColumnKind::minutes:
    return "0.0\" min\"";
  case ColumnKind::hours:
    return "0.0\" h\"";
  case ColumnKind::seconds:
    return "0\" s\"";
  case ColumnKind::money:
    return "#,##0.00";
  case ColumnKind::text:
  case ColumnKind::number:
    break;
  }
  return nullptr; // General
}

/// How a cell stands against its goal.
enum class Mark { none, miss, met, not_judged };

/// The formats of one workbook, made once each: per kind and mark.
class Formats {
public:
  explicit Formats(lxw_workbook *book) : book_(book) {
    header_ = workbook_add_format(book);
    format_set_bold(header_);
    format_set_bg_color(header_, 0xD9E1F2);
    format_set_bottom(header_, LXW_BORDER_THIN);
    format_set_text_wrap(header_);
    format_set_align(header_, LXW_ALIGN_VERTICAL_TOP);
  }

  lxw_format *header() const { return header_; }

  lxw_format *cell(ColumnKind kind, Mark mark) {
    const auto key = std::make_pair(static_cast<int>(kind), static_cast<int>(mark));
    if (const auto found = cells_.find(key); found != cells_.end()) return found->second;
    lxw_format *f = workbook_add_format(book_);
    if (const char *code = number_format(kind)) format_set_num_format(f, code);
    switch (mark) {
    case Mark::miss: // Excel's "light red fill with dark red text"
      format_set_bg_color(f, 0xFFC7CE);
      format_set_font_color(f, 0x9C0006);
      break;
    case Mark::met:
      format_set_bg_color(f, 0xC6EFCE);
      format_set_font_color(f, 0x006100);
      break;
    case Mark::not_judged:
      format_set_font_color(f, 0x7F7F7F);
      format_set_italic(f);
      break;
    case Mark::none:
      break;
    }
    cells_.emplace(key, f);
    return f;
  }

private:
  lxw_workbook *book_;
  lxw_format *header_ = nullptr;
  std::map<std::pair<int, int>, lxw_format *> cells_;
};

/// The goals a row's cells are held to, from the run's Summary.
class Goals {
public:
  explicit Goals(const Summary &s)
      : utilisation_(s.run.scenario.sla.utilisation_target),
        variance_max_(s.run.scenario.sla.forecast_variance_max) {
    for (std::size_t q = 0; q < s.region_count() && q < s.mixed_sla_goal.size(); ++q)
      sla_by_region_[s.run.replications[0].regions[q].name] = s.mixed_sla_goal[q];
  }

  /// Column `c` of `row` (header `header`) against its goal, if it has one.
  Mark mark(const Row &header, const Row &row, std::size_t c,
            const std::map<std::string, std::size_t> &at) const {
    const std::string &name = header[c];
    const std::string &text = row[c];
    auto field = [&](const char *column) -> const std::string * {
      const auto found = at.find(column);
      return found != at.end() && found->second < row.size() ? &row[found->second] : nullptr;
    };
    if (name == "verdict" || name == "target_verdict")
      return text == "miss"  ? Mark::miss
             : text == "met" ? Mark::met
                             : (text == "not_judged" ? Mark::not_judged : Mark::none);
    if (name == "value_mean") {
      const std::string *verdict = field("verdict");
      return verdict && *verdict == "miss" ? Mark::miss : Mark::none;
    }
    if (name == "flagged") return text == "yes" ? Mark::miss : Mark::none;
    const std::optional<double> x = number_of(text);
    if (!x) return Mark::none;
    if (name == "variance") return std::abs(*x) > variance_max_ ? Mark::miss : Mark::none;
    if (name == "utilisation" || name == "utilisation_mean")
      return *x < utilisation_ ? Mark::miss : Mark::none;
    if (name == "sla_attainment" || name == "sla_attainment_mean") {
      std::optional<double> goal;
      if (const std::string *g = field("sla_attainment_goal")) goal = number_of(*g);
      if (!goal)
        if (const std::string *region = field("region"))
          if (const auto found = sla_by_region_.find(*region); found != sla_by_region_.end())
            goal = found->second;
      return goal && !std::isnan(*goal) && *x < *goal ? Mark::miss : Mark::none;
    }
    return Mark::none;
  }

private:
  double utilisation_, variance_max_;
  std::map<std::string, double> sla_by_region_;
};

/// The kind of column `c` on `row`: by its name, or for the value columns of a scorecard row by
/// its `unit`, and of a variance row by its `figure`.
ColumnKind kind_on_row(const Row &header, const Row &row, std::size_t c,
                       const std::map<std::string, std::size_t> &at) {
  const std::string &name = header[c];
  auto field = [&](const char *column) -> const std::string * {
    const auto found = at.find(column);
    return found != at.end() && found->second < row.size() ? &row[found->second] : nullptr;
  };
  if (name == "goal" || name == "value_mean" || name == "value_ci95")
    if (const std::string *unit = field("unit")) {
      if (*unit == "share") return ColumnKind::share;
      if (*unit == "change") return ColumnKind::change;
      if (*unit == "money") return ColumnKind::money;
      if (*unit == "cases") return ColumnKind::count;
    }
  if (name == "forecast" || name == "simulated_mean" || name == "simulated_ci95")
    if (const std::string *figure = field("figure"))
      return *figure == "workload_fte" ? ColumnKind::number : column_kind(*figure);
  return column_kind(name);
}

void check(lxw_error error, const WorkbookSheet &sheet) {
  if (error != LXW_NO_ERROR)
    throw OutputError(fmt::format("results.xlsx: cannot write the sheet {} (from {}): {}",
                                  sheet.name, sheet.csv_name, lxw_strerror(error)));
}

void write_sheet(lxw_workbook *book, Formats &formats, const Goals &goals,
                 const WorkbookSheet &sheet) {
  lxw_worksheet *ws = workbook_add_worksheet(book, sheet.name.c_str());
  if (!ws) throw OutputError(fmt::format("results.xlsx: cannot add the sheet {}", sheet.name));
  std::vector<Row> rows = parse_csv(sheet.csv);
  if (rows.empty()) return;
  const Row header = rows.front();
  std::map<std::string, std::size_t> at;
  for (std::size_t c = 0; c < header.size(); ++c)
    at.emplace(header[c], c);
  std::optional<std::size_t> filter;
  if (!sheet.filter_column.empty()) {
    const auto found = at.find(sheet.filter_column);
    if (found == at.end())
      throw OutputError(fmt::format("results.xlsx: {} has no column {} for the sheet {}",
                                    sheet.csv_name, sheet.filter_column, sheet.name));
    filter = found->second;
  }
  const auto columns = static_cast<lxw_col_t>(header.size());
  std::vector<std::size_t> widths(header.size(), 8);
  for (std::size_t c = 0; c < header.size(); ++c) {
    check(worksheet_write_string(ws, 0, static_cast<lxw_col_t>(c), header[c].c_str(),
                                 formats.header()),
          sheet);
    widths[c] = std::max(widths[c], std::min<std::size_t>(header[c].size() + 2, 24));
  }
  lxw_row_t r = 0;
  for (std::size_t i = 1; i < rows.size(); ++i) {
    const Row &row = rows[i];
    if (filter && (*filter >= row.size() || row[*filter] != sheet.filter_value)) continue;
    ++r;
    for (std::size_t c = 0; c < row.size() && c < header.size(); ++c) {
      const std::string &text = row[c];
      if (text.empty()) continue; // undefined: an empty cell, as the CSV's empty field
      const ColumnKind kind = kind_on_row(header, row, c, at);
      lxw_format *format = formats.cell(kind, goals.mark(header, row, c, at));
      const auto col = static_cast<lxw_col_t>(c);
      std::size_t shown = text.size();
      if (kind == ColumnKind::time) {
        if (const auto when = datetime_of(text)) {
          lxw_datetime t = *when;
          check(worksheet_write_datetime(ws, r, col, &t, format), sheet);
          widths[c] = std::max<std::size_t>(widths[c], 17);
          continue;
        }
      } else if (kind != ColumnKind::text) {
        if (const auto x = number_of(text)) {
          check(worksheet_write_number(ws, r, col, *x, format), sheet);
          widths[c] = std::max<std::size_t>(widths[c], 12);
          continue;
        }
      }
      check(worksheet_write_string(ws, r, col, text.c_str(), format), sheet);
      widths[c] = std::max(widths[c], std::min<std::size_t>(shown + 2, 60));
    }
  }
  for (std::size_t c = 0; c < widths.size(); ++c)
    check(worksheet_set_column(ws, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c),
                               static_cast<double>(widths[c]), nullptr),
          sheet);
  worksheet_freeze_panes(ws, 1, 0);
  check(worksheet_autofilter(ws, 0, 0, r, static_cast<lxw_col_t>(columns - 1)), sheet);
}

/// The file of `files` named `name`, or null.
const std::string *file_named(const NamedFiles &files, std::string_view name) {
  for (const auto &[file, content] : files)
    if (file == name) return &content;
  return nullptr;
}

} // namespace

ColumnKind column_kind(std::string_view column) {
  const std::string_view name = figure_of(column);
  if (ends_with(name, "_utc") || ends_with(name, "_local")) return ColumnKind::time;
  if (name == "variance") return ColumnKind::change;
  if (ends_with(name, "_minutes")) return ColumnKind::minutes;
  if (ends_with(name, "_hours")) return ColumnKind::hours;
  if (ends_with(name, "_seconds")) return ColumnKind::seconds;
  if (starts_with(name, "cost")) return ColumnKind::money;
  if (starts_with(name, "sla_attainment") || name == "abandonment" || name == "utilisation" ||
      name == "occupancy" || ends_with(name, "_rate") || starts_with(name, "p_") ||
      ends_with(name, "_share") ||
      (starts_with(name, "sl_") && ends_with(name, "s") && name.size() > 4))
    return ColumnKind::share;
  for (const std::string_view count :
       {"offered", "answered", "abandoned", "resolved", "open_at_end", "backlog", "cases",
        "forecast", "headcount", "agents", "trigger_firings", "volume", "handled"})
    if (name == count) return ColumnKind::count;
  if (name == "region" || name == "priority" || name == "interval" || name == "group" ||
      name == "tier" || name == "figure" || name == "flagged" || name == "causes" ||
      name == "channel")
    return ColumnKind::text;
  return ColumnKind::number;
}

std::vector<WorkbookSheet> workbook_sheets(const NamedFiles &files) {
  std::vector<WorkbookSheet> sheets;
  auto add = [&](std::string sheet, std::string_view file, std::string filter_column = {},
                 std::string filter_value = {}) {
    if (const std::string *text = file_named(files, file))
      sheets.push_back({std::move(sheet), std::string(file), *text, std::move(filter_column),
                        std::move(filter_value)});
  };
  add("Scorecard", "scorecard.csv");
  // The finest intervals: intervals_<length>.csv where the run writes one, else the hour rows
  // of intervals.csv.
  const auto finest = std::find_if(files.begin(), files.end(), [](const auto &file) {
    return starts_with(file.first, "intervals_") && ends_with(file.first, ".csv");
  });
  if (finest != files.end())
    add("Intervals", finest->first);
  else
    add("Intervals", "intervals.csv", "interval", "hour");
  if (file_named(files, "daily.csv"))
    add("Daily", "daily.csv");
  else
    add("Daily", "intervals.csv", "interval", "day");
  if (file_named(files, "weekly.csv"))
    add("Weekly", "weekly.csv");
  else
    add("Weekly", "intervals.csv", "interval", "week");
  add("Agents", "agents.csv");
  add("Variance", "variance.csv");
  return sheets;
}

std::string render_workbook(const std::vector<WorkbookSheet> &sheets, const Summary &summary) {
  // libxlsxwriter writes to a file: a temporary of our own, read back and removed.
  fs::path folder;
  {
    std::error_code ec;
    folder = fs::temp_directory_path(ec);
    if (ec) folder = "/tmp";
  }
  std::string pattern = (folder / "supportsim-results-XXXXXX").string();
  const int fd = ::mkstemp(pattern.data());
  if (fd < 0)
    throw OutputError(fmt::format("results.xlsx: cannot create a temporary file in {}: {}",
                                  folder.string(), std::strerror(errno)));
  ::close(fd);
  const Temporary temporary(pattern);

  lxw_workbook_options options{};
  options.constant_memory = LXW_TRUE; // rows are written in order: memory stays small
  lxw_workbook *book = workbook_new_opt(pattern.c_str(), &options);
  if (!book) throw OutputError("results.xlsx: cannot start the workbook");
  // Fixed, so the same run gives the same bytes: 2000-01-01T00:00:00Z (0 would mean now).
  lxw_doc_properties properties{};
  properties.title = const_cast<char *>("supportsim results");
  properties.comments = const_cast<char *>("Written by supportsim run --out: the same tables "
                                           "as the CSV files beside it (docs/metrics.md).");
  properties.created = 946684800;
  workbook_set_properties(book, &properties);
  try {
    Formats formats(book);
    const Goals goals(summary);
    for (const WorkbookSheet &sheet : sheets)
      write_sheet(book, formats, goals, sheet);
  } catch (...) {
    workbook_close(book);
    throw;
  }
  if (const lxw_error error = workbook_close(book); error != LXW_NO_ERROR)
    throw OutputError(
        fmt::format("results.xlsx: cannot write the workbook: {}", lxw_strerror(error)));
  std::ifstream in(pattern, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (!in && !in.eof())
    throw OutputError(fmt::format("results.xlsx: cannot read back {}", pattern));
  return bytes;
}

} // namespace supportsim::analysis
