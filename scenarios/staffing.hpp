#pragma once
// Staffing as it really was, for a backtest: read from a roster or an interval table, or
// inferred from a history's answered cases. The formats are documented in
// docs/staffing-format.md.

#include "models/organisation.hpp"
#include "models/staffing.hpp"
#include "scenarios/arrivals.hpp"
#include "scenarios/input_error.hpp"
#include "sim/clock.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace supportsim::scenarios {

/// A staffing file (or a history it is inferred from) is wrong. what() is one line,
/// "FILE:LINE: problem", or "FILE: problem" when no line applies (line() == 0).
class StaffingError : public InputError {
public:
  StaffingError(std::string file, std::size_t line, std::string problem);
  const std::string &file() const { return file_; }
  std::size_t line() const { return line_; }
  const std::string &problem() const { return problem_; }

private:
  std::string file_;
  std::size_t line_;
  std::string problem_;
};

struct StaffingOptions {
  /// IANA zone of timestamps written without an offset; "" for none (such rows are errors).
  std::string time_zone{};
  /// The interval table's interval length in minutes, 15, 30 or 60; 0 infers it from the data
  /// (the smallest step between two interval starts).
  int interval_minutes = 0;
};

/// Reads a staffing file in either native form, told apart by its header (a roster
/// `agent,group,start_utc,end_utc`, or an interval table `interval_start_utc,group,agents
/// [,not_ready]`). Group names resolve against `organisation.agent_groups`. Throws
/// StaffingError naming the file, the line and the problem.
///
///   const models::StaffingPlan plan = load_staffing("roster.csv", scenario.organisation);
models::StaffingPlan load_staffing(const std::string &path,
                                   const models::OrganisationConfig &organisation,
                                   const StaffingOptions &options = {});

struct StaffingInferenceOptions {
  /// An agent's handled cases closer than this (from the end of one to the answer of the
  /// next) belong to one logged-in session; a longer idle gap ends the session.
  std::chrono::minutes session_gap{30};
  /// The agent group of cases whose history names none; "" makes such a case an error.
  std::string default_group{};
  /// The history's file name, for messages.
  std::string source{"history"};
};

/// Staffing inferred from a history, one case at a time (in any order), so that calibrate and
/// backtest read the history once. An agent's logged-in sessions are its handled cases, each
/// from its answer to answer + handle (+ wrap), merged across idle gaps shorter than
/// `session_gap`. It approximates: time logged in but idle before the first and after the last
/// case of a session, and not-ready time, are not seen (docs/staffing-format.md).
///
///   StaffingInference inference(scenario.organisation, {.default_group = "austin-l1"});
///   while (reader.next(c)) inference.add(reader.history());
///   const models::StaffingPlan plan = inference.plan();
class StaffingInference {
public:
  StaffingInference(const models::OrganisationConfig &organisation,
                    StaffingInferenceOptions options = {});

  /// Takes a case into account. Cases that were not answered, or name no agent, or have no
  /// handle time are not work anyone was seen doing: counted in unused(), not an error. A group
  /// that is not one of the scenario's throws StaffingError naming the line.
  void add(const HistoryRecord &record);

  /// The sessions of every agent seen, as a plan: agents numbered within their group in order
  /// of first appearance.
  models::StaffingPlan plan() const;

  std::size_t used() const { return used_; }     ///< cases that made sessions
  std::size_t unused() const { return unused_; } ///< answered cases without agent or handle

private:
  struct Agent {
    std::uint32_t group = 0, index = 0;
    std::vector<std::pair<sim::UtcTime, sim::UtcTime>> work; ///< [answer, end of work)
  };
  const models::OrganisationConfig *organisation_;
  StaffingInferenceOptions options_;
  std::map<std::pair<std::uint32_t, std::string>, std::size_t> agent_index_; ///< (group, name)
  std::vector<Agent> agents_;
  std::vector<std::uint32_t> group_sizes_;
  std::size_t used_ = 0, unused_ = 0;
};

/// The same over records already in memory.
models::StaffingPlan infer_staffing(std::span<const HistoryRecord> history,
                                    const models::OrganisationConfig &organisation,
                                    const StaffingInferenceOptions &options = {});

/// An interval in which cases arrived and nobody was on shift.
struct UncoveredInterval {
  sim::UtcTime start{};     ///< the interval's start; intervals are aligned to UTC midnight
  std::size_t arrivals = 0; ///< cases that arrived in it
};

/// The intervals of length `interval` (a divisor of a day) in which `arrivals` fall while no
/// period of `plan`, of any group, overlaps the interval; in time order. `arrivals` in any order.
/// Throws std::invalid_argument for an interval of 0 or less (a caller's mistake).
std::vector<UncoveredInterval> uncovered(const models::StaffingPlan &plan,
                                         std::span<const sim::UtcTime> arrivals,
                                         std::chrono::minutes interval);

/// A one-line warning naming the uncovered intervals (the first `limit`, then "and N more"),
/// "" when there are none: "12 cases arrived in 2 30-minute intervals with nobody on shift:
/// 2027-01-04T02:00Z (7), 2027-01-04T02:30Z (5)".
std::string uncovered_warning(const std::vector<UncoveredInterval> &intervals,
                              std::chrono::minutes interval, std::size_t limit = 10);

} // namespace supportsim::scenarios
