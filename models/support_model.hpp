#pragma once

#include "models/demand.hpp"
#include "models/organisation.hpp"
#include "models/records.hpp"
#include "models/replay.hpp"
#include "sim/calendar.hpp"
#include "sim/clock.hpp"
#include "sim/random.hpp"
#include "sim/ring_buffer.hpp"

#include <bit>
#include <chrono>
#include <cstdint>
#include <vector>

namespace date {
class time_zone;
}

namespace supportsim::models {

/// The support organisation as a discrete-event model. Cases arrive from the demand model, wait
/// in queues per work type, priority, language and region, and are worked touch by touch by
/// agents on shifts in their sites' local time, with skills, tiers and experience; they are
/// escalated, wait on customers and engineering, are resolved, reopened or abandoned.
/// Escalation triggers watch the queues and move agents. Every state change goes to a
/// RecordSink; the model computes no metric. docs/model.md states the rules.
///
/// One value owns one replication: its calendar, its random streams and its state. Running
/// replications in parallel means one SupportModel per thread.
///
///   SupportModel model(config, sim::RandomStreams(seed, replication), sink);
///   model.run();
class SupportModel {
public:
  /// With `replay`, the cases are read from it (a replayed export) instead of synthesised; the
  /// attributes it lacks, and each case's seed unless it gives one, are drawn from the streams.
  SupportModel(const OrganisationConfig &config, const sim::RandomStreams &streams,
               RecordSink &sink, CaseReplay *replay = nullptr);

  /// Runs from time zero to the horizon, then reports every open case. Call once.
  void run();

private:
  // Event kinds, with the phase each runs in (see sim::Phase): agents becoming free run in the
  // release phase, so that a case arriving at the same instant finds them.
  enum class EventKind : std::uint8_t {
    arrival,            ///< id: arrival source; phase arrive
    replayed_arrival,   ///< id: 0; phase arrive (the case read ahead from the replay)
    touch_done,         ///< id: case slot; phase release
    patience_end,       ///< id: case slot; phase arrive
    overflow,           ///< id: case slot; phase arrive (more agents may now take it)
    case_ready,         ///< id: case slot; phase arrive (back from the customer or engineering)
    shift_start,        ///< id: agent; phase release
    shift_end,          ///< id: agent; phase release
    pause_start,        ///< id: agent; phase release (a paid break, a meeting)
    pause_end,          ///< id: agent; phase release
    unpaid_pause_start, ///< id: agent; phase release (an unpaid break)
    unpaid_pause_end,   ///< id: agent; phase release
    training_done,      ///< id: agent; phase release
    effect_end,         ///< id: agent; phase release (a trigger's action on the agent expires)
    overtime_mark,      ///< id: agent; phase observe (the scheduled shift end, now overtime)
    hire,               ///< id: index into hires_; phase release
    leave,              ///< id: agent; phase release
    trigger_check,      ///< id: trigger; phase observe
  };

  static constexpr std::uint32_t none = 0xffffffffu;
  static constexpr std::uint8_t front_line = 0xff; ///< Case::tier: any front-line tier

  enum class CaseState : std::uint8_t {
    free,
    queued,
    in_work,
    waiting_customer,
    waiting_engineering,
  };
  struct Case {
    CaseInfo info;
    std::uint64_t seed;         // the case's own randomness (common random numbers)
    sim::SmallStream touch_rng; // draws of the current touch
    sim::SimTime queued_at;     // joined its current queue (overflow, ageing)
    sim::SimTime touch_started;
    sim::EventHandle patience_timer, overflow_timer;
    std::uint32_t prev, next; // in its bucket (doubly linked: O(1) removal on abandonment)
    std::uint32_t bucket;
    AgentIndex agent;       // working it now, else the last agent who did
    double escalation_draw; // uniform draw of the current touch, against the escalation chance
    std::uint16_t touches_done, touches_needed;
    std::uint8_t tier;         // who takes the next touch: a tier index or front_line
    std::uint8_t owner_region; // region of the agent who last worked it
    std::uint8_t queue_region; // the region whose agents it waits for first
    std::uint16_t touches_started;
    WorkType work_type;
    CaseState state;
    bool first_response_done;
    bool will_reopen, reopened, reopen_pending;
    bool overflowed; // queued past its overflow_after (counted in overflowed_count_)
  };

