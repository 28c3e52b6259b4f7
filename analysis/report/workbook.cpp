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
#include <deque>
#include <fmt/format.h>
#include <fstream>
#include <iterator>
#include <optional>
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

using Row = std::vector<std::string_view>;

/// RFC 4180 rows (as csv_field writes them) read one at a time from text held elsewhere: fields
/// are views into the text, or for a quoted field into the reader's own unescaped copy; valid
/// until the next row. Blank lines are skipped.
class CsvRows {
public:
  explicit CsvRows(std::string_view text) : text_(text) {}

  bool next(Row &row) {
    row.clear();
    unescaped_.clear();
    while (at_ < text_.size() && (text_[at_] == '\n' || text_[at_] == '\r'))
      ++at_;
    if (at_ >= text_.size()) return false;
    for (;;) {
      if (at_ < text_.size() && text_[at_] == '"') {
        std::string &field = unescaped_.emplace_back();
        for (++at_; at_ < text_.size(); ++at_) {
          if (text_[at_] != '"') {
            field += text_[at_];
          } else if (at_ + 1 < text_.size() && text_[at_ + 1] == '"') {
            field += '"';
            ++at_;
          } else {
            ++at_;
            break;
          }
        }
        row.emplace_back(field);
      } else {
        std::size_t stop = at_;
        while (stop < text_.size() && text_[stop] != ',' && text_[stop] != '\n' &&
               text_[stop] != '\r')
          ++stop;
        row.push_back(text_.substr(at_, stop - at_));
        at_ = stop;
      }
      if (at_ < text_.size() && text_[at_] == ',') {
        ++at_;
        continue;
      }
      return true; // at a line break or the end
    }
  }

private:
  std::string_view text_;
  std::size_t at_ = 0;
  std::deque<std::string> unescaped_; // a deque: growing it moves no field already seen
};

std::optional<double> number_of(std::string_view text) {
  if (text.empty()) return std::nullopt;
  double x = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), x);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return x;
}

/// "2027-01-11T00:00:00Z", "2027-01-04T15:00" (the seconds and the Z optional).
std::optional<lxw_datetime> datetime_of(std::string_view text) {
  if (text.size() > 31) return std::nullopt;
  char buffer[32];
  text.copy(buffer, text.size());
  buffer[text.size()] = 0;
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  char t = 0;
  const int n = std::sscanf(buffer, "%4d-%2d-%2d%c%2d:%2d:%2d", &y, &mo, &d, &t, &h, &mi, &s);
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
    lxw_format *&f = cells_[static_cast<std::size_t>(kind)][static_cast<std::size_t>(mark)];
    if (f) return f;
    f = workbook_add_format(book_);
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
    return f;
  }

private:
  lxw_workbook *book_;
  lxw_format *header_ = nullptr;
  // Per kind and mark (the enums' values), made on first use.
  std::array<std::array<lxw_format *, 4>, 10> cells_{};
};

/// What a column's cells are held to, found once per sheet from its name.
enum class Rule {
  none,
  verdict,        ///< `verdict`, `target_verdict`: miss, met, not_judged
  row_verdict,    ///< `value_mean`: a miss when the row's verdict is
  flagged,        ///< `flagged`: yes is a miss
  variance,       ///< |value| above forecast_variance_max
  utilisation,    ///< below utilisation_target
  sla_attainment, ///< below the row's sla_attainment_goal, else its region's goal
};

/// How to write one column: its kind (or whether the row's `unit` or `figure` sets it) and
/// its rule.
struct ColumnPlan {
  ColumnKind kind = ColumnKind::number;
  bool by_unit = false, by_figure = false;
  Rule rule = Rule::none;
};

/// The columns a row's kinds and goals are read from, where the table has them.
struct Columns {
  std::optional<std::size_t> unit, figure, verdict, sla_goal, region;
};

