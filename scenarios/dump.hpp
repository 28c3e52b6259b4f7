#pragma once

// Writing parts of a scenario file back from the configuration, for dump_scenario
// (scenario.hpp) and for files that set only some keys and extend another (`supportsim fit`).

#include "models/organisation.hpp"

#include <nlohmann/json.hpp>
#include <vector>

namespace supportsim::scenarios {

/// Which keys of a demand block to write. cases_per_month, growth_per_month and hourly_profile
/// are always written; a file that extends another leaves the keys it does not write to it.
struct DemandKeys {
  bool weekly_profile = true;
  bool daily_cv = true;
  bool holiday_factor = true;
  bool priority_mix = true;
  bool channel_mix = true;
  bool segment_mix = true;
  bool product_mix = true;
  /// The products product_mix names, in the organisation's order; empty: every one.
  std::vector<bool> products;
  bool incidents = true;
};

/// A distribution as a scenario file writes it (docs/scenario-format.md#distributions):
/// {"type": "lognormal", "mean": 4, "cv": 1}; mixtures with their components.
nlohmann::ordered_json distribution_json(const sim::DistributionSpec &spec);

/// `demand` as the "demand" object of a scenario file, in the order of
/// docs/scenario-format.md; products and regions (of incidents) named from `organisation`.
/// The only writer of the demand keys: dump_scenario writes every key, `fit` the ones it fitted.
nlohmann::ordered_json demand_json(const models::DemandConfig &demand,
                                   const models::OrganisationConfig &organisation,
                                   const DemandKeys &keys = {});

} // namespace supportsim::scenarios
