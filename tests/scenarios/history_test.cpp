// History columns of the arrivals reader (scenarios/arrivals.hpp): each column in the native
// format, through the acd, zendesk and salesforce presets and a mapping file, with exact times
// and minutes; every self-contradicting row an error naming its line; rows with nothing to
// replay counted and named.
#include "scenarios/arrivals.hpp"
#include "scenarios/scenario.hpp"
#include "sim/clock.hpp"

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <string>
#include <unistd.h>
#include <vector>

using namespace supportsim;
using models::ReplayedCase;
using scenarios::arrivals_preset;
using scenarios::ArrivalsError;
using scenarios::ArrivalsFormat;
using scenarios::CaseOutcome;
using scenarios::HistoryRecord;

namespace {

const models::OrganisationConfig &organisation() {
  static const scenarios::Scenario scenario = scenarios::default_scenario();
  return scenario.organisation;
}

sim::UtcTime utc(const char *text) {
  return sim::parse_utc(text);
}

/// A CSV under the system's temporary folder, removed at the end of the test.
struct TempFile {
  std::string path;
  TempFile(const std::string &name, const std::string &text)
      : path((std::filesystem::temp_directory_path() /
              fmt::format("supportsim-history-{}-{}", ::getpid(), name))
                 .string()) {
    std::ofstream(path, std::ios::binary) << text;
  }
  ~TempFile() { std::filesystem::remove(path); }
};

struct Read {
  std::vector<ReplayedCase> cases;
  std::vector<HistoryRecord> history;
  scenarios::UnreplayableRows unreplayable;
  std::string warning;
  bool has_outcomes = false;
};

Read read(const std::string &path, const scenarios::ArrivalsMapping &mapping,
          const scenarios::ArrivalsOptions &options = {}) {
  scenarios::ArrivalsReader reader(path, organisation(), mapping, options);
  Read out;
  ReplayedCase c;
  while (reader.next(c)) {
    out.cases.push_back(c);
    out.history.push_back(reader.history());
  }
  out.unreplayable = reader.unreplayable_rows();
  out.warning = reader.unreplayable_warning();
  out.has_outcomes = reader.has_outcomes();
  return out;
}

/// The message reading `text` (one header, then rows) fails with, the file named "f.csv".
std::string error_of(const std::string &text, ArrivalsFormat format = ArrivalsFormat::native) {
  const TempFile file("f.csv", text);
  try {
    read(file.path, arrivals_preset(format));
  } catch (const ArrivalsError &e) {
    std::string message = e.what();
    if (message.rfind(file.path, 0) == 0) message.replace(0, file.path.size(), "f.csv");
    return message;
  }
  return "no error";
}

} // namespace

