// Staffing files (scenarios/staffing.hpp): a roster and an interval table read to exact periods,
// fractional agents and not-ready shares, every mistake an error naming its line; staffing
// inferred from a hand-made history with known sessions; intervals with arrivals and nobody on
// shift.
#include "scenarios/arrivals.hpp"
#include "scenarios/scenario.hpp"
#include "scenarios/staffing.hpp"
#include "sim/clock.hpp"

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <string>
#include <tuple>
#include <unistd.h>
#include <vector>

using namespace supportsim;
using models::StaffedPeriod;
using scenarios::HistoryRecord;
using scenarios::StaffingError;

namespace {

const models::OrganisationConfig &organisation() {
  static const scenarios::Scenario scenario = scenarios::default_scenario();
  return scenario.organisation;
}

std::uint32_t group(const std::string &name) {
  const auto &groups = organisation().agent_groups;
  for (std::size_t g = 0; g < groups.size(); ++g)
    if (groups[g].name == name) return static_cast<std::uint32_t>(g);
  FAIL("no group " << name);
  return 0;
}

sim::UtcTime utc(const char *text) {
  return sim::parse_utc(text);
}

/// A period as (group name, agent, start, end), for readable comparisons.
using Period = std::tuple<std::string, std::uint32_t, std::string, std::string>;

/// "2027-01-04T09:15:00Z" (periods in these tests start and end on whole seconds).
std::string text(sim::UtcTime t) {
  using namespace std::chrono;
  const auto day = floor<days>(t);
  const year_month_day ymd{day};
  const hh_mm_ss<seconds> hms{floor<seconds>(t - day)};
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", static_cast<int>(ymd.year()),
                     static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                     hms.hours().count(), hms.minutes().count(), hms.seconds().count());
}

std::vector<Period> periods(const models::StaffingPlan &plan) {
  std::vector<Period> out;
  for (const StaffedPeriod &p : plan.periods)
    out.emplace_back(organisation().agent_groups[p.group].name, p.agent, text(p.start),
                     text(p.end));
  return out;
}

struct TempFile {
  std::string path;
  TempFile(const std::string &name, const std::string &content)
      : path((std::filesystem::temp_directory_path() /
              fmt::format("supportsim-staffing-{}-{}", ::getpid(), name))
                 .string()) {
    std::ofstream(path, std::ios::binary) << content;
  }
  ~TempFile() { std::filesystem::remove(path); }
};

models::StaffingPlan load(const std::string &content,
                          const scenarios::StaffingOptions &options = {}) {
  const TempFile file("s.csv", content);
  return scenarios::load_staffing(file.path, organisation(), options);
}

/// The message loading `content` fails with, the file named "s.csv".
std::string error_of(const std::string &content, const scenarios::StaffingOptions &options = {}) {
  const TempFile file("s.csv", content);
  try {
    scenarios::load_staffing(file.path, organisation(), options);
  } catch (const StaffingError &e) {
    std::string message = e.what();
    if (message.rfind(file.path, 0) == 0) message.replace(0, file.path.size(), "s.csv");
    return message;
  }
  return "no error";
}

} // namespace

TEST_CASE("A roster: one period per row, agents numbered within their group", "[staffing]") {
  const models::StaffingPlan plan =
      load("agent,group,start_utc,end_utc\n"
           "ana,austin-l1,2027-01-04T09:00:00Z,2027-01-04T12:00:00Z\n"
           "bo,sf-l1,2027-01-04T08:00:00Z,2027-01-04T16:00:00Z\n"
           "cy,Austin_L1,2027-01-04T09:00:00Z,2027-01-04T17:00:00Z\n"
           "ana,austin-l1,2027-01-04T12:30:00Z,2027-01-04T17:00:00Z\n"
           "\n"
           "ana,austin-l1,2027-01-05T09:00:00+01:00,2027-01-05T17:00:00+01:00\n");
  CHECK(periods(plan) == std::vector<Period>{
                             {"sf-l1", 0, "2027-01-04T08:00:00Z", "2027-01-04T16:00:00Z"},
                             {"austin-l1", 0, "2027-01-04T09:00:00Z", "2027-01-04T12:00:00Z"},
                             {"austin-l1", 1, "2027-01-04T09:00:00Z", "2027-01-04T17:00:00Z"},
                             {"austin-l1", 0, "2027-01-04T12:30:00Z", "2027-01-04T17:00:00Z"},
                             {"austin-l1", 0, "2027-01-05T08:00:00Z", "2027-01-05T16:00:00Z"},
                         });

  // Naive times in the given zone.
  const models::StaffingPlan local = load("agent,group,start_utc,end_utc\n"
                                          "ana,london-l1,2027-07-01T09:00,2027-07-01T17:00\n",
                                          {.time_zone = "Europe/London"});
  CHECK(periods(local) ==
        std::vector<Period>{{"london-l1", 0, "2027-07-01T08:00:00Z", "2027-07-01T16:00:00Z"}});
}

