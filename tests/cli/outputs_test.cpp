// Outputs under faults (docs/reliability.md), the real binary run like a user and interrupted:
// a run killed at any moment leaves its --out folder holding the whole old set or the whole new
// set; SIGINT and SIGTERM leave no temporary file behind and what kill -9 leaves is removed by
// the next write; a read-only or full disk is a clear error with nothing half-written; a closed
// or failing stdout is the same error for every command that prints.
//
// The children are started with posix_spawn (not /bin/sh) so that a signal reaches supportsim
// itself, with SIGINT, SIGTERM, SIGHUP and SIGPIPE at their default actions.
#include "tests/support/files.hpp"
#include "tests/support/temp_dir.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <csignal>
#include <fcntl.h>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <functional>
#include <map>
#include <optional>
#include <poll.h>
#include <sched.h>
#include <spawn.h>
#include <sstream>
#include <string>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

extern char **environ; // NOLINT: POSIX's, for posix_spawn

namespace fs = std::filesystem;
using supportsim::testing::TempDir;

namespace {

using supportsim::testing::read_text;

const std::string cli = SUPPORTSIM_CLI;
const std::string source_dir = SUPPORTSIM_SOURCE_DIR;
const std::string week = source_dir + "/tests/scenarios/good/three_regions_week.json";

/// The files of `run --out`.
const std::vector<std::string> run_set{"agents.csv",    "callcentre.csv",   "demand.csv",
                                       "intervals.csv", "replications.csv", "report.html",
                                       "results.xlsx",  "scorecard.csv",    "summary.csv",
                                       "summary.json",  "variance.csv"};

/// Where a child's stdout goes.
enum class Stdout { file, closed, full, pipe_closed_by_reader };

struct Launch {
  std::vector<std::string> args;
  fs::path logs; ///< stdout and stderr go to files here
  Stdout out = Stdout::file;
  bool sigpipe_ignored = false;         ///< started with SIGPIPE ignored, as by some parents
  bool low_priority_on_one_cpu = false; ///< see Child's constructor
  fs::path cwd{};                       ///< the working folder, if not the test's
};

/// A running supportsim. Killed with SIGKILL if still running when destroyed.
class Child {
public:
  /// With `low_priority_on_one_cpu`, the child runs at nice 5 on the one CPU the test itself
  /// then runs on, so that the test, woken by a change in a folder, preempts the child at once
  /// and its signal lands within a few system calls of that change.
  explicit Child(const Launch &launch) : logs_(launch.logs) {
    std::vector<std::string> words;
    if (launch.low_priority_on_one_cpu && fs::exists("/usr/bin/nice"))
      words = {"/usr/bin/nice", "-n", "5"};
    words.push_back(cli);
    words.insert(words.end(), launch.args.begin(), launch.args.end());
    std::vector<char *> argv;
    for (std::string &w : words)
      argv.push_back(w.data());
    argv.push_back(nullptr);

    posix_spawn_file_actions_t files;
    posix_spawn_file_actions_init(&files);
    posix_spawn_file_actions_addopen(&files, 0, "/dev/null", O_RDONLY, 0);
    if (!launch.cwd.empty()) posix_spawn_file_actions_addchdir_np(&files, launch.cwd.c_str());
    const std::string out = (logs_ / "stdout").string(), err = (logs_ / "stderr").string();
    int pipe_ends[2] = {-1, -1};
    switch (launch.out) {
    case Stdout::file:
      posix_spawn_file_actions_addopen(&files, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      break;
    case Stdout::closed:
      posix_spawn_file_actions_addclose(&files, 1);
      break;
    case Stdout::full:
      posix_spawn_file_actions_addopen(&files, 1, "/dev/full", O_WRONLY, 0);
      break;
    case Stdout::pipe_closed_by_reader:
      REQUIRE(::pipe2(pipe_ends, O_CLOEXEC) == 0);
      ::close(pipe_ends[0]); // the reader is gone before the first write
      posix_spawn_file_actions_adddup2(&files, pipe_ends[1], 1);
      break;
    }
    posix_spawn_file_actions_addopen(&files, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);

    posix_spawnattr_t attributes;
    posix_spawnattr_init(&attributes);
    sigset_t defaults, none;
    sigemptyset(&defaults);
    for (const int s : {SIGINT, SIGTERM, SIGHUP})
      sigaddset(&defaults, s);
    if (!launch.sigpipe_ignored) sigaddset(&defaults, SIGPIPE);
    sigemptyset(&none);
    posix_spawnattr_setsigdefault(&attributes, &defaults);
    posix_spawnattr_setsigmask(&attributes, &none);
    posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);

    // An ignored signal stays ignored across exec: the child inherits SIGPIPE's disposition.
    struct sigaction ignore {
    }, before{};
    ignore.sa_handler = SIG_IGN;
    if (launch.sigpipe_ignored) ::sigaction(SIGPIPE, &ignore, &before);
    cpu_set_t all;
    const bool pinned = launch.low_priority_on_one_cpu &&
                        ::sched_getaffinity(0, sizeof all, &all) == 0 && pin_to_one_cpu(all);
    const int spawned = ::posix_spawn(&pid_, argv[0], &files, &attributes, argv.data(), environ);
    if (pinned) restore_affinity_ = all;
    if (launch.sigpipe_ignored) ::sigaction(SIGPIPE, &before, nullptr);
    posix_spawn_file_actions_destroy(&files);
    posix_spawnattr_destroy(&attributes);
    if (pipe_ends[1] >= 0) ::close(pipe_ends[1]);
    REQUIRE(spawned == 0);
  }
  ~Child() {
    if (!status_) {
      ::kill(pid_, SIGKILL);
      int ignored = 0;
      ::waitpid(pid_, &ignored, 0);
    }
    if (restore_affinity_) ::sched_setaffinity(0, sizeof *restore_affinity_, &*restore_affinity_);
  }
  Child(const Child &) = delete;
  Child &operator=(const Child &) = delete;

