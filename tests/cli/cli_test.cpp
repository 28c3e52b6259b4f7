// The supportsim binary run like a user runs it: exit codes, what goes to stdout and what to
// stderr, the error line for every bad scenario file, and reproducible output.
//
// Each invocation goes through /bin/sh with stdout and stderr redirected to files in a fresh
// temporary directory, under `timeout` where available so a hang fails the test rather than the
// suite. Every run is short (two or three replications, or a one-week scenario).
#include "scenarios/scenario.hpp"
#include "tests/support/files.hpp"
#include "tests/support/temp_dir.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

using supportsim::testing::read_text;
using supportsim::testing::quote;

const std::string cli = SUPPORTSIM_CLI;
const std::string source_dir = SUPPORTSIM_SOURCE_DIR;
const std::string good_dir = source_dir + "/tests/scenarios/good/";
const std::string bad_dir = source_dir + "/tests/scenarios/bad/";
const std::string week = good_dir + "three_regions_week.json";

std::vector<std::string> lines_of(const std::string &text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    lines.push_back(line);
  return lines;
}

using supportsim::testing::TempDir;

struct Outcome {
  int exit_code;   ///< as a shell reports it: 128 + N for death by signal N
  std::string out; ///< stdout
  std::string err; ///< stderr
};

/// How to run the binary beyond its arguments.
struct Setting {
  std::string stdout_to{}; ///< replaces the captured stdout, e.g. /dev/full
  std::string stack_kib{}; ///< a stack limit (ulimit -s), to keep a runaway recursion cheap
};

/// Runs `supportsim ARGS...` from a fresh temporary directory, each argument quoted for the
/// shell, with no core files.
Outcome run_cli(const std::vector<std::string> &args, const Setting &setting = {}) {
  const TempDir dir;
  const fs::path out = dir.path() / "stdout", err = dir.path() / "stderr";
  static const bool have_timeout = fs::exists("/usr/bin/timeout") || fs::exists("/bin/timeout");
  // Built with append: GCC 12 reports a false -Wrestrict for "literal" + std::string&&.
  std::string command = "cd ";
  command.append(quote(dir.path().string())).append(" && ulimit -c 0 && ");
  if (!setting.stack_kib.empty())
    command.append("ulimit -s ").append(setting.stack_kib).append(" && ");
  if (have_timeout) command.append("timeout -k 5 60 ");
  command.append(quote(cli));
  for (const std::string &arg : args)
    command.append(" ").append(quote(arg));
  command.append(" </dev/null >")
      .append(quote(setting.stdout_to.empty() ? out.string() : setting.stdout_to));
  command.append(" 2>").append(quote(err.string()));
  const int status = std::system(command.c_str());
  REQUIRE(status != -1);
  // Decoded by hand (the <sys/wait.h> macros use old-style casts): the low 7 bits are the
  // signal that killed the shell, if any; otherwise the exit status is in the next byte.
  const int signal = status & 0x7f;
  const int exit_code = signal != 0 ? 128 + signal : (status >> 8) & 0xff;
  return {exit_code, read_text(out), read_text(err)};
}

/// The arguments joined with spaces, for messages.
std::string joined(const std::vector<std::string> &args) {
  std::string out;
  for (const std::string &arg : args)
    out.append(out.empty() ? "" : " ").append(arg);
  return out;
}

/// Whether `err` is exactly the wall-clock line "supportsim: N replications in 0.12 s\n".
/// (Checked by hand: std::regex draws GCC 12 -Wmaybe-uninitialized under the sanitizers.)
bool is_timing_line(const std::string &err, std::uint32_t replications) {
  const std::string head = "supportsim: " + std::to_string(replications) +
                           (replications == 1 ? " replication in " : " replications in ");
  if (err.rfind(head, 0) != 0) return false;
  const std::string seconds = err.substr(head.size()); // "12.34 s\n"
  const auto is_digit = [](char c) { return c >= '0' && c <= '9'; };
  const std::size_t dot = seconds.find('.');
  if (dot == std::string::npos || dot == 0 || seconds.size() != dot + 6) return false;
  return std::all_of(seconds.begin(), seconds.begin() + static_cast<std::ptrdiff_t>(dot),
                     is_digit) &&
         is_digit(seconds[dot + 1]) && is_digit(seconds[dot + 2]) &&
         seconds.compare(dot + 3, 3, " s\n") == 0;
}

/// The bad scenario files (and one path that does not exist), sorted.
std::vector<std::string> bad_paths() {
  std::vector<std::string> paths{bad_dir + "does_not_exist.json"};
  for (const auto &entry : fs::directory_iterator(bad_dir))
    if (entry.path().extension() == ".json") paths.push_back(entry.path().string());
  std::sort(paths.begin(), paths.end());
  return paths;
}

std::vector<std::string> good_paths() {
  std::vector<std::string> paths;
  for (const auto &entry : fs::directory_iterator(good_dir))
    if (entry.path().extension() == ".json") paths.push_back(entry.path().string());
  std::sort(paths.begin(), paths.end());
  return paths;
}

/// The line the CLI must print for a bad file: "supportsim: error: " and the loader's what().
/// Empty if the loader does not throw a ScenarioError for it (a loader bug, tested elsewhere).
std::string expected_error_line(const std::string &path) {
  try {
    supportsim::scenarios::load_scenario_file(path);
  } catch (const supportsim::scenarios::ScenarioError &e) {
    return std::string("supportsim: error: ") + e.what();
  } catch (...) {
  }
  return "";
}

} // namespace

TEST_CASE("cli: --version prints the version", "[cli]") {
  const std::string flag = GENERATE(as<std::string>{}, "--version", "-V");
  const Outcome r = run_cli({flag});
  CHECK(r.exit_code == 0);
  CHECK(r.out == "supportsim 0.1.0\n");
  CHECK(r.err.empty());
}

TEST_CASE("cli: --help lists the commands on stdout", "[cli]") {
  const std::string flag = GENERATE(as<std::string>{}, "--help", "-h", "help");
  const Outcome r = run_cli({flag});
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("supportsim run") && Catch::Contains("supportsim validate") &&
                        Catch::Contains("Exit codes"));
  CHECK(r.err.empty());
}

TEST_CASE("cli: run --help and validate --help describe their options", "[cli]") {
  const Outcome run = run_cli({"run", "--help"});
  CHECK(run.exit_code == 0);
  CHECK_THAT(run.out, Catch::Contains("--seed") && Catch::Contains("--replications") &&
                          Catch::Contains("--jobs") && Catch::Contains("--format"));
  CHECK(run.err.empty());

  const Outcome validate = run_cli({"validate", "--help"});
  CHECK(validate.exit_code == 0);
  CHECK_THAT(validate.out, Catch::Contains("supportsim validate FILE"));
  CHECK(validate.err.empty());
}

TEST_CASE("cli: no arguments prints the usage on stderr and exits 2", "[cli]") {
  const Outcome r = run_cli({});
  CHECK(r.exit_code == 2);
  CHECK(r.out.empty());
  CHECK_THAT(r.err, Catch::Contains("Usage:") && Catch::Contains("supportsim run"));
}

