#include "analysis/report/format.hpp"

#include <fmt/format.h>

namespace supportsim::analysis {

using nlohmann::ordered_json;

std::string format_percent(double mean, double half_width) {
  if (std::isnan(mean)) return "-";
  if (std::isnan(half_width)) return fmt::format("{:.1f}%", 100 * mean);
  return fmt::format("{:.1f}% ± {:.1f}", 100 * mean, 100 * half_width);
}

std::string format_whole_percent(double share) {
  return fmt::format("{:.0f}%", 100 * share);
}

std::string format_signed_percent(double x) {
  if (std::isnan(x)) return "-";
  const double tenths = std::round(1000 * x) / 10; // so that -0.04 % reads 0.0 %, not -0.0 %
  return tenths == 0 ? "0.0%" : fmt::format("{:+.1f}%", tenths);
}

std::string format_goal(double share) {
  return fmt::format("{:g}%", 100 * share);
}

std::string format_points(double mean, double half_width) {
  if (std::isnan(mean)) return "-";
  const std::string points = fmt::format("{:+.2f}", 100 * mean);
  return std::isnan(half_width) ? points : fmt::format("{} ± {:.2f}", points, 100 * half_width);
}

std::string format_minutes(double minutes) {
  if (std::isnan(minutes)) return "-";
  if (minutes < 100) return fmt::format("{:.1f} min", minutes);
  if (minutes < 48 * 60) return fmt::format("{:.1f} h", minutes / 60);
  return fmt::format("{:.1f} d", minutes / (24 * 60));
}

std::string format_days(sim::Duration span) {
  return fmt::format("{:g}", span.to_hours() / 24);
}

std::string format_money(double x) {
  return std::isnan(x) ? "-" : fmt::format("{:.2f}", x);
}

std::string format_amount(const Estimate &e) {
  if (std::isnan(e.mean)) return "-";
  if (std::isnan(e.half_width)) return fmt::format("{:.0f}", e.mean);
  return fmt::format("{:.0f} ± {:.0f}", e.mean, e.half_width);
}

std::string format_signed_amount(const Estimate &e) {
  if (std::isnan(e.mean)) return "-";
  const std::string amount = fmt::format("{:+.0f}", e.mean);
  return std::isnan(e.half_width) ? amount : fmt::format("{} ± {:.0f}", amount, e.half_width);
}

std::string join(const std::vector<std::string> &items, std::string_view separator) {
  std::string out;
  for (const std::string &item : items) {
    if (!out.empty()) out += separator;
    out += item;
  }
  return out;
}

std::string wrap_text(const std::string &text, std::size_t width, const std::string &indent) {
  std::string out, line = indent;
  std::size_t at = 0;
  while (at < text.size()) {
    std::size_t next = text.find(' ', at);
    if (next == std::string::npos) next = text.size();
    const std::string word = text.substr(at, next - at);
    if (line.size() > indent.size() && line.size() + 1 + word.size() > width) {
      out += line + "\n";
      line = indent + "  ";
    }
    line += (line.size() > indent.size() && line.back() != ' ' ? " " : "") + word;
    at = next + 1;
  }
  return out + line + "\n";
}

std::string csv_field(std::string_view text) {
  if (text.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(text);
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

std::string csv_number(double x) {
  return std::isnan(x) ? "" : fmt::format("{}", x);
}

ordered_json json_number(double x) {
  return std::isnan(x) ? ordered_json(nullptr) : ordered_json(x);
}

ordered_json estimate_json(const Estimate &e) {
  return {{"mean", json_number(e.mean)}, {"ci95", json_number(e.half_width)}, {"n", e.n}};
}

ordered_json mean_ci_json(const Estimate &e) {
  return {{"mean", json_number(e.mean)}, {"ci95", json_number(e.half_width)}};
}

} // namespace supportsim::analysis
