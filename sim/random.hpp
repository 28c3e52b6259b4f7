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