TEST_CASE("cli: command-line mistakes exit 2 with a message that names them", "[cli]") {
  struct Mistake {
    std::vector<std::string> args;
    std::vector<std::string> words;
  };
  const Mistake m = GENERATE(values<Mistake>({
      {{"frobnicate"},
       {R"(unknown command "frobnicate")",
        "run, forecast, plan, sweep, merge, synth, fit, calibrate, backtest, validate, show or "
        "schema"}},
      {{"schema", "extra"}, {"schema takes no arguments"}},
      {{"run", "--frobnicate"}, {"--frobnicate"}},
      {{"run", "--format", "xml"}, {"--format", "table or json", "xml"}},
      {{"run", "--replications", "0"}, {"--replications", "from 1 to 100000", R"(found "0")"}},
      {{"run", "--jobs", "-1"}, {"--jobs", "from 1 to 1024", R"(found "-1")"}},
      {{"validate", "--frobnicate"}, {R"(unknown option "--frobnicate")"}},
      {{"run", "--replications", "two"}, {"--replications", "two"}},
      {{"run", "--seed"}, {"--seed"}},
      {{"run", week, week}, {"one scenario file", "found 2"}},
      {{"validate"}, {"at least one scenario file"}},
  }));
  INFO("supportsim " << joined(m.args));
  const Outcome r = run_cli(m.args);
  CHECK(r.exit_code == 2);
  CHECK(r.out.empty());
  CHECK_THAT(r.err, Catch::StartsWith("supportsim: error: "));
  CHECK_THAT(r.err, Catch::EndsWith("Try 'supportsim --help'.\n"));
  for (const std::string &word : m.words)
    CHECK_THAT(r.err, Catch::Contains(word));
}

TEST_CASE("cli: a negative --replications is a usage error", "[cli]") {
  // Boost.Program_options reads "-1" into an unsigned option as 4294967295; the run then tries
  // to hold four billion replications. It must be refused like --replications 0.
  const Outcome r = run_cli({"run", week, "--replications", "-1"});
  CHECK(r.exit_code == 2);
  CHECK(r.out.empty());
  CHECK_THAT(r.err, Catch::StartsWith("supportsim: error: ") && Catch::Contains("--replications"));
}

TEST_CASE("cli: a negative --seed is a usage error", "[cli]") {
  // A scenario file with "seed": -1 is refused; on the command line the same -1 is silently
  // read as 18446744073709551615.
  const Outcome r = run_cli({"run", week, "--seed", "-1", "--format", "json"});
  CHECK(r.exit_code == 2);
  CHECK(r.out.empty());
  CHECK_THAT(r.err, Catch::StartsWith("supportsim: error: ") && Catch::Contains("--seed"));
}

TEST_CASE("cli: run on each bad file prints one error line and exits 2", "[cli]") {
  const std::string path = GENERATE(from_range(bad_paths()));
  INFO("supportsim run " << path);
  const Outcome r = run_cli({"run", path});
  CHECK(r.exit_code == 2);
  CHECK(r.out.empty());
  const std::vector<std::string> lines = lines_of(r.err);
  REQUIRE(lines.size() == 1);
  CHECK_THAT(r.err, Catch::EndsWith("\n"));
  // "supportsim: error: FILE: /pointer: ..." (or FILE:LINE:COLUMN / FILE alone for problems of
  // the whole file), exactly as the loader words it.
  CHECK_THAT(lines[0], Catch::StartsWith("supportsim: error: " + path));
  const std::string expected = expected_error_line(path);
  CHECK_FALSE(expected.empty());
  CHECK(lines[0] == expected);
}

TEST_CASE("cli: validate reports every bad file, in order, on stderr", "[cli]") {
  const std::vector<std::string> paths = bad_paths();
  std::vector<std::string> args{"validate"};
  std::string expected;
  for (const std::string &path : paths) {
    args.push_back(path);
    expected.append(expected_error_line(path)).append("\n");
  }
  const Outcome r = run_cli(args);
  CHECK(r.exit_code == 2);
  CHECK(r.out.empty());
  CHECK(lines_of(r.err).size() == paths.size());
  CHECK(r.err == expected);
}

TEST_CASE("cli: validate on good files prints one ok line each and exits 0", "[cli]") {
  const std::vector<std::string> paths = good_paths();
  REQUIRE(paths.size() >= 3);
  std::vector<std::string> args{"validate"};
  args.insert(args.end(), paths.begin(), paths.end());
  const Outcome r = run_cli(args);
  CHECK(r.exit_code == 0);
  CHECK(r.err.empty());
  const std::vector<std::string> lines = lines_of(r.out);
  REQUIRE(lines.size() == paths.size());
  for (std::size_t i = 0; i < paths.size(); ++i)
    CHECK_THAT(lines[i], Catch::StartsWith(paths[i] + ": ok ("));
  CHECK_THAT(r.out, Catch::Contains(week + ": ok (150 agents in 17 groups at 8 sites, 15000 "
                                           "cases a month, 0 warnings)\n"));
}

TEST_CASE("cli: validate with good and bad files checks them all and exits 2", "[cli]") {
  const std::string good = good_dir + "minimal.json";
  const std::string bad = bad_dir + "group_key_typo.json";
  const std::string error = "supportsim: error: " + bad +
                            R"(: /agent_groups/1/headcont: unknown key "headcont"; did you mean )" +
                            R"("headcount"?)" + "\n";
  const std::string ok = good + ": ok (2 agents in 1 group at 1 site, 2000 cases a month, 0 "
                                "warnings)\n";

  SECTION("good then bad") {
    const Outcome r = run_cli({"validate", good, bad});
    CHECK(r.exit_code == 2);
    CHECK(r.out == ok);
    CHECK(r.err == error);
  }
  SECTION("bad then good: the good file is still checked") {
    const Outcome r = run_cli({"validate", bad, good});
    CHECK(r.exit_code == 2);
    CHECK(r.out == ok);
    CHECK(r.err == error);
  }
}

TEST_CASE("cli: validate never exits 0 after reporting an error", "[cli]") {
  // `validate BAD --help` printed the error for BAD, then the help, and exited 0: a script
  // checking the exit status would take BAD as valid.
  const std::string bad = bad_dir + "group_key_typo.json";
  const Outcome r = run_cli({"validate", bad, "--help"});
  INFO("stdout: " << r.out << "\nstderr: " << r.err);
  CHECK((r.exit_code == 2 || (r.exit_code == 0 && r.err.empty())));
}

TEST_CASE("cli: run --format json is reproducible and well-formed", "[cli]") {
  const std::vector<std::string> args{"run", "--format", "json", "--replications",
                                      "3",   "--seed",   "7"};
  const Outcome first = run_cli(args);
  const Outcome second = run_cli(args);
  REQUIRE(first.exit_code == 0);
  REQUIRE(second.exit_code == 0);
  REQUIRE_FALSE(first.out.empty());
  CHECK(first.out == second.out);
  // Wall-clock time goes to stderr, and only there.
  CHECK(is_timing_line(first.err, 3));
  CHECK(first.out.find("replications in") == std::string::npos);

  const nlohmann::json doc = nlohmann::json::parse(first.out);
  for (const char *key : {"supportsim_version", "scenario", "seed", "replications", "warmup_days",
                          "measured_days", "regions", "all"})
    CHECK(doc.contains(key));
  CHECK(doc["supportsim_version"] == "0.1.0");
  CHECK(doc["scenario"]["name"] == "default");
  CHECK(doc["scenario"]["source"] == "(embedded default)");
  CHECK(doc["seed"] == 7);
  CHECK(doc["replications"] == 3);
  CHECK(doc["warmup_days"] == 7);
  CHECK(doc["measured_days"] == 91);
  REQUIRE(doc["regions"].is_array());
  REQUIRE(doc["regions"].size() == 3);
  CHECK(doc["regions"][0]["name"] == "AMER");
  CHECK(doc["regions"][1]["name"] == "EMEA");
  CHECK(doc["regions"][2]["name"] == "APJC");
  CHECK(doc["regions"][0]["agents"] == 60); // AMER's sites: Austin and San Francisco
  CHECK(doc["regions"][0]["priorities"].size() == 4);
  CHECK(doc["all"]["name"] == "all");
  CHECK(doc["all"]["agents"] == 150);
  CHECK(doc["all"]["all"]["offered"]["n"] == 3);
  CHECK(doc["all"]["utilisation"]["mean"].get<double>() > 0.3);
  CHECK(doc["all"]["cost_per_resolved"]["mean"].get<double>() > 0);

  // 15,000 cases a month growing 1.5 % a month, less on holidays: about 45,000 in 91 days.
  // The whole is the sum of the regions.
  const double offered = doc["all"]["all"]["offered"]["mean"].get<double>();
  CHECK(offered == Approx(15000 * 91 / 30.4375).epsilon(0.05));
  double by_region = 0;
  for (const auto &q : doc["regions"])
    by_region += q["all"]["offered"]["mean"].get<double>();
  CHECK(by_region == Approx(offered));

  // (No SECTIONs here: each would re-run the invocations above.)
  // The number of threads does not change a byte.
  std::vector<std::string> one_job = args, two_jobs = args;
  one_job.insert(one_job.end(), {"--jobs", "1"});
  two_jobs.insert(two_jobs.end(), {"--jobs", "2"});
  const Outcome one = run_cli(one_job);
  const Outcome two = run_cli(two_jobs);
  CHECK(one.exit_code == 0);
  CHECK(two.exit_code == 0);
  CHECK(one.out == first.out);
  CHECK(two.out == first.out);

  // Another seed gives other figures.
  const Outcome other = run_cli({"run", "--format", "json", "--replications", "3", "--seed", "8"});
  CHECK(other.exit_code == 0);
  REQUIRE_FALSE(other.out.empty());
  CHECK(other.out != first.out);
  CHECK(nlohmann::json::parse(other.out)["seed"] == 8);
}

