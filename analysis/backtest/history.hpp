#pragma once
// A history export read once into what calibrate and backtest need: the cases to replay, what
// really happened to them, and the records staffing inference reads.

#include "analysis/backtest/backtest.hpp"
#include "analysis/calibrate/calibration.hpp"
#include "scenarios/arrivals.hpp"

#include <string>
#include <vector>

namespace supportsim::analysis::backtest {

struct HistoryReadOptions {
  scenarios::ArrivalsMapping mapping;
  scenarios::ArrivalsOptions arrivals;
  /// The channel of rows that give none (a call centre's export rarely says "phone").
  models::Channel default_channel = models::Channel::phone;
  bool keep_records = true; ///< keep every row's HistoryRecord (for --infer-staffing)
};

struct HistoryReading {
  History history;
  std::vector<scenarios::HistoryRecord> records; ///< in the file's order (keep_records)
  std::vector<std::string> warnings;             ///< named, one line each
};

/// Reads a history for a backtest. Throws ArrivalsError for a bad file or row; InputError when
/// the scenario has several regions and the file gives no row's region.
HistoryReading read_history(const std::string &path, const models::OrganisationConfig &organisation,
                            const HistoryReadOptions &options);

/// Reads a history for calibrate: one CalibrationCase per row (the local hour in the case's
/// region), streaming, so memory grows with the cases kept, not with the file. A row
/// without a channel takes the default channel; without a region, when the scenario has
/// several, its hour is read in the first region's zone, named in a warning.
std::vector<CalibrationCase> read_calibration_cases(const std::string &path,
                                                    const models::OrganisationConfig &organisation,
                                                    const HistoryReadOptions &options,
                                                    std::vector<std::string> &warnings);

} // namespace supportsim::analysis::backtest
