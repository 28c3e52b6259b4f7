#include "sim/ring_buffer.hpp"

#include <catch2/catch.hpp>
#include <cstdint>
#include <deque>
#include <random>
#include <string>
#include <vector>

using supportsim::sim::RingBuffer;

namespace {

template <class T> std::vector<T> contents(const RingBuffer<T> &buffer) {
  std::vector<T> out;
  for (std::size_t i = 0; i < buffer.size(); ++i)
    out.push_back(buffer[i]);
  return out;
}

std::vector<int> range(int first, int last) { // [first, last)
  std::vector<int> out;
  for (int i = first; i < last; ++i)
    out.push_back(i);
  return out;
}

} // namespace

TEST_CASE("ring buffer: starts empty", "[sim][ring_buffer]") {
  RingBuffer<int> buffer;
  CHECK(buffer.empty());
  CHECK(buffer.size() == 0);
}

TEST_CASE("ring buffer: first in, first out across growth", "[sim][ring_buffer]") {
  // Sizes at and around the capacity steps 16, 32, 64, ...
  const int count = GENERATE(1, 15, 16, 17, 33, 1000);
  CAPTURE(count);
  RingBuffer<int> buffer;
  for (int i = 0; i < count; ++i)
    buffer.push_back(i);
  CHECK(buffer.size() == static_cast<std::size_t>(count));
  CHECK(contents(buffer) == range(0, count));
  std::vector<int> popped;
  while (!buffer.empty()) {
    popped.push_back(buffer.front());
    buffer.pop_front();
  }
  CHECK(popped == range(0, count));
}

TEST_CASE("ring buffer: first in, first out across wrap-around", "[sim][ring_buffer]") {
  RingBuffer<int> buffer;
  for (int i = 0; i < 10; ++i)
    buffer.push_back(i);
  for (int i = 0; i < 8; ++i) {
    REQUIRE(buffer.front() == i);
    buffer.pop_front();
  }
  // Head at 8 of 16: the next 14 pushes fill the array and wrap past its end.
  for (int i = 10; i < 24; ++i)
    buffer.push_back(i);
  CHECK(buffer.size() == 16);
  CHECK(contents(buffer) == range(8, 24));

  SECTION("and then grows while wrapped") {
    // The array is full with the head in the middle: growing must unwrap it in order.
    for (int i = 24; i < 60; ++i)
      buffer.push_back(i);
    CHECK(contents(buffer) == range(8, 60));
    std::vector<int> popped;
    while (!buffer.empty()) {
      popped.push_back(buffer.front());
      buffer.pop_front();
    }
    CHECK(popped == range(8, 60));
  }
  SECTION("and keeps wrapping in steady state without growing out of order") {
    // One push per pop, many times round: the head goes round the array repeatedly.
    for (int i = 24; i < 24 + 1000; ++i) {
      REQUIRE(buffer.front() == i - 16);
      buffer.pop_front();
      buffer.push_back(i);
    }
    CHECK(contents(buffer) == range(1008, 1024));
  }
}

TEST_CASE("ring buffer: matches std::deque under random pushes and pops", "[sim][ring_buffer]") {
  const auto seed = GENERATE(1u, 2u, 3u);
  CAPTURE(seed);
  std::mt19937_64 rng(seed);
  RingBuffer<std::uint64_t> buffer;
  std::deque<std::uint64_t> reference;
  bool same = true;
  for (int step = 0; step < 50'000 && same; ++step) {
    // Phases that lean towards pushing, then towards popping, so the size swings up and down
    // through several capacities while the head wraps.
    const bool growing = (step / 5000) % 2 == 0;
    const bool push = rng() % 100 < (growing ? 65u : 35u);
    if (push) {
      const std::uint64_t value = rng();
      buffer.push_back(value);
      reference.push_back(value);
    } else if (!reference.empty()) {
      same = buffer.front() == reference.front();
      buffer.pop_front();
      reference.pop_front();
    }
    same = same && buffer.size() == reference.size() && buffer.empty() == reference.empty();
    if (same && step % 997 == 0)
      for (std::size_t i = 0; i < reference.size(); ++i)
        same = same && buffer[i] == reference[i];
  }
  CHECK(same);
}

TEST_CASE("ring buffer: clear() empties it and it stays usable", "[sim][ring_buffer]") {
  RingBuffer<int> buffer;
  for (int i = 0; i < 40; ++i)
    buffer.push_back(i);
  for (int i = 0; i < 5; ++i)
    buffer.pop_front();
  buffer.clear();
  CHECK(buffer.empty());
  CHECK(buffer.size() == 0);
  for (int i = 100; i < 150; ++i)
    buffer.push_back(i);
  CHECK(contents(buffer) == range(100, 150));
}

TEST_CASE("ring buffer: holds non-trivial types", "[sim][ring_buffer]") {
  RingBuffer<std::string> buffer;
  std::vector<std::string> expected;
  for (int i = 0; i < 40; ++i) {
    // Long enough to live on the heap rather than in the small-string buffer.
    std::string s = "case-" + std::to_string(i) + std::string(32, 'x');
    buffer.push_back(s);
    expected.push_back(s);
  }
  for (int i = 0; i < 3; ++i) {
    CHECK(buffer.front() == expected.front());
    expected.erase(expected.begin());
    buffer.pop_front();
  }
  CHECK(contents(buffer) == expected);
}

// Regression tests for kernel bugs found while writing these tests (fixed in sim/).
TEST_CASE("ring buffer: pushing one of its own elements while full keeps the value",
          "[sim][ring_buffer]") {
  // push_back(const T &value) grows first and reads `value` afterwards; when `value` refers
  // into the buffer (queue.push_back(queue.front()), a natural round-robin "rotate"), grow()
  // has already freed the array it pointed into. std::vector::push_back is specified to handle
  // this aliasing; RingBuffer silently reads freed memory.
  RingBuffer<std::string> buffer;
  for (int i = 0; i < 16; ++i)
    buffer.push_back("agent-" + std::to_string(i) + std::string(32, '.'));
  const std::string expected = buffer.front();
  buffer.push_back(buffer.front()); // full at 16: this push grows the array
  CHECK(buffer.size() == 17);
  CHECK(buffer[16] == expected);
}