TEST_CASE("cli: the table report names the regions and their utilisation", "[cli]") {
  const Outcome r = run_cli({"run", "--replications", "2"});
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::StartsWith("supportsim 0.1.0 · scenario \"default\""));
  CHECK_THAT(r.out, Catch::Contains("150 agents in 17 groups at 8 sites · seed 1 · 2 replications\n"
                                    "7 days warm-up, then 91 days measured from "
                                    "2027-01-11T00:00:00Z\n"));
  // Every line fits in 100 columns (counting characters, not bytes: "±" and "·" are one each).
  for (const std::string &line : lines_of(r.out)) {
    std::size_t columns = 0;
    for (const unsigned char c : line)
      columns += (c & 0xC0) != 0x80;
    INFO(line);
    CHECK(columns <= 100);
  }
  for (const char *region : {"AMER", "EMEA", "APJC"})
    CHECK_THAT(r.out, Catch::Contains(region));
  CHECK_THAT(r.out, Catch::Contains("utilisation"));
  CHECK_THAT(r.out, Catch::Contains("cost per resolved case"));
  // Wall-clock time goes to stderr, and only there.
  CHECK(is_timing_line(r.err, 2));
  CHECK(r.out.find("replications in") == std::string::npos);

  // The same seed gives the same table.
  CHECK(run_cli({"run", "--replications", "2"}).out == r.out);
}

TEST_CASE("cli: run accepts each good file", "[cli]") {
  const std::string path = GENERATE(from_range(good_paths()));
  INFO("supportsim run " << path);
  const Outcome r = run_cli({"run", path, "--replications", "2", "--format", "json"});
  CHECK(r.exit_code == 0);
  CHECK(is_timing_line(r.err, 2));
  const nlohmann::json doc = nlohmann::json::parse(r.out);
  CHECK(doc["scenario"]["source"] == path);
  CHECK(doc["replications"] == 2);
  CHECK(doc["regions"].size() ==
        supportsim::scenarios::load_scenario_file(path).organisation.regions.size());
}

TEST_CASE("cli: a failed write to stdout is not a success", "[cli]") {
  // `supportsim run > file` on a full disk must not exit 0 with the report lost.
  if (!fs::exists("/dev/full")) return;
  const Outcome r = run_cli({"run", week, "--replications", "2"}, {"/dev/full"});
  INFO("stderr: " << r.err);
  CHECK(r.exit_code != 0);
  CHECK_THAT(r.err, Catch::Contains("error"));
}

// A small stack for the nesting test: 256 KiB, but 1 MiB under AddressSanitizer, whose frames
// are several times larger (valijson's schema parser alone needs ~300 KiB there).
#if defined(__SANITIZE_ADDRESS__)
constexpr const char *small_stack_kib = "1024";
#else
constexpr const char *small_stack_kib = "256";
#endif

TEST_CASE("cli: a deeply nested mixture is refused, not a crash", "[cli]") {
  // Mixtures nest without limit, and reading them recurses with a pointer string per level:
  // 10,000 levels (a 700 kB file) take 3 GB and 2 s, and about 20,000 levels end in SIGSEGV
  // after 11 GB. To show it cheaply: 2,000 levels under a 256 KiB stack. A nesting limit with a
  // one-line error naming the file (or reading without recursion) passes.
  const TempDir dir;
  const fs::path path = dir.path() / "deep.json";
  {
    constexpr int depth = 2000;
    std::ofstream out(path);
    out << R"({"name": "deep", "horizon_days": 1, "demand": {"cases_per_month": 100}, )"
        << R"("agent_groups": [{"name": "A", "headcount": 1}], )"
        << R"("lifecycle": {"customer_wait_hours": )";
    for (int i = 0; i < depth; ++i)
      out << R"({"type": "mixture", "components": [{"weight": 1, "distribution": )";
    out << R"({"type": "constant", "value": 5})";
    for (int i = 0; i < depth; ++i)
      out << "}]}";
    out << "}}\n";
  }
  const std::string file = path.string();
  const Outcome r = run_cli({"validate", file}, {.stack_kib = small_stack_kib});
  INFO("stderr: " << r.err.substr(0, 2000));
  CHECK((r.exit_code == 0 || r.exit_code == 2));
  if (r.exit_code == 2) {
    CHECK(lines_of(r.err).size() == 1);
    CHECK_THAT(r.err, Catch::StartsWith("supportsim: error: " + file));
  }

  SECTION("a shallow nesting under the same stack is fine") {
    std::ofstream(dir.path() / "shallow.json")
        << R"({"name": "shallow", "horizon_days": 1, "demand": {"cases_per_month": 100}, )"
        << R"("agent_groups": [{"name": "A", "headcount": 1}], )"
        << R"("lifecycle": {"customer_wait_hours": {"type": "mixture", "components": [)"
        << R"({"weight": 1, "distribution": {"type": "constant", "value": 5}}]}}})";
    const Outcome shallow = run_cli({"validate", (dir.path() / "shallow.json").string()},
                                    {.stack_kib = small_stack_kib});
    CHECK(shallow.exit_code == 0);
    CHECK_THAT(shallow.out, Catch::Contains("shallow.json: ok"));
  }
}

TEST_CASE("cli: schema prints the JSON Schema of scenario files", "[cli]") {
  const Outcome r = run_cli({"schema"});
  CHECK(r.exit_code == 0);
  CHECK(r.err.empty());
  const nlohmann::json schema = nlohmann::json::parse(r.out);
  CHECK(schema["title"] == "supportsim scenario");
  CHECK(schema["properties"].contains("agent_groups"));
}

