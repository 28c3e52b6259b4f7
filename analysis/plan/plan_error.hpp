#pragma once

#include "scenarios/input_error.hpp"

namespace supportsim::analysis {

/// A pattern, a target, a constraint or an option of the plan is wrong. what() says which and
/// why.
class PlanError : public scenarios::InputError {
public:
  using scenarios::InputError::InputError;
};

} // namespace supportsim::analysis
