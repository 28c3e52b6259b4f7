#pragma once

#include "models/case/case_store.hpp"
#include "models/organisation.hpp"
#include "models/routing/buckets.hpp"
#include "models/routing/rules.hpp"

#include <cassert>
#include <cstdint>
#include <vector>

namespace supportsim::models {

/// The waiting cases, kept in buckets by everything that decides who may take them (work type,
/// priority, language, queue region, product, tier slot, follow-up or not), so a free agent
/// looks only at the non-empty buckets it can serve; within a bucket, cases are in the order
/// they joined it (docs/model.md, "Queues"). Per agent group it keeps the buckets the group's
/// agents look at, up to date as buckets fill, empty and overflow.
class WaitingCases {
public:
  WaitingCases(const OrganisationConfig &config, const RoutingRules &rules, CaseStore &cases);

  /// The bucket a case waits in, given its present work type, tier, region and first response.
  std::uint32_t bucket_of(const Case &c) const {
    const bool follow_up = is_follow_up(c);
    std::size_t index = index_of(c.work_type);
    index = index * priority_count + index_of(c.info.priority);
    index = index * tier_slots_ + rules_.tier_slot(c);
    index = index * regions_ + c.queue_region;
    index = index * languages_ + c.info.language;
    index = index * 2 + (follow_up ? 1 : 0);
    index = index * products_ + c.info.product;
    return static_cast<std::uint32_t>(index);
  }

  /// The case joins the back of `bucket` (its bucket_of) and is queued.
  void enqueue(std::uint32_t slot, std::uint32_t bucket);
  /// The case leaves its bucket (taken, or abandoned).
  void unlink(std::uint32_t slot);
  /// The queued case has waited its overflow_after: the groups that serve its bucket only after
  /// overflow now see it.
  void overflowed(std::uint32_t slot);

  const Bucket &bucket(std::uint32_t b) const { return buckets_[b]; }
  const BucketKey &key(std::uint32_t b) const { return keys_[b]; }
  /// Buckets with a case in them.
  const BucketBits &nonempty() const { return nonempty_; }
  /// The buckets a free agent of the group looks at: non-empty buckets it serves at once, and
  /// those it serves after overflow while they hold an overflowed case.
  const BucketBits &candidates(std::uint32_t group) const { return candidates_[group]; }
  /// Words of the sets of groups (one bit per group, in scenario order).
  std::size_t group_words() const { return group_words_; }
  /// Word i of the groups whose agents may take the bucket's cases at once (their own region
  /// being their site's), and of those that may once the case has overflowed.
  std::uint64_t served_now(std::uint32_t b, std::size_t i) const {
    return served_now_[b * group_words_ + i];
  }
  std::uint64_t served_after_overflow(std::uint32_t b, std::size_t i) const {
    return served_after_overflow_[b * group_words_ + i];
  }
  bool serves_now(std::uint32_t b, std::uint32_t group) const {
    return (served_now(b, group / 64) >> (group % 64)) & 1;
  }
  /// Bucket words of one work type, and of one priority or more urgent.
  const std::vector<std::uint64_t> &of_work(WorkType w) const { return work_buckets_[index_of(w)]; }
  const std::vector<std::uint64_t> &up_to(Priority p) const { return up_to_priority_[index_of(p)]; }
  /// Cases queued in a region for a work type.
  std::uint32_t queued(std::size_t region, WorkType w) const {
    return queued_[region][index_of(w)];
  }

private:
  void build_masks();
  /// Bucket b has become non-empty (`on`) or empty: the groups that serve it at once see it.
  void note_filled(std::uint32_t b, bool on);
  /// Bucket b holds an overflowed case (`on`) or no longer: the groups that serve it after
  /// overflow see it.
  void note_overflowed(std::uint32_t b, bool on);

  const OrganisationConfig &config_;
  const RoutingRules &rules_;
  CaseStore &cases_;
  std::size_t tier_slots_, regions_, languages_, products_;
  std::vector<Bucket> buckets_;
  std::vector<BucketKey> keys_;
  BucketBits nonempty_;
  std::vector<std::uint32_t> overflowed_count_; // per bucket: cases past their overflow_after
  std::size_t group_words_ = 0;
  /// Per bucket, group_words_ words each: see served_now().
  std::vector<std::uint64_t> served_now_, served_after_overflow_;
  PerWorkType<std::vector<std::uint64_t>> work_buckets_;
  PerPriority<std::vector<std::uint64_t>> up_to_priority_;
  std::vector<BucketBits> candidates_;
  std::vector<PerWorkType<std::uint32_t>> queued_; // per queue region
};

} // namespace supportsim::models