TEST_CASE("cli: run --out writes the summary files, all complete, and nothing else", "[cli]") {
  const TempDir dir;
  const fs::path out = dir.path() / "results" / "q1";
  const Outcome r = run_cli({"run", week, "--replications", "3", "--seed", "5", "--format", "json",
                             "--out", out.string()});
  REQUIRE(r.exit_code == 0);
  std::vector<std::string> names;
  for (const auto &entry : fs::directory_iterator(out))
    names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  CHECK(names == std::vector<std::string>{"agents.csv", "callcentre.csv", "demand.csv",
                                          "intervals.csv", "replications.csv", "report.html",
                                          "results.xlsx", "scorecard.csv", "summary.csv",
                                          "summary.json", "variance.csv"});
  // The file is the very document printed on stdout.
  CHECK(read_text(out / "summary.json") == r.out);

  const nlohmann::json summary = nlohmann::json::parse(r.out);
  const std::size_t regions = summary["regions"].size();
  const auto summary_csv = lines_of(read_text(out / "summary.csv"));
  REQUIRE(summary_csv.size() == 1 + (regions + 1) * 5); // header, 4 priorities + all, overall
  CHECK_THAT(summary_csv[0], Catch::StartsWith("region,priority,sla_attainment_goal"));
  CHECK_THAT(summary_csv.back(), Catch::StartsWith("all,all,"));
  const auto replications_csv = lines_of(read_text(out / "replications.csv"));
  CHECK(replications_csv.size() == 1 + 3 * (regions + 1) * 5);
  CHECK_THAT(replications_csv[1], Catch::StartsWith("0,"));
  // Per region, a row for the week, each of its 7 days and each of its 168 hours.
  const auto intervals_csv = lines_of(read_text(out / "intervals.csv"));
  CHECK(intervals_csv.size() == 1 + regions * (1 + 7 + 168));
  CHECK_THAT(intervals_csv[0], Catch::StartsWith("region,interval,start_utc,offered_mean,"));
  CHECK_THAT(intervals_csv[1], Catch::StartsWith("AMER,week,2027-01-05T00:00:00Z,"));
  CHECK_THAT(intervals_csv[3], Catch::StartsWith("AMER,day,2027-01-06T00:00:00Z,"));
  CHECK_THAT(intervals_csv[10], Catch::StartsWith("AMER,hour,2027-01-05T01:00:00Z,"));
  // Per region and synchronous channel, a row per hour of the region's local time (AMER is
  // America/Chicago, UTC-6 in January).
  const auto callcentre_csv = lines_of(read_text(out / "callcentre.csv"));
  CHECK(callcentre_csv.size() == 1 + regions * 2 * 168);
  CHECK_THAT(callcentre_csv[0], Catch::StartsWith("interval_start_local,interval_start_utc,region,"
                                                  "channel,offered,"));
  CHECK_THAT(callcentre_csv[0], Catch::EndsWith(",sl_20s,sl_60s"));
  CHECK_THAT(callcentre_csv[1],
             Catch::StartsWith("2027-01-04T18:00,2027-01-05T00:00:00Z,AMER,phone,"));
  CHECK(summary["callcentre"]["sl_seconds"] == nlohmann::json::array({20, 60}));
  CHECK(summary["callcentre"]["lines"].size() == (regions + 1) * 2);
  // Per region, the week's five figures against the forecast; and the same in summary.json.
  const auto variance_csv = lines_of(read_text(out / "variance.csv"));
  CHECK(variance_csv.size() == 1 + regions * 5);
  CHECK_THAT(variance_csv[1], Catch::StartsWith("AMER,1,2027-01-05T00:00:00Z,volume,"));
  CHECK(summary["forecast_variance"]["regions"][0]["weeks"][0]["utilisation"]["forecast"] > 0.5);
  // The report names the scenario (whether it draws is tests/report/check_in_chromium.sh's).
  CHECK_THAT(read_text(out / "report.html"),
             Catch::StartsWith("<!DOCTYPE html>") && Catch::Contains("<title>") &&
                 Catch::Contains(summary["scenario"]["name"].get<std::string>()));
}

TEST_CASE("cli: run --out to a file is refused before running, and writes nothing", "[cli]") {
  const TempDir dir;
  const std::string file = dir.write("not-a-folder", "keep me");
  const Outcome r = run_cli({"run", week, "--replications", "2", "--out", file});
  CHECK(r.exit_code == 2);
  CHECK(r.out.empty());
  CHECK_THAT(r.err, Catch::StartsWith("supportsim: error: " + file + ": is not a folder"));
  CHECK_THAT(r.err, !Catch::Contains("replications in")); // refused before the simulation
  CHECK(read_text(file) == "keep me");
  CHECK(std::distance(fs::directory_iterator(dir.path()), fs::directory_iterator{}) == 1);
}

TEST_CASE("cli: run --trace writes every case event, the same whatever --jobs", "[cli]") {
  const TempDir dir;
  const std::string one = (dir.path() / "one.csv").string();
  const std::string two = (dir.path() / "two.csv").string();
  REQUIRE(run_cli({"run", week, "--replications", "3", "--jobs", "1", "--trace", one}).exit_code ==
          0);
  REQUIRE(run_cli({"run", week, "--replications", "3", "--jobs", "2", "--trace", two}).exit_code ==
          0);
  const std::string trace = read_text(one);
  CHECK(trace == read_text(two));
  // Only the two traces are left: the per-replication parts are gone.
  CHECK(std::distance(fs::directory_iterator(dir.path()), fs::directory_iterator{}) == 2);

  const auto lines = lines_of(trace);
  REQUIRE(lines.size() > 100);
  CHECK(lines[0] == "replication,time_utc,case,event,queue,region,priority,channel,segment,"
                    "product,language,agent,wait_minutes,detail");
  // Every case that arrives ends exactly once in the trace: resolved, abandoned or open.
  std::map<std::string, long> arrived, ended;
  for (std::size_t i = 1; i < lines.size(); ++i) {
    const std::string &l = lines[i];
    const std::string replication = l.substr(0, l.find(','));
    if (l.find(",arrived,") != std::string::npos) ++arrived[replication];
    if (l.find(",resolved,") != std::string::npos || l.find(",abandoned,") != std::string::npos ||
        l.find(",open_at_end,") != std::string::npos)
      ++ended[replication];
  }
  CHECK(arrived.size() == 3);
  CHECK(arrived == ended);
  CHECK_THAT(lines[1], Catch::StartsWith("0,2027-01-04T"));
  // Every kind of case event shows up.
  for (const char *event : {",first_response,", ",touch_started,", ",touch_completed,",
                            ",resolved,", ",abandoned,", ",open_at_end,"})
    CHECK_THAT(trace, Catch::Contains(event));
}

TEST_CASE("cli: run --trace into a missing folder is refused before running", "[cli]") {
  const TempDir dir;
  const std::string file = (dir.path() / "no" / "such" / "trace.csv").string();
  const Outcome r = run_cli({"run", week, "--replications", "2", "--trace", file});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::StartsWith("supportsim: error: " + file + ": the folder"));
  CHECK(std::distance(fs::directory_iterator(dir.path()), fs::directory_iterator{}) == 0);
}

TEST_CASE("cli: show prints the resolved scenario, which validates and runs", "[cli]") {
  const Outcome r = run_cli({"show", source_dir + "/scenarios/emea-hiring-freeze.json"});
  REQUIRE(r.exit_code == 0);
  const nlohmann::json shown = nlohmann::json::parse(r.out);
  CHECK_FALSE(shown.contains("extends")); // resolved
  CHECK(shown["name"] == "emea-hiring-freeze");
  CHECK(shown["agent_groups"][6]["name"] == "london-l1");
  CHECK(shown["agent_groups"][6]["headcount"] == 12);
  CHECK(shown["agent_groups"][0]["headcount"] == 20); // austin-l1, from the default
  const TempDir dir;
  const std::string file = dir.write("shown.json", r.out);
  CHECK(run_cli({"validate", file}).exit_code == 0);
  CHECK(run_cli({"show", "a.json", "b.json"}).exit_code == 2);
}

