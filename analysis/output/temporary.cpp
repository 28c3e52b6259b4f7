#include "analysis/output/temporary.hpp"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <csignal>
#include <fmt/format.h>
#include <mutex>
#include <pthread.h>
#include <string>
#include <string_view>
#include <thread>
#include <unistd.h>
#include <vector>

namespace supportsim::analysis {

namespace fs = std::filesystem;

namespace {

/// The temporaries alive in this process. The one process-wide state of the program, because
/// signals are process-wide: a handler has no other way to find them. Never destroyed, so a
/// signal arriving while the program exits still finds it whole.
struct Registry {
  std::mutex mutex;
  std::vector<fs::path> paths;
};

Registry &registry() {
  static Registry *const live = new Registry;
  return *live;
}

/// The process `pid` still runs (or runs as another user): its temporaries are not stale.
bool running(long pid) {
  if (pid <= 0) return true; // not a name we wrote: leave it
  if (pid == static_cast<long>(::getpid())) return true;
  return ::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM;
}

/// The process id in `name` if it is ".BASE.tmp-PID", ".BASE.tmp-PID.N" or ".BASE.tmp-PID.old"
/// for the final name BASE; 0 otherwise. `old` says whether it is the last form (a folder of
/// results moved aside by a swap that did not finish, see output.cpp).
long temporary_owner(std::string_view name, std::string_view base, bool &old) {
  const std::string prefix = fmt::format(".{}.tmp-", base);
  if (name.substr(0, prefix.size()) != prefix) return 0;
  name.remove_prefix(prefix.size());
  long pid = 0;
  const auto [end, error] = std::from_chars(name.data(), name.data() + name.size(), pid);
  if (error != std::errc{} || end == name.data()) return 0;
  std::string_view rest(end, static_cast<std::size_t>(name.data() + name.size() - end));
  old = rest == ".old";
  if (old || rest.empty()) return pid;
  if (rest[0] != '.' || rest.size() == 1) return 0;
  const bool digits =
      std::all_of(rest.begin() + 1, rest.end(), [](char c) { return c >= '0' && c <= '9'; });
  return digits ? pid : 0;
}

/// What the signal thread does: removes every live temporary, then ends the process by
/// `signal`. The registry's lock is never released, so no rename publishes a temporary and no
/// temporary is forgotten from here until the process ends.
[[noreturn]] void clean_up_and_end(int signal) {
  Registry &r = registry();
  r.mutex.lock();
  for (const fs::path &path : r.paths)
    // A writer thread may add a file to a temporary folder while it is being emptied; a few
    // tries outlast it.
    for (int attempt = 0; attempt < 5; ++attempt) {
      std::error_code ec;
      fs::remove_all(path, ec);
      if (!ec) break;
    }
  std::signal(signal, SIG_DFL);
  sigset_t only;
  sigemptyset(&only);
  sigaddset(&only, signal);
  ::pthread_sigmask(SIG_UNBLOCK, &only, nullptr);
  std::raise(signal);
  ::_exit(128 + signal); // not reached: the default action of these signals ends the process
}

} // namespace

fs::path temporary_path(const fs::path &final_path) {
  return final_path.parent_path() /
         fmt::format(".{}.tmp-{}", final_path.filename().string(), ::getpid());
}

Temporary::Temporary(fs::path path) : path_(std::move(path)) {
  Registry &r = registry();
  const std::lock_guard lock(r.mutex);
  r.paths.push_back(path_);
}

Temporary::~Temporary() {
  std::error_code ignored;
  fs::remove_all(path_, ignored);
  Registry &r = registry();
  const std::lock_guard lock(r.mutex);
  const auto at = std::find(r.paths.begin(), r.paths.end(), path_);
  if (at != r.paths.end()) r.paths.erase(at);
}

void Temporary::publish(const std::function<void()> &rename) {
  const std::lock_guard lock(registry().mutex);
  rename();
}

void remove_stale_temporaries(const fs::path &final_path) {
  const fs::path folder =
      final_path.parent_path().empty() ? fs::path(".") : final_path.parent_path();
  const std::string base = final_path.filename().string();
  std::error_code ec;
  std::vector<fs::path> stale, moved_aside;
  for (fs::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec)) {
    bool old = false;
    const long pid = temporary_owner(it->path().filename().string(), base, old);
    if (pid == 0 || running(pid)) continue;
    (old ? moved_aside : stale).push_back(it->path());
  }
  // A swap of result folders killed between its two renames left the old results moved aside
  // and nothing at the final name: the old results go back.
  for (const fs::path &aside : moved_aside)
    if (!fs::exists(final_path, ec)) {
      fs::rename(aside, final_path, ec);
      if (ec) stale.push_back(aside);
    } else {
      stale.push_back(aside);
    }
  for (const fs::path &path : stale)
    fs::remove_all(path, ec);
}

void remove_temporaries_on_signals() {
  sigset_t taken;
  sigemptyset(&taken);
  int count = 0;
  for (const int signal : {SIGINT, SIGTERM, SIGHUP}) {
    // A signal ignored on purpose (nohup, a background job) stays ignored.
    struct sigaction current {};
    if (::sigaction(signal, nullptr, &current) == 0 && current.sa_handler == SIG_IGN) continue;
    sigaddset(&taken, signal);
    ++count;
  }
  if (count == 0) return;
  ::pthread_sigmask(SIG_BLOCK, &taken, nullptr);
  std::thread([taken] {
    int signal = 0;
    while (::sigwait(&taken, &signal) != 0) {
    }
    clean_up_and_end(signal);
  }).detach();
}

} // namespace supportsim::analysis
