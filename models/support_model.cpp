#include "models/support_model.hpp"

#include <algorithm>
#include <bit>
#include <boost/random/uniform_int_distribution.hpp>
#include <cassert>
#include <cmath>
#include <date/tz.h>
#include <stdexcept>

namespace supportsim::models {

namespace {

using std::chrono::days;

sim::Duration minutes(double m) {
  // Draws beyond the representable range (a heavy tail) are clamped rather than overflowing;
  // such a touch simply never completes within any horizon.
  if (!(m < sim::Duration::max_minutes())) m = sim::Duration::max_minutes();
  return sim::Duration::from_minutes(m < 0.0 ? 0.0 : m);
}

sim::Duration hours(double h) {
  return minutes(h * 60.0);
}

/// SplitMix64's finaliser: a bijective mix, so (seed, index) pairs give unrelated seeds.
std::uint64_t mix(std::uint64_t x) {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ull;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

sim::LocalTime local_at(std::chrono::local_days day, TimeOfDay t) {
  return sim::LocalTime(day) + std::chrono::minutes(t.minute);
}

} // namespace

double LearningCurve::at(double tenure_months) const {
  if (table.empty())
    return 1.0 + (at_hire - 1.0) * std::exp(-std::max(tenure_months, 0.0) / time_constant_months);
  if (tenure_months <= table.front().first) return table.front().second;
  for (std::size_t i = 1; i < table.size(); ++i) {
    const auto [m1, v1] = table[i];
    if (tenure_months <= m1) {
      const auto [m0, v0] = table[i - 1];
      return v0 + (v1 - v0) * (tenure_months - m0) / (m1 - m0);
    }
  }
  return table.back().second;
}

SupportModel::SupportModel(const OrganisationConfig &config, const sim::RandomStreams &streams,
                           RecordSink &sink, CaseReplay *replay)
    : config_(config), sink_(sink), end_(sim::SimTime::zero() + config.horizon),
      clock_(config.start), demand_(config, clock_, streams, end_), replay_(replay) {
  if (end_ > sim::Calendar::max_time())
    throw std::invalid_argument("model: horizon beyond the calendar's range");
  stream_key_ = streams.stream("agents").engine()();
  replay_key_ = streams.stream("replay").engine()();
  for (const SiteConfig &site : config.sites)
    site_zones_.push_back(sim::find_zone(site.time_zone));
  build_site_days();
  premium_fallback_ =
      std::any_of(config.tiers.begin(), config.tiers.end(),
                  [](const TierConfig &t) { return t.role == TierRole::escalation; })
          ? TierRole::escalation
          : TierRole::front_line;
  // Accounts are numbered over every group's list, in group order (CaseInfo::account).
  for (std::uint32_t g = 0; g < config.agent_groups.size(); ++g)
    account_group_.insert(account_group_.end(), config.agent_groups[g].accounts.size(), g);

  // Bucket index: work, priority, tier slot, region, language, follow-up, product, from the most
  // significant digit to the least; the key of every index is laid out once here. Which case
  // find_work picks does not depend on the order, but how many buckets it reads does: it relies
  // on buckets coming by work type, the backlog last, and within one by priority, so that it
  // can pass over buckets that cannot beat what it has found.
  const std::size_t languages = std::max<std::size_t>(config.languages.size(), 1);
  const std::size_t products = std::max<std::size_t>(config.products.size(), 1);
  const std::size_t tier_slots = config.tiers.size() + 2;
  for (std::size_t w = 0; w < work_type_count; ++w)
    for (std::size_t p = 0; p < priority_count; ++p)
      for (std::size_t t = 0; t < tier_slots; ++t)
        for (std::size_t r = 0; r < config.regions.size(); ++r)
          for (std::size_t l = 0; l < languages; ++l)
            for (std::size_t f = 0; f < 2; ++f)
              for (std::size_t product = 0; product < products; ++product)
                bucket_keys_.push_back(BucketKey{
                    static_cast<WorkType>(w), static_cast<Priority>(p),
                    static_cast<std::uint8_t>(l), static_cast<std::uint8_t>(r),
                    static_cast<std::uint8_t>(product), static_cast<std::uint8_t>(t), f == 1});
  for (const BucketKey &k : bucket_keys_)
    buckets_.push_back(Bucket{sim::SimTime::zero(), none, none, 0, k.work, k.priority});
  nonempty_.resize(buckets_.size());
  overflowed_count_.assign(buckets_.size(), 0);
  build_bucket_masks();
  queued_.assign(config.regions.size(), PerWorkType<std::uint32_t>{});
  last_fired_.assign(config.triggers.size() * config.regions.size(), never);
  if (std::any_of(config.triggers.begin(), config.triggers.end(), [](const TriggerConfig &t) {
        return t.condition == TriggerCondition::sla_last_hour_below;
      }))
    recent_.resize(config.regions.size());

  // The starting headcount, with tenure drawn per group in agent order.
  next_number_.assign(config.agent_groups.size(), 0);
  idle_.assign(config.agent_groups.size(), FreeList{});
  working_.assign(config.agent_groups.size(), 0);
  chat_room_.assign(config.agent_groups.size(), FreeList{});
  idle_groups_.assign(group_words_, 0);
  chat_room_groups_.assign(group_words_, 0);
  borrowed_until_.assign(config.agent_groups.size(), sim::SimTime::zero());
  for (std::uint32_t g = 0; g < config.agent_groups.size(); ++g) {
    const AgentGroupConfig &group = config.agent_groups[g];
    sim::RandomStream tenure_stream = streams.stream("workforce/" + group.name);
    for (std::uint32_t i = 0; i < group.headcount; ++i) {
      const double months = group.tenure_months.sample(tenure_stream);
      const sim::SimTime hired =
          sim::SimTime::zero() -
          sim::Duration::from_minutes(std::min(months, 1200.0) * days_per_month * 24 * 60);
      add_agent(g, next_number_[g]++, hired);
    }
    // The hiring plan: each hire joins at site-local midnight of the plan's date.
    const date::time_zone *zone = site_zones_[group.site];
    for (const HiringConfig &h : group.hiring_plan) {
      const sim::SimTime at =
          clock_.from_local(zone, sim::LocalTime(std::chrono::local_days(
                                      std::chrono::sys_days(h.date).time_since_epoch())));
      if (at < sim::SimTime::zero() || at >= end_) continue;
      for (std::uint32_t k = 0; k < h.hires; ++k)
        hires_.push_back(Hire{at, g, 0});
    }
  }
  std::stable_sort(hires_.begin(), hires_.end(),
                   [](const Hire &a, const Hire &b) { return a.at < b.at; });
  for (Hire &h : hires_)
    h.number = next_number_[h.group]++;
  for (const Agent &a : agents_)
    starting_agents_.push_back(a.info);
  agents_.reserve(agents_.size() + hires_.size());
}

AgentIndex SupportModel::add_agent(std::uint32_t group, std::uint32_t number, sim::SimTime hired) {
  const AgentGroupConfig &g = config_.agent_groups[group];
  Agent a{};
  a.info = AgentInfo{group, static_cast<std::uint8_t>(config_.sites[g.site].region), number};
  a.tier = static_cast<std::uint8_t>(g.tier);
  a.hired = hired;
  a.ready_at = hired + sim::Duration::from_minutes(config_.experience.training_weeks * 7 * 24 * 60);
  a.rng =
      sim::SmallStream(mix(stream_key_ ^ mix(group + 1) ^ mix((std::uint64_t{number} << 32) + 7)));
  a.employed = true;
  a.front_door_only_until = a.borrowed_until = sim::SimTime::zero();
  a.borrowed_region = 0xff;
  a.reported = AgentState::off;
  a.shift_end = a.scheduled_shift_end = sim::SimTime::zero();
  const AgentIndex index = static_cast<AgentIndex>(agents_.size());
  agents_.push_back(a);
  return index;
}

void SupportModel::run() {
  sink_.on(RunStarted{&config_, starting_agents_, end_});
  const sim::SimTime now = calendar_.now();
  for (AgentIndex a = 0; a < agents_.size(); ++a) {
    Agent &agent = agents_[a];
    const double per_day =
        config_.agent_groups[agent.info.group].attrition_per_year > 0
            ? -std::log1p(-config_.agent_groups[agent.info.group].attrition_per_year) / 365.25
            : 0.0;
    if (per_day > 0) {
      const double u = agent.rng.uniform01();
      const sim::SimTime leaves = sim::saturating_add(now, hours(-std::log1p(-u) / per_day * 24));
      if (leaves < end_)
        calendar_.schedule(leaves, sim::Phase::release, static_cast<std::uint8_t>(EventKind::leave),
                           a);
    }
    schedule_next_shift(a, now);
  }
  for (std::uint32_t h = 0; h < hires_.size(); ++h)
    calendar_.schedule(hires_[h].at, sim::Phase::release,
                       static_cast<std::uint8_t>(EventKind::hire), h);
  if (replay_) schedule_next_replayed();
  for (std::size_t s = 0; !replay_ && s < demand_.source_count(); ++s) {
    const sim::SimTime first = demand_.next_arrival(s, now);
    if (first < end_)
      calendar_.schedule(first, sim::Phase::arrive, static_cast<std::uint8_t>(EventKind::arrival),
                         static_cast<std::uint32_t>(s));
  }
  for (std::uint32_t t = 0; t < config_.triggers.size(); ++t) {
    const sim::SimTime at = now + config_.triggers[t].check_every;
    if (at < end_)
      calendar_.schedule(at, sim::Phase::observe,
                         static_cast<std::uint8_t>(EventKind::trigger_check), t);
  }
  calendar_.run_until(end_, [this](const sim::Event &e) { handle(e); });
  report_open_cases();
  // Conservation: every case that arrived has ended exactly once (resolved, abandoned or open).
  assert(cases_ended_ == next_case_number_);
  sink_.on(RunEnded{end_});
}

void SupportModel::handle(const sim::Event &e) {
  switch (static_cast<EventKind>(e.kind)) {
  case EventKind::replayed_arrival:
    return on_replayed_arrival();
  case EventKind::arrival:
    return on_arrival(e.id);
  case EventKind::touch_done:
    return on_touch_done(e.id);
  case EventKind::patience_end:
    return on_patience_end(e.id);
  case EventKind::overflow:
    return on_overflow(e.id);
  case EventKind::case_ready:
    return on_case_ready(e.id);
  case EventKind::shift_start:
    return on_shift_start(e.id);
  case EventKind::shift_end:
    return on_shift_end(e.id);
  case EventKind::pause_start:
  case EventKind::unpaid_pause_start:
    return on_pause(e.id, true, static_cast<EventKind>(e.kind) == EventKind::unpaid_pause_start);
  case EventKind::pause_end:
  case EventKind::unpaid_pause_end:
    return on_pause(e.id, false, static_cast<EventKind>(e.kind) == EventKind::unpaid_pause_end);
  case EventKind::training_done:
  case EventKind::effect_end:
    report_state(e.id);
    return find_work(e.id);
  case EventKind::overtime_mark:
    return report_state(e.id);
  case EventKind::hire:
    return on_hire(e.id);
  case EventKind::leave:
    return on_leave(e.id);
  case EventKind::trigger_check:
    return on_trigger_check(e.id);
  }
}

// --- Cases ----------------------------------------------------------------------------------

void SupportModel::build_bucket_masks() {
  const std::size_t words = (buckets_.size() + 63) / 64;
  auto set = [](std::vector<std::uint64_t> &mask, std::size_t b) {
    mask[b / 64] |= std::uint64_t{1} << (b % 64);
  };
  for (auto &mask : work_buckets_)
    mask.assign(words, 0);
  for (auto &mask : up_to_priority_)
    mask.assign(words, 0);
  for (std::size_t b = 0; b < buckets_.size(); ++b) {
    set(work_buckets_[index_of(bucket_keys_[b].work)], b);
    for (std::size_t p = index_of(bucket_keys_[b].priority); p < priority_count; ++p)
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
      const Access access = bucket_access(g, bucket_keys_[b], bucket_keys_[b].region == region);
      for (std::size_t w = 0; w < work_type_count; ++w) {
        const std::size_t word = (w * per_work_type + b) * group_words_ + g / 64;
        if (access == Access::now) served_now_[word] |= bit;
        if (access == Access::after_overflow) served_after_overflow_[word] |= bit;
      }
    }
    candidates_.emplace_back().resize(buckets_.size());
  }
}

void SupportModel::note_filled(std::uint32_t b, bool on) {
  nonempty_.set(b, on);
  for (std::size_t i = 0; i < group_words_; ++i)
    for (std::uint64_t groups = served_now_[b * group_words_ + i]; groups != 0;
         groups &= groups - 1)
      candidates_[i * 64 + static_cast<std::size_t>(std::countr_zero(groups))].set(b, on);
}

void SupportModel::note_overflowed(std::uint32_t b, bool on) {
  for (std::size_t i = 0; i < group_words_; ++i)
    for (std::uint64_t groups = served_after_overflow_[b * group_words_ + i]; groups != 0;
         groups &= groups - 1)
      candidates_[i * 64 + static_cast<std::size_t>(std::countr_zero(groups))].set(b, on);
}

std::uint32_t SupportModel::bucket_of(const Case &c) const {
  const std::size_t languages = std::max<std::size_t>(config_.languages.size(), 1);
  const std::size_t products = std::max<std::size_t>(config_.products.size(), 1);
  const bool follow_up = c.first_response_done && c.work_type == WorkType::backlog;
  const std::size_t tier = tier_slot(c);
  std::size_t index = index_of(c.work_type);
  index = index * priority_count + index_of(c.info.priority);
  index = index * (config_.tiers.size() + 2) + tier;
  index = index * config_.regions.size() + c.queue_region;
  index = index * languages + c.info.language;
  index = index * 2 + (follow_up ? 1 : 0);
  index = index * products + c.info.product;
  return static_cast<std::uint32_t>(index);
}

std::uint32_t SupportModel::new_case_slot() {
  if (free_case_ != none) {
    const std::uint32_t slot = free_case_;
    free_case_ = cases_[slot].next;
    return slot;
  }
  cases_.push_back(Case{});
  return static_cast<std::uint32_t>(cases_.size() - 1);
}

void SupportModel::free_case_slot(std::uint32_t slot) {
  cases_[slot].state = CaseState::free;
  cases_[slot].next = free_case_;
  free_case_ = slot;
}

void SupportModel::on_arrival(std::uint32_t source) {
  const sim::SimTime now = calendar_.now();
  const Demand::NewCase n = demand_.draw_case(source);
  const sim::SimTime next = demand_.next_arrival(source, now);
  if (next < end_)
    calendar_.schedule(next, sim::Phase::arrive, static_cast<std::uint8_t>(EventKind::arrival),
                       source);
  admit(n);
}

void SupportModel::on_replayed_arrival() {
  // The case read ahead arrives now; the next one is read and scheduled.
  const ReplayedCase row = next_replayed_;
  const std::uint64_t seed = row.seed ? *row.seed : mix(replay_key_ + ++replayed_);
  schedule_next_replayed();
  admit(demand_.complete(row, seed));
}

void SupportModel::schedule_next_replayed() {
  // Cases created before the run's start are not simulated; the first after its end stops it.
  while (replay_->next(next_replayed_)) {
    if (next_replayed_.created < clock_.epoch()) continue;
    const sim::SimTime at = clock_.from_utc(next_replayed_.created);
    if (at < end_)
      calendar_.schedule(at, sim::Phase::arrive,
                         static_cast<std::uint8_t>(EventKind::replayed_arrival), 0);
    return;
  }
}

void SupportModel::admit(const Demand::NewCase &n) {
  const sim::SimTime now = calendar_.now();
  const std::uint32_t slot = new_case_slot();
  Case &c = cases_[slot];
  c = Case{};
  c.info = n.info;
  c.info.number = next_case_number_++;
  c.info.arrived = now;
  c.seed = n.seed;
  c.prev = c.next = c.bucket = none;
  c.agent = no_agent;
  c.info.account = n.account == ~0u ? no_account : static_cast<std::uint16_t>(n.account);
  c.tier = front_line;
  c.queue_region = c.info.region;
  c.owner_region = c.info.region;
  c.work_type = c.info.priority <= Priority::p2  ? WorkType::front_door
                : is_synchronous(c.info.channel) ? WorkType::live
                                                 : WorkType::backlog;
  // The case's own draws, fixed at birth whatever happens to it later.
  sim::SmallStream birth(c.seed);
  const LifecycleConfig &life = config_.lifecycle;
  const double touches = std::ceil(life.touches.sample(birth));
  c.touches_needed = static_cast<std::uint16_t>(std::clamp(touches, 1.0, 1000.0));
  const auto &patience = life.patience_minutes[index_of(c.info.channel)];
  const sim::Duration patience_left =
      patience ? minutes(patience->sample(birth)) : sim::Duration::max();
  c.will_reopen = birth.uniform01() < life.reopen_probability;
  sink_.on(CaseArrived{now, c.info, c.work_type});

  offer(slot);
  if (cases_[slot].state == CaseState::queued && patience) {
    const sim::SimTime gives_up = sim::saturating_add(now, patience_left);
    if (gives_up < end_)
      cases_[slot].patience_timer = calendar_.schedule(
          gives_up, sim::Phase::arrive, static_cast<std::uint8_t>(EventKind::patience_end), slot);
  }
}

bool SupportModel::takes_work(const Agent &agent) const {
  return agent.employed && agent.on_shift && !agent.absent && agent.pauses == 0 &&
         calendar_.now() >= agent.ready_at;
}

double SupportModel::tenure_months(const Agent &agent) const {
  return (calendar_.now() - agent.hired).to_minutes() / (days_per_month * 24 * 60);
}

bool SupportModel::agent_may_take(const Agent &agent, const Case &c, bool chat_only) const {
  const bool live_chat = c.info.channel == Channel::chat && !c.first_response_done;
  if (chat_only && !live_chat) return false;
  return !(agent.on_call || calendar_.now() < agent.front_door_only_until) ||
         c.work_type == WorkType::front_door;
}

bool SupportModel::eligible(const Agent &agent, const Case &c, bool chat_only) const {
  if (!agent_may_take(agent, c, chat_only)) return false;
  const sim::SimTime now = calendar_.now();
  const bool own = agent.info.region == c.queue_region ||
                   (agent.borrowed_region == c.queue_region && now < agent.borrowed_until);
  return group_may_take(agent.info.group, c, own, false);
}

bool SupportModel::group_may_take(std::uint32_t group, const Case &c, bool own_region,
                                  bool assume_overflowed) const {
  const RoutingConfig &routing = config_.routing;
  const bool overflowed = assume_overflowed || calendar_.now() - c.queued_at >= overflow_after(c);
  const AgentGroupConfig &g = config_.agent_groups[group];

  // Tier: see tier_access.
  const Access tier = tier_access(g.tier, tier_slot(c));
  if (tier == Access::never || (tier == Access::after_overflow && !overflowed)) return false;

  // Region: the case's own region first; others after overflow_after, except follow-ups whose
  // priority waits for the owner region.
  if (!own_region) {
    const bool follow_up = c.first_response_done && c.work_type == WorkType::backlog;
    if (follow_up && routing.handoff[index_of(c.info.priority)] == Handoff::owner_region)
      return false;
    if (!overflowed) return false;
  }

  // Skills: product and language at the required proficiency, or the floor after overflow,
  // when the fallback language will also do.
  const double needed = overflowed ? routing.proficiency_floor : routing.proficiency_required;
  const double product =
      g.product_proficiency.empty() ? 1.0 : g.product_proficiency[c.info.product];
  return product >= needed && language_proficiency(g, c.info.language, overflowed) >= needed;
}

double SupportModel::language_proficiency(const AgentGroupConfig &g, std::size_t language,
                                          bool overflowed) const {
  if (g.language_proficiency.empty()) return 1.0;
  const auto &fallback = config_.routing.fallback_language;
  if (overflowed && fallback)
    return std::max(g.language_proficiency[language], g.language_proficiency[*fallback]);
  return g.language_proficiency[language];
}

sim::Duration SupportModel::overflow_after(const Case &c) const {
  const sim::Duration by_priority = config_.routing.overflow_after[index_of(c.info.priority)];
  const bool live = is_synchronous(c.info.channel) && !c.first_response_done;
  return live ? std::min(by_priority, config_.routing.live_overflow_after) : by_priority;
}

void SupportModel::offer(std::uint32_t slot) {
  Case &c = cases_[slot];
  const sim::SimTime now = calendar_.now();
  if (c.state != CaseState::queued) c.queued_at = now;
  const bool live_chat = c.info.channel == Channel::chat && !c.first_response_done;

  // The best free agent: the named TAM, then a TAM for a premium account, then the agent who
  // owns the case, then one of its region, then the most proficient. Among equals, the group
  // listed first, and within a group the agent free the longest (as an ACD routes calls to
  // the longest-idle agent); an idle agent before one already chatting.
  AgentIndex best = no_agent;
  std::array<double, 6> best_key{};
  auto consider = [&](AgentIndex a) {
    const Agent &agent = agents_[a];
    const AgentGroupConfig &g = config_.agent_groups[agent.info.group];
    const bool named =
        c.info.account != no_account && account_group_[c.info.account] == agent.info.group;
    const std::array<double, 6> key{
        named ? 1.0 : 0.0,
        c.info.account != no_account && config_.tiers[agent.tier].role == TierRole::tam ? 1.0 : 0.0,
        c.agent == a ? 1.0 : 0.0,
        agent.info.region == c.queue_region ? 1.0 : 0.0,
        g.product_proficiency.empty() ? 1.0 : g.product_proficiency[c.info.product],
        g.language_proficiency.empty() ? 1.0 : g.language_proficiency[c.info.language]};
    if (best == no_agent || key > best_key) {
      best = a;
      best_key = key;
    }
  };
  // The owner, if free: it may outrank the head of its group's list.
  if (c.agent != no_agent) {
    const Agent &owner = agents_[c.agent];
    if ((owner.idle.in && eligible(owner, c, false)) ||
        (live_chat && owner.chat_room.in && eligible(owner, c, true)))
      consider(c.agent);
  }
  // Agent-independent rules first: groups with nobody free, and those the case's bucket rules
  // out (what group_may_take says, now or once the case has overflowed), are passed over
  // without a look at their agents. A group with an agent on loan counts as possibly in every
  // region, which the bucket's sets do not cover: its rules are checked case by case.
  const std::uint32_t bucket = bucket_of(c);
  const bool overflowed = now - c.queued_at >= overflow_after(c);
  for (std::size_t i = 0; i < group_words_; ++i) {
    const std::uint64_t free = idle_groups_[i] | (live_chat ? chat_room_groups_[i] : 0);
    if (free == 0) continue; // busy hours: nobody to offer to, no need to read the bucket's sets
    std::uint64_t on_loan = 0;
    if (now < loans_until_)
      for (std::size_t g = i * 64; g < std::min(idle_.size(), i * 64 + 64); ++g)
        if (now < borrowed_until_[g]) on_loan |= std::uint64_t{1} << (g % 64);
    const std::uint64_t served =
        served_now_[bucket * group_words_ + i] |
        (overflowed ? served_after_overflow_[bucket * group_words_ + i] : 0);
    for (std::uint64_t groups = free & (served | on_loan); groups != 0; groups &= groups - 1) {
      const auto bit = static_cast<std::uint32_t>(std::countr_zero(groups));
      const auto g = static_cast<std::uint32_t>(i * 64 + bit);
      if (((on_loan >> bit) & 1) && !group_may_take(g, c, true, false)) continue;
      AgentIndex found = no_agent;
      for (AgentIndex a = idle_[g].head; a != no_agent; a = agents_[a].idle.next)
        if (eligible(agents_[a], c, false)) {
          found = a;
          break;
        }
      if (found == no_agent && live_chat)
        for (AgentIndex a = chat_room_[g].head; a != no_agent; a = agents_[a].chat_room.next)
          if (eligible(agents_[a], c, true)) {
            found = a;
            break;
          }
      if (found != no_agent) consider(found);
    }
  }
  if (best != no_agent) {
    start_touch(best, slot);
    return;
  }
  if (c.state != CaseState::queued) {
    // A new case nobody on shift could take even after overflow (no one with the skill, the
    // language or the tier is working now) is counted, and waits.
    if (!c.first_response_done) {
      bool anyone = false;
      for (std::uint32_t g = 0; g < working_.size() && !anyone; ++g)
        anyone = working_[g] > 0 && group_may_take(g, c, true, true);
      if (!anyone) sink_.on(NoQualifiedAgent{now, c.info});
    }
    enqueue(slot, bucket);
    const sim::SimTime overflow = sim::saturating_add(now, overflow_after(c));
    if (overflow < end_)
      c.overflow_timer = calendar_.schedule(overflow, sim::Phase::arrive,
                                            static_cast<std::uint8_t>(EventKind::overflow), slot);
  }
}

void SupportModel::enqueue(std::uint32_t slot, std::uint32_t bucket) {
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

void SupportModel::unlink(std::uint32_t slot) {
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

void SupportModel::start_touch(AgentIndex a, std::uint32_t slot) {
  Case &c = cases_[slot];
  Agent &agent = agents_[a];
  const sim::SimTime now = calendar_.now();
  if (c.state == CaseState::queued) unlink(slot);
  calendar_.cancel(c.patience_timer);
  calendar_.cancel(c.overflow_timer);
  const bool live_chat = c.info.channel == Channel::chat && !c.first_response_done;
  const bool handoff = c.agent != no_agent && agents_[c.agent].info.region != agent.info.region;
  c.state = CaseState::in_work;
  c.agent = a;
  c.touch_started = now;
  // The touch's draws come from (case seed, touch number): the same touch of the same case
  // draws the same work whoever does it.
  c.touch_rng = sim::SmallStream(mix(c.seed + 0x9e3779b97f4a7c15ull * (c.touches_started + 1u)));
  const LifecycleConfig &life = config_.lifecycle;
  const AgentGroupConfig &g = config_.agent_groups[agent.info.group];
  const double proficiency =
      g.product_proficiency.empty() ? 1.0 : g.product_proficiency[c.info.product];
  ++agent.in_hand;
  if (live_chat) agent.chatting = true;
  double work =
      life.work_minutes[index_of(c.info.channel)].sample(c.touch_rng) *
      life.priority_work_factor[index_of(c.info.priority)] *
      (life.product_work_factor.empty() ? 1.0 : life.product_work_factor[c.info.product]) *
      config_.experience.handle_time.at(tenure_months(agent)) * (2.0 - proficiency);
  if (live_chat) work *= 1.0 + life.chat_slowdown_per_extra_chat * (agent.in_hand - 1);
  c.escalation_draw = c.touch_rng.uniform01();
  if (!c.first_response_done) {
    c.first_response_done = true;
    sink_.on(FirstResponse{now, c.info, a});
    if (!recent_.empty())
      note_response(c, now - c.info.arrived <= config_.service_levels.first_response[index_of(
                                                   c.info.segment)][index_of(c.info.priority)]);
  }
  sink_.on(TouchStarted{now, c.info, a, c.touches_started, c.work_type, handoff, live_chat});
  ++c.touches_started;
  const sim::SimTime done = sim::saturating_add(now, minutes(work));
  if (done < end_)
    calendar_.schedule(done, sim::Phase::release, static_cast<std::uint8_t>(EventKind::touch_done),
                       slot);
  refresh_sets(a);
}

void SupportModel::on_touch_done(std::uint32_t slot) {
  Case &c = cases_[slot];
  const AgentIndex a = c.agent;
  Agent &agent = agents_[a];
  const sim::SimTime now = calendar_.now();
  const sim::SimTime started = c.touch_started;
  --agent.in_hand;
  if (agent.in_hand == 0) agent.chatting = false;

  const TierConfig &tier = config_.tiers[agent.tier];
  const LifecycleConfig &life = config_.lifecycle;
  const double p_escalate =
      tier.escalation_probability * config_.experience.escalation.at(tenure_months(agent));
  const bool escalates =
      (tier.escalates_to || tier.to_engineering) && c.escalation_draw < p_escalate;
  auto owned_by_agent = [&] {
    c.tier = tier.role == TierRole::front_line ? front_line : agent.tier;
    c.owner_region = agent.info.region;
    c.queue_region = agent.info.region;
  };
  auto wait_then_ready = [&](sim::Duration wait, CaseState state) {
    c.state = state;
    const sim::SimTime ready = sim::saturating_add(now, wait);
    if (ready < end_)
      calendar_.schedule(ready, sim::Phase::arrive,
                         static_cast<std::uint8_t>(EventKind::case_ready), slot);
  };

  if (escalates && tier.escalates_to) {
    const std::size_t to = *tier.escalates_to;
    c.tier =
        config_.tiers[to].role == TierRole::front_line ? front_line : static_cast<std::uint8_t>(to);
    c.work_type = WorkType::escalations;
    c.queue_region = c.info.region;
    c.owner_region = agent.info.region;
    c.touches_needed = std::max<std::uint16_t>(c.touches_needed, c.touches_done + 1);
    sink_.on(TouchCompleted{now, c.info, a, started, TouchOutcome::escalated,
                            static_cast<std::uint8_t>(to)});
    c.state = CaseState::waiting_customer; // between queues for an instant
    offer(slot);
  } else if (escalates) {
    owned_by_agent();
    c.work_type = WorkType::backlog;
    c.touches_needed = std::max<std::uint16_t>(c.touches_needed, c.touches_done + 1);
    sink_.on(TouchCompleted{now, c.info, a, started, TouchOutcome::to_engineering, 0});
    wait_then_ready(hours(life.engineering_turnaround_hours.sample(c.touch_rng)),
                    CaseState::waiting_engineering);
  } else if (++c.touches_done < c.touches_needed) {
    owned_by_agent();
    c.work_type = WorkType::backlog;
    sink_.on(TouchCompleted{now, c.info, a, started, TouchOutcome::follow_up, 0});
    wait_then_ready(hours(life.customer_wait_hours.sample(c.touch_rng)),
                    CaseState::waiting_customer);
  } else if (c.will_reopen && !c.reopened) {
    owned_by_agent();
    c.work_type = WorkType::backlog;
    c.reopened = true;
    c.reopen_pending = true;
    ++c.touches_needed;
    sink_.on(TouchCompleted{now, c.info, a, started, TouchOutcome::solved_reopens, 0});
    wait_then_ready(hours(life.reopen_after_hours.sample(c.touch_rng)),
                    CaseState::waiting_customer);
  } else {
    sink_.on(TouchCompleted{now, c.info, a, started, TouchOutcome::resolved, 0});
    sink_.on(CaseResolved{now, c.info, a, c.touches_started});
    ++cases_ended_;
    free_case_slot(slot);
  }
  agent_free(a);
}

void SupportModel::on_case_ready(std::uint32_t slot) {
  Case &c = cases_[slot];
  if (c.reopen_pending) {
    c.reopen_pending = false;
    sink_.on(CaseReopened{calendar_.now(), c.info});
  }
  offer(slot);
}

void SupportModel::on_patience_end(std::uint32_t slot) {
  Case &c = cases_[slot];
  assert(c.state == CaseState::queued && "an answered case's patience timer is cancelled");
  unlink(slot);
  calendar_.cancel(c.overflow_timer);
  c.patience_timer = {};
  sink_.on(CaseAbandoned{calendar_.now(), c.info});
  ++cases_ended_;
  if (!recent_.empty()) note_response(c, false);
  free_case_slot(slot);
}

void SupportModel::note_response(const Case &c, bool met) {
  RecentResponses &recent = recent_[c.info.region];
  forget_old_responses(recent);
  recent.outcomes.push_back({calendar_.now(), met});
  recent.met += met;
}

void SupportModel::forget_old_responses(RecentResponses &recent) {
  const sim::SimTime now = calendar_.now();
  while (!recent.outcomes.empty() &&
         now - recent.outcomes.front().first > sim::Duration::hours(1)) {
    recent.met -= recent.outcomes.front().second;
    recent.outcomes.pop_front();
  }
}

void SupportModel::on_overflow(std::uint32_t slot) {
  Case &c = cases_[slot];
  c.overflow_timer = {};
  c.overflowed = true;
  if (overflowed_count_[c.bucket]++ == 0) note_overflowed(c.bucket, true);
  offer(slot); // still queued: more agents may take it now
}

void SupportModel::report_open_cases() {
  // In case-number order, so the records are the same whatever the slot reuse pattern.
  std::vector<std::uint32_t> open;
  for (std::uint32_t s = 0; s < cases_.size(); ++s)
    if (cases_[s].state != CaseState::free) open.push_back(s);
  std::sort(open.begin(), open.end(), [this](std::uint32_t a, std::uint32_t b) {
    return cases_[a].info.number < cases_[b].info.number;
  });
  for (const std::uint32_t s : open) {
    const Case &c = cases_[s];
    OpenState state = OpenState::queued;
    switch (c.state) {
    case CaseState::queued:
      state = c.first_response_done ? OpenState::queued : OpenState::awaiting_first_response;
      break;
    case CaseState::in_work:
      state = OpenState::in_work;
      break;
    case CaseState::waiting_customer:
      state = OpenState::waiting_customer;
      break;
    case CaseState::waiting_engineering:
      state = OpenState::waiting_engineering;
      break;
    case CaseState::free:
      break;
    }
    const bool working = c.state == CaseState::in_work;
    ++cases_ended_;
    sink_.on(CaseOpenAtEnd{end_, c.info, state, working ? c.agent : no_agent,
                           working ? c.touch_started : sim::SimTime::max()});
  }
}

// --- Agents ---------------------------------------------------------------------------------

void SupportModel::schedule_next_shift(AgentIndex a, sim::SimTime from) {
  const Shift s = next_shift(a, from);
  if (s.pattern == none || s.start >= end_) return;
  calendar_.schedule(std::max(s.start, from), sim::Phase::release,
                     static_cast<std::uint8_t>(EventKind::shift_start), a);
}

void SupportModel::build_site_days() {
  for (std::size_t s = 0; s < config_.sites.size(); ++s) {
    const date::time_zone *zone = site_zones_[s];
    SiteDays &table = site_days_.emplace_back();
    table.column.assign(config_.shifts.size(), none);
    for (const AgentGroupConfig &g : config_.agent_groups)
      if (g.site == s)
        for (const std::size_t k : g.shifts)
          if (table.column[k] == none)
            table.column[k] = static_cast<std::uint32_t>(table.columns++);
    // Every day next_shift can ask for (the day before the run's first local day, to the day
    // after its last); it works out any other day itself.
    table.first = std::chrono::floor<days>(clock_.to_local(zone, sim::SimTime::zero())) - days(1);
    const auto last = std::chrono::floor<days>(clock_.to_local(zone, end_)) + days(1);
    for (auto day = table.first; day <= last; day += days(1)) {
      table.midnight.push_back(clock_.from_local(zone, sim::LocalTime(day)));
      table.holiday.push_back(site_holiday(s, day));
      table.shifts.resize(table.shifts.size() + table.columns);
      for (std::size_t k = 0; k < config_.shifts.size(); ++k)
        if (table.column[k] != none)
          table.shifts[table.shifts.size() - table.columns + table.column[k]] =
              shift_times(zone, day, config_.shifts[k]);
    }
  }
}

bool SupportModel::site_holiday(std::size_t site, std::chrono::local_days day) const {
  const std::vector<Date> &holidays = config_.sites[site].holidays;
  const Date date{std::chrono::sys_days(day.time_since_epoch())};
  return std::find(holidays.begin(), holidays.end(), date) != holidays.end();
}

std::pair<sim::SimTime, sim::SimTime> SupportModel::shift_times(const date::time_zone *zone,
                                                                std::chrono::local_days day,
                                                                const ShiftConfig &p) const {
  const bool overnight = p.end <= p.start;
  return {clock_.from_local(zone, local_at(day, p.start)),
          clock_.from_local(zone, local_at(overnight ? day + days(1) : day, p.end))};
}

SupportModel::Shift SupportModel::next_shift(AgentIndex a, sim::SimTime from) const {
  const Agent &agent = agents_[a];
  const AgentGroupConfig &g = config_.agent_groups[agent.info.group];
  const date::time_zone *zone = site_zones_[g.site];
  const SiteDays &table = site_days_[g.site];
  const auto first_day = std::chrono::floor<days>(clock_.to_local(zone, from)) - days(1);
  Shift best{};
  best.pattern = none;
  // Day by day until a shift is found and no later day can start earlier, or past the end of
  // the run (a site closed for weeks, a rota's off weeks).
  for (auto day = first_day;; day += days(1)) {
    const auto row = static_cast<std::size_t>((day - table.first).count());
    const bool tabled = day >= table.first && row < table.midnight.size();
    const sim::SimTime midnight =
        tabled ? table.midnight[row] : clock_.from_local(zone, sim::LocalTime(day));
    if (midnight > end_ || (best.pattern != none && best.start < midnight)) break;
    if (tabled ? table.holiday[row] : site_holiday(g.site, day)) continue;
    const auto day_number = day.time_since_epoch().count();
    const unsigned weekday = sim::weekday_of(day);
    // Weeks counted from Monday 1970-01-05, so a rotation's weeks line up with calendar weeks.
    const auto week = static_cast<std::uint64_t>((day_number - 4 + 7 * 100000) / 7);
    for (const std::size_t k : g.shifts) {
      const ShiftConfig &p = config_.shifts[k];
      if (!p.days[weekday]) continue;
      if (week % p.rotation_weeks != agent.info.number % p.rotation_weeks) continue;
      const auto [start, stop] =
          tabled ? table.shifts[row * table.columns + table.column[k]] : shift_times(zone, day, p);
      if (stop <= from || stop <= start) continue;
      if (best.pattern == none || start < best.start) {
        best.pattern = static_cast<std::uint32_t>(k);
        best.start = start;
        best.end = stop;
        best.day = day;
      }
    }
  }
  return best;
}

void SupportModel::on_shift_start(AgentIndex a) {
  Agent &agent = agents_[a];
  if (!agent.employed) return;
  const sim::SimTime now = calendar_.now();
  const Shift s = next_shift(a, now);
  assert(s.pattern != none && s.start <= now);
  const ShiftConfig &pattern = config_.shifts[s.pattern];
  const AgentGroupConfig &g = config_.agent_groups[agent.info.group];
  const date::time_zone *zone = site_zones_[g.site];
  agent.on_shift = true;
  agent.on_call = pattern.on_call;
  agent.shift_end = agent.scheduled_shift_end = s.end;
  // Both draws always happen, so one agent's shrinkage does not shift another's.
  const double absence_draw = agent.rng.uniform01();
  const double block_draw = agent.rng.uniform01();
  agent.absent = absence_draw < g.shrinkage.absence;
  auto pause = [&](sim::SimTime from, sim::SimTime to, bool paid) {
    from = std::max(from, now);
    to = std::min(to, s.end);
    if (to <= from) return;
    calendar_.schedule(
        from, sim::Phase::release,
        static_cast<std::uint8_t>(paid ? EventKind::pause_start : EventKind::unpaid_pause_start),
        a);
    calendar_.schedule(
        to, sim::Phase::release,
        static_cast<std::uint8_t>(paid ? EventKind::pause_end : EventKind::unpaid_pause_end), a);
  };
  if (!agent.absent) {
    // Scheduled before the shift's end, so a pause ending with the shift ends first.
    for (const BreakConfig &b : pattern.breaks) {
      const bool next_day = pattern.end <= pattern.start && b.start < pattern.start;
      const sim::SimTime from =
          clock_.from_local(zone, local_at(next_day ? s.day + days(1) : s.day, b.start));
      pause(from, from + sim::Duration::minutes(b.minutes), b.paid);
    }
    if (g.shrinkage.off_queue > 0) {
      const double length = (s.end - s.start).to_minutes();
      const double block = g.shrinkage.off_queue * length;
      const sim::SimTime from =
          s.start + sim::Duration::from_minutes(block_draw * (length - block));
      pause(from, from + sim::Duration::from_minutes(block), true);
    }
  }
  agent.shift_end_event = calendar_.schedule(s.end, sim::Phase::release,
                                             static_cast<std::uint8_t>(EventKind::shift_end), a);
  if (now < agent.ready_at && agent.ready_at < s.end)
    calendar_.schedule(agent.ready_at, sim::Phase::release,
                       static_cast<std::uint8_t>(EventKind::training_done), a);
  report_state(a);
  find_work(a);
}

void SupportModel::on_shift_end(AgentIndex a) {
  Agent &agent = agents_[a];
  agent.shift_end_event = {};
  if (!agent.on_shift) return;
  agent.on_shift = false;
  agent.absent = false;
  agent.on_call = false;
  assert(agent.pauses == 0);
  report_state(a);
  refresh_sets(a);
  if (agent.employed) schedule_next_shift(a, calendar_.now());
}

void SupportModel::on_pause(AgentIndex a, bool starts, bool unpaid) {
  Agent &agent = agents_[a];
  if (!agent.on_shift) return; // left since the pause was planned
  if (starts) {
    ++agent.pauses;
    agent.unpaid_pauses += unpaid;
  } else {
    --agent.pauses;
    agent.unpaid_pauses -= unpaid;
  }
  report_state(a);
  if (starts)
    refresh_sets(a);
  else
    find_work(a);
}

void SupportModel::on_hire(std::uint32_t h) {
  const Hire &hire = hires_[h];
  const AgentIndex a = add_agent(hire.group, hire.number, calendar_.now());
  sink_.on(AgentHired{calendar_.now(), a, agents_[a].info});
  const AgentGroupConfig &g = config_.agent_groups[hire.group];
  if (g.attrition_per_year > 0) {
    const double per_day = -std::log1p(-g.attrition_per_year) / 365.25;
    const double u = agents_[a].rng.uniform01();
    const sim::SimTime leaves =
        sim::saturating_add(calendar_.now(), hours(-std::log1p(-u) / per_day * 24));
    if (leaves < end_)
      calendar_.schedule(leaves, sim::Phase::release, static_cast<std::uint8_t>(EventKind::leave),
                         a);
  }
  schedule_next_shift(a, calendar_.now());
}

void SupportModel::on_leave(AgentIndex a) {
  Agent &agent = agents_[a];
  agent.employed = false;
  sink_.on(AgentLeft{calendar_.now(), a});
  // Touches in hand are finished first (report_state keeps the agent working past the end).
  if (agent.on_shift) {
    calendar_.cancel(agent.shift_end_event);
    agent.on_shift = false;
    agent.absent = false;
    agent.pauses = agent.unpaid_pauses = 0;
  }
  report_state(a);
  refresh_sets(a);
}

void SupportModel::agent_free(AgentIndex a) {
  report_state(a);
  find_work(a);
}

void SupportModel::refresh_sets(AgentIndex a) {
  Agent &agent = agents_[a];
  const bool taking = takes_work(agent);
  const bool idle = taking && agent.in_hand == 0;
  const bool chat_room = taking && agent.chatting && agent.in_hand > 0 &&
                         agent.in_hand < config_.agent_groups[agent.info.group].chat_concurrency;
  // Joining appends (so the head is the agent free the longest); leaving unlinks in O(1).
  const std::uint32_t group = agent.info.group;
  auto update = [&](FreeList &list, Link Agent::*link, bool member,
                    std::vector<std::uint64_t> &groups) {
    Link &l = agent.*link;
    if (member && !l.in) {
      l = Link{list.tail, no_agent, true};
      if (list.tail != no_agent)
        (agents_[list.tail].*link).next = a;
      else
        list.head = a;
      list.tail = a;
    } else if (!member && l.in) {
      if (l.prev != no_agent)
        (agents_[l.prev].*link).next = l.next;
      else
        list.head = l.next;
      if (l.next != no_agent)
        (agents_[l.next].*link).prev = l.prev;
      else
        list.tail = l.prev;
      l = Link{};
    } else {
      return; // no change: the group's bit in `groups` stands
    }
    const std::uint64_t bit = std::uint64_t{1} << (group % 64);
    if (list.head != no_agent)
      groups[group / 64] |= bit;
    else
      groups[group / 64] &= ~bit;
  };
  update(idle_[group], &Agent::idle, idle, idle_groups_);
  update(chat_room_[group], &Agent::chat_room, chat_room, chat_room_groups_);
}

std::size_t SupportModel::tier_slot(const Case &c) const {
  if (c.tier != front_line) return c.tier;
  return c.info.account != no_account ? config_.tiers.size() + 1 : config_.tiers.size();
}

SupportModel::Access SupportModel::tier_access(std::size_t agent_tier, std::size_t slot) const {
  const TierRole role = config_.tiers[agent_tier].role;
  const std::size_t tiers = config_.tiers.size();
  // A case owned by a tier (escalated to it, or worked by it last) stays with that tier.
  if (slot < tiers) return slot == agent_tier ? Access::now : Access::never;
  // New cases (and front-line follow-ups) go to the front line.
  if (slot == tiers) return role == TierRole::front_line ? Access::now : Access::never;
  // Premium accounts' cases: the TAMs at once (their named TAM preferred, see offer); with
  // tam_first, after overflow_after the escalation tier (L2), or the front line where there is
  // no escalation tier; without it, the front line at once.
  if (role == TierRole::tam) return Access::now;
  if (!config_.routing.tam_first) return role == TierRole::front_line ? Access::now : Access::never;
  return role == premium_fallback_ ? Access::after_overflow : Access::never;
}

SupportModel::Access SupportModel::bucket_access(std::uint32_t group, const BucketKey &k,
                                                 bool own_region) const {
  const RoutingConfig &routing = config_.routing;
  const AgentGroupConfig &g = config_.agent_groups[group];
  Access access = tier_access(g.tier, k.tier);
  if (access == Access::never) return access;
  if (!own_region) {
    if (k.follow_up && routing.handoff[index_of(k.priority)] == Handoff::owner_region)
      return Access::never;
    access = Access::after_overflow;
  }
  const double product = g.product_proficiency.empty() ? 1.0 : g.product_proficiency[k.product];
  if (std::min(product, language_proficiency(g, k.language, true)) < routing.proficiency_floor)
    return Access::never;
  if (std::min(product, language_proficiency(g, k.language, false)) < routing.proficiency_required)
    access = Access::after_overflow;
  return access;
}

void SupportModel::find_work(AgentIndex a) {
  Agent &agent = agents_[a];
  const sim::SimTime now = calendar_.now();
  const RoutingConfig &routing = config_.routing;
  const AgentGroupConfig &g = config_.agent_groups[agent.info.group];
  const bool front_door_only = agent.on_call || now < agent.front_door_only_until;
  while (takes_work(agent)) {
    const bool chat_only = agent.in_hand > 0;
    if (chat_only && (!agent.chatting || agent.in_hand >= g.chat_concurrency)) break;
    // Queues first, then the case: each work type's queue ranks by its weight plus ageing_per_hour
    // times the hours its oldest eligible case has waited; the winning queue gives its best
    // eligible case by priority, then age, then case number. Within a bucket cases are in
    // queue order, so the first eligible one is the best of its bucket.
    std::array<sim::SimTime, work_type_count> oldest;
    oldest.fill(sim::SimTime::max());
    std::array<std::uint32_t, work_type_count> pick;
    pick.fill(none);
    // Only buckets the agent's group may serve, now or (for those holding an overflowed case)
    // after overflow; an agent on loan to another region looks at every non-empty bucket.
    const bool on_loan = now < agent.borrowed_until;
    const BucketBits &buckets = on_loan ? nonempty_ : candidates_[agent.info.group];
    const std::vector<std::uint64_t> &front_door = work_buckets_[index_of(WorkType::front_door)];
    const std::vector<std::uint64_t> &live = work_buckets_[index_of(WorkType::live)];
    // A queue's oldest eligible case counts only against another queue's pick: a queue with the
    // only pick wins whatever its score. Buckets come by work type, and the backlog (where most
    // cases wait) comes last, so once the look reaches it every other queue's pick is known;
    // if there is none, backlog buckets less urgent than its pick so far (mostly P4 behind a P3)
    // are passed over unread.
    static_assert(index_of(WorkType::backlog) == work_type_count - 1);
    const std::size_t last = work_type_count - 1;
    const std::vector<std::uint64_t> &backlog = work_buckets_[last];
    auto only_backlog_picked = [&] {
      return pick[last] != none && std::all_of(pick.begin(), pick.begin() + last,
                                               [](std::uint32_t p) { return p == none; });
    };
    auto may_matter = [&](std::size_t w, std::uint64_t bits) {
      if (front_door_only) bits &= front_door[w];
      if (chat_only) bits &= front_door[w] | live[w];
      if (only_backlog_picked())
        bits &= ~backlog[w] | up_to_priority_[index_of(cases_[pick[last]].info.priority)][w];
      return bits;
    };
    for_each_bucket(buckets, may_matter, [&](std::uint32_t b) {
      const Bucket &bucket = buckets_[b];
      const std::size_t w = index_of(bucket.work);
      // Within a work type, buckets come in priority order. One whose oldest case (the head) is
      // neither older than the queue's oldest so far (where that counts) nor better than its
      // pick cannot matter.
      const sim::SimTime head = bucket.head_queued_at;
      if (pick[w] != none) {
        const Case &p = cases_[pick[w]];
        if (p.info.priority < bucket.priority && (head >= oldest[w] || only_backlog_picked()))
          return;
        if (p.info.priority == bucket.priority && head > p.queued_at) return;
      }
      // In a bucket the group may serve only once a case has overflowed, only the overflowed
      // head of the queue is looked at. An agent on loan works out the rules bucket by bucket.
      bool overflowed_only = false;
      if (!on_loan) {
        overflowed_only = !serves_now(b, agent.info.group);
      } else {
        const BucketKey &k = bucket_keys_[b];
        const Access access =
            bucket_access(agent.info.group, k,
                          k.region == agent.info.region || k.region == agent.borrowed_region);
        if (access == Access::never) return;
        overflowed_only = access == Access::after_overflow;
      }
      // The shortest overflow_after of the bucket's cases (live first contacts may overflow
      // sooner), so that the scan stops only where no later case can have overflowed.
      sim::Duration soonest = routing.overflow_after[index_of(bucket.priority)];
      if (bucket.work == WorkType::front_door || bucket.work == WorkType::live)
        soonest = std::min(soonest, routing.live_overflow_after);
      for (std::uint32_t s = bucket.head; s != none; s = cases_[s].next) {
        const Case &c = cases_[s];
        if (overflowed_only && now - c.queued_at < soonest) break;
        // Not on loan, the bucket's rules are the group's (see build_bucket_masks): every case
        // of a bucket it serves at once passes group_may_take, and exactly the overflowed ones
        // of a bucket it serves after overflow.
        if (on_loan ? !eligible(agent, c, chat_only)
                    : !agent_may_take(agent, c, chat_only) ||
                          (overflowed_only && now - c.queued_at < overflow_after(c)))
          continue;
        oldest[w] = std::min(oldest[w], c.queued_at);
        if (pick[w] == none || std::tie(c.info.priority, c.queued_at, c.info.number) <
                                   std::tie(cases_[pick[w]].info.priority,
                                            cases_[pick[w]].queued_at, cases_[pick[w]].info.number))
          pick[w] = s;
        break;
      }
    });
    std::uint32_t best = none;
    double best_score = 0;
    for (std::size_t w = 0; w < work_type_count; ++w) { // ties to the work type listed first
      if (pick[w] == none) continue;
      const double score =
          routing.weights[w] + routing.ageing_per_hour * (now - oldest[w]).to_hours();
      if (best == none || score > best_score) {
        best = pick[w];
        best_score = score;
      }
    }
    if (best == none) break;
    start_touch(a, best);
  }
  refresh_sets(a);
}

void SupportModel::report_state(AgentIndex a) {
  Agent &agent = agents_[a];
  const sim::SimTime now = calendar_.now();
  AgentState state = AgentState::available;
  bool paid = true, overtime = false;
  if (!agent.on_shift) {
    state = agent.in_hand > 0 ? AgentState::available : AgentState::off;
    overtime = agent.in_hand > 0;
    paid = agent.in_hand > 0;
  } else if (now < agent.ready_at) {
    state = AgentState::training;
  } else if (agent.absent) {
    state = AgentState::absent;
  } else if (agent.pauses > 0) {
    state = AgentState::paused;
    paid = agent.unpaid_pauses == 0;
  } else {
    overtime = now >= agent.scheduled_shift_end;
  }
  if (state == agent.reported && paid == agent.reported_paid && overtime == agent.reported_overtime)
    return;
  // Agents working a shift (taking cases, or paused within it) per group.
  auto working = [](AgentState st) {
    return st == AgentState::available || st == AgentState::paused;
  };
  working_[agent.info.group] +=
      static_cast<int>(working(state)) - static_cast<int>(working(agent.reported));
  agent.reported = state;
  agent.reported_paid = paid;
  agent.reported_overtime = overtime;
  sink_.on(AgentStateChanged{now, a, state, paid, overtime});
}

// --- Escalation triggers --------------------------------------------------------------------

void SupportModel::on_trigger_check(std::uint32_t t) {
  const TriggerConfig &trigger = config_.triggers[t];
  const sim::SimTime now = calendar_.now();
  const std::size_t regions = config_.regions.size();
  for (std::size_t r = 0; r < regions; ++r) {
    if (trigger.region && *trigger.region != r) continue;
    double observed = 0;
    bool holds = false;
    switch (trigger.condition) {
    case TriggerCondition::front_door_wait_above: {
      sim::SimTime oldest = now;
      if (queued_[r][index_of(WorkType::front_door)] > 0)
        for_each_bucket(
            nonempty_,
            [&](std::size_t w, std::uint64_t bits) {
              return bits & work_buckets_[index_of(WorkType::front_door)][w];
            },
            [&](std::uint32_t b) {
              if (bucket_keys_[b].region == r)
                oldest = std::min(oldest, cases_[buckets_[b].head].queued_at);
            });
      observed = (now - oldest).to_minutes();
      holds = observed > trigger.threshold;
      break;
    }
    case TriggerCondition::backlog_above:
      observed = static_cast<double>(queued_[r][index_of(WorkType::backlog)]);
      holds = observed > trigger.threshold;
      break;
    case TriggerCondition::sla_last_hour_below: {
      // On the wall clock: an operational reading, not the report's business-hours measure.
      RecentResponses &recent = recent_[r];
      forget_old_responses(recent);
      if (recent.outcomes.empty()) break; // nothing to judge by
      observed = static_cast<double>(recent.met) / static_cast<double>(recent.outcomes.size());
      holds = observed < trigger.threshold;
      break;
    }
    }
    sim::SimTime &last = last_fired_[t * regions + r];
    if (holds && now - last >= trigger.cooldown) {
      last = now;
      fire(t, static_cast<std::uint8_t>(r), observed);
    }
  }
  const sim::SimTime next = now + trigger.check_every;
  if (next < end_)
    calendar_.schedule(next, sim::Phase::observe,
                       static_cast<std::uint8_t>(EventKind::trigger_check), t);
}

void SupportModel::fire(std::uint32_t t, std::uint8_t region, double observed) {
  const TriggerConfig &trigger = config_.triggers[t];
  const sim::SimTime now = calendar_.now();
  const sim::SimTime until = sim::saturating_add(now, trigger.duration);
  std::uint32_t moved = 0;
  moved_agents_.clear();
  for (AgentIndex a = 0; a < agents_.size() && moved < trigger.agents; ++a) {
    Agent &agent = agents_[a];
    switch (trigger.action) {
    case TriggerAction::pull_from_backlog:
      if (agent.info.region != region || !takes_work(agent) || agent.on_call ||
          now < agent.front_door_only_until)
        continue;
      agent.front_door_only_until = until;
      break;
    case TriggerAction::borrow:
      if (!trigger.from_region || agent.info.region != *trigger.from_region || !takes_work(agent) ||
          now < agent.borrowed_until)
        continue;
      agent.borrowed_region = region;
      agent.borrowed_until = until;
      borrowed_until_[agent.info.group] = std::max(borrowed_until_[agent.info.group], until);
      loans_until_ = std::max(loans_until_, until);
      break;
    case TriggerAction::overtime:
      // Agents whose shift ends within the action's duration stay that much longer.
      if (agent.info.region != region || !agent.on_shift || !agent.employed || agent.absent ||
          now < agent.ready_at || agent.shift_end != agent.scheduled_shift_end ||
          agent.shift_end - now > trigger.duration)
        continue;
      calendar_.cancel(agent.shift_end_event);
      agent.shift_end = sim::saturating_add(agent.shift_end, trigger.duration);
      agent.shift_end_event = calendar_.schedule(
          std::min(agent.shift_end, sim::Calendar::max_time()), sim::Phase::release,
          static_cast<std::uint8_t>(EventKind::shift_end), a);
      calendar_.schedule(agent.scheduled_shift_end, sim::Phase::observe,
                         static_cast<std::uint8_t>(EventKind::overtime_mark), a);
      break;
    }
    ++moved;
    if (trigger.action != TriggerAction::overtime && until < end_)
      calendar_.schedule(until, sim::Phase::release,
                         static_cast<std::uint8_t>(EventKind::effect_end), a);
    moved_agents_.push_back(a);
  }
  sink_.on(TriggerFired{now, t, region, observed, moved});
  // Borrowed agents may take the region's waiting cases at once.
  if (trigger.action == TriggerAction::borrow)
    for (const AgentIndex a : moved_agents_)
      find_work(a);
}

} // namespace supportsim::models