TEST_CASE("cli: synth then run --arrivals replays the very same cases", "[cli][replay]") {
  const TempDir dir;
  const std::string arrivals = (dir.path() / "arrivals.csv").string();
  const Outcome synth = run_cli({"synth", week, "--out", arrivals});
  REQUIRE(synth.exit_code == 0);
  CHECK_THAT(synth.err, Catch::StartsWith("supportsim: wrote ") &&
                            Catch::EndsWith(" cases to " + arrivals + "\n"));
  const auto rows = lines_of(read_text(arrivals));
  REQUIRE(rows.size() > 1000);
  CHECK(rows[0] == "case_id,created_utc,region,priority,channel,segment,product,language,account,"
                   "seed");
  // Replication 0 of the same seed: the replayed run is the synthesised run, byte for byte.
  const Outcome synthesised = run_cli({"run", week, "--replications", "1", "--format", "json"});
  const Outcome replayed =
      run_cli({"run", week, "--replications", "1", "--format", "json", "--arrivals", arrivals});
  REQUIRE(synthesised.exit_code == 0);
  REQUIRE(replayed.exit_code == 0);
  CHECK(replayed.out == synthesised.out);
}

TEST_CASE("cli: a bad row in --arrivals stops the run before it starts, naming the line",
          "[cli][replay]") {
  const TempDir dir;
  const std::string file = dir.write("cases.csv", "created_utc,priority\n"
                                                  "2027-01-04T10:00:00Z,P1\n"
                                                  "2027-13-04T11:00:00Z,P2\n"
                                                  "2027-01-04T12:00:00Z,P9\n");
  const std::string out = (dir.path() / "results").string();
  const Outcome r = run_cli({"run", week, "--arrivals", file, "--out", out});
  CHECK(r.exit_code == 2);
  CHECK(r.out.empty());
  REQUIRE(lines_of(r.err).size() == 1);
  CHECK_THAT(r.err, Catch::StartsWith("supportsim: error: " + file + ":3: "));
  CHECK_FALSE(fs::exists(fs::path(out) / "summary.json"));

  SECTION("--skip-bad-rows counts them, names the first ones, and runs") {
    const Outcome skipped =
        run_cli({"run", week, "--arrivals", file, "--skip-bad-rows", "--replications", "1"});
    CHECK(skipped.exit_code == 0);
    CHECK_THAT(skipped.err, Catch::Contains("skipped 2 bad rows of 3"));
    CHECK_THAT(skipped.err, Catch::Contains(file + ":3: ") && Catch::Contains(file + ":4: "));
  }
  SECTION("options of --arrivals need --arrivals") {
    const Outcome alone = run_cli({"run", week, "--sort"});
    CHECK(alone.exit_code == 2);
    CHECK_THAT(alone.err, Catch::Contains("--sort needs --arrivals FILE"));
  }
}

TEST_CASE("cli: fit estimates the demand of an export as a scenario that runs", "[cli][fit]") {
  const TempDir dir;
  const std::string arrivals = (dir.path() / "quarter.csv").string();
  const std::string fitted = (dir.path() / "fitted" / "demand.json").string();
  REQUIRE(run_cli({"synth", "--days", "91", "--out", arrivals}).exit_code == 0);
  fs::create_directories(dir.path() / "fitted");
  const Outcome fit = run_cli({"fit", arrivals, "--out", fitted});
  REQUIRE(fit.exit_code == 0);
  CHECK_THAT(fit.err, Catch::StartsWith("supportsim: fitted ") && Catch::EndsWith(fitted + "\n"));
  const nlohmann::json doc = nlohmann::json::parse(read_text(fitted));
  CHECK(doc["extends"] == "default");
  // The default's demand: 15,000 cases a month growing 1.5 % a month.
  CHECK(doc["demand"]["cases_per_month"].get<double>() == Approx(15000).epsilon(0.05));
  CHECK(doc["demand"]["hourly_profile"].size() == 24);
  CHECK(doc["regions"][2]["languages"]["ja"].get<double>() == Approx(0.25).margin(0.02));
  const Outcome run = run_cli({"run", fitted, "--replications", "1"});
  CHECK(run.exit_code == 0);

  SECTION("an export with no case is bad input") {
    const std::string empty = dir.write("empty.csv", "created_utc,priority\n");
    const Outcome r = run_cli({"fit", empty, "--out", (dir.path() / "x.json").string()});
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Catch::StartsWith("supportsim: error: " + empty + ": "));
    CHECK_FALSE(fs::exists(dir.path() / "x.json"));
  }
}

TEST_CASE("cli: run --arrivals reads a Salesforce and a Zendesk export", "[cli][replay]") {
  for (const char *format : {"salesforce", "zendesk"}) {
    const std::string file = source_dir + "/tests/scenarios/arrivals/" + format + ".csv";
    INFO(format);
    const Outcome r = run_cli({"run", week, "--arrivals", file, "--arrivals-format", format,
                               "--replications", "1", "--format", "json"});
    CHECK(r.exit_code == 0);
    CHECK(r.err.find("error") == std::string::npos);
  }
}

TEST_CASE("cli: forecast prints the analytic plan per region and week", "[cli][forecast]") {
  const Outcome r = run_cli({"forecast", week});
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::StartsWith("Capacity forecast"));
  for (const char *region : {"AMER", "EMEA", "APJC"})
    CHECK_THAT(r.out, Catch::Contains(region));
  CHECK(run_cli({"forecast", "a.json", "b.json"}).exit_code == 2);
}

TEST_CASE("cli: forecast --interval hour prints staffing by local hour and --out writes CSVs",
          "[cli][forecast]") {
  const TempDir dir;
  const fs::path out = dir.path() / "plan";
  const Outcome r = run_cli({"forecast", week, "--interval", "hour", "--out", out.string()});
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::StartsWith("Staffing by local hour"));
  CHECK_THAT(r.out, Catch::Contains("AMER (America/Chicago): "));
  CHECK_THAT(r.out, Catch::Contains("\nSun "));
  const auto weeks = lines_of(read_text(out / "forecast.csv"));
  CHECK_THAT(weeks[0], Catch::StartsWith("region,week,week_start_utc,cases,workload_hours,"));
  CHECK(weeks.size() == 1 + 3); // one week, three regions
  const auto hours = lines_of(read_text(out / "forecast-hours.csv"));
  CHECK(hours[0] == "region,hour_start_utc,cases,agents_on_duty,servers_on_duty,utilisation,"
                    "P1_sla,P2_sla,P3_sla,P4_sla,required_on_duty");
  CHECK(hours.size() == 1 + 3 * 168);
  const Outcome bad = run_cli({"forecast", week, "--interval", "day"});
  CHECK(bad.exit_code == 2);
  CHECK_THAT(bad.err, Catch::Contains(R"(--interval: expected week or hour, found "day")"));
}

TEST_CASE("cli: schema --summary prints the JSON Schema of the summary document", "[cli]") {
  const Outcome r = run_cli({"schema", "--summary"});
  CHECK(r.exit_code == 0);
  CHECK(r.err.empty());
  const nlohmann::json schema = nlohmann::json::parse(r.out);
  CHECK(schema["title"] == "supportsim summary");
  CHECK(schema["$schema"] == "http://json-schema.org/draft-07/schema#");
  CHECK(schema["properties"].contains("forecast_variance"));
  CHECK(schema["properties"].contains("regions"));

  const Outcome help = run_cli({"schema", "--help"});
  CHECK(help.exit_code == 0);
  CHECK_THAT(help.out, Catch::Contains("supportsim schema [--summary]"));
  CHECK_THAT(run_cli({"--help"}).out, Catch::Contains("supportsim schema --summary"));

  for (const std::vector<std::string> &args :
       std::vector<std::vector<std::string>>{{"schema", "--summray"}, {"schema", "summary"}}) {
    INFO("supportsim " << joined(args));
    const Outcome bad = run_cli(args);
    CHECK(bad.exit_code == 2);
    CHECK(bad.out.empty());
    CHECK_THAT(bad.err, Catch::StartsWith("supportsim: error: ") && Catch::Contains(args[1]) &&
                            Catch::EndsWith("Try 'supportsim --help'.\n"));
  }
}

