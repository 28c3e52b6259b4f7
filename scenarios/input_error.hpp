#pragma once

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

} // namespace supportsim::scenarios
