#pragma once
// Turning random draws into the model's quantities: durations from drawn minutes or hours, and
// seeds of the streams that belong to one case, touch or agent.

#include "sim/time.hpp"

#include <cstdint>

namespace supportsim::models {

/// A drawn number of minutes as a duration. Draws beyond the representable range (a heavy tail)
/// are clamped rather than overflowing, and such a touch simply never completes within any
/// horizon; negative draws count as zero.
inline sim::Duration minutes(double m) {
  if (!(m < sim::Duration::max_minutes())) m = sim::Duration::max_minutes();
  return sim::Duration::from_minutes(m < 0.0 ? 0.0 : m);
}

inline sim::Duration hours(double h) {
  return minutes(h * 60.0);
}

/// SplitMix64's finaliser: a bijective mix, so (seed, index) pairs give unrelated seeds.
inline std::uint64_t mix(std::uint64_t x) {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ull;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

} // namespace supportsim::models
