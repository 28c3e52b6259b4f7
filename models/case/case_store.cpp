#include "models/case/case_store.hpp"

#include <algorithm>

namespace supportsim::models {

std::vector<std::uint32_t> CaseStore::close_open() {
  std::vector<std::uint32_t> open;
  for (std::uint32_t s = 0; s < cases_.size(); ++s)
    if (cases_[s].state != CaseState::free) open.push_back(s);
  std::sort(open.begin(), open.end(), [this](std::uint32_t a, std::uint32_t b) {
    return cases_[a].info.number < cases_[b].info.number;
  });
  ended_ += open.size();
  return open;
}

} // namespace supportsim::models
