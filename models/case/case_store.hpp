#pragma once

#include "models/case/case.hpp"

#include <cstdint>
#include <vector>

namespace supportsim::models {

/// The open cases of a run, in slots reused as cases end (so memory follows the open cases,
/// not the cases that ever arrived), numbered in order of arrival.
class CaseStore {
public:
  Case &operator[](std::uint32_t slot) { return cases_[slot]; }
  const Case &operator[](std::uint32_t slot) const { return cases_[slot]; }

  /// A slot for a new case (its content is the caller's to set).
  std::uint32_t new_slot() {
    if (free_ != none) {
      const std::uint32_t slot = free_;
      free_ = cases_[slot].next;
      return slot;
    }
    cases_.push_back(Case{});
    return static_cast<std::uint32_t>(cases_.size() - 1);
  }
  /// The case has ended (resolved or abandoned): its slot is free for the next.
  void end(std::uint32_t slot) {
    cases_[slot].state = CaseState::free;
    cases_[slot].next = free_;
    free_ = slot;
    ++ended_;
  }
  /// Cases arrived and not yet ended.
  std::uint32_t open() const { return next_number_ - ended_; }
  /// The next case number, in order of arrival.
  CaseNumber number_next() { return next_number_++; }

  /// The slots of the cases still open, in case-number order (so what is reported of them does
  /// not depend on the pattern of slot reuse). Counts them as ended: reported once, at the end.
  std::vector<std::uint32_t> close_open();

  /// Every case that arrived has ended exactly once (resolved, abandoned or reported open).
  bool conserved() const { return ended_ == next_number_; }

private:
  std::vector<Case> cases_;
  std::uint32_t free_ = none;
  CaseNumber next_number_ = 0;
  CaseNumber ended_ = 0;
};

} // namespace supportsim::models