TEST_CASE("Native history: every column read", "[arrivals][history]") {
  const TempFile file("native.csv",
                      "case_id,created_utc,queued_utc,answered_utc,abandoned_utc,handle_minutes,"
                      "wrap_minutes,touches,total_handle_minutes,resolved_utc,escalated,reopened,"
                      "agent,group\n"
                      "H-1,2027-01-04T09:00:00Z,2027-01-04T09:00:30Z,2027-01-04T09:02:00Z,,6.5,"
                      "1.25,3,20,2027-01-05T10:00:00Z,yes,no,ana,austin-l1\n"
                      "H-2,2027-01-04T09:01:00Z,,,2027-01-04T09:03:00Z,,,,,,,,,\n"
                      "H-3,2027-01-04T09:05:00Z,,,,,,,,,,,,\n"
                      "H-4,2027-01-04T09:06:00Z,,2027-01-04T09:06:00Z,,4:30,0:00:45,1,1:02:03,,"
                      "TRUE,2,\"Smith, Bo\",\n");
  const Read r = read(file.path, arrivals_preset(ArrivalsFormat::native));
  REQUIRE(r.cases.size() == 4);
  CHECK(r.has_outcomes);

  const HistoryRecord &a = r.history[0];
  CHECK(a.line == 2);
  CHECK(a.created == utc("2027-01-04T09:00:00Z"));
  CHECK(a.queued == utc("2027-01-04T09:00:30Z"));
  CHECK(a.answered == utc("2027-01-04T09:02:00Z"));
  CHECK_FALSE(a.abandoned.has_value());
  CHECK(a.handle_minutes == 6.5);
  CHECK(a.wrap_minutes == 1.25);
  CHECK(a.touches == 3);
  CHECK(a.total_handle_minutes == 20.0);
  CHECK(a.resolved == utc("2027-01-05T10:00:00Z"));
  CHECK(a.escalated == true);
  CHECK(a.reopened == false);
  CHECK(a.agent == "ana");
  CHECK(a.group == "austin-l1");
  CHECK(a.outcome == CaseOutcome::answered);
  CHECK_FALSE(a.handle_derived);
  CHECK(a.queued_or_created() == utc("2027-01-04T09:00:30Z"));
  // The model's fields.
  const ReplayedCase &ca = r.cases[0];
  CHECK(ca.created == utc("2027-01-04T09:00:00Z"));
  CHECK(ca.queued == utc("2027-01-04T09:00:30Z"));
  CHECK(ca.handle_minutes == 6.5);
  CHECK(ca.wrap_minutes == 1.25);
  CHECK(ca.touches == 3);
  CHECK(ca.total_handle_minutes == 20.0);

  const HistoryRecord &b = r.history[1];
  CHECK(b.line == 3);
  CHECK(b.outcome == CaseOutcome::abandoned);
  CHECK(b.abandoned == utc("2027-01-04T09:03:00Z"));
  CHECK(b.queued_or_created() == utc("2027-01-04T09:01:00Z"));
  CHECK_FALSE(r.cases[1].queued.has_value());
  CHECK_FALSE(r.cases[1].handle_minutes.has_value());
  CHECK(b.agent.empty());

  CHECK(r.history[2].outcome == CaseOutcome::none);

  // Clock forms of durations, a count of reopens, a quoted agent.
  const HistoryRecord &d = r.history[3];
  CHECK(d.handle_minutes == 4.5);
  CHECK(d.wrap_minutes == 0.75);
  CHECK(d.total_handle_minutes == Approx(62.05).epsilon(1e-12));
  CHECK(d.escalated == true);
  CHECK(d.reopened == true);
  CHECK(d.agent == "Smith, Bo");
  CHECK(d.group.empty());

  CHECK(r.unreplayable.count == 1);
  CHECK(r.unreplayable.first_lines == std::vector<std::size_t>{4});
  CHECK(r.warning == file.path + ": 1 row with nothing to replay (neither answered nor abandoned), "
                                 "simulated without an outcome: line 4");
}

TEST_CASE("A file without history columns reads no outcomes and warns of nothing",
          "[arrivals][history]") {
  const TempFile file("plain.csv", "case_id,created_utc\n1,2027-01-04T09:00:00Z\n");
  const Read r = read(file.path, arrivals_preset(ArrivalsFormat::native));
  REQUIRE(r.cases.size() == 1);
  CHECK_FALSE(r.has_outcomes);
  CHECK(r.history[0].line == 2);
  CHECK(r.history[0].created == utc("2027-01-04T09:00:00Z"));
  CHECK(r.history[0].outcome == CaseOutcome::none);
  CHECK(r.unreplayable.count == 0);
  CHECK(r.warning.empty());
}

TEST_CASE("Nothing to replay: counted, the first ten lines named, also when sorted",
          "[arrivals][history]") {
  std::string text = "case_id,created_utc,answered_utc\n";
  // 14 rows: the even ones answered, the 7 odd ones not.
  for (int i = 0; i < 14; ++i)
    text += fmt::format("{},2027-01-04T09:{:02}:00Z,{}\n", i, i,
                        i % 2 == 0 ? fmt::format("2027-01-04T10:{:02}:00Z", i) : "");
  text += "x,2027-01-04T08:00:00Z,\nx,2027-01-04T08:00:00Z,\nx,2027-01-04T08:00:00Z,\n"
          "x,2027-01-04T08:00:00Z,\n";
  const TempFile file("unreplayable.csv", text);
  const Read r = read(file.path, arrivals_preset(ArrivalsFormat::native), {.sort = true});
  CHECK(r.cases.size() == 18);
  CHECK(r.unreplayable.count == 11);
  CHECK(r.unreplayable.first_lines == std::vector<std::size_t>{3, 5, 7, 9, 11, 13, 15, 16, 17, 18});
  CHECK(r.warning == file.path +
                         ": 11 rows with nothing to replay (neither answered nor abandoned), "
                         "simulated without an outcome: lines 3, 5, 7, 9, 11, 13, 15, 16, 17, "
                         "18 ...");
  // Sorted: the history travels with its case.
  CHECK(r.history[0].line == 16);
  CHECK(r.history[4].line == 2);
  CHECK(r.history[4].answered == utc("2027-01-04T10:00:00Z"));
}

