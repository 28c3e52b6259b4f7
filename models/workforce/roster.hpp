#pragma once

#include "models/organisation.hpp"
#include "models/workforce/agent.hpp"
#include "sim/clock.hpp"
#include "sim/time.hpp"

#include <chrono>
#include <cstdint>
#include <utility>
#include <vector>

namespace date {
class time_zone;
}

namespace supportsim::models {

/// One occurrence of a shift pattern for an agent.
struct Shift {
  /// The pattern of a period of a staffing plan (StaffedRoster), which has none.
  static constexpr std::uint32_t staffed = 0xfffffffeu;
  sim::SimTime start, end;
  std::uint32_t pattern;       // index into OrganisationConfig::shifts, staffed, or none
  std::chrono::local_days day; // the local date it starts on
};

/// When agents work: the groups' shift patterns in their sites' local time, with rotations,
/// site holidays, breaks and off-queue blocks (docs/model.md, "Shifts").
class Roster {
public:
  Roster(const OrganisationConfig &config, const sim::Clock &clock, sim::SimTime end);

  /// The agent's next shift from `from`: the earliest-starting pattern occurrence that ends
  /// after `from` (one in progress included); pattern `none` if there is none before the end.
  Shift next_shift(const Agent &agent, sim::SimTime from) const;

  /// Calls pause(from, to, paid) for each break of the shift's pattern, then for the off-queue
  /// block (at `block_draw`, uniform 0-1, of the room the block leaves in the shift), each as
  /// the pattern places it; the caller clips them to the shift.
  template <class Pause>
  void plan_pauses(const AgentGroupConfig &g, const Shift &s, double block_draw,
                   Pause &&pause) const {
    const ShiftConfig &pattern = config_.shifts[s.pattern];
    for (const BreakConfig &b : pattern.breaks) {
      const sim::SimTime from = break_start(g, s, b);
      pause(from, from + sim::Duration::minutes(b.minutes), b.paid);
    }
    if (g.shrinkage.off_queue > 0) {
      const double length = (s.end - s.start).to_minutes();
      const double block = g.shrinkage.off_queue * length;
      const sim::SimTime from =
          s.start + sim::Duration::from_minutes(block_draw * (length - block));
      pause(from, from + sim::Duration::from_minutes(block), true);
    }
  }

  const date::time_zone *site_zone(std::size_t site) const { return site_zones_[site]; }

private:
  /// When a shift of pattern p starting on local `day` starts and ends, in `zone`.
  std::pair<sim::SimTime, sim::SimTime>
  shift_times(const date::time_zone *zone, std::chrono::local_days day, const ShiftConfig &p) const;
  /// A break starts at its local time on the shift's day; for an overnight shift, a break
  /// earlier in the day than the shift's start is on the next day.
  sim::SimTime break_start(const AgentGroupConfig &g, const Shift &s, const BreakConfig &b) const;
  bool site_holiday(std::size_t site, std::chrono::local_days day) const;
  void build_site_days();

  const OrganisationConfig &config_;
  const sim::Clock &clock_;
  sim::SimTime end_;
  std::vector<const date::time_zone *> site_zones_;
  /// Per site, what next_shift asks of each local day of the run, worked out once: a time-zone
  /// lookup costs more than all the rest of next_shift, which an agent calls twice a shift and
  /// which walks a few days each time.
  struct SiteDays {
    std::chrono::local_days first; // the table's first day
    std::vector<sim::SimTime> midnight;
    std::vector<bool> holiday;
    std::vector<std::uint32_t> column; // per shift pattern: its column here, or none if no group
                                       // of the site works it
    std::size_t columns = 0;
    std::vector<std::pair<sim::SimTime, sim::SimTime>> shifts; // per day and column: start, end
  };
  std::vector<SiteDays> site_days_;
};

} // namespace supportsim::models
