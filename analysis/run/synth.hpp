#pragma once

#include "scenarios/scenario.hpp"

#include <cstdint>
#include <filesystem>

namespace supportsim::analysis {

/// What `supportsim synth` wrote.
struct SynthSummary {
  std::uint64_t cases = 0;
};

/// Writes the cases the scenario's demand synthesises in replication 0 of `seed`, over its
/// whole horizon (warm-up included), as a native arrivals file (docs/arrivals-format.md) with
/// every attribute and each case's seed: replaying it (`run --arrivals`, replication 0, same
/// seed) runs the very same cases. Streams to a temporary name beside `path`, renamed into
/// place when complete (OutputError if it cannot be written).
SynthSummary write_synthesised_arrivals(const scenarios::Scenario &scenario, std::uint64_t seed,
                                        const std::filesystem::path &path);

} // namespace supportsim::analysis