TEST_CASE("ACD call-detail records: handle from answer to end, abandonment from the "
          "disposition",
          "[arrivals][history]") {
  const TempFile file("acd.csv",
                      "Call ID,Call Start,Queue Start,Answer Time,End Time,Disposition,Agent,"
                      "Skill,Wrap Time\n"
                      "C1,2027-01-04T09:00:00Z,2027-01-04T09:00:40Z,2027-01-04T09:01:10Z,"
                      "2027-01-04T09:07:40Z,ANSWERED,4711,austin-l1,45\n"
                      "C2,2027-01-04T09:00:05Z,2027-01-04T09:00:35Z,,2027-01-04T09:02:05Z,"
                      "abandoned,,austin-l1,\n"
                      "C3,2027-01-04T09:00:10Z,2027-01-04T09:00:20Z,,2027-01-04T09:00:50Z,"
                      "TRANSFERRED,,,\n");
  const Read r = read(file.path, arrivals_preset(ArrivalsFormat::acd));
  REQUIRE(r.cases.size() == 3);
  const HistoryRecord &a = r.history[0];
  CHECK(a.created == utc("2027-01-04T09:00:00Z"));
  CHECK(a.queued == utc("2027-01-04T09:00:40Z"));
  CHECK(a.answered == utc("2027-01-04T09:01:10Z"));
  CHECK(a.ended == utc("2027-01-04T09:07:40Z"));
  CHECK(a.handle_minutes == 6.5);
  CHECK(a.handle_derived);
  CHECK(a.wrap_minutes == 0.75);
  CHECK(a.agent == "4711");
  CHECK(a.group == "austin-l1");
  CHECK(a.outcome == CaseOutcome::answered);
  CHECK(r.cases[0].channel == models::Channel::phone); // the preset's default
  CHECK(r.cases[0].handle_minutes == 6.5);
  CHECK(r.cases[0].wrap_minutes == 0.75);
  CHECK(r.cases[0].queued == utc("2027-01-04T09:00:40Z"));

  const HistoryRecord &b = r.history[1];
  CHECK(b.outcome == CaseOutcome::abandoned);
  CHECK(b.abandoned == utc("2027-01-04T09:02:05Z"));
  CHECK_FALSE(b.handle_minutes.has_value());

  CHECK(r.history[2].outcome == CaseOutcome::none);
  CHECK(r.unreplayable.first_lines == std::vector<std::size_t>{4});
}

TEST_CASE("Zendesk export: first reply and resolution in minutes, solved at, time spent in "
          "seconds",
          "[arrivals][history]") {
  const TempFile file(
      "zendesk.csv",
      "id,created_at,priority,via,tags,Assignee,Group,First reply time in minutes,Solved at,"
      "Full resolution time in minutes,Reopens,Total time spent (sec)\n"
      "1,2027-01-04T09:00:00Z,high,email,,Ana Lima,london-l1,30,2027-01-04T15:00:00Z,999,2,"
      "900\n"
      "2,2027-01-04T09:10:00Z,low,web,,,,,,120,0,\n");
  const Read r = read(file.path, arrivals_preset(ArrivalsFormat::zendesk));
  REQUIRE(r.cases.size() == 2);
  const HistoryRecord &a = r.history[0];
  CHECK(a.answered == utc("2027-01-04T09:30:00Z"));
  CHECK(a.resolved == utc("2027-01-04T15:00:00Z")); // Solved at wins over the minutes
  CHECK(a.reopened == true);
  CHECK(a.total_handle_minutes == 15.0);
  CHECK(r.cases[0].total_handle_minutes == 15.0);
  CHECK(a.agent == "Ana Lima");
  CHECK(a.group == "london-l1");
  CHECK(a.outcome == CaseOutcome::answered);
  const HistoryRecord &b = r.history[1];
  CHECK(b.resolved == utc("2027-01-04T11:10:00Z"));
  CHECK(b.reopened == false);
  CHECK(b.outcome == CaseOutcome::none);
  CHECK(r.unreplayable.count == 1);
}

