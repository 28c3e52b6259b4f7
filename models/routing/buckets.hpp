#pragma once
// The shapes of the waiting-case index (WaitingCases): a bucket of waiting cases, what its cases
// have in common, and sets of buckets as bits.

#include "models/organisation.hpp"
#include "sim/time.hpp"

#include <bit>
#include <cstdint>
#include <vector>

namespace supportsim::models {

/// A queue of waiting cases, linked through Case::prev/next in the order they joined it. A free
/// agent's look at a bucket reads this alone until the bucket may hold its pick: hence the
/// head's queue time and a copy of the key's work type and priority (in what would be padding).
struct Bucket {
  sim::SimTime head_queued_at; // of the head (the oldest case)
  std::uint32_t head = 0xffffffffu, tail = 0xffffffffu, size = 0;
  WorkType work;
  Priority priority;
};

/// What every case waiting in a bucket has in common: everything that decides who may take it.
/// `tier` is a tier slot (RoutingRules::tier_slot).
struct BucketKey {
  WorkType work;
  Priority priority;
  std::uint8_t language, region, product;
  std::uint8_t tier;
  bool follow_up;
};

/// A set of buckets, one bit each, with a bit per non-zero word above it, so going through a
/// sparse set skips the empty words wholesale.
class BucketBits {
public:
  void resize(std::size_t buckets) {
    words_.assign((buckets + 63) / 64, 0);
    summary_.assign((words_.size() + 63) / 64, 0);
  }
  void set(std::uint32_t b, bool on) {
    std::uint64_t &word = words_[b / 64];
    const std::uint64_t summary_bit = std::uint64_t{1} << (b / 64 % 64);
    if (on) {
      word |= std::uint64_t{1} << (b % 64);
      summary_[b / 64 / 64] |= summary_bit;
    } else {
      word &= ~(std::uint64_t{1} << (b % 64));
      if (word == 0) summary_[b / 64 / 64] &= ~summary_bit;
    }
  }
  const std::vector<std::uint64_t> &words() const { return words_; }
  /// Calls f(word index) for every non-zero word, in order.
  template <class F> void for_each_word(F &&f) const {
    for (std::size_t top = 0; top < summary_.size(); ++top)
      for (std::uint64_t w = summary_[top]; w != 0; w &= w - 1)
        f(top * 64 + static_cast<std::size_t>(std::countr_zero(w)));
  }

private:
  std::vector<std::uint64_t> words_, summary_;
};

/// Calls f(bucket) for every bucket of `set` whose bit survives `filter(word index, bits)`.
template <class Filter, class F>
void for_each_bucket(const BucketBits &set, Filter &&filter, F &&f) {
  const std::vector<std::uint64_t> &words = set.words();
  set.for_each_word([&](std::size_t w) {
    for (std::uint64_t bits = filter(w, words[w]); bits != 0; bits &= bits - 1)
      f(static_cast<std::uint32_t>(w * 64 + static_cast<std::size_t>(std::countr_zero(bits))));
  });
}

} // namespace supportsim::models
