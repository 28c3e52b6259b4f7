// The corpus of bad inputs under tests/bad-inputs/: one folder per case, each with a case.txt
// that says what the user runs and what supportsim must answer, and the input files it needs.
// Every case runs the real binary from a fresh copy of its folder (tests/bad-inputs/README.md
// describes case.txt).
#include "tests/support/files.hpp"
#include "tests/support/temp_dir.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

using supportsim::testing::read_text;
using supportsim::testing::quote;

const std::string cli = SUPPORTSIM_CLI;
const std::string source_dir = SUPPORTSIM_SOURCE_DIR;
const fs::path corpus = fs::path(source_dir) / "tests" / "bad-inputs";

/// One case.txt: "key: value" lines; '#' starts a comment line.
struct BadInput {
  std::vector<std::string> setup; ///< shell commands run first, in the copy of the folder
  std::string run;                ///< the command; `supportsim` is the binary under test
  int exit_code = -1;             ///< what it must exit with
  std::vector<std::string> stderr_has, stdout_has; ///< fragments each must contain
};

BadInput read_case(const fs::path &file) {
  BadInput c;
  std::istringstream in(read_text(file));
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    const std::size_t colon = line.find(": ");
    REQUIRE(colon != std::string::npos);
    const std::string key = line.substr(0, colon), value = line.substr(colon + 2);
    if (key == "setup")
      c.setup.push_back(value);
    else if (key == "run")
      c.run = value;
    else if (key == "exit")
      c.exit_code = std::stoi(value);
    else if (key == "stderr")
      c.stderr_has.push_back(value);
    else if (key == "stdout")
      c.stdout_has.push_back(value);
    else
      FAIL(file.string() << ": unknown key \"" << key << "\"");
  }
  REQUIRE_FALSE(c.run.empty());
  REQUIRE(c.exit_code >= 0);
  return c;
}

std::vector<std::string> case_names() {
  std::vector<std::string> names;
  for (const auto &entry : fs::directory_iterator(corpus))
    if (entry.is_directory()) names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

/// Runs `command` with /bin/sh in `dir`; the shell's exit code (128 + N for death by signal N).
int shell(const fs::path &dir, const std::string &command, const std::string &redirect) {
  static const bool have_timeout = fs::exists("/usr/bin/timeout") || fs::exists("/bin/timeout");
  std::string line = "cd ";
  line.append(quote(dir.string())).append(" && ulimit -c 0 && SOURCE=").append(quote(source_dir));
  line.append(" && supportsim() { ");
  if (have_timeout) line.append("timeout -k 5 60 ");
  line.append(quote(cli)).append(" \"$@\"; } && ").append(command).append(redirect);
  const int status = std::system(line.c_str());
  REQUIRE(status != -1);
  const int signal = status & 0x7f;
  return signal != 0 ? 128 + signal : (status >> 8) & 0xff;
}

} // namespace

TEST_CASE("bad inputs: every case of tests/bad-inputs gets its exit code and message",
          "[cli][bad-inputs]") {
  const std::string name = GENERATE(from_range(case_names()));
  const BadInput c = read_case(corpus / name / "case.txt");
  const supportsim::testing::TempDir dir;
  fs::copy(corpus / name, dir.path(), fs::copy_options::recursive);
  for (const std::string &setup : c.setup)
    REQUIRE(shell(dir.path(), "{ " + setup + "; }", " >/dev/null 2>&1") == 0);
  const fs::path out = dir.path() / ".stdout", err = dir.path() / ".stderr";
  const int exit_code =
      shell(dir.path(), c.run, " </dev/null >" + quote(out.string()) + " 2>" + quote(err.string()));
  const std::string stdout_text = read_text(out), stderr_text = read_text(err);
  INFO(name << ": " << c.run << "\nstdout: " << stdout_text << "\nstderr: " << stderr_text);
  CHECK(exit_code == c.exit_code);
  for (const std::string &fragment : c.stderr_has)
    CHECK_THAT(stderr_text, Catch::Contains(fragment));
  for (const std::string &fragment : c.stdout_has)
    CHECK_THAT(stdout_text, Catch::Contains(fragment));
  // Whatever a message quotes, it reaches the terminal as text.
  CHECK(std::none_of(stderr_text.begin(), stderr_text.end(), [](char ch) {
    const auto b = static_cast<unsigned char>(ch);
    return (b < 0x20 && ch != '\n') || b == 0x7F;
  }));
}

TEST_CASE("bad inputs: every case folder has a case.txt", "[cli][bad-inputs]") {
  for (const std::string &name : case_names()) {
    INFO(name);
    CHECK(fs::is_regular_file(corpus / name / "case.txt"));
  }
}