  void signal(int s) const { ::kill(pid_, s); }

  /// Whether the child has ended (reaped), without waiting.
  bool ended() {
    if (status_) return true;
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) status_ = status;
    return status_.has_value();
  }

  /// Waits for the end, at most two minutes: the exit code as a shell reports it, 128 + N for
  /// death by signal N.
  int wait() {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(2);
    while (!ended()) {
      if (std::chrono::steady_clock::now() > deadline) {
        ::kill(pid_, SIGKILL);
        FAIL("supportsim did not end within two minutes");
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    return WIFSIGNALED(*status_) ? 128 + WTERMSIG(*status_) : WEXITSTATUS(*status_);
  }

  std::string out() const { return read_text(logs_ / "stdout"); }
  std::string err() const { return read_text(logs_ / "stderr"); }

private:
  static bool pin_to_one_cpu(const cpu_set_t &all) {
    for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu)
      if (CPU_ISSET(cpu, &all)) {
        cpu_set_t one;
        CPU_ZERO(&one);
        CPU_SET(cpu, &one);
        return ::sched_setaffinity(0, sizeof one, &one) == 0;
      }
    return false;
  }

  fs::path logs_;
  pid_t pid_ = 0;
  std::optional<int> status_;
  std::optional<cpu_set_t> restore_affinity_;
};

/// Runs supportsim to its end; returns the exit code, with stdout and stderr in `logs`.
int run_to_end(const std::vector<std::string> &args, const fs::path &logs,
               Stdout out = Stdout::file, std::string *err = nullptr) {
  Child child({args, logs, out});
  const int code = child.wait();
  if (err) *err = child.err();
  return code;
}

/// Every entry of `folder` (hidden ones too) with its content; folders as "<folder>".
std::map<std::string, std::string> contents(const fs::path &folder) {
  std::map<std::string, std::string> out;
  for (const fs::directory_entry &e : fs::directory_iterator(folder))
    out[e.path().filename().string()] = e.is_directory() ? "<folder>" : read_text(e.path());
  return out;
}

/// The names in `folder` and below that are temporaries ("….tmp-PID…").
std::vector<std::string> temporaries(const fs::path &folder) {
  std::vector<std::string> out;
  for (const fs::directory_entry &e : fs::recursive_directory_iterator(folder))
    if (e.path().filename().string().find(".tmp-") != std::string::npos)
      out.push_back(e.path().lexically_relative(folder).string());
  return out;
}

/// A process id that is certainly not running: that of a child that has ended.
pid_t dead_pid() {
  pid_t pid = 0;
  char name[] = "true";
  char *argv[] = {name, nullptr};
  REQUIRE(::posix_spawnp(&pid, "true", nullptr, nullptr, argv, environ) == 0);
  int status = 0;
  ::waitpid(pid, &status, 0);
  return pid;
}

/// Changes in folders, as inotify reports them: creations, renames and removals.
class FolderWatch {
public:
  explicit FolderWatch(const std::vector<fs::path> &folders)
      : fd_(::inotify_init1(IN_NONBLOCK | IN_CLOEXEC)) {
    REQUIRE(fd_ >= 0);
    for (const fs::path &f : folders)
      REQUIRE(::inotify_add_watch(fd_, f.c_str(),
                                  IN_CREATE | IN_MOVED_FROM | IN_MOVED_TO | IN_DELETE) >= 0);
  }
  ~FolderWatch() { ::close(fd_); }
  FolderWatch(const FolderWatch &) = delete;
  FolderWatch &operator=(const FolderWatch &) = delete;