TEST_CASE("Roster mistakes name their lines", "[staffing]") {
  const std::string header = "agent,group,start_utc,end_utc\n";
  CHECK(error_of(header + "ana,austin-l1,2027-01-04T09:00:00Z,2027-01-04T12:00:00Z\n"
                          "bo,austin-l1,2027-01-04T09:00:00Z,2027-01-04T12:00:00Z\n"
                          "ana,austin-l1,2027-01-04T11:00:00Z,2027-01-04T13:00:00Z\n") ==
        "s.csv:4: agent 'ana' is logged in twice: 2027-01-04T11:00Z..2027-01-04T13:00Z "
        "overlaps line 2 (2027-01-04T09:00Z..2027-01-04T12:00Z)");
  // One person in two groups at once overlaps too.
  CHECK(error_of(header + "ana,sf-l1,2027-01-04T11:00:00Z,2027-01-04T13:00:00Z\n"
                          "ana,austin-l1,2027-01-04T09:00:00Z,2027-01-04T11:30:00Z\n") ==
        "s.csv:3: agent 'ana' is logged in twice: 2027-01-04T09:00Z..2027-01-04T11:30Z "
        "overlaps line 2 (2027-01-04T11:00Z..2027-01-04T13:00Z)");
  CHECK(error_of(header + "ana,austin-l1,2027-01-04T09:00:00Z,2027-01-04T09:00:00Z\n") ==
        "s.csv:2: end_utc 2027-01-04T09:00Z is not after start_utc 2027-01-04T09:00Z");
  CHECK(error_of(header + "ana,londn-l1,2027-01-04T09:00:00Z,2027-01-04T10:00:00Z\n") ==
        "s.csv:2: group 'londn-l1' is not an agent group of the scenario; did you mean "
        "'london-l1'?");
  CHECK(error_of(header + ",austin-l1,2027-01-04T09:00:00Z,2027-01-04T10:00:00Z\n") ==
        "s.csv:2: agent is empty: every period needs its agent");
  CHECK(error_of(header + "ana,austin-l1,2027-01-04T09:00:00,2027-01-04T10:00:00Z\n") ==
        "s.csv:2: start_utc '2027-01-04T09:00:00' has no UTC offset and no time zone was given "
        "for the file (write Z or +01:00 after the time, or give a time zone)");
  CHECK(error_of(header + "ana,austin-l1,2027-01-04T09:00:00Z\n") ==
        "s.csv:2: 3 fields, but the header (line 1) has 4");
  CHECK(error_of("who,when\nana,2027-01-04\n") ==
        "s.csv:1: not a staffing file: expected the header of a roster "
        "(agent,group,start_utc,end_utc) or of an interval table "
        "(interval_start_utc,group,agents[,not_ready]); the columns are: who, when");
  CHECK(error_of("") == "s.csv:1: the file is empty; expected a header row");
}