  /// A place in one of a group's lists of free agents (intrusive, doubly linked).
  struct Link {
    AgentIndex prev = no_agent, next = no_agent;
    bool in = false;
  };
  /// Free agents of one group, in the order they became free.
  struct FreeList {
    AgentIndex head = no_agent, tail = no_agent;
  };

  struct Agent {
    AgentInfo info;
    std::uint8_t tier;
    sim::SimTime hired;    // tenure counts from here (before zero for the starting headcount)
    sim::SimTime ready_at; // training over
    sim::SmallStream rng;  // absence and off-queue draws
    bool employed, leaving;
    bool on_shift, absent, on_call;
    std::uint8_t pauses, unpaid_pauses;
    sim::SimTime shift_end;           // current shift's end (overtime moves it)
    sim::SimTime scheduled_shift_end; // as rostered
    sim::EventHandle shift_end_event;
    std::uint8_t in_hand; // touches being worked
    bool chatting;        // the touches in hand are live chats
    Link idle;            // in its group's idle_ list
    Link chat_room;       // in its group's chat_room_ list
    sim::SimTime front_door_only_until;
    sim::SimTime borrowed_until;
    std::uint8_t borrowed_region;
    AgentState reported;
    bool reported_paid, reported_overtime;
  };

  /// One occurrence of a shift pattern for an agent.
  struct Shift {
    sim::SimTime start, end;
    std::uint32_t pattern;       // index into OrganisationConfig::shifts, or none
    std::chrono::local_days day; // the local date it starts on
  };

  /// A queue of waiting cases. A free agent's look at a bucket reads this alone until the
  /// bucket may hold its pick: hence the head's queue time and a copy of the key's work type
  /// and priority (in what would be padding).
  struct Bucket {
    sim::SimTime head_queued_at; // of the head (the oldest case)
    std::uint32_t head = none, tail = none, size = 0;
    WorkType work;
    Priority priority;
  };
  /// What every case waiting in a bucket has in common. `tier` is a tier index, or
  /// tiers.size() for new cases of the front line, or tiers.size() + 1 for those of premium
  /// accounts (their TAM first).
  struct BucketKey {
    WorkType work;
    Priority priority;
    std::uint8_t language, region, product;
    std::uint8_t tier;
    bool follow_up;
  };

  void handle(const sim::Event &e);
  // Cases
  void on_arrival(std::uint32_t source);
  void on_replayed_arrival();
  void schedule_next_replayed();
  /// A new case arrives now: numbered, its own draws made, offered or queued.
  void admit(const Demand::NewCase &n);
  void on_touch_done(std::uint32_t slot);
  void on_patience_end(std::uint32_t slot);
  void on_overflow(std::uint32_t slot);
  void on_case_ready(std::uint32_t slot);
  void offer(std::uint32_t slot);
  void enqueue(std::uint32_t slot, std::uint32_t bucket);
  void unlink(std::uint32_t slot);
  void start_touch(AgentIndex a, std::uint32_t slot);
  std::uint32_t new_case_slot();
  void free_case_slot(std::uint32_t slot);
  void report_open_cases();
  // Agents
  void on_shift_start(AgentIndex a);
  void on_shift_end(AgentIndex a);
  void on_pause(AgentIndex a, bool starts, bool unpaid);
  Shift next_shift(AgentIndex a, sim::SimTime from) const;
  /// When a shift of pattern p starting on local `day` starts and ends, in `zone`.
  std::pair<sim::SimTime, sim::SimTime>
  shift_times(const date::time_zone *zone, std::chrono::local_days day, const ShiftConfig &p) const;
  bool site_holiday(std::size_t site, std::chrono::local_days day) const;
  void build_site_days();
  void on_hire(std::uint32_t h);
  void on_leave(AgentIndex a);
  void schedule_next_shift(AgentIndex a, sim::SimTime from);
  void agent_free(AgentIndex a);
  void find_work(AgentIndex a);
  void refresh_sets(AgentIndex a);
  void report_state(AgentIndex a);
  AgentIndex add_agent(std::uint32_t group, std::uint32_t number, sim::SimTime hired);
  bool takes_work(const Agent &agent) const;
  /// May this agent take this case now? chat_only: the agent holds chats and may take only
  /// another live chat.
  bool eligible(const Agent &agent, const Case &c, bool chat_only) const;
  /// The part of eligible() that depends on the agent, not on the group: a chatting agent
  /// takes only another live chat, one on call or pulled only front-door work.
  bool agent_may_take(const Agent &agent, const Case &c, bool chat_only) const;
  /// The part of eligible() that depends only on the agent's group (tier, skills), and on
  /// whether the agent counts as in the case's region; `assume_overflowed` asks whether it ever
  /// could, once the case has overflowed.
  bool group_may_take(std::uint32_t group, const Case &c, bool own_region,
                      bool assume_overflowed) const;
  /// How well a group speaks a case's language; after overflow, the fallback language counts.
  double language_proficiency(const AgentGroupConfig &g, std::size_t language,
                              bool overflowed) const;
  /// The wait after which a case may go beyond its region's and its skills' first choice.
  sim::Duration overflow_after(const Case &c) const;
  double tenure_months(const Agent &agent) const;
  // Triggers
  void on_trigger_check(std::uint32_t t);
  void fire(std::uint32_t t, std::uint8_t region, double observed);
  std::vector<AgentIndex> moved_agents_; // by the firing in hand (a member: no allocation each)

