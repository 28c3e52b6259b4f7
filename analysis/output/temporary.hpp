#pragma once

// The hidden temporary files and folders that results are written under before they are
// published by a rename: ".NAME.tmp-PID" beside the final NAME. Each lives in a Temporary,
// which removes it when the write fails or ends, and which the command-line program removes
// on SIGINT, SIGTERM and SIGHUP too (remove_temporaries_on_signals). What a kill -9 leaves is
// removed by the next write to the same name (remove_stale_temporaries).

#include <filesystem>
#include <functional>

namespace supportsim::analysis {

/// Where to write `final_path` before renaming it into place: a hidden name beside it that
/// carries the process id, so two runs writing to one folder do not collide
/// (".summary.json.tmp-4242").
std::filesystem::path temporary_path(const std::filesystem::path &final_path);

/// A temporary file or folder, removed (with all it holds) when this goes out of scope, and
/// by remove_temporaries_on_signals' handler if a signal ends the process first. Creating
/// what `path()` names is the owner's job; a rename that publishes it goes through publish().
class Temporary {
public:
  explicit Temporary(std::filesystem::path path);
  ~Temporary();
  Temporary(const Temporary &) = delete;
  Temporary &operator=(const Temporary &) = delete;

  const std::filesystem::path &path() const { return path_; }

  /// Runs `rename` (which moves this temporary into its final place) so that a signal's
  /// clean-up never runs during it: the clean-up removes the temporary either wholly before
  /// the rename or not at all, and never touches what the rename put in place.
  static void publish(const std::function<void()> &rename);

private:
  std::filesystem::path path_;
};

/// Removes what earlier processes left of writes to `final_path` when they were killed before
/// they could clean up: the entries ".NAME.tmp-PID" and ".NAME.tmp-PID.N" beside it whose
/// process PID no longer runs. Those of running processes are left alone.
void remove_stale_temporaries(const std::filesystem::path &final_path);

/// For main(), before any thread starts: SIGINT, SIGTERM and SIGHUP are from then on taken by
/// a thread of their own, which removes every live Temporary and then ends the process by the
/// same signal, so the exit status still says which signal ended it.
void remove_temporaries_on_signals();

} // namespace supportsim::analysis
