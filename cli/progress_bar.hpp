#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>

namespace supportsim::cli {

/// A progress bar on stderr, redrawn in place ("\r") at most ten times a second: done/total,
/// the share done, the time so far and the time still to go. Drawn only on a terminal, so logs
/// and pipes stay quiet.
class ProgressBar {
public:
  /// Enabled when stderr is a terminal.
  ProgressBar();
  void operator()(std::size_t done, std::size_t total);
  /// For work of unknown size (plan's search): `text` and the time so far, in place of the bar.
  void status(std::string_view text);
  /// Ends the bar's line, if one was drawn.
  void finish();

private:
  /// Whether to draw now: not more than ten times a second, unless `always`.
  bool due(bool always);
  double elapsed_seconds() const;

  bool enabled_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now(), last_;
};

} // namespace supportsim::cli
