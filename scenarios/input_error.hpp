#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>

namespace supportsim::scenarios {

/// Anything the user gave that cannot be used: a scenario, an export, a staffing file, an
/// override, an output path. what() is the whole message, naming the file and the place in it.
/// The CLI prints it and exits 2; every input error derives from this one type.
class InputError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

/// An input error in a line-oriented file (a CSV export, a staffing file). what() is one line,
/// "FILE:LINE: problem", or "FILE: problem" when no line applies (line() == 0).
class FileLineError : public InputError {
public:
  FileLineError(std::string file, std::size_t line, std::string problem);
  const std::string &file() const { return file_; }
  std::size_t line() const { return line_; }
  const std::string &problem() const { return problem_; }

private:
  std::string file_;
  std::size_t line_;
  std::string problem_;
};

} // namespace supportsim::scenarios
