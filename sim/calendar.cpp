#include "sim/calendar.hpp"

#include <algorithm>
#include <functional>
#include <stdexcept>

namespace supportsim::sim {

std::size_t Calendar::bucket_of(Key key) const {
  // Level: the highest byte in which key differs from last_; digit: key's value of that byte.
  const Key difference = key ^ last_;
  const auto high = static_cast<std::uint64_t>(difference >> 64);
  const auto low = static_cast<std::uint64_t>(difference);
  const int bit = high != 0  ? 127 - __builtin_clzll(high)
                  : low != 0 ? 63 - __builtin_clzll(low)
                             : 0;
  const auto level = static_cast<std::size_t>(bit / 8);
  const auto digit = static_cast<std::size_t>(static_cast<std::uint8_t>(key >> (level * 8)));
  return level * digits + digit;
}

void Calendar::push_to_bucket(Key key) {
  const std::size_t b = bucket_of(key);
  buckets_[b].push_back(key);
  nonempty_[b / 64] |= std::uint64_t{1} << (b % 64);
  nonempty_levels_ |= std::uint32_t{1} << (b / digits);
}

EventHandle Calendar::schedule(SimTime time, Phase phase, std::uint8_t kind, std::uint32_t id) {
  if (time < now_ || time > max_time())
    throw std::invalid_argument("event calendar: event time is before now or beyond 2^47 us");
  if (next_seq_ >> seq_bits)
    throw std::length_error("event calendar: more than 2^39 events scheduled in one run");
  const Key key = (Key{static_cast<std::uint64_t>(time.ticks())} << time_shift) |
                  (Key{static_cast<std::uint8_t>(phase)} << phase_shift) |
                  (Key{next_seq_++} << seq_shift) | (Key{kind} << kind_shift) | Key{id};
  ++live_;
  if (key < last_) {
    // Below every bucket: an event at the current instant in an earlier phase than the one
    // running. It belongs among the smallest keys, in order.
    const auto at = std::upper_bound(bottom_.begin(), bottom_.end(), key, std::greater<Key>());
    bottom_.insert(at, key);
  } else {
    push_to_bucket(key);
  }
  return EventHandle{key, epoch_};
}

void Calendar::cancel(EventHandle &handle) {
  if (!handle.valid()) return;
  const Key key = handle.key;
  const bool stale = handle.epoch != epoch_;
  handle = EventHandle{};
  if (stale) return;
  // Keys above last_ are in the buckets, hence pending; keys at or below it are pending only
  // while they are still in bottom_.
  if (key <= last_ && !std::binary_search(bottom_.begin(), bottom_.end(), key, std::greater<Key>()))
    return;
  cancelled_.push_back(key);
  std::push_heap(cancelled_.begin(), cancelled_.end(), std::greater<Key>());
  --live_;
}

bool Calendar::refill_bottom() {
  constexpr std::size_t words_per_level = digits / 64;
  for (;;) {
    if (nonempty_levels_ == 0) return false;
    const auto level = static_cast<std::size_t>(__builtin_ctz(nonempty_levels_));
    std::size_t word = level * words_per_level;
    while (nonempty_[word] == 0)
      ++word;
    const std::size_t b = word * 64 + static_cast<std::size_t>(__builtin_ctzll(nonempty_[word]));
    std::vector<Key> &bucket = buckets_[b];
    nonempty_[word] &= ~(std::uint64_t{1} << (b % 64));
    // The level's words before `word` are empty already.
    bool level_empty = true;
    for (std::size_t w = word; w < (level + 1) * words_per_level; ++w)
      level_empty = level_empty && nonempty_[w] == 0;
    if (level_empty) nonempty_levels_ &= ~(std::uint32_t{1} << level);

    if (bucket.size() <= batch_limit) {
      // Every key in a later bucket exceeds every key here, so this batch is the smallest:
      // sort it and serve it in order. Later keys keep their buckets, because the new last_
      // agrees with the old one on every byte above this level. Most batches in a model's
      // run are a single key: that one is moved without a copy loop or a sort.
      if (bucket.size() == 1) {
        bottom_.push_back(bucket.front());
      } else {
        bottom_.assign(bucket.begin(), bucket.end());
        std::sort(bottom_.begin(), bottom_.end(), std::greater<Key>());
      }
      bucket.clear();
      last_ = bottom_.front();
      return true;
    }
    // Split around the minimum: every key here moves to a lower level.
    last_ = *std::min_element(bucket.begin(), bucket.end());
    for (const Key key : bucket)
      push_to_bucket(key);
    bucket.clear();
  }
}

bool Calendar::settle() {
  // Brings the earliest live key to bottom_.back(), dropping cancelled ones on the way.
  for (;;) {
    if (bottom_.empty() && !refill_bottom()) return false;
    if (cancelled_.empty() || bottom_.back() != cancelled_.front()) return true;
    bottom_.pop_back();
    std::pop_heap(cancelled_.begin(), cancelled_.end(), std::greater<Key>());
    cancelled_.pop_back();
  }
}

SimTime Calendar::next_time() {
  if (!settle()) return SimTime::max();
  return SimTime::from_ticks(static_cast<SimTime::Rep>(bottom_.back() >> time_shift));
}

Event Calendar::pop() {
  settle();
  return take();
}

Event Calendar::take() {
  const Key key = bottom_.back();
  bottom_.pop_back();
  --live_;
  const Event e{SimTime::from_ticks(static_cast<SimTime::Rep>(key >> time_shift)),
                static_cast<Phase>((key >> phase_shift) & 3u),
                static_cast<std::uint8_t>(key >> kind_shift), static_cast<std::uint32_t>(key)};
  now_ = e.time;
  return e;
}

void Calendar::clear() {
  for (auto &b : buckets_)
    b.clear();
  nonempty_ = {};
  nonempty_levels_ = 0;
  bottom_.clear();
  cancelled_.clear();
  last_ = 0;
  next_seq_ = 1;
  ++epoch_;
  live_ = 0;
  now_ = SimTime::zero();
}

} // namespace supportsim::sim
