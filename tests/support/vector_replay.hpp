#pragma once

// Replayed cases from memory, for tests of the model and of fit without files.

#include "models/replay.hpp"

#include <vector>

namespace supportsim::testing {

/// Cases from memory, in order.
class VectorReplay final : public models::CaseReplay {
public:
  explicit VectorReplay(std::vector<models::ReplayedCase> cases) : cases_(std::move(cases)) {}
  bool next(models::ReplayedCase &out) override {
    if (at_ == cases_.size()) return false;
    out = cases_[at_++];
    return true;
  }

private:
  std::vector<models::ReplayedCase> cases_;
  std::size_t at_ = 0;
};

} // namespace supportsim::testing
