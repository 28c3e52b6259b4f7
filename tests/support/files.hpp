#pragma once
// Reading what a test's run wrote, and quoting arguments for the shell that runs the binary.

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace supportsim::testing {

/// The whole file, bytes as they are ("" if it cannot be read).
inline std::string read_text(const std::filesystem::path &path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

/// One argument quoted for /bin/sh.
inline std::string quote(const std::string &arg) {
  std::string out = "'";
  for (char c : arg)
    out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

} // namespace supportsim::testing
