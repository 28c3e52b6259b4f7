// Real exports as they come: Zendesk's "Created at" and "2025-10-05 15:12:55 +0100", Salesforce's
// US "10/5/2025 9:12 AM" (naive, read in the file's time zone), any other form through a date
// format, and the preset told by the header (or suggested in the error).
#include "scenarios/arrivals.hpp"
#include "scenarios/scenario.hpp"
#include "sim/clock.hpp"
#include "tests/support/temp_dir.hpp"

#include <catch2/catch.hpp>
#include <chrono>
#include <string>
#include <vector>

using namespace supportsim;
using models::Channel;
using models::Priority;
using models::ReplayedCase;
using scenarios::arrivals_preset;
using scenarios::ArrivalsError;
using scenarios::ArrivalsFormat;
using scenarios::ArrivalsOptions;
using scenarios::ArrivalsReader;
using supportsim::testing::TempDir;

namespace {

const models::OrganisationConfig &organisation() {
  static const scenarios::Scenario scenario = scenarios::default_scenario();
  return scenario.organisation;
}

/// Every case of `path`, read with `format` and `options`.
std::vector<ReplayedCase> read_all(const std::string &path, ArrivalsFormat format,
                                   const ArrivalsOptions &options = {}) {
  ArrivalsReader reader(path, organisation(), arrivals_preset(format), options);
  std::vector<ReplayedCase> out;
  ReplayedCase c;
  while (reader.next(c))
    out.push_back(c);
  return out;
}

std::string error_of(const std::string &path, ArrivalsFormat format,
                     const ArrivalsOptions &options = {}) {
  try {
    read_all(path, format, options);
  } catch (const ArrivalsError &e) {
    return e.what();
  }
  return "no error";
}

} // namespace

TEST_CASE("import: Zendesk's CSV export, 'Created at' with a blank before the offset",
          "[arrivals][import]") {
  const TempDir f;
  const std::string path = f.write("zendesk.csv", "Id,Created at,Priority,Via,Tags\n"
                                                  "1,2025-10-05 15:12:55 +0100,High,Email,\n"
                                                  "2,2025-10-05 16:00:01 -0430,Urgent,Chat,\n"
                                                  "3,2025-10-06 09:00:00 +01:00,Low,Web form,\n");
  const auto cases = read_all(path, ArrivalsFormat::zendesk);
  REQUIRE(cases.size() == 3);
  CHECK(cases[0].created == sim::parse_utc("2025-10-05T14:12:55Z"));
  CHECK(cases[1].created == sim::parse_utc("2025-10-05T20:30:01Z"));
  CHECK(cases[2].created == sim::parse_utc("2025-10-06T08:00:00Z"));
  CHECK(cases[0].priority == Priority::p2);
  CHECK(cases[1].priority == Priority::p1);
  CHECK(cases[1].channel == Channel::chat);
  CHECK(cases[2].channel == Channel::email);
  // The header fits the Zendesk preset alone.
  CHECK(scenarios::arrivals_formats_fitting(scenarios::read_csv_header(path)) ==
        std::vector<ArrivalsFormat>{ArrivalsFormat::zendesk});
  // Read as native, the error says which preset the columns look like.
  CHECK(error_of(path, ArrivalsFormat::native) ==
        path + ":1: no column for the creation time ('created_utc', native format); the columns "
               "are: Id, Created at, Priority, Via, Tags; these columns look like a Zendesk "
               "export: use --arrivals-format zendesk");
}

TEST_CASE("import: Salesforce's US display form, naive in the file's time zone",
          "[arrivals][import]") {
  const TempDir f;
  const std::string path = f.write("salesforce.csv", "Case Number,Date/Time Opened,Priority\n"
                                                     "100,10/5/2025 9:12 AM,High\n"
                                                     "101,10/5/2025 1:05 PM,Low\n"
                                                     "102,10/6/2025 12:30 am,Medium\n"
                                                     "103,10/6/2025 12:00:30PM,Critical\n");
  // New York is on daylight-saving time (UTC-4) in October 2025.
  const auto cases = read_all(path, ArrivalsFormat::salesforce, {.time_zone = "America/New_York"});
  REQUIRE(cases.size() == 4);
  CHECK(cases[0].created == sim::parse_utc("2025-10-05T13:12:00Z"));
  CHECK(cases[1].created == sim::parse_utc("2025-10-05T17:05:00Z"));
  CHECK(cases[2].created == sim::parse_utc("2025-10-06T04:30:00Z")); // 12:30 AM is 00:30
  CHECK(cases[3].created == sim::parse_utc("2025-10-06T16:00:30Z")); // 12:00 PM is noon
  CHECK(cases[3].priority == Priority::p1);
  CHECK(scenarios::arrivals_formats_fitting(scenarios::read_csv_header(path)) ==
        std::vector<ArrivalsFormat>{ArrivalsFormat::salesforce});
  // Without a time zone, the naive rule: a bad row that says so.
  CHECK(error_of(path, ArrivalsFormat::salesforce) ==
        path + ":2: Date/Time Opened '10/5/2025 9:12 AM' has no UTC offset and no time zone was "
               "given for the file (write Z or +01:00 after the time, or give a time zone)");
}