  /// Waits up to `ms` for changes; returns how many arrived.
  int changes(int ms) {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, ms) <= 0) return 0;
    alignas(inotify_event) char buffer[16384];
    int count = 0;
    for (ssize_t n; (n = ::read(fd_, buffer, sizeof buffer)) > 0;)
      for (char *at = buffer; at < buffer + n;) {
        const auto *event = reinterpret_cast<const inotify_event *>(at);
        at += sizeof(inotify_event) + event->len;
        ++count;
      }
    return count;
  }

private:
  int fd_;
};

/// A signal's name for messages.
std::string signal_name(int s) {
  return s == SIGKILL ? "SIGKILL" : s == SIGTERM ? "SIGTERM" : s == SIGINT ? "SIGINT" : "SIGHUP";
}

} // namespace

TEST_CASE("outputs: a run killed at any moment leaves the whole old --out set or the whole new "
          "one, and no temporary after SIGINT or SIGTERM",
          "[cli][outputs]") {
  const TempDir dir, logs;
  const fs::path results = dir.path() / "results";
  // Two sets, of seeds 1 and 2; each run writes the one the folder does not hold.
  const auto args = [&](int seed, const fs::path &out) {
    return std::vector<std::string>{
        "run",    week, "--replications", "2",         "--seed", std::to_string(seed),
        "--jobs", "1",  "--out",          out.string()};
  };
  std::map<std::string, std::string> sets[2];
  for (const int seed : {1, 2}) {
    const fs::path reference = dir.path() / "reference";
    REQUIRE(run_to_end(args(seed, reference), logs.path()) == 0);
    sets[seed - 1] = contents(reference);
    REQUIRE(sets[seed - 1].size() == run_set.size());
    fs::remove_all(reference);
  }
  REQUIRE(sets[0].at("summary.json") != sets[1].at("summary.json"));
  REQUIRE(run_to_end(args(1, results), logs.path()) == 0);
  int holding = 0; // the index of the set the folder holds

  // The moments: after the Nth change in the folder or beside it (inotify), so that the kills
  // fall while the files are written and renamed, whatever the machine's speed.
  int replaced = 0, kept = 0;
  for (const int after_changes : {1, 3, 9, 11, 14, 20}) {
    for (const int s : {SIGKILL, SIGTERM, SIGINT}) {
      INFO(signal_name(s) << " after " << after_changes << " changes");
      const int writing = 1 - holding;
      FolderWatch watch({dir.path(), results});
      Child child({args(writing + 1, results), logs.path(), Stdout::file, false, true});
      for (int seen = 0; seen < after_changes && !child.ended();)
        seen += watch.changes(5);
      child.signal(s);
      const int code = child.wait();
      CHECK((code == 0 || code == 128 + s));
      const auto now = contents(results);
      if (now == sets[writing]) {
        holding = writing;
        ++replaced;
      } else if (now == sets[holding]) {
        ++kept;
      } else {
        std::string names;
        for (const auto &[name, text] : now)
          names +=
              fmt::format(" {}{}", name,
                          sets[holding].count(name) && sets[holding].at(name) == text   ? "(old)"
                          : sets[writing].count(name) && sets[writing].at(name) == text ? "(new)"
                                                                                        : "(?)");
        FAIL("the folder holds neither set whole:" << names);
      }
      if (s != SIGKILL) CHECK(temporaries(dir.path()).empty());
    }
  }
  // The kills fell on both sides of the swap.
  CHECK(kept > 0);
  CHECK(replaced > 0);

  // What the kills -9 left is gone after the next write to the folder.
  REQUIRE(run_to_end(args(2 - holding, results), logs.path()) == 0);
  CHECK(contents(results) == sets[1 - holding]);
  CHECK(temporaries(dir.path()).empty());
}