TEST_CASE("An interval table: whole agents merged across intervals, a fraction on for the "
          "first part",
          "[staffing]") {
  const models::StaffingPlan plan = load("interval_start_utc,group,agents\n"
                                         "2027-01-04T09:00:00Z,austin-l1,2\n"
                                         "2027-01-04T09:30:00Z,austin-l1,1.5\n"
                                         "2027-01-04T10:00:00Z,austin-l1,2\n"
                                         "2027-01-04T09:00:00Z,sf-l1,1\n"
                                         "2027-01-04T10:00:00Z,sf-l1,0\n");
  CHECK(periods(plan) == std::vector<Period>{
                             {"austin-l1", 0, "2027-01-04T09:00:00Z", "2027-01-04T10:30:00Z"},
                             {"austin-l1", 1, "2027-01-04T09:00:00Z", "2027-01-04T09:45:00Z"},
                             {"sf-l1", 0, "2027-01-04T09:00:00Z", "2027-01-04T09:30:00Z"},
                             {"austin-l1", 1, "2027-01-04T10:00:00Z", "2027-01-04T10:30:00Z"},
                         });
  CHECK(plan.periods[0].group == group("austin-l1"));

  // not_ready takes its share off: 4 agents at 25 % not ready are 3; 2.5 at 0.2 are 2.
  const models::StaffingPlan ready = load("interval_start_utc,group,agents,not_ready\n"
                                          "2027-01-04T09:00:00Z,sf-l2,4,0.25\n"
                                          "2027-01-04T09:15:00Z,sf-l2,2.5,0.2\n"
                                          "2027-01-04T09:30:00Z,sf-l2,0.5,\n");
  CHECK(periods(ready) == std::vector<Period>{
                              {"sf-l2", 0, "2027-01-04T09:00:00Z", "2027-01-04T09:37:30Z"},
                              {"sf-l2", 1, "2027-01-04T09:00:00Z", "2027-01-04T09:30:00Z"},
                              {"sf-l2", 2, "2027-01-04T09:00:00Z", "2027-01-04T09:15:00Z"},
                          });

  // The length given: one interval is enough.
  const models::StaffingPlan hour = load("interval_start_utc,group,agents\n"
                                         "2027-01-04T09:00:00Z,sf-l2,1.25\n",
                                         {.interval_minutes = 60});
  CHECK(periods(hour) == std::vector<Period>{
                             {"sf-l2", 0, "2027-01-04T09:00:00Z", "2027-01-04T10:00:00Z"},
                             {"sf-l2", 1, "2027-01-04T09:00:00Z", "2027-01-04T09:15:00Z"},
                         });
}

TEST_CASE("Interval table mistakes name their lines", "[staffing]") {
  const std::string header = "interval_start_utc,group,agents\n";
  CHECK(error_of(header + "2027-01-04T09:00:00Z,sf-l1,1\n"
                          "2027-01-04T09:30:00Z,sf-l1,1\n"
                          "2027-01-04T10:10:00Z,sf-l1,1\n") ==
        "s.csv:4: interval_start_utc 2027-01-04T10:10Z is off the 30-minute grid of the file "
        "(intervals start at 2027-01-04T09:00Z + a multiple of 30 minutes)");
  CHECK(error_of(header + "2027-01-04T09:00:00Z,sf-l1,1\n"
                          "2027-01-04T09:20:00Z,sf-l1,1\n") ==
        "s.csv:3: interval_start_utc 2027-01-04T09:20Z is 20 minutes after 2027-01-04T09:00Z "
        "(line 2); intervals are 15, 30 or 60 minutes long");
  CHECK(error_of(header + "2027-01-04T09:00:00Z,sf-l1,1\n") ==
        "s.csv: every row is for one interval: its length (15, 30 or 60 minutes) cannot be "
        "inferred; give it");
  CHECK(error_of(header + "2027-01-04T09:00:00Z,sf-l1,1\n", {.interval_minutes = 20}) ==
        "s.csv: an interval of 20 minutes; expected 15, 30 or 60");
  CHECK(error_of(header + "2027-01-04T09:00:00Z,sf-l1,1\n"
                          "2027-01-04T09:15:00Z,sf-l1,1\n"
                          "2027-01-04T09:00:00Z,sf-l1,2\n") ==
        "s.csv:4: group 'sf-l1' at 2027-01-04T09:00Z is given twice (lines 2 and 4)");
  CHECK(error_of(header + "2027-01-04T09:00:00Z,sf-l1,-1\n") ==
        "s.csv:2: agents '-1' is not a number of agents (0 or more)");
  CHECK(error_of("interval_start_utc,group,agents,not_ready\n"
                 "2027-01-04T09:00:00Z,sf-l1,3,1.5\n") ==
        "s.csv:2: not_ready '1.5' is not a share from 0 to 1");
  CHECK(error_of(header + "2027-01-04T09:00:00Z,tokio-l1,1\n") ==
        "s.csv:2: group 'tokio-l1' is not an agent group of the scenario; did you mean "
        "'tokyo-l1'?");
}