TEST_CASE("import: slashes without AM/PM and malformed dates are bad rows", "[arrivals][import]") {
  const TempDir f;
  const ArrivalsOptions london{.time_zone = "Europe/London"};
  const std::string ambiguous = f.write("a.csv", "created_utc\n10/5/2025 09:12\n");
  CHECK(error_of(ambiguous, ArrivalsFormat::native, london) ==
        ambiguous + ":2: created_utc '10/5/2025 09:12' could be day/month or month/day: give the "
                    "date format, e.g. --date-format '%m/%d/%Y %H:%M' (US) or '%d/%m/%Y %H:%M'");
  const std::string no_day = f.write("b.csv", "created_utc\n2/30/2025 9:12 AM\n");
  CHECK(error_of(no_day, ArrivalsFormat::native, london) ==
        no_day + ":2: created_utc '2/30/2025 9:12 AM' is not a date");
  const std::string hour13 = f.write("c.csv", "created_utc\n2/3/2025 13:12 PM\n");
  CHECK_THAT(error_of(hour13, ArrivalsFormat::native, london),
             Catch::Matchers::Contains(":2: created_utc '2/3/2025 13:12 PM' is not an ISO 8601"));
  const std::string two_blanks = f.write("d.csv", "created_utc\n2025-10-05 15:12:55  +0100\n");
  CHECK_THAT(error_of(two_blanks, ArrivalsFormat::native),
             Catch::Matchers::Contains("is not an ISO 8601 date and time"));
}

TEST_CASE("import: --date-format reads any other form", "[arrivals][import]") {
  const TempDir f;
  const std::string path = f.write("eu.csv", "created_utc,priority\n"
                                             "05.10.2025 09:12,P1\n"
                                             "6.10.2025 17:45,P2\n");
  const auto cases = read_all(path, ArrivalsFormat::native,
                              {.time_zone = "Europe/Berlin", .date_format = "%d.%m.%Y %H:%M"});
  REQUIRE(cases.size() == 2);
  CHECK(cases[0].created == sim::parse_utc("2025-10-05T07:12:00Z")); // CEST, UTC+2
  CHECK(cases[1].created == sim::parse_utc("2025-10-06T15:45:00Z"));
  // Month names, 12-hour clock, seconds with a fraction and an offset.
  const std::string named = f.write("named.csv", "created_utc\n"
                                                 "Oct 5 2025 09:12:30.25 PM +0200\n"
                                                 "october 6 2025 12:00:00.5 AM Z\n");
  const auto more =
      read_all(named, ArrivalsFormat::native, {.date_format = "%b %d %Y %I:%M:%S.%f %p %z"});
  REQUIRE(more.size() == 2);
  CHECK(more[0].created == sim::parse_utc("2025-10-05T19:12:30Z") + std::chrono::milliseconds(250));
  CHECK(more[1].created == sim::parse_utc("2025-10-06T00:00:00Z") + std::chrono::milliseconds(500));
  // A row that does not match, and a date that does not exist.
  const std::string bad = f.write("bad.csv", "created_utc\n2025-10-05 09:12\n31.02.2025 10:00\n");
  CHECK(error_of(bad, ArrivalsFormat::native,
                 {.time_zone = "UTC", .date_format = "%d.%m.%Y %H:%M"}) ==
        bad + ":2: created_utc '2025-10-05 09:12' does not match the date format '%d.%m.%Y %H:%M'");
  const std::string feb = f.write("feb.csv", "created_utc\n31.02.2025 10:00\n");
  CHECK(error_of(feb, ArrivalsFormat::native,
                 {.time_zone = "UTC", .date_format = "%d.%m.%Y %H:%M"}) ==
        feb + ":2: created_utc '31.02.2025 10:00' is not a date");
  // A format that cannot be read is refused before any row.
  CHECK(scenarios::arrivals_date_format_problem("%d.%m.%Y") ==
        "it needs a year (%Y), a month (%m or %b), a day (%d), an hour (%H or %I) and a minute "
        "(%M)");
  CHECK(scenarios::arrivals_date_format_problem("%d.%m.%Y %I:%M") ==
        "%I (12-hour clock) and %p (AM/PM) go together");
  CHECK(scenarios::arrivals_date_format_problem("%d.%m.%Y %H:%M %Q") ==
        "%Q is not a directive it reads (%Y %y %m %d %b %H %I %M %S %f %p %z %T %%)");
  CHECK(error_of(path, ArrivalsFormat::native, {.date_format = "%d.%m.%Y"}) ==
        path + ": date format '%d.%m.%Y': it needs a year (%Y), a month (%m or %b), a day (%d), "
               "an hour (%H or %I) and a minute (%M)");
}

TEST_CASE("import: which presets a header fits", "[arrivals][import]") {
  using F = ArrivalsFormat;
  using V = std::vector<F>;
  CHECK(scenarios::arrivals_formats_fitting({"case_id", "created_utc"}) == V{F::native});
  CHECK(scenarios::arrivals_formats_fitting({"CaseNumber", " CREATEDDATE "}) == V{F::salesforce});
  CHECK(scenarios::arrivals_formats_fitting({"id", "created_at"}) == V{F::zendesk});
  CHECK(scenarios::arrivals_formats_fitting({"Call ID", "Call Start"}) == V{F::acd});
  CHECK(scenarios::arrivals_formats_fitting({"Opened", "Number"}).empty());
  CHECK(scenarios::arrivals_formats_fitting({"created_at", "CreatedDate"}) ==
        V{F::salesforce, F::zendesk});
}