TEST_CASE("outputs: --out keeps the other files of the folder and drops a set's retired file",
          "[cli][outputs]") {
  const TempDir dir;
  const fs::path results = dir.path() / "results";
  dir.write("results/notes.txt", "mine");
  dir.write("results/old/keep.csv", "1,2\n");
  fs::create_symlink("notes.txt", results / "link");
  REQUIRE(run_to_end({"run", week, "--replications", "2", "--out", results.string()}, dir.path()) ==
          0);
  const auto now = contents(results);
  CHECK(now.size() == run_set.size() + 3);
  CHECK(now.at("notes.txt") == "mine");
  CHECK(read_text(results / "old" / "keep.csv") == "1,2\n");
  CHECK(fs::read_symlink(results / "link") == "notes.txt");
  CHECK(temporaries(dir.path()).empty());

  SECTION("a symbolic link named by --out stays a link to the folder") {
    const fs::path link = dir.path() / "latest";
    fs::create_directory_symlink(results, link);
    REQUIRE(run_to_end({"run", week, "--replications", "2", "--seed", "9", "--out", link.string()},
                       dir.path()) == 0);
    CHECK(fs::is_symlink(link));
    CHECK(read_text(results / "notes.txt") == "mine");
    CHECK(read_text(results / "summary.json").find("\"seed\": 9") != std::string::npos);
  }
  SECTION("plan without a plan leaves no plan-scenario.json of an earlier plan") {
    const fs::path plan = dir.path() / "plan";
    dir.write("plan/plan-scenario.json", "{\"from\": \"an earlier plan\"}");
    // Targets no headcount meets: no plan.
    std::string err;
    const int code = run_to_end({"plan", week, "--vary-headcount", "tokyo-l1", "--targets",
                                 "P1=0.999999", "--confidence", "mean", "--replications", "2",
                                 "--max-evaluations", "3", "--out", plan.string()},
                                dir.path(), Stdout::file, &err);
    INFO(err);
    REQUIRE(code == 0);
    const std::string json = read_text(plan / "plan.json");
    if (json.find("\"plan\": null") != std::string::npos)
      CHECK_FALSE(fs::exists(plan / "plan-scenario.json"));
    else
      CHECK(read_text(plan / "plan-scenario.json").find("an earlier plan") == std::string::npos);
  }
}

