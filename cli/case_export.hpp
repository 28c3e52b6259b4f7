#pragma once

// Reading a case export, as run --arrivals and fit do: the options that say how, and the
// warning about the rows --skip-bad-rows passed over.

#include "analysis/backtest/history.hpp"
#include "cli/options.hpp"
#include "scenarios/arrivals.hpp"

#include <string>
#include <utility>

namespace supportsim::cli {

/// The options every command reading a case export shares.
po::options_description export_options();

/// The names of export_options(), for a command that takes them only beside another option.
inline constexpr std::string_view export_option_names[] = {
    "arrivals-format", "map", "time-zone", "date-format", "skip-bad-rows", "sort"};

/// How to read the export at `path`, from those options. Without --arrivals-format or --map,
/// the format whose creation column the file's header has, when one alone has it (said on
/// stderr); a UsageError when several presets fit.
std::pair<scenarios::ArrivalsMapping, scenarios::ArrivalsOptions>
export_reading(const po::variables_map &vm, const std::string &path);

/// The export options and --channel (the channel of rows that give none), as calibrate and
/// backtest read a history.
po::options_description history_options();

/// How to read a history, from history_options().
analysis::backtest::HistoryReadOptions history_reading(const po::variables_map &vm,
                                                       const std::string &path);

/// After reading an export with --skip-bad-rows: how many rows were skipped, and the first.
void report_bad_rows(const std::string &path, const scenarios::ArrivalsReader &reader);

} // namespace supportsim::cli