TEST_CASE("Salesforce report: first response, closed, escalated, owner, handle time in "
          "seconds",
          "[arrivals][history]") {
  const TempFile file("salesforce.csv",
                      "CaseNumber,CreatedDate,Origin,First Response Date,Closed Date,IsEscalated,"
                      "Case Owner,Queue,Handle Time,After Conversation Actual Time\n"
                      "00001,2027-01-04T09:00:00.000+0000,Chat,2027-01-04T09:03:00.000+0000,"
                      "2027-01-04T09:40:00.000+0000,true,Ana,sf-l1,754.5,60\n"
                      "00002,2027-01-04T10:00:00.000+0100,Email,,,false,,,,\n");
  const Read r = read(file.path, arrivals_preset(ArrivalsFormat::salesforce));
  REQUIRE(r.cases.size() == 2);
  const HistoryRecord &a = r.history[0];
  CHECK(a.answered == utc("2027-01-04T09:03:00Z"));
  CHECK(a.resolved == utc("2027-01-04T09:40:00Z"));
  CHECK(a.escalated == true);
  CHECK(a.agent == "Ana");
  CHECK(a.group == "sf-l1");
  CHECK(a.handle_minutes == Approx(754.5 / 60).epsilon(1e-12));
  CHECK(a.wrap_minutes == 1.0);
  CHECK(r.cases[0].handle_minutes == Approx(754.5 / 60).epsilon(1e-12));
  CHECK(r.history[1].escalated == false);
  CHECK(r.history[1].outcome == CaseOutcome::none);
  CHECK(r.unreplayable.first_lines == std::vector<std::size_t>{3});
}

