#pragma once

#include <cassert>
#include <cstddef>
#include <utility>
#include <vector>

namespace supportsim::sim {

/// A first-in, first-out queue in one growing array. Unlike std::deque, which allocates and
/// frees blocks as its ends move, it allocates only when it outgrows its peak size, so a queue
/// in steady state costs no allocation per push.
template <class T> class RingBuffer {
public:
  bool empty() const { return size_ == 0; }
  std::size_t size() const { return size_; }
  /// Takes `value` by copy so that pushing one of the buffer's own elements survives growth.
  void push_back(T value) {
    if (size_ == items_.size()) grow();
    items_[(head_ + size_) & (items_.size() - 1)] = std::move(value);
    ++size_;
  }
  const T &front() const {
    assert(size_ > 0);
    return items_[head_];
  }
  void pop_front() {
    assert(size_ > 0);
    head_ = (head_ + 1) & (items_.size() - 1);
    --size_;
  }
  /// The i-th element from the front.
  const T &operator[](std::size_t i) const { return items_[(head_ + i) & (items_.size() - 1)]; }
  void clear() {
    head_ = 0;
    size_ = 0;
  }

private:
  void grow() {
    // Capacity stays a power of two so that wrapping is a mask.
    std::vector<T> bigger(items_.empty() ? 16 : items_.size() * 2);
    for (std::size_t i = 0; i < size_; ++i)
      bigger[i] = (*this)[i];
    items_.swap(bigger);
    head_ = 0;
  }
  std::vector<T> items_;
  std::size_t head_ = 0;
  std::size_t size_ = 0;
};

} // namespace supportsim::sim
