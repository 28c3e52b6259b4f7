// Replayed case exports (scenarios/arrivals.hpp): each preset and a mapping file on small
// hand-written samples under tests/scenarios/arrivals/, with exact times and indices; one file
// per kind of bad row, with its exact message; skip_bad_rows, sort, naive times across DST, and
// the native writer read back to the microsecond.
#include "scenarios/arrivals.hpp"
#include "scenarios/scenario.hpp"
#include "sim/clock.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <sstream>
#include <string>
#include <unistd.h>
#include <vector>

using namespace supportsim;
using models::Channel;
using models::Priority;
using models::ReplayedCase;
using models::Segment;
using scenarios::arrivals_preset;
using scenarios::ArrivalsError;
using scenarios::ArrivalsFormat;
using scenarios::ArrivalsOptions;

namespace {

const std::string dir = std::string(SUPPORTSIM_SOURCE_DIR) + "/tests/scenarios/arrivals/";

const models::OrganisationConfig &organisation() {
  static const scenarios::Scenario scenario = scenarios::default_scenario();
  return scenario.organisation;
}

std::uint8_t index_in(const std::vector<std::string> &names, const std::string &name) {
  const auto it = std::find(names.begin(), names.end(), name);
  REQUIRE(it != names.end());
  return static_cast<std::uint8_t>(it - names.begin());
}
std::uint8_t region(const std::string &name) {
  std::vector<std::string> names;
  for (const auto &r : organisation().regions)
    names.push_back(r.name);
  return index_in(names, name);
}
std::uint8_t product(const std::string &name) {
  return index_in(organisation().products, name);
}
std::uint8_t language(const std::string &name) {
  return index_in(organisation().languages, name);
}
std::uint16_t account(const std::string &name) {
  std::vector<std::string> names;
  for (const auto &g : organisation().agent_groups)
    names.insert(names.end(), g.accounts.begin(), g.accounts.end());
  return index_in(names, name);
}

/// "2027-01-04T09:15:00Z" plus `micros` microseconds.
sim::UtcTime utc(const char *text, std::int64_t micros = 0) {
  return sim::parse_utc(text) + std::chrono::microseconds(micros);
}

struct Read {
  std::vector<ReplayedCase> cases;
  std::vector<std::string> ids;
};

Read read_all(const std::string &path, const scenarios::ArrivalsMapping &mapping,
              const ArrivalsOptions &options = {}) {
  scenarios::ArrivalsReader reader(path, organisation(), mapping, options);
  Read out;
  ReplayedCase c;
  while (reader.next(c)) {
    out.cases.push_back(c);
    out.ids.emplace_back(reader.case_id());
  }
  CHECK(reader.cases_read() == out.cases.size());
  return out;
}

Read read_file(const std::string &name, ArrivalsFormat format = ArrivalsFormat::native,
               const ArrivalsOptions &options = {}) {
  return read_all(dir + name, arrivals_preset(format), options);
}

/// The message reading `name` must fail with.
std::string error_of(const std::string &name, ArrivalsFormat format = ArrivalsFormat::native,
                     const ArrivalsOptions &options = {}) {
  try {
    read_file(name, format, options);
  } catch (const ArrivalsError &e) {
    return e.what();
  }
  FAIL("no ArrivalsError reading " << name);
  return {};
}

std::string mapping_error(const std::string &name) {
  try {
    scenarios::load_arrivals_mapping(dir + name);
  } catch (const scenarios::InputError &e) {
    return e.what();
  }
  FAIL("no InputError loading " << name);
  return {};
}

/// A file under the system's temporary folder, removed at the end of the test.
struct TempFile {
  std::string path;
  explicit TempFile(const std::string &name, const std::string &text = {})
      : path((std::filesystem::temp_directory_path() /
              fmt::format("supportsim-arrivals-{}-{}", ::getpid(), name))
                 .string()) {
    std::ofstream(path, std::ios::binary) << text;
  }
  ~TempFile() { std::filesystem::remove(path); }
};

} // namespace