TEST_CASE("outputs: SIGINT, SIGTERM and SIGHUP during --trace or synth leave no temporary "
          "file, and end the process by that signal",
          "[cli][outputs]") {
  const TempDir dir;
  const fs::path trace = dir.path() / "trace.csv", arrivals = dir.path() / "arrivals.csv";
  dir.write("trace.csv", "the old trace\n");
  for (const int s : {SIGINT, SIGTERM, SIGHUP}) {
    for (const bool synth : {false, true}) {
      INFO(signal_name(s) << (synth ? " during synth" : " during run --trace"));
      const std::vector<std::string> args =
          synth ? std::vector<std::string>{"synth", "--days", "1461", "--out", arrivals.string()}
                : std::vector<std::string>{"run", "--replications", "4",           "--jobs",
                                           "2",   "--trace",        trace.string()};
      Child child({args, dir.path()});
      // Until the temporaries hold something: the signal falls mid-write.
      const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
      std::uintmax_t written = 0;
      while (written < 100000 && !child.ended() && std::chrono::steady_clock::now() < deadline) {
        written = 0;
        for (const fs::directory_entry &e : fs::directory_iterator(dir.path()))
          if (e.path().filename().string().find(".tmp-") != std::string::npos)
            written += e.file_size();
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
      }
      REQUIRE(written >= 100000);
      child.signal(s);
      CHECK(child.wait() == 128 + s);
      CHECK(temporaries(dir.path()).empty());
      CHECK(read_text(trace) == "the old trace\n");
      CHECK_FALSE(fs::exists(arrivals));
    }
  }
}

TEST_CASE("outputs: what a killed process left is removed by the next write to the same path, "
          "and only that",
          "[cli][outputs]") {
  const TempDir dir;
  const pid_t dead = dead_pid();
  const std::string live = std::to_string(::getpid());
  // As left by kill -9: a trace's parts and joined file, a synth's file, a result set's new
  // folder, a per-file temporary of an older version inside the set's folder.
  for (const std::string &name :
       {fmt::format(".trace.csv.tmp-{}", dead), fmt::format(".trace.csv.tmp-{}.0", dead),
        fmt::format(".trace.csv.tmp-{}.1", dead), fmt::format(".arrivals.csv.tmp-{}", dead),
        fmt::format("results/.summary.json.tmp-{}", dead),
        fmt::format(".results.tmp-{}/summary.json", dead),
        // A running process's (this test's), and a name that only looks like one: kept.
        fmt::format(".trace.csv.tmp-{}", live), std::string(".trace.csv.tmp-notapid")})
    dir.write(name, "left behind");
  const std::vector<std::string> kept{".trace.csv.tmp-" + live, ".trace.csv.tmp-notapid"};

  REQUIRE(
      run_to_end({"run", week, "--replications", "2", "--trace",
                  (dir.path() / "trace.csv").string(), "--out", (dir.path() / "results").string()},
                 dir.path()) == 0);
  REQUIRE(run_to_end({"synth", week, "--out", (dir.path() / "arrivals.csv").string()},
                     dir.path()) == 0);
  std::vector<std::string> left = temporaries(dir.path());
  std::sort(left.begin(), left.end());
  CHECK(left == kept);

  SECTION("a swap killed between its two renames: the old folder is put back first") {
    // Where the file system has no atomic exchange, the old folder is moved aside, then the new
    // one renamed in; killed in between, there is no folder at all until the next write.
    dir.write(fmt::format(".moved.tmp-{}.old/notes.txt", dead), "mine");
    REQUIRE(
        run_to_end({"run", week, "--replications", "2", "--out", (dir.path() / "moved").string()},
                   dir.path()) == 0);
    CHECK(read_text(dir.path() / "moved" / "notes.txt") == "mine");
    CHECK(fs::exists(dir.path() / "moved" / "summary.json"));
    CHECK_FALSE(fs::exists(dir.path() / fmt::format(".moved.tmp-{}.old", dead)));
  }
}

