#include "analysis/output/output.hpp"

#include <cerrno>
#include <cmath>
#include <cstring>
#include <fmt/format.h>
#include <fstream>
#include <unistd.h>

namespace supportsim::analysis {

namespace fs = std::filesystem;

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

std::string format_percent(double mean, double half_width) {
  if (std::isnan(mean)) return "-";
  if (std::isnan(half_width)) return fmt::format("{:.1f}%", 100 * mean);
  return fmt::format("{:.1f}% ± {:.1f}", 100 * mean, 100 * half_width);
}

std::string format_signed_percent(double x) {
  if (std::isnan(x)) return "-";
  const double tenths = std::round(1000 * x) / 10; // so that -0.04 % reads 0.0 %, not -0.0 %
  return tenths == 0 ? "0.0%" : fmt::format("{:+.1f}%", tenths);
}

std::string format_minutes(double minutes) {
  if (std::isnan(minutes)) return "-";
  if (minutes < 100) return fmt::format("{:.1f} min", minutes);
  if (minutes < 48 * 60) return fmt::format("{:.1f} h", minutes / 60);
  return fmt::format("{:.1f} d", minutes / (24 * 60));
}

std::string format_money(double x) {
  return std::isnan(x) ? "-" : fmt::format("{:.2f}", x);
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

fs::path temporary_path(const fs::path &final_path) {
  return final_path.parent_path() /
         fmt::format(".{}.tmp-{}", final_path.filename().string(), ::getpid());
}

void prepare_output_folder(const fs::path &folder) {
  std::error_code ec;
  if (fs::exists(folder, ec) && !fs::is_directory(folder, ec))
    throw OutputError(
        fmt::format("{}: is not a folder; expected a folder for the results", folder.string()));
  fs::create_directories(folder, ec);
  if (ec)
    throw OutputError(
        fmt::format("{}: cannot create the folder: {}", folder.string(), ec.message()));
}

void check_output_file(const fs::path &path) {
  std::error_code ec;
  if (fs::is_directory(path, ec))
    throw OutputError(fmt::format("{}: is a folder; expected a file name", path.string()));
  const fs::path folder = path.parent_path().empty() ? fs::path(".") : path.parent_path();
  if (!fs::is_directory(folder, ec))
    throw OutputError(
        fmt::format("{}: the folder {} does not exist", path.string(), folder.string()));
}

void write_files_atomically(const fs::path &folder,
                            const std::vector<std::pair<std::string, std::string>> &files) {
  prepare_output_folder(folder);
  std::error_code ec;

  std::vector<fs::path> written;
  auto discard = [&] {
    for (const fs::path &p : written) {
      std::error_code ignored;
      fs::remove(p, ignored);
    }
  };
  for (const auto &[name, content] : files) {
    const fs::path temporary = temporary_path(folder / name);
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    if (out) written.push_back(temporary);
    out << content;
    out.flush();
    if (!out) {
      const std::string why = std::strerror(errno);
      discard();
      throw OutputError(fmt::format("{}: cannot write: {}", (folder / name).string(), why));
    }
  }
  for (std::size_t i = 0; i < files.size(); ++i) {
    fs::rename(written[i], folder / files[i].first, ec);
    if (ec) {
      discard();
      throw OutputError(
          fmt::format("{}: cannot write: {}", (folder / files[i].first).string(), ec.message()));
    }
  }
}

} // namespace supportsim::analysis