TEST_CASE("Native arrivals file: every column and the CSV quoting rules", "[arrivals]") {
  const Read r = read_file("native.csv");
  REQUIRE(r.cases.size() == 5);
  CHECK(r.ids == std::vector<std::string>{"N-1", "N-2", "N-3", "N-4", "N-5"});

  const ReplayedCase &a = r.cases[0];
  CHECK(a.created == utc("2027-01-04T09:15:00Z"));
  CHECK(a.region == region("EMEA"));
  CHECK(a.priority == Priority::p1);
  CHECK(a.channel == Channel::phone);
  CHECK(a.segment == Segment::enterprise);
  CHECK(a.product == product("DNS"));
  CHECK(a.language == language("de"));
  CHECK_FALSE(a.account.has_value());
  CHECK(a.seed == 12345u);

  // Fractional seconds to the microsecond; a quoted name; a quoted comma in an unknown column.
  const ReplayedCase &b = r.cases[1];
  CHECK(b.created == utc("2027-01-04T09:15:00Z", 123456));
  CHECK(b.region == region("AMER"));
  CHECK(b.priority == Priority::p3);
  CHECK(b.channel == Channel::email);
  CHECK(b.segment == Segment::premium);
  CHECK(b.product == product("Zero Trust"));
  CHECK(b.account == account("Acme Corp"));
  CHECK(b.seed == 18446744073709551615u);

  // An offset, and every attribute empty: nothing given.
  const ReplayedCase &c = r.cases[2];
  CHECK(c.created == utc("2027-01-04T09:30:00Z"));
  CHECK_FALSE(c.region.has_value());
  CHECK_FALSE(c.priority.has_value());
  CHECK_FALSE(c.channel.has_value());
  CHECK_FALSE(c.segment.has_value());
  CHECK_FALSE(c.product.has_value());
  CHECK_FALSE(c.language.has_value());
  CHECK_FALSE(c.account.has_value());
  CHECK_FALSE(c.seed.has_value());

  // A negative offset with minutes; names ignoring case; a quoted line break and doubled quotes.
  const ReplayedCase &d = r.cases[3];
  CHECK(d.created == utc("2027-01-04T15:15:00Z"));
  CHECK(d.region == region("APJC"));
  CHECK(d.priority == Priority::p2);
  CHECK(d.channel == Channel::chat);
  CHECK(d.segment == Segment::free);
  CHECK(d.product == product("Workers"));
  CHECK(d.language == language("ja"));
  CHECK(d.account == account("Hooli Europe"));
  CHECK(d.seed == 7u);

  // After a blank line: names loosely ("zero_trust" is "Zero Trust", "EN" is "en").
  const ReplayedCase &e = r.cases[4];
  CHECK(e.created == utc("2027-01-04T15:15:00Z"));
  CHECK(e.region == region("EMEA"));
  CHECK(e.product == product("Zero Trust"));
  CHECK(e.language == language("en"));
  CHECK(e.seed == 0u);
}

TEST_CASE("Salesforce case report preset", "[arrivals]") {
  // CRLF line ends, as Salesforce writes them; Type and Account Name are not read.
  const Read r = read_file("salesforce.csv", ArrivalsFormat::salesforce);
  REQUIRE(r.cases.size() == 5);
  CHECK(r.ids ==
        std::vector<std::string>{"00001001", "00001002", "00001003", "00001004", "00001005"});

  CHECK(r.cases[0].created == utc("2027-01-04T09:15:00Z"));
  CHECK(r.cases[0].priority == Priority::p1);
  CHECK(r.cases[0].channel == Channel::phone);
  CHECK(r.cases[0].product == product("DNS"));
  CHECK(r.cases[0].language == language("en"));
  CHECK(r.cases[0].region == region("EMEA"));
  CHECK_FALSE(r.cases[0].account.has_value());
  CHECK_FALSE(r.cases[0].segment.has_value());

  CHECK(r.cases[1].created == utc("2027-01-04T09:20:00Z"));
  CHECK(r.cases[1].priority == Priority::p2);
  CHECK(r.cases[1].channel == Channel::chat); // Web Chat
  CHECK(r.cases[1].product == product("CDN"));
  CHECK(r.cases[1].language == language("ja")); // Japanese
  CHECK(r.cases[1].region == region("APJC"));

  // +0100: 10:20 local is 09:20 UTC, the same instant as the row above (allowed).
  CHECK(r.cases[2].created == utc("2027-01-04T09:20:00Z"));
  CHECK(r.cases[2].priority == Priority::p3);   // "medium", any case
  CHECK(r.cases[2].channel == Channel::email);  // Web
  CHECK(r.cases[2].language == language("pt")); // a locale, pt_BR
  CHECK(r.cases[2].region == region("AMER"));

  CHECK(r.cases[3].created == utc("2027-01-04T11:00:00Z"));
  CHECK(r.cases[3].priority == Priority::p4); // "p4": supportsim's own names work too
  CHECK(r.cases[3].channel == Channel::email);
  CHECK(r.cases[3].product == product("WAF"));
  CHECK_FALSE(r.cases[3].language.has_value());
  CHECK(r.cases[3].region == region("EMEA")); // "emea"

  CHECK_FALSE(r.cases[4].priority.has_value());
  CHECK_FALSE(r.cases[4].channel.has_value());
  CHECK_FALSE(r.cases[4].region.has_value());
}

