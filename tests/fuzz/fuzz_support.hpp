#pragma once

// What every fuzz target shares: the rule that the product's documented errors (InputError and
// its subclasses) are fine answers to any input and anything else is a finding, and a scratch
// file for the readers that take a path.

#include "scenarios/input_error.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <unistd.h>
#include <utility>

namespace supportsim::fuzz {

/// Runs `body` on one input: an InputError (a message naming the file and the place, exit 2 in
/// the CLI) is a correct answer to bad input; any other exception would escape the CLI as an
/// internal error (exit 1), so it is reported and the process aborts, which libFuzzer records
/// as a crash with its reproducer.
template <class Body> void expect_only_input_errors(Body &&body) {
  try {
    body();
  } catch (const scenarios::InputError &) {
    // documented: the CLI prints it and exits 2
  } catch (const std::exception &e) {
    std::fprintf(stderr, "FINDING: an exception other than InputError escaped: %s\n", e.what());
    std::abort();
  } catch (...) {
    std::fprintf(stderr, "FINDING: a non-std exception escaped\n");
    std::abort();
  }
}

/// A property of a valid input does not hold: report it and abort (a crash to libFuzzer).
[[noreturn]] inline void property_failed(const std::string &what) {
  std::fprintf(stderr, "FINDING: %s\n", what.c_str());
  std::abort();
}

/// A file in the temporary folder, one per process and name, rewritten for every input: the
/// readers of case exports, options files and sweep parts take a path, as the CLI gives them.
class ScratchFile {
public:
  explicit ScratchFile(std::string_view name)
      : path_((std::filesystem::temp_directory_path() /
               ("supportsim-fuzz-" + std::to_string(::getpid()) + "-" + std::string(name)))
                  .string()) {}
  ~ScratchFile() {
    std::error_code ec;
    std::filesystem::remove(path_, ec);
  }
  ScratchFile(const ScratchFile &) = delete;
  ScratchFile &operator=(const ScratchFile &) = delete;

  /// Replaces the file's contents with `bytes`; returns its path.
  const std::string &write(std::string_view bytes) const {
    std::ofstream out(path_, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.close();
    if (!out) property_failed("cannot write the scratch file " + path_);
    return path_;
  }
  const std::string &path() const { return path_; }

private:
  std::string path_;
};

/// The input as text.
inline std::string_view as_text(const std::uint8_t *data, std::size_t size) {
  return {reinterpret_cast<const char *>(data), size};
}

/// Splits `text` at the first `separator`: {before, after}; {text, ""} when there is none.
inline std::pair<std::string_view, std::string_view> split_once(std::string_view text,
                                                                std::string_view separator) {
  const std::size_t at = text.find(separator);
  if (at == std::string_view::npos) return {text, {}};
  return {text.substr(0, at), text.substr(at + separator.size())};
}

} // namespace supportsim::fuzz
