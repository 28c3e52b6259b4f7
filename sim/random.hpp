#pragma once

#include <boost/random/mersenne_twister.hpp>
#include <cstdint>
#include <string_view>

namespace supportsim::sim {

/// The engine behind every random stream. Boost's Mersenne Twister is specified bit for bit, so a
/// seed gives the same sequence on every platform and standard library.
using Engine = boost::random::mt19937_64;

/// One independent source of randomness (arrivals, work content, patience, ...). Streams are
/// never shared between sources, so adding draws to one source cannot shift another.
class RandomStream {
public:
  using result_type = Engine::result_type;
  explicit RandomStream(Engine engine) : engine_(engine) {}

  /// Uniform on [0, 1), 53 random bits.
  double uniform01() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }
  /// The underlying engine, for Boost.Random distributions.
  Engine &engine() { return engine_; }

  // UniformRandomBitGenerator, so a stream can be passed where an engine is expected.
  static constexpr result_type min() { return 0; }
  static constexpr result_type max() { return ~result_type{0}; } // a 64-bit engine
  result_type operator()() { return engine_(); }

private:
  Engine engine_;
};

/// A small random stream for one entity (a case, an agent): SplitMix64 (Steele, Lea & Flood
/// 2014), eight bytes of state, statistically sound for the few draws an entity makes. A case's
/// own draws (work per touch, patience, reopen) come from one seeded at its birth, so the same
/// case behaves the same whichever agents happen to serve it (common random numbers).
class SmallStream {
public:
  using result_type = std::uint64_t;
  SmallStream() = default;
  explicit SmallStream(std::uint64_t seed) : state_(seed) {}

  static constexpr result_type min() { return 0; }
  static constexpr result_type max() { return ~result_type{0}; }
  result_type operator()() {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
  /// Uniform on [0, 1), 53 random bits.
  double uniform01() { return static_cast<double>((*this)() >> 11) * 0x1.0p-53; }
  SmallStream &engine() { return *this; }

private:
  std::uint64_t state_ = 0;
};

/// Derives streams from (master seed, replication, stream name), the way OMNeT++ maps seed sets
/// and run numbers to RNGs: the same triple always gives the same stream, and different triples
/// give statistically independent streams.
///
///   RandomStreams streams(42, replication);
///   RandomStream arrivals = streams.stream("arrivals/EMEA");
class RandomStreams {
public:
  RandomStreams(std::uint64_t master_seed, std::uint64_t replication)
      : master_seed_(master_seed), replication_(replication) {}

  RandomStream stream(std::string_view name) const;
  std::uint64_t master_seed() const { return master_seed_; }
  std::uint64_t replication() const { return replication_; }

private:
  std::uint64_t master_seed_;
  std::uint64_t replication_;
};

/// 64-bit FNV-1a of a name: a fixed, documented hash (std::hash may differ between libraries).
std::uint64_t stable_hash(std::string_view text);

} // namespace supportsim::sim
