#pragma once

#include "models/organisation.hpp"
#include "models/priority.hpp"
#include "sim/clock.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace supportsim::models {

/// One case of a replayed export: when it was created and whatever attributes the file gives.
/// An attribute the file lacks is drawn from the scenario's mixes, deterministically (see
/// SupportModel); names are already resolved to the scenario's indices.
struct ReplayedCase {
  sim::UtcTime created;               ///< the creation instant, in UTC
  std::optional<std::uint8_t> region; ///< OrganisationConfig::regions
  std::optional<Priority> priority;
  std::optional<Channel> channel;
  std::optional<Segment> segment;
  std::optional<std::uint8_t> product;  ///< OrganisationConfig::products
  std::optional<std::uint8_t> language; ///< OrganisationConfig::languages
  std::optional<std::uint16_t> account; ///< a TAM account, numbered as CaseInfo::account
  std::optional<std::uint64_t> seed;    ///< the case's own seed (supportsim's own files only)

  // What really happened, from a history (docs/backtest.md). A backtest with actual service
  // replays them; otherwise the model ignores them.
  std::optional<sim::UtcTime> queued{}; ///< entered the queue (after the IVR); else `created`
  /// Agent work of the first touch in minutes (talk + hold + after-call work, or without the
  /// after-call work when `wrap_minutes` gives it separately).
  std::optional<double> handle_minutes{};
  std::optional<double> wrap_minutes{};         ///< after-call work of the first touch, minutes
  std::optional<std::uint16_t> touches{};       ///< touches the case took, at least 1
  std::optional<double> total_handle_minutes{}; ///< agent work over all touches, minutes
};

/// Cases to replay, in creation order, handed over one at a time so that a file of any length
/// replays in bounded memory. The model pulls the next case when the previous one arrives.
///
/// Implementations read files (scenarios/arrivals.hpp); this interface keeps the model free of
/// I/O. One value per replication: replications run in parallel, each reading on its own.
class CaseReplay {
public:
  virtual ~CaseReplay() = default;
  /// The next case, or false at the end of the input. A bad row throws the reader's error.
  virtual bool next(ReplayedCase &out) = 0;
};

} // namespace supportsim::models
