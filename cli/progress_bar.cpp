#include "cli/progress_bar.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <iostream>
#include <unistd.h>

namespace supportsim::cli {

namespace {

/// "m:ss", or "h:mm:ss" from an hour on.
std::string clock_time(double seconds) {
  const auto s = static_cast<long>(std::lround(seconds));
  return s >= 3600 ? fmt::format("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
                   : fmt::format("{}:{:02}", s / 60, s % 60);
}

} // namespace

ProgressBar::ProgressBar() : enabled_(::isatty(STDERR_FILENO) == 1) {}

bool ProgressBar::due(bool always) {
  const auto now = std::chrono::steady_clock::now();
  if (!always && drawn_ && now - last_ < std::chrono::milliseconds(100)) return false;
  last_ = now;
  drawn_ = true;
  return true;
}

double ProgressBar::elapsed_seconds() const {
  return std::chrono::duration<double>(last_ - started_).count();
}

void ProgressBar::operator()(std::size_t done, std::size_t total, std::string_view label,
                             bool estimated) {
  if (!enabled_ || total == 0 || !due(done >= total)) return;
  const double elapsed = elapsed_seconds();
  const double share = std::min(1.0, static_cast<double>(done) / static_cast<double>(total));
  constexpr std::size_t bar_width = 24;
  const auto filled = static_cast<std::size_t>(share * bar_width);
  const char *about = estimated ? "~" : "";
  const std::string eta =
      done == 0
          ? std::string("?")
          : fmt::format("{}{}", about,
                        clock_time(elapsed * static_cast<double>(total - std::min(done, total)) /
                                   static_cast<double>(done)));
  // Clear to the end of the line: a label is shorter than the last one at times.
  std::cerr << fmt::format("\r[{}{}] {}/{}{} {:3.0f}% · elapsed {} · ETA {}{}{}\033[K",
                           std::string(filled, '#'), std::string(bar_width - filled, '.'), done,
                           about, total, 100 * share, clock_time(elapsed), eta,
                           label.empty() ? "" : " · ", label)
            << std::flush;
}

void ProgressBar::finish() {
  if (drawn_) std::cerr << '\n';
}

} // namespace supportsim::cli
