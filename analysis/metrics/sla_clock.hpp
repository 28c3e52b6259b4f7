#pragma once

#include "models/organisation.hpp"
#include "models/records.hpp"
#include "sim/clock.hpp"

#include <vector>

namespace date {
class time_zone;
}

namespace supportsim::analysis {

/// Measures a case's time to first response on its segment's SLA clock: 24x7, or business hours
/// in the customer region's local time (its working days and hours, its public holidays
/// excluded), and says whether it met its target.
class SlaClock {
public:
  explicit SlaClock(const models::OrganisationConfig &organisation);

  /// Time counted on the case's clock between its arrival and `t`.
  sim::Duration elapsed(const models::CaseInfo &c, sim::SimTime t) const;
  /// The case's first-response target.
  sim::Duration target(const models::CaseInfo &c) const {
    return levels_.first_response[models::index_of(c.segment)][models::index_of(c.priority)];
  }
  /// True when a response at `t` is within the target.
  bool within_target(const models::CaseInfo &c, sim::SimTime t) const {
    return elapsed(c, t) <= target(c);
  }

private:
  sim::Duration business_time(std::size_t region, sim::SimTime from, sim::SimTime to) const;

  const models::OrganisationConfig &organisation_;
  const models::ServiceLevels &levels_;
  sim::Clock clock_;
  std::vector<const date::time_zone *> zones_; // per region
};

} // namespace supportsim::analysis