TEST_CASE("cli: plan searches headcounts and writes the plan as a what-if", "[cli][plan]") {
  const TempDir dir;
  const fs::path out = dir.path() / "plan";
  const Outcome r = run_cli({"plan", week, "--vary-headcount", "tokyo-l1,sydney-l1", "--targets",
                             "P1=0.5,P2=0.5,P3=0.5,P4=0.5", "--confidence", "mean",
                             "--replications", "2", "--out", out.string()});
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::StartsWith("Plan for \"three regions, one week\"") &&
                        Catch::Contains("\ntokyo-l1  APJC     L1") &&
                        Catch::Contains("confirmed on fresh random numbers"));
  const nlohmann::json plan = nlohmann::json::parse(read_text(out / "plan.json"));
  CHECK(plan["plan"]["meets_targets"] == true);
  CHECK(plan["groups"].size() == 2);
  // The what-if loads, and runs with the plan's headcounts.
  const std::string what_if = (out / "plan-scenario.json").string();
  CHECK(run_cli({"validate", what_if}).exit_code == 0);
  const nlohmann::json shown = nlohmann::json::parse(run_cli({"show", what_if}).out);
  for (const auto &g : shown["agent_groups"])
    if (g["name"] == "tokyo-l1") CHECK(g["headcount"] == plan["groups"][0]["plan"]);
}

TEST_CASE("cli: plan refuses what it cannot search", "[cli][plan]") {
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases{
      {{"plan", week}, "plan needs --vary-headcount PATTERNS"},
      {{"plan", week, "--vary-headcount", "EMEA-L9"},
       "--vary-headcount: \"EMEA-L9\" matches no agent group; expected a group name"},
      {{"plan", week, "--vary-headcount", "EMEA-*", "--targets", "P1=2"},
       "--targets: \"P1=2\": the share must be in (0, 1]"},
      {{"plan", week, "--vary-headcount", "EMEA-*", "--confidence", "maybe"},
       "--confidence: expected ci or mean, found \"maybe\""},
      {{"plan", week, "--vary-headcount", "EMEA-*", "--replications", "1"},
       "--replications: expected a whole number from 2 to 100000, found \"1\""},
  };
  for (const auto &[args, message] : cases) {
    INFO("supportsim " << joined(args));
    const Outcome r = run_cli(args);
    CHECK(r.exit_code == 2);
    CHECK(r.out.empty());
    CHECK_THAT(r.err, Catch::StartsWith("supportsim: error: " + message));
  }
}

namespace {

/// Every file in `folder`, by name, with its bytes.
std::map<std::string, std::string> files_in(const fs::path &folder) {
  std::map<std::string, std::string> files;
  for (const auto &entry : fs::directory_iterator(folder))
    files[entry.path().filename().string()] = read_text(entry.path());
  return files;
}

} // namespace

TEST_CASE("cli: sweep prints a table, writes sweep.csv, sweep.json and report.html, the same "
          "whatever --jobs",
          "[cli][sweep]") {
  const TempDir dir;
  const std::vector<std::string> sweep{"sweep",          week,
                                       "--vary",         "agent_groups.london-l1.headcount=10,18",
                                       "--vary",         "/sites/2/cost_per_agent_hour=50",
                                       "--replications", "2"};
  std::vector<std::string> one = sweep, two = sweep;
  one.insert(one.end(), {"--jobs", "1", "--out", (dir.path() / "one").string()});
  two.insert(two.end(), {"--jobs", "2", "--out", (dir.path() / "two").string()});
  const Outcome a = run_cli(one), b = run_cli(two);
  REQUIRE(a.exit_code == 0);
  REQUIRE(b.exit_code == 0);
  CHECK(a.out == b.out);
  const auto files = files_in(dir.path() / "one");
  CHECK(files == files_in(dir.path() / "two"));
  REQUIRE(files.size() == 3); // sweep.csv, sweep.json, report.html
  CHECK_THAT(files.at("report.html"),
             Catch::StartsWith("<!DOCTYPE html>") && Catch::Contains("supportsim sweep</title>"));
  CHECK_THAT(files.at("sweep.csv"),
             Catch::StartsWith("option,name,agent_groups.london-l1.headcount,"
                               "sites.London.cost_per_agent_hour,replications,"));
  CHECK(nlohmann::json::parse(files.at("sweep.json"))["options"].size() == 3);
  CHECK_THAT(a.out, Catch::Contains("london-l1.headcount=18,London.cost_per_agent_hour=50"));
  // 100 columns (counted in UTF-8 characters: "±", "·", "Δ" and "≈" take more than a byte),
  // but for the first line, which names the scenario file as given.
  const std::vector<std::string> table = lines_of(a.out);
  for (std::size_t i = 1; i < table.size(); ++i)
    CHECK(std::count_if(table[i].begin(), table[i].end(), [](char c) {
            return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
          }) <= 100);
  // Not a terminal: no progress bar, only the wall-clock line.
  CHECK_THAT(a.err, Catch::StartsWith("supportsim: 3 options × 2 replications in "));
  CHECK(lines_of(a.err).size() == 1);

  const Outcome csv = run_cli({"sweep", week, "--vary", "demand.daily_cv=0.1", "--format", "csv"});
  REQUIRE(csv.exit_code == 0);
  CHECK_THAT(csv.out, Catch::StartsWith("option,name,demand.daily_cv,replications,"));
}

TEST_CASE("cli: sweep --options runs named overrides beside the baseline", "[cli][sweep]") {
  const TempDir dir;
  const std::string plans = dir.write("plans.json", R"({"options": [
    {"name": "freeze", "override": {"agent_groups": [{"name": "london-l1", "headcount": 10}]}},
    {"name": "same", "override": {}}]})");
  const Outcome r = run_cli({"sweep", week, "--options", plans, "--format", "json"});
  REQUIRE(r.exit_code == 0);
  const nlohmann::json doc = nlohmann::json::parse(r.out);
  REQUIRE(doc["options"].size() == 3);
  CHECK(doc["options"][1]["name"] == "freeze");
  CHECK(doc["settings"] == nlohmann::json::array({"agent_groups.london-l1.headcount"}));
  CHECK(doc["options"][1]["settings"]["agent_groups.london-l1.headcount"] == 10);
  // The same cases: an empty override is the baseline again, to the last digit.
  CHECK(doc["options"][2]["cost"] == doc["options"][0]["cost"]);
  CHECK(doc["options"][2]["versus_baseline"]["sla_attainment"]["verdict"] == "indistinguishable");

  const std::string bad = dir.write("bad.json", R"({"options": [{"name": "x", "overide": {}}]})");
  const Outcome e = run_cli({"sweep", week, "--options", bad});
  CHECK(e.exit_code == 2);
  CHECK(e.err == "supportsim: error: " + bad +
                     ": /options/0/overide: unknown key \"overide\"; did you mean \"override\"?\n");
}

