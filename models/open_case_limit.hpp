#pragma once

#include "models/organisation.hpp"
#include "sim/clock.hpp"

#include <cstddef>
#include <cstdint>
#include <stdexcept>

namespace supportsim::models {

/// A run came to hold more open cases than OrganisationConfig::max_open_cases: the offered
/// work is far beyond what the agents can serve, and memory would run out before the horizon.
/// The run stops; the fields say when, and which queue grew most (the caller words the
/// message, naming the scenario).
class OpenCaseLimit : public std::runtime_error {
public:
  struct Where {
    sim::UtcTime at;              ///< when the limit was passed
    std::uint32_t open = 0;       ///< cases open then
    std::uint32_t limit = 0;      ///< OrganisationConfig::max_open_cases
    std::size_t region = 0;       ///< the queue region with the most cases waiting
    WorkType work_type{};         ///< and its work type
    std::uint32_t waiting = 0;    ///< cases waiting in that queue
  };
  explicit OpenCaseLimit(const Where &where)
      : std::runtime_error("more cases open than the run may hold"), where_(where) {}
  const Where &where() const { return where_; }

private:
  Where where_;
};

} // namespace supportsim::models
