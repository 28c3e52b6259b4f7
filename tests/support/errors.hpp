#pragma once
// What a call throws, for tests that compare error messages.

#include <string>

namespace supportsim::testing {

/// The what() of the `Error` that `f()` throws; "" if it throws none (another exception type
/// passes through, failing the test with its own message).
template <class Error, class F> std::string error_message(F &&f) {
  try {
    f();
  } catch (const Error &e) {
    return e.what();
  }
  return "";
}

} // namespace supportsim::testing