namespace {

HistoryRecord answered(std::size_t line, const char *at, double handle, std::string agent,
                       std::string group_name, std::optional<double> wrap = {}) {
  HistoryRecord r;
  r.line = line;
  r.created = utc(at);
  r.answered = utc(at);
  r.handle_minutes = handle;
  r.wrap_minutes = wrap;
  r.agent = std::move(agent);
  r.group = std::move(group_name);
  r.outcome = scenarios::CaseOutcome::answered;
  return r;
}

} // namespace

TEST_CASE("Staffing inferred from a history: sessions across short idle gaps", "[staffing]") {
  std::vector<HistoryRecord> history{
      answered(2, "2027-01-04T09:00:00Z", 10, "ana", "austin-l1", 2.0), // 09:00-09:12
      answered(3, "2027-01-04T09:05:00Z", 20, "bo", ""),                // default group
      answered(4, "2027-01-04T09:20:00Z", 5, "ana", "austin-l1"),       // 8 min idle: same
      answered(5, "2027-01-04T10:30:00Z", 10, "ana", "austin-l1"),      // 65 min idle: new
      answered(6, "2027-01-04T09:50:00Z", 5, "ana", "Austin-L1"),       // out of order, joins
      answered(7, "2027-01-04T11:00:00Z", 5, "", "austin-l1"),          // no agent: unused
  };
  HistoryRecord abandoned;
  abandoned.line = 8;
  abandoned.created = utc("2027-01-04T11:00:00Z");
  abandoned.abandoned = utc("2027-01-04T11:02:00Z");
  abandoned.outcome = scenarios::CaseOutcome::abandoned;
  history.push_back(abandoned);

  scenarios::StaffingInference inference(organisation(), {.default_group = "sf-l1"});
  for (const auto &r : history)
    inference.add(r);
  CHECK(inference.used() == 5);
  CHECK(inference.unused() == 1);
  CHECK(periods(inference.plan()) ==
        std::vector<Period>{
            {"austin-l1", 0, "2027-01-04T09:00:00Z", "2027-01-04T09:55:00Z"},
            {"sf-l1", 0, "2027-01-04T09:05:00Z", "2027-01-04T09:25:00Z"},
            {"austin-l1", 0, "2027-01-04T10:30:00Z", "2027-01-04T10:40:00Z"},
        });

  // A shorter gap splits at 09:12 -> 09:20 too (8 minutes idle).
  const auto tight = scenarios::infer_staffing(
      history, organisation(), {.session_gap = std::chrono::minutes(5), .default_group = "sf-l1"});
  CHECK(periods(tight) == std::vector<Period>{
                              {"austin-l1", 0, "2027-01-04T09:00:00Z", "2027-01-04T09:12:00Z"},
                              {"sf-l1", 0, "2027-01-04T09:05:00Z", "2027-01-04T09:25:00Z"},
                              {"austin-l1", 0, "2027-01-04T09:20:00Z", "2027-01-04T09:25:00Z"},
                              {"austin-l1", 0, "2027-01-04T09:50:00Z", "2027-01-04T09:55:00Z"},
                              {"austin-l1", 0, "2027-01-04T10:30:00Z", "2027-01-04T10:40:00Z"},
                          });

  // Without a default group, bo's case names none; an unknown group is named with its line.
  try {
    scenarios::infer_staffing(history, organisation(), {.source = "calls.csv"});
    FAIL("no error");
  } catch (const StaffingError &e) {
    CHECK(std::string(e.what()) == "calls.csv:3: agent 'bo' answered a case that names no "
                                   "group, and no default group was given");
  }
  std::vector<HistoryRecord> unknown{answered(9, "2027-01-04T09:00:00Z", 1, "cy", "sydny-l1")};
  try {
    scenarios::infer_staffing(unknown, organisation(), {.source = "calls.csv"});
    FAIL("no error");
  } catch (const StaffingError &e) {
    CHECK(std::string(e.what()) == "calls.csv:9: group 'sydny-l1' is not an agent group of the "
                                   "scenario; did you mean 'sydney-l1'?");
  }
}

