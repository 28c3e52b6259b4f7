#pragma once

// What sweep and merge both print and write: a whole sweep's result, however it was run.

#include "analysis/sweep/sweep.hpp"
#include "cli/options.hpp"

#include <array>
#include <optional>
#include <string>
#include <string_view>

namespace supportsim::cli {

/// The --format of sweep and merge.
inline constexpr std::array<std::string_view, 3> sweep_formats{"table", "csv", "json"};

/// The table (or CSV or JSON, by `format`) on stdout, and with an output folder sweep.csv,
/// sweep.json and report.html in it.
void report_sweep(const analysis::SweepResult &result, const std::optional<std::string> &out,
                  const std::string &format);

} // namespace supportsim::cli