namespace {

/// A small file system mounted for a test (root only, where mount works): read-only or tiny.
class Mount {
public:
  /// Mounts a tmpfs of `size` at `at`; with `prepare`, fills it first, then makes it read-only.
  Mount(const fs::path &at, const std::string &size, bool read_only,
        const std::function<void(const fs::path &)> &prepare = {})
      : at_(at) {
    fs::create_directories(at);
    if (::geteuid() != 0) return;
    const std::string mount =
        fmt::format("mount -t tmpfs -o size={} tmpfs '{}' 2>/dev/null", size, at.string());
    if (std::system(mount.c_str()) != 0) return;
    mounted_ = true;
    if (prepare) prepare(at);
    if (read_only)
      mounted_ru_ = std::system(fmt::format("mount -o remount,ro '{}'", at.string()).c_str()) == 0;
  }
  ~Mount() {
    if (mounted_) std::system(fmt::format("umount '{}'", at_.string()).c_str());
  }
  Mount(const Mount &) = delete;
  Mount &operator=(const Mount &) = delete;
  bool mounted() const { return mounted_; }
  bool read_only() const { return mounted_ru_; }

private:
  fs::path at_;
  bool mounted_ = false, mounted_ru_ = false;
};

} // namespace

TEST_CASE("outputs: a read-only folder is refused before the run, its results untouched",
          "[cli][outputs]") {
  const TempDir dir;
  const fs::path area = dir.path() / "area";
  const auto fill = [](const fs::path &at) {
    fs::create_directories(at / "results");
    std::ofstream(at / "results" / "summary.json") << "the old summary\n";
  };
  Mount mount(area, "4m", true, fill);
  constexpr fs::perms writable =
      fs::perms::owner_write | fs::perms::group_write | fs::perms::others_write;
  if (!mount.mounted()) {
    // Not root: folders without write permission do the same.
    fill(area);
    fs::permissions(area / "results", writable, fs::perm_options::remove);
    fs::permissions(area, writable, fs::perm_options::remove);
  } else {
    REQUIRE(mount.read_only());
  }
  for (const fs::path &out : {area / "results", area / "new"}) {
    INFO(out);
    std::string err;
    const int code = run_to_end({"run", week, "--replications", "2", "--out", out.string()},
                                dir.path(), Stdout::file, &err);
    CHECK(code == 2);
    CHECK_THAT(err, Catch::StartsWith("supportsim: error: " + out.string() + ": cannot"));
    CHECK(err.find("replications in") == std::string::npos); // refused before the simulation
  }
  CHECK(contents(area / "results") ==
        std::map<std::string, std::string>{{"summary.json", "the old summary\n"}});
  if (!mount.mounted()) {
    fs::permissions(area, fs::perms::owner_write, fs::perm_options::add);
    fs::permissions(area / "results", fs::perms::owner_write, fs::perm_options::add);
  }
}

TEST_CASE("outputs: a full disk is a clear error that leaves no file half-written",
          "[cli][outputs]") {
  const TempDir dir;
  const fs::path area = dir.path() / "small";
  Mount mount(area, "256k", false);
  if (!mount.mounted()) {
    WARN("not root, or mount refused: the full-disk case is not run");
    return;
  }
  const std::vector<std::vector<std::string>> commands{
      {"run", week, "--replications", "2", "--out", (area / "results").string()},
      {"run", week, "--replications", "2", "--trace", (area / "trace.csv").string()},
      {"synth", week, "--out", (area / "arrivals.csv").string()}};
  for (const auto &args : commands) {
    INFO(args[0] << " " << args.back());
    std::string err;
    CHECK(run_to_end(args, dir.path(), Stdout::file, &err) == 2);
    CHECK_THAT(err, Catch::Contains("No space left on device"));
    CHECK(temporaries(area).empty());
  }
  // The folder made ready before the run stays empty; no trace, no arrivals file.
  CHECK(contents(area) == std::map<std::string, std::string>{{"results", "<folder>"}});
  CHECK(fs::is_empty(area / "results"));
}

