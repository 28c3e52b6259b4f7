#pragma once

// Answers to a stated precision (docs/precision.md): replications continue until the 95 %
// confidence interval of every named figure is as narrow as asked, by the sequential procedure
// of Law (Simulation Modeling and Analysis, 5th ed., 2015, section 9.4.1). The rule is checked
// after each replication in replication order, so where it stops depends on the seed only,
// never on how many threads ran the replications.

#include "analysis/metrics/sink.hpp"
#include "analysis/metrics/statistics.hpp"
#include "scenarios/input_error.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace supportsim::analysis {

/// A stated precision: how narrow each figure's 95 % half-width must be.
struct Precision {
  /// Rates (SLA attainment): the half-width at most this, as a fraction (0.002 for "0.2pp").
  /// Unset: rates are held to `relative` like the other figures.
  std::optional<double> rate_points;
  /// Other figures (and rates without rate_points): half-width / |mean| at most this (0.01
  /// for "1%").
  double relative = 0.01;
  std::uint32_t min_replications = 10;   ///< the rule is first checked after this many
  std::uint32_t max_replications = 1000; ///< and the run stops here, met or not
  std::string text;                      ///< as given, for messages: "0.2pp"
};

/// Reads "--precision": "0.2pp" (rates to 0.2 percentage points, other figures to 1 %),
/// "1%" (every figure to 1 % of its mean) or both, "0.2pp,2%". Throws scenarios::InputError
/// naming what it cannot read.
Precision parse_precision(std::string_view text);

/// One figure the precision is on, per replication.
struct PrecisionFigure {
  std::string name; ///< "EMEA P1 SLA attainment"
  bool rate = false;
  double (*value)(const ReplicationFigures &, std::size_t index) = nullptr;
  std::size_t index = 0; ///< what `value` reads (a region and priority, packed)
};

/// The figures a run's precision is on: SLA attainment of every region and priority, and the
/// organisation's cost per resolved case.
std::vector<PrecisionFigure> precision_figures(std::size_t regions);

/// The replication count at which the rule is next checked after `n` (the first check is at
/// Precision::min_replications): about 10 % more, and `most` last (then `most` + 1: no more).
/// Checking after every replication would stop more often where the sample variance happens to
/// be low, and the stopped interval would cover the truth less often than it says.
std::uint32_t next_precision_check(std::uint32_t n, std::uint32_t most);

/// Where a sequential run stopped, and why.
struct PrecisionOutcome {
  Precision precision;
  bool met = false; ///< every figure reached its precision
  std::uint32_t replications = 0;
  /// The figure farthest from (or closest to missing) its precision at the stop: its name, its
  /// estimate, and its half-width as a share of what was allowed (<= 1 when met).
  std::string widest;
  Estimate widest_estimate{};
  double widest_ratio = 0;
};

/// Whether the first `n` replications meet `precision` on `figures`; fills `outcome` (the
/// widest figure) either way. A figure with fewer than two defined values (a priority without
/// cases) is left out.
bool meets_precision(std::span<const ReplicationFigures> replications,
                     const std::vector<PrecisionFigure> &figures, const Precision &precision,
                     PrecisionOutcome &outcome);

/// "precision 0.2pp met after 37 replications (widest: EMEA P1 SLA attainment ± 0.19pp)",
/// or "not met after 1000 replications ...".
std::string describe(const PrecisionOutcome &outcome);

} // namespace supportsim::analysis