TEST_CASE("Zendesk ticket export preset with region product and language tags", "[arrivals]") {
  // The file starts with a UTF-8 byte-order mark.
  const Read r = read_file("zendesk.csv", ArrivalsFormat::zendesk);
  REQUIRE(r.cases.size() == 5);
  CHECK(r.ids == std::vector<std::string>{"501", "502", "503", "504", "505"});

  CHECK(r.cases[0].created == utc("2027-01-04T00:05:00Z")); // 09:05+09:00
  CHECK(r.cases[0].priority == Priority::p2);
  CHECK(r.cases[0].channel == Channel::chat); // native_messaging
  CHECK(r.cases[0].region == region("APJC"));
  CHECK(r.cases[0].language == language("ja"));
  CHECK(r.cases[0].product == product("Zero Trust")); // product_zero_trust
  CHECK_FALSE(r.cases[0].segment.has_value());        // "vip" is no prefix: ignored

  CHECK(r.cases[1].created == utc("2027-01-04T09:00:00Z"));
  CHECK(r.cases[1].priority == Priority::p1);
  CHECK(r.cases[1].channel == Channel::phone); // voice
  CHECK(r.cases[1].region == region("EMEA"));
  CHECK(r.cases[1].product == product("DNS"));
  CHECK(r.cases[1].language == language("de"));
  CHECK(r.cases[1].segment == Segment::enterprise);

  CHECK(r.cases[2].created == utc("2027-01-04T17:30:00Z")); // 09:30-08:00
  CHECK(r.cases[2].priority == Priority::p3);
  CHECK(r.cases[2].channel == Channel::email); // api
  CHECK_FALSE(r.cases[2].region.has_value());

  CHECK(r.cases[3].priority == Priority::p4);
  CHECK(r.cases[3].channel == Channel::email); // web
  CHECK(r.cases[3].region == region("AMER"));  // tags separated by a comma
  CHECK(r.cases[3].product == product("Workers"));

  CHECK_FALSE(r.cases[4].priority.has_value()); // no priority set
  CHECK(r.cases[4].region == region("AMER"));   // of two region tags, the first
}

TEST_CASE("A mapping file for another export with naive times in its zone", "[arrivals]") {
  const auto mapping = scenarios::load_arrivals_mapping(dir + "mapping.json");
  CHECK(mapping.time_zone == "Europe/London");
  const Read r = read_all(dir + "mapped.csv", mapping);
  REQUIRE(r.cases.size() == 3);
  CHECK(r.ids == std::vector<std::string>{"INC001", "INC002", "INC003"});

  // London in winter is UTC; in summer (BST) an hour ahead.
  CHECK(r.cases[0].created == utc("2027-01-04T09:00:00Z"));
  CHECK(r.cases[0].priority == Priority::p1);
  CHECK(r.cases[0].channel == Channel::phone); // "Phone", not in the values: supportsim's name
  CHECK(r.cases[0].region == region("EMEA"));
  CHECK(r.cases[0].product == product("DNS"));
  CHECK(r.cases[0].language == language("de")); // tag lang:de

  CHECK(r.cases[1].created == utc("2027-07-01T08:00:00Z"));
  CHECK(r.cases[1].priority == Priority::p3);
  CHECK(r.cases[1].channel == Channel::email);
  CHECK(r.cases[1].region == region("AMER"));
  CHECK(r.cases[1].product == product("CDN"));
  CHECK_FALSE(r.cases[1].language.has_value());

  CHECK(r.cases[2].created == utc("2027-07-01T09:30:00Z")); // Z: absolute, zone not applied
  CHECK(r.cases[2].priority == Priority::p4);
  CHECK(r.cases[2].channel == Channel::phone);
  CHECK(r.cases[2].region == region("APJC"));
  CHECK(r.cases[2].language == language("ja"));
}

