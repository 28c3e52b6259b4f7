#pragma once

#include "analysis/experiment.hpp"

#include <string>

namespace supportsim::analysis {

/// The terminal report: per queue and priority, SLA attainment against target, waits,
/// abandonment, utilisation; means over replications with 95 % confidence intervals.
/// Fits in 100 columns. Deterministic: no wall-clock facts.
std::string render_table(const ExperimentResult &result, const std::string &version);

/// The same figures as one JSON document (schema in docs/metrics.md). Byte-identical for the
/// same scenario, seed and version.
std::string render_json(const ExperimentResult &result, const std::string &version);

} // namespace supportsim::analysis