namespace {

/// A small call-centre history (60 calls, one a minute) and its roster, for calibrate and
/// backtest.
void write_history(const TempDir &dir) {
  std::string calls = "case_id,created_utc,channel,answered_utc,abandoned_utc,handle_minutes,"
                      "agent,group\n";
  for (int i = 0; i < 60; ++i)
    calls += fmt::format("{},2027-02-01T08:{:02}:00Z,phone,2027-02-01T08:{:02}:20Z,,3,a{},agents\n",
                         i, i, i, i % 2);
  dir.write("calls.csv", calls);
  dir.write("roster.csv", "agent,group,start_utc,end_utc\n"
                          "a0,agents,2027-02-01T08:00:00Z,2027-02-01T10:00:00Z\n"
                          "a1,agents,2027-02-01T08:00:00Z,2027-02-01T10:00:00Z\n");
}

} // namespace

TEST_CASE("outputs: stdout closed, full or a closed pipe is one documented behaviour for every "
          "command",
          "[cli][outputs]") {
  const TempDir dir;
  write_history(dir);
  const auto in_dir = [&](const char *name) { return (dir.path() / name).string(); };
  const std::string single_queue = source_dir + "/scenarios/single-queue.json";
  REQUIRE(run_to_end({"synth", week, "--out", in_dir("arrivals.csv")}, dir.path()) == 0);
  REQUIRE(run_to_end({"calibrate", in_dir("calls.csv"), "--scenario", single_queue, "--out",
                      in_dir("ours.json")},
                     dir.path()) == 0);
  for (const char *k : {"1/2", "2/2"})
    REQUIRE(run_to_end({"sweep", week, "--vary", "demand.daily_cv=0.1,0.2", "--replications", "2",
                        "--shard", k, "--out", in_dir("parts")},
                       dir.path()) == 0);

  // Every command that prints something on stdout, with arguments that succeed.
  const std::vector<std::vector<std::string>> printing{
      {"run", week, "--replications", "2"},
      {"forecast", week},
      {"plan", week, "--vary-headcount", "tokyo-l1", "--targets", "P1=0.5", "--confidence", "mean",
       "--replications", "2", "--max-evaluations", "3"},
      {"sweep", week, "--vary", "demand.daily_cv=0.1", "--replications", "2"},
      {"merge", in_dir("parts/sweep-part-1-of-2.json"), in_dir("parts/sweep-part-2-of-2.json"),
       "--out", in_dir("merged")},
      {"calibrate", in_dir("calls.csv"), "--scenario", single_queue, "--out", in_dir("c.json")},
      {"backtest", in_dir("calls.csv"), "--staffing", in_dir("roster.csv"), "--scenario",
       in_dir("ours.json"), "--replications", "2"},
      {"validate", week},
      {"show", week},
      {"schema"},
      {"--help"},
      {"--version"},
      {"run", "--help"},
      {"validate", "--help"}};
  for (const auto &args : printing) {
    INFO("supportsim " << args[0] << " " << (args.size() > 1 ? args[1] : ""));
    std::string err;
    // As the shell's `>&-` leaves it, and a full disk (/dev/full).
    CHECK(run_to_end(args, dir.path(), Stdout::closed, &err) == 1);
    CHECK(err.find("supportsim: error: cannot write to standard output: Bad file descriptor\n") !=
          std::string::npos);
    CHECK(run_to_end(args, dir.path(), Stdout::full, &err) == 1);
    CHECK(err.find("supportsim: error: cannot write to standard output: No space left on "
                   "device\n") != std::string::npos);
  }

  // A reader that closed the pipe ends supportsim by SIGPIPE, silently, as it does cat; with
  // SIGPIPE ignored by the parent, the failed write is the same error as above.
  for (const char *command : {"show", "schema"}) {
    INFO(command);
    Child quiet({{command}, dir.path(), Stdout::pipe_closed_by_reader});
    CHECK(quiet.wait() == 128 + SIGPIPE);
    CHECK(quiet.err().empty());
    Child loud({{command}, dir.path(), Stdout::pipe_closed_by_reader, true});
    CHECK(loud.wait() == 1);
    CHECK(loud.err() == "supportsim: error: cannot write to standard output: Broken pipe\n");
  }

  // Commands that print nothing on stdout do not fail for its being closed; what they write
  // is whole, and nothing of stdout lands in their files.
  const std::vector<std::vector<std::string>> silent{
      {"synth", week, "--out", in_dir("closed.csv")},
      {"fit", in_dir("arrivals.csv"), "--out", in_dir("fitted.json")},
      {"sweep", week, "--vary", "demand.daily_cv=0.1", "--replications", "2", "--shard", "1/1",
       "--out", in_dir("one")}};
  for (const auto &args : silent) {
    INFO("supportsim " << args[0]);
    std::string err;
    CHECK(run_to_end(args, dir.path(), Stdout::closed, &err) == 0);
    CHECK(err.find("error") == std::string::npos);
  }
  CHECK(read_text(in_dir("closed.csv")) == read_text(in_dir("arrivals.csv")));

  // `run --out DIR >&-`: the files are written (the first file opened must not take the
  // closed descriptor 1 and receive the report), then the report fails.
  std::string err;
  CHECK(run_to_end(
            {"run", week, "--replications", "2", "--format", "json", "--out", in_dir("closed-run")},
            dir.path(), Stdout::closed, &err) == 1);
  CHECK(contents(in_dir("closed-run")).size() == run_set.size());
  CHECK(read_text(in_dir("closed-run/summary.json")).rfind("{", 0) == 0);
}