/// The goals a row's cells are held to, from the run's Summary.
class Goals {
public:
  explicit Goals(const Summary &s)
      : utilisation_(s.run.scenario.sla.utilisation_target),
        variance_max_(s.run.scenario.sla.forecast_variance_max) {
    for (std::size_t q = 0; q < s.region_count() && q < s.mixed_sla_goal.size(); ++q)
      sla_by_region_.emplace_back(s.run.replications[0].regions[q].name, s.mixed_sla_goal[q]);
  }

  /// Cell `text` of a column with `rule` on `row`, against its goal.
  Mark mark(Rule rule, std::string_view text, const Row &row, const Columns &columns) const {
    auto field = [&](const std::optional<std::size_t> &c) -> std::optional<std::string_view> {
      if (c && *c < row.size()) return row[*c];
      return std::nullopt;
    };
    switch (rule) {
    case Rule::none:
      return Mark::none;
    case Rule::verdict:
      return text == "miss"  ? Mark::miss
             : text == "met" ? Mark::met
                             : (text == "not_judged" ? Mark::not_judged : Mark::none);
    case Rule::row_verdict:
      return field(columns.verdict) == "miss" ? Mark::miss : Mark::none;
    case Rule::flagged:
      return text == "yes" ? Mark::miss : Mark::none;
    case Rule::variance:
    case Rule::utilisation:
    case Rule::sla_attainment:
      break;
    }
    const std::optional<double> x = number_of(text);
    if (!x) return Mark::none;
    if (rule == Rule::variance) return std::abs(*x) > variance_max_ ? Mark::miss : Mark::none;
    if (rule == Rule::utilisation) return *x < utilisation_ ? Mark::miss : Mark::none;
    std::optional<double> goal;
    if (const auto g = field(columns.sla_goal)) goal = number_of(*g);
    if (!goal)
      if (const auto region = field(columns.region))
        for (const auto &[name, value] : sla_by_region_)
          if (name == *region) goal = value;
    return goal && !std::isnan(*goal) && *x < *goal ? Mark::miss : Mark::none;
  }

private:
  double utilisation_, variance_max_;
  std::vector<std::pair<std::string, double>> sla_by_region_;
};

/// The plan of column `name`: its kind and its rule (docs/metrics.md, "results.xlsx").
ColumnPlan plan_column(std::string_view name, const Columns &columns) {
  ColumnPlan plan;
  plan.kind = column_kind(name);
  plan.by_unit = columns.unit && (name == "goal" || name == "value_mean" || name == "value_ci95");
  plan.by_figure = columns.figure &&
                   (name == "forecast" || name == "simulated_mean" || name == "simulated_ci95");
  if (name == "verdict" || name == "target_verdict")
    plan.rule = Rule::verdict;
  else if (name == "value_mean" && columns.verdict)
    plan.rule = Rule::row_verdict;
  else if (name == "flagged")
    plan.rule = Rule::flagged;
  else if (name == "variance")
    plan.rule = Rule::variance;
  else if (name == "utilisation" || name == "utilisation_mean")
    plan.rule = Rule::utilisation;
  else if (name == "sla_attainment" || name == "sla_attainment_mean")
    plan.rule = Rule::sla_attainment;
  return plan;
}

