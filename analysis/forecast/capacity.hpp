#pragma once

// The analytic capacity forecast a planner makes without simulating: per customer region and
// week of the measured window, the forecast demand turned into agent workload, the Erlang C (or
// Erlang A, where customers hang up) prediction of first-response SLA attainment, mean wait and
// utilisation with the agents rostered, the agents needed to meet each priority's attainment
// target; and per week a capacity check, a max-flow over a network demand class -> agent group
// -> capacity, whose minimum cut names the bottleneck. Every formula and simplification:
// docs/forecast.md.

#include "models/priority.hpp"
#include "scenarios/scenario.hpp"
#include "sim/clock.hpp"
#include "sim/time.hpp"

#include <cstddef>
#include <string>
#include <vector>

namespace supportsim::analysis {

/// What work one case brings, from the scenario's lifecycle and the organisation's typical
/// agent (docs/forecast.md, "Workload per case").
struct CaseWorkload {
  double touches = 0;            ///< expected touches a case needs, reopen and escalation included
  double minutes_per_touch = 0;  ///< expected agent minutes per touch
  double minutes = 0;            ///< touches x minutes_per_touch
  double experience_factor = 1;  ///< handle-time learning curve at the groups' mean tenure
  double proficiency_factor = 1; ///< 2 - the typical proficiency
};

/// One customer region in one week of the measured window.
struct RegionWeekForecast {
  std::size_t region = 0;
  std::size_t week = 0;
  double cases = 0;           ///< forecast cases arriving
  double workload_hours = 0;  ///< cases x workload per case, in agent hours
  double agents_on_duty = 0;  ///< mean agents available for the region's new work
  double servers_on_duty = 0; ///< the same as Erlang servers: chat concurrency counted in
  double offered_load = 0;    ///< Erlangs: touches per minute x minutes per touch
  double utilisation = 0;     ///< offered_load / servers_on_duty (may exceed 1)
  /// Predicted first-response attainment; NaN for a priority with no cases.
  models::PerPriority<double> sla{};
  models::PerPriority<double> target{}; ///< the scenario's attainment target
  double mean_wait_minutes = 0;         ///< mean wait to first response (or to hanging up)
  double abandonment = 0; ///< predicted share hanging up (Erlang A), 0 without patience
  /// Servers (integer, as Erlang counts them) to meet each priority's target; 0 without cases.
  models::PerPriority<double> required_by_priority{};
  double required_on_duty = 0;   ///< agents: the largest of required_by_priority, chat taken out
  double required_headcount = 0; ///< required_on_duty x week hours / available hours per agent
  /// Hours one agent of the region is available for cases in the week (the organisation's mean
  /// for a region without agents of its own)
  double available_hours_per_agent = 0;
};

/// Whether one week's new work fits the agents able to do it at all (max flow), and if not,
/// where it does not (the minimum cut).
struct CapacityCheck {
  std::size_t week = 0;
  double demand_hours = 0;   ///< workload of every demand class
  double servable_hours = 0; ///< the max flow
  bool feasible = true;      ///< servable_hours covers demand_hours (to 0.1 %)
  /// The source side of the minimum cut: "group NAME" for saturated agent groups, "demand
  /// PRODUCT/LANGUAGE" for demand classes not fully served. Empty when feasible.
  std::vector<std::string> bottleneck;
};

struct CapacityForecast {
  std::vector<sim::SimTime> week_starts; ///< as DemandForecast's
  CaseWorkload workload;
  bool erlang_a = false;                 ///< some channel has patience: Erlang A used for it
  std::vector<RegionWeekForecast> cells; ///< week-major: cells[week * regions + region]
  std::vector<CapacityCheck> capacity;   ///< per week
};

/// One customer region in one hour of the measured window (UTC hours from its start): the same
/// queue as a week's, at the hour's own arrival rate and with the agents its shifts put on duty
/// (docs/forecast.md, "Hourly").
struct RegionHourForecast {
  std::size_t region = 0;
  std::size_t hour = 0;       ///< of the window
  double cases = 0;           ///< forecast cases arriving in the hour
  double agents_on_duty = 0;  ///< mean agents available for new work (shifts, breaks, shrinkage)
  double servers_on_duty = 0; ///< the same as Erlang servers: chat concurrency counted in
  double utilisation = 0;     ///< offered load / servers (infinite with load and no servers)
  models::PerPriority<double> sla{}; ///< predicted attainment; NaN for a priority with no cases
  double required_on_duty = 0;       ///< agents to meet every priority's target; 0 without cases
};

/// The hourly forecast of the measured window, hour-major: hours[hour * regions + region].
std::vector<RegionHourForecast> forecast_hours(const scenarios::Scenario &scenario);

/// One customer region in one interval of its local clock (15, 30 or 60 minutes; the same
/// intervals as a run's RegionFigures::intervals, the first and last possibly partial): the
/// interval's queue in steady state, as forecast_hours does for UTC hours.
struct RegionIntervalForecast {
  std::size_t region = 0;
  std::size_t interval = 0;          ///< its index among the region's intervals
  sim::UtcTime start;                ///< inside the window
  std::string start_local;           ///< "2027-01-04T09:15" in the region's zone
  double hours = 0;                  ///< its length inside the window
  double cases = 0;                  ///< forecast cases arriving in it
  double agents_on_duty = 0;         ///< mean agents available for new work
  double servers_on_duty = 0;        ///< the same as Erlang servers: chat concurrency counted in
  double utilisation = 0;            ///< offered load / servers (infinite with load and no servers)
  models::PerPriority<double> sla{}; ///< predicted attainment; NaN for a priority with no cases
  double required_on_duty = 0;       ///< agents to meet every priority's target; 0 without cases
};

/// The required agents per interval of `minutes` (15, 30 or 60) of each region's local clock:
/// Erlang C (A on channels with patience) at the interval's forecast rate, the standard WFM
/// requirement table. Region-major: every interval of region 0, then of region 1, ...; interval
/// k of a region is the run's RegionFigures::intervals[k] for the same length.
std::vector<RegionIntervalForecast> forecast_intervals(const scenarios::Scenario &scenario,
                                                       int minutes);

/// The requirement table for a terminal: per region, local interval of the day (rows) and
/// weekday (columns), mean required / mean on duty over the window.
std::string render_requirement_table(const std::vector<RegionIntervalForecast> &intervals,
                                     const scenarios::Scenario &scenario, int minutes);

/// forecast-intervals_<N>m.csv: one row per region and interval.
std::string render_requirement_csv(const std::vector<RegionIntervalForecast> &intervals,
                                   const scenarios::Scenario &scenario);

/// The intervals of one region and local day, summed.
struct DayRequirement {
  std::size_t region = 0;
  sim::UtcTime start;      ///< of its first interval
  std::string start_local; ///< "2027-01-04T00:00" (the window's start for a partial first day)
  double hours = 0, cases = 0;
  double on_duty_agent_hours = 0;   ///< Σ agents on duty x hours
  double required_agent_hours = 0;  ///< Σ required on duty x hours
  double peak_required_on_duty = 0; ///< the largest of its intervals' requirements
  std::size_t intervals = 0, intervals_short = 0;
};

/// forecast_intervals' intervals summed per region and local day.
std::vector<DayRequirement>
daily_requirements(const std::vector<RegionIntervalForecast> &intervals);

/// forecast-daily.csv: one row per region and local day.
std::string render_requirement_daily_csv(const std::vector<DayRequirement> &days,
                                         const scenarios::Scenario &scenario);

/// The same as a table for a terminal.
std::string render_requirement_daily_table(const std::vector<DayRequirement> &days,
                                           const scenarios::Scenario &scenario);

/// The hourly forecast as a staffing table that fits 100 columns: per region, each local
/// weekday and hour, agents on duty minus agents required, averaged over the window's weeks;
/// and how many hours (and what share of the cases) fall short.
std::string render_staffing_table(const std::vector<RegionHourForecast> &hours,
                                  const scenarios::Scenario &scenario);

/// The weekly forecast as CSV (forecast.csv): one row per region and week, every figure of
/// RegionWeekForecast, and the week's capacity check.
std::string render_forecast_csv(const CapacityForecast &forecast,
                                const scenarios::Scenario &scenario);

/// The hourly forecast as CSV (forecast-hours.csv): one row per region and hour.
std::string render_forecast_hours_csv(const std::vector<RegionHourForecast> &hours,
                                      const scenarios::Scenario &scenario);

/// The expected workload of one case of `scenario` (docs/forecast.md).
CaseWorkload case_workload(const models::OrganisationConfig &organisation);

/// The forecast of the measured window (the end of the warm-up to the horizon).
///
/// Example: `forecast_capacity(scenarios::default_scenario()).cells.size()` is regions x weeks.
CapacityForecast forecast_capacity(const scenarios::Scenario &scenario);

/// One warning per week whose offered work the agents cannot serve (CapacityCheck::feasible
/// false): "SOURCE: week W: the offered work, D agent-hours, is R times what the agents can
/// serve (S); queues grow all week (bottleneck: ...)". A run of such a scenario holds ever more
/// cases open, and stops at OrganisationConfig::max_open_cases.
std::vector<std::string> capacity_warnings(const CapacityForecast &forecast,
                                           const scenarios::Scenario &scenario);

/// The forecast as text that fits 100 columns: per region and week, cases, agents on duty,
/// required agents and headcount, predicted SLA per priority against its target, utilisation;
/// then one line per week of the capacity check.
std::string render_forecast_table(const CapacityForecast &forecast,
                                  const scenarios::Scenario &scenario);

} // namespace supportsim::analysis