TEST_CASE("A mapping file: units per column, outcome words, a default channel",
          "[arrivals][history]") {
  const scenarios::ArrivalsMapping mapping = scenarios::parse_arrivals_mapping(
      R"({
        "columns": {
          "created_utc": "Start",
          "queued_utc": "Enqueued",
          "answered_utc": "Connected",
          "ended_utc": "Released",
          "outcome": "Result",
          "handle_minutes": {"column": ["Talk Time", "Talk"], "unit": "seconds"},
          "wrap_minutes": {"column": "ACW", "unit": "hours"},
          "touches": "Contacts",
          "total_handle_minutes": {"column": "Total"},
          "escalated": "Escalated",
          "reopened": "Reopened",
          "resolved_utc": "Closed",
          "agent": "Rep",
          "group": "Team"
        },
        "outcomes": {"ANS": "answered", "ABN": "abandoned", "VM": "other"},
        "defaults": {"channel": "chat", "region": "emea"},
        "time_zone": "Europe/London"
      })",
      "map.json");
  const TempFile file("mapped.csv",
                      "Start,Enqueued,Connected,Released,Result,Talk,ACW,Contacts,Total,Escalated,"
                      "Reopened,Closed,Rep,Team\n"
                      "2027-07-01 09:00:00,2027-07-01 09:00:10,2027-07-01 09:01:00,"
                      "2027-07-01 09:30:00,ANS,90,0.05,2,45,n,0,2027-07-02 09:00:00,r1,sf-l2\n"
                      "2027-07-01 09:05:00,,,2027-07-01 09:06:30,abn,,,,,,,,,\n"
                      "2027-07-01 09:06:00,,,,VM,,,,,,,,,\n");
  const Read r = read(file.path, mapping);
  REQUIRE(r.cases.size() == 3);
  const HistoryRecord &a = r.history[0];
  CHECK(a.created == utc("2027-07-01T08:00:00Z")); // London summer time
  CHECK(a.queued == utc("2027-07-01T08:00:10Z"));
  CHECK(a.answered == utc("2027-07-01T08:01:00Z"));
  CHECK(a.handle_minutes == 1.5); // the column's 90 seconds, not end - answer
  CHECK_FALSE(a.handle_derived);
  CHECK(a.wrap_minutes == Approx(3.0).epsilon(1e-12));
  CHECK(a.touches == 2);
  CHECK(a.total_handle_minutes == 45.0);
  CHECK(a.escalated == false);
  CHECK(a.reopened == false);
  CHECK(a.resolved == utc("2027-07-02T08:00:00Z"));
  CHECK(a.agent == "r1");
  CHECK(a.group == "sf-l2");
  CHECK(r.cases[0].channel == models::Channel::chat);
  CHECK(r.cases[0].region.has_value());
  CHECK(r.history[1].outcome == CaseOutcome::abandoned);
  CHECK(r.history[1].abandoned == utc("2027-07-01T08:06:30Z"));
  CHECK(r.history[2].outcome == CaseOutcome::none);
  CHECK(r.unreplayable.first_lines == std::vector<std::size_t>{4});

  auto error = [](const std::string &text) {
    try {
      scenarios::parse_arrivals_mapping(text, "m.json");
    } catch (const ArrivalsError &e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  CHECK(error(R"({"columns": {"created_utc": "S", "touches": {"column": "T", "unit": "s"}}})") ==
        "m.json: /columns/touches/unit: touches is not a duration; only handle_minutes, "
        "wrap_minutes, total_handle_minutes, first_reply_minutes and resolution_minutes take a "
        "unit");
  CHECK(error(R"({"columns": {"created_utc": "S",
                 "handle_minutes": {"column": "T", "unit": "secs"}}})") ==
        "m.json: /columns/handle_minutes/unit: 'secs' is not a unit (minutes, seconds, hours)");
  CHECK(error(R"({"columns": {"created_utc": "S", "handle_minutes": {"unit": "seconds"}}})") ==
        "m.json: /columns/handle_minutes: no \"column\": which column holds it?");
  CHECK(error(R"({"columns": {"created_utc": "S"}, "outcomes": {"X": "lost"}})") ==
        "m.json: /outcomes/X: 'lost' is not an outcome (answered, abandoned, other)");
  CHECK(error(R"({"columns": {"created_utc": "S"}, "defaults": {"chanel": "phone"}})") ==
        "m.json: /defaults/chanel: unknown field 'chanel'; did you mean 'channel'?");

  // A default naming nothing of the scenario is an error when the reader opens.
  const scenarios::ArrivalsMapping bad_default = scenarios::parse_arrivals_mapping(
      R"({"columns": {"created_utc": "Start"}, "defaults": {"region": "LATAM"}})", "d.json");
  try {
    read(file.path, bad_default);
    FAIL("no error");
  } catch (const ArrivalsError &e) {
    CHECK(std::string(e.what()) ==
          "d.json: default region 'LATAM' is not a region of the scenario (AMER, EMEA, APJC)");
  }
}

TEST_CASE("The documented mapping file for another ACD reads as the docs say",
          "[arrivals][history]") {
  // tests/scenarios/arrivals/acd_mapping.json is the example of docs/arrivals-format.md.
  const std::string dir = std::string(SUPPORTSIM_SOURCE_DIR) + "/tests/scenarios/arrivals/";
  const Read r =
      read(dir + "acd_mapped.csv", scenarios::load_arrivals_mapping(dir + "acd_mapping.json"));
  REQUIRE(r.cases.size() == 3);
  const HistoryRecord &a = r.history[0];
  CHECK(a.created == utc("2027-01-04T14:00:00Z")); // Chicago, winter: UTC-6
  CHECK(a.queued == utc("2027-01-04T14:00:20Z"));
  CHECK(a.answered == utc("2027-01-04T14:01:00Z"));
  CHECK(a.handle_minutes == 5.2);
  CHECK(a.wrap_minutes == 0.8);
  CHECK(a.agent == "jdoe");
  CHECK(a.group == "austin-l1");
  CHECK(r.cases[0].channel == models::Channel::phone);
  CHECK(r.history[1].outcome == CaseOutcome::abandoned);
  CHECK(r.history[1].abandoned == utc("2027-01-04T14:00:55Z"));
  CHECK(r.history[2].outcome == CaseOutcome::none);
  CHECK(r.unreplayable.first_lines == std::vector<std::size_t>{4});
}