TEST_CASE("Mapping file mistakes are named with their place", "[arrivals]") {
  CHECK(mapping_error("bad_mapping.json") ==
        dir + "bad_mapping.json: /columns/priorty: unknown field 'priorty'; did you mean "
              "'priority'?");
  CHECK(mapping_error("bad_mapping_value.json") ==
        dir + "bad_mapping_value.json: /values/priority/Sev1: 'P0' is not a priority (P1, P2, "
              "P3, P4)");
  const std::string syntax = mapping_error("bad_mapping_syntax.json");
  // Read as every JSON file is: line and column, as for a scenario.
  CHECK_THAT(syntax, Catch::StartsWith(dir + "bad_mapping_syntax.json:2:") &&
                         Catch::Contains(": not valid JSON ("));
  CHECK(mapping_error("no_such_mapping.json") ==
        dir + "no_such_mapping.json: cannot open: No such file or directory");

  using scenarios::parse_arrivals_mapping;
  auto error = [](const std::string &text) {
    try {
      parse_arrivals_mapping(text, "m.json");
    } catch (const ArrivalsError &e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  CHECK(error(R"({"columns": {"priority": "Sev"}})") ==
        "m.json: /columns: no column for created_utc, the creation time (it is required)");
  CHECK(error(R"({"columns": {"created_utc": "Opened"}, "time_zone": "Europe/Londn"})") ==
        "m.json: /time_zone: \"Europe/Londn\" is not a time zone in the IANA database (e.g. "
        "Europe/Lisbon)");
  CHECK(error(R"({"columns": {"created_utc": "Opened"}, "value": {}})") ==
        "m.json: /value: unknown key; did you mean 'values'?");
  CHECK(error(R"({"columns": {"created_utc": ""}})") ==
        "m.json: /columns/created_utc: expected a non-empty string, found the string \"\"");
  CHECK(error(R"({"columns": {"created_utc": "Opened"}, "values": {"seed": {"a": "b"}}})") ==
        "m.json: /values/seed: unknown field 'seed'; expected one of: region, priority, channel, "
        "segment, product, language, account");
}

TEST_CASE("Every kind of bad row gives its message with file and line", "[arrivals]") {
  using F = ArrivalsFormat;
  CHECK(error_of("bad_date.csv", F::salesforce) ==
        dir + "bad_date.csv:3: CreatedDate '2026-13-01' is not a date");
  CHECK(error_of("bad_time.csv") ==
        dir + "bad_time.csv:2: created_utc '2027-01-04 9:15' is not an ISO 8601 date and time "
              "(e.g. 2027-01-04T09:15:00Z or 2027-01-04T10:15:00+01:00) nor a US one (10/5/2025 "
              "9:12 AM); for another form give the date format (--date-format, e.g. "
              "'%d.%m.%Y %H:%M')");
  CHECK(error_of("bad_priority.csv") ==
        dir + "bad_priority.csv:3: priority 'P5' is not a priority (P1, P2, P3, P4)");
  CHECK(error_of("bad_priority_word.csv", F::salesforce) ==
        dir + "bad_priority_word.csv:2: Priority 'Critcal' is not a priority; did you mean "
              "'Critical'?");
  CHECK(error_of("unknown_region.csv") ==
        dir + "unknown_region.csv:2: region 'ENEA' is not a region of the scenario; did you "
              "mean 'EMEA'?");
  CHECK(error_of("unknown_product.csv") ==
        dir + "unknown_product.csv:2: product 'Spectrum' is not a product of the scenario "
              "(Billing, CDN, DNS, WAF, Workers, Zero Trust)");
  CHECK(error_of("unknown_tag.csv", F::zendesk) ==
        dir + "unknown_tag.csv:2: tag 'region_enea': 'enea' is not a region of the scenario; "
              "did you mean 'EMEA'?");
  CHECK(error_of("missing_column.csv", F::salesforce) ==
        dir + "missing_column.csv:1: no column for the creation time (one of 'CreatedDate', "
              "'Date/Time Opened', 'Created Date', salesforce format); the columns are: "
              "CaseNumber, Priority, Origin");
  // The row above spans lines 2-3 (a quoted line break): the bad row is on line 4.
  CHECK(error_of("out_of_order.csv") ==
        dir + "out_of_order.csv:4: created_utc 2027-01-04T09:00:00Z is before the row above it "
              "(line 2, 2027-01-04T10:00:00Z); the rows must be in time order (or sorted on "
              "reading, which loads the file)");
  CHECK(error_of("naive_time.csv") ==
        dir + "naive_time.csv:2: created_utc '2027-01-04T09:15:00' has no UTC offset and no "
              "time zone was given for the file (write Z or +01:00 after the time, or give a "
              "time zone)");
  CHECK(error_of("field_count.csv") ==
        dir + "field_count.csv:3: 4 fields, but the header (line 1) has 3");
  CHECK(error_of("unterminated.csv") ==
        dir + "unterminated.csv:3: a quoted field is not closed before the end of the file");
  CHECK(error_of("bad_seed.csv") ==
        dir + "bad_seed.csv:2: seed '-4' is not a whole number from 0 to 18446744073709551615");
  CHECK(error_of("empty.csv") == dir + "empty.csv:1: the file is empty; expected a header row");
  CHECK(error_of("no_such_file.csv") ==
        dir + "no_such_file.csv: cannot open: No such file or directory");
  CHECK(error_of("native.csv", F::native, {.time_zone = "Mars/Olympus"}) ==
        dir + "native.csv: \"Mars/Olympus\" is not a time zone in the IANA database (e.g. "
              "Europe/Lisbon)");

  SECTION("The error carries file and line apart") {
    try {
      read_file("bad_priority.csv");
      FAIL("no error");
    } catch (const ArrivalsError &e) {
      CHECK(e.file() == dir + "bad_priority.csv");
      CHECK(e.line() == 3);
      CHECK(e.problem() == "priority 'P5' is not a priority (P1, P2, P3, P4)");
    }
  }
}

TEST_CASE("skip_bad_rows counts bad rows and keeps their messages", "[arrivals]") {
  scenarios::ArrivalsReader reader(dir + "mixed_bad.csv", organisation(),
                                   arrivals_preset(ArrivalsFormat::native),
                                   {.skip_bad_rows = true});
  std::vector<std::string> ids;
  ReplayedCase c;
  while (reader.next(c))
    ids.emplace_back(reader.case_id());
  CHECK(ids == std::vector<std::string>{"1", "3", "6"});
  CHECK(reader.cases_read() == 3);
  CHECK(reader.bad_rows() == 3);
  const std::string f = dir + "mixed_bad.csv";
  CHECK(reader.bad_row_messages() ==
        std::vector<std::string>{
            f + ":3: created_utc '2027-02-30T09:00:00Z' is not a date",
            f + ":5: created_utc 2027-01-04T09:59:59Z is before the row above it (line 4, "
                "2027-01-04T10:00:00Z); the rows must be in time order (or sorted on reading, "
                "which loads the file)",
            f + ":6: 4 fields, but the header (line 1) has 3"});

  SECTION("An unclosed quote ends the file as one bad row") {
    scenarios::ArrivalsReader r(dir + "unterminated.csv", organisation(),
                                arrivals_preset(ArrivalsFormat::native), {.skip_bad_rows = true});
    std::size_t n = 0;
    while (r.next(c))
      ++n;
    CHECK(n == 1);
    CHECK(r.bad_rows() == 1);
  }
  SECTION("Header errors are never skipped") {
    CHECK_THROWS_AS(
        read_file("missing_column.csv", ArrivalsFormat::salesforce, {.skip_bad_rows = true}),
        ArrivalsError);
  }
}

TEST_CASE("sort reads rows in any order and keeps ties in file order", "[arrivals]") {
  CHECK(error_of("unsorted.csv") ==
        dir + "unsorted.csv:3: created_utc 2027-01-04T09:00:00Z is before the row above it "
              "(line 2, 2027-01-04T12:00:00Z); the rows must be in time order (or sorted on "
              "reading, which loads the file)");
  const Read r = read_file("unsorted.csv", ArrivalsFormat::native, {.sort = true});
  CHECK(r.ids == std::vector<std::string>{"D", "B", "A", "C"});
  REQUIRE(r.cases.size() == 4);
  CHECK(r.cases[0].created == utc("2027-01-04T07:00:00Z"));
  CHECK(r.cases[0].priority == Priority::p4);
  CHECK(r.cases[1].created == utc("2027-01-04T09:00:00Z"));
  CHECK(r.cases[2].created == utc("2027-01-04T12:00:00Z"));
  CHECK(r.cases[2].priority == Priority::p1);
  CHECK(r.cases[3].priority == Priority::p3);

  SECTION("A bad row fails when the reader opens") {
    CHECK_THROWS_WITH(scenarios::ArrivalsReader(dir + "bad_priority.csv", organisation(),
                                                arrivals_preset(ArrivalsFormat::native),
                                                {.sort = true}),
                      dir + "bad_priority.csv:3: priority 'P5' is not a priority (P1, P2, P3, P4)");
  }
}

TEST_CASE("Naive times in a time zone follow daylight-saving time", "[arrivals]") {
  // The option applies to the native preset too, and overrides a mapping's zone.
  const Read london =
      read_file("naive_time.csv", ArrivalsFormat::native, {.time_zone = "Europe/London"});
  REQUIRE(london.cases.size() == 2);
  CHECK(london.cases[0].created == utc("2027-01-04T09:15:00Z"));
  CHECK(london.cases[1].created == utc("2027-07-01T08:00:00Z"));

  auto mapping = scenarios::load_arrivals_mapping(dir + "mapping.json");
  const Read tokyo = read_all(dir + "mapped.csv", mapping, {.time_zone = "Asia/Tokyo"});
  CHECK(tokyo.cases[0].created == utc("2027-01-04T00:00:00Z"));

  // New York: 02:30 on the spring-forward night does not exist (the end of the gap, 03:00
  // EDT); 01:30 on the fall-back night happens twice (the first, EDT).
  const TempFile file("dst.csv", "case_id,created_utc\n"
                                 "gap,2027-03-14T02:30:00\n"
                                 "overlap,2027-11-07T01:30:00\n"
                                 "after,2027-11-07T03:00:00\n");
  const Read ny = read_all(file.path, arrivals_preset(ArrivalsFormat::native),
                           {.time_zone = "America/New_York"});
  REQUIRE(ny.cases.size() == 3);
  CHECK(ny.cases[0].created == utc("2027-03-14T07:00:00Z"));
  CHECK(ny.cases[1].created == utc("2027-11-07T05:30:00Z"));
  CHECK(ny.cases[2].created == utc("2027-11-07T08:00:00Z"));
}

TEST_CASE("Timestamp forms accepted", "[arrivals]") {
  const TempFile file("forms.csv", "created_utc\n"
                                   "2027-01-04T09:15Z\n"
                                   "2027-01-04 09:15:00z\n"
                                   "2027-01-04T10:15:00+0100\n"
                                   "2027-01-04T10:15:00+01\n"
                                   "2027-01-04T09:15:00.123456789Z\n"
                                   "2027-01-04T09:15:00.5Z\n"
                                   "\"2027-01-04T09:15:00,5Z\"\n");
  const Read r = read_all(file.path, arrivals_preset(ArrivalsFormat::native));
  REQUIRE(r.cases.size() == 7);
  for (std::size_t i = 0; i < 4; ++i)
    CHECK(r.cases[i].created == utc("2027-01-04T09:15:00Z"));
  CHECK(r.cases[4].created == utc("2027-01-04T09:15:00Z", 123456)); // truncated to microseconds
  CHECK(r.cases[5].created == utc("2027-01-04T09:15:00Z", 500000));
  CHECK(r.cases[6].created == utc("2027-01-04T09:15:00Z", 500000)); // a decimal comma
}

TEST_CASE("The native writer reads back exactly", "[arrivals]") {
  const auto t0 = utc("2027-01-04T09:15:00Z", 123456);
  std::ostringstream out;
  scenarios::write_native_header(out);
  scenarios::write_native_row(out, {.case_id = "1",
                                    .created = t0,
                                    .region = "EMEA",
                                    .priority = Priority::p2,
                                    .channel = Channel::chat,
                                    .segment = Segment::premium,
                                    .product = "Zero Trust",
                                    .language = "fr",
                                    .account = "Hooli Europe",
                                    .seed = 18446744073709551615u});
  scenarios::write_native_row(
      out, {.case_id = "two, \"quoted\"",
            .created = t0 + std::chrono::hours(24 * 400) + std::chrono::microseconds(1),
            .region = "APJC",
            .priority = Priority::p4,
            .channel = Channel::email,
            .segment = Segment::free,
            .product = "DNS",
            .language = "ja",
            .account = "",
            .seed = 0});
  CHECK(out.str() ==
        "case_id,created_utc,region,priority,channel,segment,product,language,account,seed\n"
        "1,2027-01-04T09:15:00.123456Z,EMEA,P2,chat,premium,Zero Trust,fr,Hooli Europe,"
        "18446744073709551615\n"
        "\"two, \"\"quoted\"\"\",2028-02-08T09:15:00.123457Z,APJC,P4,email,free,DNS,ja,,0\n");

  const TempFile file("roundtrip.csv", out.str());
  const Read r = read_all(file.path, arrivals_preset(ArrivalsFormat::native));
  REQUIRE(r.cases.size() == 2);
  CHECK(r.ids == std::vector<std::string>{"1", "two, \"quoted\""});
  CHECK(r.cases[0].created == t0);
  CHECK(r.cases[0].region == region("EMEA"));
  CHECK(r.cases[0].priority == Priority::p2);
  CHECK(r.cases[0].channel == Channel::chat);
  CHECK(r.cases[0].segment == Segment::premium);
  CHECK(r.cases[0].product == product("Zero Trust"));
  CHECK(r.cases[0].language == language("fr"));
  CHECK(r.cases[0].account == account("Hooli Europe"));
  CHECK(r.cases[0].seed == 18446744073709551615u);
  CHECK(r.cases[1].created == t0 + std::chrono::hours(24 * 400) + std::chrono::microseconds(1));
  CHECK_FALSE(r.cases[1].account.has_value());
  CHECK(r.cases[1].seed == 0u);

  SECTION("Many rows across the reader's buffer boundary") {
    std::ostringstream many;
    scenarios::write_native_header(many);
    const int rows = 30000; // about 3 MB: the 1 MiB buffer refills mid-row
    for (int i = 0; i < rows; ++i)
      scenarios::write_native_row(
          many, {.case_id = std::to_string(i),
                 .created = t0 + std::chrono::microseconds(std::int64_t{i} * 1'000'003),
                 .region = "AMER",
                 .product = "Workers",
                 .language = "es",
                 .seed = static_cast<std::uint64_t>(i) * 0x9E3779B97F4A7C15u});
    const TempFile big("many.csv", many.str());
    scenarios::ArrivalsReader reader(big.path, organisation(),
                                     arrivals_preset(ArrivalsFormat::native));
    ReplayedCase c;
    int n = 0;
    bool exact = true;
    while (reader.next(c)) {
      exact = exact && c.created == t0 + std::chrono::microseconds(std::int64_t{n} * 1'000'003) &&
              c.seed == static_cast<std::uint64_t>(n) * 0x9E3779B97F4A7C15u &&
              reader.case_id() == std::to_string(n);
      ++n;
    }
    CHECK(n == rows);
    CHECK(exact);
  }
}

TEST_CASE("Format names", "[arrivals]") {
  CHECK(scenarios::arrivals_format_named("salesforce") == ArrivalsFormat::salesforce);
  CHECK(scenarios::arrivals_format_named("zendesk") == ArrivalsFormat::zendesk);
  CHECK(scenarios::arrivals_format_named("native") == ArrivalsFormat::native);
  CHECK_FALSE(scenarios::arrivals_format_named("servicenow").has_value());
}
