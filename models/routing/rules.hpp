#pragma once
// Who may take what: the eligibility rules of docs/model.md ("Routing: who takes what"), as
// functions of the organisation's configuration alone. The model routes by them, and the
// analytic forecast (analysis/forecast/capacity.cpp) reads the same rules, so they are written
// once.

#include "models/case/case.hpp"
#include "models/organisation.hpp"
#include "models/routing/buckets.hpp"

#include <algorithm>
#include <cstdint>

namespace supportsim::models {

/// Whether agents may take some cases: never, at once, or once the case has overflowed.
enum class Access : std::uint8_t { never, now, after_overflow };

/// A group's proficiency in a product; a group that lists none counts as 1.0 in everything.
inline double product_proficiency(const AgentGroupConfig &g, std::size_t product) {
  return g.product_proficiency.empty() ? 1.0 : g.product_proficiency[product];
}

/// How well a group speaks a language; once the case has overflowed, the fallback language
/// counts too (the customer accepts it rather than wait longer).
inline double language_proficiency(const RoutingConfig &routing, const AgentGroupConfig &g,
                                   std::size_t language, bool overflowed) {
  if (g.language_proficiency.empty()) return 1.0;
  if (overflowed && routing.fallback_language)
    return std::max(g.language_proficiency[language],
                    g.language_proficiency[*routing.fallback_language]);
  return g.language_proficiency[language];
}

/// The skills rule: product and language both at least proficiency_required, or, once the case
/// has overflowed, at least proficiency_floor (with the fallback language).
inline bool has_skills(const RoutingConfig &routing, const AgentGroupConfig &g, std::size_t product,
                       std::size_t language, bool overflowed) {
  const double needed = overflowed ? routing.proficiency_floor : routing.proficiency_required;
  return product_proficiency(g, product) >= needed &&
         language_proficiency(routing, g, language, overflowed) >= needed;
}

/// The wait in its queue after which a case may go beyond its region's and its skills' first
/// choice: its priority's overflow_after, or for a live first contact the shorter of that and
/// live_overflow_after.
inline sim::Duration overflow_after(const RoutingConfig &routing, const Case &c) {
  const sim::Duration by_priority = routing.overflow_after[index_of(c.info.priority)];
  return is_live_first_contact(c) ? std::min(by_priority, routing.live_overflow_after)
                                  : by_priority;
}

/// The tier and region rules, and the rules of whole buckets built from them.
class RoutingRules {
public:
  explicit RoutingRules(const OrganisationConfig &config);

  /// Cases are routed to tiers by a slot: a tier's index (the tier owns the case), the tier
  /// count (new cases of the front line), or one more (premium accounts' new cases).
  std::size_t tier_slot(const Case &c) const {
    if (c.tier != front_line) return c.tier;
    return new_case_slot(c.info.account != no_account);
  }
  std::size_t new_case_slot(bool premium) const { return tiers_ + (premium ? 1 : 0); }

  /// The tier rule: may agents of `agent_tier` take cases of tier slot `slot`?
  Access tier_access(std::size_t agent_tier, std::size_t slot) const {
    const TierRole role = config_.tiers[agent_tier].role;
    // A case owned by a tier (escalated to it, or worked by it last) stays with that tier.
    if (slot < tiers_) return slot == agent_tier ? Access::now : Access::never;
    // New cases (and front-line follow-ups) go to the front line.
    if (slot == tiers_) return role == TierRole::front_line ? Access::now : Access::never;
    // Premium accounts' cases: the TAMs at once (their named TAM preferred, see the offer);
    // with tam_first, after overflow_after the escalation tier (L2), or the front line where
    // there is no escalation tier; without it, the front line at once.
    if (role == TierRole::tam) return Access::now;
    if (!config_.routing.tam_first)
      return role == TierRole::front_line ? Access::now : Access::never;
    return role == premium_fallback_ ? Access::after_overflow : Access::never;
  }

  /// May agents of `group` take this case, by tier, region and skills? `own_region`: they count
  /// as in the case's queue region; `overflowed`: the case has waited its overflow_after (or the
  /// question is whether they ever could).
  bool group_may_take(std::uint32_t group, const Case &c, bool own_region, bool overflowed) const {
    const RoutingConfig &routing = config_.routing;
    const AgentGroupConfig &g = config_.agent_groups[group];
    const Access tier = tier_access(g.tier, tier_slot(c));
    if (tier == Access::never || (tier == Access::after_overflow && !overflowed)) return false;
    // Region: the case's own region first; others after overflow_after, except follow-ups whose
    // priority waits for the owner region.
    if (!own_region) {
      if (is_follow_up(c) && routing.handoff[index_of(c.info.priority)] == Handoff::owner_region)
        return false;
      if (!overflowed) return false;
    }
    return has_skills(routing, g, c.info.product, c.info.language, overflowed);
  }

  /// The same rules for a whole bucket's cases, for agents of `group`; `own_region`: they count
  /// as in the bucket's region.
  Access bucket_access(std::uint32_t group, const BucketKey &k, bool own_region) const;

  /// Whether the group takes new cases (first touches and their follow-ups) at once: the front
  /// line, and the TAMs for premium accounts. Escalation tiers take them only past overflow.
  bool takes_new_cases(const AgentGroupConfig &g) const {
    return tier_access(g.tier, new_case_slot(false)) == Access::now ||
           tier_access(g.tier, new_case_slot(true)) == Access::now;
  }

private:
  const OrganisationConfig &config_;
  std::size_t tiers_;
  TierRole premium_fallback_; ///< who takes premium cases past the TAMs
};

} // namespace supportsim::models
