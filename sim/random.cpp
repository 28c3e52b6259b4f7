#include "sim/random.hpp"

#include <array>
#include <boost/random/seed_seq.hpp>

namespace supportsim::sim {

namespace {

// SplitMix64 (Steele, Lea & Flood 2014): a bijective mixer, so distinct inputs give distinct,
// well-spread seed words.
std::uint64_t splitmix64(std::uint64_t &state) {
  std::uint64_t z = (state += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

} // namespace

std::uint64_t stable_hash(std::string_view text) {
  std::uint64_t h = 0xcbf29ce484222325ull;
  for (unsigned char c : text) {
    h ^= c;
    h *= 0x100000001b3ull;
  }
  return h;
}

RandomStream RandomStreams::stream(std::string_view name) const {
  // Each of the three inputs passes through the mixer before the next is folded in, so
  // (seed 1, replication 2) and (seed 2, replication 1) do not collide.
  std::uint64_t state = master_seed_;
  std::uint64_t mixed = splitmix64(state);
  state = mixed ^ replication_;
  mixed = splitmix64(state);
  state = mixed ^ stable_hash(name);
  std::array<std::uint32_t, 8> words{};
  for (std::size_t i = 0; i < words.size(); i += 2) {
    const std::uint64_t w = splitmix64(state);
    words[i] = static_cast<std::uint32_t>(w);
    words[i + 1] = static_cast<std::uint32_t>(w >> 32);
  }
  boost::random::seed_seq seq(words.begin(), words.end());
  return RandomStream(Engine(seq));
}

} // namespace supportsim::sim
