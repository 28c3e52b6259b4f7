// Messages that quote input reach the terminal as text: scenarios::printable and InputError.
#include "scenarios/input_error.hpp"
#include "scenarios/input_file.hpp"
#include "scenarios/scenario.hpp"
#include "tests/support/temp_dir.hpp"

#include <catch2/catch.hpp>
#include <string>

using namespace supportsim;
using namespace std::string_literals;

TEST_CASE("printable: control bytes and invalid UTF-8 escaped, text kept", "[scenarios]") {
  using scenarios::printable;
  CHECK(printable("plain text, 09:15") == "plain text, 09:15");
  CHECK(printable("a\0b"s) == "a\\x00b"); // a NUL no longer ends the message
  CHECK(printable("\x1b[31mred") == "\\x1B[31mred");
  CHECK(printable("tab\there\r") == "tab\\x09here\\x0D");
  CHECK(printable("two\nlines") == "two\nlines");
  CHECK(printable("del\x7f") == "del\\x7F");
  CHECK(printable("S\xc3\xa3o Paulo, \xe6\x9d\xb1\xe4\xba\xac") ==
        "S\xc3\xa3o Paulo, \xe6\x9d\xb1\xe4\xba\xac");
  CHECK(printable("\xff\xfe") == "\\xFF\\xFE");
  CHECK(printable("\xc3") == "\\xC3");                   // a sequence cut short
  CHECK(printable("\xc0\xaf") == "\\xC0\\xAF");          // an overlong '/'
  CHECK(printable("\xed\xa0\x80") == "\\xED\\xA0\\x80"); // a surrogate
  CHECK(printable("\xf0\x9f\x98\x80") == "\xf0\x9f\x98\x80");
}

TEST_CASE("InputError: every input error's message is printable", "[scenarios]") {
  const scenarios::FileLineError f("rows.csv", 2, "bad priority \"P\0X\""s);
  CHECK(std::string(f.what()) == "rows.csv:2: bad priority \"P\\x00X\"");
  const scenarios::ScenarioError s("a.json", "/\x1b", "unknown key \"\x1b\"");
  CHECK(std::string(s.what()) == "a.json: /\\x1B: unknown key \"\\x1B\"");
}

TEST_CASE("input files: folders, devices and oversized files are refused", "[scenarios]") {
  const testing::TempDir dir;
  const std::string file = dir.write("a.json", "{}");
  CHECK_FALSE(scenarios::input_file_problem(file, "a JSON file"));
  CHECK(scenarios::input_file_problem(dir.path().string(), "a JSON file") ==
        "is a folder; expected a JSON file");
  CHECK(scenarios::input_file_problem("/dev/zero", "a JSON file") ==
        "is not a regular file (a device or a socket); expected a JSON file");
  CHECK(scenarios::read_input_file(file, "a JSON file") == "{}");
  const std::string big = dir.write("big.json", std::string(2u << 20, ' '));
  CHECK_THROWS_WITH(scenarios::read_input_file(big, "a JSON file", 1u << 20),
                    big + ": larger than 1 MiB, the most read of a JSON file");
}
