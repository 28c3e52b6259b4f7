#include "models/routing/rules.hpp"

namespace supportsim::models {

RoutingRules::RoutingRules(const OrganisationConfig &config)
    : config_(config), tiers_(config.tiers.size()),
      premium_fallback_(
          std::any_of(config.tiers.begin(), config.tiers.end(),
                      [](const TierConfig &t) { return t.role == TierRole::escalation; })
              ? TierRole::escalation
              : TierRole::front_line) {}

Access RoutingRules::bucket_access(std::uint32_t group, const BucketKey &k, bool own_region) const {
  const RoutingConfig &routing = config_.routing;
  const AgentGroupConfig &g = config_.agent_groups[group];
  Access access = tier_access(g.tier, k.tier);
  if (access == Access::never) return access;
  if (!own_region) {
    if (k.follow_up && routing.handoff[index_of(k.priority)] == Handoff::owner_region)
      return Access::never;
    access = Access::after_overflow;
  }
  if (!has_skills(routing, g, k.product, k.language, true)) return Access::never;
  if (!has_skills(routing, g, k.product, k.language, false)) access = Access::after_overflow;
  return access;
}

} // namespace supportsim::models