  /// Waiting cases are kept in buckets by everything that decides who may take them (work
  /// type, priority, language, queue region, product, tier, follow-up or not), so a free agent
  /// looks only at the non-empty buckets it can serve. Within a bucket, cases are in the order
  /// they joined it.
  std::uint32_t bucket_of(const Case &c) const;

  const OrganisationConfig &config_;
  RecordSink &sink_;
  sim::SimTime end_;
  sim::Clock clock_;
  sim::Calendar calendar_;
  Demand demand_;
  std::uint64_t stream_key_; // seeds per-agent streams
  CaseReplay *replay_;       // null: synthesised demand
  ReplayedCase next_replayed_;
  std::uint64_t replay_key_ = 0, replayed_ = 0; // seeds of replayed cases without one
  std::vector<const date::time_zone *> site_zones_;
  /// Per site, what next_shift asks of each local day of the run, worked out once: a time-zone
  /// lookup costs more than all the rest of next_shift, which an agent calls twice a shift and
  /// which walks a few days each time.
  struct SiteDays {
    std::chrono::local_days first; // the table's first day
    std::vector<sim::SimTime> midnight;
    std::vector<bool> holiday;
    std::vector<std::uint32_t> column; // per shift pattern: its column here, or none if no group
                                       // of the site works it
    std::size_t columns = 0;
    std::vector<std::pair<sim::SimTime, sim::SimTime>> shifts; // per day and column: start, end
  };
  std::vector<SiteDays> site_days_;
  std::vector<std::uint32_t> account_group_; // the group that is each account's named TAM

