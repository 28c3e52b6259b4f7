#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>

namespace supportsim::scenarios {

/// `text` with every byte a terminal would not show as text written as \xNN: control bytes
/// (NUL included; line feeds kept, so that messages of several lines stay so), DEL, and bytes
/// that are not part of valid UTF-8. Messages quote what the user gave; a NUL would cut them
/// short and binary garbage would reach the terminal raw.
///
///   printable("a\0b") == "a\\x00b"
std::string printable(std::string_view text);

/// Anything the user gave that cannot be used: a scenario, an export, a staffing file, an
/// override, an output path. what() is the whole message, naming the file and the place in it,
/// with non-printable bytes escaped (printable()). The CLI prints it and exits 2; every input
/// error derives from this one type.
class InputError : public std::runtime_error {
public:
  explicit InputError(const std::string &message) : std::runtime_error(printable(message)) {}
  explicit InputError(const char *message) : InputError(std::string(message)) {}
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
