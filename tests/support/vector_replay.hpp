#pragma once

// Replayed cases from memory, for tests of the model and of fit without files.

#include "models/demand.hpp"
#include "models/replay.hpp"
#include "sim/clock.hpp"

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

/// What the synthesised demand of replication `replication` of `seed` produces, as replay rows
/// with every attribute and each case's seed: replaying them runs the very same cases.
inline std::vector<models::ReplayedCase>
synthesised(const models::OrganisationConfig &o, std::uint64_t seed, std::uint32_t replication) {
  const sim::Clock clock(o.start);
  const sim::SimTime end = sim::SimTime::zero() + o.horizon;
  models::Demand demand(o, clock, sim::RandomStreams(seed, replication), end);
  std::vector<models::ReplayedCase> rows;
  demand.for_each_arrival(end, [&](sim::SimTime t, const models::Demand::NewCase &c) {
    models::ReplayedCase row;
    row.created = clock.to_utc(t);
    row.region = c.info.region;
    row.priority = c.info.priority;
    row.channel = c.info.channel;
    row.segment = c.info.segment;
    row.product = c.info.product;
    row.language = c.info.language;
    if (c.account != ~0u) row.account = static_cast<std::uint16_t>(c.account);
    row.seed = c.seed;
    rows.push_back(row);
  });
  return rows;
}

} // namespace supportsim::testing