  std::vector<Case> cases_;
  std::uint32_t free_case_ = none;
  CaseNumber next_case_number_ = 0;
  CaseNumber cases_ended_ = 0; // resolved, abandoned or reported open: checked in debug builds
  std::vector<Bucket> buckets_;
  std::vector<BucketKey> bucket_keys_;
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
  BucketBits nonempty_;                         // buckets with a case in them
  std::vector<std::uint32_t> overflowed_count_; // per bucket: cases past their overflow_after
  /// Sets of agent groups are bit sets of group_words_ words (one bit per group, in scenario
  /// order), so that going through one visits its groups in that order.
  std::size_t group_words_ = 0;
  /// Per bucket, group_words_ words each: the groups whose agents may take its cases at once
  /// (tier, region, skills at proficiency_required: bucket_access says now, the group's own
  /// region being its site's), and those that may take them only once they have overflowed.
  std::vector<std::uint64_t> served_now_, served_after_overflow_;
  bool serves_now(std::uint32_t b, std::uint32_t group) const {
    return (served_now_[b * group_words_ + group / 64] >> (group % 64)) & 1;
  }
  PerWorkType<std::vector<std::uint64_t>> work_buckets_;   // the buckets of each work type
  PerPriority<std::vector<std::uint64_t>> up_to_priority_; // of this priority or more urgent
  /// Per group, the buckets a free agent of the group looks at: non-empty buckets it serves at
  /// once, and those it serves after overflow while they hold an overflowed case. Kept up to
  /// date as buckets fill, empty and overflow (a bit flip per group concerned), so that an
  /// agent's look for work skips everything else wholesale, however large the backlog of other
  /// regions, tiers and languages. Agents on loan look at every non-empty bucket instead.
  std::vector<BucketBits> candidates_;
  /// Bucket b has become non-empty (`on`) or empty: the groups that serve it at once see it.
  void note_filled(std::uint32_t b, bool on);
  /// Bucket b holds an overflowed case (`on`) or no longer: the groups that serve it after
  /// overflow see it.
  void note_overflowed(std::uint32_t b, bool on);
  void build_bucket_masks();
  /// Whether agents may take some cases: never, at once, or once the case has overflowed.
  enum class Access : std::uint8_t { never, now, after_overflow };
  /// Cases are routed to tiers by a slot: a tier's index (the tier owns the case), the tier
  /// count (new cases of the front line), or one more (premium accounts' new cases).
  std::size_t tier_slot(const Case &c) const;
  Access tier_access(std::size_t agent_tier, std::size_t slot) const;
  /// The rules for a whole bucket (tier, region, skills) for agents of `group`; `own_region`:
  /// they count as in the bucket's region. Builds the masks; also read for agents on loan.
  Access bucket_access(std::uint32_t group, const BucketKey &k, bool own_region) const;
  TierRole premium_fallback_ = TierRole::escalation; ///< who takes premium cases past the TAMs
  /// Calls f(bucket) for every bucket of `set` whose bit survives `filter(word index, bits)`.
  template <class Filter, class F>
  static void for_each_bucket(const BucketBits &set, Filter &&filter, F &&f) {
    const std::vector<std::uint64_t> &words = set.words();
    set.for_each_word([&](std::size_t w) {
      for (std::uint64_t bits = filter(w, words[w]); bits != 0; bits &= bits - 1)
        f(static_cast<std::uint32_t>(w * 64 + static_cast<std::size_t>(std::countr_zero(bits))));
    });
  }
  std::vector<PerWorkType<std::uint32_t>> queued_; // per queue region: cases queued, by work

  std::vector<Agent> agents_;
  std::vector<AgentInfo> starting_agents_;
  std::vector<FreeList> idle_;                  // per group: taking work, nothing in hand
  std::vector<std::uint32_t> working_;          // per group: agents on shift (available or paused)
  std::vector<FreeList> chat_room_;             // per group: chatting, room for another chat
  std::vector<std::uint64_t> idle_groups_;      // groups whose idle_ list is not empty
  std::vector<std::uint64_t> chat_room_groups_; // groups whose chat_room_ list is not empty
  std::vector<sim::SimTime> borrowed_until_;    // per group: an agent may be on loan until then
  sim::SimTime loans_until_ = sim::SimTime::zero(); // the latest of borrowed_until_
  struct Hire {
    sim::SimTime at;
    std::uint32_t group, number;
  };
  std::vector<Hire> hires_;
  std::vector<std::uint32_t> next_number_; // per group: the next agent number
  std::vector<sim::SimTime> last_fired_;   // per trigger and region
  /// First responses and abandonments of the last hour per region, for sla_last_hour_below:
  /// (when, met the wall-clock target), oldest first, with running counts.
  struct RecentResponses {
    sim::RingBuffer<std::pair<sim::SimTime, bool>> outcomes;
    std::uint32_t met = 0;
  };
  std::vector<RecentResponses> recent_; // empty unless a trigger watches SLA
  void note_response(const Case &c, bool met);
  void forget_old_responses(RecentResponses &recent);
  static constexpr sim::SimTime never = sim::SimTime::from_ticks(-(std::int64_t{1} << 62));
};

} // namespace supportsim::models
