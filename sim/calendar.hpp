#pragma once

#include "sim/time.hpp"

#include <array>
#include <cstdint>
#include <vector>

namespace supportsim::sim {

/// Which of several events due at the same instant runs first. The model gives each of its event
/// kinds a phase; the calendar only orders by it. Lower runs first.
///
/// Why phases exist: a resource released at 09:00 must be visible to a request arriving at 09:00,
/// and a statistics snapshot at 10:00 must see everything that happened at 10:00. Insertion
/// order alone would make those outcomes depend on when the events happened to be scheduled.
enum class Phase : std::uint8_t {
  release = 0, ///< frees capacity (work finished, a shift starting)
  arrive = 1,  ///< new demand, and timers that act on waiting entities
  observe = 2, ///< read-only snapshots and end-of-interval bookkeeping
};

/// An event as the calendar hands it back: when, and the model's own codes for what (`kind`, an
/// enum value) and for whom (`id`, an index into the model's vectors). The kernel never
/// interprets kind or id.
struct Event {
  SimTime time;
  Phase phase;
  std::uint8_t kind;
  std::uint32_t id;
};

/// Names one scheduled event, for Calendar::cancel(). A default handle names nothing.
struct EventHandle {
  __extension__ unsigned __int128 key = 0; ///< never 0 for a real event: sequences start at 1
  std::uint64_t epoch = 0;                 ///< the calendar's clear() count when it was made
  bool valid() const { return key != 0; }
};

/// The pending-event set. Events run in (time, phase, insertion order): ties at the same instant
/// and phase run first in, first out, so a run is reproducible bit for bit.
///
/// Inside is a radix heap (Ahuja, Mehlhorn, Orlin & Tarjan 1990) with 8-bit digits, which a
/// discrete-event simulation suits because time never runs backwards: every new event is at or
/// after the last one taken. A key lives in the bucket named by the highest byte in which it
/// differs from the last key taken (its level) and its own value of that byte (its digit).
/// Buckets in (level, digit) order hold ever larger keys, so the smallest key is in the first
/// non-empty bucket; when that bucket is large it is split into lower levels around its
/// minimum, and when it is small (at most 64 keys) it is sorted into `bottom_` and served from
/// there. An event is copied a few times along sequential vectors (once per level it drops),
/// which beats a binary heap's scattered cache misses by a growing factor as the pending set
/// grows (measured in benchmarks/calendar_bench.cpp).
///
/// A key is the whole event, so nothing is looked up when an event is taken:
///   bits 127..81 time in ticks (47 bits: up to 2^47 us, about 4.4 years)
///   bits  80..79 phase
///   bits  78..40 insertion sequence (39 bits: 5.5e11 events in one run)
///   bits  39..32 kind
///   bits  31..0  id
/// Time, phase and sequence decide the order; sequences are unique, so kind and id never do.
///
/// Nothing is allocated per event once the vectors have grown to the peak pending count.
class Calendar {
public:
  /// The latest instant an event may be scheduled at (2^47 - 1 ticks, about 4.4 years).
  static constexpr SimTime max_time() {
    return SimTime::from_ticks((std::int64_t{1} << time_bits) - 1);
  }

  /// Schedules `kind`/`id` at `time` in `phase`. Throws std::invalid_argument if `time` is
  /// before now() or after max_time().
  EventHandle schedule(SimTime time, Phase phase, std::uint8_t kind, std::uint32_t id);
  /// Removes a pending event and resets `handle`, so a second cancel through it does nothing;
  /// cancelling an event that has already run, or one from before clear(), does nothing either. The
  /// key stays inside until its time comes and is skipped then (lazy deletion). Do not cancel
  /// through two copies of one handle.
  void cancel(EventHandle &handle);

  /// True when no live (scheduled and not cancelled) event is pending.
  bool empty() const { return live_ == 0; }
  /// The number of live pending events.
  std::size_t size() const { return live_; }
  /// The time of the earliest live event; SimTime::max() when empty.
  SimTime next_time();
  /// Removes and returns the earliest live event and advances now() to its time.
  /// Precondition: !empty().
  Event pop();
  /// The time of the event last taken: the simulation clock.
  SimTime now() const { return now_; }
  /// Drops every pending event and sets the clock back to zero; keeps the storage. Handles
  /// made before stay harmless.
  void clear();

  /// Runs handler(event) for every event due at or before `end`, in order, including events
  /// the handler schedules; then moves the clock to `end` (it never moves backwards: with `end`
  /// before now(), nothing runs and the clock stays).
  template <class Handler> void run_until(SimTime end, Handler &&handler) {
    while (!empty() && next_time() <= end)
      handler(take()); // next_time() has settled the earliest live key
    if (now_ < end) now_ = end;
  }
  /// Runs handler(event) until nothing is pending.
  template <class Handler> void run_until_empty(Handler &&handler) {
    while (!empty())
      handler(pop());
  }

private:
  __extension__ using Key = unsigned __int128;
  static constexpr int time_bits = 47;
  static constexpr int time_shift = 81;
  static constexpr int phase_shift = 79;
  static constexpr int seq_shift = 40;
  static constexpr int seq_bits = 39;
  static constexpr int kind_shift = 32;
  static constexpr std::size_t levels = 16; // bytes of a key
  static constexpr std::size_t digits = 256;
  static constexpr std::size_t batch_limit = 64; // buckets this small are sorted, not split

  std::size_t bucket_of(Key key) const;
  void push_to_bucket(Key key);
  bool refill_bottom();
  bool settle();
  /// pop() once settle() has brought the earliest live key to bottom_.back().
  Event take();

  std::array<std::vector<Key>, levels * digits> buckets_;      // index: level * 256 + digit
  std::array<std::uint64_t, levels * digits / 64> nonempty_{}; // one bit per bucket
  std::uint32_t nonempty_levels_ = 0;                          // one bit per level
  std::vector<Key> bottom_;    // the smallest keys, sorted descending
  std::vector<Key> cancelled_; // a min-heap of cancelled, not yet surfaced keys
  Key last_ = 0;               // every key in a bucket is >= last_; bottom_ holds those below
  std::uint64_t next_seq_ = 1; // from 1, so that no event's key is 0 (the empty handle)
  std::uint64_t epoch_ = 0;    // counts clear()s, to tell stale handles
  std::size_t live_ = 0;
  SimTime now_ = SimTime::zero();
};

} // namespace supportsim::sim
