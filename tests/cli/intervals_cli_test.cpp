// `run --interval` and `forecast --interval 15|30|60|day` through the binary: the tidy files'
// names and shapes, the requirement table, and the errors.
#include "tests/support/files.hpp"
#include "tests/support/temp_dir.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;
using supportsim::testing::read_text;
using supportsim::testing::TempDir;

const std::string cli = SUPPORTSIM_CLI;
const std::string week =
    std::string(SUPPORTSIM_SOURCE_DIR) + "/tests/scenarios/good/three_regions_week.json";

struct Outcome {
  int exit_code;
  std::string out, err;
};

/// `supportsim ARGS...` (arguments without quotes or spaces), its exit code, stdout and stderr.
Outcome run_cli(const std::vector<std::string> &args) {
  const TempDir dir;
  std::string command = "timeout -k 5 120 " + cli;
  for (const std::string &arg : args)
    command += " '" + arg + "'";
  command +=
      " </dev/null >" + (dir.path() / "out").string() + " 2>" + (dir.path() / "err").string();
  const int status = std::system(command.c_str());
  REQUIRE(status != -1);
  return {(status >> 8) & 0xff, read_text(dir.path() / "out"), read_text(dir.path() / "err")};
}

std::vector<std::string> lines_of(const std::string &text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    lines.push_back(line);
  return lines;
}

std::vector<std::string> names_in(const fs::path &folder) {
  std::vector<std::string> names;
  for (const auto &entry : fs::directory_iterator(folder))
    names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

} // namespace

TEST_CASE("cli intervals: run --out writes the tidy files of the chosen interval",
          "[cli][intervals]") {
  const TempDir dir;
  const fs::path out = dir.path() / "q1";
  const Outcome r = run_cli({"run", week, "--replications", "2", "--seed", "5", "--interval", "30",
                             "--out", out.string()});
  REQUIRE(r.exit_code == 0);
  CHECK(names_in(out) == std::vector<std::string>{"agents.csv", "callcentre.csv", "daily.csv",
                                                  "demand.csv", "intervals_30m.csv", "regions.csv",
                                                  "replications.csv", "report.html", "results.xlsx",
                                                  "scorecard.csv", "summary.csv", "summary.json",
                                                  "variance.csv", "weekly.csv"});
  // One week from 2027-01-05 00:00 UTC: AMER (America/Chicago, UTC-6) starts at 18:00 local.
  const auto intervals = lines_of(read_text(out / "intervals_30m.csv"));
  CHECK(intervals.size() == 1 + 3 * 8 * 7 * 48); // 3 regions x 8 margins x 336 half hours
  CHECK(intervals[0].rfind("region,channel,priority,interval_start_local,interval_start_utc,"
                           "hours,offered_mean,offered_ci95,",
                           0) == 0);
  CHECK(intervals[1].rfind("AMER,all,all,2027-01-04T18:00,2027-01-05T00:00:00Z,0.5,", 0) == 0);
  CHECK(intervals[1 + 336].rfind("AMER,phone,all,2027-01-04T18:00,", 0) == 0);
  // 8 local days per region (the first and last partial).
  const auto daily = lines_of(read_text(out / "daily.csv"));
  CHECK(daily.size() == 1 + 3 * 8 * 8);
  CHECK(daily[1].rfind("AMER,all,all,2027-01-04T18:00,2027-01-05T00:00:00Z,6,", 0) == 0);
  CHECK(daily[2].rfind("AMER,all,all,2027-01-05T00:00,2027-01-05T06:00:00Z,24,", 0) == 0);
  const auto weekly = lines_of(read_text(out / "weekly.csv"));
  CHECK(weekly.size() == 1 + 3 * 8);
  CHECK(weekly[1].rfind("AMER,all,all,2027-01-04T18:00,2027-01-05T00:00:00Z,168,", 0) == 0);
  // summary.csv: one row type; regions.csv: the agents and money.
  const auto summary = lines_of(read_text(out / "summary.csv"));
  CHECK(summary.size() == 1 + 4 * 5);
  CHECK(summary[0].find("utilisation") == std::string::npos);
  const auto regions = lines_of(read_text(out / "regions.csv"));
  REQUIRE(regions.size() == 1 + 4);
  CHECK(regions[4].rfind("all,", 0) == 0);
  // callcentre.csv at the chosen interval: 2 channels x 336 half hours per region.
  CHECK(lines_of(read_text(out / "callcentre.csv")).size() == 1 + 3 * 2 * 336);
}

TEST_CASE("cli intervals: run --interval takes 15, 30 or 60", "[cli][intervals]") {
  const Outcome r = run_cli({"run", week, "--interval", "20"});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("--interval") != std::string::npos);
}

TEST_CASE("cli intervals: forecast --interval 30 and day", "[cli][intervals][forecast]") {
  const TempDir dir;
  const fs::path out = dir.path() / "plan";
  const Outcome r = run_cli({"forecast", week, "--interval", "30", "--out", out.string()});
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.rfind("Required agents by local 30-minute interval", 0) == 0);
  CHECK(r.out.find("\nAMER (America/Chicago): ") != std::string::npos);
  CHECK(r.out.find("\n09:30 ") != std::string::npos);
  CHECK(names_in(out) == std::vector<std::string>{"forecast-intervals_30m.csv", "forecast.csv"});
  const auto rows = lines_of(read_text(out / "forecast-intervals_30m.csv"));
  CHECK(rows.size() == 1 + 3 * 336);
  CHECK(rows[1].rfind("AMER,2027-01-04T18:00,2027-01-05T00:00:00Z,0.5,", 0) == 0);

  const fs::path days = dir.path() / "days";
  const Outcome d = run_cli({"forecast", week, "--interval", "day", "--out", days.string()});
  REQUIRE(d.exit_code == 0);
  CHECK(d.out.rfind("Required agents by local day", 0) == 0);
  CHECK(names_in(days) == std::vector<std::string>{"forecast-daily.csv",
                                                   "forecast-intervals_15m.csv", "forecast.csv"});
  const auto day_rows = lines_of(read_text(days / "forecast-daily.csv"));
  CHECK(day_rows.size() == 1 + 3 * 8);
  CHECK(day_rows[0] == "region,day_start_local,day_start_utc,hours,cases,on_duty_agent_hours,"
                       "required_agent_hours,peak_required_on_duty,intervals,intervals_short");
  CHECK(day_rows[1].rfind("AMER,2027-01-04T18:00,2027-01-05T00:00:00Z,6,", 0) == 0);
  CHECK(run_cli({"forecast", week, "--interval", "45"}).exit_code == 2);
}