TEST_CASE("cli: sweep --shard parts merge into the files of the whole sweep", "[cli][sweep]") {
  const TempDir dir;
  const std::vector<std::string> sweep{
      "sweep",          week, "--vary", "agent_groups.london-l1.headcount=10..16/2",
      "--replications", "2",  "--jobs", "1"};
  std::vector<std::string> whole = sweep;
  whole.insert(whole.end(), {"--out", (dir.path() / "whole").string()});
  const Outcome w = run_cli(whole);
  REQUIRE(w.exit_code == 0);
  std::vector<std::string> parts;
  for (const char *k : {"1/2", "2/2"}) {
    std::vector<std::string> shard = sweep;
    shard.insert(shard.end(), {"--shard", k, "--out", (dir.path() / "parts").string()});
    const Outcome s = run_cli(shard);
    REQUIRE(s.exit_code == 0);
    CHECK(s.out.empty()); // a part's figures are in its file; the table comes with merge
    CHECK_THAT(s.err, Catch::StartsWith(std::string("supportsim: part ") + k[0] + " of 2: "));
  }
  for (const auto &[name, text] : files_in(dir.path() / "parts"))
    parts.push_back((dir.path() / "parts" / name).string());
  CHECK(parts.size() == 2);
  std::vector<std::string> merge{"merge"};
  merge.insert(merge.end(), parts.begin(), parts.end());
  merge.insert(merge.end(), {"--out", (dir.path() / "merged").string()});
  const Outcome m = run_cli(merge);
  REQUIRE(m.exit_code == 0);
  CHECK(m.out == w.out);
  CHECK(files_in(dir.path() / "merged") == files_in(dir.path() / "whole"));

  const Outcome missing = run_cli({"merge", parts[1], "--out", (dir.path() / "m2").string()});
  CHECK(missing.exit_code == 2);
  CHECK(missing.err == "supportsim: error: part 1 of 2 is missing: merge needs every part of the "
                       "sweep\n");
  CHECK_FALSE(fs::exists(dir.path() / "m2" / "sweep.csv"));
}

TEST_CASE("cli: sweep mistakes exit 2 with a message that names them", "[cli][sweep]") {
  struct Mistake {
    std::vector<std::string> args;
    std::string message; // the first line of stderr
  };
  const Mistake m = GENERATE(values<Mistake>({
      {{"sweep", week},
       "supportsim: error: sweep needs --vary PATH=SPEC or --options FILE: the "
       "options to compare"},
      {{"sweep", week, "--vary", "agent_groups.austin-l3.headcount=20..30"},
       "supportsim: error: --vary agent_groups.austin-l3.headcount: no agent group named "
       "\"austin-l3\"; did you mean agent_groups.austin-l1.headcount? (several groups' total "
       "headcount: a REGION-TIER label such as EMEA-L1, or a pattern with *)"},
      {{"sweep", week, "--vary", "agent_groups.austin-l1.headcount=30..20"},
       "supportsim: error: --vary agent_groups.austin-l1.headcount=30..20: expected a range from "
       "low to high, found \"30..20\": 30 is above 20"},
      {{"sweep", week, "--vary", "agent_groups.austin-l1.headcount=20.5"},
       "supportsim: error: option \"austin-l1.headcount=20.5\": " + week +
           ": /agent_groups/0/headcount: expected a whole number from 0 to 100000, found 20.5"},
      {{"sweep", week, "--vary", "demand.daily_cv=0.1", "--shard", "3/2", "--out", "x"},
       "supportsim: error: --shard: expected K/N, the K-th of N slices with 1 <= K <= N, such as "
       "2/8; found \"3/2\""},
      {{"sweep", week, "--vary", "demand.daily_cv=0.1", "--shard", "1/2"},
       "supportsim: error: --shard needs --out DIR, the folder the part file goes into"},
      {{"sweep", week, "--vary", "demand.daily_cv=0.1", "--format", "xml"},
       "supportsim: error: --format: expected table, csv or json, found \"xml\""},
      {{"sweep", week, "--options", "missing.json"},
       "supportsim: error: missing.json: cannot open: No such file or directory"},
      {{"merge", "--out", "x"},
       "supportsim: error: merge needs the part files of a sweep: "
       "supportsim merge sweep-part-*.json --out DIR"},
      {{"merge", week, "--out", "x"},
       "supportsim: error: " + week +
           ": expected a part file of a sweep (what supportsim sweep --shard K/N writes), found "
           "something else"},
  }));
  INFO("supportsim " << joined(m.args));
  const Outcome r = run_cli(m.args);
  CHECK(r.exit_code == 2);
  CHECK(r.out.empty());
  REQUIRE_FALSE(lines_of(r.err).empty());
  CHECK(lines_of(r.err)[0] == m.message);
}

TEST_CASE("cli: sweep --help and the usage describe sweep and merge", "[cli][sweep]") {
  const Outcome usage = run_cli({"--help"});
  CHECK_THAT(usage.out, Catch::Contains("supportsim sweep") && Catch::Contains("supportsim merge"));
  const Outcome sweep = run_cli({"sweep", "--help"});
  CHECK(sweep.exit_code == 0);
  CHECK_THAT(sweep.out, Catch::Contains("--vary") && Catch::Contains("--options") &&
                            Catch::Contains("--shard") && Catch::Contains("--jobs"));
  const Outcome merge = run_cli({"merge", "--help"});
  CHECK(merge.exit_code == 0);
  CHECK_THAT(merge.out, Catch::Contains("--out"));
}

namespace {

/// A small call-centre history, written out: 240 calls over four hours of 2027-02-01 (UTC), one
/// every minute; every seventh abandoned after 50 s, the rest answered after 0-40 s and handled
/// for 2.5-5 minutes by one of three agents; and their roster.
void write_call_centre(const TempDir &dir) {
  std::string calls = "case_id,created_utc,channel,answered_utc,abandoned_utc,handle_minutes,"
                      "agent,group\n";
  const auto at = [](int minute, int second) {
    return fmt::format("2027-02-01T{:02}:{:02}:{:02}Z", 8 + minute / 60, minute % 60, second);
  };
  for (int i = 0; i < 240; ++i) {
    if (i % 7 == 3) // abandoned after 50 s
      calls += fmt::format("{},{},phone,,{},,,\n", i, at(i, 0), at(i, 50));
    else
      calls += fmt::format("{},{},phone,{},,{},a{},agents\n", i, at(i, 0), at(i, (i % 5) * 10),
                           2.5 + (i % 6) * 0.5, i % 3);
  }
  dir.write("calls.csv", calls);
  dir.write("roster.csv", "agent,group,start_utc,end_utc\n"
                          "a0,agents,2027-02-01T08:00:00Z,2027-02-01T12:30:00Z\n"
                          "a1,agents,2027-02-01T08:00:00Z,2027-02-01T10:00:00Z\n"
                          "a1,agents,2027-02-01T10:15:00Z,2027-02-01T12:30:00Z\n"
                          "a2,agents,2027-02-01T09:00:00Z,2027-02-01T12:30:00Z\n");
}

const std::string single_queue = source_dir + "/scenarios/single-queue.json";

} // namespace

