#include "scenarios/input_file.hpp"

#include "scenarios/scenario.hpp"

#include <array>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>

namespace supportsim::scenarios {

std::optional<std::string> input_file_problem(const std::string &path, const char *what) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::file_status status = fs::status(path, ec);
  if (status.type() == fs::file_type::not_found)
    return fmt::format("cannot open: {}", std::strerror(ENOENT));
  if (ec) return fmt::format("cannot open: {}; expected {}", ec.message(), what);
  if (status.type() == fs::file_type::directory)
    return fmt::format("is a folder; expected {}", what);
  if (status.type() != fs::file_type::regular && status.type() != fs::file_type::fifo)
    return fmt::format("is not a regular file (a device or a socket); expected {}", what);
  return std::nullopt;
}

std::string read_input_file(const std::string &path, const char *what, std::uintmax_t max_bytes) {
  if (const auto problem = input_file_problem(path, what)) throw ScenarioError(path, "", *problem);
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ScenarioError(path, "", fmt::format("cannot open: {}", std::strerror(errno)));
  // Read in blocks and stop past the cap, rather than trust a size a pipe does not have.
  std::string text;
  std::array<char, 1 << 16> block;
  while (in.read(block.data(), block.size()) || in.gcount() > 0) {
    text.append(block.data(), static_cast<std::size_t>(in.gcount()));
    if (text.size() > max_bytes)
      throw ScenarioError(
          path, "", fmt::format("larger than {} MiB, the most read of {}", max_bytes >> 20, what));
  }
  if (in.bad()) throw ScenarioError(path, "", "cannot read the file");
  return text;
}

} // namespace supportsim::scenarios