TEST_CASE("Rows contradicting themselves are errors naming the line", "[arrivals][history]") {
  const std::string header = "case_id,created_utc,queued_utc,answered_utc,abandoned_utc,"
                             "handle_minutes,wrap_minutes,touches,resolved_utc,escalated,"
                             "total_handle_minutes\n"
                             "ok,2027-01-04T08:00:00Z,,,,,,,,,\n";
  auto native = [&](const std::string &row) { return error_of(header + row + "\n"); };
  CHECK(native("1,2027-01-04T09:00:00Z,2027-01-04T09:01:00Z,2027-01-04T09:00:30Z,,,,,,,") ==
        "f.csv:3: answered_utc 2027-01-04T09:00:30Z is before queued_utc 2027-01-04T09:01:00Z");
  CHECK(native("1,2027-01-04T09:00:00Z,,2027-01-04T08:59:00Z,,,,,,,") ==
        "f.csv:3: answered_utc 2027-01-04T08:59:00Z is before created_utc 2027-01-04T09:00:00Z");
  CHECK(native("1,2027-01-04T09:00:00Z,2027-01-04T08:59:59Z,,,,,,,,") ==
        "f.csv:3: queued_utc 2027-01-04T08:59:59Z is before created_utc 2027-01-04T09:00:00Z");
  CHECK(native("1,2027-01-04T09:00:00Z,2027-01-04T09:02:00Z,,2027-01-04T09:01:00Z,,,,,,") ==
        "f.csv:3: abandoned_utc 2027-01-04T09:01:00Z is before queued_utc 2027-01-04T09:02:00Z");
  CHECK(native("1,2027-01-04T09:00:00Z,,2027-01-04T09:01:00Z,2027-01-04T09:02:00Z,,,,,,") ==
        "f.csv:3: answered_utc 2027-01-04T09:01:00Z and abandoned_utc 2027-01-04T09:02:00Z are "
        "both given: a case is either answered or abandoned");
  CHECK(native("1,2027-01-04T09:00:00Z,,2027-01-04T09:01:00Z,,-1,,,,,") ==
        "f.csv:3: handle_minutes '-1' is negative: a duration is 0 or more");
  CHECK(native("1,2027-01-04T09:00:00Z,,2027-01-04T09:01:00Z,,2,-0.5,,,,") ==
        "f.csv:3: wrap_minutes '-0.5' is negative: a duration is 0 or more");
  CHECK(native("1,2027-01-04T09:00:00Z,,,,,,0,,,") ==
        "f.csv:3: touches '0' is not a number of touches (a whole number, at least 1)");
  CHECK(native("1,2027-01-04T09:00:00Z,,,,,,1.5,,,") ==
        "f.csv:3: touches '1.5' is not a number of touches (a whole number, at least 1)");
  CHECK(native("1,2027-01-04T09:00:00Z,,,,,,,2027-01-04T08:00:00Z,,") ==
        "f.csv:3: resolved_utc 2027-01-04T08:00:00Z is before created_utc 2027-01-04T09:00:00Z");
  // Values that cannot be read.
  CHECK(native("1,2027-01-04T09:00:00Z,,soon,,,,,,,") ==
        "f.csv:3: answered_utc 'soon' is not an ISO 8601 date and time (e.g. "
        "2027-01-04T09:15:00Z or 2027-01-04T10:15:00+01:00) nor a US one (10/5/2025 9:12 AM); "
        "for another form give the date format (--date-format, e.g. '%d.%m.%Y %H:%M')");
  CHECK(native("1,2027-01-04T09:00:00Z,2027-01-04T09:00:00,,,,,,,,") ==
        "f.csv:3: queued_utc '2027-01-04T09:00:00' has no UTC offset and no time zone was "
        "given for the file (write Z or +01:00 after the time, or give a time zone)");
  CHECK(native("1,2027-01-04T09:00:00Z,,,,six,,,,,") ==
        "f.csv:3: handle_minutes 'six' is not a duration (a number of minutes, or h:mm:ss)");
  CHECK(native("1,2027-01-04T09:00:00Z,,,,4:75,,,,,") ==
        "f.csv:3: handle_minutes '4:75' is not a duration (a number of minutes, or h:mm:ss)");
  CHECK(native("1,2027-01-04T09:00:00Z,,,,1e300,,,,,") ==
        "f.csv:3: handle_minutes '1e300' is more than ten years: is its unit right?");
  CHECK(native("1,2027-01-04T09:00:00Z,,,,,,,,maybe,") ==
        "f.csv:3: escalated 'maybe' is not yes or no (yes/no, true/false, 1/0, or a count)");
  CHECK(native("1,2027-01-04T09:00:00Z,,,,,,,,,-3") ==
        "f.csv:3: total_handle_minutes '-3' is negative: a duration is 0 or more");

  // The ACD's disposition against its times.
  const std::string acd = "Call ID,Call Start,Answer Time,End Time,Disposition\n";
  CHECK(error_of(acd + "1,2027-01-04T09:00:00Z,2027-01-04T09:01:00Z,2027-01-04T09:05:00Z,"
                       "ABANDONED\n",
                 ArrivalsFormat::acd) ==
        "f.csv:2: Disposition 'ABANDONED' says abandoned, but Answer Time 2027-01-04T09:01:00Z "
        "is given: a case is either answered or abandoned");
  CHECK(error_of(acd + "1,2027-01-04T09:00:00Z,,2027-01-04T09:05:00Z,ANSWERED\n",
                 ArrivalsFormat::acd) ==
        "f.csv:2: Disposition 'ANSWERED' says answered, but Answer Time is empty");
  CHECK(error_of(acd + "1,2027-01-04T09:00:00Z,,,ABANDONED\n", ArrivalsFormat::acd) ==
        "f.csv:2: Disposition 'ABANDONED' says abandoned, but there is no time it was "
        "abandoned (abandoned_utc or ended_utc)");
  CHECK(error_of(acd + "1,2027-01-04T09:00:00Z,2027-01-04T09:03:00Z,2027-01-04T09:02:00Z,"
                       "ANSWERED\n",
                 ArrivalsFormat::acd) ==
        "f.csv:2: End Time 2027-01-04T09:02:00Z is before Answer Time 2027-01-04T09:03:00Z");
  CHECK(error_of(acd + "1,2027-01-04T09:00:00Z,,2027-01-04T09:01:00Z,ABANDONED\n"
                       "2,2027-01-04T09:00:00Z,2027-01-04T09:01:00Z,2027-01-04T09:02:00Z,"
                       "ANSWRED\n",
                 ArrivalsFormat::acd) ==
        "f.csv:3: Disposition 'ANSWRED' is not an outcome; did you mean 'ANSWERED'?");
  // The ACD's abandonment is its end of call: before the queue start is a contradiction.
  CHECK(error_of("Call ID,Call Start,Queue Start,End Time,Disposition\n"
                 "1,2027-01-04T09:00:00Z,2027-01-04T09:01:00Z,2027-01-04T09:00:30Z,ABANDONED\n",
                 ArrivalsFormat::acd) ==
        "f.csv:2: End Time 2027-01-04T09:00:30Z is before Queue Start 2027-01-04T09:01:00Z");
  // Zendesk's first reply minutes are named when they give the answer.
  CHECK(error_of("id,created_at,First reply time in minutes\n1,2027-01-04T09:00:00Z,-5\n",
                 ArrivalsFormat::zendesk) ==
        "f.csv:2: First reply time in minutes '-5' is negative: a duration is 0 or more");
}

TEST_CASE("skip_bad_rows skips contradicting rows and counts them", "[arrivals][history]") {
  const TempFile file("skip.csv", "case_id,created_utc,answered_utc,abandoned_utc\n"
                                  "1,2027-01-04T09:00:00Z,2027-01-04T09:01:00Z,\n"
                                  "2,2027-01-04T09:01:00Z,2027-01-04T09:02:00Z,"
                                  "2027-01-04T09:03:00Z\n"
                                  "3,2027-01-04T09:02:00Z,,2027-01-04T09:03:00Z\n"
                                  "4,2027-01-04T09:03:00Z,,\n");
  scenarios::ArrivalsReader reader(
      file.path, organisation(), arrivals_preset(ArrivalsFormat::native), {.skip_bad_rows = true});
  ReplayedCase c;
  std::vector<std::size_t> lines;
  while (reader.next(c))
    lines.push_back(reader.history().line);
  CHECK(lines == std::vector<std::size_t>{2, 4, 5});
  CHECK(reader.bad_rows() == 1);
  CHECK(reader.unreplayable_rows().count == 1);
  CHECK(reader.unreplayable_rows().first_lines == std::vector<std::size_t>{5});
}