TEST_CASE("cli: calibrate then backtest a call centre's history", "[cli][backtest]") {
  const TempDir dir;
  write_call_centre(dir);
  const std::string calls = (dir.path() / "calls.csv").string();
  const std::string roster = (dir.path() / "roster.csv").string();
  const std::string calibrated = (dir.path() / "ours.json").string();
  const Outcome calibrate =
      run_cli({"calibrate", calls, "--scenario", single_queue, "--out", calibrated});
  INFO(calibrate.err);
  REQUIRE(calibrate.exit_code == 0);
  CHECK(calibrate.out.find("handle time") != std::string::npos);
  CHECK(calibrate.out.find("patience") != std::string::npos);
  CHECK(run_cli({"validate", calibrated}).exit_code == 0);
  // Against the embedded default (three regions), rows without a region are named.
  const Outcome by_default =
      run_cli({"calibrate", calls, "--out", (dir.path() / "default-based.json").string()});
  CHECK(by_default.exit_code == 0);
  CHECK_THAT(by_default.err, Catch::Contains("240 rows give no region: their hour of day is read "
                                             "in AMER's time zone (America/Chicago)"));

  const fs::path out = dir.path() / "bt";
  const std::vector<std::string> args{"backtest",   calls,       "--staffing",     roster,
                                      "--scenario", calibrated,  "--replications", "5",
                                      "--interval", "30",        "--sl-seconds",   "20,60",
                                      "--out",      out.string()};
  const Outcome first = run_cli(args);
  INFO(first.err);
  REQUIRE(first.exit_code == 0);
  CHECK(first.out.find("240 cases · 5 replications") != std::string::npos);
  CHECK(first.out.find("reproduced within 10%:") != std::string::npos);
  const std::vector<std::string> csv = lines_of(read_text(out / "backtest.csv"));
  REQUIRE(csv.size() > 1);
  CHECK(csv[0] == "interval_start_local,interval_start_utc,region,channel,metric,actual,"
                  "simulated,band_low,band_high");
  CHECK(csv[1].rfind("2027-02-01T08:00,2027-02-01T08:00:00Z,Centre,phone,offered,30,30,30,30", 0) ==
        0);
  const nlohmann::json doc = nlohmann::json::parse(read_text(out / "backtest.json"));
  CHECK(doc["backtest"]["cases"] == 240);
  CHECK(doc["overall"][0]["metric"] == "offered");
  CHECK(doc["overall"][0]["actual"] == 240);
  CHECK(read_text(out / "report.html").find("supportsim backtest") != std::string::npos);
  // Same inputs, same seed: the same bytes.
  const std::string json = read_text(out / "backtest.json");
  REQUIRE(run_cli(args).exit_code == 0);
  CHECK(read_text(out / "backtest.json") == json);
}

TEST_CASE("cli: backtest's bad input names the file and line, exits 2, writes nothing",
          "[cli][backtest]") {
  const TempDir dir;
  write_call_centre(dir);
  const std::string calls = (dir.path() / "calls.csv").string();
  const std::string roster = (dir.path() / "roster.csv").string();
  const fs::path out = dir.path() / "bt";
  const auto backtest = [&](const std::string &history, const std::string &staffing,
                            const std::string &scenario) {
    std::vector<std::string> args{"backtest", history, "--staffing",
                                  staffing,   "--out", out.string()};
    if (!scenario.empty()) args.insert(args.end(), {"--scenario", scenario});
    return run_cli(args);
  };
  SECTION("no scenario") {
    const Outcome o = backtest(calls, roster, "");
    CHECK(o.exit_code == 2);
    CHECK(o.err.find("backtest needs --scenario FILE") != std::string::npos);
  }
  SECTION("a roster naming a group the scenario does not have") {
    const std::string bad = dir.write("bad-roster.csv", "agent,group,start_utc,end_utc\n"
                                                        "a0,agent,2027-02-01T08:00:00Z,"
                                                        "2027-02-01T12:00:00Z\n");
    const Outcome o = backtest(calls, bad, single_queue);
    CHECK(o.exit_code == 2);
    CHECK(o.err.find("bad-roster.csv:2:") != std::string::npos);
    CHECK(o.err.find("did you mean") != std::string::npos);
  }
  SECTION("a call answered before it was created") {
    const std::string bad =
        dir.write("bad-calls.csv", "case_id,created_utc,channel,answered_utc,handle_minutes\n"
                                   "1,2027-02-01T08:00:00Z,phone,2027-02-01T08:00:10Z,3\n"
                                   "2,2027-02-01T08:01:00Z,phone,2027-02-01T08:00:59Z,3\n");
    const Outcome o = backtest(bad, roster, single_queue);
    CHECK(o.exit_code == 2);
    CHECK(o.err.find("bad-calls.csv:3:") != std::string::npos);
  }
  CHECK_FALSE(fs::exists(out / "backtest.csv"));
}

TEST_CASE("cli: an overloaded scenario is a validate warning and a run that stops before memory "
          "runs out",
          "[cli][memory]") {
  const TempDir dir;
  // single-queue's 8 agents serve about 120 calls an hour; 3 million a month is 4,100 an hour.
  const std::string overloaded =
      dir.write("overloaded.json", nlohmann::json{{"extends", single_queue},
                                                  {"horizon_days", 3},
                                                  {"warmup_days", 0},
                                                  {"demand", {{"cases_per_month", 3e6}}},
                                                  {"lifecycle", {{"patience_minutes", {}}}}}
                                       .dump());
  const Outcome validate = run_cli({"validate", overloaded});
  CHECK(validate.exit_code == 0);
  CHECK_THAT(validate.err,
             Catch::Contains("supportsim: warning: " + overloaded + ": week 1: the offered work") &&
                 Catch::Contains("times what the agents can serve") &&
                 Catch::Contains("a run stops when it holds more cases open than "
                                 "--max-open-cases"));
  CHECK_THAT(validate.out, Catch::EndsWith("1 warning)\n"));

  const std::string out = (dir.path() / "results").string();
  const Outcome run = run_cli(
      {"run", overloaded, "--replications", "2", "--max-open-cases", "20000", "--out", out});
  CHECK(run.exit_code == 2);
  CHECK(run.out.empty());
  CHECK_THAT(run.err, Catch::StartsWith("supportsim: error: " + overloaded +
                                        ": the run stopped at 2027-") &&
                          Catch::Contains("with 20000 cases open") &&
                          Catch::Contains("the Centre live queue had 19"));
  CHECK_FALSE(fs::exists(fs::path(out) / "summary.json"));

  SECTION("--max-open-cases is checked") {
    const Outcome bad = run_cli({"run", overloaded, "--max-open-cases", "0"});
    CHECK(bad.exit_code == 2);
    CHECK_THAT(bad.err, Catch::Contains("--max-open-cases"));
  }
  SECTION("the limit stops sweep and plan the same way") {
    const Outcome sweep = run_cli({"sweep", overloaded, "--vary", "agent_groups.agents.headcount=8,9",
                                   "--replications", "1", "--max-open-cases", "5000"});
    CHECK(sweep.exit_code == 2);
    CHECK_THAT(sweep.err, Catch::Contains("with 5000 cases open"));
  }
}

TEST_CASE("cli: --sort replays a shuffled export as its sorted file, replications sharing it",
          "[cli][replay]") {
  const TempDir dir;
  const std::string sorted = (dir.path() / "sorted.csv").string();
  REQUIRE(run_cli({"synth", week, "--out", sorted}).exit_code == 0);
  std::vector<std::string> rows = lines_of(read_text(sorted));
  REQUIRE(rows.size() > 1000);
  std::reverse(rows.begin() + 1, rows.end()); // every row before the one above it
  std::string reversed_text;
  for (const std::string &row : rows)
    reversed_text.append(row).append("\n");
  const std::string reversed = dir.write("reversed.csv", reversed_text);

  const std::vector<std::string> common{"run", week, "--replications", "3", "--format", "json"};
  auto with = [&](std::vector<std::string> extra) {
    std::vector<std::string> args = common;
    args.insert(args.end(), extra.begin(), extra.end());
    return run_cli(args);
  };
  const Outcome in_order = with({"--arrivals", sorted});
  const Outcome shuffled = with({"--arrivals", reversed, "--sort", "--jobs", "2"});
  REQUIRE(in_order.exit_code == 0);
  INFO(shuffled.err);
  REQUIRE(shuffled.exit_code == 0);
  CHECK(shuffled.out == in_order.out);
  CHECK(with({"--arrivals", reversed}).exit_code == 2); // without --sort: out of order
}
