#include "scenarios/input_error.hpp"

#include <fmt/format.h>

namespace supportsim::scenarios {

FileLineError::FileLineError(std::string file, std::size_t line, std::string problem)
    : InputError(line == 0 ? fmt::format("{}: {}", file, problem)
                           : fmt::format("{}:{}: {}", file, line, problem)),
      file_(std::move(file)), line_(line), problem_(std::move(problem)) {}

} // namespace supportsim::scenarios