TEST_CASE("Staffing inferred from an ACD export read in one pass", "[staffing][history]") {
  const TempFile file("acd.csv",
                      "Call ID,Call Start,Answer Time,End Time,Disposition,Agent,Skill,Wrap Time\n"
                      "1,2027-01-04T09:00:00Z,2027-01-04T09:00:30Z,2027-01-04T09:04:30Z,ANSWERED,"
                      "a7,tokyo-l1,30\n"
                      "2,2027-01-04T09:01:00Z,,2027-01-04T09:02:00Z,ABANDONED,,,\n"
                      "3,2027-01-04T09:20:00Z,2027-01-04T09:21:00Z,2027-01-04T09:30:00Z,ANSWERED,"
                      "a7,tokyo-l1,0\n"
                      "4,2027-01-04T09:22:00Z,2027-01-04T09:22:00Z,2027-01-04T09:40:00Z,ANSWERED,"
                      "a9,tokyo-l1,60\n");
  scenarios::ArrivalsReader reader(file.path, organisation(),
                                   scenarios::arrivals_preset(scenarios::ArrivalsFormat::acd));
  scenarios::StaffingInference inference(organisation(), {.source = file.path});
  models::ReplayedCase c;
  while (reader.next(c))
    inference.add(reader.history());
  CHECK(periods(inference.plan()) ==
        std::vector<Period>{
            {"tokyo-l1", 0, "2027-01-04T09:00:30Z", "2027-01-04T09:30:00Z"},
            {"tokyo-l1", 1, "2027-01-04T09:22:00Z", "2027-01-04T09:41:00Z"},
        });
}

TEST_CASE("Uncovered intervals: arrivals with nobody on shift", "[staffing]") {
  const models::StaffingPlan plan = load("agent,group,start_utc,end_utc\n"
                                         "ana,austin-l1,2027-01-04T09:00:00Z,2027-01-04T10:15:00Z\n"
                                         "bo,sf-l1,2027-01-04T10:00:00Z,2027-01-04T12:00:00Z\n");
  const std::vector<sim::UtcTime> arrivals{utc("2027-01-04T12:05:00Z"), utc("2027-01-04T08:10:00Z"),
                                           utc("2027-01-04T08:20:00Z"), utc("2027-01-04T09:10:00Z"),
                                           utc("2027-01-04T11:59:59Z"), utc("2027-01-04T08:45:00Z"),
                                           utc("2027-01-04T12:00:00Z")};
  const auto gaps = scenarios::uncovered(plan, arrivals, std::chrono::minutes(30));
  REQUIRE(gaps.size() == 3);
  CHECK(gaps[0].start == utc("2027-01-04T08:00:00Z"));
  CHECK(gaps[0].arrivals == 2);
  CHECK(gaps[1].start == utc("2027-01-04T08:30:00Z"));
  CHECK(gaps[1].arrivals == 1);
  CHECK(gaps[2].start == utc("2027-01-04T12:00:00Z"));
  CHECK(gaps[2].arrivals == 2);
  CHECK(scenarios::uncovered_warning(gaps, std::chrono::minutes(30)) ==
        "5 cases arrived in 3 30-minute intervals with nobody on shift: 2027-01-04T08:00Z (2), "
        "2027-01-04T08:30Z (1), 2027-01-04T12:00Z (2)");
  CHECK(scenarios::uncovered_warning(gaps, std::chrono::minutes(30), 1) ==
        "5 cases arrived in 3 30-minute intervals with nobody on shift: 2027-01-04T08:00Z (2) "
        "and 2 more");
  CHECK(scenarios::uncovered_warning({}, std::chrono::minutes(30)).empty());
  // An hour grid: 08:00-09:00 has 3 arrivals and no one; 12:00-13:00 has 2.
  const auto hours = scenarios::uncovered(plan, arrivals, std::chrono::minutes(60));
  REQUIRE(hours.size() == 2);
  CHECK(hours[0].arrivals == 3);
  CHECK(hours[1].start == utc("2027-01-04T12:00:00Z"));
  CHECK(scenarios::uncovered(models::StaffingPlan{}, arrivals, std::chrono::minutes(15)).size() ==
        6);
}