TEST_CASE("outputs: a folder that cannot be swapped is written file by file after a named "
          "warning",
          "[cli][outputs]") {
  const TempDir dir;
  const fs::path here = dir.path() / "here";
  dir.write("here/notes.txt", "mine");
  Child child({{"run", week, "--replications", "2", "--out", "."},
               dir.path(),
               Stdout::file,
               false,
               false,
               here});
  CHECK(child.wait() == 0);
  CHECK_THAT(child.err(),
             Catch::StartsWith("supportsim: warning: --out .: it is the current folder, so its "
                               "files are replaced one by one, not as a whole"));
  CHECK(contents(here).size() == run_set.size() + 1);
  CHECK(temporaries(dir.path()).empty());

  const fs::path volume = dir.path() / "volume";
  const Mount mount(volume, "8m", false);
  if (!mount.mounted()) return; // not root, or mount refused
  std::string err;
  CHECK(run_to_end({"run", week, "--replications", "2", "--out", volume.string()}, dir.path(),
                   Stdout::file, &err) == 0);
  CHECK_THAT(err, Catch::StartsWith("supportsim: warning: --out " + volume.string() +
                                    ": it is a mount point"));
  CHECK(contents(volume).size() == run_set.size());
  CHECK(temporaries(volume).empty());
}

TEST_CASE("outputs: a device or a pipe named as an output file is refused, not replaced",
          "[cli][outputs]") {
  // Written beside and renamed into place, `synth --out /dev/null` run as root would put a
  // regular file in /dev/null's place. A pipe in a scratch folder stands for any such file.
  const TempDir dir;
  const fs::path pipe = dir.path() / "pipe";
  REQUIRE(::mkfifo(pipe.c_str(), 0600) == 0);
  for (const std::vector<std::string> &args :
       {std::vector<std::string>{"synth", week, "--out", pipe.string()},
        std::vector<std::string>{"run", week, "--replications", "2", "--trace", pipe.string()}}) {
    INFO(args[0]);
    std::string err;
    CHECK(run_to_end(args, dir.path(), Stdout::file, &err) == 2);
    CHECK_THAT(
        err, Catch::StartsWith("supportsim: error: " + pipe.string() + ": is not a regular file"));
    CHECK(fs::is_fifo(pipe));
    CHECK(temporaries(dir.path()).empty());
  }
}