/// The kind of a cell of `plan` on `row`: the column's, or the one the row's `unit` (scorecard)
/// or `figure` (variance) sets.
ColumnKind kind_on_row(const ColumnPlan &plan, const Row &row, const Columns &columns) {
  if (plan.by_unit && *columns.unit < row.size()) {
    const std::string_view unit = row[*columns.unit];
    if (unit == "share") return ColumnKind::share;
    if (unit == "change") return ColumnKind::change;
    if (unit == "money") return ColumnKind::money;
    if (unit == "cases") return ColumnKind::count;
  }
  if (plan.by_figure && *columns.figure < row.size()) {
    const std::string_view figure = row[*columns.figure];
    return figure == "workload_fte" ? ColumnKind::number : column_kind(figure);
  }
  return plan.kind;
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
  CsvRows rows(sheet.csv);
  Row row;
  if (!rows.next(row)) return;
  const std::vector<std::string> header(row.begin(), row.end());
  auto index_of = [&](std::string_view name) -> std::optional<std::size_t> {
    const auto found = std::find(header.begin(), header.end(), name);
    if (found == header.end()) return std::nullopt;
    return static_cast<std::size_t>(found - header.begin());
  };
  const Columns columns{index_of("unit"), index_of("figure"), index_of("verdict"),
                        index_of("sla_attainment_goal"), index_of("region")};
  std::vector<ColumnPlan> plans;
  for (const std::string &name : header)
    plans.push_back(plan_column(name, columns));
  std::vector<std::pair<std::size_t, std::string_view>> keep; // column index, value
  for (const auto &[column, value] : sheet.keep) {
    const auto found = index_of(column);
    if (!found)
      throw OutputError(fmt::format("results.xlsx: {} has no column {} for the sheet {}",
                                    sheet.csv_name, column, sheet.name));
    keep.emplace_back(*found, value);
  }
  std::vector<std::size_t> widths(header.size(), 8);
  for (std::size_t c = 0; c < header.size(); ++c) {
    check(worksheet_write_string(ws, 0, static_cast<lxw_col_t>(c), header[c].c_str(),
                                 formats.header()),
          sheet);
    widths[c] = std::max(widths[c], std::min<std::size_t>(header[c].size() + 2, 24));
  }
  lxw_row_t r = 0;
  std::string text_cell;
  while (rows.next(row)) {
    if (!std::all_of(keep.begin(), keep.end(), [&](const auto &k) {
          return k.first < row.size() && row[k.first] == k.second;
        }))
      continue;
    ++r;
    for (std::size_t c = 0; c < row.size() && c < header.size(); ++c) {
      const std::string_view text = row[c];
      if (text.empty()) continue; // undefined: an empty cell, as the CSV's empty field
      const ColumnKind kind = kind_on_row(plans[c], row, columns);
      lxw_format *format = formats.cell(kind, goals.mark(plans[c].rule, text, row, columns));
      const auto col = static_cast<lxw_col_t>(c);
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
      text_cell.assign(text);
      check(worksheet_write_string(ws, r, col, text_cell.c_str(), format), sheet);
      widths[c] = std::max(widths[c], std::min<std::size_t>(text.size() + 2, 60));
    }
  }
  for (std::size_t c = 0; c < widths.size(); ++c)
    check(worksheet_set_column(ws, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c),
                               static_cast<double>(widths[c]), nullptr),
          sheet);
  worksheet_freeze_panes(ws, 1, 0);
  check(worksheet_autofilter(ws, 0, 0, r, static_cast<lxw_col_t>(header.size() - 1)), sheet);
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
  auto add = [&](std::string sheet, std::string_view file,
                 std::vector<std::pair<std::string, std::string>> keep = {}) {
    if (const std::string *text = file_named(files, file))
      sheets.push_back({std::move(sheet), std::string(file), *text, std::move(keep)});
  };
  add("Scorecard", "scorecard.csv");
  // The finest intervals: the run's intervals_<length>.csv, its rows of every case (it also has
  // rows per channel and per priority).
  const auto finest = std::find_if(files.begin(), files.end(), [](const auto &file) {
    return starts_with(file.first, "intervals_") && ends_with(file.first, ".csv");
  });
  if (finest != files.end()) {
    CsvRows rows(finest->second);
    Row header;
    rows.next(header);
    std::vector<std::pair<std::string, std::string>> keep;
    for (const std::string_view margin : {"channel", "priority"})
      if (std::find(header.begin(), header.end(), margin) != header.end())
        keep.emplace_back(margin, "all");
    add("Intervals", finest->first, std::move(keep));
  }
  add("Daily", "daily.csv");
  add("Weekly", "weekly.csv");
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
