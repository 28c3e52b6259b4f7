#include "models/routing/waiting_cases.hpp"

#include <algorithm>
#include <bit>

namespace supportsim::models {

WaitingCases::WaitingCases(const OrganisationConfig &config, const RoutingRules &rules,
                           CaseStore &cases)
    : config_(config), rules_(rules), cases_(cases), tier_slots_(config.tiers.size() + 2),
      regions_(config.regions.size()),
      languages_(std::max<std::size_t>(config.languages.size(), 1)),
      products_(std::max<std::size_t>(config.products.size(), 1)) {
  // Bucket index: work, priority, tier slot, region, language, follow-up, product, from the most
  // significant digit to the least; the key of every index is laid out once here. Which case
  // an agent picks does not depend on the order, but how many buckets it reads does: it relies
  // on buckets coming by work type, the backlog last, and within one by priority, so that it
  // can pass over buckets that cannot beat what it has found.
  for (std::size_t w = 0; w < work_type_count; ++w)
    for (std::size_t p = 0; p < priority_count; ++p)
      for (std::size_t t = 0; t < tier_slots_; ++t)
        for (std::size_t r = 0; r < regions_; ++r)
          for (std::size_t l = 0; l < languages_; ++l)
            for (std::size_t f = 0; f < 2; ++f)
              for (std::size_t product = 0; product < products_; ++product)
                keys_.push_back(BucketKey{
                    static_cast<WorkType>(w), static_cast<Priority>(p),
                    static_cast<std::uint8_t>(l), static_cast<std::uint8_t>(r),
                    static_cast<std::uint8_t>(product), static_cast<std::uint8_t>(t), f == 1});
  for (const BucketKey &k : keys_)
    buckets_.push_back(Bucket{sim::SimTime::zero(), none, none, 0, k.work, k.priority});
  nonempty_.resize(buckets_.size());
  overflowed_count_.assign(buckets_.size(), 0);
  build_masks();
  queued_.assign(regions_, PerWorkType<std::uint32_t>{});
}

void WaitingCases::build_masks() {
  const std::size_t words = (buckets_.size() + 63) / 64;
  auto set = [](std::vector<std::uint64_t> &mask, std::size_t b) {
    mask[b / 64] |= std::uint64_t{1} << (b % 64);
  };
  for (auto &mask : work_buckets_)
    mask.assign(words, 0);
  for (auto &mask : up_to_priority_)
    mask.assign(words, 0);
  for (std::size_t b = 0; b < buckets_.size(); ++b) {
    set(work_buckets_[index_of(keys_[b].work)], b);
    for (std::size_t p = index_of(keys_[b].priority); p < priority_count; ++p)
      set(up_to_priority_[p], b);
  }
  // What bucket_access says for each group, its own region being the region of its site. The
  // work type does not enter into it, and it is the most significant digit of the bucket index:
  // the first work type's buckets are worked out, and the others' copied from them.
  group_words_ = (config_.agent_groups.size() + 63) / 64;
  served_now_.assign(buckets_.size() * group_words_, 0);
  served_after_overflow_.assign(buckets_.size() * group_words_, 0);
  const std::size_t per_work_type = buckets_.size() / work_type_count;
  for (std::uint32_t g = 0; g < config_.agent_groups.size(); ++g) {
    const std::size_t region = config_.sites[config_.agent_groups[g].site].region;
    const std::uint64_t bit = std::uint64_t{1} << (g % 64);
    for (std::size_t b = 0; b < per_work_type; ++b) {
      const Access access = rules_.bucket_access(g, keys_[b], keys_[b].region == region);
      for (std::size_t w = 0; w < work_type_count; ++w) {
        const std::size_t word = (w * per_work_type + b) * group_words_ + g / 64;
        if (access == Access::now) served_now_[word] |= bit;
        if (access == Access::after_overflow) served_after_overflow_[word] |= bit;
      }
    }
    candidates_.emplace_back().resize(buckets_.size());
  }
}

void WaitingCases::note_filled(std::uint32_t b, bool on) {
  nonempty_.set(b, on);
  for (std::size_t i = 0; i < group_words_; ++i)
    for (std::uint64_t groups = served_now_[b * group_words_ + i]; groups != 0;
         groups &= groups - 1)
      candidates_[i * 64 + static_cast<std::size_t>(std::countr_zero(groups))].set(b, on);
}

void WaitingCases::note_overflowed(std::uint32_t b, bool on) {
  for (std::size_t i = 0; i < group_words_; ++i)
    for (std::uint64_t groups = served_after_overflow_[b * group_words_ + i]; groups != 0;
         groups &= groups - 1)
      candidates_[i * 64 + static_cast<std::size_t>(std::countr_zero(groups))].set(b, on);
}

void WaitingCases::enqueue(std::uint32_t slot, std::uint32_t bucket) {
  Case &c = cases_[slot];
  assert(bucket == bucket_of(c));
  c.bucket = bucket;
  Bucket &b = buckets_[c.bucket];
  if (b.size == 0) note_filled(c.bucket, true);
  c.prev = b.tail;
  c.next = none;
  if (b.tail != none) {
    cases_[b.tail].next = slot;
  } else {
    b.head = slot;
    b.head_queued_at = c.queued_at;
  }
  b.tail = slot;
  ++b.size;
  c.state = CaseState::queued;
  ++queued_[c.queue_region][index_of(c.work_type)];
}

void WaitingCases::unlink(std::uint32_t slot) {
  Case &c = cases_[slot];
  Bucket &b = buckets_[c.bucket];
  if (c.prev != none) {
    cases_[c.prev].next = c.next;
  } else {
    b.head = c.next;
    if (c.next != none) b.head_queued_at = cases_[c.next].queued_at;
  }
  if (c.next != none)
    cases_[c.next].prev = c.prev;
  else
    b.tail = c.prev;
  if (--b.size == 0) note_filled(c.bucket, false);
  if (c.overflowed) {
    c.overflowed = false;
    if (--overflowed_count_[c.bucket] == 0) note_overflowed(c.bucket, false);
  }
  --queued_[c.queue_region][index_of(c.work_type)];
  c.prev = c.next = c.bucket = none;
}

void WaitingCases::overflowed(std::uint32_t slot) {
  Case &c = cases_[slot];
  c.overflowed = true;
  if (overflowed_count_[c.bucket]++ == 0) note_overflowed(c.bucket, true);
}

} // namespace supportsim::models
