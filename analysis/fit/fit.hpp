#pragma once
// `supportsim fit`: the scenario's demand block estimated from a case export, the inverse of
// models::Demand. Every formula is in docs/fit.md.

#include "models/organisation.hpp"
#include "models/replay.hpp"
#include "scenarios/dump.hpp"
#include "sim/clock.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace supportsim::analysis {

/// What fit_demand read and found, for the command's summary.
struct FitReport {
  std::uint64_t cases = 0;       ///< cases read
  std::uint64_t days = 0;        ///< whole UTC days from the first case to the last (rounded up)
  std::uint64_t full_months = 0; ///< 30.4375-day months from the first case wholly in the span
  std::uint64_t full_days = 0;   ///< region-days used for the weekly profile and daily_cv
  sim::UtcTime first{};          ///< the first case's creation instant
  sim::UtcTime last{};           ///< the last case's
  /// Per region of the organisation: cases whose region is given (those without one are not
  /// counted here, and their profiles are read in the first region's zone).
  std::vector<std::uint64_t> region_cases;
  std::uint64_t without_region = 0;
  double cases_per_month = 0;   ///< as written: the fitted volume of the export's first month
  double last_month_volume = 0; ///< the fitted volume of the export's last month (with growth)
  double growth_per_month = 0;
  double daily_cv = 0;
  /// The keys written under "demand" and per region (e.g. "priority_mix" is missing when the
  /// export has no priorities), for the summary.
  std::vector<std::string> fitted;
};

/// The demand fitted to an export: a demand block, which of its keys the export gave, and the
/// regions' shares and languages.
struct FittedDemand {
  /// The organisation's demand with the fitted keys replaced: cases_per_month,
  /// growth_per_month, hourly_profile always; weekly_profile, daily_cv and the mixes where
  /// `keys` says so.
  models::DemandConfig demand;
  scenarios::DemandKeys keys; ///< the keys fitted (holiday_factor and incidents never)
  /// Per region, its share of the cases that name a region; empty when none does.
  std::vector<double> region_shares;
  /// A region's language mix as counts, and the languages it names (the export's or the
  /// base's); `keep` empty: no languages for this region.
  struct Languages {
    std::vector<std::uint64_t> counts;
    std::vector<bool> keep;
  };
  std::vector<Languages> region_languages; ///< per region
  bool languages_given = false;            ///< some case names its language
  std::string first, last;                 ///< the first and last case's creation, UTC text
};

/// Estimates the demand of `organisation`'s regions from replayed cases (in creation order), in
/// passes over counters: the export read once (creation times, regions, attributes), the hourly
/// and weekly profiles, the exposure of each month, volume and growth, the daily noise
/// (daily_cv), the mixes. Mixes of attributes the export never gives are not fitted. Memory
/// does not grow with the number of cases (counters per region and day).
///
/// Throws std::invalid_argument when there are no cases or they are out of time order, and
/// whatever `cases` throws for a bad row.
FittedDemand estimate_demand(models::CaseReplay &cases,
                             const models::OrganisationConfig &organisation, FitReport &report);

/// The fitted demand as a scenario file (JSON text) that extends `base` ("default" or a path,
/// written as given: relative paths are read from the output file's folder) and replaces its
/// demand: regions (demand_share, languages), and the demand keys fitted, written by
/// scenarios::demand_json.
std::string fitted_scenario(const FittedDemand &fitted,
                            const models::OrganisationConfig &organisation, const std::string &base,
                            const std::string &name, const FitReport &report);

/// estimate_demand, then fitted_scenario: `supportsim fit`.
std::string fit_demand(models::CaseReplay &cases, const models::OrganisationConfig &organisation,
                       const std::string &base, const std::string &name, FitReport &report);

} // namespace supportsim::analysis
