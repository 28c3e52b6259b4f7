#pragma once

#include <string_view>

namespace supportsim::cli {

/// `supportsim --help`: every command in a line or three, examples and the exit codes. Printed
/// on stderr, with exit code 2, when no command is given.
std::string_view usage_text();

} // namespace supportsim::cli
