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
  /// `done` of `total` units of work. A `total` that is an estimate (plan's search, whose length
  /// shows only as it goes) is drawn as "~30", and so is the ETA; `label` says what is being
  /// done, after the figures.
  void operator()(std::size_t done, std::size_t total, std::string_view label = {},
                  bool estimated = false);
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
